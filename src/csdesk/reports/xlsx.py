"""The renewal business case as an Excel workbook: Summary, ROI, Health and Usage sheets.

The Summary reads its ROI figures from the ROI sheet's named cells, so a changed assumption
flows through the whole workbook. Data text is always written as text (see :mod:`safe_text`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.reports import formatting as f
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.safe_text import clean_text
from csdesk.reports.xlsx_common import (
    DATE_FORMAT,
    MONTHS_FORMAT,
    MULTIPLE_FORMAT,
    NAVY,
    PERCENT_FORMAT,
    Look,
    colour_series,
    fit_to_page,
    formula,
    header_row,
    put,
    widths,
)
from csdesk.reports.xlsx_roi import write_roi_sheet

__all__ = ["write_case_workbook"]

_STATUS = {
    "done": "Done",
    "open": "Open",
    "overdue": "Overdue",
    "planned": "Planned",
    "passed": "Date passed",
    "suggested": "Recommended",
}


def _pairs(ws: Any, row: int, items: list[tuple[str, Any, str | None]], look: Look) -> int:
    for label, value, fmt in items:
        put(ws, f"A{row}", label, font=look.label)
        put(ws, f"B{row}", value, fmt=fmt).alignment = look.left
        row += 1
    return row


def _summary(wb: Any, case: BusinessCase, look: Look) -> None:
    ws = wb.active
    ws.title = "Summary"
    acc, price, renewal = case.account, case.renewal.price, case.renewal
    put(ws, "A1", case.title, font=look.title)
    by = f" by {acc.owner}" if acc.owner else ""
    put(ws, "A2", f"Prepared {f.date_text(case.prepared_on)}{by}", font=look.subtitle)
    put(ws, "A4", "Account", font=look.section)
    row = _pairs(
        ws,
        5,
        [
            ("CRM id", acc.crm_id, None),
            ("Industry", acc.industry, None),
            ("Segment", acc.segment, None),
            ("Country", acc.country, None),
            ("Customer Success Manager", acc.owner, None),
            ("Executive sponsor", acc.sponsor, None),
            ("Status", acc.status, None),
            ("Tier", acc.tier, None),
            ("Annual contract value", acc.arr, look.money),
            ("Contract start", acc.contract_start, DATE_FORMAT),
            ("Contract end date", acc.renewal_date, DATE_FORMAT),
            (f"Days to renewal (from {f.date_text(case.prepared_on)})", renewal.days_left, "0"),
            ("Lifecycle stage", acc.stage, None),
        ],
        look,
    )
    row += 1
    put(
        ws,
        f"A{row}",
        "Return on investment (expected scenario, from the ROI sheet)",
        font=look.section,
    )
    row += 1
    if not case.roi.has_inputs:
        note = "No ROI inputs have been recorded yet: enter the assumptions on the ROI sheet."
        put(ws, f"A{row}", note, font=look.subtitle)
        row += 1
    for label, name, fmt in (
        ("Total value per year", "Total_value", look.money),
        ("Net value per year", "Net_value", look.money),
        ("ROI multiple", "ROI_multiple", MULTIPLE_FORMAT),
        ("Payback", "Payback_months", MONTHS_FORMAT),
    ):
        put(ws, f"A{row}", label, font=look.label)
        formula(ws, f"B{row}", f"={name}", fmt=fmt).alignment = look.left
        row += 1
    row += 1
    put(ws, f"A{row}", "Health", font=look.section)
    row = _pairs(
        ws,
        row + 1,
        [
            ("Health score", case.health.score, "0.0"),
            ("Health band", case.health.band or "no score yet", None),
        ],
        look,
    )
    row += 1
    put(ws, f"A{row}", "Renewal proposal", font=look.section)
    row = _pairs(
        ws,
        row + 1,
        [
            ("Current price", price.current_price, look.money),
            ("List price", price.list_price, look.money),
            (
                "Loyalty discount (annual prepayment)",
                -price.loyalty_discount if price.loyalty_discount else None,
                look.money,
            ),
            ("Proposed renewal price", price.renewal_price, look.money),
            (
                "Price lock (months)",
                price.lock_months if price.renewal_price is not None else None,
                "0",
            ),
            ("Recommended tier", renewal.recommended_tier, None),
        ],
        look,
    )
    put(ws, f"A{row}", "Recommendation", font=look.label)
    put(ws, f"B{row}", renewal.recommendation).alignment = look.wrap
    ws.merge_cells(f"B{row}:D{row}")
    ws.row_dimensions[row].height = 15 * (1 + len(renewal.recommendation) // 60)
    row += 1
    if price.reason:
        put(ws, f"A{row}", f"No renewal price: {price.reason}", font=look.subtitle)
        row += 1
    row += 1
    put(ws, f"A{row}", "Success metrics", font=look.section)
    row += 1
    header_row(ws, row, ("Metric", "Target", "Actual", "Status"), look)
    row += 1
    for m in case.success_metrics:
        put(ws, f"A{row}", m.label)
        put(ws, f"B{row}", m.target, fmt="#,##0.##")
        put(ws, f"C{row}", m.actual, fmt="#,##0.##")
        met = "—" if m.met is None else "On target" if m.met else "Off target"
        put(ws, f"D{row}", met).alignment = look.right
        row += 1
    row += 1
    put(ws, f"A{row}", "Next steps", font=look.section)
    row += 1
    header_row(ws, row, ("Step", "Date", "Status"), look)
    row += 1
    for step in case.next_steps:
        put(ws, f"A{row}", step.title)
        put(ws, f"B{row}", step.due, fmt=DATE_FORMAT)
        put(ws, f"C{row}", _STATUS.get(step.status, step.status)).alignment = look.right
        row += 1
    widths(ws, (44, 16, 14, 14))
    fit_to_page(ws)


def _health(wb: Any, case: BusinessCase, look: Look) -> None:
    from openpyxl.chart import LineChart, Reference

    ws = wb.create_sheet("Health")
    h = case.health
    put(ws, "A1", "Account health", font=look.title)
    if h.score is None:
        put(ws, "A2", "No health score has been computed yet.", font=look.subtitle)
    else:
        model = f", {h.model_name} model" if h.model_name else ""
        put(ws, "A2", f"Score {f.number(h.score, 1)} — {h.band}{model}", font=look.subtitle)
    header_row(ws, 3, ("Measure", "Weight", "Value", "Attainment", "Points"), look)
    row = 4
    for line in h.breakdown:
        put(ws, f"A{row}", line.label)
        put(ws, f"B{row}", line.weight_share, fmt=PERCENT_FORMAT)
        put(ws, f"C{row}", line.value, fmt="#,##0.##")
        if line.attainment is None:
            put(ws, f"D{row}", "no data").alignment = look.right
        else:
            put(ws, f"D{row}", line.attainment, fmt=PERCENT_FORMAT)
        put(ws, f"E{row}", line.contribution, fmt="0.0")
        row += 1
    header_row(ws, 3, ("Date", "Score", "Band"), look, col=7)
    for index, point in enumerate(h.history, start=4):
        put(ws, f"G{index}", point.as_of, fmt=DATE_FORMAT)
        put(ws, f"H{index}", point.score, fmt="0.0")
        put(ws, f"I{index}", point.band).alignment = look.right
    if h.history:
        chart = LineChart()
        chart.title = "Health score over time"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.y_axis.majorGridlines = None
        chart.y_axis.numFmt = "0"
        chart.x_axis.number_format = "mmm yy"
        chart.add_data(
            Reference(ws, min_col=8, min_row=3, max_row=3 + len(h.history)), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=7, min_row=4, max_row=3 + len(h.history)))
        chart.legend = None
        colour_series(chart, (NAVY,))
        chart.height, chart.width = 7, 14
        ws.add_chart(chart, f"A{max(row, 9) + 2}")
    widths(ws, (26, 10, 12, 12, 10, 3, 14, 10, 12))
    ws.freeze_panes = "A4"
    fit_to_page(ws, landscape=True)


def _usage(wb: Any, case: BusinessCase, look: Look) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    ws = wb.create_sheet("Usage")
    u = case.usage
    put(ws, "A1", "Usage and engagement", font=look.title)
    limit, limit_label = (
        (u.usage_limit, "Usage limit") if u.usage_limit else (u.included_volume, "Included volume")
    )
    if not u.usage and not u.logins:
        put(ws, "A2", "No usage has been recorded yet.", font=look.subtitle)
    header_row(ws, 3, ("Date", "Monthly usage", limit_label, "Logins (30 days)"), look)
    logins = {p.as_of: p.value for p in u.logins}
    usage = {p.as_of: p.value for p in u.usage}
    dates = sorted(set(logins) | set(usage))
    for row, day in enumerate(dates, start=4):
        put(ws, f"A{row}", day, fmt=DATE_FORMAT)
        put(ws, f"B{row}", usage.get(day), fmt="#,##0")
        put(ws, f"C{row}", limit, fmt="#,##0")
        put(ws, f"D{row}", logins.get(day), fmt="#,##0")
    if usage:
        last = 3 + len(dates)
        bars = BarChart()
        bars.title = "Monthly usage"
        bars.add_data(Reference(ws, min_col=2, min_row=3, max_row=last), titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
        colour_series(bars, ("8FA9C7",))
        bars.y_axis.numFmt = "#,##0"
        bars.y_axis.majorGridlines = None
        bars.x_axis.number_format = "mmm yy"
        if limit:
            line = LineChart()
            line.add_data(Reference(ws, min_col=3, min_row=3, max_row=last), titles_from_data=True)
            colour_series(line, ("B45309",))
            bars += line
        bars.legend.position = "b"
        bars.height, bars.width = 7.5, 16
        ws.add_chart(bars, "F3")
    widths(ws, (14, 16, 16, 16))
    ws.freeze_panes = "A4"
    fit_to_page(ws, landscape=True)


def write_case_workbook(case: BusinessCase, target: Path | BinaryIO) -> None:
    """Write a business case as an Excel workbook.

    Args:
        case: The assembled case.
        target: A file path (written whole, or not at all) or a binary stream.
    """
    from openpyxl import Workbook

    look = Look(case.currency)
    wb = Workbook()
    _summary(wb, case, look)
    write_roi_sheet(wb, case, look)
    _health(wb, case, look)
    _usage(wb, case, look)
    wb.properties.title = clean_text(case.title)
    wb.properties.creator = "csdesk"
    buffer = io.BytesIO()
    wb.save(buffer)
    if isinstance(target, Path):
        target.write_bytes(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
