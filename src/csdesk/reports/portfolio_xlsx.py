"""The portfolio workbook: a sheet of portfolio figures and every account as a filterable table.

Written in openpyxl's streaming (write-only) mode, so a portfolio of 100,000 accounts does not
build a cell object per value in memory; data text still goes through :func:`safe_text.set_text`.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.reports import formatting as f
from csdesk.reports.safe_text import set_text
from csdesk.reports.xlsx_common import DATE_FORMAT, MULTIPLE_FORMAT, NAVY, PERCENT_FORMAT, Look

__all__ = ["ACCOUNT_COLUMNS", "write_portfolio_workbook"]

ACCOUNT_COLUMNS: tuple[tuple[str, str, str | None, float], ...] = (
    ("crm_id", "CRM id", None, 20),
    ("name", "Account", None, 32),
    ("owner", "Owner", None, 18),
    ("industry", "Industry", None, 18),
    ("segment", "Segment", None, 12),
    ("status", "Status", None, 10),
    ("tier", "Tier", None, 13),
    ("arr", "ARR", "money", 13),
    ("health_score", "Health score", "0.0", 12),
    ("health_band", "Health band", None, 12),
    ("lifecycle_stage", "Lifecycle stage", None, 17),
    ("renewal_date", "Renewal date", DATE_FORMAT, 13),
    ("days_left", "Days left", "0", 10),
    ("renewal_overdue", "Renewal overdue", None, 15),
    ("likelihood", "Likelihood", PERCENT_FORMAT, 11),
    ("forecast", "Forecast ARR", "money", 14),
    ("roi_multiple", "ROI multiple", MULTIPLE_FORMAT, 12),
    ("prospect_score", "Prospect score", "0.00", 14),
    ("prospect_qualified", "Qualified", None, 10),
)
"""``(row key, header, number format, width)`` of the Accounts table."""

_BAND_FONT = {
    "Excellent": "2E9D5B",
    "Good": "B08D00",
    "At Risk": "D9730D",
    "Critical": "D64545",
}


def _cell(ws: Any, value: Any, fmt: str | None = None, font: Any = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    return cell


def _yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _figures_sheet(wb: Any, figures: Any, currency: str, look: Look) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws = wb.create_sheet("Portfolio")
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 14
    written = 0

    def add(cells: list[Any]) -> int:
        nonlocal written
        ws.append(cells)
        written += 1
        return written

    add([_cell(ws, "Portfolio figures", font=look.title)])
    start, end = f.date_text(figures.period_start), f.date_text(figures.as_of)
    add([_cell(ws, f"As of {end}; retention over {start} – {end}", font=look.subtitle)])
    add([])

    def line(label: str, value: Any, fmt: str | None = None) -> None:
        add([_cell(ws, label, font=look.label), _cell(ws, value, fmt)])

    def section(title: str) -> None:
        add([])
        add([_cell(ws, title, font=look.section)])

    section("Accounts")
    line("Accounts", figures.accounts, "#,##0")
    line("Customers (active and pilot)", figures.customers, "#,##0")
    line("Prospects", figures.prospects, "#,##0")
    line("Churned", figures.churned, "#,##0")
    line("ARR (active and pilot)", figures.total_arr, look.money)
    section("Renewals")
    for days, (count, arr, forecast) in ((90, figures.renewals_90), (365, figures.renewals_365)):
        line(f"Renewals due in the next {days} days", count, "#,##0")
        line(f"ARR due in the next {days} days", arr, look.money)
        line(f"Forecast ARR, next {days} days (ARR × likelihood)", forecast, look.money)
    line("Renewals overdue", figures.overdue_renewals, "#,##0")
    section("Retention, trailing twelve months")
    line("Starting ARR", figures.start_arr, look.money)
    line("Churned ARR", figures.churned_arr, look.money)
    line("Contraction", figures.contraction, look.money)
    line("Expansion", figures.expansion, look.money)
    line("Gross revenue retention (GRR)", figures.grr, "0.0%")
    line("Net revenue retention (NRR)", figures.nrr, "0.0%")
    line("Logo churn", figures.logo_churn, "0.0%")
    section("Health of the customers")
    header = [_cell(ws, t, font=look.header) for t in ("Band", "Accounts", "ARR")]
    for index, cell in enumerate(header):
        cell.fill = look.header_fill
        if index:
            cell.alignment = look.right
    add(header)
    first = written + 1
    for (band, count), (_, arr) in zip(figures.band_counts, figures.arr_by_band, strict=True):
        colour = _BAND_FONT.get(band, "6B7280")
        add(
            [
                _cell(ws, band, font=Font(name="Calibri", size=10, bold=True, color=colour)),
                _cell(ws, count, "#,##0"),
                _cell(ws, arr, look.money),
            ]
        )
    last = first + len(figures.band_counts) - 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = "ARR by health band"
    chart.add_data(Reference(ws, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.legend = None
    chart.y_axis.numFmt = look.money
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"
    chart.series[0].graphicalProperties.solidFill = NAVY
    chart.height, chart.width = 7, 14
    ws.add_chart(chart, "E4")


def _accounts_sheet(wb: Any, rows: Sequence[Mapping[str, Any]], look: Look) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    ws = wb.create_sheet("Accounts")
    for index, (_key, _title, _fmt, width) in enumerate(ACCOUNT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "C2"
    formats = [look.money if fmt == "money" else fmt for _k, _t, fmt, _w in ACCOUNT_COLUMNS]
    ws.append([_cell(ws, title, font=look.bold) for _k, title, _f, _w in ACCOUNT_COLUMNS])
    band_fonts = {b: Font(name="Calibri", size=11, color=c) for b, c in _BAND_FONT.items()}
    for row in rows:
        cells = []
        for (key, _title, _fmt, _w), fmt in zip(ACCOUNT_COLUMNS, formats, strict=True):
            value = _yes_no(row.get(key))
            if isinstance(value, str) and fmt == DATE_FORMAT:
                value = dt.date.fromisoformat(value)
            font = band_fonts.get(value) if key == "health_band" else None
            cells.append(_cell(ws, value, fmt, font))
        ws.append(cells)
    last_col = get_column_letter(len(ACCOUNT_COLUMNS))
    ref = f"A1:{last_col}{max(2, len(rows) + 1)}"
    columns = [
        TableColumn(id=index, name=title)
        for index, (_k, title, _f, _w) in enumerate(ACCOUNT_COLUMNS, start=1)
    ]
    table = Table(
        displayName="Accounts", ref=ref, tableColumns=columns, autoFilter=AutoFilter(ref=ref)
    )
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():
        # The columns are named above; openpyxl warns in write-only mode regardless.
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        ws.add_table(table)


def write_portfolio_workbook(
    rows: Sequence[Mapping[str, Any]],
    figures: Any,
    target: Path | BinaryIO,
    *,
    currency: str = "USD",
) -> None:
    """Write the portfolio workbook.

    Args:
        rows: One mapping per account with the keys of :data:`ACCOUNT_COLUMNS` (dates as
            ``date`` or ISO text, booleans as bool).
        figures: The portfolio figures (``csdesk.services.portfolio_figures.PortfolioFigures``).
        target: A file path (written whole, or not at all) or a binary stream.
        currency: ISO 4217 code of the portfolio currency.
    """
    from openpyxl import Workbook

    look = Look(currency)
    wb = Workbook(write_only=True)
    _figures_sheet(wb, figures, currency, look)
    _accounts_sheet(wb, rows, look)
    wb.properties.title = "Portfolio"
    wb.properties.creator = "csdesk"
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Column headings are missing", UserWarning)
        wb.save(buffer)
    if isinstance(target, Path):
        target.write_bytes(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
