"""Empty lists say what to do; one account shows the same figures on every screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from csdesk.models import Account
from csdesk.services.account_detail import load_account_detail
from csdesk.services.dashboard import load_dashboard
from csdesk.services.demo import DEMO_ACCOUNTS
from csdesk.services.edits.tasks import snooze_task
from csdesk.services.renewals import renewals_due


def _account_id(window: Any, name: str) -> int:
    with window.ctx.portfolio.read() as session:
        return session.scalar(select(Account.id).where(Account.name == name))


def _table_row(window: Any, account_id: int) -> Any:
    view = window.portfolio_page().list
    view.clear_filters()
    row = view.model.row_of(account_id)
    assert row is not None
    return view.model.row_data(row)


def test_a_search_that_matches_nothing_says_so_in_the_table(window: Any, qtbot: Any):
    view = window.portfolio_page().list
    assert not view.table.is_showing_empty_text()
    next(a for a in view.filters["bands"].menu().actions() if a.data() == "Critical").setChecked(
        True
    )
    qtbot.keyClicks(view.search, "no such account anywhere")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert view.table.is_showing_empty_text()
    text = view.table.empty_text
    assert "“no such account anywhere”" in text and "Band filter" in text
    assert f"all {DEMO_ACCOUNTS} accounts" in text
    view.clear_filters()
    assert view.model.rowCount() == DEMO_ACCOUNTS and not view.table.is_showing_empty_text()


def test_portfolio_headers_explain_health_trend_and_stage(window: Any):
    model = window.portfolio_page().list.model
    tips = {
        key: model.headerData(model.column_of(key), Qt.Orientation.Horizontal, Qt.ToolTipRole)
        for key in ("health", "trend", "stage")
    }
    assert "Excellent ≥ 90" in tips["health"] and "Critical below 50" in tips["health"]
    assert "30 days ago" in tips["trend"]
    assert "Onboarding (1–30)" in tips["stage"] and "Expansion (181+)" in tips["stage"]


def test_the_account_column_takes_the_spare_width_but_keeps_a_readable_minimum(window: Any):
    view = window.portfolio_page().list
    table, model = view.table, view.model
    header = table.horizontalHeader()

    def others() -> int:
        return sum(header.sectionSize(i) for i in range(header.count()) if i != table.name_column)

    table.fit_name_column()
    assert header.sectionSize(table.name_column) == max(200, table.viewport().width() - others())
    header.resizeSection(model.column_of("owner"), table.viewport().width())  # a very wide column
    assert header.sectionSize(table.name_column) == 200
    header.resizeSection(model.column_of("owner"), 140)
    assert header.sectionSize(table.name_column) == max(200, table.viewport().width() - others())


def test_an_account_without_tickets_surveys_roi_or_timeline_says_so(window: Any, qtbot: Any):
    account = window.portfolio_page()
    account.open_account(_account_id(window, "Cobalt Couriers"))  # a prospect: nothing yet
    view = account.account
    for table, words in (
        (view.support.ticket_table, "No support tickets"),
        (view.support.survey_table, "No survey answers"),
        (view.timeline.table, "Nothing on the timeline"),
        (view.roi.lines_table, "No value lines"),
        (view.roi.scenario_table, "Scenarios appear"),
        (view.metrics.table, "No metric values"),
    ):
        assert table.is_showing_empty_text(), words
        assert words in table.empty_text
    assert view.support.ticket_summary.text() == "No tickets"
    assert view.header.cards["nps"].note.text() == "no survey answers"


def test_open_tasks_count_snoozed_tasks_everywhere(window: Any):
    portfolio = window.ctx.portfolio
    account_id = _account_id(window, "Alder Outfitters")
    today = dt.date.today()
    detail = load_account_detail(portfolio, account_id, today=today)
    before = len(detail.open_tasks)
    assert before >= 2
    snooze_task(portfolio, detail.open_tasks[0].id, today + dt.timedelta(days=5))
    window.portfolio_page().list.refresh()
    detail = load_account_detail(portfolio, account_id, today=today)
    assert len(detail.open_tasks) == before
    assert _table_row(window, account_id).open_tasks == before


def test_one_account_shows_the_same_figures_on_every_screen(window: Any):
    portfolio = window.ctx.portfolio
    today = dt.date.today()
    renewals = {r.account_id: r for r in renewals_due(portfolio, today=today, days=3650).rows}
    at_risk = {a.account_id: a for a in load_dashboard(portfolio, today=today).at_risk}
    assert renewals and at_risk
    for account_id in window.portfolio_page().list.model.ids:
        row = _table_row(window, account_id)
        header = load_account_detail(portfolio, account_id, today=today).header
        seen = (row.arr, row.health_score, row.health_band, row.renewal_date, row.stage)
        assert seen == (
            header.arr,
            header.health_score,
            header.health_band,
            header.renewal_date,
            header.stage,
        ), row.name
        if account_id in renewals:
            r = renewals[account_id]
            assert (r.arr, r.health_score, r.health_band, r.renewal_date) == seen[:4]
            assert r.likelihood == header.renewal_likelihood
        if account_id in at_risk:
            a = at_risk[account_id]
            assert (a.arr, a.health_score, a.health_band) == seen[:3]
            assert a.open_tasks == row.open_tasks
