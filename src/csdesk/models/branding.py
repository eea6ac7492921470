"""The portfolio's branding: one row holding the vendor identity, currency and locale."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, utcnow
from csdesk.scoring.branding import DEFAULT_ACCENT

__all__ = ["BRANDING_ROW_ID", "BrandingRow"]

BRANDING_ROW_ID = 1
"""The id of the one branding row a portfolio keeps."""


class BrandingRow(Base):
    """Vendor name, logo, accent colour, footer, currency and locale (one row per portfolio).

    A portfolio without the row uses the defaults of :class:`csdesk.scoring.branding.Branding`.
    """

    __tablename__ = "branding"
    __table_args__ = (
        CheckConstraint("id = 1", name="one_row"),
        CheckConstraint(
            "logo_kind IS NULL OR logo_kind = 'png' OR logo_kind = 'svg'", name="logo_kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=BRANDING_ROW_ID)
    vendor_name: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_kind: Mapped[str | None] = mapped_column(String(8))
    accent: Mapped[str] = mapped_column(String(7), default=DEFAULT_ACCENT)
    footer: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    locale: Mapped[str] = mapped_column(String(20), default="en_US")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
