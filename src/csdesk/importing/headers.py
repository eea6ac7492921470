"""Known columns: the fields of each kind, the headers CRM/support/survey/analytics exports use
for them (report labels and Salesforce Data Loader API names alike), metric and ROI-input keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from csdesk.scoring.prospect import CRITERION_KEYS
from csdesk.scoring.vocabulary import (
    ACCOUNT_FIELDS,
    IMPORT_KINDS,
    ROI_INPUTS,
    ROI_KEYS,
    STATED_OUTCOME_FIELDS,
)

__all__ = [
    "ALIASES",
    "KIND_FIELDS",
    "METRIC_KEYS",
    "ROI_KEYS",
    "field_type",
    "fold_header",
    "metric_key",
    "recognise",
    "recognised_count",
]


METRIC_KEYS = (
    "usage",
    "usage_limit",
    "logins_30d",
    "active_users_30d",
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
_ACCOUNT_FIELDS = {
    **{field.name: field.cells for field in ACCOUNT_FIELDS},
    "as_of": "date",
    **{field.name: field.cells for field in STATED_OUTCOME_FIELDS},
}
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
        "contact_id": "id",
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
        "satisfaction": "text",
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
    "opportunities": {
        **_REFERENCE_FIELDS,
        "external_id": "id",
        "opportunity_name": "text",
        "opportunity_type": "text",
        "stage": "text",
        "close_date": "date",
        "amount": "money",
        "probability": "fraction",
        "forecast_category": "text",
        "is_won": "bool",
        "is_closed": "bool",
    },
    "events": {
        **_REFERENCE_FIELDS,
        "occurred_at": "timestamp",
        "event": "text",
        "user": "text",
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
        "Account_ID", "Org ID", "Organization ID", "Organization Id",
    ),
    "name": (
        "Account Name", "Company name", "Company", "Account", "Customer", "Customer Name",
        "Client", "Client Name", "Organization", "Organization Name", "Organisation",
        "AccountName", "CompanyName",
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
        "Success Manager", "Account Manager", "HubSpot Owner", "OwnerId", "Owner Name",
    ),
    "status": ("Status", "Account Status", "Customer Status", "Lifecycle Status"),
    "industry": ("Industry", "Vertical"),
    "segment": ("Segment", "Customer Segment", "Account Segment", "Market Segment"),
    "country": (
        "Billing Country", "Country", "Country/Region", "Shipping Country", "HQ Country",
        "BillingCountry",
    ),
    "company_revenue": ("Annual Revenue", "Company Revenue", "Revenue", "AnnualRevenue"),
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
    "renewal_outcome": (
        "Renewal Outcome", "Renewal Status", "Renewal Result", "Last Renewal Outcome",
        "Last Renewal Status", "Renewal Outcome Status", "Renewal_Outcome__c", "Renewal_Status__c",
    ),
    "outcome_date": (
        "Outcome Date", "Renewal Outcome Date", "Renewal Decision Date", "Renewed On",
        "Renewed Date", "Date Renewed", "Last Renewal Date",
    ),
    "arr_before": (
        "Prior ARR", "Previous ARR", "ARR Before", "ARR Before Renewal", "Starting ARR",
        "Pre-Renewal ARR", "Original ARR", "Prior Contract Value",
    ),
    "arr_after": (
        "Renewed ARR", "ARR After", "ARR After Renewal", "Post-Renewal ARR", "Renewal ARR",
        "Renewed Contract Value",
    ),
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
    "crm_id": (
        "Account ID", "AccountId", "Account ID (18)", "Company ID", "Record ID - Company",
        "Associated Company ID", "Primary Associated Company ID", "Associated Company ID (Primary)",
        "Company Record ID",
    ),
    "name": ("Account Name", "Company", "Company name", "Associated Company", "Account"),
    "contact_id": ("Id", "Record ID", "Contact ID", "Record ID - Contact"),
    "contact_name": ("Name", "Full Name", "Contact Name", "Contact"),
    "first_name": ("First Name", "Given Name", "FirstName"),
    "last_name": ("Last Name", "Surname", "Family Name", "LastName"),
    "email": ("Email", "Email Address", "Contact Email", "E-mail"),
    "role": ("Title", "Role", "Job Title", "Position"),
    "executive_sponsor": ("Executive Sponsor", "Exec Sponsor", "Sponsor", "Is Executive Sponsor"),
}
_TICKETS = {
    "external_id": ("Id", "Ticket ID", "Ticket", "Ticket Number", "Ticket Id"),
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
    "satisfaction": ("Satisfaction Score", "Satisfaction Rating", "Ticket Satisfaction"),
}
_SURVEYS = {
    "external_id": (
        "Response ID", "Id", "Survey Response ID", "Submission ID", "ResponseId",
        "Respondent ID", "Survey ID",
    ),
    "respondent": (
        "Email", "Respondent", "Respondent Email", "Email Address", "RecipientEmail",
        "Recipient Email", "Person Email",
    ),
    "nps": (
        "NPS", "NPS Score", "Likelihood to Recommend", "Score", "NPS_GROUP_SCORE",
        "How likely are you to recommend us to a friend or colleague?",
        "How likely is it that you would recommend this company to a friend or colleague?",
        "How likely is it that you would recommend us to a friend or colleague?",
        "How likely are you to recommend this company to a friend or colleague?",
    ),
    "csat": ("CSAT", "CSAT Score", "Satisfaction", "Customer Satisfaction"),
    "comment": (
        "Comment", "Comments", "Feedback", "Verbatim", "What is the primary reason for your score?",
        "What is the main reason for your score?",
    ),
    "responded_on": (
        "Date", "Responded On", "Response Date", "Submitted At", "Submitted", "Submitted On",
        "Completed At", "RecordedDate", "Recorded Date", "EndDate", "End Date", "Created At",
        "Response Date/Time", "Response timestamp",
    ),
}
_SCORECARDS = {
    "name": ("Name", "Prospect", "Prospect Name"),
    **{key: (key,) for key in CRITERION_KEYS},
    **{f"{key}_note": (f"{key} note", f"{key} notes") for key in CRITERION_KEYS},
    "pilot_start": ("Pilot Start", "Pilot Start Date"),
    "in_cohort": ("In Cohort", "Cohort", "Pilot Cohort"),
}
_OPPORTUNITIES = {
    "crm_id": ("AccountId", "Account ID", "Account ID (18)", "Account 18 ID", "Company ID"),
    "name": ("Account Name", "Account", "Company", "Company name"),
    "external_id": (
        "Opportunity ID", "Id", "Opportunity 18 ID", "Opportunity ID (18)", "Deal ID", "Record ID",
    ),
    "opportunity_name": ("Opportunity Name", "Name", "Deal Name", "Opportunity"),
    "opportunity_type": ("Type", "Opportunity Type", "Deal Type"),
    "stage": ("Stage", "StageName", "Stage Name", "Deal Stage", "Opportunity Stage"),
    "close_date": ("Close Date", "CloseDate", "Expected Close Date"),
    "amount": ("Amount", "Opportunity Amount", "Deal Amount", "Amount (converted)", "ARR"),
    "probability": ("Probability", "Probability (%)", "Deal Probability", "Win Probability"),
    "forecast_category": ("Forecast Category", "ForecastCategoryName", "ForecastCategory"),
    "is_won": ("Won", "IsWon", "Is Won"),
    "is_closed": ("Closed", "IsClosed", "Is Closed"),
}
_EVENTS = {
    "crm_id": (
        "Account ID", "account_id", "company_id", "Company ID", "group_id", "org_id",
        "organization_id", "Group ID", "accountId",
    ),
    "name": ("Account Name", "Account", "Company", "company", "account_name", "Organization"),
    "occurred_at": (
        "time", "timestamp", "event_time", "Event Time", "Timestamp", "Time", "client_event_time",
        "server_upload_time", "Occurred At", "Date", "Event Date",
    ),
    "event": ("event", "event_type", "Event", "Event Name", "event_name", "Event Type", "action"),
    "user": (
        "distinct_id", "user_id", "User ID", "visitor_id", "Visitor ID", "amplitude_id", "User",
        "userId", "email", "User Email",
    ),
}
# fmt: on
_BASE = _spellings(_REFERENCES)
_OTHER_REFERENCES = {k: v for k, v in _BASE.items() if k != "record_id"}
ALIASES: dict[str, dict[str, str]] = {
    "accounts": {
        **_BASE,
        **_spellings(_ACCOUNTS),
        **_spellings(_METRIC_SPELLINGS),
        **_spellings(_ROI_SPELLINGS),
    },
    "metrics": {**_BASE, **_spellings(_METRICS_LONG), **_spellings(_METRIC_SPELLINGS)},
    "contacts": {**_OTHER_REFERENCES, **_spellings(_CONTACTS)},
    "tickets": {**_BASE, **_spellings(_TICKETS)},
    "surveys": {**_BASE, **_spellings(_SURVEYS)},
    "scorecards": {**_BASE, **_spellings(_SCORECARDS)},
    "opportunities": {**_OTHER_REFERENCES, **_spellings(_OPPORTUNITIES)},
    "events": {**_OTHER_REFERENCES, **_spellings(_EVENTS)},
}


def recognise(header: str, kind: str) -> str | None:
    """The field a header names in a ``kind`` import, or None."""
    return ALIASES[kind].get(fold_header(header))


def recognised_count(headers: Iterable[str], kind: str | None) -> int:
    """How many headers of a row are known columns (of ``kind``, or of any kind)."""
    kinds = (kind,) if kind else IMPORT_KINDS
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
