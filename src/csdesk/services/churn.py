"""Churn bookkeeping: the churn date and the renewal work an account that churned no longer has.

SPEC 2.4: when an account becomes churned its churn date is recorded (today, or the file's
"Churn Date" on import) and its open renewal and at-risk tasks are closed as cancelled. An
account that leaves ``churned`` (won back) loses its churn date. Every function here works inside
the caller's transaction, so the status change and its consequences are one write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from csdesk.models import Account, Activity, Task, utcnow
from csdesk.scoring.vocabulary import CANCELLED, CHURN_CANCELS, CHURNED, NOT_DONE_STATUSES, OPEN
from csdesk.services.outcomes import forget_outcome, record_outcome

__all__ = [
    "CANCELLED",
    "CHURN_CANCELS",
    "cancel_churned_tasks",
    "change_status",
    "settle_churn",
]

_CHUNK = 5000
_EDIT, _IMPORT = "edit", "import"
"""Where a churn outcome came from: an edit in the window (undo takes it back) or an import."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def cancel_churned_tasks(session: Session, account_ids: Collection[int]) -> list[int]:
    """Close the open renewal and at-risk tasks of ``account_ids`` as cancelled.

    Returns:
        The ids of the tasks cancelled.
    """
    cancelled: list[int] = []
    now = utcnow()
    for chunk in _chunks(sorted(account_ids)):
        ids = list(
            session.scalars(
                select(Task.id).where(
                    Task.account_id.in_(chunk),
                    Task.type.in_(CHURN_CANCELS),
                    Task.status.in_(NOT_DONE_STATUSES),
                )
            )
        )
        for part in _chunks(ids):
            session.execute(
                update(Task)
                .where(Task.id.in_(part))
                .values(status=CANCELLED, completed_at=now)
                .execution_options(synchronize_session=False)
            )
        cancelled += ids
    return cancelled


def _last_detail(session: Session, account_id: int, key: str) -> Any:
    """The newest value of ``key`` in the account's status edits on the timeline, or None."""
    rows = session.scalars(
        select(Activity.details)
        .where(Activity.account_id == account_id, Activity.kind == "edit")
        .order_by(Activity.id.desc())
        .limit(200)
    )
    for details in rows:
        if isinstance(details, dict) and details.get("field") == "status" and key in details:
            return details[key]
    return None


def change_status(
    session: Session, account: Account, old: str, today: dt.date, *, undo: bool
) -> tuple[str, dict[str, Any]]:
    """What an edit of ``account.status`` (from ``old``) sets off, inside its transaction.

    Becoming churned records the churn date and cancels the open renewal and at-risk tasks;
    leaving churned clears the date. An undo puts back exactly what the undone edit changed:
    the churn date it cleared, or the tasks its churn cancelled (those still cancelled).

    Returns:
        Words for the timeline entry, and the details it keeps for a later undo.
    """
    new = account.status
    details: dict[str, Any] = {"field": "status"}
    if new == CHURNED and old != CHURNED:
        before = _last_detail(session, account.id, "churned_on_before") if undo else None
        account.churned_on = dt.date.fromisoformat(before) if before else today
        session.flush()
        _record_churn(session, account.id, account.churned_on, account.arr, _EDIT)
        cancelled = cancel_churned_tasks(session, [account.id])
        details["cancelled_tasks"] = cancelled
        note = f" (churned on {account.churned_on.isoformat()}"
        note += f"; {len(cancelled)} open renewal/at-risk tasks cancelled)" if cancelled else ")"
        return note, details
    if old == CHURNED and new != CHURNED:
        if account.churned_on is not None:
            details["churned_on_before"] = account.churned_on.isoformat()
            if undo:  # the churn never happened: its outcome goes with it
                forget_outcome(session, account.id, CHURNED, account.churned_on, _EDIT)
        account.churned_on = None
        reopened: list[int] = _last_detail(session, account.id, "cancelled_tasks") if undo else []
        if reopened:
            session.execute(
                update(Task)
                .where(Task.id.in_(reopened), Task.status == CANCELLED)
                .values(status=OPEN, completed_at=None)
                .execution_options(synchronize_session=False)
            )
            return f" ({len(reopened)} cancelled tasks reopened)", details
    return "", details


def settle_churn(
    session: Session, account_ids: Collection[int] | None, today: dt.date
) -> tuple[set[int], int]:
    """Bring churn dates and tasks in line with the accounts' statuses.

    A churned account without a churn date gets ``today``; an account that is not churned loses
    its churn date; every churned account among ``account_ids`` has its open renewal and at-risk
    tasks cancelled.

    Args:
        session: The open write transaction.
        account_ids: The accounts to look at (None: all).
        today: The churn date of an account that became churned without one.

    Returns:
        The ids whose churn date changed, and how many tasks were cancelled.
    """
    query = select(Account.id, Account.status, Account.churned_on).where(
        (Account.status == CHURNED) | Account.churned_on.is_not(None)
    )
    rows = list(session.execute(query))
    if account_ids is not None:
        wanted = set(account_ids)
        rows = [r for r in rows if r.id in wanted]
    dated = [r.id for r in rows if r.status == CHURNED and r.churned_on is None]
    undated = [r.id for r in rows if r.status != CHURNED]
    for ids, value in ((dated, today), (undated, None)):
        for chunk in _chunks(ids):
            session.execute(
                update(Account)
                .where(Account.id.in_(chunk))
                .values(churned_on=value)
                .execution_options(synchronize_session=False)
            )
    churned = [r.id for r in rows if r.status == CHURNED]
    _record_churns(session, churned)
    return set(dated) | set(undated), len(cancel_churned_tasks(session, churned))


def _record_churns(session: Session, account_ids: Sequence[int]) -> None:
    """Record each churned account's churn as an outcome on its churn date (once)."""
    for chunk in _chunks(sorted(account_ids)):
        query = select(Account.id, Account.churned_on, Account.arr).where(Account.id.in_(chunk))
        for row in session.execute(query):
            if row.churned_on is not None:
                _record_churn(session, row.id, row.churned_on, row.arr, _IMPORT)


def _record_churn(
    session: Session, account_id: int, on: dt.date, arr: Decimal | None, source: str
) -> None:
    """One churn as a renewal outcome: the ARR it had before, none after (once per day)."""
    record_outcome(
        session,
        account_id=account_id,
        outcome=CHURNED,
        on=on,
        arr_before=arr,
        arr_after=0,
        source=source,
    )
