"""The trend's stored baseline: the days it holds for, the same order as the look-up it
replaces, cleared by merges, and the index walks SQLite takes for the trend, days-left and stage
sorts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from csdesk.db import Portfolio
from csdesk.db.reader import SqlReader
from csdesk.models import Account, HealthSnapshot, Setting
from csdesk.services.edits.health import override_health, withdraw_override
from csdesk.services.merge import merge_accounts, undo_merge
from csdesk.services.portfolio_query import TREND_DAY_SETTING
from csdesk.services.portfolio_table import TableQuery, fetch_rows, ordered_ids
from csdesk.services.recompute import recompute_accounts
from csdesk.services.trend_base import keep_trend_bases, trend_days

TODAY = dt.date(2026, 6, 15)

# name: (current score, [(days ago, score), …], tier)
HISTORY: dict[str, tuple[float | None, list[tuple[int, float]], str]] = {
    "Acme": (80.0, [(45, 60.0), (31, 70.0), (10, 79.0)], "Starter"),  # base 70: +10
    "Beta": (50.0, [(30, 65.0)], "Starter"),  # base 65 (exactly 30 days): -15
    "Cobalt": (70.0, [(29, 40.0)], "Enterprise"),  # too recent: no trend
    "Delta": (None, [(60, 55.0)], "Starter"),  # no current score: no trend
    "Echo": (90.0, [(40, 80.0)], "Enterprise"),  # +10, ties with Acme
    "Foxtrot": (40.0, [], "Starter"),  # no history: no trend
    "Golf": (65.0, [(90, 75.0), (35, 60.0)], "Starter"),  # base 60: +5
}


def _build(portfolio: Portfolio, today: dt.date = TODAY) -> dict[str, int]:
    ids: dict[str, int] = {}
    with portfolio.write() as s:
        for name, (score, points, tier) in HISTORY.items():
            account = Account(
                name=name, name_key=name.casefold(), status="active", tier=tier,
                health_score=score, health_computed_score=score,
            )  # fmt: skip
            s.add(account)
            s.flush()
            ids[name] = account.id
            for days_ago, past in points:
                s.add(
                    HealthSnapshot(
                        account_id=account.id, as_of=today - dt.timedelta(days=days_ago),
                        score=past, model_name="subscription", model_version=1,
                    )
                )  # fmt: skip
    return ids


def _forget_day(portfolio: Portfolio) -> None:
    with portfolio.write() as s:
        s.execute(delete(Setting).where(Setting.key == TREND_DAY_SETTING))


def _bases(portfolio: Portfolio) -> dict[int, float | None]:
    with portfolio.read() as s:
        return {i: base for i, base in s.execute(select(Account.id, Account.trend_base))}


def _orders(portfolio: Portfolio, today: dt.date = TODAY) -> list[list[int]]:
    """The trend order both ways, unfiltered and filtered to Starter accounts."""
    return [
        ordered_ids(portfolio, TableQuery(sort_key="trend", descending=d, today=today, tiers=t))
        for d in (False, True)
        for t in (frozenset(), frozenset({"Starter"}))
    ]


def test_stored_baselines_order_the_trend_as_the_look_up_does(portfolio: Portfolio):
    ids = _build(portfolio)
    looked_up = _orders(portfolio)
    with portfolio.write() as s:
        assert keep_trend_bases(s, TODAY) == 5  # all but Cobalt and Foxtrot have a baseline
        # Cobalt's snapshot of 29 days ago is the earliest newer than the cutoff: it becomes
        # old enough tomorrow, so the baselines hold for today only.
        assert trend_days(s) == (TODAY, TODAY + dt.timedelta(days=1))
    bases = _bases(portfolio)
    assert {name: bases[i] for name, i in ids.items()} == {
        "Acme": 70.0, "Beta": 65.0, "Cobalt": None, "Delta": 55.0, "Echo": 80.0,
        "Foxtrot": None, "Golf": 60.0,
    }  # fmt: skip
    assert _orders(portfolio) == looked_up
    # Descending: the largest rise first, ties by id; accounts without a trend by name.
    assert looked_up[2] == [ids[n] for n in ("Echo", "Acme", "Golf", "Beta")] + [
        ids[n] for n in ("Cobalt", "Delta", "Foxtrot")
    ]
    rows = fetch_rows(portfolio, looked_up[0], TODAY)
    assert [rows[i].past_score for i in looked_up[0][:4]] == [65.0, 60.0, 70.0, 80.0]


def test_baselines_hold_until_a_newer_snapshot_is_old_enough(portfolio: Portfolio):
    ids = _build(portfolio)
    with portfolio.write() as s:
        s.execute(delete(HealthSnapshot).where(HealthSnapshot.account_id == ids["Cobalt"]))
        s.execute(delete(HealthSnapshot).where(HealthSnapshot.account_id == ids["Acme"]))
        keep_trend_bases(s, TODAY)
        # Nothing newer than the cutoff: every later snapshot is dated today or after.
        assert trend_days(s) == (TODAY, TODAY + dt.timedelta(days=30))
        # Within the range a recompute's day changes nothing.
        assert keep_trend_bases(s, TODAY + dt.timedelta(days=10)) == 0
        assert trend_days(s) == (TODAY, TODAY + dt.timedelta(days=30))
    for later in (TODAY + dt.timedelta(days=d) for d in (0, 10, 29, 30, 45)):
        stored = _orders(portfolio, later)
        with portfolio.read() as s:
            held = trend_days(s)
        _forget_day(portfolio)
        assert stored == _orders(portfolio, later), later
        with portfolio.write() as s:
            s.add(Setting(key=TREND_DAY_SETTING, value=f"{held[0]}/{held[1]}"))


def test_a_second_refresh_on_the_same_day_writes_nothing(portfolio: Portfolio):
    _build(portfolio)
    with portfolio.write() as s:
        keep_trend_bases(s, TODAY)
    with portfolio.write() as s:
        assert keep_trend_bases(s, TODAY) == 0


def test_another_day_reads_the_history_until_the_recompute_refreshes(portfolio: Portfolio):
    ids = _build(portfolio)
    with portfolio.write() as s:
        keep_trend_bases(s, TODAY)
    # Five days on, Cobalt's snapshot (29 days before TODAY) is old enough, Beta's baseline
    # is still 65; the stored values (for TODAY) must not be used.
    later = TODAY + dt.timedelta(days=5)
    stale = _orders(portfolio, later)
    assert ids["Cobalt"] in stale[0][:5]
    with portfolio.write() as s:
        recompute_accounts(s, today=later)
        assert trend_days(s) is not None and trend_days(s)[0] == later
    assert _bases(portfolio)[ids["Cobalt"]] == 40.0
    # The recompute rescored the accounts (no metrics: no score), so compare with a look-up.
    refreshed = _orders(portfolio, later)
    _forget_day(portfolio)
    assert refreshed == _orders(portfolio, later)


def test_a_recompute_for_an_earlier_day_works_the_baselines_out_for_it(portfolio: Portfolio):
    _build(portfolio)
    earlier = TODAY - dt.timedelta(days=20)
    with portfolio.write() as s:
        keep_trend_bases(s, TODAY)
        recompute_accounts(s, today=earlier)
        assert trend_days(s) is not None and trend_days(s)[0] == earlier
    for day in (earlier, TODAY):
        stored = _orders(portfolio, day)
        with portfolio.read() as s:
            held = trend_days(s)
        _forget_day(portfolio)
        assert stored == _orders(portfolio, day)
        with portfolio.write() as s:
            s.add(Setting(key=TREND_DAY_SETTING, value=f"{held[0]}/{held[1]}"))


def test_a_new_portfolio_gets_empty_baselines_and_its_range(portfolio: Portfolio):
    with portfolio.write() as s:
        s.add(Account(name="New", name_key="new", status="active", health_score=50.0))
    with portfolio.write() as s:
        assert keep_trend_bases(s, TODAY) == 0
        assert trend_days(s) == (TODAY, TODAY + dt.timedelta(days=30))
    assert set(_bases(portfolio).values()) == {None}


def test_a_merge_sets_the_baselines_aside_and_its_undo_brings_them_back(portfolio: Portfolio):
    today = dt.date.today()
    ids = _build(portfolio, today)
    with portfolio.write() as s:
        keep_trend_bases(s, today)
        held = trend_days(s)
    before = _orders(portfolio, today)
    # Foxtrot has no history; Golf's snapshots move to it, and with them its baseline.
    result = merge_accounts(portfolio, ids["Foxtrot"], ids["Golf"])
    with portfolio.read() as s:
        assert trend_days(s) is None
    merged = _orders(portfolio, today)
    undo_merge(portfolio, result.snapshot)
    with portfolio.read() as s:
        assert trend_days(s) == held
    assert _orders(portfolio, today) == before
    # A recompute after the merge stores its own range; the undo then sets it aside.
    result = merge_accounts(portfolio, ids["Foxtrot"], ids["Golf"])
    with portfolio.write() as s:
        keep_trend_bases(s, today)
    assert _bases(portfolio)[ids["Foxtrot"]] == 60.0
    assert _orders(portfolio, today) == merged
    undo_merge(portfolio, result.snapshot)  # a baseline worked out since does not stop it
    with portfolio.read() as s:
        assert trend_days(s) is None
    assert _orders(portfolio, today) == before
    assert _bases(portfolio)[ids["Golf"]] == 60.0


def test_a_merge_undone_after_another_merge_leaves_the_baselines_aside(portfolio: Portfolio):
    today = dt.date.today()
    ids = _build(portfolio, today)
    with portfolio.write() as s:
        keep_trend_bases(s, today)
    first = merge_accounts(portfolio, ids["Foxtrot"], ids["Golf"])
    merge_accounts(portfolio, ids["Cobalt"], ids["Echo"])  # Echo's history moves to Cobalt
    undo_merge(portfolio, first.snapshot)
    with portfolio.read() as s:
        assert trend_days(s) is None  # the range of before the first merge no longer holds
    looked_up = _orders(portfolio, today)
    with portfolio.write() as s:
        keep_trend_bases(s, today)
    assert _orders(portfolio, today) == looked_up
    assert _bases(portfolio)[ids["Cobalt"]] == 80.0


def test_an_override_dated_before_the_range_sets_the_baselines_aside(portfolio: Portfolio):
    ids = _build(portfolio)
    with portfolio.write() as s:
        s.execute(delete(HealthSnapshot).where(HealthSnapshot.account_id == ids["Cobalt"]))
        keep_trend_bases(s, TODAY)
        held = trend_days(s)
    assert held == (TODAY, TODAY + dt.timedelta(days=20))  # Acme's snapshot of 10 days ago
    # Dated within the range: nothing to set aside (it becomes old enough after the range).
    override_health(portfolio, ids["Beta"], 55.0, "call went well", today=TODAY)
    with portfolio.read() as s:
        assert trend_days(s) == held
    # A client whose date is behind writes one dated before the range: on the range's last
    # day its cutoff takes that snapshot in, so the stored baseline would be wrong.
    behind = TODAY - dt.timedelta(days=1)
    result = override_health(portfolio, ids["Foxtrot"], 30.0, "escalation", today=behind)
    with portfolio.read() as s:
        assert trend_days(s) is None
    last = TODAY + dt.timedelta(days=29)
    stale = _orders(portfolio, last)
    with portfolio.write() as s:
        keep_trend_bases(s, last)
    assert _bases(portfolio)[ids["Foxtrot"]] == 30.0
    assert _orders(portfolio, last) == stale
    # Withdrawing it removes a snapshot older than the new range's start: set aside again.
    withdraw_override(portfolio, ids["Foxtrot"], result.new_id, result.old)
    with portfolio.read() as s:
        assert trend_days(s) is None


def _plans(path: Path, query: TableQuery) -> list[str]:
    """SQLite's plan of every id query the table service runs for ``query``."""
    conn = sqlite3.connect(path)
    statements: list[str] = []

    class Traced:
        @contextmanager
        def sql_read(self) -> Iterator[SqlReader]:
            yield SqlReader(conn.cursor(), "sqlite")

    conn.set_trace_callback(statements.append)
    try:
        ordered_ids(Traced(), query)
        conn.set_trace_callback(None)
        return [
            " ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements
            if sql.lstrip().upper().startswith("SELECT ACCOUNTS.ID")
        ]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("key", "index"),
    [
        ("trend", "ix_accounts_trend"),
        ("days_left", "ix_accounts_days_left"),
        ("stage", "ix_accounts_stage"),
    ],
)
@pytest.mark.parametrize("descending", [False, True])
def test_the_unfiltered_sorts_walk_their_index(
    db_path: Path, key: str, index: str, descending: bool
) -> None:
    from csdesk.db import open_portfolio

    portfolio = open_portfolio(db_path)
    try:
        _build(portfolio)
        with portfolio.write() as s:
            for account in s.scalars(select(Account)):
                account.contract_start = TODAY - dt.timedelta(days=account.id * 20)
                account.renewal_date = TODAY + dt.timedelta(days=account.id * 7)
            keep_trend_bases(s, TODAY)
    finally:
        portfolio.close()
    plans = _plans(db_path, TableQuery(sort_key=key, descending=descending, today=TODAY))
    # The accounts with a value walk the index, in order: no sorter over 100,000 rows.
    assert len(plans) == 2, plans
    assert f"USING INDEX {index}" in plans[0] and "TEMP B-TREE" not in plans[0], plans
