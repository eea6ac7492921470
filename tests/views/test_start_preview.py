"""The start-up preview: rows on screen before the portfolio opens, then a seamless switch."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from csdesk.db import open_portfolio
from csdesk.db.reader import EarlyPortfolio, open_early
from csdesk.services.demo import DEMO_ACCOUNTS
from csdesk.services.portfolio_table import fetch_rows, ordered_ids
from csdesk.views.main_window import MainWindow

WAITING = ("import", "export", "recompute", "demo", "backup", "restore", "undo", "redo")
"""Actions that need the open portfolio."""


@pytest.fixture
def previewing(qtbot: Any, settings: Any, demo_path: Path) -> Iterator[MainWindow]:
    """The main window as the app starts it: showing the read-only preview of the demo file."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    preview = open_early(demo_path)
    assert preview is not None
    window.show_preview(preview, str(demo_path))
    window.show()
    qtbot.waitExposed(window)
    model = window.portfolio_page().list.model
    qtbot.waitUntil(lambda: model.fetched_pages > 0)  # the first page is painted
    yield window
    window.ctx.worker.wait(10000)


def test_the_first_page_is_read_and_painted_before_the_portfolio_is_open(
    previewing: MainWindow, demo_path: Path
):
    window, view = previewing, previewing.portfolio_page().list
    assert window.ctx.portfolio is None
    assert isinstance(window.ctx.table_source, EarlyPortfolio)
    assert window.windowTitle() == "demo.db — csdesk"
    assert view.count_label.text() == f"{DEMO_ACCOUNTS} accounts"
    portfolio = open_portfolio(demo_path)
    try:
        ids = ordered_ids(portfolio, view.query())
        assert view.model.ids == ids
        first = fetch_rows(portfolio, ids[:1], view.today)[ids[0]]
    finally:
        portfolio.close()
    assert view.model.index(0, 0).data() == first.name
    for name in WAITING:
        assert not window.action_map[name].isEnabled(), name


def test_sorting_and_searching_work_on_the_preview(previewing: MainWindow, qtbot: Any):
    view = previewing.portfolio_page().list
    by_name = list(view.model.ids)
    view.table.sortByColumn(view.model.column_of("health"), Qt.SortOrder.DescendingOrder)
    assert sorted(view.model.ids) == sorted(by_name) and view.model.ids != by_name
    view.search.setText("zzz-no-such-account")
    view.run_query()
    assert view.model.rowCount() == 0
    assert "No account matches" in view.table.empty_text


def test_the_switch_to_the_open_portfolio_keeps_rows_scroll_and_selection(
    previewing: MainWindow, demo_path: Path, qtbot: Any
):
    view = previewing.portfolio_page().list
    ids = list(view.model.ids)
    view.table.selectionModel().setCurrentIndex(
        view.model.index(40, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.table.scrollTo(view.model.index(40, 0))
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    preview = previewing.ctx.preview
    assert preview is not None

    assert previewing.open_portfolio(demo_path, offer_welcome=False)

    assert previewing.ctx.preview is None and previewing.ctx.portfolio is not None
    assert resets == []  # no reset: nothing on screen blinks
    assert view.model.ids == ids
    assert view.selected_account() == ids[40]
    assert view.table.verticalScrollBar().value() == scroll
    assert view.model.index(40, 0).data()  # rows are read again, from the open portfolio
    with pytest.raises(sqlite3.ProgrammingError), preview.sql_read():
        pass  # the preview's connection is closed
    for name in ("import", "export", "recompute", "backup"):
        assert previewing.action_map[name].isEnabled(), name


def test_an_account_opened_during_the_preview_opens_once_the_portfolio_is(
    previewing: MainWindow, demo_path: Path
):
    page = previewing.portfolio_page()
    account = page.list.model.account_id(3)
    assert account is not None
    page.list.table.account_activated.emit(account)
    assert not page.showing_account  # nothing to show it with yet
    assert previewing.statusBar().currentMessage() == "Opening the portfolio…"

    assert previewing.open_portfolio(demo_path, offer_welcome=False)

    assert page.showing_account
    assert page.current_account() == account
    assert page.account.header.isVisible()


def test_a_portfolio_that_cannot_be_opened_leaves_no_preview_behind(previewing: MainWindow):
    view = previewing.portfolio_page().list
    previewing.drop_preview()
    assert previewing.ctx.table_source is None
    assert view.model.rowCount() == 0
    assert previewing.windowTitle() == "csdesk"
    assert previewing.portfolio_label.text() == ""
