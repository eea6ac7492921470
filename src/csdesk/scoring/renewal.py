"""Renewals: milestones, likelihood, forecast, renewal price and expansion (SPEC 2.4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from csdesk.scoring.bands import Band
from csdesk.scoring.catalog import DEFAULT_PLANS, Plan, find_plan, next_tier
from csdesk.scoring.rounding import decimal_or_none, is_number, round_half_up, to_decimal
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES

__all__ = [
    "EXPANSION_AT",
    "LIKELIHOOD",
    "LOCK_MONTHS",
    "MILESTONES",
    "NO_SCORE_LIKELIHOOD",
    "OVERDUE_STATUSES",
    "PILOT_DISCOUNT",
    "PREPAY_DISCOUNT",
    "RENEWING_STATUSES",
    "ExpansionSignal",
    "Milestone",
    "RenewalPrice",
    "days_until",
    "expansion_signal",
    "forecast_arr",
    "is_overdue",
    "likelihood",
    "milestones",
    "renewal_likelihood",
    "renewal_price",
    "renews",
]

MILESTONES: tuple[tuple[int, str], ...] = (
    (60, "Open renewal discussion"),
    (45, "Present ROI report"),
    (30, "Negotiate terms"),
    (15, "Sign renewal"),
)
"""``(days before the renewal date, title)`` of each renewal milestone."""

NO_SCORE_LIKELIHOOD = 0.50
LIKELIHOOD: Mapping[Band | None, float] = MappingProxyType(
    {
        Band.EXCELLENT: 0.95,
        Band.GOOD: 0.85,
        Band.AT_RISK: 0.60,
        Band.CRITICAL: 0.30,
        None: NO_SCORE_LIKELIHOOD,
    }
)
"""Renewal likelihood by health band; the None key is an account without a score."""

PILOT_DISCOUNT = 0.30
PREPAY_DISCOUNT = 0.10
LOCK_MONTHS = 24
EXPANSION_AT = 0.80
OVERDUE_STATUSES = frozenset(CUSTOMER_STATUSES)
RENEWING_STATUSES = OVERDUE_STATUSES
"""Only active and pilot accounts renew: churned accounts and prospects have no renewal."""


def renews(status: str | None) -> bool:
    """Tell whether an account of this status renews (has a countdown, likelihood, a case)."""
    return status is not None and status.strip().casefold() in RENEWING_STATUSES


@dataclass(frozen=True, slots=True)
class Milestone:
    """A renewal milestone, to become a task.

    Attributes:
        offset_days: Days before the renewal date.
        title: Task title.
        due: Due date.
    """

    offset_days: int
    title: str
    due: date


def milestones(
    renewal_date: date, rules: Sequence[tuple[int, str]] = MILESTONES
) -> tuple[Milestone, ...]:
    """Return the milestones of a renewal, earliest first.

    Args:
        renewal_date: The contract end date E.
        rules: ``(days before E, title)`` pairs.

    Returns:
        One milestone per rule, due on E − offset, sorted by due date.
    """
    found = (Milestone(days, title, renewal_date - timedelta(days=days)) for days, title in rules)
    return tuple(sorted(found, key=lambda m: m.due))


def likelihood(band: Band | None, table: Mapping[Band | None, float] = LIKELIHOOD) -> float:
    """Return the renewal likelihood of a health band (0.50 without a score).

    Args:
        band: The account's health band, or None.
        table: Likelihood by band.

    Returns:
        The likelihood, 0–1.
    """
    return table.get(band, table.get(None, NO_SCORE_LIKELIHOOD))


def renewal_likelihood(
    status: str | None,
    band: Band | None,
    crm_probability: float | None = None,
    table: Mapping[Band | None, float] = LIKELIHOOD,
) -> float | None:
    """The likelihood that an account renews, or None when it does not renew at all.

    Args:
        status: Account status: churned accounts and prospects do not renew (None).
        band: The account's health band, or None without a score.
        crm_probability: An open renewal opportunity's probability (0–1) where the CRM gives
            one: it replaces the band's likelihood (SPEC 2.4).
        table: Likelihood by band.

    Returns:
        The likelihood, 0–1, or None for an account that does not renew.
    """
    if not renews(status):
        return None
    if crm_probability is not None:
        return min(1.0, max(0.0, float(crm_probability)))
    return likelihood(band, table)


def forecast_arr(
    renewals: Iterable[tuple[float | None, Band | None, date | None]],
    start: date,
    end: date,
    table: Mapping[Band | None, float] = LIKELIHOOD,
) -> float:
    """Forecast renewing ARR for a period: Σ arr × likelihood over renewals due in it.

    Args:
        renewals: ``(arr, band, renewal date)`` per account; a missing ARR or date is skipped.
        start: First day of the period (included).
        end: Last day of the period (included).
        table: Likelihood by band.

    Returns:
        The forecast, rounded half-up to cents.
    """
    total = Decimal(0)
    for arr, band, due in renewals:
        if arr is None or due is None or not start <= due <= end:
            continue
        total += to_decimal(arr) * to_decimal(likelihood(band, table))
    return round_half_up(float(total), 2)


def days_until(renewal_date: date | None, today: date) -> int | None:
    """Days from today to the renewal date (negative when past); None without a date."""
    return None if renewal_date is None else (renewal_date - today).days


def is_overdue(renewal_date: date | None, today: date, status: str | None) -> bool:
    """Tell whether an active or pilot account's renewal date has passed ("renewal overdue").

    Args:
        renewal_date: The contract end date, or None.
        today: Today.
        status: Account status.

    Returns:
        True when the date is before today and the account is active or pilot.
    """
    if renewal_date is None or status is None:
        return False
    return renewal_date < today and status.strip().casefold() in OVERDUE_STATUSES


@dataclass(frozen=True, slots=True)
class RenewalPrice:
    """A renewal proposal.

    Attributes:
        current_price: What the client pays now (ARR; for a pilot without ARR, the
            discounted list price), or None.
        list_price: The tier's list price, or None without a known tier.
        base_price: Price before the loyalty discount: list, or current ARR where higher.
        loyalty_discount: Amount taken off for annual prepayment (0 without).
        renewal_price: The proposed price, or None when nothing can be priced.
        lock_months: Months the renewal price is locked.
        notes: Plain-language reasons for the proposal, for the business case.
        reason: Why there is no price, else None.
    """

    current_price: float | None
    list_price: float | None
    base_price: float | None
    loyalty_discount: float
    renewal_price: float | None
    lock_months: int = LOCK_MONTHS
    notes: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def change(self) -> float | None:
        """Renewal price minus current price, or None when either is unknown."""
        if self.renewal_price is None or self.current_price is None:
            return None
        change = to_decimal(self.renewal_price) - to_decimal(self.current_price)
        return round_half_up(float(change), 2)


def _money(value: Decimal) -> float:
    return round_half_up(float(value), 2)


def _amount_text(value: float | Decimal) -> str:
    """An amount for a note: whole amounts without cents (21,000), others with (21,000.50)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def renewal_price(
    arr: float | None,
    plan: Plan | None,
    status: str | None,
    pilot_discount: float | None = PILOT_DISCOUNT,
    annual_prepay: bool = False,
    prepay_discount: float = PREPAY_DISCOUNT,
    lock_months: int = LOCK_MONTHS,
) -> RenewalPrice:
    """Propose a renewal price.

    The base is the tier's list price, or the current ARR where that is higher (no price
    cut at renewal). A pilot renews from its discounted price to list. Annual prepayment
    takes ``prepay_discount`` (10%) off the base. The price is locked for ``lock_months``.

    Args:
        arr: Current ARR, or None.
        plan: The account's tier, or None when unknown.
        status: Account status (``pilot`` renews to list).
        pilot_discount: The pilot's discount, used for its current price without an ARR.
        annual_prepay: Whether the client prepays annually.
        prepay_discount: Loyalty discount fraction for annual prepayment.
        lock_months: Months the price is locked.

    Returns:
        The proposal; with neither ARR nor tier, a null price with a reason.
    """
    pilot = status is not None and status.strip().casefold() == "pilot"
    listed = to_decimal(plan.list_price) if plan is not None else None
    current = decimal_or_none(arr)
    if current is None and pilot and listed is not None:
        current = listed * (1 - to_decimal(pilot_discount or 0.0))
    if listed is None and current is None:
        return RenewalPrice(
            None, None, None, 0.0, None, lock_months, reason="no tier and no ARR to price from"
        )
    notes: list[str] = []
    if listed is None:
        base = current if current is not None else Decimal(0)
        notes.append("No tier in the catalog: the current price is kept")
    elif current is not None and current > listed:
        base = current
        notes.append(
            f"Current ARR {_amount_text(current)} is above list {_amount_text(listed)}: "
            "kept (no price cut at renewal)"
        )
    else:
        base = listed
        if pilot and current is not None and current < listed:
            notes.append(
                f"Pilot renews from its discounted price {_amount_text(current)} "
                f"to list {_amount_text(listed)}"
            )
    loyalty = base * to_decimal(prepay_discount) if annual_prepay else Decimal(0)
    if annual_prepay:
        percent = round_half_up(prepay_discount * 100, 2)
        notes.append(f"Annual prepayment: {percent:g}% loyalty discount")
    notes.append(f"Renewal price locked for {lock_months} months")
    return RenewalPrice(
        current_price=_money(current) if current is not None else None,
        list_price=_money(listed) if listed is not None else None,
        base_price=_money(base),
        loyalty_discount=_money(loyalty),
        renewal_price=_money(base - loyalty),
        lock_months=lock_months,
        notes=tuple(notes),
    )


