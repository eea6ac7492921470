"""The activity timeline, saved import mappings and portfolio settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, utcnow


class Activity(Base):
    """One entry of the timeline: who did what, when (imports, edits, exports, health changes).

    ``account_id`` is NULL for portfolio-wide entries such as an import.
    """

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_account_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))  # import | edit | export | health | note | task
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)


class SavedMapping(Base):
    """A column mapping saved by name (the TOML text of SPEC 3.1's mapping file)."""

    __tablename__ = "saved_mappings"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    toml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Setting(Base):
    """A portfolio-wide setting (currency, health model, thresholds), stored as text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
