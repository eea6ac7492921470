"""The portfolio's branding (vendor, logo, accent, currency, locale): read, check and save it."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import BRANDING_ROW_ID, BrandingRow
from csdesk.scoring.branding import Branding
from csdesk.services.changes import Changes
from csdesk.services.edits.base import ANY, EditResult, check_unchanged, log_activity

__all__ = [
    "MAX_LOGO_BYTES",
    "checked_branding",
    "currency_choices",
    "known_currencies",
    "known_locales",
    "load_branding",
    "locale_choices",
    "logo_kind",
    "read_logo_file",
    "save_branding",
]

MAX_LOGO_BYTES = 1_000_000
"""The largest logo a portfolio keeps (a logo is a small mark, not a photo)."""
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ACCENT = re.compile(r"#[0-9A-Fa-f]{6}")
_LABELS = {
    "vendor_name": "vendor name",
    "logo": "logo",
    "accent": "accent colour",
    "footer": "footer",
    "currency": "currency",
    "locale": "locale",
}


def load_branding(session: Session) -> Branding:
    """The portfolio's branding; the defaults (USD, en_US, no logo) when none was saved."""
    row = session.get(BrandingRow, BRANDING_ROW_ID)
    if row is None:
        return Branding()
    return Branding(
        vendor_name=row.vendor_name or "",
        logo=row.logo,
        logo_kind=row.logo_kind if row.logo else None,
        accent=row.accent,
        footer=row.footer or "",
        currency=row.currency,
        locale=row.locale,
    )


def known_currencies() -> frozenset[str]:
    """The ISO 4217 codes csdesk can format (the CLDR's list)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@functools.cache
def known_locales() -> tuple[str, ...]:
    """The locales csdesk can format numbers and dates in, as ``en_US``-style tags, sorted."""
    from babel.localedata import locale_identifiers

    return tuple(
        sorted(
            tag
            for tag in locale_identifiers()
            if tag.count("_") == 1 and tag.split("_")[1].isupper()
        )
    )


@functools.cache
def currency_choices() -> tuple[tuple[str, str], ...]:
    """``(code, "GBP — British Pound")`` for every currency, sorted by code."""
    from babel import Locale

    names = Locale.parse("en").currencies
    return tuple((code, f"{code} — {names.get(code, code)}") for code in sorted(known_currencies()))


@functools.cache
def locale_choices() -> tuple[tuple[str, str], ...]:
    """``(tag, "English (United Kingdom) — en_GB")`` for every locale, sorted by name."""
    from babel import Locale

    english = Locale.parse("en")
    choices = []
    for tag in known_locales():
        language, territory = tag.split("_")
        name = english.languages.get(language, language)
        choices.append((tag, f"{name} ({english.territories.get(territory, territory)}) — {tag}"))
    return tuple(sorted(choices, key=lambda choice: choice[1].casefold()))


def logo_kind(data: bytes) -> str:
    """Return ``"png"`` or ``"svg"`` for a logo's bytes.

    Raises:
        ValidationError: Empty, too large, or neither a PNG nor an SVG document.
    """
    if not data:
        raise ValidationError("the logo file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            f"the logo is {len(data) / 1_000_000:.1f} MB; a logo may be at most "
            f"{MAX_LOGO_BYTES // 1_000_000} MB"
        )
    if data.startswith(_PNG_MAGIC):
        return "png"
    try:
        root = ElementTree.fromstring(data)
    except Exception:  # defusedxml raises several kinds for text that is not safe XML
        raise ValidationError("the logo is neither a PNG image nor an SVG document") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise ValidationError("the logo is an XML document but not an SVG image")
    from csdesk.reports.logo import LogoError, svg_drawing

    try:
        svg_drawing(data)  # what the PDF draws: refuse now what the exports could not show
    except LogoError as exc:
        raise ValidationError(str(exc)) from None
    return "svg"


def read_logo_file(path: Path) -> tuple[bytes, str]:
    """Read a logo file; return its bytes and kind.

    Raises:
        ValidationError: The file cannot be read, or is not a PNG or SVG under the size limit.
    """
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ValidationError(
                f"{path.name}: {size / 1_000_000:.1f} MB; a logo may be at most "
                f"{MAX_LOGO_BYTES // 1_000_000} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data, logo_kind(data)
    except ValidationError as exc:
        raise ValidationError(f"{path.name}: {exc}") from None


def checked_branding(branding: Branding) -> Branding:
    """Validate and canonicalise a branding (accent upper case, currency upper case).

    Raises:
        ValidationError: One line naming the first field that is wrong.
    """
    accent = branding.accent.strip()
    if not _ACCENT.fullmatch(accent):
        raise ValidationError(f"accent colour {branding.accent!r} is not a #RRGGBB colour")
    currency = branding.currency.strip().upper()
    if currency not in known_currencies():
        raise ValidationError(f"currency {branding.currency!r} is not a known ISO 4217 code")
    locale = branding.locale.strip().replace("-", "_")
    if locale not in known_locales():
        raise ValidationError(f"locale {branding.locale!r} is not known (e.g. en_US, de_DE)")
    kind = logo_kind(branding.logo) if branding.logo else None
    vendor = branding.vendor_name.strip()
    if len(vendor) > 200:
        raise ValidationError("the vendor name is longer than 200 characters")
    footer = " ".join(branding.footer.split())
    if len(footer) > 300:
        raise ValidationError("the footer is longer than 300 characters")
    return Branding(
        vendor_name=vendor,
        logo=branding.logo or None,
        logo_kind=kind,
        accent=accent.upper(),
        footer=footer,
        currency=currency,
        locale=locale,
    )


def save_branding(
    portfolio: Portfolio, branding: Branding, *, expect: Any = ANY
) -> EditResult[Branding]:
    """Check and store the portfolio's branding in one transaction, with a timeline entry.

    Returns:
        ``old`` is the :class:`Branding` before; ``changed`` False when nothing differed.

    Raises:
        ValidationError: A field is wrong (see :func:`checked_branding`).
        StaleEditError: ``expect`` is given and the stored branding is no longer it.
    """
    new = checked_branding(branding)
    with portfolio.write() as session:
        old = load_branding(session)
        check_unchanged(old, expect, "the branding")
        if old == new:
            return EditResult(Changes(), old=old, changed=False)
        row = session.get(BrandingRow, BRANDING_ROW_ID)
        if row is None:
            row = BrandingRow(id=BRANDING_ROW_ID)
            session.add(row)
        row.vendor_name, row.logo, row.logo_kind = new.vendor_name, new.logo, new.logo_kind
        row.accent, row.footer = new.accent, new.footer
        row.currency, row.locale = new.currency, new.locale
        changed = [
            label for field, label in _LABELS.items() if getattr(old, field) != getattr(new, field)
        ]
        log_activity(session, None, "edit", f"Branding changed: {', '.join(changed)}")
    # Money and dates read differently everywhere: every view reloads.
    return EditResult(Changes(everything=True, activity=True), old=old, new=new)
