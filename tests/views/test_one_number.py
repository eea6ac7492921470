"""One number, one rounding, one target: every demo account's figures agree on every surface.

The window (portfolio item model, account header), ``accounts --json``, the PDF text, the deck's
text and chart data and the workbook's saved values are compared for each account with a
business case (SPEC 4).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from csdesk.cli import main
from csdesk.db import Portfolio
from csdesk.models import Account
from csdesk.reports import formatting as f
from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.pdf import render_case_pdf
from csdesk.reports.pptx_deck import render_case_pptx
from csdesk.reports.xlsx import write_case_workbook
from csdesk.services.account_detail import load_account_detail
from csdesk.services.portfolio_table import fetch_rows
from csdesk.views.account.header import AccountHeaderBar
from csdesk.views.account.tabs import _num
from csdesk.views.widgets.itemmodels import PortfolioTableModel
from pptx_text import all_text, chart_series, load

INTERNAL = ExportOptions(edition="internal")


def _texts(case: Any) -> tuple[str, Any, Any]:
    pdf = io.BytesIO()
    render_case_pdf(case, pdf, INTERNAL)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    deck = io.BytesIO()
    render_case_pptx(case, deck, INTERNAL)
    book = io.BytesIO()
    write_case_workbook(case, book, INTERNAL)
    return pdf_text, deck.getvalue(), load_workbook(io.BytesIO(book.getvalue()), data_only=True)


def _summary_values(wb: Any) -> dict[str, Any]:
    ws = wb["Summary"]
    return {ws[f"A{r}"].value: ws[f"B{r}"].value for r in range(1, ws.max_row + 1)}


def test_half_up_everywhere() -> None:
    assert _num(0.835) == "0.84" == f.number(0.835, 2)


def test_every_surface_shows_the_same_figures(
    qtbot: Any, demo_portfolio: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today()
    assert main(["accounts", "--db", str(demo_portfolio.path), "--json"]) == 0
    listed = {row["crm_id"]: row for row in json.loads(capsys.readouterr().out)}
    with demo_portfolio.read() as session:
        ids = session.scalars(
            select(Account.id).where(Account.status.in_(("active", "pilot"))).order_by(Account.id)
        ).all()
        cases = [assemble_case(session, i, today=today) for i in ids]
    model = PortfolioTableModel(lambda wanted: fetch_rows(demo_portfolio, wanted, today))
    model.set_ids(list(ids))
    header = AccountHeaderBar()
    qtbot.addWidget(header)
    checked = 0
    for row, case in enumerate(cases):
        acc, roi, health = case.account, case.roi.result, case.health
        pdf_text, deck, wb = _texts(case)
        slides = all_text(load(deck))
        summary = _summary_values(wb)
        json_row = listed[acc.crm_id]
        # Health score: 1 decimal, half-up, on every surface.
        shown_health = model.data(model.index(row, model.column_of("health")))
        if health.score is None:
            assert json_row["health_score"] is None and shown_health == ""
        else:
            one = f.number(health.score, 1)
            assert json_row["health_score"] == float(one) == summary["Health score"]
            assert shown_health == one
            assert one in pdf_text and one in slides
        # ARR in the window's table, the JSON and the PDF cover.
        assert json_row["arr"] == acc.arr
        shown_arr = model.data(model.index(row, model.column_of("arr")))
        if acc.arr is not None:
            shown_money = f.money(acc.arr, case.currency)  # currency symbol and all
            assert shown_arr == shown_money and shown_money in pdf_text
        # ROI multiple: 2 decimals everywhere; the window's header card, the JSON, the PDF, the
        # deck and the workbook's saved value.
        header.set_detail(load_account_detail(demo_portfolio, acc.id, today=today))
        if roi.multiple is None:
            assert json_row["roi_multiple"] is None
            assert header.cards["roi"].value.text() == "—"
        else:
            shown = f.multiple(roi.multiple)
            assert json_row["roi_multiple"] == roi.multiple == summary["ROI multiple"]
            assert header.cards["roi"].value.text() == shown
            assert shown in pdf_text and shown in slides
            assert f.months(roi.payback_months) in header.cards["roi"].note.text()
            assert chart_series(load(deck))["Total value"][1] == pytest.approx(roi.total_value)
        # One target per metric: the Outcomes sheet and the PDF agree with the case.
        outcomes = wb["Outcomes"] if "Outcomes" in wb.sheetnames else None
        for metric in case.success_metrics:
            if outcomes is None or metric.target is None or metric.flag:
                continue
            rows = [r for r in outcomes.iter_rows(values_only=True) if r[0] == metric.label]
            if rows:
                assert rows[0][1] == metric.target
        checked += 1
    assert checked >= 30


def test_logins_target_is_the_health_models(demo_portfolio: Portfolio) -> None:
    with demo_portfolio.read() as session:
        ids = session.scalars(select(Account.id).where(Account.status == "active")).all()
        for account_id in ids:
            case = assemble_case(session, account_id, today=dt.date.today())
            for metric in case.success_metrics:
                if metric.metric == "logins_30d":
                    assert metric.target == 30 and not metric.agreed
    _ = Qt  # the views' Qt is loaded for the item models above


def test_a_german_portfolio_agrees_on_every_surface(
    qtbot: Any, demo_portfolio: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a de_DE / EUR branding every surface writes ``48.000 €``, ``68,1``, ``12.03.2026``."""
    from csdesk.scoring.branding import Branding
    from csdesk.views.number_format import set_window_formats

    today = dt.date.today()
    brand = Branding(vendor_name="Ωmega Software", currency="EUR", locale="de_DE")
    fm = f.Formats("EUR", "de_DE")
    assert main(["accounts", "--db", str(demo_portfolio.path), "--json"]) == 0
    listed = {row["crm_id"]: row for row in json.loads(capsys.readouterr().out)}
    with demo_portfolio.read() as session:
        ids = session.scalars(
            select(Account.id).where(Account.status.in_(("active", "pilot"))).order_by(Account.id)
        ).all()[:8]
        cases = [assemble_case(session, i, today=today, branding=brand) for i in ids]
    set_window_formats(fm)
    try:
        model = PortfolioTableModel(lambda wanted: fetch_rows(demo_portfolio, wanted, today))
        model.set_ids(list(ids))
        for row, case in enumerate(cases):
            acc, roi, health = case.account, case.roi.result, case.health
            assert case.formats == fm
            raw_pdf, deck, wb = _texts(case)
            assert not re.search(r"\d%", raw_pdf)  # de_DE writes "20 %"
            pdf_text = raw_pdf.replace(" ", "\u00a0")  # pypdf reads a no-break space as a space
            slides = all_text(load(deck)).replace(" ", "\u00a0")
            summary = _summary_values(wb)
            json_row = listed[acc.crm_id]
            # The cover's date, in the locale's medium form, in the PDF and on the deck.
            assert fm.date(today) in pdf_text and fm.date(today) in slides
            assert f.Formats().date(today) not in pdf_text  # not the en_US "Dec 4, 2026"
            if acc.arr is not None:
                shown = fm.money(acc.arr)
                assert (shown.endswith("\u00a0€") and "." in shown) or acc.arr < 1000
                assert model.data(model.index(row, model.column_of("arr"))) == shown
                assert shown in pdf_text
            if health.score is not None:
                one = fm.number(health.score, 1)
                shown_health = model.data(model.index(row, model.column_of("health")))
                assert shown_health == one  # the window's table too: 68,1
                assert (
                    json_row["health_score"]
                    == float(one.replace(",", "."))
                    == summary["Health score"]
                )
                assert one in pdf_text and one in slides
            if roi.multiple is not None:
                shown = fm.multiple(roi.multiple)
                assert "," in shown and shown in pdf_text and shown in slides
                assert summary["ROI multiple"] == json_row["roi_multiple"] == roi.multiple
                assert fm.money(roi.net_value) in slides
            # The workbook keeps numbers and shows the euro after them, dates day first.
            ws = wb["Summary"]
            money_cells = [
                c
                for r in ws.iter_rows()
                for c in r
                if isinstance(c.value, int | float) and "€" in c.number_format
            ]
            assert all(c.number_format.startswith("[$-407]") for c in money_cells)
            assert money_cells or acc.arr is None
            date_cells = [c for r in ws.iter_rows() for c in r if isinstance(c.value, dt.datetime)]
            assert all(c.number_format == "[$-407]dd\\.mm\\.yyyy" for c in date_cells)
    finally:
        set_window_formats(f.Formats())
