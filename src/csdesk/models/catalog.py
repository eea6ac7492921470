"""The plan catalog (tiers with list price and included volume)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, Money


class PlanRow(Base):
    """A tier: list price per year and included volume per month (NULL = unlimited)."""

    __tablename__ = "plans"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    list_price: Mapped[Decimal] = mapped_column(Money)
    included_volume: Mapped[float | None] = mapped_column(Float)
