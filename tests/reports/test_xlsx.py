"""The case workbook: live ROI formulas agree with compute_roi and react to edited inputs."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import formulas
import pytest
from openpyxl import load_workbook
from report_builders import TODAY, UNICODE_NAMES, add_account

from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.xlsx import write_case_workbook
from csdesk.scoring.roi import RoiInputs, compute_roi


def _case(portfolio: Any, account_id: int) -> Any:
    with portfolio.read() as session:
        return assemble_case(session, account_id, today=TODAY)


def _save(
    case: Any, tmp_path: Path, name: str = "case.xlsx", options: ExportOptions | None = None
) -> Path:
    path = tmp_path / name
    write_case_workbook(case, path, options)
    return path


class Evaluated:
    """A saved workbook evaluated with the ``formulas`` package, addressed by defined name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.names = {
            n: d.attr_text.replace("$", "") for n, d in load_workbook(path).defined_names.items()
        }
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.solution = self.model.calculate()

    def key(self, ref: str) -> str:
        sheet, cell = ref.split("!")
        return f"'[{self.path.name}]{sheet.upper()}'!{cell}"

    def value(self, name_or_ref: str) -> Any:
        ref = self.names.get(name_or_ref, name_or_ref)
        value = self.solution[self.key(ref)].value[0, 0]
        return None if value == "" else float(value)

    def recalculate(self, **inputs: float) -> None:
        changes = {self.key(self.names[name]): value for name, value in inputs.items()}
        self.solution = self.model.calculate(inputs=changes)


def test_roi_formulas_compute_the_scoring_figures(case_portfolio: Any, tmp_path: Path) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    book = Evaluated(_save(case, tmp_path))
    roi = case.roi.result
    assert book.value("Total_value") == pytest.approx(float(roi.total_value), abs=0.01)
    assert roi.net_value is not None
    assert book.value("Net_value") == pytest.approx(float(roi.net_value), abs=0.01)
    assert book.value("ROI_multiple") == roi.multiple
    assert book.value("Payback_months") == pytest.approx(roi.payback_months)
    row = int(book.names["Total_value"].split("C")[-1])
    for column, scenario in zip("BCD", roi.scenarios, strict=True):
        total = float(scenario.total_value)
        assert book.value(f"ROI!{column}{row}") == pytest.approx(total, abs=0.01)
        assert book.value(f"ROI!{column}{row + 3}") == scenario.multiple
        assert book.value(f"ROI!{column}{row + 4}") == pytest.approx(scenario.payback_months)


def test_changing_an_input_recalculates_like_compute_roi(
    case_portfolio: Any, tmp_path: Path
) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    book = Evaluated(_save(case, tmp_path))
    before = book.value("Total_value")
    book.recalculate(Hourly_rate=80.0, Annual_cost=30000.0)
    inputs = dataclasses.replace(case.roi.inputs, hourly_rate=80.0)
    expected = compute_roi(inputs, 30000.0)
    assert book.value("Total_value") == pytest.approx(float(expected.total_value), abs=0.01)
    assert book.value("Total_value") != before
    assert book.value("ROI_multiple") == expected.multiple
    assert book.value("Payback_months") == pytest.approx(expected.payback_months)


def test_zero_cost_or_no_value_shows_blanks_not_errors(case_portfolio: Any, tmp_path: Path) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    book = Evaluated(_save(case, tmp_path))
    book.recalculate(Annual_cost=0.0)
    assert compute_roi(case.roi.inputs, 0.0).multiple is None
    for name in ("Net_value", "ROI_multiple", "Payback_months"):
        assert book.value(name) is None
    bare = Evaluated(_save(_case(case_portfolio, case_portfolio.bare_id), tmp_path, "bare.xlsx"))
    assert compute_roi(RoiInputs(), None).total_value == 0
    for name in ("Total_value", "Net_value", "ROI_multiple", "Payback_months"):
        assert bare.value(name) is None
    summary = load_workbook(bare.path)["Summary"]
    notes = [c.value for c in summary["A"] if c.value]
    assert "No ROI inputs have been recorded yet: enter the assumptions on the ROI sheet." in notes


def test_sheets_formats_panes_and_charts(case_portfolio: Any, tmp_path: Path) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    client = load_workbook(_save(case, tmp_path, "client.xlsx"))
    assert client.sheetnames == ["Summary", "ROI", "Outcomes", "Usage"]
    wb = load_workbook(_save(case, tmp_path, options=ExportOptions(edition="internal")))
    assert wb.sheetnames == ["Summary", "ROI", "Outcomes", "Usage", "Health"]
    roi = wb["ROI"]
    assert roi["B6"].value == 55 and "$" in roi["B6"].number_format
    assert wb["Health"].freeze_panes == "A4" and wb["Usage"].freeze_panes == "A4"
    assert wb["Usage"]["B15"].value == 86000 and wb["Usage"]["C15"].value == 100000
    assert roi.column_dimensions["A"].width >= 30
    # Charts survive in the saved package (openpyxl does not load them back).
    with io.BytesIO() as buffer:
        write_case_workbook(case, buffer, ExportOptions(edition="internal"))
        import zipfile

        charts = [n for n in zipfile.ZipFile(buffer).namelist() if n.startswith("xl/charts/")]
    assert len(charts) == 3
    assert wb["Summary"]["B5"].value == "ACC-1"


