"""The words csdesk stores: statuses, segments, priorities, task types and states, field lists.

Each enumeration and field list is defined here once, at the bottom layer, so every other layer
can import it: the ORM models (check constraints), the plain SQL of the portfolio table, the
importers (how a column's cells are read), the edits (labels in messages and the timeline), the
views (menus) and the reports. ``tests/test_vocabulary.py`` fails when a literal copy of one
appears anywhere else in ``src/`` (the migrations excepted: they record history).

Other enumerations have a home of their own, still in :mod:`csdesk.scoring`: health bands
(:class:`~csdesk.scoring.bands.Band`), lifecycle stages (:class:`~csdesk.scoring.lifecycle.Stage`),
success-plan goal states (:mod:`csdesk.scoring.success_plan`) and the default plan catalog
(:data:`~csdesk.scoring.catalog.DEFAULT_PLANS`).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ACCOUNT_FIELDS",
    "ACCOUNT_FIELD_LABELS",
    "ACCOUNT_FIELD_NAMES",
    "ACTIVE",
    "AT_RISK_OUTREACH",
    "CANCELLED",
    "CHURNED",
    "CHURN_CANCELS",
    "CLOSED_STATUSES",
    "CUSTOMER_STATUSES",
    "DONE",
    "FOLLOW_UP",
    "IMPORT_KINDS",
    "NOT_DONE_STATUSES",
    "OPEN",
    "OPPORTUNITY_STATES",
    "OPPORTUNITY_TYPES",
    "OTHER_TASK",
    "OUTCOMES",
    "OUTCOME_CELLS",
    "PENDING",
    "PILOT",
    "PRIORITIES",
    "PROSPECT",
    "RENEWAL_MILESTONE",
    "RENEWAL_OVERDUE",
    "RENEWED",
    "ROI_INPUTS",
    "ROI_KEYS",
    "SEGMENTS",
    "SNOOZED",
    "STATED_OUTCOME_FIELDS",
    "STATUSES",
    "TASK_STATUSES",
    "TASK_TYPES",
    "Field",
]

# -- accounts --------------------------------------------------------------------------------

PROSPECT = "prospect"
PILOT = "pilot"
ACTIVE = "active"
CHURNED = "churned"
STATUSES = (PROSPECT, PILOT, ACTIVE, CHURNED)
"""An account's status (SPEC 2.1)."""

CUSTOMER_STATUSES = (ACTIVE, PILOT)
"""Statuses of customers: their health is watched (at-risk alerts) and their renewals fall due
(overdue renewals, retention figures)."""

SEGMENTS = ("small", "mid-market", "enterprise")
"""An account's size segment."""

# -- support ---------------------------------------------------------------------------------

PRIORITIES = ("P0", "P1", "P2")
"""A support ticket's priority, most urgent first."""

# -- renewals --------------------------------------------------------------------------------

OPPORTUNITY_TYPES = ("renewal", "expansion", "new", "other")
"""A CRM opportunity's type (SPEC 1): expansion covers upsell and upgrade."""

OPPORTUNITY_STATES = ("open", "won", "lost")
"""A CRM opportunity's state."""

RENEWED = "renewed"
OUTCOMES = (RENEWED, CHURNED)
"""A renewal's outcome (SPEC 2.9)."""

PENDING = "pending"
OUTCOME_CELLS = (*OUTCOMES, PENDING)
"""What an import's "Renewal Outcome" column may say: an outcome, or ``pending`` (none yet)."""

# -- tasks -----------------------------------------------------------------------------------

AT_RISK_OUTREACH = "at-risk outreach"
RENEWAL_MILESTONE = "renewal milestone"
RENEWAL_OVERDUE = "renewal overdue"
FOLLOW_UP = "follow-up"
OTHER_TASK = "other"
TASK_TYPES = (AT_RISK_OUTREACH, RENEWAL_MILESTONE, RENEWAL_OVERDUE, FOLLOW_UP, OTHER_TASK)
"""A task's type: the first three are created by the app, the others by the CSM."""

