"""Undo never overwrites what happened since; Ctrl+Z in a field; an undone override vanishes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from csdesk.services import edits
from csdesk.services.account_detail import load_account_detail
from csdesk.services.changes import Changes
from csdesk.views.commands import OverrideHealthCommand, SetAccountFieldCommand


def _open(window: Any, qtbot: Any, name: str) -> Any:
    page = window.portfolio_page()
    view = page.list
    qtbot.keyClicks(view.search, name)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert page.showing_account
    return page.account


def _arr(window: Any, account_id: int) -> float | None:
    return load_account_detail(window.ctx.portfolio, account_id).header.arr


def _type_arr(account: Any, qtbot: Any, text: str) -> Any:
    account.tabs.setCurrentWidget(account.details)
    field = account.details.edits["arr"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    return field


def test_undo_is_dropped_when_the_field_changed_since(window: Any, qtbot: Any) -> None:
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    stack = window.ctx.undo_stack
    stack.push(SetAccountFieldCommand(window.ctx, account_id, "arr", 1000.0))
    stack.push(SetAccountFieldCommand(window.ctx, account_id, "arr", 2000.0))
    # Something else (the CRM's file, another window) sets 5000 without fencing the stack.
    edits.set_account_field(window.ctx.portfolio, account_id, "arr", 5000.0)
    window.action_map["undo"].trigger()
    assert _arr(window, account_id) == 5000.0  # not overwritten
    message = window.statusBar().currentMessage()
    assert message.startswith("Not undone: Edit ARR — ARR is now 5,000")
    assert "changed since this edit" in message
    assert stack.count() == 1  # the stale edit left the stack; the one before stays
    # The edit before it wrote 1000, which the field no longer holds either.
    window.action_map["undo"].trigger()
    assert _arr(window, account_id) == 5000.0 and stack.count() == 0


def test_undo_then_redo_apply_while_the_field_holds_what_they_wrote(
    window: Any, qtbot: Any
) -> None:
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    before = _arr(window, account_id)
    window.ctx.undo_stack.push(SetAccountFieldCommand(window.ctx, account_id, "arr", 1234.0))
    window.action_map["undo"].trigger()
    assert _arr(window, account_id) == before
    window.action_map["redo"].trigger()
    assert _arr(window, account_id) == 1234.0
    assert window.statusBar().currentMessage() == "Redone: Edit ARR"


def test_an_import_or_recompute_fences_the_undo_stack_for_its_accounts(
    window: Any, qtbot: Any
) -> None:
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    stack = window.ctx.undo_stack
    stack.push(SetAccountFieldCommand(window.ctx, account_id, "owner", "Someone New"))
    other = next(i for i in range(1, 60) if i != account_id)
    stack.push(SetAccountFieldCommand(window.ctx, other, "owner", "Another Owner"))
    # An import that touched only the first account: its edits are fenced, the other's not.
    window.ctx.notify(Changes(account_ids=frozenset({account_id}), fenced_by="an import"))
    window.action_map["undo"].trigger()
    assert load_account_detail(window.ctx.portfolio, other).header.owner != "Another Owner"
    window.action_map["undo"].trigger()
    assert load_account_detail(window.ctx.portfolio, account_id).header.owner == "Someone New"
    assert window.statusBar().currentMessage() == (
        "Not undone: Edit owner — an import changed this account since; undo stops there"
    )
    assert stack.count() == 1 and not stack.canUndo()


def test_ctrl_z_in_a_field_undoes_typing_then_the_saved_edit(window: Any, qtbot: Any) -> None:
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    before = _arr(window, account_id)
    field = _type_arr(account, qtbot, "2000")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # committed: saved and undoable
    assert _arr(window, account_id) == 2000.0
    assert window.statusBar().currentMessage().startswith("Saved: Edit ARR · Ctrl+Z to undo")
    field = _type_arr(account, qtbot, "777")
    # While the field is being edited, Ctrl+Z undoes its typing, not the saved edit.
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() != "777" and _arr(window, account_id) == 2000.0
    field.setText(account.details.edits["arr"].text())
    field.setModified(False)  # as after a commit or a reload: nothing typed
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _arr(window, account_id) == before
    assert window.statusBar().currentMessage() == "Undone: Edit ARR"
    qtbot.keyClick(
        field,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert _arr(window, account_id) == 2000.0


def test_an_undone_override_leaves_no_trace_in_charts_or_lists(window: Any, qtbot: Any) -> None:
    account = _open(window, qtbot, "Atlas Wellness")
    account_id = account.account_id
    before = load_account_detail(window.ctx.portfolio, account_id)
    window.ctx.undo_stack.push(
        OverrideHealthCommand(window.ctx, account_id, 12.0, "the sponsor left")
    )
    overridden = load_account_detail(window.ctx.portfolio, account_id)
    assert [p.source for p in overridden.history].count("override") == 1
    window.action_map["undo"].trigger()
    after = load_account_detail(window.ctx.portfolio, account_id)
    assert "override" not in [p.source for p in after.history]
    assert [(p.as_of, p.score) for p in after.history] == [
        (p.as_of, p.score) for p in before.history
    ]
    assert after.header.health_score == before.header.health_score
    assert after.header.health_override_reason is None
    # The chart drawn from it has no "manual override" point either.
    account.tabs.setCurrentWidget(account.health)
    qtbot.waitUntil(lambda: account.health.chart._figure is not None)
    labels = [
        line.get_label() for ax in account.health.chart._figure.axes for line in ax.get_lines()
    ]
    assert "manual override" not in labels
