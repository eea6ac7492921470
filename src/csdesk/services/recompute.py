"""Recompute health for many accounts at once: snapshots, at-risk tasks, drop alerts, milestones.

Built for 100,000 accounts: one read of ``metric_latest``, scoring in a tight loop, and
``executemany`` writes only for the accounts whose score changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.db.bulk import Bulk, id_chunks, plain_rows
from csdesk.models import Account, Activity, HealthSnapshot, utcnow
from csdesk.scoring.breakdown import compact_breakdown, compact_json
from csdesk.scoring.health import (
    CompiledModel,
    HealthEvaluation,
    HealthResult,
    compile_model,
    needs_at_risk_task,
)
from csdesk.scoring.health_models import HealthModel
from csdesk.services.bulk import paused_gc
from csdesk.services.changes import Changes
from csdesk.services.health_followups import (
    drop_alerts,
    open_at_risk_tasks,
    open_milestone_tasks,
    open_overdue_renewal_tasks,
)
from csdesk.services.health_models import portfolio_models
from csdesk.services.metric_store import latest_values
from csdesk.services.progress import NullProgress, Progress, check_cancel
from csdesk.services.trend_base import keep_trend_bases

# Core tables: bulk executemany without the ORM's per-row bookkeeping.
_ACCOUNTS = cast(Table, Account.__table__)
_SNAPSHOTS = cast(Table, HealthSnapshot.__table__)
_ACTIVITY = cast(Table, Activity.__table__)
_WRITE_CHUNK = 5000
_SCAN_FROM = 5000


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
            fenced_by="a recompute" if self.changed_ids else "",
        )

    def describe(self) -> str:
        """One line for the CLI and the status bar."""
        return (
            f"recomputed {self.computed} accounts: {self.changed} changed, "
            f"{self.insufficient} with insufficient data, {self.tasks_opened} tasks opened, "
            f"{self.alerts} health-drop alerts"
        )


class _Row(NamedTuple):
    """The account columns a recompute reads."""

    id: int
    status: str | None
    health_model: str | None
    health_computed_score: float | None
    health_score: float | None
    health_band: str | None
    health_override_reason: str | None


_Changed = tuple[_Row, HealthEvaluation, CompiledModel]
"""An account whose computed score changed: its row before, the new evaluation, its model."""

_ACCOUNT_SQL = (
    "SELECT id, status, health_model, health_computed_score, health_score, health_band, "
    "health_override_reason FROM accounts"
)


def _load_accounts(session: Session, account_ids: Collection[int] | None) -> list[Sequence[Any]]:
    """The ``_Row`` columns of the accounts, as plain tuples (a named row is made on change)."""
    if account_ids is None:
        queries: Iterable[str] = (_ACCOUNT_SQL,)
    else:
        queries = (f"{_ACCOUNT_SQL} WHERE id IN ({ids})" for ids in id_chunks(account_ids))
    return [row for sql in queries for row in plain_rows(session, sql)]


def _read_scope(session: Session, account_ids: Collection[int] | None) -> Collection[int] | None:
    """The ids to read by ``IN`` lists, or None to read every account.

    When the ids cover half the portfolio or more (the first import of a big file), one scan
    of each table and a filter in Python is faster than thousands of indexed lookups.
    """
    if account_ids is None or len(account_ids) < _SCAN_FROM:
        return account_ids
    [(total,)] = list(plain_rows(session, "SELECT count(*) FROM accounts"))
    return None if 2 * len(account_ids) >= total else account_ids


class SnapshotRows:
    """Health snapshots as rows in storage form, built as tuples: the day and the time are
    converted once, a score is a float already, and only a breakdown is made per row (as JSON
    text where the column stores text, i.e. SQLite)."""

    def __init__(self, bulk: Bulk, today: dt.date, now: dt.datetime) -> None:
        self.as_of = bulk.stored(_SNAPSHOTS, "as_of", today)
        self.created = bulk.stored(_SNAPSHOTS, "created_at", now)
        # Elsewhere (PostgreSQL: psycopg's Json wrapper) the compact form goes through the column.
        self.stored = bulk.processor(_SNAPSHOTS, "breakdown") or (lambda value: value)
        self.as_text = isinstance(self.stored({}), str)

    def row(
        self, account_id: int, evaluation: HealthEvaluation, model: CompiledModel
    ) -> tuple[Any, ...]:
        """The snapshot of one evaluation, in the column order of ``SNAPSHOT_COLUMNS``."""
        if self.as_text:
            breakdown: Any = compact_json(model, evaluation)
        else:
            breakdown = self.stored(compact_breakdown(model, evaluation))
        band = evaluation.band.value if evaluation.band else None
        return (account_id, self.as_of, evaluation.score, band, model.model.name,
                model.model.version, breakdown, "computed", self.created)  # fmt: skip


SNAPSHOT_COLUMNS = ["account_id", "as_of", "score", "band", "model_name", "model_version",
                    "breakdown", "source", "created_at"]  # fmt: skip


class FirstScores:
    """Scores of the accounts a first import creates, worked out before their rows are inserted.

    A new account has no model of its own and no score yet: it is scored with the portfolio's
    model on the newest values the import hands over, so that its row is inserted once with its
    health columns, and its snapshot right after. The recompute that follows leaves these
    accounts' rows and snapshots alone: it opens their tasks from the score their rows hold.
    """

    def __init__(self, session: Session, today: dt.date, now: dt.datetime) -> None:
        self.models, self.default = portfolio_models(session)
        self.compiled = compile_model(self.default)
        self.created: set[int] = set()
        self._bulk = Bulk(session)
        self._rows = SnapshotRows(self._bulk, today, now)
        self._snapshots: list[tuple[Any, ...]] = []

    def __call__(self, account_id: int, metrics: Mapping[str, float]) -> tuple[Any, Any]:
        """The health score and band (value) of a new account; its snapshot is kept for
        :meth:`inserted` (an account without a score has none, as in a recompute)."""
        evaluation = self.compiled.evaluate(metrics)
        self.created.add(account_id)
        if evaluation.score is None:
            return None, None
        self._snapshots.append(self._rows.row(account_id, evaluation, self.compiled))
        return evaluation.score, evaluation.band.value if evaluation.band else None

    def inserted(self) -> None:
        """The scored accounts' rows are in: write their snapshots."""
        snapshots, self._snapshots = self._snapshots, []
        self._bulk.insert(_SNAPSHOTS, SNAPSHOT_COLUMNS, snapshots)


