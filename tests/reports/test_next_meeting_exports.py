"""The next meeting closes the business case in the PDF, the deck and the workbook (SPEC 4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from report_builders import TODAY

from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.pdf import render_case_pdf
from csdesk.reports.pptx_deck import render_case_pptx
from csdesk.reports.xlsx import write_case_workbook
from csdesk.scoring.branding import Branding
from csdesk.scoring.success_plan import Narrative, SuccessPlan
from pptx_text import all_text, load, titles


def _case(portfolio: Any, day: dt.date, note: str = "Renewal call with the sponsor") -> Any:
    brand = Branding(currency="EUR", locale="de_DE")
    with portfolio.read() as session:
        case = assemble_case(session, portfolio.full_id, today=TODAY, branding=brand)
    plan = SuccessPlan(narrative=Narrative(next_meeting=day, next_meeting_note=note))
    return dataclasses.replace(case, plan=plan)


def _outputs(case: Any) -> tuple[str, Any, Any]:
    pdf, deck, book = io.BytesIO(), io.BytesIO(), io.BytesIO()
    render_case_pdf(case, pdf, ExportOptions())
    render_case_pptx(case, deck, ExportOptions())
    write_case_workbook(case, book, ExportOptions())
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    return text, load(deck.getvalue()), load_workbook(io.BytesIO(book.getvalue()))


def test_a_booked_meeting_is_in_every_format_in_the_locale(case_portfolio: Any) -> None:
    day = TODAY + dt.timedelta(days=20)
    shown = day.strftime("%d.%m.%Y")
    pdf_text, deck, wb = _outputs(_case(case_portfolio, day))
    assert f"Next meeting: {shown} — Renewal call with the sponsor" in " ".join(pdf_text.split())
    assert titles(deck)[-1] == f"Next meeting on {shown}: Renewal call with the sponsor"
    ws = wb["Summary"]
    cells = {ws[f"A{r}"].value: ws[f"B{r}"] for r in range(1, ws.max_row + 1)}
    assert cells["Next meeting"].value.date() == day
    assert cells["Next meeting"].number_format == "[$-407]dd\\.mm\\.yyyy"
    assert cells["Next meeting is for"].value == "Renewal call with the sponsor"


def test_a_past_meeting_is_not_the_next_one(case_portfolio: Any) -> None:
    pdf_text, deck, wb = _outputs(_case(case_portfolio, TODAY - dt.timedelta(days=1)))
    assert "Next meeting:" not in pdf_text
    assert "Next meeting on" not in all_text(deck)
    ws = wb["Summary"]
    assert "Next meeting" not in {ws[f"A{r}"].value for r in range(1, ws.max_row + 1)}
