"""Satisfaction, support SLA and portfolio retention figures (SPEC 2.6 and 2.8)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

from csdesk.scoring.bands import BAND_ORDER, DEFAULT_THRESHOLDS, Band, BandThresholds, band_for
from csdesk.scoring.rounding import is_number, money, round_half_up, to_decimal

__all__ = [
    "SLA_TARGETS",
    "Csat",
    "SlaStatus",
    "SlaTarget",
    "arr_by_band",
    "band_distribution",
    "csat",
    "grr",
    "logo_churn",
    "nps",
    "nrr",
    "renewal_rate",
    "sla_attainment",
    "ticket_sla",
]


def _whole(value: object, low: int, high: int, what: str) -> int:
    """Return a survey answer as an int, or raise ValueError naming the scale."""
    if not is_number(value) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} must be a whole number {low}–{high}, got {value!r}")
    if value != int(value) or not low <= int(value) <= high:
        raise ValueError(f"{what} must be a whole number {low}–{high}, got {value!r}")
    return int(value)


def nps(scores: Iterable[float | None]) -> float | None:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6).

    Args:
        scores: NPS answers 0–10 for the period; None entries (no NPS answer) are skipped.

    Returns:
        −100 to 100, rounded half-up to 1 decimal; None without answers.

    Raises:
        ValueError: An answer is not a whole number 0–10.
    """
    answers = [_whole(s, 0, 10, "NPS") for s in scores if s is not None]
    if not answers:
        return None
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return round_half_up((promoters - detractors) * 100 / len(answers), 1)


@dataclass(frozen=True, slots=True)
class Csat:
    """Customer satisfaction over a period.

    Attributes:
        mean: Mean of the 1–5 answers, 2 decimals.
        pct_satisfied: Percentage of answers 4 or 5, 1 decimal.
        count: Number of answers.
    """

    mean: float
    pct_satisfied: float
    count: int


def csat(scores: Iterable[float | None]) -> Csat | None:
    """CSAT: the mean of 1–5 answers and the percentage of 4–5.

    Args:
        scores: CSAT answers 1–5; None entries are skipped.

    Returns:
        The figures, or None without answers.

    Raises:
        ValueError: An answer is not a whole number 1–5.
    """
    answers = [_whole(s, 1, 5, "CSAT") for s in scores if s is not None]
    if not answers:
        return None
    satisfied = sum(1 for a in answers if a >= 4)
    return Csat(
        mean=round_half_up(sum(answers) / len(answers), 2),
        pct_satisfied=round_half_up(satisfied * 100 / len(answers), 1),
        count=len(answers),
    )


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """Response and resolution targets of a priority, in hours (strictly less than).

    Attributes:
        response_hours: First response must come in under this many hours.
        resolution_hours: Resolution must come in under this many hours; None = no target.
    """

    response_hours: float
    resolution_hours: float | None


SLA_TARGETS: Mapping[str, SlaTarget] = MappingProxyType(
    {"P0": SlaTarget(1, 4), "P1": SlaTarget(4, 24), "P2": SlaTarget(24, None)}
)
"""Default SLA targets by priority (SPEC 2.6)."""


@dataclass(frozen=True, slots=True)
class SlaStatus:
    """Whether one ticket met its SLA.

    Attributes:
        met: True when both targets were met, False when either was breached, None while
            still pending (open and within target).
        response_met: First response target met, breached, or None while pending.
        resolution_met: Resolution target met, breached, or None while pending; True for a
            priority with no resolution target (there is nothing to miss).
        reason: Why ``met`` is not True (``"response breached"``, ``"pending"``), else None.
    """

    met: bool | None
    response_met: bool | None
    resolution_met: bool | None
    reason: str | None = None


def _within(
    start: datetime, end: datetime | None, now: datetime | None, hours: float
) -> bool | None:
    """Met (True), breached (False) or pending (None) for one target."""
    limit = timedelta(hours=hours)
    if end is not None:
        return end - start < limit
    if now is not None and now - start >= limit:
        return False
    return None


