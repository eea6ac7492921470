"""Account field edits (validated and canonicalised) and timeline notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import ConflictError, NotFoundError, ValidationError
from csdesk.models import Account, Activity, utcnow
from csdesk.reports.case_queries import plans
from csdesk.scoring.catalog import fold_name
from csdesk.scoring.ids import normalise_domain
from csdesk.scoring.renewal import renews
from csdesk.scoring.rounding import money
from csdesk.scoring.vocabulary import ACCOUNT_FIELD_LABELS, SEGMENTS, STATUSES
from csdesk.scoring.vocabulary import ACCOUNT_FIELDS as ACCOUNT_FIELD_RECORDS
from csdesk.services.changes import Changes
from csdesk.services.churn import change_status
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    FieldValue,
    account_changes,
    check_unchanged,
    checked_number,
    fmt_value,
    get_account,
    log_activity,
)
from csdesk.services.outcomes import forget_outcome, record_outcome

__all__ = ["ACCOUNT_FIELDS", "add_note", "remove_note", "set_account_field"]

ACCOUNT_FIELDS = ACCOUNT_FIELD_LABELS
"""Account fields the app may edit, with the label used in messages and the timeline."""


def _plan_names(session: Session) -> list[str]:
    return [plan.name for plan in plans(session)]


_CELLS = {field.name: field.cells for field in ACCOUNT_FIELD_RECORDS}
"""How each field's values are checked: by the cell type the import reads it as."""


def _checked_field(session: Session, account: Account, field: str, value: Any) -> Any:
    """Validate and canonicalise a field value; raise ValidationError naming the field."""
    label = ACCOUNT_FIELDS[field]
    cells = _CELLS[field]
    if isinstance(value, str):
        value = value.strip() or None
    if cells == "name":
        if value is None:
            raise ValidationError("an account needs a name")
        return value
    if cells == "domain" and value is not None:
        domain = normalise_domain(str(value))
        if domain is None:
            raise ValidationError(f"{label}: {value!r} is not a website or domain")
        return domain
    if cells == "money":
        amount = checked_number(value, label)
        return money(amount) if amount is not None else None
    if cells == "fraction":
        number = checked_number(value, label)
        if number is not None and number >= 1:
            raise ValidationError(f"{label} must be a fraction below 1 (got {fmt_value(number)})")
        return number
    if cells == "bool":
        return bool(value)
    if cells == "date":
        if value is not None and not isinstance(value, dt.date):
            raise ValidationError(f"{label}: {value!r} is not a date")
        return value
    if cells == "tier" and value is not None:
        plans = _plan_names(session)
        match = next((p for p in plans if fold_name(p) == fold_name(value)), None)
        if match is None:
            raise ValidationError(f"unknown tier {value!r} (known: {', '.join(plans)})")
        return match
    if cells == "status":
        if value is None or value.casefold() not in STATUSES:
            raise ValidationError(f"unknown status {value!r} (known: {', '.join(STATUSES)})")
        return value.casefold()
    if cells == "segment" and value is not None:
        folded = value.casefold().replace(" ", "-")
        if folded not in SEGMENTS:
            raise ValidationError(f"unknown segment {value!r} (known: {', '.join(SEGMENTS)})")
        return folded
    if cells == "id" and value is not None:
        taken = session.scalar(
            select(Account.id).where(Account.crm_id == value, Account.id != account.id)
        )
        if taken is not None:
            raise ValidationError(f"CRM id {value!r} already belongs to another account")
    return value


