"""The portfolio table service: SQL sort, filters, stages, trends, pages and facets.

Every test runs twice: through the open portfolio and through the start-up reader of its file
(the same SQL over a plain ``sqlite3`` connection, before SQLAlchemy is imported).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from csdesk.db import Portfolio
from csdesk.db.reader import SqlReader, open_early
from csdesk.models import Account, HealthSnapshot, Task
from csdesk.scoring.bands import band_for
from csdesk.scoring.lifecycle import lifecycle_stage
from csdesk.services.portfolio_table import (
    COLUMNS,
    NO_BAND,
    NO_STAGE,
    ReadSource,
    TableQuery,
    count_accounts,
    fetch_rows,
    load_facets,
    ordered_ids,
)

TODAY = dt.date(2026, 6, 15)


def _day(n: int) -> dt.date:
    """The contract start that makes TODAY contract day ``n``."""
    return TODAY - dt.timedelta(days=n - 1)


ACCOUNTS: list[dict[str, Any]] = [
    # name, owner, tier, arr, score, contract day, renewal in days, status
    dict(name="Acme Retail", owner="Dana", tier="Starter", arr=20000, score=95.0, day=1,
         renew=20, status="active", crm_id="A-1"),
    dict(name="Beta 100% Foods", owner="dana", tier="Enterprise", arr=55000, score=72.5, day=30,
         renew=-5, status="active", crm_id="B_2"),
    dict(name="Cobalt Labs", owner="Eli", tier="Professional", arr=None, score=None, day=31,
         renew=-3, status="prospect", crm_id=None),
    dict(name="Delta Müller", owner=None, tier=None, arr=30000, score=49.9, day=90,
         renew=200, status="pilot", crm_id="D-4"),
    dict(name="echo systems", owner="Eli", tier="Starter", arr=10000, score=89.95, day=91,
         renew=None, status="active", crm_id="E-5"),
    dict(name="Foxtrot", owner="Zed", tier="Professional", arr=30000, score=60.0, day=180,
         renew=60, status="churned", crm_id="F-6"),
    dict(name="Golf", owner="Zed", tier="Enterprise", arr=80000, score=50.0, day=181,
         renew=89, status="active", crm_id="G-7"),
    dict(name="Hotel", owner="Ann", tier="Starter", arr=0, score=10.0, day=0,
         renew=400, status="pilot", crm_id="H-8"),
    dict(name="India", owner="Ann", tier="Starter", arr=5000, score=70.0, day=None,
         renew=31, status="active", crm_id="I-9"),
]  # fmt: skip


@pytest.fixture
def table(portfolio: Portfolio) -> dict[str, int]:
    """A portfolio with the accounts above, their history and tasks; name → id."""
    ids: dict[str, int] = {}
    with portfolio.write() as s:
        for spec in ACCOUNTS:
            band = band_for(spec["score"])
            acc = Account(
                name=spec["name"],
                name_key=" ".join(spec["name"].split()).casefold(),
                crm_id=spec["crm_id"],
                owner=spec["owner"],
                tier=spec["tier"],
                arr=spec["arr"],
                status=spec["status"],
                health_score=spec["score"],
                health_computed_score=spec["score"],
                health_band=band.value if band else None,
                contract_start=_day(spec["day"]) if spec["day"] is not None else None,
                renewal_date=(
                    TODAY + dt.timedelta(days=spec["renew"]) if spec["renew"] is not None else None
                ),
            )
            s.add(acc)
            s.flush()
            ids[spec["name"]] = acc.id
        history = {
            "Acme Retail": [(40, 80.0), (29, 90.0)],
            "Golf": [(31, 70.0)],
            "Hotel": [(30, 5.0)],
        }
        for name, points in history.items():
            for days_ago, score in points:
                s.add(
                    HealthSnapshot(
                        account_id=ids[name],
                        as_of=TODAY - dt.timedelta(days=days_ago),
                        score=score,
                        band=band_for(score).value,
                        model_name="subscription",
                        model_version=1,
                    )
                )
        for name, statuses in {
            "Golf": ["open", "open", "done"],
            "Cobalt Labs": ["snoozed", "open"],
        }.items():
            for status in statuses:
                s.add(
                    Task(
                        account_id=ids[name],
                        type="follow-up",
                        title="Call",
                        due_on=TODAY,
                        status=status,
                    )
                )
    return ids


@pytest.fixture(params=["portfolio", "early"])
def source(
    request: pytest.FixtureRequest, portfolio: Portfolio, db_path: Path
) -> Iterator[ReadSource]:
    """What the service reads through: the open portfolio, or the start-up reader of its file."""
    if request.param == "portfolio":
        yield portfolio
        return
    if portfolio.path is None:
        pytest.skip("the start-up reader reads SQLite files only")
    early = open_early(db_path)
    assert early is not None
    yield early
    early.close()


def _names(source: ReadSource, **kwargs: Any) -> list[str]:
    ids = ordered_ids(source, TableQuery(today=TODAY, **kwargs))
    rows = fetch_rows(source, ids, TODAY)
    return [rows[i].name for i in ids]


def test_rows_carry_stage_trend_tasks_and_days_left(source: ReadSource, table: dict[str, int]):
    rows = fetch_rows(source, list(table.values()), TODAY)
    for spec in ACCOUNTS:
        row = rows[table[spec["name"]]]
        start = _day(spec["day"]) if spec["day"] is not None else None
        stage = lifecycle_stage(start, TODAY, spec["status"])
        assert row.stage == (stage.value if stage else None), spec["name"]
        renews = spec["status"] in ("active", "pilot")  # only they have a countdown
        assert row.days_left == (spec["renew"] if renews else None), spec["name"]
    assert rows[table["Acme Retail"]].past_score == 80.0  # 29 days ago is too recent
    assert rows[table["Golf"]].past_score == 70.0
    assert rows[table["Hotel"]].past_score == 5.0
    assert rows[table["India"]].past_score is None
    assert rows[table["Golf"]].open_tasks == 2
    assert rows[table["Cobalt Labs"]].open_tasks == 2  # snoozed counts: not done yet, as in the 360
    assert rows[table["Beta 100% Foods"]].renewal_overdue
    assert not rows[table["Cobalt Labs"]].renewal_overdue  # a prospect is never overdue


def test_rows_of_missing_ids_are_absent(source: ReadSource, table: dict[str, int]):
    assert fetch_rows(source, [999_999], TODAY) == {}
    assert fetch_rows(source, [], TODAY) == {}


@pytest.mark.parametrize("key", [key for key, _ in COLUMNS])
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_with_empty_values_last(
    source: ReadSource, table: dict[str, int], key: str, descending: bool
):
    ids = ordered_ids(source, TableQuery(sort_key=key, descending=descending, today=TODAY))
    assert sorted(ids) == sorted(table.values())
    rows = fetch_rows(source, ids, TODAY)
    stage_rank = {
        "Pre-start": 0,
        "Onboarding": 1,
        "Value Realization": 2,
        "Optimization": 3,
        "Expansion": 4,
    }
    tier_rank = {"Starter": 0, "Professional": 1, "Enterprise": 2}
    value = {
        "name": lambda r: r.name.casefold(),
        "owner": lambda r: r.owner.casefold() if r.owner else None,
        "status": lambda r: ("active", "pilot", "prospect", "churned").index(r.status),
        "tier": lambda r: tier_rank.get(r.tier) if r.tier else None,
        "arr": lambda r: r.arr,
        "health": lambda r: r.health_score,
        "trend": lambda r: (
            None
            if r.past_score is None or r.health_score is None
            else r.health_score - r.past_score
        ),
        "stage": lambda r: stage_rank.get(r.stage) if r.stage else None,
        "renewal": lambda r: r.renewal_date,
        "days_left": lambda r: r.days_left,
        "open_tasks": lambda r: r.open_tasks,
    }[key]
    values = [value(rows[i]) for i in ids]
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present))
    assert present == sorted(present, reverse=descending)


@pytest.mark.parametrize("key", ["owner", "status", "tier", "open_tasks"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("filtered", [False, True])
def test_grouping_sorts_break_ties_by_name_in_byte_order_then_id(
    portfolio: Portfolio, table: dict[str, int], key: str, descending: bool, filtered: bool
):
    # Two more of Zed's accounts: "ärger" sorts after "zulu" in byte order (as SQLite compares),
    # before it in most locales; two named alike tie on the name and fall to the id.
    with portfolio.write() as s:
        for name in ("Zulu", "Ärger", "Twin", "twin"):
            s.add(Account(name=name, name_key=name.casefold(), crm_id=f"X-{name}", owner="Zed",
                          tier="Starter", status="active"))  # fmt: skip
    query = TableQuery(sort_key=key, descending=descending, today=TODAY)
    if filtered:
        query = TableQuery(
            sort_key=key, descending=descending, today=TODAY, tiers=frozenset({"Starter"})
        )
    ids = ordered_ids(portfolio, query)
    rows = fetch_rows(portfolio, ids, TODAY)
    tier_rank = {"Starter": 0, "Professional": 1, "Enterprise": 2}
    value = {
        "owner": lambda r: r.owner.lower() if r.owner else None,
        "status": lambda r: ("active", "pilot", "prospect", "churned").index(r.status),
        "tier": lambda r: tier_rank.get(r.tier) if r.tier else None,
        "open_tasks": lambda r: r.open_tasks,
    }[key]
    keyed = [(value(rows[i]), rows[i].name.casefold().encode(), i) for i in ids]
    present = sorted((k for k in keyed if k[0] is not None), reverse=descending)
    missing = sorted((k for k in keyed if k[0] is None), key=lambda k: k[1:], reverse=descending)
    assert ids == [i for *_, i in present + missing]
    assert {"Zulu", "Ärger", "Twin", "twin"} <= {rows[i].name for i in ids}
    if filtered:
        assert all(rows[i].tier == "Starter" for i in ids)


@pytest.mark.parametrize("key", ["arr", "health", "renewal", "days_left", "stage"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_filtered_sort_keeps_the_order_of_the_whole_list(
    source: ReadSource, table: dict[str, int], key: str, descending: bool
):
    # Filtered, these sorts scan and sort instead of walking the column's index.
    whole = ordered_ids(source, TableQuery(sort_key=key, descending=descending, today=TODAY))
    filters = TableQuery(
        sort_key=key, descending=descending, today=TODAY, tiers=frozenset({"Starter"})
    )
    starter = {table[a["name"]] for a in ACCOUNTS if a["tier"] == "Starter"}
    assert len(starter) > 2
    assert ordered_ids(source, filters) == [i for i in whole if i in starter]


def test_name_sort_ignores_case(source: ReadSource, table: dict[str, int]):
    names = _names(source, sort_key="name")
    assert names.index("echo systems") < names.index("Foxtrot")


def test_search_matches_every_word_in_name_owner_or_crm_id(
    source: ReadSource, table: dict[str, int]
):
    assert _names(source, search="ACME") == ["Acme Retail"]
    assert _names(source, search="dana") == ["Acme Retail", "Beta 100% Foods"]
    assert _names(source, search="eli labs") == ["Cobalt Labs"]
    assert _names(source, search="g-7") == ["Golf"]
    assert _names(source, search="müller") == ["Delta Müller"]
    assert _names(source, search="  ") == [
        row["name"] for row in sorted(ACCOUNTS, key=lambda r: r["name"].casefold())
    ]


def test_search_treats_like_wildcards_literally(source: ReadSource, table: dict[str, int]):
    assert _names(source, search="100%") == ["Beta 100% Foods"]
    assert _names(source, search="%") == ["Beta 100% Foods"]
    assert _names(source, search="b_2") == ["Beta 100% Foods"]
    assert _names(source, search="_") == ["Beta 100% Foods"]


def test_search_takes_quotes_backslashes_and_question_marks_literally(
    source: ReadSource, table: dict[str, int], portfolio: Portfolio
):
    with portfolio.write() as s:
        s.add(Account(name="O'Brien \\ Co?", name_key="o'brien \\ co?", owner="Ann",
                      status="active", crm_id="Q?%1"))  # fmt: skip
    assert _names(source, search="o'b") == ["O'Brien \\ Co?"]
    assert _names(source, search="\\") == ["O'Brien \\ Co?"]
    assert _names(source, search="co?") == ["O'Brien \\ Co?"]
    assert _names(source, search="q?%") == ["O'Brien \\ Co?"]
    assert _names(source, search="?") == ["O'Brien \\ Co?"]
    assert _names(source, search="'x") == []


class _RecordingCursor:
    """A DB-API cursor that keeps what it is given and returns no rows."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[object]]] = []

    def execute(self, sql: str, params: list[object]) -> None:
        self.calls.append((sql, list(params)))

    def fetchall(self) -> list[tuple[object, ...]]:
        return []

    def fetchone(self) -> tuple[object, ...]:
        return (0,)

    def __iter__(self) -> Iterator[tuple[object, ...]]:
        return iter(())


