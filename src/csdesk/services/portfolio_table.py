"""The portfolio table as SQL: sorted, filtered account ids, row pages and filter facets.

The portfolio view holds only the ordered ids of the accounts that pass its filters and asks
for ~200 rows at a time, so every step here is one SQL statement over the cached health
columns of ``accounts`` — fast on 100,000 accounts, no ORM object per row.

The statements are plain SQL text run through a DB-API cursor (:class:`~csdesk.db.reader.SqlReader`)
of any :class:`~csdesk.db.reader.ReadSource`: an open ``Portfolio``, or at start-up the early
reader that needs no SQLAlchemy, so the window's first page is read by these same functions
before SQLAlchemy is imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from csdesk.db.reader import ReadSource, SqlReader
from csdesk.scoring.catalog import catalog_or_default
from csdesk.scoring.lifecycle import DEFAULT_STAGE_BOUNDS, StageBounds
from csdesk.scoring.renewal import OVERDUE_STATUSES, RENEWING_STATUSES
from csdesk.services.portfolio_query import (
    BAND_VALUES,
    COLUMNS,
    NO_BAND,
    NO_STAGE,
    RENEWAL_WINDOWS,
    STAGE_VALUES,
    STATUS_VALUES,
    TREND_DAYS,
    Facets,
    PortfolioRow,
    TableQuery,
)
from csdesk.services.portfolio_sql import (
    COUNTING_DOWN,
    HAS_STORED_TREND,
    OPEN_TASK_COUNT,
    OPEN_TASKS_OF_ACCOUNTS,
    STAGED,
    STORED_TREND,
    Sql,
    in_list,
    past_score,
    search_condition,
    stage_condition,
    stage_expression,
    trend_expression,
    window_condition,
)

__all__ = [
    "COLUMNS",
    "NO_BAND",
    "NO_STAGE",
    "RENEWAL_WINDOWS",
    "TREND_DAYS",
    "Facets",
    "PortfolioRow",
    "ReadSource",
    "TableQuery",
    "count_accounts",
    "fetch_rows",
    "load_facets",
    "ordered_ids",
]


def _conditions(query: TableQuery, bounds: StageBounds) -> list[Sql]:
    conditions: list[Sql] = []
    searched = search_condition(query.search)
    if searched is not None:
        conditions.append(searched)
    if query.bands:
        named = sorted(b for b in query.bands if b != NO_BAND)
        parts = [in_list("accounts.health_band", named)] if named else []
        if NO_BAND in query.bands:
            parts.append(Sql("accounts.health_band IS NULL"))
        conditions.append(Sql.join(parts, " OR "))
    if query.stages:
        stages = (stage_condition(s, query.today, bounds) for s in sorted(query.stages))
        conditions.append(Sql.join(stages, " OR "))
    if query.owners:
        conditions.append(in_list("accounts.owner", sorted(query.owners)))
    if query.tiers:
        conditions.append(in_list("accounts.tier", sorted(query.tiers)))
    if query.statuses:
        conditions.append(in_list("accounts.status", sorted(query.statuses)))
    if query.renewal_window:
        conditions.append(window_condition(query.renewal_window, query.today))
    return conditions


def _ids(reader: SqlReader, conditions: list[Sql], order: Sql, index: str = "") -> list[int]:
    """The ids of the accounts meeting every condition, in ``order``.

    Read straight off the driver's cursor: 100,000 ids cost less than the sort itself.
    ``index`` names an index the read must walk (see :meth:`SqlReader.walking`).
    """
    where = Sql.join(conditions, " AND ")
    sql = "SELECT accounts.id FROM accounts"
    if index:
        sql += reader.walking(index)
    if conditions:
        sql += f" WHERE {where.text}"
    return reader.column(f"{sql} ORDER BY {order.text}", (*where.params, *order.params))


def _plans(reader: SqlReader) -> list[str]:
    rows = reader.rows(
        "SELECT name, list_price, included_volume FROM plans ORDER BY position, list_price"
    )
    return [plan.name for plan in catalog_or_default(rows)]


_PLAIN = frozenset({"arr", "health", "trend", "renewal", "days_left", "stage"})
"""Sort keys on a plain column: the rows with a value are ordered by the column then id (an
index on the column ends with the rowid, so SQLite walks it instead of sorting), the empty
ones follow by name."""
_GROUPING = frozenset({"owner", "status", "tier", "open_tasks"})
"""Sort keys with large groups of equal values: ties are broken by name, not id (see
:func:`_grouped`)."""


def _sort_expression(reader: SqlReader, key: str, query: TableQuery) -> tuple[Sql, bool]:
    """The SQL value a column sorts by, and whether its natural order is descending."""
    if key == "owner":
        return Sql("lower(accounts.owner)"), False
    if key == "status":
        # Customers first: active, pilot, prospect, churned.
        ranks = " ".join(f"WHEN accounts.status = ? THEN {i}" for i in range(len(STATUS_VALUES)))
        return Sql(f"CASE {ranks} ELSE {len(STATUS_VALUES)} END", STATUS_VALUES), False
    if key == "tier":
        plans = _plans(reader)
        ranks = " ".join(f"WHEN accounts.tier = ? THEN {i}" for i in range(len(plans)))
        rank = f"CASE {ranks} ELSE {len(plans)} END"
        return Sql(
            f"CASE WHEN accounts.tier IS NULL THEN NULL ELSE {rank} END", tuple(plans)
        ), False
    if key == "arr":
        return Sql("accounts.arr"), False
    if key == "health":
        return Sql("accounts.health_score"), False
    if key == "trend":
        return trend_expression(reader, query.today), False
    if key == "stage":
        # Later starts are earlier stages; churned accounts and no start date have none.
        return Sql("accounts.contract_start"), True
    if key == "renewal":
        return Sql("accounts.renewal_date"), False
    if key == "days_left":
        # Only active and pilot accounts have a countdown; the others sort with the empty ones.
        return Sql(f"CASE WHEN {COUNTING_DOWN} THEN accounts.renewal_date END"), False
    if key == "open_tasks":
        return Sql(OPEN_TASK_COUNT), False
    raise ValueError(f"unknown sort column {key!r}")


def ordered_ids(
    source: ReadSource, query: TableQuery, bounds: StageBounds = DEFAULT_STAGE_BOUNDS
) -> list[int]:
    """Return the ids of the accounts that pass the query's filters, in its sort order.

    Empty values sort last in both directions. Ties are broken by name for the columns with
    large groups (owner, tier, open tasks) and by id for the others, so sorting on a column
    with an index (name, health, renewal date) walks it instead of sorting 100,000 rows.

    Args:
        source: The open portfolio, or the early reader.
        query: Search text, filters and sort order.
        bounds: Lifecycle stage bounds.

    Returns:
        Account ids.

    Raises:
        ValueError: Unknown sort key or renewal window.
    """
    conditions = _conditions(query, bounds)

    def way(descending: bool) -> str:
        return "DESC" if descending else "ASC"

    desc = way(query.descending)
    with source.sql_read() as reader:
        if query.sort_key == "name":
            return _ids(reader, conditions, Sql(f"accounts.name_key {desc}, accounts.id {desc}"))
        expr, flipped = _sort_expression(reader, query.sort_key, query)
        value = way(query.descending != flipped)
        if query.sort_key in _PLAIN:
            # A condition with a partial index of its own (schema 0012) names it: without
            # statistics SQLite would rather read the status index for its status terms and sort
            # (see SqlReader.walking). The index holds exactly the rows with a value.
            index = ""
            if query.sort_key == "stage":
                has_value, no_value = Sql(STAGED), Sql(f"NOT ({STAGED})")
                index = "ix_accounts_stage"
            elif expr.text == STORED_TREND:
                has_value, no_value = Sql(HAS_STORED_TREND), Sql(f"NOT ({HAS_STORED_TREND})")
                index = "ix_accounts_trend"
            elif query.sort_key == "days_left":
                # The renewing accounts with a date, in renewal-date order.
                has_value, no_value = Sql(COUNTING_DOWN), Sql(f"NOT ({COUNTING_DOWN})")
                expr = Sql("accounts.renewal_date")
                index = "ix_accounts_days_left"
            else:  # IS NULL, not NOT (… IS NOT NULL): SQLite finds the empty ones in the index
                has_value = Sql(f"{expr.text} IS NOT NULL", expr.params)
                no_value = Sql(f"{expr.text} IS NULL", expr.params)
            # Filtered: scan and sort what passes; else walk the column's index.
            term = reader.scanned(expr.text) if conditions else expr.text
            present = _ids(
                reader,
                [*conditions, has_value],
                Sql(f"{term} {value}, accounts.id {value}", expr.params),
                "" if conditions else index,
            )
            missing = _ids(reader, [*conditions, no_value], Sql("accounts.name_key, accounts.id"))
            return present + missing
        if query.sort_key in _GROUPING:
            return _grouped(reader, conditions, expr, query.descending)
        order = f"{expr.text} {value} NULLS LAST, accounts.id {desc}"
        return _ids(reader, conditions, Sql(order, expr.params))


def _grouped(reader: SqlReader, conditions: list[Sql], expr: Sql, descending: bool) -> list[int]:
    """The ids in ``expr`` order (empty ones last), ties by name then id, all in one direction.

    The database reads the ids in name order (walking the name index) with each one's key,
    and they are put in buckets by key here: a stable bucketing keeps the name order within
    each group. Sorting 100,000 rows by a key with few values, ties by text, cost the server
    ~160-500 ms on PostgreSQL (each tie a collation-aware text comparison) and SQLite's sorter
    ~70 ms; the bucketing is linear. Keys compare as Python values (text in code-point order,
    which is SQLite's byte order of UTF-8), so both engines give the same order.
    """
    desc = "DESC" if descending else "ASC"
    where = Sql.join(conditions, " AND ")
    if expr.text == OPEN_TASK_COUNT:
        # One scan of the open tasks, not one correlated look-up per account.
        ids = _ids(reader, conditions, Sql(f"accounts.name_key {desc}, accounts.id {desc}"))
        counts = Counter(reader.column(OPEN_TASKS_OF_ACCOUNTS))
        keyed: list[tuple[int, Any]] = [(i, counts.get(i, 0)) for i in ids]
    else:
        sql = f"SELECT accounts.id, {expr.text} FROM accounts"
        if conditions:
            sql += f" WHERE {where.text}"
        keyed = reader.rows(
            f"{sql} ORDER BY accounts.name_key {desc}, accounts.id {desc}",
            (*expr.params, *where.params),
        )
    buckets: dict[Any, list[int]] = {}
    for account_id, key in keyed:
        buckets.setdefault(key, []).append(account_id)
    missing = buckets.pop(None, [])
    ordered = [i for key in sorted(buckets, reverse=descending) for i in buckets[key]]
    return ordered + missing


def fetch_rows(
    source: ReadSource,
    ids: Sequence[int],
    today: date | None = None,
    bounds: StageBounds = DEFAULT_STAGE_BOUNDS,
) -> dict[int, PortfolioRow]:
    """Return the table rows of ``ids`` (a page of a few hundred), keyed by id.

    Ids of accounts that no longer exist are simply absent from the result.
    """
    if not ids:
        return {}
    today = today or date.today()
    past, stage = past_score(today), stage_expression(today, bounds)
    listed = in_list("accounts.id", ids)
    # The open-task count is correlated per row (account/status index): a page costs its own
    # rows only, where a grouped join would count every open task in the portfolio first.
    sql = (
        "SELECT accounts.id, accounts.name, accounts.crm_id, accounts.owner, accounts.tier,"
        " accounts.arr, accounts.health_score, accounts.health_band,"
        f" accounts.health_override_reason, {past.text}, {stage.text}, accounts.renewal_date,"
        f" accounts.status, {OPEN_TASK_COUNT} FROM accounts WHERE {listed.text}"
    )
    rows: dict[int, PortfolioRow] = {}
    with source.sql_read() as reader:
        for (
            account_id, name, crm_id, owner, tier, arr, score, band, override, past_value,
            stage_name, renewal_value, status, tasks,
        ) in reader.execute(sql, (*past.params, *stage.params, *listed.params)):  # fmt: skip
            renewal = reader.date(renewal_value)
            # Only active and pilot accounts renew: no countdown for the others.
            renewing = status in RENEWING_STATUSES
            days_left = (renewal - today).days if renewal is not None and renewing else None
            rows[account_id] = PortfolioRow(
                id=account_id,
                name=name,
                crm_id=crm_id,
                owner=owner,
                tier=tier,
                arr=reader.money(arr),
                health_score=score,
                health_band=band,
                overridden=override is not None,
                past_score=past_value,
                stage=stage_name,
                renewal_date=renewal,
                days_left=days_left,
                renewal_overdue=(
                    days_left is not None and days_left < 0 and status in OVERDUE_STATUSES
                ),
                open_tasks=int(tasks),
                status=status,
            )
    return rows


def count_accounts(source: ReadSource) -> int:
    """Number of accounts in the portfolio."""
    with source.sql_read() as reader:
        return int(reader.scalar("SELECT count(*) FROM accounts"))


def load_facets(source: ReadSource) -> Facets:
    """Return the values each filter offers (owners and tiers as found in the portfolio)."""
    with source.sql_read() as reader:
        owners = reader.column("SELECT DISTINCT owner FROM accounts WHERE owner IS NOT NULL")
        tiers = set(reader.column("SELECT DISTINCT tier FROM accounts WHERE tier IS NOT NULL"))
        plans = _plans(reader)
        total = int(reader.scalar("SELECT count(*) FROM accounts"))
    owner_list = sorted(owners, key=lambda o: (o.casefold(), o))
    known = [p for p in plans if p in tiers]
    other = sorted(tiers - set(known), key=str.casefold)
    return Facets(
        bands=BAND_VALUES,
        stages=STAGE_VALUES,
        owners=tuple(owner_list),
        tiers=(*known, *other),
        renewal_windows=RENEWAL_WINDOWS,
        total=total,
    )
