"""Which kind a file is, from its headers: each kind's distinctive columns, and no guessing.

A kind is a candidate when the file has a column only that kind has (SPEC 3.2): a ticket's
priority, requester or satisfaction score; a survey's NPS, CSAT or response id; an opportunity's
stage, close date or probability; an event's name with its timestamp; two scorecard criteria; a
long metric table's Metric and Value; a contact's email or first and last name. Contacts are the
people of the other kinds too (a survey's respondent, a ticket's requester), so they give way to
them. With no candidate, a file with an account key and account attributes is accounts, and one
with an account key and metric columns only is metrics. Two candidates, or none, and the file is
refused with the candidates named (:class:`KindError`).
"""

from __future__ import annotations

from collections.abc import Iterable

from csdesk.importing.headers import ALIASES, fold_header
from csdesk.importing.summary import ImportFileError
from csdesk.models import CRITERION_KEYS
from csdesk.scoring.vocabulary import IMPORT_KINDS

__all__ = ["KindError", "detect_kind", "kind_candidates", "likely_kind", "source_of"]

# Headers (folded) that name a kind by themselves, beyond the fields below.
_TICKET_HEADERS = frozenset(
    {"requester", "requester_email", "requester_id", "assignee", "assignee_email", "ticket_id",
     "ticket_type", "via", "group", "ticket_form", "solved_at", "first_reply_time_in_minutes",
     "full_resolution_time_in_minutes", "submitter", "satisfaction_score"}
)  # fmt: skip
_SURVEY_HEADERS = frozenset(
    {"response_id", "responseid", "respondent_id", "collector_id", "recipientemail",
     "recordeddate", "distributionchannel", "survey_id", "nps_group"}
)  # fmt: skip
_OPPORTUNITY_HEADERS = frozenset(
    {"opportunity_id", "opportunity_name", "opportunity_18_id", "stagename", "closedate",
     "forecastcategoryname", "forecast_category", "iswon", "isclosed", "deal_stage", "deal_name",
     "probability", "probability_"}
)  # fmt: skip
_EVENT_HEADERS = frozenset(
    {"distinct_id", "insert_id", "amplitude_id", "event_type", "event_time", "event_name",
     "visitor_id", "client_event_time", "mp_lib"}
)  # fmt: skip
_ACCOUNT_ONLY = frozenset(
    {"industry", "segment", "country", "company_revenue", "arr", "tier", "contract_start",
     "renewal_date", "pilot_discount", "annual_prepay", "status", "owner", "churned_on",
     "renewal_outcome", "outcome_date", "arr_before", "arr_after"}
)  # fmt: skip
# A person's columns that also sit in account exports (a HubSpot contact's owner and country).
_PERSON_TOLERATES = frozenset({"owner", "country", "industry", "status", "notes"})


class KindError(ImportFileError):
    """The kind cannot be told from the headers: several fit, or none does.

    Attributes:
        candidates: The kinds that fit (empty when none does).
    """

    def __init__(self, candidates: tuple[str, ...]) -> None:
        if candidates:
            message = (
                f"the columns fit {' and '.join(candidates)} imports; say which with "
                + " or ".join(f"--kind {k}" for k in candidates)
            )
        else:
            message = (
                "cannot tell what kind of file this is from its columns; say which with "
                f"--kind ({'|'.join(IMPORT_KINDS)}) or a mapping"
            )
        super().__init__(message)
        self.candidates = candidates


def _found(folded: set[str]) -> dict[str, set[str]]:
    return {kind: {ALIASES[kind][f] for f in folded if f in ALIASES[kind]} for kind in IMPORT_KINDS}


def kind_candidates(headers: Iterable[str]) -> list[str]:
    """Every kind the headers fit, most specific first (accounts or metrics only when nothing
    more specific fits); empty when none fits with confidence."""
    folded = {fold_header(h) for h in headers if h and h.strip()}
    folded.discard("")
    found = _found(folded)
    out: list[str] = []
    tickets = found["tickets"]
    if (
        tickets & {"priority", "first_reply_minutes", "first_response_at", "satisfaction"}
        or folded & _TICKET_HEADERS
        or {"subject", "opened_at"} <= tickets
    ):
        out.append("tickets")
    if found["surveys"] & {"nps", "csat"} or folded & _SURVEY_HEADERS:
        out.append("surveys")
    opportunities = found["opportunities"]
    if folded & _OPPORTUNITY_HEADERS or {"stage", "close_date"} <= opportunities:
        out.append("opportunities")
    events = found["events"]
    if {"event", "occurred_at"} <= events and (folded & _EVENT_HEADERS or "user" in events):
        out.append("events")
    if len(found["scorecards"] & set(CRITERION_KEYS)) >= 2:
        out.append("scorecards")
    if {"metric", "value"} <= found["metrics"]:
        out.append("metrics")
    accounts = found["accounts"]
    attributes = {f for f in accounts if not f.startswith(("metric:", "roi:"))} & _ACCOUNT_ONLY
    contacts = found["contacts"]
    is_person = "email" in contacts or {"first_name", "last_name"} <= contacts
    if is_person and not out and not attributes - _PERSON_TOLERATES:
        out.append("contacts")
    if out:
        return out
    has_key = bool(accounts & {"crm_id", "name"})
    # A list of accounts by id and name (renaming them) is accounts too.
    if {"crm_id", "name"} <= accounts and not is_person:
        return ["accounts"]
    if has_key and (attributes or any(f.startswith("roi:") for f in accounts)):
        return ["accounts", "contacts"] if is_person else ["accounts"]
    if has_key and any(f.startswith("metric:") for f in accounts):
        return ["metrics"]
    return []


def detect_kind(headers: Iterable[str]) -> str:
    """The kind of a file from its headers.

    Raises:
        KindError: several kinds fit, or none does (the message names them and ``--kind``).
    """
    candidates = kind_candidates(headers)
    if len(candidates) != 1:
        raise KindError(tuple(candidates))
    return candidates[0]


def likely_kind(headers: Iterable[str]) -> str:
    """The kind a preview starts from: the first candidate, else accounts."""
    candidates = kind_candidates(headers)
    return candidates[0] if candidates else "accounts"


_SOURCES = (
    ("tickets", "zendesk", frozenset({"requester", "assignee", "satisfaction_score", "via",
                                     "first_reply_time_in_minutes", "solved_at", "group"})),
    ("surveys", "qualtrics", frozenset({"responseid", "recordeddate", "distributionchannel"})),
    ("surveys", "surveymonkey", frozenset({"respondent_id", "collector_id"})),
    ("surveys", "delighted", frozenset({"person_id", "person_properties", "delighted_source"})),
    ("opportunities", "salesforce", frozenset({"stagename", "forecastcategoryname", "iswon",
                                               "opportunity_id", "opportunity_name", "stage"})),
    ("opportunities", "hubspot", frozenset({"deal_stage", "deal_name", "deal_id"})),
)  # fmt: skip


def source_of(kind: str, headers: Iterable[str]) -> str:
    """The tool a file's own ids come from, from its columns ("" when it does not show)."""
    folded = {fold_header(h) for h in headers if h}
    for source_kind, source, signs in _SOURCES:
        if kind == source_kind and folded & signs:
            return source
    return ""