@dataclass(frozen=True, slots=True)
class ExpansionSignal:
    """A suggestion to move an account up a tier.

    Attributes:
        current_plan: The account's tier.
        suggested_plan: The next tier up, or None when already on the top tier.
        usage: Monthly usage.
        included_volume: The current tier's included monthly volume.
        utilisation: usage / included volume.
        reason: Plain-language explanation.
    """

    current_plan: Plan
    suggested_plan: Plan | None
    usage: float
    included_volume: float
    utilisation: float
    reason: str


def expansion_signal(
    usage: float | None,
    plan: Plan | str | None,
    plans: Sequence[Plan] = DEFAULT_PLANS,
    threshold: float = EXPANSION_AT,
) -> ExpansionSignal | None:
    """Suggest the next tier when usage reaches ``threshold`` of the included volume.

    Args:
        usage: Monthly usage, or None.
        plan: The current tier (a plan or its name).
        plans: The catalog.
        threshold: Share of included volume that triggers the signal (0.80).

    Returns:
        The signal, or None without usage, without a known tier, on an unlimited tier, or
        below the threshold.
    """
    current = find_plan(plans, plan) if isinstance(plan, str) else plan
    if usage is None or not is_number(usage) or current is None:
        return None
    volume = current.included_volume
    if volume is None or volume <= 0:
        return None
    share = to_decimal(usage) / to_decimal(volume)
    if share < to_decimal(threshold):
        return None
    suggested = next_tier(plans, current.name)
    percent = round_half_up(float(share) * 100, 0)
    reason = f"Usage is {percent:g}% of the {current.name} tier's included volume"
    reason += f": suggest {suggested.name}" if suggested else " and no higher tier exists"
    return ExpansionSignal(current, suggested, float(usage), float(volume), float(share), reason)
