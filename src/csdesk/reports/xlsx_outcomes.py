"""The Outcomes sheet of the case workbook: success-plan goals and success metrics."""

from __future__ import annotations

from typing import Any

from csdesk.reports import case_text as ct
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.xlsx_common import Look, fit_to_page, header_row, put, widths

__all__ = ["write_outcomes_sheet"]


def write_outcomes_sheet(wb: Any, case: BusinessCase, look: Look, options: ExportOptions) -> None:
    """Add the Outcomes sheet: goals (baseline, now, target, due, status) and metrics."""
    ws = wb.create_sheet("Outcomes")
    put(ws, "A1", "Outcomes", font=look.title)
    row = 3
    goals = ct.goals(case, options)
    if goals:
        put(ws, f"A{row}", "Success-plan goals", font=look.section)
        row += 1
        header_row(ws, row, ("Goal", "Owner", "Baseline", "Now", "Target", "Due", "Status"), look)
        row += 1
        for g in goals:
            put(ws, f"A{row}", g.title).alignment = look.wrap
            put(ws, f"B{row}", g.owner)
            if g.metric_key is None:
                put(ws, f"C{row}", g.text or "").alignment = look.wrap
                ws.merge_cells(f"C{row}:E{row}")
            else:
                for col, value in zip("CDE", (g.baseline, g.current, g.target), strict=True):
                    put(ws, f"{col}{row}", None if value is None else float(value), fmt="#,##0.##")
            put(ws, f"F{row}", g.due, fmt=look.date)
            put(ws, f"G{row}", g.status.capitalize())
            longest = max(len(g.title) // 30, len(g.text or "") // 40)
            ws.row_dimensions[row].height = 15 * (1 + longest)
            row += 1
        row += 1
    metrics = case.success_metrics
    if any(m.actual is not None for m in metrics):
        put(ws, f"A{row}", "Success metrics", font=look.section)
        row += 1
        header_row(ws, row, ("Metric", "Target", "Actual", "Status", "Target set by"), look)
        row += 1
        for m in metrics:
            put(ws, f"A{row}", m.label)
            put(ws, f"B{row}", m.target, fmt="#,##0.##")
            if m.actual is None:
                put(ws, f"C{row}", ct.metric_value(m, None))
            else:
                put(ws, f"C{row}", m.actual, fmt="#,##0.##")
            met = "—" if m.met is None else "On target" if m.met else "Off target"
            put(ws, f"D{row}", met).alignment = look.right
            put(ws, f"E{row}", "agreed with you" if m.agreed else "standard target")
            row += 1
    widths(ws, (36, 18, 12, 12, 16, 14, 12))
    fit_to_page(ws, landscape=True, letter=look.letter)
