"""The portfolio table as SQL: sorted, filtered account ids, row pages and filter facets.

The portfolio view holds only the ordered ids of the accounts that pass its filters and asks
for ~200 rows at a time, so every step here is one SQL statement over the cached health
columns of ``accounts`` — fast on 100,000 accounts, no ORM object per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.models import Account, PlanRow
from csdesk.scoring.catalog import DEFAULT_PLANS, sorted_plans
from csdesk.scoring.lifecycle import DEFAULT_STAGE_BOUNDS, StageBounds
from csdesk.scoring.renewal import OVERDUE_STATUSES
from csdesk.services.portfolio_query import (
    BAND_VALUES,
    COLUMNS,
    NO_BAND,
    NO_STAGE,
    RENEWAL_WINDOWS,
    STAGE_VALUES,
    TREND_DAYS,
    Facets,
    PortfolioRow,
    TableQuery,
)
from csdesk.services.portfolio_sql import (
    open_task_count,
    past_score,
    search_condition,
    stage_condition,
    stage_expression,
    staged,
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
    "TableQuery",
    "count_accounts",
    "fetch_rows",
    "load_facets",
    "ordered_ids",
]

_A = Account.__table__.c


def _conditions(query: TableQuery, bounds: StageBounds) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    searched = search_condition(query.search)
    if searched is not None:
        conditions.append(searched)
    if query.bands:
        named = sorted(b for b in query.bands if b != NO_BAND)
        parts: list[ColumnElement[bool]] = [_A.health_band.in_(named)] if named else []
        if NO_BAND in query.bands:
            parts.append(_A.health_band.is_(None))
        conditions.append(or_(*parts))
    if query.stages:
        conditions.append(
            or_(*(stage_condition(s, query.today, bounds) for s in sorted(query.stages)))
        )
    if query.owners:
        conditions.append(_A.owner.in_(sorted(query.owners)))
    if query.tiers:
        conditions.append(_A.tier.in_(sorted(query.tiers)))
    if query.renewal_window:
        conditions.append(window_condition(query.renewal_window, query.today))
    return conditions


def _id_list(session: Session, stmt: Any) -> list[int]:
    """Run a one-column id query; on SQLite straight through the driver.

    Building 100,000 result rows through SQLAlchemy costs more than the sort itself, so
    on SQLite the statement is rendered with its (already escaped) literal values and read
    from the DB-API cursor directly.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return list(conn.execute(stmt).scalars())
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        return [value for (value,) in cursor.execute(sql)]
    finally:
        cursor.close()


def _plans(session: Session) -> list[str]:
    rows = session.execute(
        select(PlanRow.name).order_by(PlanRow.position, PlanRow.list_price)
    ).scalars()
    names = list(rows)
    return names or [plan.name for plan in sorted_plans(DEFAULT_PLANS)]


_PLAIN = frozenset({"arr", "health", "renewal", "days_left", "stage"})
"""Sort keys on a plain column: the rows with a value are ordered by the column then id (an
index on the column ends with the rowid, so SQLite walks it instead of sorting), the empty
ones follow by name."""
_GROUPING = frozenset({"owner", "tier", "open_tasks"})
"""Sort keys with large groups of equal values: ties are broken by name, not id."""


def _sort_expression(session: Session, key: str, query: TableQuery) -> tuple[Any, bool]:
    """The SQL value a column sorts by, and whether its natural order is descending."""
    if key == "owner":
        return func.lower(_A.owner), False
    if key == "tier":
        plans = _plans(session)
        rank = case(
            *((_A.tier == name, index) for index, name in enumerate(plans)),
            else_=literal(len(plans)),
        )
        return case((_A.tier.is_(None), None), else_=rank), False
    if key == "arr":
        return _A.arr, False
    if key == "health":
        return _A.health_score, False
    if key == "trend":
        return _A.health_score - past_score(query.today), False
    if key == "stage":
        # Later starts are earlier stages; churned accounts and no start date have none.
        return _A.contract_start, True
    if key in ("renewal", "days_left"):
        return _A.renewal_date, False
    if key == "open_tasks":
        return open_task_count(), False
    raise ValueError(f"unknown sort column {key!r}")