def test_data_text_is_stored_as_text(portfolio: Any, tmp_path: Path) -> None:
    with portfolio.write() as session:
        from csdesk.models import RoiLine

        account_id = add_account(
            session, '=HYPERLINK("http://x")', status="active", owner="@owner", industry="+1"
        )
        session.add(RoiLine(account_id=account_id, label="-cmd|' /C calc'!A0", amount=10.0))
    wb = load_workbook(_save(_case(portfolio, account_id), tmp_path))
    formula_cells = [
        (ws.title, c.coordinate, c.value)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    data_text = ("HYPERLINK", "@owner", "cmd|")
    assert not [cell for cell in formula_cells if any(t in str(cell[2]) for t in data_text)]
    summary = wb["Summary"]
    assert summary["A1"].value == 'Renewal business case — =HYPERLINK("http://x")'
    assert summary["B9"].value == "@owner" and summary["B9"].quotePrefix
    assert summary["B6"].value == "+1" and summary["B6"].data_type == "s"
    assert wb["ROI"]["A13"].value == "-cmd|' /C calc'!A0" and wb["ROI"]["A13"].data_type == "s"


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_unicode_names_are_kept(portfolio: Any, tmp_path: Path, name: str) -> None:
    with portfolio.write() as session:
        account_id = add_account(session, name, status="prospect")
    wb = load_workbook(_save(_case(portfolio, account_id), tmp_path))
    assert wb["Summary"]["A1"].value == f"Renewal business case — {name}"


def test_every_formula_is_saved_with_its_value(case_portfolio: Any, tmp_path: Path) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    path = _save(case, tmp_path)
    formulas_wb = load_workbook(path)
    values_wb = load_workbook(path, data_only=True)
    evaluated = Evaluated(path)
    checked = 0
    for ws in formulas_wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                stored = values_wb[ws.title][cell.coordinate].value
                assert stored is not None, (ws.title, cell.coordinate)
                key = f"'[{path.name}]{ws.title.upper()}'!{cell.coordinate}"
                computed = evaluated.solution[key].value[0, 0]
                if isinstance(stored, str):
                    assert (stored == "" and computed in ("", None)) or computed == stored
                else:
                    assert stored == pytest.approx(float(computed)), (ws.title, cell.coordinate)
                checked += 1
    assert checked > 20
    summary = values_wb["Summary"]
    shown = {summary[f"A{r}"].value: summary[f"B{r}"].value for r in range(1, 60)}
    assert shown["ROI multiple"] == case.roi.result.multiple
    assert shown["Net value per year"] == pytest.approx(case.roi.result.net_value)


def test_client_workbook_has_no_internal_material(case_portfolio: Any, tmp_path: Path) -> None:
    wb = load_workbook(_save(_case(case_portfolio, case_portfolio.full_id), tmp_path))
    text = " ".join(
        str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
    )
    for term in ("Health band", "likelihood", "Date passed", "no price cut", "recovery"):
        assert term not in text, term


def test_long_recommendation_wraps_with_room_for_every_line(
    case_portfolio: Any, tmp_path: Path
) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    long = "Upgrade to Professional: " + "usage keeps growing month over month. " * 8
    renewal = dataclasses.replace(case.renewal, recommendation=long)
    wb = load_workbook(_save(dataclasses.replace(case, renewal=renewal), tmp_path))
    ws = wb["Summary"]
    row = next(r for r in range(1, 80) if ws[f"A{r}"].value == "Recommendation")
    assert ws[f"B{row}"].value == long and ws[f"B{row}"].alignment.wrap_text
    assert ws.row_dimensions[row].height >= 15 * (len(long) // 48)


def test_branding_accent_colours_the_headers(case_portfolio: Any, tmp_path: Path) -> None:
    from csdesk.scoring.branding import Branding

    case = dataclasses.replace(
        _case(case_portfolio, case_portfolio.full_id), branding=Branding(accent="#0F766E")
    )
    wb = load_workbook(_save(case, tmp_path))
    fills = {c.fill.fgColor.rgb for row in wb["ROI"].iter_rows() for c in row if c.fill.fill_type}
    assert "000F766E" in fills or "FF0F766E" in fills
