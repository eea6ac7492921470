"""Everything the account 360 shows, read in one session as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError
from csdesk.models import (
    Account,
    Activity,
    Alert,
    Contact,
    HealthSnapshot,
    MetricLatest,
    MetricSnapshot,
    MetricTarget,
    RoiInput,
    RoiLine,
    SurveyResponse,
    Task,
    Ticket,
)
from csdesk.reports.case_queries import latest_metrics, plans
from csdesk.scoring.bands import band_for
from csdesk.scoring.breakdown import breakdown_records
from csdesk.scoring.health import compute_health
from csdesk.scoring.kpis import csat, nps, ticket_sla
from csdesk.scoring.lifecycle import lifecycle_stage
from csdesk.scoring.renewal import is_overdue, renewal_likelihood, renews
from csdesk.scoring.roi import compute_roi
from csdesk.services.account_records import (
    QA_HOURS_METRIC,
    ROI_FIELDS,
    AccountDetail,
    AccountHeader,
    ActivityRow,
    BreakdownLine,
    ContactRow,
    HealthPoint,
    MetricSeries,
    RoiData,
    RoiLineRow,
    SurveyRow,
    TaskRow,
    TicketRow,
)
from csdesk.services.health_models import available_models, model_named, portfolio_model_name
from csdesk.services.opportunities import CRM_LABEL, account_opportunities, crm_likelihoods

__all__ = [
    "QA_HOURS_METRIC",
    "ROI_FIELDS",
    "AccountDetail",
    "AccountHeader",
    "ActivityRow",
    "BreakdownLine",
    "ContactRow",
    "HealthPoint",
    "MetricSeries",
    "RoiData",
    "RoiLineRow",
    "SurveyRow",
    "TaskRow",
    "TicketRow",
    "load_account_detail",
]

ACTIVITY_LIMIT = 200


def _header(acc: Account, today: dt.date, crm: float | None = None) -> AccountHeader:
    band = band_for(acc.health_score) if acc.health_score is not None else None
    stage = lifecycle_stage(acc.contract_start, today, acc.status)
    return AccountHeader(
        id=acc.id,
        crm_id=acc.crm_id,
        domain=acc.domain,
        name=acc.name,
        industry=acc.industry,
        segment=acc.segment,
        country=acc.country,
        owner=acc.owner,
        status=acc.status,
        tier=acc.tier,
        arr=acc.arr,
        company_revenue=acc.company_revenue,
        contract_start=acc.contract_start,
        renewal_date=acc.renewal_date,
        pilot_discount=acc.pilot_discount,
        annual_prepay=bool(acc.annual_prepay),
        notes=acc.notes,
        health_score=acc.health_score,
        health_band=acc.health_band,
        health_computed_score=acc.health_computed_score,
        health_override_reason=acc.health_override_reason,
        health_updated_at=acc.health_updated_at,
        stage=stage.value if stage else None,
        # Only active and pilot accounts renew: no countdown or likelihood for the others.
        days_left=(
            (acc.renewal_date - today).days if acc.renewal_date and renews(acc.status) else None
        ),
        renewal_overdue=is_overdue(acc.renewal_date, today, acc.status),
        renewal_likelihood=renewal_likelihood(acc.status, band, crm_probability=crm),
        likelihood_source=CRM_LABEL if crm is not None else "health",
        churned_on=acc.churned_on,
        version=acc.version,
    )


def _line(raw: Mapping[str, Any]) -> BreakdownLine:
    def num(key: str) -> float | None:
        value = raw.get(key)
        return float(value) if isinstance(value, int | float) else None

    return BreakdownLine(
        key=str(raw.get("key", "")),
        label=str(raw.get("label") or raw.get("key", "")),
        weight=num("weight") or 0.0,
        attainment=num("attainment"),
        contribution=num("contribution"),
        value=num("value"),
        no_data=bool(raw.get("no_data", raw.get("attainment") is None)),
    )


def _breakdown(session: Session, acc: Account) -> tuple[str, tuple[BreakdownLine, ...], str]:
    """The newest computed breakdown; computed from the latest metrics when none is stored."""
    snap = session.execute(
        select(HealthSnapshot.model_name, HealthSnapshot.breakdown)
        .where(HealthSnapshot.account_id == acc.id, HealthSnapshot.source == "computed")
        .order_by(HealthSnapshot.as_of.desc(), HealthSnapshot.id.desc())
        .limit(1)
    ).first()
    models = available_models()
    if snap is not None and snap.breakdown:
        records = breakdown_records(snap.breakdown, models.get(snap.model_name))
        return snap.model_name, tuple(_line(raw) for raw in records), "snapshot"
    name = acc.health_model or portfolio_model_name(session)
    model = model_named(models, name)
    result = compute_health(model, latest_metrics(session, acc.id))
    lines = tuple(
        BreakdownLine(m.key, m.label, m.weight, m.attainment, m.contribution, m.value, m.no_data)
        for m in result.breakdown
    )
    return model.name, lines, "current metrics"


def _metrics(session: Session, account_id: int) -> tuple[MetricSeries, ...]:
    points: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    rows = session.execute(
        select(MetricSnapshot.metric, MetricSnapshot.as_of, MetricSnapshot.value)
        .where(MetricSnapshot.account_id == account_id)
        .order_by(MetricSnapshot.metric, MetricSnapshot.as_of)
    )
    for metric, as_of, value in rows:
        points[metric].append((as_of, value))
    targets = {
        row.metric: row
        for row in session.scalars(
            select(MetricTarget).where(MetricTarget.account_id == account_id)
        )
    }
    series = []
    for metric in sorted(set(points) | set(targets)):
        target = targets.get(metric)
        series.append(
            MetricSeries(
                metric,
                tuple(points.get(metric, ())),
                target.target if target else None,
                target.higher_is_better if target else True,
            )
        )
    return tuple(series)


def _roi(session: Session, account_id: int) -> RoiData:
    row = session.get(RoiInput, account_id)
    hours = session.scalar(
        select(MetricLatest.value).where(
            MetricLatest.account_id == account_id, MetricLatest.metric == QA_HOURS_METRIC
        )
    )
    values: dict[str, float | None] = {QA_HOURS_METRIC: hours}
    for key, _label in ROI_FIELDS[1:]:
        values[key] = getattr(row, key) if row is not None else None
    lines = tuple(
        RoiLineRow(line.id, line.label, line.amount, line.position)
        for line in session.scalars(
            select(RoiLine)
            .where(RoiLine.account_id == account_id)
            .order_by(RoiLine.position, RoiLine.id)
        )
    )
    return RoiData(values, lines)


def _tickets(session: Session, account_id: int, now: dt.datetime) -> tuple[TicketRow, ...]:
    tickets = session.scalars(
        select(Ticket).where(Ticket.account_id == account_id).order_by(Ticket.opened_at.desc())
    )
    return tuple(
        TicketRow(
            t.id,
            t.external_id,
            t.subject,
            t.priority,
            t.status,
            t.opened_at,
            t.first_response_at,
            t.resolved_at,
            ticket_sla(t.priority, t.opened_at, t.first_response_at, t.resolved_at, now=now),
        )
        for t in tickets
    )


def _surveys(session: Session, account_id: int) -> tuple[SurveyRow, ...]:
    rows = session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.account_id == account_id)
        .order_by(SurveyResponse.responded_on.desc())
    )
    return tuple(
        SurveyRow(s.id, s.responded_on, s.respondent, s.nps, s.csat, s.comment) for s in rows
    )


def _tasks(session: Session, account_id: int) -> tuple[TaskRow, ...]:
    rows = session.scalars(
        select(Task).where(Task.account_id == account_id).order_by(Task.due_on, Task.id)
    )
    return tuple(
        TaskRow(t.id, t.type, t.title, t.due_on, t.status, t.notes, t.completed_at) for t in rows
    )


def _activity(session: Session, account_id: int) -> tuple[ActivityRow, ...]:
    rows = session.execute(
        select(Activity.id, Activity.at, Activity.actor, Activity.kind, Activity.summary)
        .where(Activity.account_id == account_id)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(ACTIVITY_LIMIT)
    )
    return tuple(ActivityRow(*row) for row in rows)


def _plans(session: Session) -> tuple[str, ...]:
    return tuple(plan.name for plan in plans(session))


def load_account_detail(
    portfolio: Portfolio, account_id: int, *, today: dt.date | None = None
) -> AccountDetail:
    """Read everything the account 360 shows.

    Args:
        portfolio: The open portfolio.
        account_id: The account.
        today: The day stages, renewal figures and open-ticket SLAs are judged on.

    Returns:
        The account's detail.

    Raises:
        NotFoundError: No account has this id (it may have been removed meanwhile).
    """
    today = today or dt.date.today()
    now = dt.datetime.combine(today, dt.datetime.now().time())
    with portfolio.read() as session:
        acc = session.get(Account, account_id)
        if acc is None:
            raise NotFoundError(f"account {account_id} no longer exists")
        model_name, breakdown, source = _breakdown(session, acc)
        history = tuple(
            HealthPoint(*row)
            for row in session.execute(
                select(
                    HealthSnapshot.as_of,
                    HealthSnapshot.score,
                    HealthSnapshot.band,
                    HealthSnapshot.source,
                    HealthSnapshot.reason,
                )
                .where(HealthSnapshot.account_id == account_id)
                .order_by(HealthSnapshot.as_of, HealthSnapshot.id)
            )
        )
        roi = _roi(session, account_id)
        surveys = _surveys(session, account_id)
        alerts = tuple(
            session.scalars(
                select(Alert.message)
                .where(Alert.account_id == account_id, Alert.dismissed.is_(False))
                .order_by(Alert.raised_on.desc())
            )
        )
        contacts = tuple(
            ContactRow(c.id, c.name, c.email, c.role, bool(c.executive_sponsor))
            for c in session.scalars(
                select(Contact)
                .where(Contact.account_id == account_id)
                .order_by(Contact.executive_sponsor.desc(), Contact.name)
            )
        )
        return AccountDetail(
            header=_header(acc, today, crm_likelihoods(session, [account_id]).get(account_id)),
            model_name=model_name,
            breakdown=breakdown,
            breakdown_source=source,
            history=history,
            metrics=_metrics(session, account_id),
            roi=roi,
            roi_result=compute_roi(roi.inputs(), acc.arr),
            contacts=contacts,
            tickets=_tickets(session, account_id, now),
            surveys=surveys,
            nps=nps(s.nps for s in surveys),
            csat=csat(s.csat for s in surveys),
            tasks=_tasks(session, account_id),
            activity=_activity(session, account_id),
            alerts=alerts,
            plans=_plans(session),
            opportunities=tuple(account_opportunities(session, account_id)),
        )