class _PostgresSource:
    """A read source that speaks PostgreSQL's placeholder style to a recording cursor."""

    def __init__(self) -> None:
        self.cursor = _RecordingCursor()

    @contextmanager
    def sql_read(self) -> Iterator[SqlReader]:
        yield SqlReader(self.cursor, "postgresql")


@pytest.mark.parametrize("key", [key for key, _ in COLUMNS])
def test_postgresql_statements_have_one_placeholder_per_value(key: str):
    # SqlReader turns every ? into %s for psycopg: the SQL text must hold no other ? or %.
    source = _PostgresSource()
    for descending in (False, True):
        query = TableQuery(
            today=TODAY, sort_key=key, descending=descending, search="50% o'b_x \\ ?",
            bands=frozenset({"Good", NO_BAND}), stages=frozenset({"Onboarding", NO_STAGE}),
            owners=frozenset({"Ann"}), tiers=frozenset({"Starter"}), renewal_window="90",
        )  # fmt: skip
        ordered_ids(source, query)
    fetch_rows(source, [1, 2, 3], TODAY)
    load_facets(source)
    count_accounts(source)
    assert source.cursor.calls
    for sql, params in source.cursor.calls:
        assert "?" not in sql
        assert sql.count("%") == sql.count("%s") == len(params), sql


