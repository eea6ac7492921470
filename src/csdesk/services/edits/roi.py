"""ROI edits: the entered inputs (QA hours as a metric) and custom value lines."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import MetricLatest, MetricSnapshot, RoiInput, RoiLine, utcnow
from csdesk.services.account_detail import QA_HOURS_METRIC, ROI_FIELDS
from csdesk.services.changes import Changes
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    account_changes,
    check_unchanged,
    checked_number,
    fmt_value,
    get_account,
    log_activity,
)
from csdesk.services.metric_store import rebuild_metric_latest

__all__ = ["add_roi_line", "remove_roi_line", "set_roi_input", "update_roi_line"]

_ROI_LABELS = dict(ROI_FIELDS)


def set_roi_input(
    portfolio: Portfolio,
    account_id: int,
    field: str,
    value: float | None,
    *,
    today: dt.date | None = None,
    expect: Any = ANY,
) -> EditResult[float | None]:
    """Set (or clear, with None) one ROI input of an account.

    ``expect`` (what undo passes): the value the input must hold for the edit to apply, else
    :class:`~csdesk.errors.StaleEditError` and nothing is written.

    ``qa_hours_saved_per_month`` is a metric: setting it writes today's snapshot (and keeps
    ``metric_latest`` in step); None removes today's snapshot, so the value before shows again.

    Returns:
        ``old`` is the stored value before (for QA hours: today's snapshot value or None).

    Raises:
        ValidationError: Unknown field, or a negative or non-numeric value.
        NotFoundError: The account does not exist.
    """
    if field not in _ROI_LABELS:
        raise ValidationError(f"unknown ROI input {field!r}")
    label = _ROI_LABELS[field]
    new = checked_number(value, label)
    today = today or dt.date.today()
    with portfolio.write() as session:
        account = get_account(session, account_id)
        if expect is not ANY:
            check_unchanged(_roi_value(session, account_id, field, today), expect, label)
        if field == QA_HOURS_METRIC:
            old, shown_before = _set_qa_hours(session, account_id, new, today)
        else:
            row = session.get(RoiInput, account_id)
            old = getattr(row, field) if row is not None else None
            shown_before = old
            if old != new:
                if row is None:
                    row = RoiInput(account_id=account_id)
                    session.add(row)
                setattr(row, field, new)
        if old == new:
            return EditResult(Changes(), old=old, new=new, changed=False)
        shown_after = new
        if field == QA_HOURS_METRIC and new is None:
            shown_after = session.scalar(
                select(MetricLatest.value).where(
                    MetricLatest.account_id == account_id, MetricLatest.metric == field
                )
            )
        account.updated_at = utcnow()
        log_activity(
            session,
            account_id,
            "edit",
            f"ROI {label}: {fmt_value(shown_before)} → {fmt_value(shown_after)}",
            {"field": field, "old": old, "new": new},
        )
    return EditResult(
        account_changes(account_id, roi=True, metrics=field == QA_HOURS_METRIC), old=old, new=new
    )


def _roi_value(session: Session, account_id: int, field: str, today: dt.date) -> float | None:
    """What an ROI input holds now (QA hours: today's snapshot, which the edit writes)."""
    if field == QA_HOURS_METRIC:
        return session.scalar(
            select(MetricSnapshot.value).where(
                MetricSnapshot.account_id == account_id,
                MetricSnapshot.metric == QA_HOURS_METRIC,
                MetricSnapshot.as_of == today,
            )
        )
    row = session.get(RoiInput, account_id)
    return getattr(row, field) if row is not None else None


def _set_qa_hours(
    session: Session, account_id: int, value: float | None, today: dt.date
) -> tuple[float | None, float | None]:
    """Write today's QA-hours snapshot; return (today's value before, value shown before)."""
    shown = session.scalar(
        select(MetricLatest.value).where(
            MetricLatest.account_id == account_id, MetricLatest.metric == QA_HOURS_METRIC
        )
    )
    snap = session.scalar(
        select(MetricSnapshot).where(
            MetricSnapshot.account_id == account_id,
            MetricSnapshot.metric == QA_HOURS_METRIC,
            MetricSnapshot.as_of == today,
        )
    )
    old = snap.value if snap is not None else None
    if old == value:
        return old, shown
    if value is None:
        session.delete(snap)
    elif snap is None:
        session.add(
            MetricSnapshot(account_id=account_id, metric=QA_HOURS_METRIC, as_of=today, value=value)
        )
    else:
        snap.value = value
    session.flush()
    rebuild_metric_latest(session, [account_id])
    return old, shown


def add_roi_line(
    portfolio: Portfolio,
    account_id: int,
    label: str,
    amount: float,
    *,
    position: int | None = None,
) -> EditResult[None]:
    """Add a custom value line (at the end, or at ``position``); ``new_id`` is its id.

    Raises:
        ValidationError: Empty label or an amount that is not a number.
    """
    label = label.strip()
    if not label:
        raise ValidationError("a value line needs a label")
    checked = checked_number(amount, f"value line {label!r}", allow_negative=True)
    with portfolio.write() as session:
        get_account(session, account_id)
        if position is None:
            last = session.scalar(
                select(RoiLine.position)
                .where(RoiLine.account_id == account_id)
                .order_by(RoiLine.position.desc())
                .limit(1)
            )
            position = 0 if last is None else last + 1
        line = RoiLine(account_id=account_id, label=label, amount=checked, position=position)
        session.add(line)
        session.flush()
        log_activity(session, account_id, "edit", f"ROI line added: {label} {fmt_value(checked)}")
        return EditResult(account_changes(account_id, roi=True), old=None, new_id=line.id)


def _line(session: Session, line_id: int) -> RoiLine:
    line = session.get(RoiLine, line_id)
    if line is None:
        raise NotFoundError(f"value line {line_id} no longer exists")
    return line


class RoiLineValue(NamedTuple):
    """What a value line says: its label and amount."""

    label: str
    amount: float


class RemovedRoiLine(NamedTuple):
    """A removed value line: enough to add it back where it was."""

    account_id: int
    label: str
    amount: float
    position: int


def update_roi_line(
    portfolio: Portfolio, line_id: int, label: str, amount: float, *, expect: Any = ANY
) -> EditResult[RoiLineValue]:
    """Change a custom value line; ``old`` is its :class:`RoiLineValue` before, ``new`` after.

    ``expect``: the ``(label, amount)`` the line must hold for the edit to apply (undo).
    """
    label = label.strip()
    if not label:
        raise ValidationError("a value line needs a label")
    checked = checked_number(amount, f"value line {label!r}", allow_negative=True)
    with portfolio.write() as session:
        line = _line(session, line_id)
        old = RoiLineValue(line.label, line.amount)
        check_unchanged(old, expect, f"value line {old.label!r}")
        if old == (label, checked):
            return EditResult(Changes(), old=old, new=old, changed=False)
        line.label, line.amount = label, float(checked or 0.0)
        log_activity(
            session,
            line.account_id,
            "edit",
            f"ROI line {old.label} {fmt_value(old.amount)} → {label} {fmt_value(checked)}",
        )
        return EditResult(
            account_changes(line.account_id, roi=True),
            old=old,
            new=RoiLineValue(label, line.amount),
        )


def remove_roi_line(portfolio: Portfolio, line_id: int) -> EditResult[RemovedRoiLine]:
    """Remove a custom value line; ``old`` is the :class:`RemovedRoiLine`."""
    with portfolio.write() as session:
        line = _line(session, line_id)
        old = RemovedRoiLine(line.account_id, line.label, line.amount, line.position)
        session.delete(line)
        log_activity(session, line.account_id, "edit", f"ROI line removed: {line.label}")
        return EditResult(account_changes(line.account_id, roi=True), old=old)
