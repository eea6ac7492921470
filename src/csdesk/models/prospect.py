"""Pilot-selection scorecards of prospects."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, utcnow
from csdesk.scoring.prospect import CRITERION_KEYS


def _range_check(key: str) -> CheckConstraint:
    return CheckConstraint(f"{key} IS NULL OR ({key} BETWEEN 1 AND 5)", name=f"{key}_range")


class ProspectScorecard(Base):
    """Six criterion scores (1–5) and a note per criterion, one scorecard per account."""

    __tablename__ = "prospect_scorecards"
    __table_args__ = tuple(_range_check(k) for k in CRITERION_KEYS)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    strategic_fit: Mapped[int | None] = mapped_column(Integer)
    technical_readiness: Mapped[int | None] = mapped_column(Integer)
    revenue_potential: Mapped[int | None] = mapped_column(Integer)
    reference_value: Mapped[int | None] = mapped_column(Integer)
    relationship: Mapped[int | None] = mapped_column(Integer)
    conversation_volume: Mapped[int | None] = mapped_column(Integer)
    strategic_fit_note: Mapped[str | None] = mapped_column(Text)
    technical_readiness_note: Mapped[str | None] = mapped_column(Text)
    revenue_potential_note: Mapped[str | None] = mapped_column(Text)
    reference_value_note: Mapped[str | None] = mapped_column(Text)
    relationship_note: Mapped[str | None] = mapped_column(Text)
    conversation_volume_note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column()
    pilot_start: Mapped[dt.date | None] = mapped_column(Date)
    in_cohort: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