def test_band_filter_takes_the_rounded_band_and_no_score(source: ReadSource, table: dict[str, int]):
    assert _names(source, bands=frozenset({"Excellent"})) == ["Acme Retail", "echo systems"]
    assert _names(source, bands=frozenset({NO_BAND})) == ["Cobalt Labs"]
    assert _names(source, bands=frozenset({"Critical", NO_BAND})) == [
        "Cobalt Labs",
        "Delta Müller",
        "Hotel",
    ]


def test_stage_filter_matches_lifecycle_boundaries(source: ReadSource, table: dict[str, int]):
    assert _names(source, stages=frozenset({"Onboarding"})) == ["Acme Retail", "Beta 100% Foods"]
    assert _names(source, stages=frozenset({"Value Realization"})) == [
        "Cobalt Labs",
        "Delta Müller",
    ]
    assert _names(source, stages=frozenset({"Optimization"})) == ["echo systems"]
    assert _names(source, stages=frozenset({"Expansion"})) == ["Golf"]
    assert _names(source, stages=frozenset({"Pre-start"})) == ["Hotel"]
    assert _names(source, stages=frozenset({NO_STAGE})) == ["Foxtrot", "India"]


def test_owner_tier_and_renewal_window_filters_combine(source: ReadSource, table: dict[str, int]):
    assert _names(source, owners=frozenset({"Eli"})) == ["Cobalt Labs", "echo systems"]
    assert _names(source, tiers=frozenset({"Starter"}), owners=frozenset({"Ann"})) == [
        "Hotel",
        "India",
    ]
    assert _names(source, renewal_window="overdue") == ["Beta 100% Foods"]
    assert _names(source, renewal_window="30") == ["Acme Retail"]
    assert _names(source, renewal_window="60", sort_key="renewal") == [
        "Acme Retail",
        "India",
        "Foxtrot",
    ]
    assert _names(source, renewal_window="90", search="golf") == ["Golf"]
    with pytest.raises(ValueError, match="renewal window"):
        _names(source, renewal_window="soon")
    with pytest.raises(ValueError, match="sort column"):
        _names(source, sort_key="colour")


