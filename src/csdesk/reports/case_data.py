"""The renewal business case of one account: every figure the PDF and the workbook both show.

:func:`assemble_case` reads one account and computes its case once (ROI with scenarios, health,
usage, renewal proposal, success metrics, next steps) into frozen dataclasses; the renderers only
lay it out, so the PDF and the workbook can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from csdesk.errors import NotFoundError
from csdesk.reports import case_queries as q
from csdesk.reports import case_support
from csdesk.reports.case_rules import health_lines, next_steps, recommendation, success_metrics
from csdesk.reports.case_types import (
    AccountFacts,
    BusinessCase,
    HealthLine,
    HealthPoint,
    HealthSection,
    NextStep,
    RenewalSection,
    RoiSection,
    SeriesPoint,
    SuccessMetric,
    UsageSection,
)
from csdesk.reports.formatting import formats_of
from csdesk.scoring.bands import Band, band_for
from csdesk.scoring.branding import Branding
from csdesk.scoring.breakdown import breakdown_records
from csdesk.scoring.catalog import find_plan
from csdesk.scoring.health_models import HealthModel
from csdesk.scoring.lifecycle import lifecycle_stage
from csdesk.scoring.renewal import (
    days_until,
    expansion_signal,
    is_overdue,
    likelihood,
    renewal_price,
)
from csdesk.scoring.roi import RoiInputs, compute_roi
from csdesk.scoring.rounding import money, to_decimal
from csdesk.scoring.success_plan import SuccessPlan

__all__ = [
    "AccountFacts",
    "BusinessCase",
    "HealthLine",
    "HealthPoint",
    "HealthSection",
    "NextStep",
    "RenewalSection",
    "RoiSection",
    "SeriesPoint",
    "SuccessMetric",
    "UsageSection",
    "assemble_case",
]


def _band_name(score: float | None, stored: str | None) -> str | None:
    if stored:
        return stored
    band = band_for(score)
    return band.value if band else None


def _roi(
    session: Session, account_id: int, arr: float | None, latest: dict[str, float]
) -> RoiSection:
    stored, custom = q.roi_inputs(session, account_id)
    inputs = RoiInputs(
        qa_hours_saved_per_month=latest.get("qa_hours_saved_per_month"),
        hourly_rate=stored.get("hourly_rate"),
        incidents_avoided_per_year=stored.get("incidents_avoided_per_year"),
        cost_per_incident=stored.get("cost_per_incident"),
        revenue_protected=stored.get("revenue_protected"),
        custom_lines=custom,
    )
    has_inputs = bool(custom) or any(
        getattr(inputs, name) is not None for name in q.ROI_INPUT_FIELDS
    )
    return RoiSection(inputs, compute_roi(inputs, arr), has_inputs)


def _health(
    session: Session,
    row: Any,
    model: HealthModel | None,
    latest: dict[str, float],
    today: dt.date,
    models: Mapping[str, HealthModel] | None,
) -> HealthSection:
    score: float | None = row.health_score
    snapshot = q.latest_snapshot(session, row.id)
    stored = None
    if snapshot is not None and snapshot.breakdown:
        named = model if model and model.name == snapshot.model_name else None
        if named is None and snapshot.model_name:
            found = q.health_model(session, snapshot.model_name, models)
            named = found if found and found.name == snapshot.model_name else None
        stored = breakdown_records(snapshot.breakdown, named)
    history = q.health_history(session, row.id, today)
    return HealthSection(
        score=score,
        band=_band_name(score, row.health_band),
        computed_score=row.health_computed_score,
        override_reason=row.health_override_reason,
        model_name=(snapshot.model_name if snapshot else None) or (model.name if model else None),
        as_of=snapshot.as_of if snapshot else None,
        breakdown=health_lines(stored, model, latest, score),
        history=tuple(HealthPoint(d, s, b) for d, s, b in history),
    )


def assemble_case(
    session: Session,
    account_id: int,
    *,
    today: dt.date,
    models: Mapping[str, HealthModel] | None = None,
    plan: SuccessPlan | None = None,
    branding: Branding | None = None,
) -> BusinessCase:
    """Gather and compute one account's renewal business case.

    Args:
        session: An open session (only read from).
        account_id: The account's id.
        today: The day the case is prepared (days left, milestone status, lifecycle stage).
        models: Health models by name; defaults to the shipped models plus the user's own.
        plan: The account's success plan (goals and the CSM's texts); none when not given.
        branding: The portfolio's branding; its currency replaces the stored setting.

    Returns:
        The case; missing data gives empty sections (no ROI inputs, no score …), never an error.

    Raises:
        NotFoundError: No account has this id.
    """
    row = q.account_row(session, account_id)
    if row is None:
        raise NotFoundError(f"no account with id {account_id}")
    model = q.health_model(session, row.health_model, models)
    latest = q.latest_metrics(session, account_id)
    plans = q.plans(session)
    tier_plan = find_plan(plans, row.tier)
    stage = lifecycle_stage(row.contract_start, today, row.status)
    account = AccountFacts(
        id=row.id,
        crm_id=row.crm_id,
        name=row.name,
        industry=row.industry,
        segment=row.segment,
        country=row.country,
        owner=row.owner,
        status=row.status,
        tier=tier_plan.name if tier_plan else row.tier,
        arr=row.arr,
        contract_start=row.contract_start,
        renewal_date=row.renewal_date,
        stage=stage.value if stage else None,
        annual_prepay=bool(row.annual_prepay),
        pilot_discount=row.pilot_discount,
        sponsor=q.sponsor(session, account_id),
    )
    roi = _roi(session, account_id, row.arr, latest)
    health = _health(session, row, model, latest, today, models)
    usage_points, login_points = q.usage_series(session, account_id)
    usage = UsageSection(
        usage=tuple(SeriesPoint(d, v) for d, v in usage_points),
        logins=tuple(SeriesPoint(d, v) for d, v in login_points),
        latest_usage=latest.get("usage"),
        usage_limit=latest.get("usage_limit"),
        included_volume=tier_plan.included_volume if tier_plan else None,
    )

    band = Band(health.band) if health.band in {b.value for b in Band} else None
    # The CRM's open renewal probability, where it gives one, is the renewal's likelihood.
    chance = q.crm_likelihoods(session, [account_id]).get(account_id, likelihood(band))
    expansion = expansion_signal(latest.get("usage"), tier_plan, plans)
    shown = formats_of(
        branding.currency if branding is not None else "USD",
        branding.locale if branding is not None else "en_US",
    )
    tier, advice = recommendation(tier_plan, expansion, row.tier, latest.get("usage"), shown)
    renewal = RenewalSection(
        renewal_date=row.renewal_date,
        days_left=days_until(row.renewal_date, today),
        overdue=is_overdue(row.renewal_date, today, row.status),
        likelihood=chance,
        forecast=money(row.arr * to_decimal(chance)) if row.arr is not None else None,
        price=renewal_price(
            row.arr,
            tier_plan,
            row.status,
            row.pilot_discount,
            annual_prepay=bool(row.annual_prepay),
        ),
        expansion=expansion,
        recommended_tier=tier,
        recommendation=advice,
    )
    steps = next_steps(
        renewal_date=row.renewal_date,
        overdue=renewal.overdue,
        tasks=q.tasks(session, account_id),
        today=today,
        has_roi=roi.result.multiple is not None,
        band=health.band,
        weakest=[
            f"{line.label} ({shown.percent(line.attainment)} of target)"
            for line in health.breakdown
            if line.attainment is not None and line.attainment < 0.5
        ],
        upgrade_to=expansion.suggested_plan.name
        if expansion and expansion.suggested_plan
        else None,
    )
    return BusinessCase(
        account=account,
        currency=branding.currency if branding is not None else q.currency(session),
        prepared_on=today,
        roi=roi,
        health=health,
        usage=usage,
        renewal=renewal,
        success_metrics=success_metrics(q.targets(session, account_id), model, latest),
        next_steps=steps,
        support=case_support.support(session, account_id, today),
        contacts=case_support.contacts(session, account_id),
        # Wiring point: the services load the stored plan and branding and pass them here.
        plan=plan if plan is not None else SuccessPlan(),
        branding=branding if branding is not None else Branding(),
    )
