"""SVG logos: drawn as vectors in the PDF and as a PNG in the deck; bad or hostile ones refused
with one line."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from report_builders import TODAY

from csdesk.errors import ValidationError
from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.logo import MAX_SVG_BYTES, LogoError, svg_drawing, svg_png
from csdesk.reports.pdf import render_case_pdf
from csdesk.reports.pptx_deck import render_case_pptx
from csdesk.scoring.branding import Branding
from csdesk.services.branding import logo_kind

TEAL = (0x0F, 0x76, 0x6E)
LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" viewBox="0 0 240 60">
  <rect x="2" y="2" width="56" height="56" rx="12" fill="#0F766E"/>
  <circle cx="30" cy="30" r="14" fill="none" stroke="#ffffff" stroke-width="5"/>
  <path d="M22 40 C 30 20, 40 20, 48 12" stroke="#FBBF24" stroke-width="4" fill="none"/>
  <text x="70" y="40" font-size="28" fill="#0F172A">Omega</text>
</svg>"""


def _teal_share(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    teal = sum(n for n, (r, g, b, a) in colours if a > 200 and (r, g, b) == TEAL)
    return teal / (image.width * image.height)


def test_an_svg_logo_is_drawn_as_a_png_of_its_shapes() -> None:
    png = svg_png(LOGO)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.height == 240
    assert image.width == 960  # the SVG's 4:1 proportions
    assert 0.15 < _teal_share(png) < 0.30  # the rounded square: a quarter of the width
    corner = image.convert("RGBA").getpixel((9, 9))
    assert isinstance(corner, tuple) and corner[3] < 128  # rounded: the corner stays clear


def _case(portfolio: Any, logo: bytes) -> Any:
    with portfolio.read() as session:
        case = assemble_case(session, portfolio.full_id, today=TODAY)
    brand = Branding(vendor_name="Omega", logo=logo, logo_kind="svg", accent="#0F766E")
    return dataclasses.replace(case, branding=brand)


def test_the_pdf_cover_draws_the_svg_logo_as_vectors(case_portfolio: Any) -> None:
    out = io.BytesIO()
    render_case_pdf(_case(case_portfolio, LOGO), out, ExportOptions())
    cover = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    stream = cover.get_contents()
    assert stream is not None
    content = stream.get_data().decode("latin-1")
    # The logo's teal fill and amber stroke as PDF colour operators: vectors, not an image.
    assert ".058824 .462745 .431373 rg" in content or "0.058824 0.462745 0.431373 rg" in content
    assert " RG" in content and ".984314 .74902 .141176 RG" in content


def test_every_slide_carries_the_svg_logo_as_a_picture(case_portfolio: Any) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    out = io.BytesIO()
    render_case_pptx(_case(case_portfolio, LOGO), out, ExportOptions())
    deck = Presentation(io.BytesIO(out.getvalue()))
    for slide in deck.slides:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0].image.content_type == "image/png"
        assert _teal_share(pictures[0].image.blob) > 0.15


HOSTILE = {
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>""",
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&c;</text></svg>""",
    "not xml": b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
    "not svg": b"<html><body>logo</body></html>",
    "huge": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    + b'<rect width="1" height="1"/>' * (MAX_SVG_BYTES // 28 + 10)
    + b"</svg>",
    "deep": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    + b"<g>" * 5000
    + b'<rect width="1" height="1"/>'
    + b"</g>" * 5000
    + b"</svg>",
    "no size": b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_bad_or_hostile_svg_gives_one_line(name: str) -> None:
    data = HOSTILE[name]
    with pytest.raises(LogoError) as caught:
        svg_png(data)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message
    with pytest.raises(ValidationError) as refused:  # what saving the branding says
        logo_kind(data)
    assert str(refused.value) and "\n" not in str(refused.value)


def test_an_svg_naming_a_local_file_never_reads_it(tmp_path: Any) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4), TEAL).save(secret)
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' width="20" height="20"><image width="20" height="20" xlink:href="'
        + str(secret).encode()
        + b'"/></svg>'
    )
    svg_drawing.cache_clear()
    png = svg_png(svg)  # drawn without the image: the reference is refused
    assert _teal_share(png) == 0.0


def test_a_stored_bad_svg_leaves_the_exports_without_a_logo(case_portfolio: Any) -> None:
    case = _case(case_portfolio, HOSTILE["external entity"])
    pdf, deck = io.BytesIO(), io.BytesIO()
    render_case_pdf(case, pdf, ExportOptions())
    render_case_pptx(case, deck, ExportOptions())
    assert pdf.getvalue().startswith(b"%PDF") and deck.getvalue()[:2] == b"PK"
