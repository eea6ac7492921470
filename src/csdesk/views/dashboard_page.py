"""The Dashboard page (a placeholder until its feature lands)."""

from __future__ import annotations

from csdesk.views.page import PlaceholderPage

__all__ = ["DashboardPage"]


class DashboardPage(PlaceholderPage):
    """Dashboard: says plainly that it comes in a later version."""

    title = "Dashboard"
    message = (
        "The portfolio dashboard — health distribution, ARR by band, gross and net revenue "
        "retention — is coming in a later version of csdesk. Until then, the Portfolio view "
        "filters by band, stage, owner, tier and renewal window."
    )
