"""The draft executive summary's facts for one account, and what the plan editor reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError
from csdesk.models import Account, Contact, MetricSnapshot, SurveyResponse, Ticket
from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.formatting import Formats, formats_for
from csdesk.scoring.kpis import csat, nps, sla_attainment, ticket_sla
from csdesk.scoring.narrative import SummaryFacts, draft_executive_summary
from csdesk.scoring.rounding import to_decimal
from csdesk.scoring.success_plan import SuccessPlan
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES
from csdesk.services.branding import load_branding
from csdesk.services.success_plans import account_metric_keys, load_success_plan

__all__ = [
    "STANDARD_GOAL_METRICS",
    "PlanEditorData",
    "draft_summary",
    "load_plan_editor",
    "review_start",
    "summary_facts",
]

STANDARD_GOAL_METRICS = ("features_used", "logins_30d", "open_tickets", "usage")
"""Metrics a goal can link to even before the account records them (the health model's)."""

_TREND_METRICS = ("usage", "logins_30d", "features_used", "features_total")


def review_start(contract_start: dt.date | None, today: dt.date) -> dt.date:
    """The first day of the period a summary looks back on: the last year, or since the start."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today - dt.timedelta(days=365)
    return year_ago if contract_start is None else max(contract_start, year_ago)


def _decimal(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _then_and_now(
    points: list[tuple[dt.date, float]], start: dt.date | None, today: dt.date
) -> tuple[Decimal | None, Decimal | None]:
    known = [(day, value) for day, value in points if day <= today]
    if not known:
        return None, None
    now = known[-1][1]
    before = [value for day, value in known if start is not None and day <= start]
    then = before[-1] if before else known[0][1]
    return _decimal(then), _decimal(now)


def summary_facts(
    session: Session,
    account_id: int,
    today: dt.date,
    *,
    plan: SuccessPlan | None = None,
    case: BusinessCase | None = None,
) -> SummaryFacts:
    """Gather what the draft speaks of: value, adoption, goals and support over the last year.

    Args:
        session: An open session (only read from).
        account_id: The account.
        today: The day the summary is written.
        plan: The account's success plan when the caller has it already.
        case: The account's business case when the caller has assembled it already (an export):
            its ROI, plan and vendor are used instead of assembling the case a second time.

    Raises:
        NotFoundError: No account has this id.
    """
    vendor = case.branding.vendor_name if case is not None else None
    if case is not None and plan is None:
        plan = case.plan
    case = case if case is not None else assemble_case(session, account_id, today=today)
    account = session.get(Account, account_id)
    assert account is not None  # assemble_case raised otherwise
    start = review_start(account.contract_start, today)
    series: dict[str, list[tuple[dt.date, float]]] = {key: [] for key in _TREND_METRICS}
    for metric, as_of, value in session.execute(
        select(MetricSnapshot.metric, MetricSnapshot.as_of, MetricSnapshot.value)
        .where(
            MetricSnapshot.account_id == account_id,
            MetricSnapshot.metric.in_(_TREND_METRICS),
        )
        .order_by(MetricSnapshot.as_of)
    ):
        series[metric].append((as_of, value))
    usage_then, usage_now = _then_and_now(series["usage"], start, today)
    users_then, users_now = _then_and_now(series["logins_30d"], start, today)
    _, used = _then_and_now(series["features_used"], start, today)
    _, total = _then_and_now(series["features_total"], start, today)
    since = dt.datetime.combine(start or dt.date.min, dt.time())
    until = dt.datetime.combine(today, dt.time.max)
    tickets = list(
        session.execute(
            select(Ticket.priority, Ticket.opened_at, Ticket.first_response_at, Ticket.resolved_at)
            .where(Ticket.account_id == account_id, Ticket.opened_at >= since)
            .where(Ticket.opened_at <= until)
        )
    )
    resolved = sum(1 for t in tickets if t.resolved_at is not None and t.resolved_at <= until)
    sla = sla_attainment(ticket_sla(*t, now=until) for t in tickets)
    answers = list(
        session.execute(
            select(SurveyResponse.nps, SurveyResponse.csat).where(
                SurveyResponse.account_id == account_id,
                SurveyResponse.responded_on >= (start or dt.date.min),
                SurveyResponse.responded_on <= today,
            )
        )
    )
    promoter_score = nps(a.nps for a in answers)
    satisfaction = csat(a.csat for a in answers)
    roi = case.roi.result
    plan = plan if plan is not None else load_success_plan(session, account_id, today)
    return SummaryFacts(
        client=account.name,
        vendor=vendor if vendor is not None else load_branding(session).vendor_name,
        term_start=start,
        today=today,
        total_value=_decimal(roi.total_value) if roi.lines else None,
        roi_multiple=_decimal(roi.multiple),
        payback_months=_decimal(roi.payback_months),
        usage_then=usage_then,
        usage_now=usage_now,
        users_then=users_then,
        users_now=users_now,
        features_used=int(used) if used is not None else None,
        features_total=int(total) if total else None,
        goals=tuple(goal for goal in plan.goals if not goal.internal),
        tickets_resolved=resolved or None,
        sla_percent=_decimal(sla),
        nps=_decimal(promoter_score),
        csat_mean=_decimal(satisfaction.mean) if satisfaction else None,
    )


def draft_summary(
    session: Session, account_id: int, today: dt.date, *, case: BusinessCase | None = None
) -> str:
    """A draft executive summary in the portfolio's currency and number format.

    Args:
        session: An open session (only read from).
        account_id: The account.
        today: The day the summary is written.
        case: The account's case with its stored plan and branding, when the caller (an
            export) has assembled it already; it is not assembled again.

    Raises:
        NotFoundError: No account has this id.
    """
    formats = case.formats if case is not None else formats_for(load_branding(session))
    facts = summary_facts(session, account_id, today, case=case)
    return draft_executive_summary(facts, money=formats.money, number=formats.number)


@dataclass(frozen=True)
class PlanEditorData:
    """What the plan tab shows: the plan, the metrics a goal can link to and the draft.

    Attributes:
        account_id: The account.
        plan: The account's success plan as of today.
        metric_keys: Metric keys the account has history for, plus the health model's.
        draft: The drafted executive summary ("" when the CSM wrote one, and for prospects and
            churned accounts).
        formats: The portfolio's number formats.
        owners: Names a goal's owner is likely to be: the client's contacts and the CSM.
    """

    account_id: int
    plan: SuccessPlan
    metric_keys: tuple[str, ...]
    draft: str
    formats: Formats
    owners: tuple[str, ...] = ()


def load_plan_editor(
    portfolio: Portfolio, account_id: int, today: dt.date | None = None
) -> PlanEditorData:
    """Read everything the plan tab shows in one read transaction.

    Raises:
        NotFoundError: No account has this id.
    """
    today = today or dt.date.today()
    with portfolio.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError(f"account {account_id} no longer exists")
        contacts = session.scalars(select(Contact.name).where(Contact.account_id == account_id))
        owners = tuple(dict.fromkeys([*contacts, *([account.owner] if account.owner else [])]))
        plan = load_success_plan(session, account_id, today)
        formats = formats_for(load_branding(session))
        keys = set(account_metric_keys(session, account_id)) | set(STANDARD_GOAL_METRICS)
        draft = ""
        # A prospect or a lost client has no term to sum up.
        if not plan.narrative.executive_summary and account.status in CUSTOMER_STATUSES:
            facts = summary_facts(session, account_id, today, plan=plan)
            draft = draft_executive_summary(facts, money=formats.money, number=formats.number)
    return PlanEditorData(account_id, plan, tuple(sorted(keys)), draft, formats, owners)
