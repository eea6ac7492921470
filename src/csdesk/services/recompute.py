"""Recompute health for many accounts at once: snapshots, at-risk tasks, drop alerts, milestones.

Built for 100,000 accounts: one read of ``metric_latest``, scoring in a tight loop, and
``executemany`` writes only for the accounts whose score changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.models import Account, Activity, Alert, HealthSnapshot, MetricLatest, Task, utcnow
from csdesk.scoring.health import HealthResult, compute_health, detect_drop, needs_at_risk_task
from csdesk.scoring.health_models import HealthModel
from csdesk.scoring.renewal import milestones
from csdesk.services.changes import Changes
from csdesk.services.health_models import available_models, portfolio_model_name
from csdesk.services.progress import NullProgress, Progress, check_cancel

AT_RISK = "at-risk outreach"
RENEWAL = "renewal milestone"
MILESTONE_HORIZON_DAYS = 90
_CHUNK = 5000
_ACCOUNTS = Account.__table__


@dataclass
class RecomputeResult:
    """What a recompute did."""

    computed: int = 0
    changed: int = 0
    insufficient: int = 0
    tasks_opened: int = 0
    alerts: int = 0
    changed_ids: set[int] = field(default_factory=set)

    @property
    def changes(self) -> Changes:
        """The change record views refresh from."""
        return Changes(
            accounts=bool(self.changed),
            account_ids=frozenset(self.changed_ids),
            health=bool(self.changed),
            tasks=bool(self.tasks_opened),
            activity=bool(self.changed or self.alerts),
        )

    def describe(self) -> str:
        """One line for the CLI and the status bar."""
        return (
            f"recomputed {self.computed} accounts: {self.changed} changed, "
            f"{self.insufficient} with insufficient data, {self.tasks_opened} tasks opened, "
            f"{self.alerts} health-drop alerts"
        )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def breakdown_json(result: HealthResult) -> list[dict[str, Any]]:
    """The per-measure breakdown as stored in a snapshot."""
    return [
        {
            "key": line.key,
            "label": line.label,
            "weight": line.weight,
            "attainment": line.attainment,
            "contribution": line.contribution,
            "value": line.value,
            "no_data": line.no_data,
            "group": line.group,
        }
        for line in result.breakdown
    ]


def _load_accounts(session: Session, account_ids: Collection[int] | None) -> list[Any]:
    cols = (
        Account.id,
        Account.name,
        Account.status,
        Account.health_model,
        Account.health_computed_score,
        Account.health_score,
        Account.health_band,
        Account.health_override_reason,
        Account.renewal_date,
    )
    if account_ids is None:
        return list(session.execute(select(*cols)))
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(account_ids))):
        rows.extend(session.execute(select(*cols).where(Account.id.in_(chunk))))
    return rows


def _load_metrics(
    session: Session, account_ids: Collection[int] | None, keys: Iterable[str]
) -> dict[int, dict[str, float]]:
    metrics: dict[int, dict[str, float]] = defaultdict(dict)
    base = select(MetricLatest.account_id, MetricLatest.metric, MetricLatest.value).where(
        MetricLatest.metric.in_(sorted(keys))
    )
    if account_ids is None:
        batches: Iterable[Any] = [session.execute(base)]
    else:
        ids = sorted(set(account_ids))
        batches = (
            session.execute(base.where(MetricLatest.account_id.in_(c))) for c in _chunks(ids)
        )
    for batch in batches:
        for account_id, metric, value in batch:
            metrics[account_id][metric] = value
    return metrics


def recompute_accounts(
    session: Session,
    account_ids: Collection[int] | None = None,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RecomputeResult:
    """Recompute health inside the caller's transaction.

    Args:
        session: A write session (one transaction).
        account_ids: The accounts to recompute; None means all of them.
        today: The as-of day of new snapshots and tasks (default: today).
        progress: Receives the count of accounts scored; cancelling raises ``CancelledError``.

    Returns:
        Counts of what changed; a snapshot is appended only where the score changed.
    """
    today = today or dt.date.today()
    progress = progress or NullProgress()
    models = available_models()
    default_name = portfolio_model_name(session)
    default_model = models.get(default_name) or next(iter(models.values()))
    keys: set[str] = set()
    for model in models.values():
        keys |= model.metrics
    accounts = _load_accounts(session, account_ids)
    metrics = _load_metrics(session, account_ids, keys)
    progress.start(len(accounts), "Recomputing health")
    result = RecomputeResult(computed=len(accounts))
    now = utcnow()
    updates: list[dict[str, Any]] = []
    snapshots: list[dict[str, Any]] = []
    fell: dict[int, tuple[Any, HealthResult, HealthModel]] = {}
    effective: dict[int, float | None] = {}
    empty: dict[str, float] = {}
    for index, row in enumerate(accounts, 1):
        model = models.get(row.health_model or "", default_model)
        health = compute_health(model, metrics.get(row.id, empty))
        score = health.score
        if score is None:
            result.insufficient += 1
        overridden = row.health_override_reason is not None
        effective[row.id] = row.health_score if overridden else score
        if score != row.health_computed_score:
            band = health.band.value if health.band else None
            result.changed += 1
            result.changed_ids.add(row.id)
            updates.append(
                {
                    "b_id": row.id,
                    "health_computed_score": score,
                    "health_score": row.health_score if overridden else score,
                    "health_band": row.health_band if overridden else band,
                    "health_updated_at": now,
                }
            )
            snapshots.append(
                {
                    "account_id": row.id,
                    "as_of": today,
                    "score": score,
                    "band": band,
                    "model_name": health.model_name,
                    "model_version": health.model_version,
                    "breakdown": breakdown_json(health),
                    "source": "computed",
                    "created_at": now,
                }
            )
            previous = row.health_computed_score
            if score is not None and previous is not None and score < previous:
                fell[row.id] = (row, health, model)
        if index % 2000 == 0:
            progress.advance(index)
            check_cancel(progress)
    progress.advance(len(accounts))
    check_cancel(progress)
    alerts = _drop_alerts(session, fell, today)
    if updates:
        stmt = update(_ACCOUNTS).where(_ACCOUNTS.c.id == bindparam("b_id"))
        session.execute(stmt, updates)
        session.execute(insert(HealthSnapshot), snapshots)
    result.alerts = len(alerts)
    by_id = {row.id: row for row in accounts}
    result.tasks_opened = _open_at_risk_tasks(session, by_id, effective, default_model, today)
    result.tasks_opened += _open_milestone_tasks(session, account_ids, today)
    _log(session, accounts, updates, alerts, result)
    return result


def _drop_alerts(
    session: Session, fell: dict[int, tuple[Any, HealthResult, HealthModel]], today: dt.date
) -> list[tuple[int, str]]:
    """Health-drop alerts for accounts whose score fell, judged against the last days' history."""
    if not fell:
        return []
    window_start = today - dt.timedelta(days=max(m.drop_days for _, _, m in fell.values()))
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
            attainments = {line["key"]: line.get("attainment") for line in breakdown or []}
            history[account_id].append((as_of, score, attainments))
    alerts: list[tuple[int, str]] = []
    for account_id, (_row, health, model) in fell.items():
        drop = detect_drop(history[account_id], today, health.score, health.attainments, model)
        if drop is not None:
            labels = {line.key: line.label for line in health.breakdown}
            names = ", ".join(labels.get(k, k) for k in drop.fallen)
            message = f"Health fell {drop.points:.1f} points since {drop.previous_date.isoformat()}"
            alerts.append((account_id, message + (f" ({names})" if names else "")))
    if alerts:
        session.execute(
            insert(Alert),
            [
                {"account_id": a, "kind": "health drop", "message": m, "raised_on": today}
                for a, m in alerts
            ],
        )
    return alerts


