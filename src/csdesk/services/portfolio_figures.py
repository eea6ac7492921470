"""Portfolio-wide figures: ARR, renewal forecast, retention (GRR, NRR, logo churn) and bands.

One pass over plain account columns (no ORM objects), so the dashboard and the portfolio workbook
can call it on a large portfolio. Retention is measured over the trailing twelve months: the
accounts that were customers when the period began, the ARR of those that churned since, and the
ARR changes recorded in the timeline (edits of ``arr`` that logged their old and new value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.models import Account, ArrEvent, RenewalOutcome
from csdesk.scoring.bands import BAND_ORDER, Band, band_for
from csdesk.scoring.kpis import arr_by_band, band_distribution, grr, logo_churn, nrr
from csdesk.scoring.renewal import days_until, forecast_arr, is_overdue, likelihood
from csdesk.scoring.rounding import money, to_decimal
from csdesk.scoring.vocabulary import CHURNED, CUSTOMER_STATUSES

__all__ = [
    "CUSTOMER_STATUSES",
    "NO_SCORE",
    "PortfolioFigures",
    "account_rows",
    "portfolio_figures",
]

NO_SCORE = "No score"
"""Label of the accounts without a health score in the band figures."""


@dataclass(frozen=True, slots=True)
class PortfolioFigures:
    """The portfolio at a glance.

    Attributes:
        as_of: The day the figures are for.
        period_start: First day of the trailing twelve months the retention figures cover.
        accounts: Every account.
        customers: Active and pilot accounts.
        prospects: Prospect accounts.
        churned: Churned accounts.
        total_arr: ARR of the active and pilot accounts.
        renewals_90: Renewals due in the next 90 days (count, ARR, forecast ARR).
        renewals_365: Renewals due in the next 365 days (count, ARR, forecast ARR).
        overdue_renewals: Active or pilot accounts whose renewal date has passed.
        start_arr: ARR of the accounts that were customers at the period start.
        churned_arr: ARR of those that have churned since.
        contraction: ARR lost by retained accounts since the period start (from the ARR history).
        expansion: ARR gained by retained accounts since the period start.
        grr: Gross revenue retention (0.92 = 92%), or None.
        nrr: Net revenue retention, or None.
        logo_churn: Share of the starting accounts lost, or None.
        band_counts: ``(band name, customers)`` best first, then ``No score``.
        arr_by_band: ``(band name, ARR)`` in the same order.
    """

    as_of: dt.date
    period_start: dt.date
    accounts: int
    customers: int
    prospects: int
    churned: int
    total_arr: Decimal
    renewals_90: tuple[int, Decimal, Decimal]
    renewals_365: tuple[int, Decimal, Decimal]
    overdue_renewals: int
    start_arr: Decimal
    churned_arr: Decimal
    contraction: Decimal
    expansion: Decimal
    grr: float | None
    nrr: float | None
    logo_churn: float | None
    band_counts: tuple[tuple[str, int], ...]
    arr_by_band: tuple[tuple[str, Decimal], ...]


def _money(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


def _churn_dates(session: Session) -> dict[int, dt.date]:
    """Each account's newest recorded churn outcome (SPEC 2.9): when it left."""
    query = (
        select(RenewalOutcome.account_id, func.max(RenewalOutcome.on_date))
        .where(RenewalOutcome.outcome == CHURNED)
        .group_by(RenewalOutcome.account_id)
    )
    return {account_id: on for account_id, on in session.execute(query)}


def _left_on(row: Any, churn_dates: dict[int, dt.date]) -> dt.date:
    """When a churned account left: its churn outcome, else its churn date, else its renewal
    date (older portfolios); an account with none of them counts as lost in the period."""
    return churn_dates.get(row.id) or row.churned_on or row.renewal_date or dt.date.max


def _starting_arr(session: Session, since: dt.date) -> dict[int, Decimal | None]:
    """The ARR each account had on ``since``, for the accounts whose ARR changed after it.

    Every ARR change is recorded in ``arr_events`` by a database trigger, so the value an account
    had at the start of the period is the old value of its first change after that day.
    """
    start = dt.datetime.combine(since, dt.time())
    rows = session.execute(
        select(ArrEvent.account_id, ArrEvent.old_arr)
        .where(ArrEvent.changed_at >= start)
        .order_by(ArrEvent.account_id, ArrEvent.changed_at, ArrEvent.id)
    )
    first: dict[int, Decimal | None] = {}
    for account_id, old_arr in rows:
        first.setdefault(account_id, old_arr)
    return first


def _window(rows: list[Any], today: dt.date, days: int) -> tuple[int, Decimal, Decimal]:
    end = today + dt.timedelta(days=days)
    due = [r for r in rows if r.renewal_date is not None and today <= r.renewal_date <= end]
    renewals = ((r.arr, band_for(r.health_score), r.renewal_date) for r in due)
    return len(due), _money(r.arr for r in due), forecast_arr(renewals, today, end)


