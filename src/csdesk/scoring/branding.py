"""The vendor's identity applied to every export and the window (SPEC 1, 4): one per portfolio."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_ACCENT", "Branding"]

DEFAULT_ACCENT = "#2563EB"
"""The accent colour of a portfolio that set none."""


@dataclass(frozen=True, slots=True)
class Branding:
    """Vendor name, logo, accent colour, footer, currency and locale of one portfolio.

    ``logo`` holds the image file's bytes and ``logo_kind`` its format (``"png"`` or ``"svg"``);
    ``currency`` is an ISO 4217 code and ``locale`` a POSIX-style tag (``en_US``, ``de_DE``) that
    decides number and date formats and the PDF's paper size (Letter for US/CA, else A4).
    """

    vendor_name: str = ""
    logo: bytes | None = None
    logo_kind: str | None = None
    accent: str = DEFAULT_ACCENT
    footer: str = ""
    currency: str = "USD"
    locale: str = "en_US"
