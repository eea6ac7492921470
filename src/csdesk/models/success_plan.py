"""Success plans: the client's goals per account and the CSM's narrative texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, one_of, utcnow
from csdesk.scoring.success_plan import GOAL_STATUSES

__all__ = ["GOAL_NUMBER", "AccountNarrative", "SuccessGoal"]

GOAL_NUMBER = Numeric(18, 4)
"""Baselines and targets: exact decimals with four places (0.835, 99.95, 2,000,000)."""


class SuccessGoal(Base):
    """One goal of an account's success plan, linked to a metric or written as free text.

    ``baseline`` is what the CSM entered; when it is NULL and ``metric`` is set, the plan reads
    the baseline from the metric history as of ``start_on`` (see
    :func:`csdesk.services.success_plans.load_success_plan`).
    """

    __tablename__ = "success_goals"
    __table_args__ = (
        CheckConstraint(one_of("status", GOAL_STATUSES), name="status_known"),
        Index("ix_success_goals_account", "account_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(120))
    metric: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str | None] = mapped_column(Text)
    baseline: Mapped[Decimal | None] = mapped_column(GOAL_NUMBER)
    target: Mapped[Decimal | None] = mapped_column(GOAL_NUMBER)
    start_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AccountNarrative(Base):
    """The three texts the CSM writes for the client (an empty text is not written yet) and
    the next meeting booked with the client."""

    __tablename__ = "account_narratives"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    executive_summary: Mapped[str] = mapped_column(Text, default="")
    wins: Mapped[str] = mapped_column(Text, default="")
    next_term_goals: Mapped[str] = mapped_column(Text, default="")
    next_meeting_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    """The next meeting booked with the client (the renewal call, a review), if any."""
    next_meeting_note: Mapped[str | None] = mapped_column(String(300), nullable=True)
    """What the next meeting is for, in the CSM's words."""
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
