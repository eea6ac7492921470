"""The Dashboard page offscreen: figures equal the service's, lists open the account, refresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from csdesk.services.dashboard import load_dashboard
from csdesk.services.edits import complete_task
from csdesk.views.dashboard.kpi_tiles import KPI_KEYS
from csdesk.views.widgets.itemmodels import money


def _page(window: Any) -> Any:
    return window.show_page("dashboard")


def test_tiles_show_the_services_figures(window: Any):
    page = _page(window)
    board = load_dashboard(window.ctx.portfolio, today=dt.date.today())
    tiles = page.kpis.tiles
    assert list(tiles) == [key for key, _ in KPI_KEYS]
    assert tiles["arr"].value.text() == money(board.figures.total_arr)
    assert tiles["forecast"].value.text() == money(board.figures.renewals_90[2])
    assert tiles["forecast"].note.text().startswith(f"{board.figures.renewals_90[0]} renewals")
    assert board.figures.grr is not None and board.figures.nrr is not None
    assert tiles["grr"].value.text() == f"{board.figures.grr * 100:.1f}%"
    assert tiles["nrr"].value.text() == f"{board.figures.nrr * 100:.1f}%"
    assert board.nps is not None and board.csat is not None and board.sla_attainment is not None
    assert tiles["nps"].value.text() == f"{board.nps:+.0f}"
    assert tiles["nps"].note.text() == f"{board.nps_answers} answers · last 90 days"
    assert tiles["csat"].value.text() == f"{board.csat.mean:.2f} / 5"
    assert tiles["sla"].value.text() == f"{board.sla_attainment:.1f}%"


def test_lists_match_the_service_and_charts_are_drawn(window: Any):
    page = _page(window)
    board = page.board
    assert board is not None
    assert page.at_risk_model.records == list(board.at_risk)
    assert page.overdue_model.records == list(board.overdue_tasks)
    assert page.at_risk_count.text() == f"{board.at_risk_total:,}"
    assert {page.at_risk_record(r).health_band for r in range(page.at_risk_model.rowCount())} <= {
        "At Risk",
        "Critical",
    }
    for view in (page.band_chart, page.arr_chart):
        axes = view._figure.axes  # drawn figure (figure() would clear it)
        assert len(axes) == 1
        assert [t.get_text() for t in axes[0].get_xticklabels()] == [
            name for name, _ in board.figures.band_counts
        ]
    heights = [bar.get_height() for bar in page.band_chart._figure.axes[0].patches]
    assert heights == [count for _, count in board.figures.band_counts]


def test_double_click_an_at_risk_account_opens_it(window: Any, qtbot: Any):
    page = _page(window)
    first = page.at_risk_record(0)
    assert first is not None
    table = page.at_risk
    cell = table.visualRect(page.at_risk_model.index(0, 0)).center()
    # A real double-click: the first press selects the cell, the second activates it.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    portfolio = window.portfolio_page()
    assert window.stack.currentWidget() is portfolio
    assert portfolio.showing_account and portfolio.account.account_id == first.account_id


def test_overdue_task_opens_its_account_and_completing_it_refreshes(window: Any, qtbot: Any):
    from csdesk.models import Task

    portfolio = window.ctx.portfolio
    with portfolio.write() as s:
        task = s.query(Task).filter(Task.status == "open").order_by(Task.id).first()
        assert task is not None
        task.due_on = dt.date.today() - dt.timedelta(days=4)
        task_id, account_id = task.id, task.account_id
    page = _page(window)
    page.reload()
    rows = [page.overdue_record(r) for r in range(page.overdue_model.rowCount())]
    index = next(i for i, t in enumerate(rows) if t is not None and t.task_id == task_id)
    assert page.overdue_model.index(index, 1).data() == "4 d"
    page.overdue.setFocus()
    page.overdue.setCurrentIndex(page.overdue_model.index(index, 0))
    qtbot.keyClick(page.overdue, Qt.Key.Key_Return)
    assert window.portfolio_page().account.account_id == account_id
    result = complete_task(portfolio, task_id)
    window.ctx.notify(result.changes)
    window.show_page("dashboard")
    assert task_id not in [t.task_id for t in page.overdue_model.records]