def first_scores(session: Session, today: dt.date, now: dt.datetime) -> FirstScores:
    """A scorer of an import's new accounts (see :class:`FirstScores`)."""
    return FirstScores(session, today, now)


def recompute_accounts(
    session: Session,
    account_ids: Collection[int] | None = None,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    first: FirstScores | None = None,
) -> RecomputeResult:
    """Recompute health inside the caller's transaction.

    Every account is scored with its model's compiled evaluator; the breakdown, the update
    and the snapshot are built only for the accounts whose score changed.

    Args:
        session: A write session (one transaction).
        account_ids: The accounts to recompute; None means all of them.
        today: The as-of day of new snapshots and tasks (default: today).
        progress: Receives the count of accounts scored; cancelling raises ``CancelledError``.
        first: The accounts an import created, scored and wrote with their health and
            snapshots: counted as changed from no score, their tasks opened from the score
            their rows hold, nothing of theirs written again.

    Returns:
        Counts of what changed; a snapshot is appended only where the score changed.
    """
    today = today or dt.date.today()
    progress = progress or NullProgress()
    # An import's scorer has read the models already (the user's files among them).
    models, default_model = (first.models, first.default) if first else portfolio_models(session)
    with paused_gc():
        scope = _read_scope(session, account_ids)
        accounts = _load_accounts(session, scope)
        if scope is None and account_ids is not None:
            wanted = set(account_ids)
            accounts = [row for row in accounts if row[0] in wanted]
        created = first.created if first is not None else frozenset()
        latest = _latest(session, account_ids, scope, created)
        result = RecomputeResult(computed=len(accounts))
        scored = _score(accounts, latest, models, default_model, created, result, progress)
        del accounts, latest
        result.changed = len(scored.changed) + len(scored.created)
        result.changed_ids = {row.id for row, _, _ in scored.changed} | scored.created
        alerts = drop_alerts(session, scored.fell, today)
        _write_changes(session, scored.changed, today)
    result.alerts = len(alerts)
    result.tasks_opened = open_at_risk_tasks(session, scored.at_risk, today)
    result.tasks_opened += open_milestone_tasks(session, account_ids, today)
    result.tasks_opened += open_overdue_renewal_tasks(session, account_ids, today)
    keep_trend_bases(session, today)
    _log(session, scored.changed, alerts, result)
    return result


def _latest(
    session: Session,
    account_ids: Collection[int] | None,
    scope: Collection[int] | None,
    created: Collection[int],
) -> Mapping[int, dict[str, float]]:
    """The newest metric values of the accounts to score (not those an import ``created``)."""
    if not created or account_ids is None:
        return latest_values(session, scope)
    rest = [i for i in account_ids if i not in created]
    return latest_values(session, _read_scope(session, rest)) if rest else {}


