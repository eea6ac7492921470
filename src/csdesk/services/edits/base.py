"""What every edit shares: its result record, timeline logging and value checks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.errors import NotFoundError, StaleEditError, ValidationError
from csdesk.models import Account, Activity
from csdesk.services.changes import Changes

__all__ = [
    "ANY",
    "EditResult",
    "FieldValue",
    "account_changes",
    "check_unchanged",
    "checked_number",
    "fmt_value",
    "get_account",
    "log_activity",
]


class _Any:
    """The ``expect`` default: the edit applies whatever the record holds."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()
"""Pass as ``expect`` to apply an edit whatever the record holds now (a first edit does)."""


FieldValue = str | float | bool | dt.date | None
"""A value of an account's own field (text, money, flag or date; None when empty)."""

Old = TypeVar("Old")


@dataclass(frozen=True)
class EditResult(Generic[Old]):
    """What an edit did, typed by the state it replaced.

    ``EditResult[TaskState]`` from completing a task, ``EditResult[RemovedRoiLine]`` from
    removing a value line, ``EditResult[None]`` from an edit that only creates (its
    ``new_id`` is what an undo needs).

    Attributes:
        changes: What views should refresh.
        old: The state before the edit: what an undo passes back to restore it.
        new_id: The id of a record the edit created, if any.
        changed: False when the edit found nothing to change (nothing was written).
        new: The value the edit wrote, same shape as ``old``: an undo applies only while the
            record still holds it (``expect=``), so it never overwrites what happened since.
            :data:`ANY` for edits that create or remove a record (nothing to compare).
    """

    changes: Changes
    old: Old
    new_id: int | None = None
    changed: bool = True
    new: Any = ANY


def check_unchanged(current: object, expect: object, what: str) -> None:
    """Refuse an undo or redo when the record no longer holds what its edit wrote.

    Args:
        current: What the record holds now.
        expect: What the edit being undone or redone wrote (:data:`ANY`: no check).
        what: The field's label, for the message.

    Raises:
        StaleEditError: ``current`` differs from ``expect``.
    """
    if expect is ANY or current == expect:
        return
    raise StaleEditError(
        f"{what} is now {fmt_value(current)}, changed since this edit (it wrote "
        f"{fmt_value(expect)}); undoing it would overwrite that"
    )


def fmt_value(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def log_activity(
    session: Session,
    account_id: int | None,
    kind: str,
    summary: str,
    details: dict[str, object] | None = None,
) -> int:
    entry = Activity(
        account_id=account_id, actor=current_user(), kind=kind, summary=summary, details=details
    )
    session.add(entry)
    session.flush()
    return entry.id


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError(f"account {account_id} no longer exists")
    return account


def checked_number(value: float | None, what: str, *, allow_negative: bool = False) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{what}: {value!r} is not a number")
    if value < 0 and not allow_negative:
        raise ValidationError(f"{what} cannot be negative (got {fmt_value(float(value))})")
    return float(value)


def account_changes(account_id: int, **flags: Any) -> Changes:
    return Changes(account_ids=frozenset({account_id}), activity=True, **flags)
