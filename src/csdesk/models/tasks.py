"""Tasks (calls to action): at-risk outreach, renewal milestones and the CSM's own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, utcnow


class Task(Base):
    """A dated call to action on an account."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_account_status", "account_id", "status"),
        Index("ix_tasks_due", "due_on"),
        Index("ix_tasks_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    key: Mapped[str | None] = mapped_column(String(80))  # e.g. "renewal:2026-12-01:-60"
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
