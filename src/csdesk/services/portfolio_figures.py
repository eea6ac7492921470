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

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.models import Account, ArrEvent
from csdesk.scoring.bands import BAND_ORDER, Band, band_for
from csdesk.scoring.kpis import arr_by_band, band_distribution, grr, logo_churn, nrr
from csdesk.scoring.renewal import days_until, forecast_arr, is_overdue, likelihood
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
    total_arr: float
    renewals_90: tuple[int, float, float]
    renewals_365: tuple[int, float, float]
    overdue_renewals: int
    start_arr: float
    churned_arr: float
    contraction: float
    expansion: float
    grr: float | None
    nrr: float | None
    logo_churn: float | None
    band_counts: tuple[tuple[str, int], ...]
    arr_by_band: tuple[tuple[str, float], ...]


def _money(values: Iterable[float | None]) -> float:
    return float(sum((Decimal(str(v)) for v in values if v is not None), Decimal(0)))


def _starting_arr(session: Session, since: dt.date) -> dict[int, float | None]:
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
    first: dict[int, float | None] = {}
    for account_id, old_arr in rows:
        first.setdefault(account_id, old_arr)
    return first


def _window(rows: list[Any], today: dt.date, days: int) -> tuple[int, float, float]:
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
                Account.health_score,
            )
        )
    )
    customers = [r for r in rows if r.status in CUSTOMER_STATUSES]
    period_start = today - dt.timedelta(days=365)
    cohort = [
        r
        for r in rows
        if r.status != "prospect"
        and r.contract_start is not None
        and r.contract_start <= period_start
        and (r.status != CHURNED or r.renewal_date is None or r.renewal_date >= period_start)
    ]
    lost = [r for r in cohort if r.status == CHURNED]
    changed = _starting_arr(session, period_start)
    starting = {r.id: changed.get(r.id, r.arr) for r in cohort}
    start_arr = _money(starting.values())
    churned_arr = _money(starting[r.id] for r in lost)
    deltas = [
        Decimal(str(r.arr or 0)) - Decimal(str(starting[r.id] or 0))
        for r in cohort
        if r.status != CHURNED
    ]
    contraction = float(-sum((d for d in deltas if d < 0), Decimal(0)))
    expansion = float(sum((d for d in deltas if d > 0), Decimal(0)))
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

    rows = account_listing(portfolio, today=today)
    bands = {band.value: band for band in Band}
    for row in rows:
        renewal = dt.date.fromisoformat(row["renewal_date"]) if row["renewal_date"] else None
        customer = row["status"] in CUSTOMER_STATUSES
        chance = likelihood(bands.get(row["health_band"] or "")) if customer else None
        arr = row["arr"]
        row.update(
            renewal_date=renewal,
            days_left=days_until(renewal, today) if customer else None,  # only they renew
            renewal_overdue=is_overdue(renewal, today, row["status"]),
            likelihood=chance,
            forecast=arr * chance if chance is not None and arr is not None else None,
        )
    return rows