def portfolio_figures(session: Session, *, today: dt.date) -> PortfolioFigures:
    """Compute the portfolio figures as of ``today``.

    Args:
        session: An open session (only read from).
        today: The day the figures are for.

    Returns:
        The figures.
    """
    rows = list(
        session.execute(
            select(
                Account.id,
                Account.status,
                Account.arr,
                Account.contract_start,
                Account.renewal_date,
                Account.churned_on,
                Account.health_score,
            )
        )
    )
    churn_dates = _churn_dates(session)
    customers = [r for r in rows if r.status in CUSTOMER_STATUSES]
    period_start = today - dt.timedelta(days=365)
    cohort = [
        r
        for r in rows
        if r.status != "prospect"
        and r.contract_start is not None
        and r.contract_start <= period_start
        and (r.status != CHURNED or _left_on(r, churn_dates) >= period_start)
    ]
    lost = [r for r in cohort if r.status == CHURNED]
    changed = _starting_arr(session, period_start)
    starting = {r.id: changed.get(r.id, r.arr) for r in cohort}
    start_arr = _money(starting.values())
    churned_arr = _money(starting[r.id] for r in lost)
    deltas = [
        (r.arr or Decimal(0)) - (starting[r.id] or Decimal(0))
        for r in cohort
        if r.status != CHURNED
    ]
    contraction = -sum((d for d in deltas if d < 0), Decimal("0.00"))
    expansion = sum((d for d in deltas if d > 0), Decimal("0.00"))
    counts = band_distribution(r.health_score for r in customers)
    arr = arr_by_band((r.arr, r.health_score) for r in customers)
    order = [*BAND_ORDER, None]
    return PortfolioFigures(
        as_of=today,
        period_start=period_start,
        accounts=len(rows),
        customers=len(customers),
        prospects=sum(1 for r in rows if r.status == "prospect"),
        churned=sum(1 for r in rows if r.status == CHURNED),
        total_arr=_money(r.arr for r in customers),
        renewals_90=_window(customers, today, 90),
        renewals_365=_window(customers, today, 365),
        overdue_renewals=sum(1 for r in customers if is_overdue(r.renewal_date, today, r.status)),
        start_arr=start_arr,
        churned_arr=churned_arr,
        contraction=contraction,
        expansion=expansion,
        grr=grr(start_arr, churned_arr, contraction) if start_arr else None,
        nrr=nrr(start_arr, churned_arr, contraction, expansion) if start_arr else None,
        logo_churn=logo_churn(len(cohort), len(lost)),
        band_counts=tuple((b.value if b else NO_SCORE, counts[b]) for b in order),
        arr_by_band=tuple((b.value if b else NO_SCORE, arr[b]) for b in order),
    )


def account_rows(portfolio: Portfolio, *, today: dt.date) -> list[dict[str, Any]]:
    """Every account as the portfolio listing shows it, plus its renewal outlook.

    Adds to each ``csdesk accounts --json`` row: ``renewal_date`` as a date, ``days_left``,
    ``renewal_overdue``, and for active and pilot accounts the renewal ``likelihood`` (by band)
    and ``forecast`` (ARR × likelihood).

    Args:
        portfolio: The open portfolio.
        today: The day the outlook is for.

    Returns:
        One dict per account, ordered by name.
    """
    from csdesk.services.accounts import account_listing
    from csdesk.services.opportunities import crm_likelihoods

    rows = account_listing(portfolio, today=today)
    # The listing names accounts by crm_id (else name): the CRM likelihoods follow those keys.
    with portfolio.read() as session:
        by_id = crm_likelihoods(session)
        keys = (
            session.execute(
                select(Account.id, Account.crm_id, Account.name).where(Account.id.in_(by_id))
            ).all()
            if by_id
            else []
        )
    crm = {(crm_id or name): by_id[account_id] for account_id, crm_id, name in keys}
    bands = {band.value: band for band in Band}
    for row in rows:
        renewal = dt.date.fromisoformat(row["renewal_date"]) if row["renewal_date"] else None
        customer = row["status"] in CUSTOMER_STATUSES
        chance = likelihood(bands.get(row["health_band"] or "")) if customer else None
        crm_chance = crm.get(row["crm_id"] or row["name"])
        if customer and crm_chance is not None:
            chance = crm_chance
        arr = row["arr"]
        row.update(
            renewal_date=renewal,
            days_left=days_until(renewal, today) if customer else None,  # only they renew
            renewal_overdue=is_overdue(renewal, today, row["status"]),
            likelihood=chance,
            forecast=money(arr * to_decimal(chance))
            if chance is not None and arr is not None
            else None,
        )
    return rows
