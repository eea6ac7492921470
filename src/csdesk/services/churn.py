"""Churn bookkeeping: the churn date and the renewal work an account that churned no longer has.

SPEC 2.4: when an account becomes churned its churn date is recorded (today, or the file's
"Churn Date" on import) and its open renewal and at-risk tasks are closed as cancelled. An
account that leaves ``churned`` (won back) loses its churn date. Every function here works inside
the caller's transaction, so the status change and its consequences are one write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from csdesk.models import OPEN_TASK_STATUSES, Account, Task, utcnow

__all__ = ["CANCELLED", "CHURN_CANCELS", "cancel_churned_tasks", "settle_churn"]

CANCELLED = "cancelled"
CHURN_CANCELS = ("renewal milestone", "renewal overdue", "at-risk outreach")
"""Task types an account's churn closes as cancelled."""
_CHUNK = 5000


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def cancel_churned_tasks(session: Session, account_ids: Collection[int]) -> int:
    """Close the open renewal and at-risk tasks of ``account_ids`` as cancelled.

    Returns:
        How many tasks were cancelled.
    """
    cancelled = 0
    now = utcnow()
    for chunk in _chunks(sorted(account_ids)):
        result = session.execute(
            update(Task)
            .where(
                Task.account_id.in_(chunk),
                Task.type.in_(CHURN_CANCELS),
                Task.status.in_(OPEN_TASK_STATUSES),
            )
            .values(status=CANCELLED, completed_at=now)
            .execution_options(synchronize_session=False)
        )
        cancelled += int(getattr(result, "rowcount", 0) or 0)
    return cancelled


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
        (Account.status == "churned") | Account.churned_on.is_not(None)
    )
    rows = list(session.execute(query))
    if account_ids is not None:
        wanted = set(account_ids)
        rows = [r for r in rows if r.id in wanted]
    dated = [r.id for r in rows if r.status == "churned" and r.churned_on is None]
    undated = [r.id for r in rows if r.status != "churned"]
    for ids, value in ((dated, today), (undated, None)):
        for chunk in _chunks(ids):
            session.execute(
                update(Account)
                .where(Account.id.in_(chunk))
                .values(churned_on=value)
                .execution_options(synchronize_session=False)
            )
    churned = [r.id for r in rows if r.status == "churned"]
    return set(dated) | set(undated), cancel_churned_tasks(session, churned)
