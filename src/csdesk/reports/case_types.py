"""The frozen records a renewal business case is made of (built by :mod:`case_data`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from csdesk.scoring.branding import Branding
from csdesk.scoring.renewal import ExpansionSignal, RenewalPrice
from csdesk.scoring.roi import RoiInputs, RoiResult
from csdesk.scoring.success_plan import SuccessPlan

if TYPE_CHECKING:
    from csdesk.reports.formatting import Formats

__all__ = [
    "AccountFacts",
    "BusinessCase",
    "ContactLine",
    "HealthLine",
    "HealthPoint",
    "HealthSection",
    "NextStep",
    "RenewalSection",
    "RoiSection",
    "SeriesPoint",
    "SuccessMetric",
    "SupportSection",
    "UsageSection",
]


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """Who the case is about."""

    id: int
    crm_id: str | None
    name: str
    industry: str | None
    segment: str | None
    country: str | None
    owner: str | None
    status: str
    tier: str | None
    arr: float | None
    contract_start: dt.date | None
    renewal_date: dt.date | None
    stage: str | None
    annual_prepay: bool
    pilot_discount: float | None
    sponsor: str | None


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One value of a metric time series."""

    as_of: dt.date
    value: float


@dataclass(frozen=True, slots=True)
class HealthLine:
    """One measure of the health breakdown (``attainment`` None = no data)."""

    label: str
    weight_share: float
    attainment: float | None
    contribution: float | None
    value: float | None


@dataclass(frozen=True, slots=True)
class HealthPoint:
    """One health score of the history."""

    as_of: dt.date
    score: float
    band: str | None


@dataclass(frozen=True, slots=True)
class HealthSection:
    """The current health score, its breakdown and its history."""

    score: float | None
    band: str | None
    computed_score: float | None
    override_reason: str | None
    model_name: str | None
    as_of: dt.date | None
    breakdown: tuple[HealthLine, ...]
    history: tuple[HealthPoint, ...]


@dataclass(frozen=True, slots=True)
class RoiSection:
    """The ROI inputs as entered and what :func:`compute_roi` makes of them."""

    inputs: RoiInputs
    result: RoiResult
    has_inputs: bool


@dataclass(frozen=True, slots=True)
class UsageSection:
    """Usage and engagement over time."""

    usage: tuple[SeriesPoint, ...]
    logins: tuple[SeriesPoint, ...]
    latest_usage: float | None
    usage_limit: float | None
    included_volume: float | None


@dataclass(frozen=True, slots=True)
class RenewalSection:
    """The renewal proposal: date, likelihood, price and tier recommendation."""

    renewal_date: dt.date | None
    days_left: int | None
    overdue: bool
    likelihood: float
    forecast: Decimal | None
    price: RenewalPrice
    expansion: ExpansionSignal | None
    recommended_tier: str | None
    recommendation: str


@dataclass(frozen=True, slots=True)
class SuccessMetric:
    """A success metric against its target (agreed with the client, or the health model's)."""

    metric: str
    label: str
    actual: float | None
    target: float | None
    higher_is_better: bool
    agreed: bool
    flag: bool = False

    @property
    def met(self) -> bool | None:
        """Whether the actual reaches the target; None when either is missing."""
        if self.actual is None or self.target is None:
            return None
        if self.higher_is_better:
            return self.actual >= self.target
        return self.actual <= self.target


@dataclass(frozen=True, slots=True)
class NextStep:
    """A dated renewal milestone, an open task, or a recommended action (no date)."""

    due: dt.date | None
    title: str
    kind: str  # milestone | task | action
    status: str  # done | open | overdue | planned | passed | suggested


@dataclass(frozen=True, slots=True)
class SupportSection:
    """Tickets by priority, SLA attainment (percent), NPS and CSAT of the account."""

    tickets_by_priority: tuple[tuple[str, int], ...]
    sla_attainment: float | None
    nps: float | None
    csat: float | None
    csat_satisfied: float | None
    responses: int


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One of the client's contacts."""

    name: str
    role: str | None
    email: str | None
    sponsor: bool


@dataclass(frozen=True, slots=True)
class BusinessCase:
    """Everything one account's renewal business case shows."""

    account: AccountFacts
    currency: str
    prepared_on: dt.date
    roi: RoiSection
    health: HealthSection
    usage: UsageSection
    renewal: RenewalSection
    success_metrics: tuple[SuccessMetric, ...]
    next_steps: tuple[NextStep, ...]
    support: SupportSection | None = None
    contacts: tuple[ContactLine, ...] = ()
    plan: SuccessPlan = field(default_factory=SuccessPlan)
    branding: Branding = field(default_factory=Branding)
    draft_summary: str = ""
    """The summary drafted from the data in client words, used when the CSM wrote none."""

    @property
    def formats(self) -> Formats:
        """Money, numbers and dates in the case's currency and the branding's locale."""
        from csdesk.reports.formatting import formats_of

        return formats_of(self.currency, self.branding.locale)

    @property
    def title(self) -> str:
        """Document title, e.g. ``Renewal business case — Müller & Søn``."""
        return f"Renewal business case — {self.account.name}"
