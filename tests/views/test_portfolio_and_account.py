"""Driving the window offscreen: filter, sort, open an account, edit ROI, undo, override."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from csdesk.services.account_detail import load_account_detail
from csdesk.services.demo import DEMO_ACCOUNTS
from csdesk.views.dialogs import OverrideDialog
from csdesk.views.widgets.itemmodels import PortfolioTableModel


def _rows(model: PortfolioTableModel) -> list[Any]:
    return [model.row_data(r) for r in range(model.rowCount())]


def _open(window: Any, qtbot: Any, name: str) -> Any:
    """Search for an account by name, select it and press Enter; return the 360."""
    page = window.portfolio_page()
    view = page.list
    qtbot.keyClicks(view.search, name)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert page.showing_account
    return page.account


def test_demo_lists_every_account_and_search_filters_as_you_type(window: Any, qtbot: Any):
    view = window.portfolio_page().list
    assert view.model.rowCount() == DEMO_ACCOUNTS
    assert view.count_label.text() == f"{DEMO_ACCOUNTS} accounts"
    qtbot.keyClicks(view.search, "ATLAS")
    assert view.model.rowCount() == DEMO_ACCOUNTS  # debounced: nothing yet
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.row_data(0).name == "Atlas Wellness"
    assert view.count_label.text() == f"1 of {DEMO_ACCOUNTS} accounts"
    view.clear_filters()
    assert view.model.rowCount() == DEMO_ACCOUNTS


def test_filters_by_band_owner_and_renewal_window(window: Any):
    view = window.portfolio_page().list
    band = view.filters["bands"]
    next(a for a in band.menu().actions() if a.data() == "Critical").setChecked(True)
    rows = _rows(view.model)
    assert rows and all(r.health_band == "Critical" for r in rows)
    assert band.text() == "Band: Critical ▾"
    owner = view.filters["owners"]
    first_owner = owner.menu().actions()[0].data()
    owner.menu().actions()[0].setChecked(True)
    assert all(r.owner == first_owner and r.health_band == "Critical" for r in _rows(view.model))
    view.clear_filters()
    window_button = view.filters["renewal"]
    actions = {a.data(): a for a in window_button.menu().actions()}
    actions["90"].setChecked(True)
    actions["30"].setChecked(True)  # exclusive: replaces 90
    assert window_button.selected() == frozenset({"30"})
    assert all(r.days_left is not None and 0 <= r.days_left <= 30 for r in _rows(view.model))


def test_header_click_sorts_in_sql_both_ways(window: Any):
    view = window.portfolio_page().list
    header = view.table.horizontalHeader()
    column = view.model.column_of("arr")
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    values = [r.arr for r in _rows(view.model)]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and values[: len(present)] == present
    header.setSortIndicator(view.model.column_of("health"), Qt.SortOrder.AscendingOrder)
    scores = [r.health_score for r in _rows(view.model) if r.health_score is not None]
    assert scores == sorted(scores)
    assert window.settings.value("portfolio/sort_key") == "health"


def test_open_account_edit_roi_and_undo_redo(window: Any, qtbot: Any):
    account = _open(window, qtbot, "Atlas Wellness")
    detail = account.detail
    assert account.header.name.text() == "Atlas Wellness"
    before = detail.roi_result.multiple
    assert before is not None
    account.tabs.setCurrentWidget(account.roi)
    field = account.roi.inputs["revenue_protected"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "85000")
    preview = account.roi.figures["multiple"].text()  # live, before saving
    expected = (detail.roi_result.total_value - 25000 + 85000) / detail.header.arr
    assert preview == f"{expected:.2f}×"
    assert load_account_detail(window.ctx.portfolio, detail.header.id).roi_result.multiple == before
    qtbot.keyClick(field, Qt.Key.Key_Return)
    stored = load_account_detail(window.ctx.portfolio, detail.header.id)
    assert stored.roi.values["revenue_protected"] == 85000.0
    assert stored.roi_result.multiple == float(round(expected, 2))
    assert account.header.cards["roi"].value.text() == f"{expected:.2f}×"
    assert stored.activity[0].summary == "ROI Revenue protected / year: 25,000 → 85,000"
    assert window.action_map["undo"].isEnabled()
    assert window.action_map["undo"].text() == "&Undo Edit ROI revenue protected / year"
    status = window.statusBar()
    assert status.currentMessage().startswith("Saved: Edit ROI revenue protected / year")

    window.action_map["undo"].trigger()
    assert status.currentMessage() == "Undone: Edit ROI revenue protected / year"
    undone = load_account_detail(window.ctx.portfolio, detail.header.id)
    assert undone.roi_result.multiple == before
    assert account.roi.inputs["revenue_protected"].text() == "25,000"
    assert account.header.cards["roi"].value.text() == f"{before:.2f}×"
    window.action_map["redo"].trigger()
    redone = load_account_detail(window.ctx.portfolio, detail.header.id)
    assert redone.roi_result.multiple == float(round(expected, 2))


def test_override_score_with_reason_then_undo(window: Any, qtbot: Any, monkeypatch: Any):
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    computed = account.detail.header.health_score

    def fake_exec(dialog: OverrideDialog) -> int:
        dialog.score.setValue(42.0)
        dialog.reason.setPlainText("Sponsor left the company")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OverrideDialog, "exec", fake_exec)
    qtbot.mouseClick(account.health.override_button, Qt.MouseButton.LeftButton)
    header = account.detail.header
    assert (header.health_score, header.health_band) == (42.0, "Critical")
    assert header.health_computed_score == computed
    assert account.header.cards["health"].value.text() == "42.0"
    assert "override" in account.header.cards["health"].note.text()
    assert account.health.clear_button.isVisible()
    assert account.detail.history[-1].source == "override"
    row = window.portfolio_page().list.model
    assert any(r.overridden and r.id == account_id for r in _rows(row))

    window.action_map["undo"].trigger()
    header = account.detail.header
    assert header.health_score == computed and not header.overridden
    assert not account.health.clear_button.isVisible()


def test_a_refused_edit_is_reported_and_not_put_on_the_undo_stack(window: Any, qtbot: Any):
    account = _open(window, qtbot, "Atlas Wellness")
    errors: list[str] = []
    window.ctx.error_raised.connect(errors.append)
    account.details.edits["arr"].setText("-5")
    account.details.edits["arr"].setModified(True)
    account.details.edits["arr"].editingFinished.emit()
    assert errors == ["ARR cannot be negative (got -5)"]
    assert window.ctx.undo_stack.count() == 0
    assert account.detail.header.arr == 60000.0


def test_tasks_and_notes_through_the_undo_stack(window: Any, qtbot: Any):
    account = _open(window, qtbot, "Atlas Wellness")
    tasks = account.tasks
    open_before = len(account.detail.open_tasks)
    assert open_before >= 1
    tasks.table.selectRow(0)
    qtbot.mouseClick(tasks.complete_button, Qt.MouseButton.LeftButton)
    assert len(account.detail.open_tasks) == open_before - 1
    window.action_map["undo"].trigger()
    assert len(account.detail.open_tasks) == open_before

    tasks.table.selectRow(0)
    task = tasks.selected_task()
    tasks.snooze_button.menu().actions()[2].trigger()  # 1 week
    snoozed = next(t for t in account.detail.tasks if t.id == task.id)
    assert snoozed.status == "snoozed" and snoozed.due_on > task.due_on

    account.timeline.note.setPlainText("Renewal call booked with the CFO")
    qtbot.mouseClick(account.timeline.add_button, Qt.MouseButton.LeftButton)
    assert account.detail.activity[0].summary == "Renewal call booked with the CFO"
    assert account.timeline.model.rowCount() == len(account.detail.activity)
    window.action_map["undo"].trigger()
    assert all(a.summary != "Renewal call booked with the CFO" for a in account.detail.activity)


def test_escape_goes_back_with_the_account_selected(window: Any, qtbot: Any):
    account = _open(window, qtbot, "Beacon Freight")
    page = window.portfolio_page()
    qtbot.keyClick(account, Qt.Key.Key_Escape)
    assert not page.showing_account
    assert page.list.selected_account() == account.account_id


def test_my_accounts_shows_the_signed_in_csms_accounts(window: Any, monkeypatch: Any):
    view = window.portfolio_page().list
    everyone = _rows(view.model)
    monkeypatch.setattr("csdesk.config.current_user", lambda: "Jordan Reyes")
    view.mine.setChecked(True)  # no CSM set: the OS user name
    mine = _rows(view.model)
    assert mine and len(mine) < len(everyone) and {r.owner for r in mine} == {"Jordan Reyes"}
    window.settings.set_value("user/csm", "Lena Hoffmann")  # Edit ▸ Signed-in CSM…
    view.run_query()
    assert {r.owner for r in _rows(view.model)} == {"Lena Hoffmann"}
    assert view.mine.toolTip() == "Accounts owned by Lena Hoffmann"
    view.clear_filters()
    assert not view.mine.isChecked() and len(_rows(view.model)) == len(everyone)


def test_an_edit_of_an_account_another_csm_changed_is_refused_and_their_change_shown(
    window: Any, qtbot: Any
):
    from csdesk.db import open_portfolio
    from csdesk.services.edits import set_account_field

    account = _open(window, qtbot, "Atlas Wellness")
    errors: list[str] = []
    window.ctx.error_raised.connect(errors.append)
    colleague = open_portfolio(window.ctx.portfolio.url)  # another csdesk on the same portfolio
    try:
        set_account_field(colleague, account.detail.header.id, "owner", "Kim Park")
    finally:
        colleague.close()
    assert account.detail.header.owner != "Kim Park"  # the window still shows what it read
    account.details.edits["owner"].setText("Lee")
    account.details.edits["owner"].setModified(True)
    account.details.edits["owner"].editingFinished.emit()
    assert len(errors) == 1 and "was changed by" in errors[0] and "nothing was saved" in errors[0]
    assert window.ctx.undo_stack.count() == 0
    qtbot.waitUntil(lambda: account.detail.header.owner == "Kim Park")  # reloaded
    account.details.edits["owner"].setText("Lee")  # now on the fresh version: saved
    account.details.edits["owner"].setModified(True)
    account.details.edits["owner"].editingFinished.emit()
    qtbot.waitUntil(lambda: account.detail.header.owner == "Lee")
