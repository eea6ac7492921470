"""Client accounts and their contacts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, one_of, utcnow
from csdesk.scoring.vocabulary import SEGMENTS, STATUSES


class Account(Base):
    """A client account.

    The ``health_*`` columns cache the newest health snapshot so the portfolio view can sort and
    filter 100,000 rows in SQL; ``health_snapshots`` keeps the history.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("arr IS NULL OR arr >= 0", name="arr_not_negative"),
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint(f"segment IS NULL OR {one_of('segment', SEGMENTS)}", name="segment_known"),
        Index("ix_accounts_name_key", "name_key"),
        Index("ix_accounts_health_score", "health_score"),
        Index("ix_accounts_renewal_date", "renewal_date"),
        Index("ix_accounts_owner", "owner"),
        Index("ix_accounts_status", "status"),
        Index("ix_accounts_arr", "arr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    crm_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    industry: Mapped[str | None] = mapped_column(String(120))
    domain: Mapped[str | None] = mapped_column(String(253))
    segment: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(120))
    owner: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="prospect")
    tier: Mapped[str | None] = mapped_column(String(60))
    arr: Mapped[float | None] = mapped_column(Float)
    company_revenue: Mapped[float | None] = mapped_column(Float)
    contract_start: Mapped[dt.date | None] = mapped_column(Date)
    renewal_date: Mapped[dt.date | None] = mapped_column(Date)
    churned_on: Mapped[dt.date | None] = mapped_column(Date)
    pilot_discount: Mapped[float | None] = mapped_column(Float)
    annual_prepay: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    health_model: Mapped[str | None] = mapped_column(String(60))
    health_score: Mapped[float | None] = mapped_column(Float)
    health_band: Mapped[str | None] = mapped_column(String(20))
    health_computed_score: Mapped[float | None] = mapped_column(Float)
    health_override_reason: Mapped[str | None] = mapped_column(Text)
    health_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Contact(Base):
    """A person at a client account."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_account", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str | None] = mapped_column(String(120))
    executive_sponsor: Mapped[bool] = mapped_column(Boolean, default=False)
