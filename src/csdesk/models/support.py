"""Support tickets and survey responses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, one_of

PRIORITIES = ("P0", "P1", "P2")


class Ticket(Base):
    """A support ticket, with the timestamps SLA attainment needs."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(one_of("priority", PRIORITIES), name="priority_known"),
        Index("ix_tickets_account", "account_id"),
        UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64))
    #: The tool the own id comes from (``zendesk``, ``qualtrics``, …; "" when unknown).
    source: Mapped[str] = mapped_column(String(40), default="", server_default="")
    subject: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[str] = mapped_column(String(2))
    status: Mapped[str | None] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    first_response_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The ticket's satisfaction rating as the tool gives it (``Good``, ``Bad``, ``Offered`` …).
    satisfaction: Mapped[str | None] = mapped_column(String(20))


class SurveyResponse(Base):
    """One NPS and/or CSAT answer."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint("nps IS NULL OR (nps BETWEEN 0 AND 10)", name="nps_range"),
        CheckConstraint("csat IS NULL OR (csat BETWEEN 1 AND 5)", name="csat_range"),
        Index("ix_survey_responses_account", "account_id"),
        UniqueConstraint("source", "external_id", name="uq_survey_responses_source_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64))
    #: The tool the own id comes from (``zendesk``, ``qualtrics``, …; "" when unknown).
    source: Mapped[str] = mapped_column(String(40), default="", server_default="")
    responded_on: Mapped[dt.date] = mapped_column(Date)
    respondent: Mapped[str | None] = mapped_column(String(320))
    nps: Mapped[int | None] = mapped_column(Integer)
    csat: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
