"""Health history (never overwritten) and alerts raised by recomputes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, utcnow


class HealthSnapshot(Base):
    """A health score as computed (or overridden) on one day, with its per-measure breakdown."""

    __tablename__ = "health_snapshots"
    __table_args__ = (Index("ix_health_snapshots_account_date", "account_id", "as_of", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(20))
    model_name: Mapped[str] = mapped_column(String(60))
    model_version: Mapped[int] = mapped_column(Integer)
    # {"v": 1, "m": [[key, value, attainment], ...]}; older rows: a list of records.
    # Read it through csdesk.scoring.breakdown.breakdown_records.
    breakdown: Mapped[dict[str, object] | list[dict[str, object]] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="computed")  # computed | override
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Alert(Base):
    """A health-drop alert naming the measures that fell."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_account", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    dismissed: Mapped[bool] = mapped_column(default=False)
