"""What a recompute sets off: health-drop alerts, at-risk outreach and renewal milestone tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from csdesk.db.bulk import Bulk
from csdesk.models import Account, Alert, HealthSnapshot, Task, utcnow
from csdesk.scoring.breakdown import breakdown_records
from csdesk.scoring.health import HealthResult, detect_drop
from csdesk.scoring.health_models import HealthModel
from csdesk.scoring.renewal import MILESTONES, milestones
from csdesk.scoring.vocabulary import (
    AT_RISK_OUTREACH,
    CUSTOMER_STATUSES,
    NOT_DONE_STATUSES,
    RENEWAL_MILESTONE,
    RENEWAL_OVERDUE,
)

__all__ = [
    "AT_RISK",
    "MILESTONE_HORIZON_DAYS",
    "OVERDUE",
    "RENEWAL",
    "drop_alerts",
    "open_at_risk_tasks",
    "open_milestone_tasks",
    "open_overdue_renewal_tasks",
]

AT_RISK = AT_RISK_OUTREACH
RENEWAL = RENEWAL_MILESTONE
OVERDUE = RENEWAL_OVERDUE
MILESTONE_HORIZON_DAYS = 90
_CHUNK = 5000
_ALERTS = cast(Table, Alert.__table__)
_TASKS = cast(Table, Task.__table__)
_TASK_COLUMNS = ["account_id", "type", "title", "due_on", "status", "key", "created_at"]
"""The columns of a task a recompute opens; its rows are tuples in storage form."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def drop_alerts(
    session: Session, fell: dict[int, tuple[HealthResult, HealthModel]], today: dt.date
) -> list[tuple[int, str]]:
    """Health-drop alerts for accounts whose score fell, judged against the last days' history."""
    if not fell:
        return []
    window_start = today - dt.timedelta(days=max(m.drop_days for _, m in fell.values()))
    history: dict[int, list[tuple[dt.date, float | None, dict[str, float | None]]]] = defaultdict(
        list
    )
    for chunk in _chunks(sorted(fell)):
        rows = session.execute(
            select(
                HealthSnapshot.account_id,
                HealthSnapshot.as_of,
                HealthSnapshot.score,
                HealthSnapshot.breakdown,
            ).where(
                HealthSnapshot.account_id.in_(chunk),
                HealthSnapshot.as_of >= window_start,
                HealthSnapshot.source == "computed",
            )
        )
        for account_id, as_of, score, breakdown in rows:
            attainments = {
                str(line["key"]): cast(float | None, line.get("attainment"))
                for line in breakdown_records(breakdown, None)
            }
            history[account_id].append((as_of, score, attainments))
    alerts: list[tuple[int, str]] = []
    for account_id, (health, model) in fell.items():
        drop = detect_drop(history[account_id], today, health.score, health.attainments, model)
        if drop is not None:
            labels = {line.key: line.label for line in health.breakdown}
            names = ", ".join(labels.get(k, k) for k in drop.fallen)
            message = f"Health fell {drop.points:.1f} points since {drop.previous_date.isoformat()}"
            alerts.append((account_id, message + (f" ({names})" if names else "")))
    if alerts:
        session.execute(
            insert(_ALERTS),
            [
                {"account_id": a, "kind": "health drop", "message": m, "raised_on": today}
                for a, m in alerts
            ],
        )
    return alerts


def open_at_risk_tasks(session: Session, wanted: dict[int, float], today: dt.date) -> int:
    """One open at-risk outreach task per account in ``wanted`` (id → effective score)."""
    if not wanted:
        return 0
    existing = set(
        session.scalars(
            select(Task.account_id).where(Task.type == AT_RISK, Task.status.in_(NOT_DONE_STATUSES))
        )
    )
    bulk = Bulk(session)
    due = bulk.stored(_TASKS, "due_on", today + dt.timedelta(days=1))
    key, now = f"at-risk:{today.isoformat()}", bulk.stored(_TASKS, "created_at", utcnow())
    rows = [
        (account_id, AT_RISK, f"At-risk outreach: health {score:.1f}", due, "open", key, now)
        for account_id, score in wanted.items()
        if account_id not in existing
    ]
    bulk.insert(_TASKS, _TASK_COLUMNS, rows)
    return len(rows)


