"""Support tickets and survey responses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, one_of
from csdesk.scoring.vocabulary import PRIORITIES


class Ticket(Base):
    """A support ticket, with the timestamps SLA attainment needs."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(one_of("priority", PRIORITIES), name="priority_known"),
        Index("ix_tickets_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    subject: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[str] = mapped_column(String(2))
    status: Mapped[str | None] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    first_response_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SurveyResponse(Base):
    """One NPS and/or CSAT answer."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint("nps IS NULL OR (nps BETWEEN 0 AND 10)", name="nps_range"),
        CheckConstraint("csat IS NULL OR (csat BETWEEN 1 AND 5)", name="csat_range"),
        Index("ix_survey_responses_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    responded_on: Mapped[dt.date] = mapped_column(Date)
    respondent: Mapped[str | None] = mapped_column(String(320))
    nps: Mapped[int | None] = mapped_column(Integer)
    csat: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