def _open_at_risk_tasks(
    session: Session,
    accounts: dict[int, Any],
    effective: dict[int, float | None],
    model: HealthModel,
    today: dt.date,
) -> int:
    """One open at-risk outreach task per active/pilot account below the threshold."""
    wanted = [
        account_id
        for account_id, score in effective.items()
        if needs_at_risk_task(score, accounts[account_id].status, model)
    ]
    if not wanted:
        return 0
    existing = set(
        session.scalars(select(Task.account_id).where(Task.type == AT_RISK, Task.status != "done"))
    )
    rows = [
        {
            "account_id": account_id,
            "type": AT_RISK,
            "title": f"At-risk outreach: health {effective[account_id]:.1f}",
            "due_on": today + dt.timedelta(days=1),
            "status": "open",
            "key": f"at-risk:{today.isoformat()}",
        }
        for account_id in wanted
        if account_id not in existing
    ]
    if rows:
        session.execute(insert(Task), rows)
    return len(rows)


def _open_milestone_tasks(
    session: Session, account_ids: Collection[int] | None, today: dt.date
) -> int:
    """Renewal milestone tasks for active/pilot renewals within the next 90 days.

    Milestones already past when the renewal enters the horizon are not created, so a
    renewal imported 20 days before its date gets its E−15 task, not three overdue ones.
    """
    horizon = today + dt.timedelta(days=MILESTONE_HORIZON_DAYS)
    query = select(Account.id, Account.renewal_date).where(
        Account.status.in_(("active", "pilot")),
        Account.renewal_date >= today,
        Account.renewal_date <= horizon,
    )
    due = list(session.execute(query))
    if account_ids is not None:
        wanted = set(account_ids)
        due = [row for row in due if row.id in wanted]
    if not due:
        return 0
    existing = {
        (account_id, key)
        for account_id, key in session.execute(
            select(Task.account_id, Task.key).where(Task.type == RENEWAL)
        )
    }
    rows = []
    for account_id, renewal_date in due:
        for milestone in milestones(renewal_date):
            key = f"renewal:{renewal_date.isoformat()}:-{milestone.offset_days}"
            if milestone.due >= today and (account_id, key) not in existing:
                rows.append(
                    {
                        "account_id": account_id,
                        "type": RENEWAL,
                        "title": milestone.title,
                        "due_on": milestone.due,
                        "status": "open",
                        "key": key,
                    }
                )
    if rows:
        session.execute(insert(Task), rows)
    return len(rows)


