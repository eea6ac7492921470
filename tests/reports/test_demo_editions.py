"""Every demo account's client edition leaks nothing internal; hostile names print as written."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from csdesk.db import Portfolio, open_portfolio
from csdesk.models import Account
from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.pdf import render_case_pdf
from csdesk.reports.pptx_deck import render_case_pptx
from csdesk.reports.xlsx import write_case_workbook
from csdesk.services.demo import build_demo
from pptx_text import all_text, load

TODAY = dt.date(2026, 3, 15)
HOSTILE = ("AT&T <Retail>", '=HYPERLINK("http://evil.example","click")', "Ωmega Systems")
# Band names as words (case-sensitive: "good" in a sentence is not the band), and the
# internal vocabulary SPEC 4 keeps out of the client edition.
BANDS_EXACT = re.compile(r"\b(Excellent|Good|At Risk|Critical)\b")
WORDS = re.compile(r"weight|likelihood|Date passed|recovery|no price cut", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portfolio]:
    """The demo portfolio, one account renamed to a formula-like name."""
    portfolio = open_portfolio(tmp_path_factory.mktemp("demo") / "demo.db")
    build_demo(portfolio, today=TODAY)
    with portfolio.write() as session:
        first = session.scalar(
            select(Account.id).where(Account.status == "active").order_by(Account.id)
        )
        session.execute(update(Account).where(Account.id == first).values(name=HOSTILE[1]))
    yield portfolio
    portfolio.close()


def _cases(portfolio: Portfolio) -> list[Any]:
    with portfolio.read() as session:
        ids = session.scalars(
            select(Account.id).where(Account.status.in_(("active", "pilot"))).order_by(Account.id)
        ).all()
        return [assemble_case(session, i, today=TODAY) for i in ids]


def _leaks(text: str, name: str) -> list[str]:
    text = text.replace(name, "")  # the client's own name may hold any word
    return [m.group(0) for m in (*BANDS_EXACT.finditer(text), *WORDS.finditer(text))]


def test_client_edition_pdf_and_deck_leak_nothing_internal(demo: Portfolio) -> None:
    cases = _cases(demo)
    assert len(cases) >= 30
    for case in cases:
        pdf = io.BytesIO()
        render_case_pdf(case, pdf, ExportOptions())
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
        assert not _leaks(text, case.account.name), (case.account.name, _leaks(text, ""))
        deck = io.BytesIO()
        render_case_pptx(case, deck, ExportOptions())
        slides = all_text(load(deck.getvalue()), notes=True)
        assert not _leaks(slides, case.account.name), (case.account.name, _leaks(slides, ""))


def test_internal_edition_does_speak_of_health(demo: Portfolio) -> None:
    case = next(c for c in _cases(demo) if c.health.band in ("At Risk", "Critical"))
    pdf = io.BytesIO()
    render_case_pdf(case, pdf, ExportOptions(edition="internal"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert case.health.band in text and "Weight" in text and "likelihood" in text


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_print_as_written_in_every_format(
    demo: Portfolio, name: str, tmp_path: Path
) -> None:
    case = next(c for c in _cases(demo) if c.account.name == name)
    pdf = io.BytesIO()
    render_case_pdf(case, pdf)
    assert name in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    deck = io.BytesIO()
    render_case_pptx(case, deck)
    assert name in all_text(load(deck.getvalue()))
    path = tmp_path / "case.xlsx"
    write_case_workbook(case, path)
    wb = load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert any(name in str(c.value) for c in cells if c.data_type == "s")
    assert not [c for c in cells if c.data_type == "f" and name in str(c.value)]
