"""Branding: defaults, checks with one clear line, one transaction with a timeline entry."""

from __future__ import annotations

import dataclasses
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import Activity, BrandingRow
from csdesk.reports.case_queries import currency
from csdesk.scoring.branding import Branding
from csdesk.services.branding import (
    MAX_LOGO_BYTES,
    known_locales,
    load_branding,
    read_logo_file,
    save_branding,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'


def png(width: int = 4, height: int = 4) -> bytes:
    """A real, minimal RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x25\x63\xeb" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _load(portfolio: Portfolio) -> Branding:
    with portfolio.read() as s:
        return load_branding(s)


def test_a_new_portfolio_has_the_default_branding(portfolio: Portfolio) -> None:
    assert _load(portfolio) == Branding()
    with portfolio.read() as s:
        assert currency(s) == "USD"


def test_save_canonicalises_stores_and_logs_once(portfolio: Portfolio) -> None:
    result = save_branding(
        portfolio,
        Branding(
            vendor_name="  Northwind Cloud ",
            logo=png(),
            accent="#0f766e",
            footer="Northwind Cloud Ltd ·\n Confidential",
            currency="gbp",
            locale="en-GB",
        ),
    )
    assert result.old == Branding() and result.changes.everything
    saved = _load(portfolio)
    assert saved == Branding(
        vendor_name="Northwind Cloud",
        logo=png(),
        logo_kind="png",
        accent="#0F766E",
        footer="Northwind Cloud Ltd · Confidential",
        currency="GBP",
        locale="en_GB",
    )
    with portfolio.read() as s:
        assert currency(s) == "GBP"  # the exports read the same currency
        (entry,) = s.scalars(select(Activity)).all()
    assert entry.account_id is None
    assert entry.summary == (
        "Branding changed: vendor name, logo, accent colour, footer, currency, locale"
    )
    assert not save_branding(portfolio, saved).changed
    back = save_branding(portfolio, result.old)
    assert back.old == saved and _load(portfolio) == Branding()


def test_an_svg_logo_is_kept_as_svg(portfolio: Portfolio) -> None:
    save_branding(portfolio, Branding(logo=SVG, logo_kind="png"))
    assert _load(portfolio).logo_kind == "svg"  # the kind comes from the bytes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accent": "blue"}, r"accent colour 'blue' is not a #RRGGBB colour"),
        ({"accent": "#12345"}, "is not a #RRGGBB colour"),
        ({"currency": "XYZ"}, r"currency 'XYZ' is not a known ISO 4217 code"),
        ({"currency": "dollars"}, "is not a known ISO 4217 code"),
        ({"locale": "xx_YY"}, r"locale 'xx_YY' is not known"),
        ({"locale": "de_XX"}, r"locale 'de_XX' is not known"),
        ({"locale": "sr_Latn"}, r"locale 'sr_Latn' is not known"),
        ({"logo": b"GIF89a...."}, "neither a PNG image nor an SVG document"),
        ({"logo": b"<html><body/></html>"}, "not an SVG image"),
        ({"logo": b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES}, "a logo may be at most 1 MB"),
        ({"vendor_name": "V" * 201}, "vendor name is longer than 200"),
    ],
)
def test_bad_branding_is_refused_with_one_line_and_nothing_written(
    portfolio: Portfolio, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        save_branding(portfolio, dataclasses.replace(Branding(), **change))  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    with portfolio.read() as s:
        assert s.scalar(select(BrandingRow)) is None
        assert s.scalar(select(Activity)) is None


def test_logo_files_are_read_with_their_kind_or_refused(tmp_path: Path) -> None:
    (tmp_path / "mark.svg").write_bytes(SVG)
    (tmp_path / "mark.png").write_bytes(png())
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a logo")
    assert read_logo_file(tmp_path / "mark.svg") == (SVG, "svg")
    assert read_logo_file(tmp_path / "mark.png")[1] == "png"
    with pytest.raises(ValidationError, match=r"^photo.jpg: the logo is neither"):
        read_logo_file(tmp_path / "photo.jpg")
    with pytest.raises(ValidationError, match=r"^missing.png: cannot be read"):
        read_logo_file(tmp_path / "missing.png")


def test_known_locales_are_language_and_territory_tags() -> None:
    locales = known_locales()
    assert {"en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"} <= set(locales)
    assert all(tag.count("_") == 1 for tag in locales)
