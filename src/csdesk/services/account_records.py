"""The frozen records the account 360 is made of (header, health, ROI, people, support …)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from csdesk.scoring.kpis import Csat, SlaStatus
from csdesk.scoring.roi import RoiInputs, RoiResult
from csdesk.scoring.vocabulary import NOT_DONE_STATUSES

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
]

QA_HOURS_METRIC = "qa_hours_saved_per_month"
ROI_FIELDS: tuple[tuple[str, str], ...] = (
    (QA_HOURS_METRIC, "QA hours saved / month"),
    ("hourly_rate", "Hourly rate"),
    ("incidents_avoided_per_year", "Incidents avoided / year"),
    ("cost_per_incident", "Cost per incident"),
    ("revenue_protected", "Revenue protected / year"),
)
"""``(field, label)`` of each ROI input, in editor order (QA hours is a metric)."""


@dataclass(frozen=True)
class AccountHeader:
    """The account's own fields plus the figures derived for the header."""

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
    company_revenue: float | None
    contract_start: dt.date | None
    renewal_date: dt.date | None
    pilot_discount: float | None
    annual_prepay: bool
    notes: str | None
    health_score: float | None
    health_band: str | None
    health_computed_score: float | None
    health_override_reason: str | None
    health_updated_at: dt.datetime | None
    stage: str | None
    days_left: int | None
    renewal_overdue: bool
    renewal_likelihood: float | None
    domain: str | None = None
    churned_on: dt.date | None = None

    @property
    def overridden(self) -> bool:
        """True while a manual health override is in force."""
        return self.health_override_reason is not None


@dataclass(frozen=True)
class BreakdownLine:
    """One measure of the health breakdown (attainment None = "no data")."""

    key: str
    label: str
    weight: float
    attainment: float | None
    contribution: float | None
    value: float | None
    no_data: bool


@dataclass(frozen=True)
class HealthPoint:
    """One health snapshot of the history."""

    as_of: dt.date
    score: float | None
    band: str | None
    source: str
    reason: str | None


@dataclass(frozen=True)
class MetricSeries:
    """One metric's history, oldest first, with its agreed target if any."""

    metric: str
    points: tuple[tuple[dt.date, float], ...]
    target: float | None
    higher_is_better: bool

    @property
    def latest(self) -> float | None:
        """The newest value."""
        return self.points[-1][1] if self.points else None


@dataclass(frozen=True)
class RoiLineRow:
    """A custom ROI value line."""

    id: int
    label: str
    amount: float
    position: int


@dataclass(frozen=True)
class RoiData:
    """The stored ROI inputs (QA hours is the newest metric value) and custom lines."""

    values: Mapping[str, float | None]
    lines: tuple[RoiLineRow, ...]

    def inputs(self, overrides: Mapping[str, float | None] | None = None) -> RoiInputs:
        """The scoring inputs, optionally with some fields replaced (for live previews)."""
        merged = {**self.values, **(overrides or {})}
        return RoiInputs(
            qa_hours_saved_per_month=merged.get(QA_HOURS_METRIC),
            hourly_rate=merged.get("hourly_rate"),
            incidents_avoided_per_year=merged.get("incidents_avoided_per_year"),
            cost_per_incident=merged.get("cost_per_incident"),
            revenue_protected=merged.get("revenue_protected"),
            custom_lines=tuple((line.label, line.amount) for line in self.lines),
        )


@dataclass(frozen=True)
class ContactRow:
    """A person at the account."""

    id: int
    name: str
    email: str | None
    role: str | None
    executive_sponsor: bool


@dataclass(frozen=True)
class TicketRow:
    """A support ticket with its SLA status."""

    id: int
    external_id: str | None
    subject: str | None
    priority: str
    status: str | None
    opened_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    sla: SlaStatus


@dataclass(frozen=True)
class SurveyRow:
    """One survey answer."""

    id: int
    responded_on: dt.date
    respondent: str | None
    nps: int | None
    csat: int | None
    comment: str | None


@dataclass(frozen=True)
class TaskRow:
    """A task of the account."""

    id: int
    type: str
    title: str
    due_on: dt.date
    status: str
    notes: str | None
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class ActivityRow:
    """One timeline entry."""

    id: int
    at: dt.datetime
    actor: str
    kind: str
    summary: str


@dataclass(frozen=True)
class AccountDetail:
    """Everything the account 360 shows."""

    header: AccountHeader
    model_name: str
    breakdown: tuple[BreakdownLine, ...]
    breakdown_source: str
    history: tuple[HealthPoint, ...]
    metrics: tuple[MetricSeries, ...]
    roi: RoiData
    roi_result: RoiResult
    contacts: tuple[ContactRow, ...]
    tickets: tuple[TicketRow, ...]
    surveys: tuple[SurveyRow, ...]
    nps: float | None
    csat: Csat | None
    tasks: tuple[TaskRow, ...]
    activity: tuple[ActivityRow, ...]
    alerts: tuple[str, ...]
    plans: tuple[str, ...] = ()

    @property
    def open_tasks(self) -> tuple[TaskRow, ...]:
        """Tasks not done yet (open or snoozed; not done or cancelled), soonest first."""
        return tuple(t for t in self.tasks if t.status in NOT_DONE_STATUSES)