CHURN_CANCELS = (RENEWAL_MILESTONE, RENEWAL_OVERDUE, AT_RISK_OUTREACH)
"""Task types an account's churn closes as cancelled (SPEC 2.4)."""

OPEN = "open"
DONE = "done"
SNOOZED = "snoozed"
CANCELLED = "cancelled"
TASK_STATUSES = (OPEN, DONE, SNOOZED, CANCELLED)
"""A task's state: ``cancelled`` closes the renewal and at-risk work of an account that churned."""

NOT_DONE_STATUSES = (OPEN, SNOOZED)
"""Task states counted as open tasks (account 360, dashboard, portfolio table, business case)."""

CLOSED_STATUSES = (DONE, CANCELLED)
"""Task states with nothing left to do."""

IMPORT_KINDS = (
    "accounts",
    "metrics",
    "contacts",
    "tickets",
    "surveys",
    "scorecards",
    "opportunities",
    "events",
)
"""What a file can be imported as (``csdesk import --kind``, the wizard's first page)."""


# -- field lists -----------------------------------------------------------------------------


class Field(NamedTuple):
    """A stored field: its column, its label, and how an import reads its cells.

    A named tuple rather than a dataclass: this module is read on the way to the first window
    and the command line's first parse, where ``dataclasses`` (and ``inspect``) cost ~10 ms.

    Attributes:
        name: The column (and attribute) name.
        label: How messages and the timeline name it ("CRM id", "annual prepayment").
        cells: The cell type an import reads it as (see :mod:`csdesk.importing.columns`).
    """

    name: str
    label: str
    cells: str


ACCOUNT_FIELDS: tuple[Field, ...] = (
    Field("crm_id", "CRM id", "id"),
    Field("name", "name", "name"),
    Field("owner", "owner", "text"),
    Field("status", "status", "status"),
    Field("industry", "industry", "industry"),
    Field("segment", "segment", "segment"),
    Field("country", "country", "text"),
    Field("domain", "website domain", "domain"),
    Field("company_revenue", "company revenue", "money"),
    Field("arr", "ARR", "money"),
    Field("tier", "tier", "tier"),
    Field("contract_start", "contract start", "date"),
    Field("renewal_date", "renewal date", "date"),
    Field("churned_on", "churn date", "date"),
    Field("pilot_discount", "pilot discount", "fraction"),
    Field("annual_prepay", "annual prepayment", "bool"),
    Field("notes", "notes", "text"),
)
"""The account's own fields: what an import may set and the app may edit, in the order the import
wizard offers them. ``crm_id`` and ``name`` come first: the import's matcher reads them by
position."""

ACCOUNT_FIELD_NAMES = tuple(field.name for field in ACCOUNT_FIELDS)
ACCOUNT_FIELD_LABELS = {field.name: field.label for field in ACCOUNT_FIELDS}

STATED_OUTCOME_FIELDS: tuple[Field, ...] = (
    Field("renewal_outcome", "renewal outcome", "outcome"),
    Field("outcome_date", "outcome date", "date"),
    Field("arr_before", "ARR before the renewal", "money"),
    Field("arr_after", "ARR after the renewal", "money"),
)
"""What an accounts import may say of a renewal that happened (SPEC 2.9): recorded as a renewal
outcome of the account, not stored as account fields."""

ROI_INPUTS: tuple[Field, ...] = (
    Field("hourly_rate", "hourly rate", "money"),
    Field("incidents_avoided_per_year", "incidents avoided per year", "count"),
    Field("cost_per_incident", "cost per incident", "money"),
    Field("revenue_protected", "revenue protected", "money"),
)
"""An account's stored ROI inputs (QA hours saved is a usage metric, not one of them)."""

ROI_KEYS = tuple(field.name for field in ROI_INPUTS)