def _log(
    session: Session,
    accounts: Sequence[Any],
    updates: Sequence[dict[str, Any]],
    alerts: Sequence[tuple[int, str]],
    result: RecomputeResult,
) -> None:
    """Timeline entries: band changes and drop alerts per account, one portfolio summary."""
    actor = current_user()
    by_id = {row.id: row for row in accounts}
    entries: list[dict[str, Any]] = []
    for change in updates:
        before = by_id[change["b_id"]]
        if before.health_override_reason is not None or before.health_computed_score is None:
            continue
        if before.health_band != change["health_band"]:
            new = change["health_computed_score"]
            shown = "no score" if new is None else f"{new:.1f}"
            entries.append(
                {
                    "account_id": before.id,
                    "actor": actor,
                    "kind": "health",
                    "summary": f"Health {before.health_computed_score:.1f} → {shown} "
                    f"({before.health_band or 'no band'} → {change['health_band'] or 'no band'})",
                }
            )
    for account_id, message in alerts:
        entries.append(
            {"account_id": account_id, "actor": actor, "kind": "health", "summary": message}
        )
    if result.changed:
        entries.append(
            {"account_id": None, "actor": actor, "kind": "health", "summary": result.describe()}
        )
    if entries:
        session.execute(insert(Activity), entries)


def recompute_health(
    portfolio: Portfolio,
    *,
    account_ids: Collection[int] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RecomputeResult:
    """Recompute health in one transaction of its own (the CLI's ``recompute``)."""
    with portfolio.write() as session:
        return recompute_accounts(session, account_ids, today=today, progress=progress)
