"""SQL pieces of the portfolio table: lifecycle stage as date ranges, trend, tasks, search."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from csdesk.models import Account, HealthSnapshot, Task
from csdesk.scoring.lifecycle import DEFAULT_STAGE_BOUNDS, Stage, StageBounds
from csdesk.scoring.renewal import OVERDUE_STATUSES
from csdesk.services.portfolio_query import NO_STAGE, TREND_DAYS

__all__ = [
    "NO_STAGE",
    "TREND_DAYS",
    "open_task_count",
    "open_task_counts",
    "past_score",
    "search_condition",
    "stage_condition",
    "stage_expression",
    "stage_starts",
    "staged",
    "window_condition",
]


_A = Account.__table__.c


def stage_starts(today: date, bounds: StageBounds) -> dict[Stage, tuple[date | None, date | None]]:
    """Contract-start date range ``(earliest, latest)`` of each stage on ``today``.

    Day n of a contract started on S is ``today - S + 1``, so "day ≤ k" is "S ≥ today − (k − 1)".
    """
    onb = today - timedelta(days=bounds.onboarding_until - 1)
    val = today - timedelta(days=bounds.value_realization_until - 1)
    opt = today - timedelta(days=bounds.optimization_until - 1)
    day = timedelta(days=1)
    return {
        Stage.PRE_START: (today + day, None),
        Stage.ONBOARDING: (onb, today),
        Stage.VALUE_REALIZATION: (val, onb - day),
        Stage.OPTIMIZATION: (opt, val - day),
        Stage.EXPANSION: (None, opt - day),
    }


def staged() -> ColumnElement[bool]:
    return and_(_A.contract_start.is_not(None), _A.status != "churned")


def stage_condition(stage: str, today: date, bounds: StageBounds) -> ColumnElement[bool]:
    if stage == NO_STAGE:
        return or_(_A.contract_start.is_(None), _A.status == "churned")
    earliest, latest = stage_starts(today, bounds)[Stage(stage)]
    parts: list[ColumnElement[bool]] = [staged()]
    if earliest is not None:
        parts.append(_A.contract_start >= earliest)
    if latest is not None:
        parts.append(_A.contract_start <= latest)
    return and_(*parts)


def stage_expression(today: date, bounds: StageBounds = DEFAULT_STAGE_BOUNDS) -> ColumnElement[Any]:
    """SQL for the lifecycle stage name of each account (NULL when it has none)."""
    whens: list[tuple[ColumnElement[bool], Any]] = [(~staged(), None)]
    for stage, (earliest, _latest) in stage_starts(today, bounds).items():
        if earliest is not None:
            whens.append((_A.contract_start >= earliest, stage.value))
    return case(*whens, else_=Stage.EXPANSION.value)


def past_score(today: date) -> Any:
    """Correlated subquery: the newest snapshot score at or before ``today − TREND_DAYS``."""
    hs = HealthSnapshot.__table__.c
    return (
        select(hs.score)
        .where(hs.account_id == _A.id, hs.as_of <= today - timedelta(days=TREND_DAYS))
        # as_of alone: a descending walk of the (account_id, as_of) index already puts the
        # newest row of a day first, and adding id would stop SQLite using a covering index.
        .order_by(hs.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )


NOT_DONE_STATUSES = ("open", "snoozed")
"""Task states counted as open tasks (as in the account 360 and the dashboard)."""


def open_task_count() -> Any:
    """Correlated subquery: the account's tasks not done yet, open or snoozed (uses the
    account/status index)."""
    tc = Task.__table__.c
    return (
        select(func.count())
        .where(tc.account_id == _A.id, tc.status.in_(NOT_DONE_STATUSES))
        .scalar_subquery()
    )


def open_task_counts() -> Any:
    tc = Task.__table__.c
    return (
        select(tc.account_id, func.count().label("n"))
        .where(tc.status.in_(NOT_DONE_STATUSES))
        .group_by(tc.account_id)
        .subquery("open_tasks")
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(search: str) -> ColumnElement[bool] | None:
    words = search.casefold().split()
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = _like(word)
        conditions.append(
            or_(
                _A.name_key.like(pattern, escape="\\"),
                func.lower(_A.owner).like(pattern, escape="\\"),
                func.lower(_A.crm_id).like(pattern, escape="\\"),
            )
        )
    return and_(*conditions)


def window_condition(window: str, today: date) -> ColumnElement[bool]:
    if window == "overdue":
        return and_(_A.renewal_date < today, _A.status.in_(sorted(OVERDUE_STATUSES)))
    try:
        days = int(window)
    except ValueError:
        raise ValueError(f"unknown renewal window {window!r}") from None
    return and_(_A.renewal_date >= today, _A.renewal_date <= today + timedelta(days=days))
