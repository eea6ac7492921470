"""The dashboard's read model: portfolio KPIs, band figures, at-risk accounts and overdue tasks.

Builds on :func:`~csdesk.services.portfolio_figures.portfolio_figures` (ARR, forecast, GRR, NRR,
bands) and adds satisfaction and support over the trailing 90 days. Everything is read as plain
columns in one read transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from csdesk.db import Portfolio
from csdesk.models import Account, SurveyResponse, Task, Ticket
from csdesk.scoring.bands import DEFAULT_THRESHOLDS, Band, band_for
from csdesk.scoring.kpis import Csat, csat, nps, sla_attainment, ticket_sla
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES, NOT_DONE_STATUSES
from csdesk.services.portfolio_figures import PortfolioFigures, portfolio_figures

__all__ = [
    "KPI_DAYS",
    "AtRiskAccount",
    "Dashboard",
    "OverdueTask",
    "load_dashboard",
]

KPI_DAYS = 90
"""NPS, CSAT and SLA attainment cover this many days up to today."""

AT_RISK_BANDS = (Band.AT_RISK, Band.CRITICAL)
LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AtRiskAccount:
    """An active or pilot account in the At Risk or Critical band.

    Attributes:
        account_id: The account.
        name: Account name.
        owner: CSM, or None.
        health_score: Health score.
        health_band: ``At Risk`` or ``Critical``.
        arr: ARR, or None.
        renewal_date: Contract end, or None.
        open_tasks: Tasks not done yet.
    """

    account_id: int
    name: str
    owner: str | None
    health_score: float
    health_band: str
    arr: float | None
    renewal_date: dt.date | None
    open_tasks: int


@dataclass(frozen=True, slots=True)
class OverdueTask:
    """A task not done whose due date has passed.

    Attributes:
        task_id: The task.
        account_id: Its account.
        account_name: The account's name.
        title: What to do.
        type: Task type.
        due_on: When it was due.
        days_overdue: Days since then.
    """

    task_id: int
    account_id: int
    account_name: str
    title: str
    type: str
    due_on: dt.date
    days_overdue: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard shows.

    Attributes:
        as_of: Today.
        figures: ARR, renewal forecast, retention and band figures.
        kpi_start: First day of the satisfaction and support period.
        nps: NPS over the period, or None without answers.
        nps_answers: NPS answers counted.
        csat: CSAT over the period, or None without answers.
        sla_attainment: Percentage of decided tickets opened in the period that met SLA.
        sla_tickets: Decided tickets counted.
        at_risk: At Risk and Critical customers, lowest score first.
        at_risk_total: How many there are (the list stops at 200).
        overdue_tasks: Overdue tasks, oldest first.
        overdue_total: How many there are (the list stops at 200).
    """

    as_of: dt.date
    figures: PortfolioFigures
    kpi_start: dt.date
    nps: float | None
    nps_answers: int
    csat: Csat | None
    sla_attainment: float | None
    sla_tickets: int
    at_risk: tuple[AtRiskAccount, ...]
    at_risk_total: int
    overdue_tasks: tuple[OverdueTask, ...]
    overdue_total: int

    @property
    def forecast_90(self) -> Decimal:
        """Forecast ARR of the renewals due in the next 90 days."""
        return self.figures.renewals_90[2]


def load_dashboard(
    portfolio: Portfolio, *, today: dt.date, now: dt.datetime | None = None
) -> Dashboard:
    """Read the dashboard.

    Args:
        portfolio: The open portfolio.
        today: The day the figures are for.
        now: The moment open tickets are judged at (default: today at the current time).

    Returns:
        The dashboard's figures and lists.
    """
    start = today - dt.timedelta(days=KPI_DAYS)
    now = now or dt.datetime.combine(today, dt.datetime.now().time())
    with portfolio.read() as session:
        figures = portfolio_figures(session, today=today)
        answers = list(
            session.execute(
                select(SurveyResponse.nps, SurveyResponse.csat).where(
                    SurveyResponse.responded_on >= start, SurveyResponse.responded_on <= today
                )
            )
        )
        tickets = list(
            session.execute(
                select(
                    Ticket.priority, Ticket.opened_at, Ticket.first_response_at, Ticket.resolved_at
                ).where(
                    Ticket.opened_at >= dt.datetime.combine(start, dt.time()),
                    Ticket.opened_at <= now,
                )
            )
        )
        open_counts = (
            select(Task.account_id, func.count().label("n"))
            .where(Task.status.in_(NOT_DONE_STATUSES))
            .group_by(Task.account_id)
            .subquery()
        )
        risky = list(
            session.execute(
                select(
                    Account.id,
                    Account.name,
                    Account.owner,
                    Account.health_score,
                    Account.arr,
                    Account.renewal_date,
                    func.coalesce(open_counts.c.n, 0),
                )
                .outerjoin(open_counts, open_counts.c.account_id == Account.id)
                .where(
                    Account.status.in_(CUSTOMER_STATUSES),
                    Account.health_score < DEFAULT_THRESHOLDS.good,
                )
                .order_by(Account.health_score, Account.name)
            )
        )
        overdue_query = (
            select(Task.id, Task.account_id, Account.name, Task.title, Task.type, Task.due_on)
            .join(Account, Account.id == Task.account_id)
            .where(Task.status.in_(NOT_DONE_STATUSES), Task.due_on < today)
        )
        overdue_total = session.scalar(select(func.count()).select_from(overdue_query.subquery()))
        overdue = list(
            session.execute(overdue_query.order_by(Task.due_on, Task.id).limit(LIST_LIMIT))
        )
    nps_answers = [a.nps for a in answers if a.nps is not None]
    statuses = [
        ticket_sla(t.priority, t.opened_at, t.first_response_at, t.resolved_at, now=now)
        for t in tickets
    ]
    at_risk = []
    for r in risky:
        band = band_for(r.health_score)
        if band is not None and band in AT_RISK_BANDS:
            at_risk.append(
                AtRiskAccount(
                    r.id, r.name, r.owner, r.health_score, band.value, r.arr, r.renewal_date, r[6]
                )
            )
    return Dashboard(
        as_of=today,
        figures=figures,
        kpi_start=start,
        nps=nps(nps_answers),
        nps_answers=len(nps_answers),
        csat=csat(a.csat for a in answers),
        sla_attainment=sla_attainment(statuses),
        sla_tickets=sum(1 for s in statuses if s.met is not None),
        at_risk=tuple(at_risk[:LIST_LIMIT]),
        at_risk_total=len(at_risk),
        overdue_tasks=tuple(
            OverdueTask(
                t.id, t.account_id, t.name, t.title, t.type, t.due_on, (today - t.due_on).days
            )
            for t in overdue
        ),
        overdue_total=overdue_total or 0,
    )
