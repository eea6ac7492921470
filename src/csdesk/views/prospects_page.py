"""The Prospects page (a placeholder until its feature lands)."""

from __future__ import annotations

from csdesk.views.page import PlaceholderPage

__all__ = ["ProspectsPage"]


class ProspectsPage(PlaceholderPage):
    """Prospects: says plainly that it comes in a later version."""

    title = "Prospects"
    message = (
        "Scoring prospects for the pilot programme and checking the pilot cohort — the six-"
        "criterion scorecard, qualification at 3.50 and the cohort rules — is coming in a "
        "later version of csdesk. Until then, scorecards imported with `csdesk import --kind "
        "scorecards` are kept and listed by `csdesk accounts`."
    )
