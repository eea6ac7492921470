"""Promoting a prospect to pilot (SPEC 1: status, pilot discount, start, six-month term) and undo.

The promotion is one write transaction logged on the account's timeline; its
:class:`PromoteState` is what :func:`restore_promotion` puts back on undo.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import Account, ProspectScorecard, utcnow
from csdesk.reports.case_queries import plans
from csdesk.scoring.catalog import find_plan
from csdesk.scoring.renewal import PILOT_DISCOUNT
from csdesk.services.edits.base import EditResult, fmt_value, get_account, log_activity
from csdesk.services.prospects import prospect_changes, scorecard_for

__all__ = [
    "PILOT_MONTHS",
    "PilotTerms",
    "PromoteState",
    "add_months",
    "pilot_terms",
    "promote_to_pilot",
    "restore_promotion",
]

PILOT_MONTHS = 6
"""A pilot's contract runs this many months: its renewal date is start + 6 months."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True, slots=True)
class PilotTerms:
    """What promoting a prospect would set.

    Attributes:
        tier: The account's tier, or None.
        list_price: The tier's list price, or None without a known tier.
        arr: The ARR after promotion: the recorded one, else list × (1 − discount), else None.
        arr_recorded: True when the account already had an ARR (it is kept).
        renewal_date: Start + 6 months.
    """

    tier: str | None
    list_price: float | None
    arr: float | None
    arr_recorded: bool
    renewal_date: dt.date


def _terms(session: Session, account: Account, start: dt.date, discount: float) -> PilotTerms:
    plan = find_plan(plans(session), account.tier)
    arr = account.arr
    if arr is None and plan is not None:
        arr = round(plan.list_price * (1 - float(discount)), 2)
    return PilotTerms(
        account.tier,
        plan.list_price if plan is not None else None,
        arr,
        account.arr is not None,
        add_months(start, PILOT_MONTHS),
    )


def _checked_discount(discount: float) -> float:
    if isinstance(discount, bool) or not isinstance(discount, int | float):
        raise ValidationError(f"pilot discount: {discount!r} is not a number")
    if not 0 <= discount < 1:
        raise ValidationError(f"pilot discount must be from 0 to below 1 (got {discount:g})")
    return float(discount)


def pilot_terms(
    portfolio: Portfolio, account_id: int, *, start: dt.date, discount: float = PILOT_DISCOUNT
) -> PilotTerms:
    """Preview what :func:`promote_to_pilot` would set (nothing is written).

    Raises:
        ValidationError: The discount is not in [0, 1).
        NotFoundError: The account does not exist.
    """
    discount = _checked_discount(discount)
    with portfolio.read() as session:
        return _terms(session, get_account(session, account_id), start, discount)


@dataclass(frozen=True, slots=True)
class PromoteState:
    """An account's fields before a promotion, to put back on undo."""

    status: str
    pilot_discount: float | None
    contract_start: dt.date | None
    renewal_date: dt.date | None
    arr: float | None
    pilot_start: dt.date | None
    had_scorecard: bool


def promote_to_pilot(
    portfolio: Portfolio,
    account_id: int,
    *,
    start: dt.date,
    discount: float = PILOT_DISCOUNT,
) -> EditResult[PromoteState]:
    """Make a prospect a pilot client.

    Sets status ``pilot``, the pilot discount and the contract start; the ARR becomes the
    tier's list price × (1 − discount) unless one is already recorded; the renewal date is
    six months after the start. ``old`` is a :class:`PromoteState`.

    Raises:
        ValidationError: The account is not a prospect, or the discount is not in [0, 1).
        NotFoundError: The account does not exist.
    """
    discount = _checked_discount(discount)
    with portfolio.write() as session:
        account = get_account(session, account_id)
        if account.status != "prospect":
            raise ValidationError(
                f"{account.name} is {account.status}, not a prospect: it cannot be promoted"
            )
        card = session.get(ProspectScorecard, account_id)
        old = PromoteState(
            account.status,
            account.pilot_discount,
            account.contract_start,
            account.renewal_date,
            account.arr,
            card.pilot_start if card is not None else None,
            card is not None,
        )
        terms = _terms(session, account, start, discount)
        account.status = "pilot"
        account.pilot_discount = discount
        account.contract_start = start
        account.renewal_date = terms.renewal_date
        account.arr = terms.arr
        account.updated_at = utcnow()
        card = card or scorecard_for(session, account_id)
        card.pilot_start = start
        summary = (
            f"Promoted to pilot: {discount:.0%} discount, starts {start.isoformat()}, "
            f"renews {account.renewal_date.isoformat()}, ARR {fmt_value(account.arr)}"
        )
        log_activity(session, account_id, "edit", summary, {"field": "status", "new": "pilot"})
    return EditResult(prospect_changes(account_id, accounts=True), old=old)


def restore_promotion(portfolio: Portfolio, account_id: int, old: PromoteState) -> EditResult[None]:
    """Undo :func:`promote_to_pilot`: put the account's fields back as they were."""
    with portfolio.write() as session:
        account = get_account(session, account_id)
        account.status = old.status
        account.pilot_discount = old.pilot_discount
        account.contract_start = old.contract_start
        account.renewal_date = old.renewal_date
        account.arr = old.arr
        account.updated_at = utcnow()
        card = session.get(ProspectScorecard, account_id)
        if card is not None:
            if old.had_scorecard:
                card.pilot_start = old.pilot_start
            else:
                session.delete(card)
        log_activity(session, account_id, "edit", f"Promotion undone: back to {old.status}")
    return EditResult(prospect_changes(account_id, accounts=True), old=None)
