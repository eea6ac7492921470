"""Client accounts and their contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, Money, one_of, utcnow
from csdesk.scoring.renewal import RENEWING_STATUSES
from csdesk.scoring.vocabulary import CHURNED, SEGMENTS, STATUSES


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
    arr: Mapped[Decimal | None] = mapped_column(Money)
    company_revenue: Mapped[Decimal | None] = mapped_column(Money)
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
    #: The newest snapshot score at or before 30 days ago, for the days the ``trend_baseline``
    #: setting names (the trend's baseline), kept by ``services.trend_base`` so the trend sort
    #: walks an index.
    trend_base: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    #: Raised by every write of the row; an edit read at one version is refused at another.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


# Only the accounts with a baseline: an import's new accounts (none yet) cost it nothing.
_HAS_BASELINE = text("trend_base IS NOT NULL")
Index(
    "ix_accounts_trend",
    Account.health_score - Account.trend_base,
    Account.id,
    sqlite_where=_HAS_BASELINE,
    postgresql_where=_HAS_BASELINE,
)
# The sorts by days left and by stage walk these: only the accounts with a countdown (a renewal
# date and a status that renews), only those with a lifecycle stage (a start, not churned).
# The conditions are the portfolio table's own texts (services.portfolio_sql), which a query
# must repeat for the index to serve it.
_COUNTING_DOWN = text(
    "renewal_date IS NOT NULL AND ({})".format(
        " OR ".join(f"status = '{status}'" for status in sorted(RENEWING_STATUSES))
    )
)
_STAGED = text(f"contract_start IS NOT NULL AND status != '{CHURNED}'")
Index(
    "ix_accounts_days_left",
    Account.renewal_date,
    sqlite_where=_COUNTING_DOWN,
    postgresql_where=_COUNTING_DOWN,
)
Index("ix_accounts_stage", Account.contract_start, sqlite_where=_STAGED, postgresql_where=_STAGED)


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
