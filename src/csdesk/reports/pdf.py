"""The renewal business case as a PDF (reportlab platypus): cover, sections, header and footer."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.reports import formatting as f
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.charts import MUTED, NAVY
from csdesk.reports.pdf_style import FRAME_WIDTH, MARGIN, Styles, page_size, styles
from csdesk.reports.safe_text import clean_text, para

__all__ = ["render_case_pdf"]

_COVER_BAND = 150.0


def _numbered_canvas_class(page: tuple[float, float], side: float) -> type:
    """A canvas that writes "Page n of N" once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    from csdesk.reports.fonts import REGULAR

                    self.setFont(REGULAR, 7.5)
                    self.setFillColor(MUTED)
                    self.drawRightString(
                        page[0] - side, MARGIN - 26, f"Page {self._pageNumber} of {total}"
                    )
                super().showPage()
            super().save()

    return NumberedCanvas


def _fit(canvas: Any, text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis until it fits ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    fits, too_long = 0, len(text)  # bisect the longest prefix that fits with the ellipsis
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if canvas.stringWidth(text[:middle] + "…", font, size) <= width:
            fits = middle
        else:
            too_long = middle
    return text[:fits] + "…"


def _accent(colour: str) -> str:
    text = (colour or "").lstrip("#")
    ok = len(text) == 6 and all(c in "0123456789abcdefABCDEF" for c in text)
    return f"#{text}" if ok else NAVY


def _logo(data: bytes | None, kind: str | None) -> tuple[Any, tuple[float, float]] | None:
    """The logo as a reportlab image or drawing (an SVG, as vectors) with its size; None when
    there is none or it cannot be read."""
    if not data:
        return None
    if kind == "svg":
        from csdesk.reports.logo import LogoError, svg_drawing

        try:
            drawing = svg_drawing(data)
        except LogoError:  # refused when it was saved; a stored bad one leaves the cover bare
            return None
        return drawing, (float(drawing.width), float(drawing.height))
    if kind != "png":
        return None
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(io.BytesIO(data))
        return image, image.getSize()
    except Exception:  # an unreadable logo leaves the cover without one
        return None


def _draw_logo(canvas: Any, logo: Any, x: float, y: float, scale: float) -> None:
    """Draw a raster logo or an SVG drawing at (x, y), ``scale`` times its own size."""
    from reportlab.graphics.shapes import Drawing

    if isinstance(logo, Drawing):
        from reportlab.graphics import renderPDF

        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        renderPDF.draw(logo, canvas, 0, 0)
        canvas.restoreState()
        return
    w, h = logo.getSize()
    canvas.drawImage(logo, x, y, w * scale, h * scale, mask="auto")


def _decorations(case: BusinessCase, page_box: tuple[float, float]) -> tuple[Any, Any]:
    fm = case.formats
    from reportlab.lib.colors import HexColor

    from csdesk.reports.fonts import BOLD, REGULAR

    name = clean_text(case.account.name)
    owner = clean_text(case.account.owner) if case.account.owner else None
    brand = case.branding
    footer = f"Prepared {fm.date(case.prepared_on)}" + (f" by {owner}" if owner else "")
    # The vendor's own footer line, else a plain "Confidential" (the cover says for whom).
    mark = clean_text(brand.footer) if brand.footer else None
    footer = f"{mark} · {footer}" if mark else f"{footer} · Confidential"
    width, height = page_box
    side = (width - FRAME_WIDTH) / 2
    accent = _accent(brand.accent)
    logo = _logo(brand.logo, brand.logo_kind)

    def cover(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(HexColor(accent))
        canvas.rect(0, height - _COVER_BAND, width, _COVER_BAND, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#ffffff"))
        canvas.setFont(BOLD, 10)
        canvas.drawString(side, height - 70, "RENEWAL BUSINESS CASE")
        canvas.setFont(REGULAR, 9)
        prepared = f"Prepared {fm.date(case.prepared_on)}"
        if brand.vendor_name:
            prepared = f"{clean_text(brand.vendor_name)} · {prepared}"
        canvas.drawString(side, height - 86, _fit(canvas, prepared, REGULAR, 9, FRAME_WIDTH * 0.6))
        if logo is not None:  # on a white card, so any logo colour reads on the accent band
            image, (w, h) = logo
            scale = min(36 / h, 150 / w)
            canvas.setFillColor(HexColor("#ffffff"))
            canvas.roundRect(
                width - side - w * scale - 8,
                height - 98,
                w * scale + 16,
                h * scale + 16,
                4,
                stroke=0,
                fill=1,
            )
            _draw_logo(canvas, image, width - side - w * scale, height - 90, scale)
        canvas.setFillColor(HexColor(MUTED))
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(
            side,
            MARGIN - 26,
            _fit(canvas, f"Confidential — prepared for {name}", REGULAR, 7.5, FRAME_WIDTH),
        )
        canvas.restoreState()

    def page(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(HexColor(NAVY))
        canvas.drawString(side, height - 34, _fit(canvas, name, BOLD, 8, FRAME_WIDTH * 0.65))
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(HexColor(MUTED))
        canvas.drawRightString(width - side, height - 34, "Renewal business case")
        canvas.setStrokeColor(HexColor("#c9ced6"))
        canvas.setLineWidth(0.5)
        canvas.line(side, height - 40, width - side, height - 40)
        canvas.line(side, MARGIN - 14, width - side, MARGIN - 14)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(
            side,
            MARGIN - 26,
            _fit(canvas, footer, REGULAR, 7.5, FRAME_WIDTH * 0.82),
        )
        canvas.restoreState()

    return cover, page


def _cover_story(case: BusinessCase, s: Styles) -> list[Any]:
    fm = case.formats
    from reportlab.platypus import Spacer, Table, TableStyle

    from csdesk.reports.pdf_sections import P

    acc = case.account
    facts = [
        ("Customer Success Manager", para(acc.owner) if acc.owner else f.DASH),
        ("Prepared on", fm.date(case.prepared_on)),
        ("Contract end date", fm.date(acc.renewal_date)),
        ("Current tier", para(acc.tier) if acc.tier else f.DASH),
        ("Annual contract value", fm.money(acc.arr)),
        ("Executive sponsor", para(acc.sponsor) if acc.sponsor else f.DASH),
    ]
    cells = [[P(label.upper(), s.cover_label), P(value, s.cover_value)] for label, value in facts]
    grid = [cells[i][0:1] + cells[i + 1][0:1] for i in range(0, 6, 2)]
    values = [cells[i][1:2] + cells[i + 1][1:2] for i in range(0, 6, 2)]
    rows: list[list[Any]] = []
    for labels, vals in zip(grid, values, strict=True):
        rows += [labels, vals]
    t = Table(rows, colWidths=[FRAME_WIDTH / 2] * 2, hAlign="LEFT", splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.body.fontName),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                *[("BOTTOMPADDING", (0, r), (-1, r), 14) for r in range(1, len(rows), 2)],
            ]
        )
    )
    about = " · ".join(para(x) for x in (acc.industry, acc.segment, acc.country) if x)
    story: list[Any] = [Spacer(0, 150), P(para(acc.name), s.cover_name)]
    if about:
        story.append(P(about, s.muted))
    story += [Spacer(0, 40), t]
    return story


def _story(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """The flowables of the chosen sections that have data, in SPEC 4's order."""
    from reportlab.platypus import CondPageBreak, NextPageTemplate, PageBreak

    from csdesk.reports.case_text import present_sections
    from csdesk.reports.pdf_edition import SECTION_BUILDERS, agenda_section
    from csdesk.reports.pdf_proposal import renewal_section
    from csdesk.reports.pdf_sections import (
        executive_summary,
        health_section,
        usage_section,
        value_section,
    )

    sections = present_sections(case, options)
    story: list[Any] = []
    if "cover" in sections:
        story += _cover_story(case, s)
        story += [NextPageTemplate("body"), PageBreak()]
    for key in sections:
        if key == "agenda":
            story += agenda_section(case, s, sections)
        elif key == "summary":
            story += executive_summary(case, s, options)
        elif key == "value":
            story += value_section(case, s)
        elif key == "adoption":
            story += [CondPageBreak(300), *usage_section(case, s)]
        elif key == "health":
            story += [CondPageBreak(330), *health_section(case, s)]
        elif key == "renewal":
            story += [CondPageBreak(200), *renewal_section(case, s, options)]
        elif key in SECTION_BUILDERS:
            story += SECTION_BUILDERS[key](case, s, options)
    return story


def render_case_pdf(
    case: BusinessCase, target: Path | BinaryIO, options: ExportOptions | None = None
) -> None:
    """Lay out a business case as a PDF.

    Args:
        case: The assembled case.
        target: A file path (written whole, or not at all) or a binary stream.
        options: Edition and sections (default: the client edition, every section).
    """
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    s = styles()
    buffer = io.BytesIO()
    page_box = page_size(case.branding.locale)
    side = (page_box[0] - FRAME_WIDTH) / 2
    name = clean_text(case.account.name)
    doc = BaseDocTemplate(
        buffer,
        pagesize=page_box,
        leftMargin=side,
        rightMargin=side,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Renewal business case — {name}",
        author=clean_text(case.account.owner or ""),
        subject=f"Renewal business case for {name}",
        creator="csdesk",
        # Every page starts in the embedded font, so no unembedded base font is referenced.
        initialFontName=s.body.fontName,
    )
    cover, page = _decorations(case, page_box)
    frame = Frame(
        side,
        MARGIN,
        FRAME_WIDTH,
        page_box[1] - 2 * MARGIN,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    templates = [
        PageTemplate("cover", [frame], onPage=cover),
        PageTemplate("body", [frame], onPage=page),
    ]
    if not (options or ExportOptions()).shows("cover"):
        templates.reverse()  # no cover page: every page is a body page
    doc.addPageTemplates(templates)
    story = _story(case, s, options or ExportOptions())
    doc.build(story, canvasmaker=_numbered_canvas_class(page_box, side))
    data = buffer.getvalue()
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
