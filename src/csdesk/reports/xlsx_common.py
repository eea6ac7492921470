"""Shared look of the Excel exports: fonts, fills, number formats and cell-writing helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from csdesk.reports.formatting import formats_of, letter_paper
from csdesk.reports.safe_text import set_text

__all__ = [
    "DATE_FORMAT",
    "MONTHS_FORMAT",
    "MULTIPLE_FORMAT",
    "PERCENT_FORMAT",
    "Look",
    "colour_series",
    "fit_to_page",
    "header_row",
    "put",
    "widths",
]

DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = "0%"
MULTIPLE_FORMAT = '0.00"×"'
MONTHS_FORMAT = '0.0" months"'
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
NAVY = "1F3A5F"
MUTED = "6B7280"


class Look:
    """The styles of one workbook (openpyxl style objects are created once per export)."""

    def __init__(self, currency: str, accent: str | None = None, locale: str = "en_US") -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        text = (accent or "").lstrip("#").upper()
        brand = text if len(text) == 6 and all(c in "0123456789ABCDEF" for c in text) else NAVY

        formats = formats_of(currency, locale)
        self.money = formats.excel_money()
        self.money_cents = formats.excel_money(cents=True)
        self.date = formats.excel_date()
        self.letter = letter_paper(locale)
        self.title = Font(name="Calibri", size=15, bold=True, color=brand)
        self.subtitle = Font(name="Calibri", size=10, italic=True, color=MUTED)
        self.section = Font(name="Calibri", size=11, bold=True, color=brand)
        self.label = Font(name="Calibri", size=10, color="2B2F36")
        self.bold = Font(name="Calibri", size=10, bold=True)
        self.header = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
        self.input = Font(name="Calibri", size=10, color="1F4FB4")
        self.header_fill = PatternFill("solid", fgColor=brand)
        self.input_fill = PatternFill("solid", fgColor="FFF8DC")
        self.total_border = Border(top=Side(style="thin", color=NAVY))
        self.input_border = Border(bottom=Side(style="hair", color="B0B7C3"))
        self.right = Alignment(horizontal="right")
        self.left = Alignment(horizontal="left")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.cached: dict[tuple[str, str], float | str] = {}
        """Each formula's computed value by ``(sheet, cell)``, stored with it on save."""
        self.expected: dict[str, float | str] = {}
        """The ROI sheet's expected-scenario results by defined name (for the Summary)."""


def put(ws: Any, ref: str, value: Any, *, fmt: str | None = None, font: Any = None) -> Any:
    """Write a value: text from the data as a string cell, numbers and dates as they are.

    Args:
        ws: The worksheet.
        ref: Cell reference (``B4``).
        value: A string (stored as text, never a formula), number, date or None.
        fmt: Number format.
        font: Font.

    Returns:
        The cell.
    """
    cell = ws[ref]
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
        if isinstance(value, dt.date) and fmt is None:
            fmt = DATE_FORMAT
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    return cell


def formula(
    ws: Any,
    ref: str,
    text: str,
    *,
    value: float | str | None,
    look: Look,
    fmt: str | None = None,
    font: Any = None,
) -> Any:
    """Write a live formula the export itself composed (never data text) and its value.

    Args:
        ws: The worksheet.
        ref: Cell reference.
        text: The formula (``=…``).
        value: What the formula computes for the written inputs (``""`` for an empty result);
            saved with the formula by :func:`csdesk.reports.xlsx_cache.store_cached_values`.
        look: The workbook's styles, which collect the values.
        fmt: Number format.
        font: Font.
    """
    cell = ws[ref]
    cell.value = text
    look.cached[(ws.title, ref)] = "" if value is None else value
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    return cell


def header_row(ws: Any, row: int, titles: Sequence[str], look: Look, col: int = 1) -> None:
    """Write a table header: white bold text on navy, numeric columns right-aligned."""
    from openpyxl.utils import get_column_letter

    for offset, title in enumerate(titles):
        cell = ws[f"{get_column_letter(col + offset)}{row}"]
        set_text(cell, title)
        cell.font = look.header
        cell.fill = look.header_fill
        if offset:
            cell.alignment = look.right


def colour_series(chart: Any, colours: Sequence[str]) -> None:
    """Give a chart's series the house colours (solid fills and unsmoothed lines)."""
    for series, colour in zip(chart.series, colours, strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.smooth = False


def localise_number_formats(wb: Any, formats: Any) -> None:
    """Mark every cell's number format with the portfolio's locale (``[$-407]#,##0`` for
    de_DE), so LibreOffice shows the locale's separators; the values stay numbers."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                code = cell.number_format
                if code and code != "General":
                    cell.number_format = formats.excel_code(code)


def fit_to_page(ws: Any, *, landscape: bool = False, letter: bool = False) -> None:
    """Print the sheet one page wide (as many pages tall as needed), on A4 or Letter."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER if letter else ws.PAPERSIZE_A4


def widths(ws: Any, sizes: Sequence[float]) -> None:
    """Set the widths of the first columns (in characters)."""
    from openpyxl.utils import get_column_letter

    for index, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(index)].width = size