def test_facets_list_what_the_portfolio_holds(source: ReadSource, table: dict[str, int]):
    facets = load_facets(source)
    assert facets.owners == ("Ann", "Dana", "dana", "Eli", "Zed")
    assert facets.tiers == ("Starter", "Professional", "Enterprise")
    assert facets.bands[-1] == NO_BAND and facets.bands[0] == "Excellent"
    assert facets.stages[0] == "Pre-start" and facets.stages[-1] == NO_STAGE
    assert facets.total == len(ACCOUNTS) == count_accounts(source)
    assert TableQuery(today=TODAY).filtered is False
    assert TableQuery(search="x").filtered is True


FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "search": {"search": "dana"},
    "search wildcard": {"search": "100%"},
    "bands": {"bands": frozenset({"Critical", NO_BAND})},
    "stages": {"stages": frozenset({"Onboarding", NO_STAGE})},
    "owners": {"owners": frozenset({"Eli", "Zed"})},
    "tiers": {"tiers": frozenset({"Starter"})},
    "overdue": {"renewal_window": "overdue"},
    "next 90 days": {"renewal_window": "90"},
    "combined": {"search": "a", "tiers": frozenset({"Starter", "Enterprise"})},
}


@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_both_readers_give_identical_ids_and_rows_for_every_sort(
    portfolio: Portfolio, db_path: Path, table: dict[str, int], filters: dict[str, Any]
):
    if portfolio.path is None:
        pytest.skip("the start-up reader reads SQLite files only")
    early = open_early(db_path)
    assert early is not None
    try:
        for key, _ in COLUMNS:
            for descending in (False, True):
                query = TableQuery(sort_key=key, descending=descending, today=TODAY, **filters)
                ids = ordered_ids(portfolio, query)
                assert ids, query
                assert ordered_ids(early, query) == ids, query
                assert fetch_rows(early, ids, TODAY) == fetch_rows(portfolio, ids, TODAY)
    finally:
        early.close()
