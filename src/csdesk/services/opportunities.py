"""CRM opportunities as the renewal views read them: the CRM's renewal likelihood, expansions.

An open renewal opportunity's probability replaces the health band's likelihood for that renewal
and is labelled "CRM" (SPEC 2.4); open expansion and upsell opportunities are listed on their
account and counted as expansion in the forecast (amount × probability; 0.50 where the CRM gives
no probability).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.models import Opportunity
from csdesk.reports.case_queries import crm_likelihoods
from csdesk.scoring.rounding import money

__all__ = [
    "CRM_LABEL",
    "OpportunityRow",
    "account_opportunities",
    "crm_likelihoods",
    "expansion_forecast",
]

CRM_LABEL = "CRM"
_NO_PROBABILITY = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class OpportunityRow:
    """One opportunity as the account page lists it."""

    name: str | None
    type: str
    stage: str | None
    state: str
    close_date: dt.date | None
    amount: Decimal | None
    probability: Decimal | None


def account_opportunities(
    session: Session, account_id: int, types: tuple[str, ...] = ("expansion", "renewal")
) -> list[OpportunityRow]:
    """An account's opportunities of ``types``, open ones first, then by close date."""
    rows = session.execute(
        select(
            Opportunity.name,
            Opportunity.type,
            Opportunity.stage,
            Opportunity.state,
            Opportunity.close_date,
            Opportunity.amount,
            Opportunity.probability,
        )
        .where(Opportunity.account_id == account_id, Opportunity.type.in_(types))
        .order_by(Opportunity.close_date, Opportunity.id)
    )
    found = [OpportunityRow(*r) for r in rows]
    return sorted(found, key=lambda o: o.state != "open")


def expansion_forecast(session: Session, start: dt.date, end: dt.date) -> Decimal:
    """Σ amount × probability of open expansion opportunities closing from ``start`` to ``end``."""
    rows = session.execute(
        select(Opportunity.amount, Opportunity.probability).where(
            Opportunity.type == "expansion",
            Opportunity.state == "open",
            Opportunity.amount.is_not(None),
            Opportunity.close_date >= start,
            Opportunity.close_date <= end,
        )
    )
    total = sum(
        (
            Decimal(str(amount)) * Decimal(str(p if p is not None else _NO_PROBABILITY))
            for amount, p in rows
        ),
        Decimal(0),
    )
    return money(total)
