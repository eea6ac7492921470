"""The reads a business case needs: plain-column selects of one account's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.models import (
    BRANDING_ROW_ID,
    Account,
    BrandingRow,
    Contact,
    HealthSnapshot,
    MetricLatest,
    MetricSnapshot,
    MetricTarget,
    Opportunity,
    PlanRow,
    RoiInput,
    RoiLine,
    Setting,
    Task,
)
from csdesk.scoring.catalog import Plan, catalog_or_default
from csdesk.scoring.health_models import DEFAULT_MODEL, HealthModel

__all__ = [
    "HISTORY_POINTS",
    "ROI_INPUT_FIELDS",
    "account_row",
    "crm_likelihoods",
    "currency",
    "health_history",
    "health_model",
    "latest_metrics",
    "latest_snapshot",
    "plans",
    "roi_inputs",
    "sponsor",
    "targets",
    "tasks",
    "usage_series",
]

HISTORY_POINTS = 24
"""Most points a history chart shows (two years of monthly values)."""
ROI_INPUT_FIELDS = (
    "qa_hours_saved_per_month",
    "hourly_rate",
    "incidents_avoided_per_year",
    "cost_per_incident",
    "revenue_protected",
)
_STORED_INPUTS = ROI_INPUT_FIELDS[1:]


def account_row(session: Session, account_id: int) -> Any:
    """The account's columns as one row, or None."""
    cols = [c for c in Account.__table__.columns]
    return session.execute(select(*cols).where(Account.id == account_id)).first()


def currency(session: Session) -> str:
    """The portfolio currency (the branding row's, default USD)."""
    value = session.scalar(select(BrandingRow.currency).where(BrandingRow.id == BRANDING_ROW_ID))
    return (value or "USD").strip().upper() or "USD"


def plans(session: Session) -> tuple[Plan, ...]:
    """The portfolio's plan catalog, or the default catalog when none is stored."""
    rows = session.execute(
        select(PlanRow.name, PlanRow.list_price, PlanRow.included_volume).order_by(
            PlanRow.position, PlanRow.list_price
        )
    ).all()
    return catalog_or_default(rows)


def health_model(
    session: Session, name: str | None, models: Mapping[str, HealthModel] | None
) -> HealthModel | None:
    """The account's health model: its own, else the portfolio's, else ``subscription``."""
    if models is None:
        from csdesk.config import health_models_dir
        from csdesk.scoring.health_models import default_models, load_model_dir

        models = default_models() | load_model_dir(health_models_dir())[0]
    if name and name in models:
        return models[name]
    chosen = session.scalar(select(Setting.value).where(Setting.key == "health_model"))
    return models.get(chosen or DEFAULT_MODEL) or models.get(DEFAULT_MODEL)


def latest_metrics(session: Session, account_id: int) -> dict[str, float]:
    """The newest value of every metric of the account."""
    rows = session.execute(
        select(MetricLatest.metric, MetricLatest.value).where(MetricLatest.account_id == account_id)
    )
    return {metric: value for metric, value in rows}


