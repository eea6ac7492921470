"""An account's success plan as read: goals with baseline and current values from the history.

How a linked goal's numbers are read (SPEC 1):

- **baseline**: the value the CSM entered, if any; otherwise the metric's value at or just before
  the goal's ``start_on`` day (the day the goal was added, or the plan's start the CSM gave it).
  When the metric was first measured after that day, its first value stands in (the earliest
  known state of the account) as long as it is not later than ``today``.
- **current**: the metric's newest value at or before ``today``.

Both carry the day they were read from (``baseline_on``, ``current_on``) so an export can say
where each number comes from. Values are exact decimals as written (``Decimal(str(float))``,
``12`` rather than ``12.0000``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.models import AccountNarrative, MetricSnapshot, SuccessGoal
from csdesk.scoring.success_plan import Goal, Narrative, SuccessPlan

__all__ = [
    "NARRATIVE_FIELDS",
    "account_metric_keys",
    "load_narrative",
    "load_success_plan",
    "plain",
]

NARRATIVE_FIELDS: dict[str, str] = {
    "executive_summary": "executive summary",
    "wins": "wins this term",
    "next_term_goals": "goals for the next term",
}
"""The narrative's texts, with the label used in messages and the timeline."""

_Series = list[tuple[dt.date, float]]


def plain(value: Decimal | float | None) -> Decimal | None:
    """A stored number as written: ``12`` not ``12.0000``, ``0.835`` not ``0.8350``."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _at_or_before(series: _Series, day: dt.date) -> tuple[dt.date, float] | None:
    """The newest point of an ascending series on or before ``day``."""
    found = None
    for point in series:
        if point[0] > day:
            break
        found = point
    return found


def _baseline(series: _Series, start: dt.date, today: dt.date) -> tuple[dt.date, float] | None:
    point = _at_or_before(series, min(start, today))
    if point is None and series and series[0][0] <= today:
        point = series[0]
    return point


def _goal(row: SuccessGoal, series: _Series, today: dt.date) -> Goal:
    baseline, baseline_on = plain(row.baseline), None
    current = current_on = None
    if row.metric is not None:
        if baseline is None:
            point = _baseline(series, row.start_on, today)
            if point is not None:
                baseline_on, baseline = point[0], plain(point[1])
        now = _at_or_before(series, today)
        if now is not None:
            current_on, current = now[0], plain(now[1])
    return Goal(
        id=row.id,
        title=row.title,
        owner=row.owner,
        metric_key=row.metric,
        baseline=baseline,
        current=current,
        target=plain(row.target),
        due=row.due_on,
        status=row.status,
        text=row.text,
        internal=bool(row.internal),
        baseline_on=baseline_on,
        current_on=current_on,
        start_on=row.start_on,
    )


def load_narrative(session: Session, account_id: int) -> Narrative:
    """The account's three texts; empty ones where the CSM wrote nothing."""
    row = session.get(AccountNarrative, account_id)
    if row is None:
        return Narrative()
    return Narrative(
        row.executive_summary or "",
        row.wins or "",
        row.next_term_goals or "",
        row.next_meeting_on,
        row.next_meeting_note or "",
    )


def load_success_plan(session: Session, account_id: int, today: dt.date) -> SuccessPlan:
    """The account's goals in the CSM's order, with values from the metric history, and narrative.

    Args:
        session: An open session (only read from).
        account_id: The account.
        today: The day ``current`` is read at (a plan shows no value from after it).

    Returns:
        The plan; an account without goals or texts gets an empty one.
    """
    rows = list(
        session.scalars(
            select(SuccessGoal)
            .where(SuccessGoal.account_id == account_id)
            .order_by(SuccessGoal.position, SuccessGoal.id)
        )
    )
    keys = {row.metric for row in rows if row.metric is not None}
    history: dict[str, _Series] = defaultdict(list)
    if keys:
        points = session.execute(
            select(MetricSnapshot.metric, MetricSnapshot.as_of, MetricSnapshot.value)
            .where(MetricSnapshot.account_id == account_id, MetricSnapshot.metric.in_(keys))
            .order_by(MetricSnapshot.metric, MetricSnapshot.as_of)
        )
        for metric, as_of, value in points:
            history[metric].append((as_of, value))
    goals = tuple(_goal(row, history.get(row.metric or "", []), today) for row in rows)
    return SuccessPlan(goals=goals, narrative=load_narrative(session, account_id))


def account_metric_keys(session: Session, account_id: int) -> tuple[str, ...]:
    """The metric keys the account has history for, sorted (what a goal can link to)."""
    return tuple(
        session.scalars(
            select(MetricSnapshot.metric)
            .where(MetricSnapshot.account_id == account_id)
            .group_by(MetricSnapshot.metric)
            .order_by(MetricSnapshot.metric)
        )
    )