def set_account_field(
    portfolio: Portfolio,
    account_id: int,
    field: str,
    value: FieldValue,
    *,
    expect: Any = ANY,
    today: dt.date | None = None,
    read_version: int | None = None,
) -> EditResult[FieldValue]:
    """Change one field of an account; ``old`` is the value before, ``new`` the value written.

    A status change to ``churned`` records the churn date (today) and cancels the account's
    open renewal and at-risk tasks; leaving ``churned`` clears the date (SPEC 2.4).

    Args:
        portfolio: The open portfolio.
        account_id: The account.
        field: One of :data:`ACCOUNT_FIELDS`.
        value: The new value (text is stripped; empty text clears the field).
        expect: What the field must hold for the edit to apply (undo passes the value its edit
            wrote); anything else raises :class:`StaleEditError` and writes nothing.
        today: The churn date of a status change to ``churned`` (default: today).
        read_version: The account's ``version`` when the editor read it; a row changed since
            (by another CSM, an import …) is refused instead of written over. None skips the
            check (undo and redo write what they wrote before).

    Raises:
        ConflictError: The account changed after ``read_version``; names who and when.
        ValidationError: Unknown field, negative money, unknown tier/status/segment, a CRM
            id used by another account, an empty name.
        NotFoundError: The account does not exist.
        StaleEditError: The field no longer holds ``expect``.
    """
    if field not in ACCOUNT_FIELDS:
        raise ValidationError(f"the account field {field!r} cannot be edited")
    with portfolio.write() as session:
        account = get_account(session, account_id)
        if read_version is not None and account.version != read_version:
            raise ConflictError(_changed_since(session, account))
        new = _checked_field(session, account, field, value)
        old = getattr(account, field)
        check_unchanged(old, expect, ACCOUNT_FIELDS[field])
        if old == new:
            return EditResult(Changes(), old=old, new=new, changed=False)
        setattr(account, field, new)
        if field == "name":
            account.name_key = fold_name(new)
        account.updated_at = utcnow()
        account.version += 1
        label = ACCOUNT_FIELDS[field]
        summary = f"{label[0].upper()}{label[1:]}: {fmt_value(old)} → {fmt_value(new)}"
        if field == "notes":
            summary = "Account notes edited"
        details: dict[str, object] = {"field": field}
        if field == "status":
            # An undo passes ``expect``: it puts back what the undone status edit changed.
            note, details = change_status(
                session, account, old, today or dt.date.today(), undo=expect is not ANY
            )
            summary += note
        if field == "renewal_date":
            summary += _renewal_moved(
                session, account, old, new, today or dt.date.today(), undo=expect is not ANY
            )
        log_activity(session, account_id, "edit", summary, details)
    return EditResult(
        account_changes(account_id, accounts=True, tasks=field == "status"), old=old, new=new
    )


def _changed_since(session: Session, account: Account) -> str:
    """Who last changed the account and when, for a refused edit."""
    last = session.execute(
        select(Activity.actor, Activity.at)
        .where(or_(Activity.account_id == account.id, Activity.kind == "import"))
        .where(Activity.at >= account.updated_at - dt.timedelta(seconds=1))
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(1)
    ).first()
    who, when = (last.actor, last.at) if last is not None else ("someone", account.updated_at)
    return (
        f"{account.name} was changed by {who or 'someone'} at {when:%Y-%m-%d %H:%M} UTC after "
        "you opened it; nothing was saved — reload the account to see the change"
    )


def _renewal_moved(
    session: Session, account: Account, old: Any, new: Any, today: dt.date, *, undo: bool
) -> str:
    """A passed renewal date moved later on an account that renews is a renewal (SPEC 2.9):
    recorded as a renewed outcome on the old date; undoing that edit takes the outcome back."""
    if undo and isinstance(new, dt.date) and isinstance(old, dt.date) and new < old:
        # Undoing a move: the renewal it recorded on ``new`` (the old date) never happened.
        forget_outcome(session, account.id, "renewed", new, "edit")
        return ""
    if not (isinstance(old, dt.date) and isinstance(new, dt.date)) or not old < new:
        return ""
    if old > today or not renews(account.status):
        return ""
    if record_outcome(
        session,
        account_id=account.id,
        outcome="renewed",
        on=old,
        arr_before=account.arr,
        arr_after=account.arr,
        source="edit",
    ):
        return f" (renewed on {old.isoformat()})"
    return ""


def add_note(portfolio: Portfolio, account_id: int, text: str) -> EditResult[None]:
    """Add a note to the account's timeline; ``new_id`` is the timeline entry.

    Raises:
        ValidationError: An empty note.
    """
    text = text.strip()
    if not text:
        raise ValidationError("a note needs some text")
    with portfolio.write() as session:
        get_account(session, account_id)
        note_id = log_activity(session, account_id, "note", text)
        return EditResult(account_changes(account_id), old=None, new_id=note_id)


def remove_note(portfolio: Portfolio, note_id: int) -> EditResult[str]:
    """Remove a note from the timeline (what undoing "add note" calls); ``old`` is its text."""
    with portfolio.write() as session:
        note = session.get(Activity, note_id)
        if note is None or note.kind != "note":
            raise NotFoundError(f"note {note_id} no longer exists")
        account_id, text = note.account_id, note.summary
        session.execute(delete(Activity).where(Activity.id == note_id))
        if account_id is None:
            return EditResult(Changes(activity=True), old=text)
        return EditResult(account_changes(account_id), old=text)