def sponsor(session: Session, account_id: int) -> str | None:
    """``Name (role)`` of the executive sponsor, if one is recorded."""
    row = session.execute(
        select(Contact.name, Contact.role)
        .where(Contact.account_id == account_id, Contact.executive_sponsor.is_(True))
        .order_by(Contact.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return f"{row.name} ({row.role})" if row.role else row.name


def roi_inputs(
    session: Session, account_id: int
) -> tuple[dict[str, float | None], tuple[tuple[str, Decimal], ...]]:
    """The stored ROI inputs by field name and the custom value lines in order."""
    cols = [getattr(RoiInput, name) for name in _STORED_INPUTS]
    row = session.execute(select(*cols).where(RoiInput.account_id == account_id)).first()
    stored = dict(zip(_STORED_INPUTS, row, strict=True)) if row else {}
    lines = session.execute(
        select(RoiLine.label, RoiLine.amount)
        .where(RoiLine.account_id == account_id)
        .order_by(RoiLine.position, RoiLine.id)
    ).all()
    return stored, tuple((label, amount) for label, amount in lines)


def latest_snapshot(session: Session, account_id: int) -> Any:
    """The newest health snapshot (as_of, score, band, model_name, breakdown, source) or None."""
    return session.execute(
        select(
            HealthSnapshot.as_of,
            HealthSnapshot.score,
            HealthSnapshot.band,
            HealthSnapshot.model_name,
            HealthSnapshot.breakdown,
            HealthSnapshot.source,
        )
        .where(HealthSnapshot.account_id == account_id)
        .order_by(HealthSnapshot.as_of.desc(), HealthSnapshot.id.desc())
        .limit(1)
    ).first()


def health_history(
    session: Session, account_id: int, today: dt.date
) -> list[tuple[dt.date, float, str | None]]:
    """The scored snapshots up to today, one per day (the last of each day), the newest 24."""
    rows = session.execute(
        select(HealthSnapshot.as_of, HealthSnapshot.score, HealthSnapshot.band)
        .where(
            HealthSnapshot.account_id == account_id,
            HealthSnapshot.score.is_not(None),
            HealthSnapshot.as_of <= today,
        )
        .order_by(HealthSnapshot.as_of, HealthSnapshot.id)
    )
    by_day: dict[dt.date, tuple[dt.date, float, str | None]] = {}
    for as_of, score, band in rows:
        by_day[as_of] = (as_of, float(score or 0.0), band)  # NULL scores are filtered out
    return list(by_day.values())[-HISTORY_POINTS:]


def usage_series(
    session: Session, account_id: int
) -> tuple[list[tuple[dt.date, float]], list[tuple[dt.date, float]]]:
    """The newest 24 points of the ``usage`` and ``logins_30d`` series, oldest first."""
    rows = session.execute(
        select(MetricSnapshot.metric, MetricSnapshot.as_of, MetricSnapshot.value)
        .where(
            MetricSnapshot.account_id == account_id,
            MetricSnapshot.metric.in_(("usage", "logins_30d")),
        )
        .order_by(MetricSnapshot.as_of)
    )
    usage: list[tuple[dt.date, float]] = []
    logins: list[tuple[dt.date, float]] = []
    for metric, as_of, value in rows:
        (usage if metric == "usage" else logins).append((as_of, value))
    return usage[-HISTORY_POINTS:], logins[-HISTORY_POINTS:]


def targets(session: Session, account_id: int) -> list[tuple[str, float, bool]]:
    """The agreed success-metric targets ``(metric, target, higher_is_better)`` by metric."""
    rows = session.execute(
        select(MetricTarget.metric, MetricTarget.target, MetricTarget.higher_is_better)
        .where(MetricTarget.account_id == account_id)
        .order_by(MetricTarget.metric)
    )
    return [(m, t, bool(h)) for m, t, h in rows]


def tasks(session: Session, account_id: int) -> list[tuple[str, str, dt.date, str, str | None]]:
    """The account's tasks ``(type, title, due_on, status, key)`` by due date."""
    rows = session.execute(
        select(Task.type, Task.title, Task.due_on, Task.status, Task.key)
        .where(Task.account_id == account_id)
        .order_by(Task.due_on, Task.id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def crm_likelihoods(session: Session, account_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Account → the probability of its open renewal opportunity (the earliest closing one)."""
    query = (
        select(Opportunity.account_id, Opportunity.probability)
        .where(
            Opportunity.type == "renewal",
            Opportunity.state == "open",
            Opportunity.probability.is_not(None),
        )
        .order_by(Opportunity.account_id, Opportunity.close_date.desc(), Opportunity.id.desc())
    )
    if account_ids is not None:
        wanted = list(account_ids)
        if not wanted:
            return {}
        query = query.where(Opportunity.account_id.in_(wanted))
    out: dict[int, float] = {}
    for account_id, probability in session.execute(query):
        if probability is not None:
            out[account_id] = float(probability)  # the earliest close date comes last and wins
    return out
