"""Metric time series: every snapshot, plus the newest value per account and key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class MetricSnapshot(Base):
    """One metric value of one account as of one day."""

    __tablename__ = "metric_snapshots"
    # Clustered by its key on SQLite: one B-tree serves every (account, metric, date) look-up
    # and each snapshot is written once, not into a table and an index.
    __table_args__ = ({"sqlite_with_rowid": False},)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(80), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)


class MetricLatest(Base):
    """The newest snapshot of each (account, metric): what health scoring reads.

    Kept in step with ``metric_snapshots`` by the services that write snapshots, so a recompute
    of 100,000 accounts reads one small table instead of ranking millions of history rows.
    """

    __tablename__ = "metric_latest"
    __table_args__ = ({"sqlite_with_rowid": False},)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(80), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)


class MetricTarget(Base):
    """A success-metric target agreed with the client (shown against actuals in the case)."""

    __tablename__ = "metric_targets"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(80), primary_key=True)
    target: Mapped[float] = mapped_column(Float)
    higher_is_better: Mapped[bool] = mapped_column(default=True)
