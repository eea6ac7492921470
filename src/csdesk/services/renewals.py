"""Renewals: what is due in a window, milestone task states, price proposals, monthly forecast.

Reads plain columns of active and pilot accounts (SPEC 2.4): likelihood comes from the health
band, forecast ARR = ARR × likelihood, and an active or pilot renewal date in the past is
flagged overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import Account, MetricLatest, Task
from csdesk.reports.case_queries import plans
from csdesk.scoring.bands import band_for
from csdesk.scoring.catalog import find_plan
from csdesk.scoring.renewal import (
    ExpansionSignal,
    RenewalPrice,
    days_until,
    expansion_signal,
    forecast_from,
    is_overdue,
    likelihood,
    milestones,
    renewal_price,
    renews,
)
from csdesk.scoring.rounding import money, to_decimal
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES, NOT_DONE_STATUSES, RENEWAL_MILESTONE
from csdesk.services.edits.base import get_account
from csdesk.services.opportunities import CRM_LABEL, crm_likelihoods, expansion_forecast

__all__ = [
    "WINDOWS",
    "MilestoneState",
    "MonthForecast",
    "RenewalProposal",
    "RenewalRow",
    "RenewalWindow",
    "forecast_by_month",
    "milestone_states",
    "renewal_proposal",
    "renewals_due",
]

WINDOWS = (30, 60, 90, 180)
"""The renewal windows offered, in days from today."""

MILESTONE_TYPE = RENEWAL_MILESTONE


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """One renewal.

    Attributes:
        account_id: The account.
        name: Account name.
        owner: CSM, or None.
        status: ``active`` or ``pilot``.
        tier: Plan tier, or None.
        renewal_date: Contract end date.
        days_left: Days from today (negative when past).
        arr: ARR, or None.
        health_score: Health score, or None.
        health_band: Band name of that score, or None.
        likelihood: Renewal likelihood: the CRM's open renewal probability, else from the band
            (0.50 without a score).
        forecast: ARR × likelihood, to cents; None without ARR.
        overdue: The renewal date has passed ("renewal overdue").
        likelihood_source: ``"CRM"`` when the likelihood is the CRM's, else ``"health"``.
    """

    account_id: int
    name: str
    owner: str | None
    status: str
    tier: str | None
    renewal_date: dt.date
    days_left: int
    arr: Decimal | None
    health_score: float | None
    health_band: str | None
    likelihood: float
    forecast: Decimal | None
    overdue: bool
    likelihood_source: str = "health"


@dataclass(frozen=True, slots=True)
class RenewalWindow:
    """The renewals of a window.

    Attributes:
        as_of: Today.
        days: Window length in days.
        rows: Overdue renewals first, then those due in the window, by date.
        due_count: Renewals due in the window (overdue ones not counted).
        due_arr: Their ARR.
        forecast: Their forecast ARR (Σ ARR × likelihood).
        overdue_count: Overdue renewals listed.
        expansion: Forecast expansion ARR of open expansion opportunities closing in the window
            (amount × probability).
    """

    as_of: dt.date
    days: int
    rows: tuple[RenewalRow, ...]
    due_count: int
    due_arr: Decimal
    forecast: Decimal
    overdue_count: int
    expansion: Decimal = Decimal("0.00")


def _row(r: Any, today: dt.date, crm: dict[int, float]) -> RenewalRow:
    band = band_for(r.health_score)
    chance = crm.get(r.id, likelihood(band))
    forecast = None if r.arr is None else money(r.arr * to_decimal(chance))
    return RenewalRow(
        r.id,
        r.name,
        r.owner,
        r.status,
        r.tier,
        r.renewal_date,
        days_until(r.renewal_date, today) or 0,
        r.arr,
        r.health_score,
        band.value if band else None,
        chance,
        forecast,
        is_overdue(r.renewal_date, today, r.status),
        CRM_LABEL if r.id in crm else "health",
    )


_COLUMNS = (
    Account.id,
    Account.name,
    Account.owner,
    Account.status,
    Account.tier,
    Account.renewal_date,
    Account.arr,
    Account.health_score,
)


def renewals_due(
    portfolio: Portfolio, *, today: dt.date, days: int, include_overdue: bool = True
) -> RenewalWindow:
    """Active and pilot renewals due from today to ``today + days``, and the overdue ones.

    Args:
        portfolio: The open portfolio.
        today: The day the window starts.
        days: Window length (30, 60, 90, 180 or any positive number).
        include_overdue: Also list renewals whose date has passed.

    Returns:
        The window's renewals and totals.

    Raises:
        ValidationError: ``days`` is not positive.
    """
    if days <= 0:
        raise ValidationError(f"a renewal window must be at least one day (got {days})")
    end = today + dt.timedelta(days=days)
    query = select(*_COLUMNS).where(
        Account.status.in_(CUSTOMER_STATUSES),
        Account.renewal_date.is_not(None),
        Account.renewal_date <= end,
    )
    if not include_overdue:
        query = query.where(Account.renewal_date >= today)
    with portfolio.read() as session:
        raw = list(session.execute(query.order_by(Account.renewal_date, Account.name)))
        crm = crm_likelihoods(session, [r.id for r in raw])
        expansion = expansion_forecast(session, today, end)
    rows = tuple(_row(r, today, crm) for r in raw)
    due = [r for r in rows if not r.overdue]
    arr = sum((r.arr for r in due if r.arr is not None), Decimal("0.00"))
    forecast = forecast_from(((r.arr, r.likelihood, r.renewal_date) for r in due), today, end)
    overdue = tuple(r for r in rows if r.overdue)
    return RenewalWindow(
        today,
        days,
        overdue + tuple(due),
        len(due),
        arr,
        forecast,
        len(overdue),
        expansion,
    )


@dataclass(frozen=True, slots=True)
class MilestoneState:
    """A renewal milestone and the state of its task.

    Attributes:
        offset_days: Days before the renewal date (60, 45, 30, 15).
        title: What to do.
        due: When.
        state: ``done``, ``cancelled``, ``open``, ``overdue`` (open or snoozed and past due),
            ``snoozed``; without a task, ``upcoming`` (due later: the renewal is beyond the
            task horizon), ``no task`` (past, and no recompute has run since it passed) or
            ``passed`` (the renewal date itself has passed: its one "renewal overdue" task
            stands for the work left).
        task_id: The task, or None.
    """

    offset_days: int
    title: str
    due: dt.date
    state: str
    task_id: int | None


def milestone_states(
    portfolio: Portfolio, account_id: int, *, today: dt.date
) -> tuple[MilestoneState, ...]:
    """The E−60/−45/−30/−15 milestones of an account's renewal, with their tasks' state.

    Returns:
        The milestones earliest first; empty without a renewal date and for an account that
        does not renew (churned, prospect).

    Raises:
        NotFoundError: The account does not exist.
    """
    with portfolio.read() as session:
        account = get_account(session, account_id)
        renewal = account.renewal_date
        if renewal is None or not renews(account.status):
            return ()
        tasks = list(
            session.execute(
                select(Task.id, Task.key, Task.due_on, Task.status).where(
                    Task.account_id == account_id, Task.type == MILESTONE_TYPE
                )
            )
        )
    by_key = {t.key: t for t in tasks if t.key}
    by_due = {t.due_on: t for t in tasks}
    states = []
    for m in milestones(renewal):
        task = by_key.get(f"renewal:{renewal.isoformat()}:-{m.offset_days}") or by_due.get(m.due)
        if task is None:
            past = "passed" if renewal < today else "no task"
            state = "upcoming" if m.due >= today else past
            task_id = None
        else:
            task_id = task.id
            state = task.status
            if task.status in NOT_DONE_STATUSES and task.due_on < today:
                state = "overdue"
        states.append(MilestoneState(m.offset_days, m.title, m.due, state, task_id))
    return tuple(states)


@dataclass(frozen=True, slots=True)
class RenewalProposal:
    """The renewal price proposal and expansion suggestion of one account.

    Attributes:
        account_id: The account.
        name: Account name.
        status: Account status.
        tier: Plan tier, or None.
        annual_prepay: Whether the client prepays annually (10% loyalty discount).
        pilot_discount: The pilot discount, or None.
        usage: Newest monthly usage, or None.
        price: The proposal (current, list, renewal price, discount, 24-month lock, notes).
        expansion: The next-tier suggestion, or None.
        included_volume: The tier's included monthly volume; None when unlimited or no tier.
    """

    account_id: int
    name: str
    status: str
    tier: str | None
    annual_prepay: bool
    pilot_discount: float | None
    usage: float | None
    price: RenewalPrice
    expansion: ExpansionSignal | None
    included_volume: float | None = None


def renewal_proposal(portfolio: Portfolio, account_id: int) -> RenewalProposal:
    """Price an account's renewal and check for an expansion signal (SPEC 2.4).

    Raises:
        NotFoundError: The account does not exist.
    """
    with portfolio.read() as session:
        acc = get_account(session, account_id)
        catalog = plans(session)
        usage = session.scalar(
            select(MetricLatest.value).where(
                MetricLatest.account_id == account_id, MetricLatest.metric == "usage"
            )
        )
        plan = find_plan(catalog, acc.tier)
        price = renewal_price(
            acc.arr,
            plan,
            acc.status,
            pilot_discount=acc.pilot_discount,
            annual_prepay=bool(acc.annual_prepay),
        )
        return RenewalProposal(
            acc.id,
            acc.name,
            acc.status,
            acc.tier,
            bool(acc.annual_prepay),
            acc.pilot_discount,
            usage,
            price,
            expansion_signal(usage, plan, catalog),
            plan.included_volume if plan is not None else None,
        )


@dataclass(frozen=True, slots=True)
class MonthForecast:
    """Renewals due in one calendar month.

    Attributes:
        month: The month's first day.
        count: Renewals due.
        arr: Their ARR.
        forecast: Their forecast ARR.
    """

    month: dt.date
    count: int
    arr: Decimal
    forecast: Decimal


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def forecast_by_month(
    portfolio: Portfolio, *, today: dt.date, months: int = 12
) -> tuple[MonthForecast, ...]:
    """Renewal ARR and forecast ARR per month, from today's month on.

    The current month counts from today (overdue renewals are not forecast).

    Args:
        portfolio: The open portfolio.
        today: Today.
        months: How many months.

    Returns:
        One entry per month, zeros kept.
    """
    first = today.replace(day=1)
    spans = []
    for _ in range(months):
        end = _month_end(first)
        spans.append((max(first, today), end))
        first = end + dt.timedelta(days=1)
    if not spans:
        return ()
    query = select(Account.id, Account.renewal_date, Account.arr, Account.health_score).where(
        Account.status.in_(CUSTOMER_STATUSES),
        Account.renewal_date >= today,
        Account.renewal_date <= spans[-1][1],
    )
    with portfolio.read() as session:
        rows = list(session.execute(query))
        crm = crm_likelihoods(session, [r.id for r in rows])
    result = []
    for start, end in spans:
        due = [r for r in rows if start <= r.renewal_date <= end]
        renewals = (
            (r.arr, crm.get(r.id, likelihood(band_for(r.health_score))), r.renewal_date)
            for r in due
        )
        result.append(
            MonthForecast(
                start.replace(day=1),
                len(due),
                sum((r.arr for r in due if r.arr is not None), Decimal("0.00")),
                forecast_from(renewals, start, end),
            )
        )
    return tuple(result)
