"""The Renewals page (a placeholder until its feature lands)."""

from __future__ import annotations

from csdesk.views.page import PlaceholderPage

__all__ = ["RenewalsPage"]


class RenewalsPage(PlaceholderPage):
    """Renewals: says plainly that it comes in a later version."""

    title = "Renewals"
    message = (
        "The renewals calendar — milestones, likelihood by health band and the forecast ARR "
        "per period — is coming in a later version of csdesk. Until then, each account's "
        "renewal date, days left and open milestone tasks show in the Portfolio view and the "
        "account 360."
    )
