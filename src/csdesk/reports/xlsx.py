"""The renewal business case as an Excel workbook: Summary, ROI, Outcomes, Usage (+ Health).

The Summary reads its ROI figures from the ROI sheet's named cells, so a changed assumption
flows through the whole workbook. Data text is always written as text (see :mod:`safe_text`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.safe_text import clean_text
from csdesk.reports.xlsx_common import (
    MONTHS_FORMAT,
    MULTIPLE_FORMAT,
    NAVY,
    PERCENT_FORMAT,
    Look,
    colour_series,
    fit_to_page,
    formula,
    header_row,
    localise_number_formats,
    put,
    widths,
)
from csdesk.reports.xlsx_roi import write_roi_sheet

__all__ = ["write_case_workbook"]

_WRAP_CHARS = 48
"""About how many characters of body text fit on one line of the merged B:D cells."""

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


def _long_text(ws: Any, row: int, label: str, text: str, look: Look) -> int:
    """A label and a long text wrapped across B:D, the row tall enough for every line."""
    put(ws, f"A{row}", label, font=look.label).alignment = look.top  # beside the text's first line
    put(ws, f"B{row}", text).alignment = look.wrap
    ws.merge_cells(f"B{row}:D{row}")
    lines = sum(1 + len(part) // _WRAP_CHARS for part in text.split("\n"))
    ws.row_dimensions[row].height = 15 * max(1, lines)
    return row + 1


def _summary(wb: Any, case: BusinessCase, look: Look, options: ExportOptions) -> None:
    fm = case.formats
    from csdesk.reports import case_text as ct

    ws = wb.active
    ws.title = "Summary"
    shown = ct.present_sections(case, options)
    acc, price, renewal = case.account, case.renewal.price, case.renewal
    put(ws, "A1", case.title, font=look.title)
    by = f" by {acc.owner}" if acc.owner else ""
    vendor = f" · {case.branding.vendor_name}" if case.branding.vendor_name else ""
    put(ws, "A2", f"Prepared {fm.date(case.prepared_on)}{by}{vendor}", font=look.subtitle)
    put(ws, "A4", "Account", font=look.section)
    facts: list[tuple[str, Any, str | None]] = [
        ("CRM id", acc.crm_id, None),
        ("Industry", acc.industry, None),
        ("Segment", acc.segment, None),
        ("Country", acc.country, None),
        ("Customer Success Manager", acc.owner, None),
        ("Executive sponsor", acc.sponsor, None),
        ("Tier", acc.tier, None),
        ("Annual contract value", acc.arr, look.money),
        ("Contract start", acc.contract_start, look.date),
        ("Contract end date", acc.renewal_date, look.date),
    ]
    meeting = ct.next_meeting(case) if "contacts" in shown else None
    if meeting is not None:
        facts.append(("Next meeting", meeting[0], look.date))
        if meeting[1]:
            facts.append(("Next meeting is for", meeting[1], None))
    if options.internal:
        facts += [
            ("Status", acc.status, None),
            (f"Days to renewal (from {fm.date(case.prepared_on)})", renewal.days_left, "0"),
            ("Lifecycle stage", acc.stage, None),
        ]
    row = _pairs(ws, 5, facts, look) + 1
    if "summary" in shown:
        put(ws, f"A{row}", "Executive summary", font=look.section)
        row = _long_text(ws, row + 1, "Summary", ct.summary_text(case, options)[0], look) + 1
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
        value = look.expected.get(name, "")
        formula(ws, f"B{row}", f"={name}", value=value, look=look, fmt=fmt).alignment = look.left
        row += 1
    row += 1
    if "health" in shown:
        put(ws, f"A{row}", "Health", font=look.section)
        row = _pairs(
            ws,
            row + 1,
            [
                ("Health score", case.health.score, "0.0"),
                ("Health band", case.health.band or "no score yet", None),
                ("Renewal likelihood", renewal.likelihood, PERCENT_FORMAT),
                ("Forecast ARR", renewal.forecast, look.money),
            ],
            look,
        )
        row += 1
    if "renewal" in shown:
        put(ws, f"A{row}", "Renewal proposal", font=look.section)
        items: list[tuple[str, Any, str | None]] = []
        if options.shows("price_logic"):
            items += [
                ("Current price", price.current_price, look.money),
                ("List price", price.list_price, look.money),
                (
                    "Loyalty discount (annual prepayment)",
                    -price.loyalty_discount if price.loyalty_discount else None,
                    look.money,
                ),
            ]
        items += [
            ("Proposed renewal price", price.renewal_price, look.money),
            (
                "Price fixed for (months)",
                price.lock_months if price.renewal_price is not None else None,
                "0",
            ),
            ("Recommended tier", renewal.recommended_tier, None),
        ]
        row = _pairs(ws, row + 1, items, look)
        row = _long_text(ws, row, "Recommendation", renewal.recommendation, look)
        if price.reason and options.internal:
            put(ws, f"A{row}", f"No renewal price: {price.reason}", font=look.subtitle)
            row += 1
        row += 1
    steps = ct.steps_ahead(case, options)
    actions = (
        [x for x in case.next_steps if x.kind == "action"]
        if options.shows("recommendations")
        else []
    )
    if steps or actions:
        put(
            ws, f"A{row}", "Next steps" if options.internal else "The road ahead", font=look.section
        )
        row += 1
        titles = ("Step", "Date", "Status") if options.internal else ("Step", "Date")
        header_row(ws, row, titles, look)
        row += 1
        for step in [*steps, *actions]:
            put(ws, f"A{row}", step.title).alignment = look.wrap
            put(ws, f"B{row}", step.due, fmt=look.date)
            if options.internal:
                put(ws, f"C{row}", _STATUS.get(step.status, step.status)).alignment = look.right
            ws.row_dimensions[row].height = 15 * (1 + len(step.title) // 48)
            row += 1
    widths(ws, (44, 16, 14, 14))
    fit_to_page(ws, letter=look.letter)


def _health(wb: Any, case: BusinessCase, look: Look) -> None:
    fm = case.formats
    from openpyxl.chart import LineChart, Reference

    ws = wb.create_sheet("Health")
    h = case.health
    put(ws, "A1", "Account health", font=look.title)
    if h.score is None:
        put(ws, "A2", "No health score has been computed yet.", font=look.subtitle)
    else:
        model = f", {h.model_name} model" if h.model_name else ""
        put(ws, "A2", f"Score {fm.number(h.score, 1)} — {h.band}{model}", font=look.subtitle)
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
        put(ws, f"G{index}", point.as_of, fmt=look.date)
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
    fit_to_page(ws, landscape=True, letter=look.letter)


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
        put(ws, f"A{row}", day, fmt=look.date)
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
    fit_to_page(ws, landscape=True, letter=look.letter)


def write_case_workbook(
    case: BusinessCase, target: Path | BinaryIO, options: ExportOptions | None = None
) -> None:
    """Write a business case as an Excel workbook, every formula saved with its value.

    Sheets: Summary, ROI (always), Outcomes, Usage, and Health in the internal edition; a
    sheet whose section was left out or has no data is not written.

    Args:
        case: The assembled case.
        target: A file path (written whole, or not at all) or a binary stream.
        options: Edition and sections (default: the client edition, every section).
    """
    from openpyxl import Workbook

    from csdesk.reports.case_text import present_sections
    from csdesk.reports.xlsx_cache import store_cached_values
    from csdesk.reports.xlsx_outcomes import write_outcomes_sheet

    options = options or ExportOptions()
    shown = present_sections(case, options)
    look = Look(case.currency, case.branding.accent, case.branding.locale)
    wb = Workbook()
    # The ROI sheet (after the first, default sheet) is written first: the Summary, the first
    # sheet, shows its results and saves their values too.
    write_roi_sheet(wb, case, look)
    _summary(wb, case, look, options)
    if "outcomes" in shown:
        write_outcomes_sheet(wb, case, look, options)
    if "adoption" in shown:
        _usage(wb, case, look)
    if "health" in shown:
        _health(wb, case, look)
    wb.active = 0
    localise_number_formats(wb, case.formats)
    wb.properties.title = clean_text(case.title)
    wb.properties.creator = "csdesk"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = store_cached_values(buffer.getvalue(), wb.sheetnames, look.cached)
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
