"""ROI inputs per account and the custom value lines the CSM adds."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, Money


class RoiInput(Base):
    """The entered ROI assumptions of one account (``qa_hours_saved_per_month`` is a metric)."""

    __tablename__ = "roi_inputs"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    hourly_rate: Mapped[Decimal | None] = mapped_column(Money)
    incidents_avoided_per_year: Mapped[float | None] = mapped_column(Float)
    cost_per_incident: Mapped[Decimal | None] = mapped_column(Money)
    revenue_protected: Mapped[Decimal | None] = mapped_column(Money)


class RoiLine(Base):
    """A custom value line (label, amount per year)."""

    __tablename__ = "roi_lines"
    __table_args__ = (Index("ix_roi_lines_account", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