def ordered_ids(
    portfolio: Portfolio, query: TableQuery, bounds: StageBounds = DEFAULT_STAGE_BOUNDS
) -> list[int]:
    """Return the ids of the accounts that pass the query's filters, in its sort order.

    Empty values sort last in both directions. Ties are broken by name for the columns with
    large groups (owner, tier, open tasks) and by id for the others, so sorting on a column
    with an index (name, health, renewal date) walks it instead of sorting 100,000 rows.

    Args:
        portfolio: The open portfolio.
        query: Search text, filters and sort order.
        bounds: Lifecycle stage bounds.

    Returns:
        Account ids.

    Raises:
        ValueError: Unknown sort key or renewal window.
    """
    conditions = _conditions(query, bounds)
    desc = query.descending

    def direction(expr: Any, descending: bool) -> Any:
        return expr.desc() if descending else expr.asc()

    with portfolio.read() as session:
        base = select(_A.id).where(*conditions)
        if query.sort_key == "name":
            stmt = base.order_by(direction(_A.name_key, desc), direction(_A.id, desc))
            return _id_list(session, stmt)
        expr, flipped = _sort_expression(session, query.sort_key, query)
        value_desc = desc != flipped
        if query.sort_key in _PLAIN:
            has_value = staged() if query.sort_key == "stage" else expr.is_not(None)
            present = base.where(has_value).order_by(
                direction(expr, value_desc), direction(_A.id, value_desc)
            )
            missing = base.where(~has_value).order_by(_A.name_key, _A.id)
            return _id_list(session, present) + _id_list(session, missing)
        tie = _A.name_key if query.sort_key in _GROUPING else _A.id
        stmt = base.order_by(
            direction(expr, value_desc).nulls_last(), direction(tie, desc), direction(_A.id, desc)
        )
        return _id_list(session, stmt)


def fetch_rows(
    portfolio: Portfolio,
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
    stmt = select(
        _A.id,
        _A.name,
        _A.crm_id,
        _A.owner,
        _A.tier,
        _A.arr,
        _A.health_score,
        _A.health_band,
        _A.health_override_reason,
        past_score(today),
        stage_expression(today, bounds),
        _A.renewal_date,
        _A.status,
        # Correlated per row (account/status index): a page costs its own rows only,
        # where a grouped join would count every open task in the portfolio first.
        open_task_count(),
    ).where(_A.id.in_(list(ids)))
    rows: dict[int, PortfolioRow] = {}
    with portfolio.read() as session:
        for (
            account_id, name, crm_id, owner, tier, arr, score, band, override, past,
            stage, renewal, status, tasks,
        ) in session.execute(stmt):  # fmt: skip
            days_left = (renewal - today).days if renewal is not None else None
            rows[account_id] = PortfolioRow(
                id=account_id,
                name=name,
                crm_id=crm_id,
                owner=owner,
                tier=tier,
                arr=arr,
                health_score=score,
                health_band=band,
                overridden=override is not None,
                past_score=past,
                stage=stage,
                renewal_date=renewal,
                days_left=days_left,
                renewal_overdue=(
                    days_left is not None and days_left < 0 and status in OVERDUE_STATUSES
                ),
                open_tasks=int(tasks),
                status=status,
            )
    return rows


def count_accounts(portfolio: Portfolio) -> int:
    """Number of accounts in the portfolio."""
    with portfolio.read() as session:
        return int(session.execute(select(func.count()).select_from(_A.id.table)).scalar_one())


def load_facets(portfolio: Portfolio) -> Facets:
    """Return the values each filter offers (owners and tiers as found in the portfolio)."""
    with portfolio.read() as session:
        owners = session.execute(select(_A.owner).where(_A.owner.is_not(None)).distinct()).scalars()
        tiers = set(
            session.execute(select(_A.tier).where(_A.tier.is_not(None)).distinct()).scalars()
        )
        plans = _plans(session)
        total = int(session.execute(select(func.count()).select_from(Account)).scalar_one())
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
