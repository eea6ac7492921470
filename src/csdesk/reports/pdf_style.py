"""The look of the business-case PDF: page geometry, colours, paragraph and table styles."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from csdesk.reports.charts import INK, MUTED, NAVY

__all__ = [
    "FRAME_WIDTH",
    "MARGIN",
    "PAGE",
    "Styles",
    "band_hex",
    "page_size",
    "styles",
    "table_style",
]

PAGE = (595.2756, 841.8898)  # A4 in points
LETTER = (612.0, 792.0)
MARGIN = 54.0
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
"""The text width on both papers (Letter's extra width goes to its side margins)."""
ZEBRA = "#f6f7f9"
RULE = "#c9ced6"

_BAND_HEX = {
    "Excellent": "#2e9d5b",
    "Good": "#c9a200",
    "At Risk": "#e07b00",
    "Critical": "#d64545",
}


def page_size(locale: str) -> tuple[float, float]:
    """The paper of a locale: US Letter where CLDR says so (US, CA, MX, PH …), else A4."""
    from csdesk.reports.formatting import letter_paper

    return LETTER if letter_paper(locale) else PAGE


def band_hex(band: str | None) -> str:
    """The colour of a band name (a grey for no band)."""
    return _BAND_HEX.get(band or "", MUTED)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one document."""

    body: Any
    small: Any
    muted: Any
    h1: Any
    h2: Any
    h3: Any
    lead: Any
    cell: Any
    cell_right: Any
    cell_bold: Any
    cell_bold_right: Any
    head: Any
    head_right: Any
    tile_label: Any
    tile_value: Any
    tile_note: Any
    cover_title: Any
    cover_name: Any
    cover_label: Any
    cover_value: Any
    bullet: Any


@functools.cache
def styles() -> Styles:
    """Build the paragraph styles once per process (registers the bundled font)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from csdesk.reports.fonts import register_pdf_fonts

    regular, bold = register_pdf_fonts()
    ink, muted, navy = HexColor(INK), HexColor(MUTED), HexColor(NAVY)

    def style(name: str, **kw: Any) -> Any:
        base: dict[str, Any] = {"fontName": regular, "fontSize": 9, "leading": 13, "textColor": ink}
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body", spaceAfter=6),
        small=style("small", fontSize=7.5, leading=10),
        muted=style("muted", textColor=muted, spaceAfter=6),
        h1=style("h1", fontName=bold, fontSize=17, leading=22, textColor=navy, spaceAfter=4),
        h2=style(
            "h2",
            fontName=bold,
            fontSize=11.5,
            leading=15,
            textColor=navy,
            spaceBefore=16,
            spaceAfter=6,
            keepWithNext=1,
        ),
        h3=style(
            "h3",
            fontName=bold,
            fontSize=8.5,
            leading=11,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,
        ),
        lead=style("lead", fontSize=10, leading=15, spaceAfter=10),
        cell=style("cell", fontSize=8.5, leading=11),
        cell_right=style("cell_r", fontSize=8.5, leading=11, alignment=TA_RIGHT),
        cell_bold=style("cell_b", fontName=bold, fontSize=8.5, leading=11),
        cell_bold_right=style(
            "cell_br", fontName=bold, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        head=style("head", fontName=bold, fontSize=7.5, leading=10, textColor=muted),
        head_right=style(
            "head_r", fontName=bold, fontSize=7.5, leading=10, textColor=muted, alignment=TA_RIGHT
        ),
        tile_label=style("tile_l", fontName=bold, fontSize=7, leading=9, textColor=muted),
        tile_value=style("tile_v", fontName=bold, fontSize=17, leading=21, textColor=navy),
        tile_note=style("tile_n", fontSize=7.5, leading=10, textColor=muted),
        cover_title=style(
            "cover_t", fontName=bold, fontSize=10, leading=14, textColor=HexColor("#ffffff")
        ),
        cover_name=style("cover_n", fontName=bold, fontSize=28, leading=34, textColor=navy),
        cover_label=style("cover_l", fontName=bold, fontSize=7.5, leading=10, textColor=muted),
        cover_value=style("cover_v", fontSize=11, leading=15),
        bullet=style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3, bulletFontName=regular),
    )


def table_style(rows: int, *, total_rows: tuple[int, ...] = (), zebra: bool = True) -> Any:
    """The house table style: muted header, hairline rules, zebra rows, ruled totals.

    Args:
        rows: Number of rows including the header.
        total_rows: Row indexes drawn as totals (rule above, no zebra).
        zebra: Shade every other body row.

    Returns:
        A reportlab ``TableStyle``.
    """
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import TableStyle

    from csdesk.reports.fonts import REGULAR

    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(NAVY)),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, HexColor(RULE)),
    ]
    if zebra:
        for row in range(2, rows, 2):
            if row not in total_rows:
                commands.append(("BACKGROUND", (0, row), (-1, row), HexColor(ZEBRA)))
    for row in total_rows:
        commands.append(("LINEABOVE", (0, row), (-1, row), 0.6, HexColor(RULE)))
    return TableStyle(commands)
