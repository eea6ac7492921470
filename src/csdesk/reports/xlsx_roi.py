"""The ROI sheet of the case workbook: input cells and live formulas the client can rework.

Every derived figure is a formula over named input cells, guarded with ``IF`` so a missing input,
a zero cost or no value shows an empty cell instead of ``#DIV/0!``. The formulas follow
:func:`csdesk.scoring.roi.compute_roi` line for line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from csdesk.reports.case_types import BusinessCase
from csdesk.reports.xlsx_common import (
    MONTHS_FORMAT,
    MULTIPLE_FORMAT,
    NAVY,
    Look,
    colour_series,
    fit_to_page,
    formula,
    header_row,
    put,
    widths,
)
from csdesk.scoring.roi import INCIDENTS_AVOIDED, QA_TIME_SAVED, REVENUE_PROTECTED

__all__ = ["INPUT_NAMES", "RESULT_NAMES", "write_roi_sheet"]

INPUT_NAMES = (
    ("QA_hours_saved_per_month", "QA hours saved per month", "hours a month (newest value)"),
    ("Hourly_rate", "Hourly rate", "per QA hour"),
    ("Incidents_avoided_per_year", "Incidents avoided per year", "incidents a year"),
    ("Cost_per_incident", "Cost per incident", "per incident"),
    ("Revenue_protected", "Revenue protected per year", "per year, as agreed"),
    ("Annual_cost", "Annual cost (ARR)", "the annual price paid"),
)
"""``(defined name, label, unit)`` of each input cell, in sheet order."""
RESULT_NAMES = ("Total_value", "Net_value", "ROI_multiple", "Payback_months")
"""Defined names of the expected-scenario results."""
_SPARE_ROWS = 3
_SCENARIO_COLS = ("B", "C", "D")


def _define(wb: Any, name: str, ref: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names[name] = DefinedName(name, attr_text=f"ROI!{ref}")


def _abs(col: str, row: int) -> str:
    return f"${col}${row}"


def _line_values(case: BusinessCase) -> list[float | None]:
    """Each value line of the sheet at factor 1, as its formula computes it (None = empty)."""
    i = case.roi.inputs
    qa = (
        float(i.qa_hours_saved_per_month) * 12 * float(i.hourly_rate)
        if i.qa_hours_saved_per_month is not None and i.hourly_rate is not None
        else None
    )
    incidents = (
        float(i.incidents_avoided_per_year) * float(i.cost_per_incident)
        if i.incidents_avoided_per_year is not None and i.cost_per_incident is not None
        else None
    )
    revenue = float(i.revenue_protected) if i.revenue_protected is not None else None
    other = sum(float(a) for _, a in i.custom_lines) if i.custom_lines else None
    return [qa, incidents, revenue, other]


def _result(name: str, total: float | str, cost: Decimal | float | None) -> float | str:
    """Net value, ROI multiple or payback as the sheet's formula computes it ("" = empty)."""
    if isinstance(total, str) or cost is None or float(cost) <= 0:
        return ""
    cost = float(cost)
    if name == "Net_value":
        return total - cost if total != 0 else ""
    if name == "ROI_multiple":
        from csdesk.scoring.rounding import round_half_up

        return round_half_up(total / cost, 2) if total != 0 else ""
    return cost / (total / 12) if total > 0 else ""


