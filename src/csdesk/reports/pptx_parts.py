"""The building blocks of the business-case deck (python-pptx): slide frame, text, tables, charts.

Every slide is a blank 16:9 slide with the message as its title, an accent bar, the vendor's logo
and name, and a footer; all text sits in editable text boxes, tables are native tables and charts
are native PowerPoint charts carrying the real series (their data is embedded in the deck).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from csdesk.reports.case_types import BusinessCase
from csdesk.reports.safe_text import clean_text

__all__ = [
    "BODY_TOP_IN",
    "INK",
    "MARGIN_IN",
    "MUTED",
    "TITLE_NAME",
    "Deck",
    "add_bar_chart",
    "add_line_chart",
    "add_table",
    "add_text",
    "add_tiles",
    "rgb",
]

INK = "#2B2F36"
MUTED = "#6B7280"
WIDTH_IN, HEIGHT_IN = 13.333, 7.5
TITLE_NAME = "Message"
"""Shape name of each slide's title (the message) — how previews and tests find it."""
MARGIN_IN = 0.6
BODY_TOP_IN = 1.75
_FOOTER_IN = 7.05


def rgb(hex_colour: str) -> Any:
    """A python-pptx colour from ``#rrggbb`` (a malformed colour falls back to the ink)."""
    from pptx.dml.color import RGBColor

    text = hex_colour.lstrip("#")[:6]
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        text = INK[1:]
    colour: Any = RGBColor  # python-pptx's class is untyped
    return colour(int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def add_text(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    paragraphs: Sequence[str],
    *,
    size: float = 16,
    colour: str = INK,
    bold: bool = False,
    bullets: bool = False,
    shrink: bool = False,
) -> Any:
    """An editable text box (inches); one paragraph per item, text exactly as written."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE if shrink else MSO_AUTO_SIZE.NONE
    for index, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        para.text = ("• " if bullets else "") + clean_text(text)
        para.space_after = Pt(size * 0.5)
        font = para.runs[0].font if para.runs else para.font
        font.size, font.bold, font.color.rgb = Pt(size), bold, rgb(colour)
    return box


def add_tiles(slide: Any, top: float, tiles: Sequence[tuple[str, str, str]], accent: str) -> None:
    """Big-number tiles ``(label, value, note)`` side by side across the slide."""
    width = (WIDTH_IN - 2 * MARGIN_IN - 0.3 * (len(tiles) - 1)) / max(len(tiles), 1)
    for index, (label, value, note) in enumerate(tiles):
        left = MARGIN_IN + index * (width + 0.3)
        add_text(slide, left, top, width, 0.4, [label.upper()], size=12, colour=MUTED, bold=True)
        add_text(slide, left, top + 0.4, width, 0.9, [value], size=36, colour=accent, bold=True)
        add_text(slide, left, top + 1.3, width, 0.6, [note], size=12, colour=MUTED)


def add_table(
    slide: Any,
    top: float,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    accent: str,
    *,
    size: float = 12,
) -> Any:
    """A native table: header on the accent colour, text exactly as written."""
    from pptx.util import Inches, Pt

    total = sum(widths)
    span = WIDTH_IN - 2 * MARGIN_IN
    height = 0.4 * (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(MARGIN_IN), Inches(top), Inches(span), Inches(height)
    )
    table = shape.table
    for col, share in enumerate(widths):
        table.columns[col].width = Inches(span * share / total)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = clean_text(value)
            font = cell.text_frame.paragraphs[0].runs[0].font if value else None
            if font is not None:
                font.size = Pt(size)
                font.bold = r == 0
                font.color.rgb = rgb("#FFFFFF" if r == 0 else INK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(
                accent if r == 0 else ("#F3F5F8" if r % 2 else "#FFFFFF")
            )
    return shape


def _chart_data(cls: Any, number_format: str) -> Any:
    """A chart-data object (python-pptx's class is untyped)."""
    return cls(number_format=number_format)


def _chart_frame(slide: Any, kind: Any, data: Any, top: float, height: float) -> Any:
    from pptx.util import Inches

    width = WIDTH_IN - 2 * MARGIN_IN
    frame = slide.shapes.add_chart(
        kind, Inches(MARGIN_IN), Inches(top), Inches(width), Inches(height), data
    )
    return frame.chart


def _style(chart: Any, colours: Sequence[str], number_format: str) -> None:
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Pt

    chart.has_title = False  # the slide's title carries the message
    chart.has_legend = len(chart.plots[0].series) > 1 or len(chart.plots) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.tick_labels.font.size = Pt(12)
    series = [s for plot in chart.plots for s in plot.series]
    for s, colour in zip(series, colours, strict=False):
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = rgb(colour)
        s.format.line.color.rgb = rgb(colour)


def add_bar_chart(
    slide: Any,
    top: float,
    height: float,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    colours: Sequence[str],
    number_format: str,
) -> Any:
    """A native clustered-column chart with the given series."""
    from pptx.enum.chart import XL_CHART_TYPE

    return _category_chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        top,
        height,
        categories,
        series,
        colours,
        number_format,
    )


def _category_chart(
    slide: Any,
    chart_type: Any,
    top: float,
    height: float,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    colours: Sequence[str],
    number_format: str,
) -> Any:
    """A native chart of ``chart_type`` over the categories, one series each, styled."""
    from pptx.chart.data import CategoryChartData

    data: Any = _chart_data(CategoryChartData, number_format)
    data.categories = list(categories)
    for name, values in series:
        data.add_series(name, list(values))
    chart = _chart_frame(slide, chart_type, data, top, height)
    _style(chart, colours, number_format)
    return chart


def add_line_chart(
    slide: Any,
    top: float,
    height: float,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    colours: Sequence[str],
    number_format: str,
    *,
    y_range: tuple[float | None, float | None] | None = None,
) -> Any:
    """A native line chart with markers, one line per series."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    chart = _category_chart(
        slide,
        XL_CHART_TYPE.LINE_MARKERS,
        top,
        height,
        categories,
        series,
        colours,
        number_format,
    )
    for s in chart.plots[0].series:
        s.smooth = False
        s.format.line.width = Pt(2.5)
    if y_range is not None:  # None leaves that end automatic
        low, high = y_range
        if low is not None:
            chart.value_axis.minimum_scale = low
        if high is not None:
            chart.value_axis.maximum_scale = high
    return chart


def _logo_png(case: BusinessCase) -> bytes | None:
    """The branding's logo as PNG bytes (an SVG drawn), None when there is none or it is bad."""
    from csdesk.reports.logo import LogoError, logo_png

    try:
        return logo_png(case.branding.logo, case.branding.logo_kind)
    except LogoError:  # refused when it was saved; a stored bad one leaves the slides without
        return None


class Deck:
    """A 16:9 presentation in the portfolio's branding; :meth:`slide` adds one message slide."""

    def __init__(self, case: BusinessCase) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.case = case
        self.accent = case.branding.accent or "#2563EB"
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
        self._logo = _logo_png(case)

    def slide(self, title: str, notes: Sequence[str]) -> Any:
        """Add a slide titled with its message, the branding, and its speaker notes."""
        from pptx.util import Inches

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        bar = slide.shapes.add_shape(1, 0, 0, self.prs.slide_width, Inches(0.12))
        bar.fill.solid()
        bar.fill.fore_color.rgb = rgb(self.accent)
        bar.line.fill.background()
        logo_space = 0.0
        if self._logo:
            try:
                picture = slide.shapes.add_picture(
                    io.BytesIO(self._logo), 0, Inches(0.35), height=Inches(0.5)
                )
                widest = Inches(3.0)
                if picture.width > widest:  # a wide wordmark: keep it within 3 inches
                    picture.height = int(picture.height * widest / picture.width)
                    picture.width = widest
                picture.left = self.prs.slide_width - Inches(MARGIN_IN) - picture.width
                logo_space = picture.width / 914400 + 0.3
            except Exception:
                self._logo = None
        box = add_text(
            slide,
            MARGIN_IN,
            0.35,
            WIDTH_IN - 2 * MARGIN_IN - logo_space,
            1.25,
            [title],
            size=28,
            colour=self.accent,
            bold=True,
            shrink=True,
        )
        box.name = TITLE_NAME
        self._footer(slide)
        slide.notes_slide.notes_text_frame.text = "\n".join(clean_text(n) for n in notes)
        return slide

    def _footer(self, slide: Any) -> None:
        b = self.case.branding
        # The CSM's footer line when set, else the vendor and who the deck is for.
        parts = [b.footer] if b.footer else [b.vendor_name] if b.vendor_name else []
        if "prepared for" not in b.footer.lower():
            parts.append(f"Prepared for {self.case.account.name}")
        number = len(self.prs.slides)
        add_text(
            slide,
            MARGIN_IN,
            _FOOTER_IN,
            WIDTH_IN - 2 * MARGIN_IN - 1.0,
            0.35,
            [" · ".join(parts)],
            size=10,
            colour=MUTED,
        )
        add_text(
            slide,
            WIDTH_IN - MARGIN_IN - 0.8,
            _FOOTER_IN,
            0.8,
            0.35,
            [str(number)],
            size=10,
            colour=MUTED,
        )

    def save(self) -> bytes:
        """The deck as PPTX bytes."""
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def contacts_slide(d: Deck, _o: Any) -> None:
    """The closing slide: the next meeting (its day and purpose) and the contacts on both sides."""
    from csdesk.reports.case_text import meeting_text, next_meeting

    c = d.case
    meeting = next_meeting(c)
    rows = [
        [x.name, (x.role or "") + (" (executive sponsor)" if x.sponsor else ""), x.email or ""]
        for x in c.contacts
    ]
    if meeting is not None:
        title = f"Next meeting on {c.formats.date(meeting[0])}" + (
            f": {meeting[1]}" if meeting[1] else ""
        )
        notes = [
            "Confirm the day and who joins; close on the next step.",
            "The next meeting as booked in the success plan; contacts from the CRM.",
        ]
    else:
        title = "Your team and ours" if rows else "Let us book our next meeting"
        notes = ["Confirm the people and book the next meeting.", "Contacts from the CRM."]
    s = d.slide(title, notes)
    if rows:
        add_table(s, BODY_TOP_IN, ("Name", "Role", "Email"), rows, (2, 2, 2.5), d.accent)
    elif meeting is not None:  # no contacts recorded: the meeting in a line under the title
        add_text(s, MARGIN_IN, BODY_TOP_IN, WIDTH_IN - 2 * MARGIN_IN, 0.6, [meeting_text(c) or ""])
