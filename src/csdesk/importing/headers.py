"""Known columns: the fields of each kind, the headers CRM/support/survey exports use for them,
metric and ROI-input keys, and detecting the kind of a file from its headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from csdesk.scoring.prospect import CRITERION_KEYS
from csdesk.scoring.vocabulary import ACCOUNT_FIELDS, ROI_INPUTS, ROI_KEYS

__all__ = [
    "KINDS",
    "METRIC_KEYS",
    "ROI_KEYS",
    "detect_kind",
    "field_type",
    "fold_header",
    "metric_key",
    "recognise",
    "recognised_count",
]

KINDS = ("accounts", "metrics", "contacts", "tickets", "surveys", "scorecards")

METRIC_KEYS = (
    "usage",
    "usage_limit",
    "logins_30d",
    "open_tickets",
    "payments_current",
    "features_used",
    "features_total",
    "posts_per_week",
    "inquiries_per_month",
    "lead_quality",
    "qa_hours_saved_per_month",
    "precision",
    "recall",
    "latency_p95_ms",
    "uptime_pct",
)

# Field types: how a column's cells are read (see csdesk.importing.columns).
_ACCOUNT_FIELDS = {**{field.name: field.cells for field in ACCOUNT_FIELDS}, "as_of": "date"}
_REFERENCE_FIELDS = {"crm_id": "id", "name": "name", "domain": "domain"}
KIND_FIELDS: dict[str, dict[str, str]] = {
    "accounts": _ACCOUNT_FIELDS,
    "metrics": {**_REFERENCE_FIELDS, "as_of": "date", "metric": "metric_key", "value": "metric"},
    "contacts": {
        **_REFERENCE_FIELDS,
        "contact_name": "text",
        "first_name": "text",
        "last_name": "text",
        "email": "text",
        "role": "text",
        "executive_sponsor": "bool",
    },
    "tickets": {
        **_REFERENCE_FIELDS,
        "external_id": "id",
        "subject": "text",
        "priority": "priority",
        "status": "text",
        "opened_at": "datetime",
        "first_response_at": "datetime",
        "first_reply_minutes": "count",
        "resolved_at": "datetime",
    },
    "surveys": {
        **_REFERENCE_FIELDS,
        "external_id": "id",
        "respondent": "text",
        "nps": "nps",
        "csat": "csat",
        "comment": "text",
        "responded_on": "date",
    },
    "scorecards": {
        **_REFERENCE_FIELDS,
        **{key: "score" for key in CRITERION_KEYS},
        **{f"{key}_note": "text" for key in CRITERION_KEYS},
        "pilot_start": "date",
        "in_cohort": "bool",
    },
}
_ROI_TYPES = {field.name: field.cells for field in ROI_INPUTS}
_METRIC_NAME = re.compile(r"[a-z][a-z0-9_]{0,79}")


def fold_header(text: str) -> str:
    """A header folded for matching: lower case, runs of anything but letters/digits → ``_``.

    ``"Logins (30d)"`` → ``logins_30d``; ``"Usage Limit"`` → ``usage_limit``.
    """
    return re.sub(r"[\W_]+", "_", text.casefold()).strip("_")


def field_type(kind: str, field: str) -> str | None:
    """How cells of ``field`` are read in a ``kind`` import, or None if the kind has no such field.

    Accounts and metrics also take ``metric:<key>`` (any key the user chooses) and accounts take
    ``roi:<key>`` for the four ROI inputs.
    """
    if field.startswith("metric:") and kind in ("accounts", "metrics"):
        return "metric" if _METRIC_NAME.fullmatch(field[7:]) else None
    if field.startswith("roi:") and kind == "accounts":
        return _ROI_TYPES.get(field[4:])
    return KIND_FIELDS.get(kind, {}).get(field)


def _spellings(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {fold_header(alias): field for field, aliases in table.items() for alias in aliases}


# fmt: off
_REFERENCES = {
    "crm_id": (
        "Account ID", "Account ID (18)", "Account ID 18", "Account 18 ID", "Record ID", "CRM ID",
        "Salesforce ID", "SFDC ID", "HubSpot ID", "Company ID", "Customer ID", "AccountId",
    ),
    "name": (
        "Account Name", "Company name", "Company", "Account", "Customer", "Customer Name",
        "Client", "Client Name", "Organization", "Organization Name", "Organisation",
    ),
    "domain": (
        "Website", "Company Domain Name", "Website URL", "Domain", "Domain Name", "Web Site",
        "Company Website", "Domain names",
    ),
}
_ACCOUNTS = {
    "crm_id": ("Id",),
    "name": ("Name",),
    "owner": (
        "Account Owner", "Company owner", "Owner", "CSM", "Customer Success Manager",
        "Success Manager", "Account Manager", "HubSpot Owner",
    ),
    "status": ("Status", "Account Status", "Customer Status", "Lifecycle Status"),
    "industry": ("Industry", "Vertical"),
    "segment": ("Segment", "Customer Segment", "Account Segment", "Market Segment"),
    "country": ("Billing Country", "Country", "Country/Region", "Shipping Country", "HQ Country"),
    "company_revenue": ("Annual Revenue", "Company Revenue", "Revenue"),
    "arr": ("ARR", "Annual Recurring Revenue", "Contract Value", "Annual Contract Value", "ACV"),
    "tier": ("Tier", "Plan", "Subscription Tier", "Product Tier", "Subscription Plan"),
    "contract_start": (
        "Contract Start Date", "Contract Start", "Start Date", "Subscription Start Date",
        "Customer Since",
    ),
    "renewal_date": (
        "Contract End Date", "Contract End", "Renewal Date", "End Date",
        "Subscription End Date", "Next Renewal Date",
    ),
    "churned_on": ("Churn Date", "Churned On", "Churned Date", "Date Churned", "Cancellation Date"),
    "pilot_discount": ("Pilot Discount", "Discount"),
    "annual_prepay": ("Annual Prepay", "Prepaid", "Annual Prepayment"),
    "notes": ("Notes", "Description"),
    "as_of": ("As Of", "As Of Date", "Snapshot Date", "Report Date", "Date"),
}
_METRIC_SPELLINGS = {
    **{f"metric:{key}": (key,) for key in METRIC_KEYS},
    "metric:logins_30d": ("Logins (30d)", "Logins 30d", "Logins Last 30 Days", "Logins (30 days)"),
    "metric:uptime_pct": ("Uptime %", "Uptime (%)", "Uptime Pct", "Uptime Percent", "Uptime"),
    "metric:latency_p95_ms": ("Latency p95 (ms)", "P95 Latency (ms)", "Latency P95"),
}
_ROI_SPELLINGS = {f"roi:{key}": (key,) for key in ROI_KEYS}
_METRICS_LONG = {
    "crm_id": ("Id",),
    "as_of": ("As Of", "Date", "As Of Date", "Snapshot Date", "Period"),
    "metric": ("Metric", "Metric Key", "Metric Name", "KPI", "Measure"),
    "value": ("Value", "Metric Value"),
}
_CONTACTS = {
    "contact_name": ("Name", "Full Name", "Contact Name", "Contact"),
    "first_name": ("First Name", "Given Name"),
    "last_name": ("Last Name", "Surname", "Family Name"),
    "email": ("Email", "Email Address", "Contact Email", "E-mail"),
    "role": ("Title", "Role", "Job Title", "Position"),
    "executive_sponsor": ("Executive Sponsor", "Exec Sponsor", "Sponsor", "Is Executive Sponsor"),
}
_TICKETS = {
    "external_id": ("Id", "Ticket ID", "Ticket", "Ticket Number"),
    "subject": ("Subject", "Title", "Summary"),
    "priority": ("Priority", "Ticket Priority"),
    "status": ("Status", "Ticket Status"),
    "opened_at": ("Created at", "Created", "Opened at", "Opened", "Created Date", "Requested"),
    "first_response_at": ("First Response At", "First Reply At", "First Responded At"),
    "first_reply_minutes": (
        "First reply time in minutes", "First reply time in minutes within business hours",
        "First Response Minutes", "First Reply Time (minutes)",
    ),
    "resolved_at": ("Solved at", "Resolved at", "Closed at", "Solved", "Resolved", "Closed"),
}
_SURVEYS = {
    "external_id": ("Response ID", "Id", "Survey Response ID", "Submission ID"),
    "respondent": ("Email", "Respondent", "Respondent Email", "Email Address"),
    "nps": ("NPS", "NPS Score", "Likelihood to Recommend"),
    "csat": ("CSAT", "CSAT Score", "Satisfaction", "Satisfaction Score"),
    "comment": ("Comment", "Comments", "Feedback", "Verbatim"),
    "responded_on": (
        "Date", "Responded On", "Response Date", "Submitted At", "Submitted", "Submitted On",
        "Completed At",
    ),
}
_SCORECARDS = {
    "name": ("Name", "Prospect", "Prospect Name"),
    **{key: (key,) for key in CRITERION_KEYS},
    **{f"{key}_note": (f"{key} note", f"{key} notes") for key in CRITERION_KEYS},
    "pilot_start": ("Pilot Start", "Pilot Start Date"),
    "in_cohort": ("In Cohort", "Cohort", "Pilot Cohort"),
}
# fmt: on
_BASE = _spellings(_REFERENCES)
ALIASES: dict[str, dict[str, str]] = {
    "accounts": {
        **_BASE,
        **_spellings(_ACCOUNTS),
        **_spellings(_METRIC_SPELLINGS),
        **_spellings(_ROI_SPELLINGS),
    },
    "metrics": {**_BASE, **_spellings(_METRICS_LONG), **_spellings(_METRIC_SPELLINGS)},
    "contacts": {**_BASE, **_spellings(_CONTACTS)},
    "tickets": {**_BASE, **_spellings(_TICKETS)},
    "surveys": {**_BASE, **_spellings(_SURVEYS)},
    "scorecards": {**_BASE, **_spellings(_SCORECARDS)},
}


def recognise(header: str, kind: str) -> str | None:
    """The field a header names in a ``kind`` import, or None."""
    return ALIASES[kind].get(fold_header(header))


def detect_kind(headers: Iterable[str]) -> str:
    """The kind of a file from its headers (accounts when nothing more specific fits).

    Survey answers (NPS/CSAT), ticket priorities, scorecard criteria, long metric tables and
    contact people are recognised; a table of account keys and metric columns only is metrics.
    """
    folded = [fold_header(h) for h in headers if h]
    found = {kind: {ALIASES[kind][f] for f in folded if f in ALIASES[kind]} for kind in KINDS}
    if found["surveys"] & {"nps", "csat"}:
        return "surveys"
    tickets = found["tickets"]
    if tickets & {"priority", "first_reply_minutes", "first_response_at"} or (
        {"subject", "opened_at"} <= tickets
    ):
        return "tickets"
    if len(found["scorecards"] & set(CRITERION_KEYS)) >= 2:
        return "scorecards"
    if {"metric", "value"} <= found["metrics"]:
        return "metrics"
    contacts = found["contacts"] & {"email", "first_name", "last_name", "contact_name", "role"}
    accounts = found["accounts"]
    attributes = {f for f in accounts if not f.startswith("metric:")} - {
        "crm_id",
        "name",
        "as_of",
        "domain",
    }
    is_person = "email" in contacts or {"first_name", "last_name"} <= contacts
    if is_person and not attributes - {"notes"}:
        return "contacts"
    if any(f.startswith("metric:") for f in accounts) and not attributes:
        return "metrics"
    return "accounts"


def recognised_count(headers: Iterable[str], kind: str | None) -> int:
    """How many headers of a row are known columns (of ``kind``, or of any kind)."""
    kinds = (kind,) if kind else KINDS
    count = 0
    for header in headers:
        folded = fold_header(header)
        if folded and any(folded in ALIASES[k] for k in kinds):
            count += 1
    return count


def metric_key(text: str) -> str | None:
    """The metric key a metric name in a long table stands for (``Logins (30d)`` → logins_30d)."""
    folded = fold_header(text)
    known = ALIASES["metrics"].get(folded)
    if known is not None and known.startswith("metric:"):
        return known[7:]
    return folded if _METRIC_NAME.fullmatch(folded) else None