def write_roi_sheet(wb: Any, case: BusinessCase, look: Look) -> None:
    """Add the ROI sheet with its defined names to the workbook.

    Args:
        wb: The openpyxl workbook.
        case: The assembled case.
        look: The workbook's styles.
    """
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet("ROI")
    inputs = case.roi.inputs
    put(ws, "A1", "Return on investment", font=look.title)
    put(ws, "A2", "Change the blue cells: every figure below recalculates.", font=look.subtitle)
    put(ws, "A4", "Assumptions", font=look.section)
    values = (
        inputs.qa_hours_saved_per_month,
        inputs.hourly_rate,
        inputs.incidents_avoided_per_year,
        inputs.cost_per_incident,
        inputs.revenue_protected,
        case.roi.result.cost,
    )
    formats = ("#,##0.0", look.money_cents, "#,##0.0", look.money, look.money, look.money)
    row = 5
    for (name, label, unit), value, fmt in zip(INPUT_NAMES, values, formats, strict=True):
        put(ws, f"A{row}", label, font=look.label)
        cell = put(ws, f"B{row}", value, fmt=fmt, font=look.input)
        cell.fill, cell.border = look.input_fill, look.input_border
        put(ws, f"C{row}", unit, font=look.subtitle)
        _define(wb, name, _abs("B", row))
        row += 1

    row += 1
    put(ws, f"A{row}", "Other value lines (per year)", font=look.section)
    row += 1
    first_custom = row
    custom = list(case.roi.inputs.custom_lines)
    for index in range(len(custom) + _SPARE_ROWS):
        line: tuple[str | None, Decimal | float | None] = (
            custom[index] if index < len(custom) else (None, None)
        )
        put(ws, f"A{row}", line[0], font=look.input).fill = look.input_fill
        cell = put(ws, f"B{row}", line[1], fmt=look.money, font=look.input)
        cell.fill, cell.border = look.input_fill, look.input_border
        row += 1
    _define(wb, "Other_value_lines", f"$B${first_custom}:$B${row - 1}")

    row += 1
    put(ws, f"A{row}", "Value per year", font=look.section)
    row += 1
    header_row(ws, row, ("Value line", "Conservative", "Expected", "Optimistic"), look)
    row += 1
    factor_row = row
    put(ws, f"A{row}", "Scenario factor", font=look.label)
    for col, scenario in zip(_SCENARIO_COLS, case.roi.result.scenarios, strict=True):
        cell = put(ws, f"{col}{row}", scenario.factor, fmt='0.0"×"', font=look.input)
        cell.fill = look.input_fill
    row += 1
    first_line = row
    lines = (
        (
            QA_TIME_SAVED,
            "IF(AND(ISNUMBER(QA_hours_saved_per_month),ISNUMBER(Hourly_rate)),"
            'QA_hours_saved_per_month*12*Hourly_rate*{f},"")',
        ),
        (
            INCIDENTS_AVOIDED,
            "IF(AND(ISNUMBER(Incidents_avoided_per_year),ISNUMBER(Cost_per_incident)),"
            'Incidents_avoided_per_year*Cost_per_incident*{f},"")',
        ),
        (REVENUE_PROTECTED, 'IF(ISNUMBER(Revenue_protected),Revenue_protected*{f},"")'),
        ("Other value lines", 'IF(COUNT(Other_value_lines)=0,"",SUM(Other_value_lines)*{f})'),
    )
    line_values = _line_values(case)
    totals: list[float | str] = []
    for (label, template), base in zip(lines, line_values, strict=True):
        put(ws, f"A{row}", label, font=look.label)
        for col, scenario in zip(_SCENARIO_COLS, case.roi.result.scenarios, strict=True):
            formula(
                ws,
                f"{col}{row}",
                "=" + template.format(f=f"{col}${factor_row}"),
                value="" if base is None else base * scenario.factor,
                look=look,
                fmt=look.money,
            )
        row += 1
    for scenario in case.roi.result.scenarios:
        known = [v * scenario.factor for v in line_values if v is not None]
        totals.append(sum(known) if known else "")
    last_line = row - 1
    total_row = row
    put(ws, f"A{row}", "Total value", font=look.bold)
    for col, total_value in zip(_SCENARIO_COLS, totals, strict=True):
        cells = f"{col}{first_line}:{col}{last_line}"
        formula(
            ws,
            f"{col}{row}",
            f'=IF(COUNT({cells})=0,"",SUM({cells}))',
            value=total_value,
            look=look,
            fmt=look.money,
            font=look.bold,
        )
    for col in ("A", *_SCENARIO_COLS):
        ws[f"{col}{row}"].border = look.total_border
    row += 1
    cost_row = row
    put(ws, f"A{row}", "Annual cost (ARR)", font=look.label)
    cost = case.roi.result.cost
    for col in _SCENARIO_COLS:
        formula(
            ws,
            f"{col}{row}",
            '=IF(ISNUMBER(Annual_cost),Annual_cost,"")',
            value="" if cost is None else float(cost),
            look=look,
            fmt=look.money,
        )
    row += 1
    results = (
        ("Net value", "Net_value", "{t}<>0", "{t}-Annual_cost", look.money),
        ("ROI multiple", "ROI_multiple", "{t}<>0", "ROUND({t}/Annual_cost,2)", MULTIPLE_FORMAT),
        ("Payback", "Payback_months", "{t}>0", "Annual_cost/({t}/12)", MONTHS_FORMAT),
    )
    for label, name, condition, expression, fmt in results:
        put(ws, f"A{row}", label, font=look.bold if name == "Net_value" else look.label)
        for col, total_value in zip(_SCENARIO_COLS, totals, strict=True):
            total = f"{col}{total_row}"
            text = (
                f"=IF(AND(ISNUMBER({total}),ISNUMBER(Annual_cost)),"
                f"IF(AND(Annual_cost>0,{condition.format(t=total)}),"
                f'{expression.format(t=total)},""),"")'
            )
            result = _result(name, total_value, cost)
            formula(ws, f"{col}{row}", text, value=result, look=look, fmt=fmt)
            if col == "C":
                look.expected[name] = result
        if name in RESULT_NAMES:
            _define(wb, name, _abs("C", row))
        row += 1
    _define(wb, "Total_value", _abs("C", total_row))
    look.expected["Total_value"] = totals[1]
    put(
        ws,
        f"A{row + 1}",
        "No figure is shown where the annual cost is zero or there is no value.",
        font=look.subtitle,
    )

    chart = BarChart()
    chart.type = "col"
    chart.title = "Value against annual cost"
    chart.y_axis.title = None
    chart.y_axis.numFmt = look.money
    chart.y_axis.majorGridlines = None
    data = Reference(ws, min_col=1, max_col=4, min_row=total_row, max_row=cost_row)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=4, min_row=factor_row - 1))
    colour_series(chart, (NAVY, "B0B7C3"))
    chart.height, chart.width = 7.5, 13.5
    chart.legend.position = "b"
    ws.add_chart(chart, "F4")
    widths(ws, (34, 16, 16, 16, 4))
    ws.freeze_panes = "A3"
    fit_to_page(ws, landscape=True, letter=look.letter)
