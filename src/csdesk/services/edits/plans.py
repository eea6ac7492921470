"""Success-plan edits: goals (add, change, remove, reorder), the narrative texts and the next
meeting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import AccountNarrative, SuccessGoal
from csdesk.scoring.success_plan import GOAL_STATUSES
from csdesk.services.changes import Changes
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    account_changes,
    check_unchanged,
    get_account,
    log_activity,
)
from csdesk.services.success_plans import NARRATIVE_FIELDS

__all__ = [
    "GoalFields",
    "RemovedGoal",
    "add_goal",
    "move_goal",
    "remove_goal",
    "set_narrative",
    "update_goal",
]

_LIMIT = Decimal("1e14")
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class GoalFields:
    """What the CSM sets on a goal (the stored part; values from the history are read later).

    ``start_on`` None means "today" when the goal is added and "unchanged" on update.
    """

    title: str
    owner: str | None = None
    metric_key: str | None = None
    text: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    due: dt.date | None = None
    status: str = "planned"
    internal: bool = False
    start_on: dt.date | None = None


@dataclass(frozen=True)
class RemovedGoal:
    """A removed goal, as undoing the removal needs it."""

    account_id: int
    position: int
    fields: GoalFields


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _number(value: object, what: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{what}: {value!r} is not a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValidationError(f"{what}: {value!r} is not a number a goal can hold")
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.quantize(_PLACES, rounding=ROUND_HALF_UP).normalize()


def _checked(fields: GoalFields) -> GoalFields:
    title = _text(fields.title)
    if title is None:
        raise ValidationError("a goal needs a title")
    status = (fields.status or "").strip().casefold()
    if status not in GOAL_STATUSES:
        raise ValidationError(
            f"unknown goal status {fields.status!r} (known: {', '.join(GOAL_STATUSES)})"
        )
    metric = _text(fields.metric_key)
    if metric is not None and len(metric) > 80:
        raise ValidationError(f"metric key {metric[:20]!r}… is longer than 80 characters")
    owner = _text(fields.owner)
    return GoalFields(
        title=title[:300],
        owner=owner[:120] if owner else None,
        metric_key=metric,
        text=_text(fields.text),
        baseline=_number(fields.baseline, f"goal {title!r} baseline"),
        target=_number(fields.target, f"goal {title!r} target"),
        due=fields.due,
        status=status,
        internal=bool(fields.internal),
        start_on=fields.start_on,
    )


def _fields(goal: SuccessGoal) -> GoalFields:
    return GoalFields(
        title=goal.title,
        owner=goal.owner,
        metric_key=goal.metric,
        text=goal.text,
        baseline=goal.baseline,
        target=goal.target,
        due=goal.due_on,
        status=goal.status,
        internal=bool(goal.internal),
        start_on=goal.start_on,
    )


def _write(goal: SuccessGoal, fields: GoalFields) -> None:
    goal.title, goal.owner, goal.metric, goal.text = (
        fields.title,
        fields.owner,
        fields.metric_key,
        fields.text,
    )
    goal.baseline, goal.target, goal.due_on = fields.baseline, fields.target, fields.due
    goal.status, goal.internal = fields.status, fields.internal
    if fields.start_on is not None:
        goal.start_on = fields.start_on


def _goal(session: Session, goal_id: int) -> SuccessGoal:
    goal = session.get(SuccessGoal, goal_id)
    if goal is None:
        raise NotFoundError(f"goal {goal_id} no longer exists")
    return goal


def _count(session: Session, account_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(SuccessGoal)
            .where(SuccessGoal.account_id == account_id)
        )
        or 0
    )


def _shift(session: Session, account_id: int, start: int, stop: int | None, by: int) -> None:
    """Move the goals at positions ``start`` … ``stop`` (inclusive; None = the end) by ``by``."""
    rule = (SuccessGoal.account_id == account_id) & (SuccessGoal.position >= start)
    if stop is not None:
        rule &= SuccessGoal.position <= stop
    session.execute(
        update(SuccessGoal).where(rule).values(position=SuccessGoal.position + by),
        execution_options={"synchronize_session": "fetch"},
    )


def add_goal(
    portfolio: Portfolio,
    account_id: int,
    fields: GoalFields,
    *,
    position: int | None = None,
    today: dt.date | None = None,
) -> EditResult[None]:
    """Add a goal at the end (or at ``position``); ``new_id`` is its id.

    Raises:
        ValidationError: No title, an unknown status, a baseline or target that is no number.
        NotFoundError: The account does not exist.
    """
    checked = _checked(fields)
    start = checked.start_on or today or dt.date.today()
    with portfolio.write() as session:
        get_account(session, account_id)
        count = _count(session, account_id)
        at = count if position is None else max(0, min(position, count))
        _shift(session, account_id, at, None, 1)
        goal = SuccessGoal(account_id=account_id, position=at, start_on=start)
        _write(goal, checked)
        session.add(goal)
        session.flush()
        log_activity(session, account_id, "edit", f"Goal added: {checked.title}")
        return EditResult(account_changes(account_id, plan=True), old=None, new_id=goal.id)


def _described(old: GoalFields, new: GoalFields) -> str:
    parts = []
    for field in dataclasses.fields(GoalFields):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if field.name == "start_on" and after is None:
            continue
        if before != after:
            label = field.name.replace("_", " ").replace("metric key", "metric")
            if field.name in ("text", "title"):
                parts.append(f"{label} edited")
            else:
                parts.append(f"{label} {_shown(before)} → {_shown(after)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def update_goal(
    portfolio: Portfolio, goal_id: int, fields: GoalFields, *, expect: Any = ANY
) -> EditResult[GoalFields]:
    """Change a goal; ``old`` is its :class:`GoalFields` before (what an undo passes back).

    Raises:
        StaleEditError: ``expect`` is given and the goal no longer holds it.
    """
    checked = _checked(fields)
    with portfolio.write() as session:
        goal = _goal(session, goal_id)
        old = _fields(goal)
        check_unchanged(old, expect, f"goal {old.title!r}")
        target = dataclasses.replace(checked, start_on=checked.start_on or old.start_on)
        if old == target:
            return EditResult(Changes(), old=old, changed=False)
        _write(goal, target)
        log_activity(
            session, goal.account_id, "edit", f"Goal {old.title}: {_described(old, target)}"
        )
        return EditResult(account_changes(goal.account_id, plan=True), old=old, new=target)


def remove_goal(portfolio: Portfolio, goal_id: int) -> EditResult[RemovedGoal]:
    """Remove a goal; ``old`` is a :class:`RemovedGoal` (``add_goal`` with it puts it back)."""
    with portfolio.write() as session:
        goal = _goal(session, goal_id)
        old = RemovedGoal(goal.account_id, goal.position, _fields(goal))
        session.delete(goal)
        session.flush()
        _shift(session, old.account_id, old.position + 1, None, -1)
        log_activity(session, old.account_id, "edit", f"Goal removed: {old.fields.title}")
        return EditResult(account_changes(old.account_id, plan=True), old=old)


def move_goal(
    portfolio: Portfolio, goal_id: int, position: int, *, expect: Any = ANY
) -> EditResult[int]:
    """Move a goal to ``position`` (0 = first) in its plan; ``old`` is its position before.

    Raises:
        StaleEditError: ``expect`` is given and the goal is no longer at that place.
    """
    with portfolio.write() as session:
        goal = _goal(session, goal_id)
        old, account_id = goal.position, goal.account_id
        check_unchanged(old, expect, f"the place of goal {goal.title!r}")
        new = max(0, min(position, _count(session, account_id) - 1))
        if new == old:
            return EditResult(Changes(), old=old, changed=False)
        goal.position = -1
        session.flush()
        if new < old:
            _shift(session, account_id, new, old - 1, 1)
        else:
            _shift(session, account_id, old + 1, new, -1)
        goal.position = new
        log_activity(session, account_id, "edit", f"Goal moved: {goal.title} to place {new + 1}")
        return EditResult(account_changes(account_id, plan=True), old=old, new=new)


def set_next_meeting(
    portfolio: Portfolio,
    account_id: int,
    day: dt.date | None,
    note: str = "",
    *,
    expect: Any = ANY,
) -> EditResult[tuple[dt.date | None, str]]:
    """Book (or clear, with ``day`` None) the next meeting with the client, with what it is for.

    Returns:
        ``old`` is ``(day, note)`` before (``(None, "")`` when none was booked).

    Raises:
        ValidationError: A note longer than 300 characters, or a note without a day.
        NotFoundError: The account does not exist.
        StaleEditError: ``expect`` is given and the meeting is no longer what it was.
    """
    text = " ".join((note or "").split())
    if len(text) > 300:
        raise ValidationError("the next meeting's note is longer than 300 characters")
    if day is None:
        text = ""
    new = (day, text)
    with portfolio.write() as session:
        get_account(session, account_id)
        row = session.get(AccountNarrative, account_id)
        old = (row.next_meeting_on, row.next_meeting_note or "") if row is not None else (None, "")
        check_unchanged(old, expect, "next meeting")
        if old == new:
            return EditResult(Changes(), old=old, changed=False)
        if row is None:
            row = _new_narrative(session, account_id)
        row.next_meeting_on, row.next_meeting_note = day, text or None
        if day is None:
            what = "Next meeting cleared"
        else:
            what = f"Next meeting {'booked' if old[0] is None else 'moved'}: {day.isoformat()}"
            what += f" — {text}" if text else ""
        log_activity(session, account_id, "edit", what)
        return EditResult(account_changes(account_id, plan=True), old=old, new=new)


def _new_narrative(session: Session, account_id: int) -> AccountNarrative:
    """An empty narrative for an account that has none yet, added to the session."""
    row = AccountNarrative(account_id=account_id, executive_summary="", wins="", next_term_goals="")
    session.add(row)
    return row


def set_narrative(
    portfolio: Portfolio, account_id: int, field: str, text: str, *, expect: Any = ANY
) -> EditResult[str]:
    """Set one of the narrative's texts (``executive_summary``, ``wins``, ``next_term_goals``).

    Returns:
        ``old`` is the text before ("" when none was written).

    Raises:
        ValidationError: Unknown field.
        NotFoundError: The account does not exist.
        StaleEditError: ``expect`` is given and the text is no longer what it was.
    """
    if field not in NARRATIVE_FIELDS:
        raise ValidationError(f"unknown narrative text {field!r}")
    new = (text or "").strip()
    with portfolio.write() as session:
        get_account(session, account_id)
        row = session.get(AccountNarrative, account_id)
        old = (getattr(row, field) or "") if row is not None else ""
        check_unchanged(old, expect, NARRATIVE_FIELDS[field])
        if old == new:
            return EditResult(Changes(), old=old, changed=False)
        if row is None:
            row = _new_narrative(session, account_id)
        setattr(row, field, new)
        label = NARRATIVE_FIELDS[field]
        verb = "cleared" if not new else "written" if not old else "edited"
        log_activity(session, account_id, "edit", f"{label[0].upper()}{label[1:]} {verb}")
        return EditResult(account_changes(account_id, plan=True), old=old, new=new)