@dataclass
class _Scored:
    """What the scoring pass found: changed accounts, falls to check, at-risk candidates."""

    changed: list[_Changed] = field(default_factory=list)
    created: set[int] = field(default_factory=set)
    """Accounts an import created with a score (row and snapshot written): changed too."""
    fell: dict[int, tuple[HealthResult, HealthModel]] = field(default_factory=dict)
    at_risk: dict[int, float] = field(default_factory=dict)


def _score(
    accounts: Sequence[Sequence[Any]],
    metrics: Mapping[int, dict[str, float]],
    models: dict[str, HealthModel],
    default_model: HealthModel,
    created: Collection[int],
    result: RecomputeResult,
    progress: Progress,
) -> _Scored:
    """Score every account; build nothing more than a tuple for the unchanged ones."""
    compiled = {name: compile_model(model) for name, model in models.items()}
    default = compile_model(default_model)
    threshold = default_model.at_risk_below
    scored = _Scored()
    empty: dict[str, float] = {}
    progress.start(len(accounts), "Recomputing health")
    for index, values in enumerate(accounts, 1):
        account_id, status, model_name, previous, shown, _band, override = values
        if account_id in created:  # scored by the import, inserted with its score and snapshot
            score = effective = previous
            if score is not None:
                scored.created.add(account_id)
        else:
            model = compiled.get(model_name or "", default)
            evaluation = model.evaluate(metrics.get(account_id, empty))
            score = evaluation.score
            if score != previous:
                scored.changed.append((_Row._make(values), evaluation, model))
                if score is not None and previous is not None and score < previous:
                    scored.fell[account_id] = (model.explain(evaluation), model.model)
            effective = shown if override is not None else score
        if score is None:
            result.insufficient += 1
        # The threshold test first: needs_at_risk_task is the rule, this only skips the
        # healthy majority cheaply.
        if (
            effective is not None
            and effective < threshold
            and needs_at_risk_task(effective, status, default_model)
        ):
            scored.at_risk[account_id] = effective
        if index % 2000 == 0:
            progress.advance(index)
            check_cancel(progress)
    progress.advance(len(accounts))
    check_cancel(progress)
    return scored


def _write_changes(session: Session, changed: Sequence[_Changed], today: dt.date) -> None:
    """Update the changed accounts' health columns and append one snapshot each.

    Written in chunks: the rows of 100,000 snapshots with their breakdowns would take a few
    hundred MB at once.
    """
    bulk = Bulk(session)
    now = utcnow()
    at, rows = bulk.stored(_ACCOUNTS, "updated_at", now), SnapshotRows(bulk, today, now)
    for start in range(0, len(changed), _WRITE_CHUNK):
        _write_chunk(bulk, changed[start : start + _WRITE_CHUNK], at, rows)


_UPDATED = ["health_computed_score", "health_score", "health_band", "health_updated_at",
            "updated_at"]  # fmt: skip


def _write_chunk(bulk: Bulk, changed: Sequence[_Changed], at: Any, rows: SnapshotRows) -> None:
    """The accounts' updates (``at``: the time, stored) and snapshots as tuples in storage form."""
    updates: list[tuple[Any, ...]] = []
    snapshots: list[tuple[Any, ...]] = []
    for row, evaluation, model in changed:
        score = evaluation.score
        if row.health_override_reason is None:
            band = evaluation.band.value if evaluation.band else None
            updates.append((score, score, band, at, at, row.id))
        else:
            updates.append((score, row.health_score, row.health_band, at, at, row.id))
        snapshots.append(rows.row(row.id, evaluation, model))
    bulk.update(_ACCOUNTS, _UPDATED, "id", updates)
    bulk.insert(_SNAPSHOTS, SNAPSHOT_COLUMNS, snapshots)


def _log(
    session: Session,
    changed: Sequence[_Changed],
    alerts: Sequence[tuple[int, str]],
    result: RecomputeResult,
) -> None:
    """Timeline entries: band changes and drop alerts per account, one portfolio summary."""
    actor = current_user()
    entries: list[dict[str, Any]] = []
    for before, evaluation, _model in changed:
        if before.health_override_reason is not None or before.health_computed_score is None:
            continue
        band = evaluation.band.value if evaluation.band else None
        if before.health_band != band:
            new = evaluation.score
            shown = "no score" if new is None else f"{new:.1f}"
            entries.append(
                {
                    "account_id": before.id,
                    "actor": actor,
                    "kind": "health",
                    "summary": f"Health {before.health_computed_score:.1f} → {shown} "
                    f"({before.health_band or 'no band'} → {band or 'no band'})",
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
        session.execute(insert(_ACTIVITY), entries)


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
