"""CRM opportunities and renewal outcomes (renewed or churned, with the ARR before and after)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, Money, one_of
from csdesk.scoring.vocabulary import OPPORTUNITY_STATES, OPPORTUNITY_TYPES, OUTCOMES


class Opportunity(Base):
    """One CRM opportunity of an account (renewal, expansion/upsell, new business)."""

    __tablename__ = "opportunities"
    __table_args__ = (
        CheckConstraint(one_of("type", OPPORTUNITY_TYPES), name="type_known"),
        CheckConstraint(one_of("state", OPPORTUNITY_STATES), name="state_known"),
        Index("ix_opportunities_account", "account_id"),
        UniqueConstraint("source", "external_id", name="uq_opportunities_source_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40), default="", server_default="")
    external_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10))
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    #: 0–1 (the CRM's percentage divided by 100).
    probability: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))


class RenewalOutcome(Base):
    """A renewal that happened (renewed) or did not (churned), on a date."""

    __tablename__ = "renewal_outcomes"
    __table_args__ = (
        CheckConstraint(one_of("outcome", OUTCOMES), name="outcome_known"),
        UniqueConstraint(
            "account_id", "on_date", "outcome", name="uq_renewal_outcomes_account_on_outcome"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[dt.date] = mapped_column(Date)
    arr_before: Mapped[Decimal | None] = mapped_column(Money)
    arr_after: Mapped[Decimal | None] = mapped_column(Money)
    source: Mapped[str] = mapped_column(String(40), default="", server_default="")
