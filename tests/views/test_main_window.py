"""The main window: pages, menus and shortcuts, settings, welcome, jobs on the writer thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from csdesk.services.changes import Changes
from csdesk.services.portfolio_table import count_accounts
from csdesk.views.main_window import PAGES, MainWindow


@pytest.mark.parametrize("spec", PAGES[1:], ids=lambda spec: spec.key)
def test_every_page_shows_under_its_sidebar_entry(window: Any, spec: Any):
    page = window.show_page(spec.key)
    assert window.stack.currentWidget() is page
    assert window.sidebar.currentItem().text() == page.title == spec.title


def test_sidebar_and_ctrl_number_navigate(window: Any, qtbot: Any):
    window.sidebar.setCurrentRow(2)
    assert window.stack.currentWidget() is window.pages["renewals"]
    window.action_map["page:dashboard"].trigger()
    assert window.sidebar.currentRow() == 3
    window.action_map["find"].trigger()
    assert window.stack.currentWidget() is window.pages["portfolio"]
    assert window.portfolio_page().list.search.hasFocus()
    assert window.settings.value("window/page") == "portfolio"


def test_every_action_is_in_a_menu_with_the_documented_shortcuts(window: Any):
    in_menus = {
        action.text()
        for menu_action in window.menuBar().actions()
        for action in menu_action.menu().actions()
    }
    for name, action in window.action_map.items():
        assert action.text() in in_menus, name
    expected = {
        "find": "Ctrl+F",
        "import": "Ctrl+I",
        "export": "Ctrl+E",
        "undo": "Ctrl+Z",
        "redo": "Ctrl+Shift+Z",
        "quit": "Ctrl+Q",
    }
    for name, keys in expected.items():
        assert window.action_map[name].shortcut() == QKeySequence(keys), name
    assert len(PAGES) == 5


def test_main_widgets_have_accessible_names(window: Any):
    view = window.portfolio_page().list
    for widget in (window.sidebar, view.search, view.table, view.count_label, window):
        assert widget.accessibleName()
    for button in view.filters.values():
        assert button.accessibleName().endswith("filter")


def test_window_remembers_size_page_and_portfolio(
    qtbot: Any, settings: Any, demo_path: Path, tmp_path: Path
):
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.open_portfolio(demo_path, offer_welcome=False)
    first.resize(701, 503)  # within the offscreen screen (800 × 600)
    first.show_page("renewals")
    first.close()
    assert settings.value("portfolio/last") == str(demo_path)
    assert settings.recent_portfolios() == [str(demo_path)]

    other = tmp_path / "other.db"
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert (second.size().width(), second.size().height()) == (701, 503)
    assert second.stack.currentWidget() is second.pages["renewals"]
    second.open_portfolio(other, offer_welcome=False)
    assert settings.recent_portfolios() == [str(other), str(demo_path)]
    second.close()


def test_a_file_that_is_no_portfolio_is_refused_and_forgotten(
    window: Any, tmp_path: Path, qtbot: Any
):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    window.settings.remember_portfolio(str(bad))
    before = window.ctx.portfolio
    assert not window.open_portfolio(bad)
    assert window.ctx.portfolio is before
    assert str(bad) not in window.settings.recent_portfolios()
    assert "not a csdesk portfolio" in window.statusBar().currentMessage()


def test_empty_portfolio_offers_the_demo_which_loads_in_the_worker(
    qtbot: Any, settings: Any, tmp_path: Path
):
    win = MainWindow(settings)
    qtbot.addWidget(win)
    target = tmp_path / "new.db"
    assert win.open_portfolio(target)
    qtbot.waitUntil(lambda: getattr(win, "welcome_dialog", None) is not None)
    dialog = win.welcome_dialog
    assert dialog.isVisible()
    view = win.portfolio_page().list
    assert view.table.is_showing_empty_text()
    assert "no accounts yet" in view.table.empty_text
    with qtbot.waitSignal(win.ctx.changed, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.buttons[dialog.choice.DEMO], Qt.MouseButton.LeftButton)
    assert blocker.args[0].everything
    assert view.model.rowCount() == count_accounts(win.ctx.portfolio) == 60
    assert settings.was_welcomed(str(target))
    assert "Demo portfolio loaded" in win.statusBar().currentMessage()
    win.close()


def test_recompute_runs_on_the_writer_thread_and_disables_edits_meanwhile(window: Any, qtbot: Any):
    seen: list[Changes] = []
    window.ctx.changed.connect(seen.append)
    with qtbot.waitSignal(window.ctx.worker.busy_changed, timeout=5000) as started:
        window.action_map["recompute"].trigger()
    assert started.args == [True]
    assert not window.ctx.editable
    assert not window.action_map["import"].isEnabled()
    assert window.job_status.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.ctx.worker.busy, timeout=20000)
    assert window.ctx.editable and window.action_map["recompute"].isEnabled()
    # The demo is scored already: the recompute changed nothing and says so, so no page reloads.
    assert seen == [Changes()]
    assert window.statusBar().currentMessage().startswith("Recomputed 60 accounts")
    assert not window.job_status.isVisibleTo(window)


def test_help_lists_every_menu_shortcut_and_the_list_and_360_keys(window: Any, qtbot: Any):
    from csdesk.views.actions import SHORTCUTS

    window.action_map["shortcuts"].trigger()
    dialog = window.shortcuts_dialog
    qtbot.waitExposed(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for name in ("find", "import", "export", "undo", "recompute", "quit", "shortcuts"):
        keys = window.action_map[name].shortcut().toString()
        assert keys in shown, name
    assert "Enter or double-click" in shown and "Esc" in shown
    assert len(SHORTCUTS) >= 12
    dialog.reject()


def test_ctrl_f_searches_the_shown_page_if_it_has_a_search(window: Any):
    prospects = window.show_page("prospects")
    window.action_map["find"].trigger()
    assert window.stack.currentWidget() is prospects and prospects.search.hasFocus()
    window.show_page("renewals")
    window.action_map["find"].trigger()
    assert window.stack.currentWidget() is window.pages["portfolio"]
    assert window.portfolio_page().list.search.hasFocus()


def _ink_lightness(icon: Any) -> float:
    """Mean lightness of an icon's drawn pixels."""
    from PySide6.QtCore import QSize

    image = icon.pixmap(QSize(24, 24)).toImage()
    ink = [
        image.pixelColor(x, y).lightness()
        for x in range(24)
        for y in range(24)
        if image.pixelColor(x, y).alpha() > 100
    ]
    assert ink
    return sum(ink) / len(ink)


def test_icons_and_charts_follow_a_switch_to_dark_mode(window: Any, qtbot: Any):
    from PySide6.QtWidgets import QApplication

    from csdesk.views.theme import apply_theme, color, icon

    app = QApplication.instance()
    item_icon = window.sidebar.item(0).icon()
    assert _ink_lightness(item_icon) < 128  # dark strokes on the light sidebar
    dashboard = window.show_page("dashboard")
    window.show_page("portfolio")
    try:
        apply_theme(app, dark=True)
        assert _ink_lightness(item_icon) > 128  # the same icon, now drawn for a dark sidebar
        assert _ink_lightness(icon(PAGES[1].icon)) > 128
        assert dashboard._stale  # redrawn with the dark palette when next shown
        window.show_page("dashboard")
        assert not dashboard._stale
        assert color("bg") != "#f4f6f9"
    finally:
        apply_theme(app, dark=False)


def test_the_window_title_and_sidebar_name_the_open_portfolio(window: Any, demo_path: Path):
    name = window.ctx.portfolio.display_name
    assert name and name in window.windowTitle()
    assert window.windowTitle().endswith("csdesk")
    assert window.portfolio_label.text() == name
    assert window.portfolio_label.toolTip() == str(demo_path)