def ticket_sla(
    priority: str,
    opened: datetime,
    first_response: datetime | None,
    resolved: datetime | None,
    now: datetime | None = None,
    targets: Mapping[str, SlaTarget] = SLA_TARGETS,
) -> SlaStatus:
    """Evaluate one ticket against its priority's SLA.

    Targets are strict: a response exactly 1 hour after a P0 opened is late. An open
    ticket already past a target is breached; one still within it is pending. A resolved
    ticket without a recorded first response counts as answered at resolution.

    Args:
        priority: ``P0``, ``P1`` or ``P2`` (case-insensitive).
        opened: When the ticket was opened.
        first_response: First response time, or None.
        resolved: Resolution time, or None while open.
        now: The current time, to judge open tickets; None leaves them pending.
        targets: Targets by priority.

    Returns:
        The ticket's SLA status.

    Raises:
        ValueError: The priority has no SLA target.
    """
    target = targets.get(priority.strip().upper())
    if target is None:
        raise ValueError(f"unknown ticket priority {priority!r} (expected P0, P1 or P2)")
    responded = first_response if first_response is not None else resolved
    response_met = _within(opened, responded, now, target.response_hours)
    if target.resolution_hours is None:
        resolution_met: bool | None = True
    else:
        resolution_met = _within(opened, resolved, now, target.resolution_hours)
    breached = [
        name
        for name, ok in (("response", response_met), ("resolution", resolution_met))
        if ok is False
    ]
    if breached:
        return SlaStatus(False, response_met, resolution_met, f"{' and '.join(breached)} breached")
    if response_met is None or resolution_met is None:
        return SlaStatus(None, response_met, resolution_met, "pending")
    return SlaStatus(True, response_met, resolution_met)


def sla_attainment(statuses: Iterable[SlaStatus]) -> float | None:
    """Percentage of decided tickets that met both targets (pending ones left out).

    Args:
        statuses: Ticket SLA statuses for the period.

    Returns:
        0–100 rounded half-up to 1 decimal, or None without decided tickets.
    """
    decided = [s.met for s in statuses if s.met is not None]
    if not decided:
        return None
    return round_half_up(sum(1 for met in decided if met) * 100 / len(decided), 1)


def _ratio(numerator: Decimal, denominator: Decimal) -> float | None:
    return float(numerator / denominator) if denominator > 0 else None


def grr(
    start_arr: Decimal | float, churned: Decimal | float, contraction: Decimal | float
) -> float | None:
    """Gross revenue retention: (start − churned − contraction) / start.

    Args:
        start_arr: ARR at the start of the period.
        churned: ARR lost to churn.
        contraction: ARR lost to downgrades.

    Returns:
        The ratio (0.92 = 92%), or None when the starting ARR is not positive.
    """
    start = to_decimal(start_arr)
    return _ratio(start - to_decimal(churned) - to_decimal(contraction), start)


def nrr(
    start_arr: Decimal | float,
    churned: Decimal | float,
    contraction: Decimal | float,
    expansion: Decimal | float,
) -> float | None:
    """Net revenue retention: (start − churned − contraction + expansion) / start.

    Args:
        start_arr: ARR at the start of the period.
        churned: ARR lost to churn.
        contraction: ARR lost to downgrades.
        expansion: ARR gained from upgrades and expansion.

    Returns:
        The ratio (1.08 = 108%), or None when the starting ARR is not positive.
    """
    start = to_decimal(start_arr)
    kept = start - to_decimal(churned) - to_decimal(contraction) + to_decimal(expansion)
    return _ratio(kept, start)


def logo_churn(start_count: int, churned_count: int) -> float | None:
    """Logo churn: accounts churned in the period / accounts at its start (None for 0)."""
    return _ratio(Decimal(churned_count), Decimal(start_count))


def renewal_rate(due_count: int, renewed_count: int) -> float | None:
    """Renewal rate: renewals closed / renewals due in the period (None for 0 due)."""
    return _ratio(Decimal(renewed_count), Decimal(due_count))


def band_distribution(
    scores: Iterable[float | None], thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> dict[Band | None, int]:
    """Count accounts per health band.

    Args:
        scores: One health score (or None) per account.
        thresholds: Band thresholds.

    Returns:
        Every band best-first, then None (no score), each with its count (zeros kept).
    """
    counts: dict[Band | None, int] = {band: 0 for band in (*BAND_ORDER, None)}
    for score in scores:
        counts[band_for(score, thresholds)] += 1
    return counts


def arr_by_band(
    accounts: Iterable[tuple[Decimal | float | None, float | None]],
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
) -> dict[Band | None, Decimal]:
    """Sum ARR per health band.

    Args:
        accounts: ``(arr, health score)`` per account; a missing ARR counts as 0.
        thresholds: Band thresholds.

    Returns:
        Every band best-first, then None (no score), each with its ARR total in cents.
    """
    totals: dict[Band | None, Decimal] = {band: Decimal(0) for band in (*BAND_ORDER, None)}
    for arr, score in accounts:
        if arr is not None and is_number(arr):
            totals[band_for(score, thresholds)] += to_decimal(arr)
    return {band: money(total) for band, total in totals.items()}