def open_milestone_tasks(
    session: Session, account_ids: Collection[int] | None, today: dt.date
) -> int:
    """Renewal milestone tasks for active/pilot renewals within the next 90 days.

    Missed milestones are not hidden (SPEC 2.4): a milestone whose date has passed while the
    renewal is still ahead gets its task too, due on the milestone's date, so it shows as
    overdue — also when the renewal first became known inside the 60 days (imported late).
    A milestone that already has a task (whatever its state) gets no second one.
    """
    horizon = today + dt.timedelta(days=MILESTONE_HORIZON_DAYS)
    query = select(Account.id, Account.renewal_date).where(
        Account.status.in_(CUSTOMER_STATUSES),
        Account.renewal_date >= today,
        Account.renewal_date <= horizon,
    )
    due = list(session.execute(query))
    if account_ids is not None:
        wanted = set(account_ids)
        due = [row for row in due if row.id in wanted]
    if not due:
        return 0
    # The earliest milestone of a renewal still ahead is E−60 ≥ today − 60, and a key fixes
    # the due date, so older tasks cannot match: the set stays small however long the task
    # history grows.
    earliest = today - dt.timedelta(days=max(days for days, _ in MILESTONES))
    existing = {
        (account_id, key)
        for account_id, key in session.execute(
            select(Task.account_id, Task.key).where(Task.type == RENEWAL, Task.due_on >= earliest)
        )
    }
    bulk = Bulk(session)
    now = bulk.stored(_TASKS, "created_at", utcnow())
    # Renewals share dates (at most 91 in the horizon): work out each date's milestones once.
    by_date: dict[dt.date, list[tuple[str, str, object]]] = {}
    rows = []
    for account_id, renewal_date in due:
        if renewal_date is None:  # excluded by the query; keeps the type checker informed
            continue
        keyed = by_date.get(renewal_date)
        if keyed is None:
            keyed = by_date[renewal_date] = [
                (
                    f"renewal:{renewal_date.isoformat()}:-{m.offset_days}",
                    m.title,
                    bulk.stored(_TASKS, "due_on", m.due),
                )
                for m in milestones(renewal_date)
            ]
        for key, title, due_on in keyed:
            if (account_id, key) not in existing:
                rows.append((account_id, RENEWAL, title, due_on, "open", key, now))
    bulk.insert(_TASKS, _TASK_COLUMNS, rows)
    return len(rows)


def open_overdue_renewal_tasks(
    session: Session, account_ids: Collection[int] | None, today: dt.date
) -> int:
    """One open "renewal overdue" task per active/pilot account whose renewal date has passed.

    The task is due on the renewal date, so it counts as overdue at once (SPEC 2.4). An
    account with such a task still open or snoozed gets no second one.
    """
    query = select(Account.id, Account.renewal_date).where(
        Account.status.in_(CUSTOMER_STATUSES), Account.renewal_date < today
    )
    late = list(session.execute(query))
    if account_ids is not None:
        wanted = set(account_ids)
        late = [row for row in late if row.id in wanted]
    if not late:
        return 0
    has_open = set(
        session.scalars(
            select(Task.account_id).where(Task.type == OVERDUE, Task.status.in_(NOT_DONE_STATUSES))
        )
    )
    bulk = Bulk(session)
    now = bulk.stored(_TASKS, "created_at", utcnow())
    # Renewals share dates: each date's title, key and stored form are made once.
    by_date: dict[dt.date, tuple[str, object, str]] = {}
    rows = []
    for account_id, renewal_date in late:
        if account_id in has_open or renewal_date is None:
            continue
        made = by_date.get(renewal_date)
        if made is None:
            day = renewal_date.isoformat()
            made = by_date[renewal_date] = (
                f"Renewal overdue: the contract ended {day}",
                bulk.stored(_TASKS, "due_on", renewal_date),
                f"renewal-overdue:{day}",
            )
        title, due_on, key = made
        rows.append((account_id, OVERDUE, title, due_on, "open", key, now))
    bulk.insert(_TASKS, _TASK_COLUMNS, rows)
    return len(rows)
