"""Data text stays data: escaped for reportlab, never a formula in a spreadsheet."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from csdesk.reports.safe_text import clean_text, is_formula_like, para, set_text

HOSTILE = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=cmd", "\r=x", '=HYPERLINK("x","y")']


def test_para_escapes_markup() -> None:
    assert para("AT&T <Retail>") == "AT&amp;T &lt;Retail&gt;"
    assert para('say "hi"') == "say &quot;hi&quot;"
    assert para("two\nlines") == "two<br/>lines"
    assert para(None) == ""


def test_clean_text_removes_what_xml_cannot_hold() -> None:
    assert clean_text("a\x00b\x07c\td") == "abc\td"
    assert clean_text("Ωmega") == "Ωmega"


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_detected(text: str) -> None:
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["Müller & Søn", "1-2", "a=b", ""])
def test_plain_text_is_not_formula_like(text: str) -> None:
    assert not is_formula_like(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_set_text_stores_a_string_cell_that_survives_a_round_trip(text: str) -> None:
    wb = Workbook()
    set_text(wb.active["A1"], text)
    set_text(wb.active["A2"], "plain")
    buffer = io.BytesIO()
    wb.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type == "s"
    # A lone CR survives where the writer escapes it (_x000D_); plain XML reads it as a line feed.
    assert cell.value in (text, text.replace("\r", "\n"))
    assert cell.quotePrefix
    assert not load_workbook(io.BytesIO(buffer.getvalue())).active["A2"].quotePrefix
