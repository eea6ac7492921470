"""The 360's Plan tab driven offscreen: goals and texts through the undo stack, the draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from csdesk.models import Activity
from csdesk.scoring.branding import Branding
from csdesk.services.branding import save_branding
from csdesk.services.success_plans import load_success_plan
from csdesk.views.account.goal_dialog import GoalDialog
from csdesk.views.account.plan_tab import goal_values


def _open_plan(window: Any, qtbot: Any, name: str) -> Any:
    page = window.portfolio_page()
    view = page.list
    qtbot.keyClicks(view.search, name)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    account = page.account
    account.tabs.setCurrentWidget(account.plan)
    return account


def _titles(account: Any) -> list[str]:
    return [g.title for g in account.plan.goals.records]


def _stored(window: Any, account: Any) -> Any:
    with window.ctx.portfolio.read() as s:
        return load_success_plan(s, account.account_id, dt.date.today())


def _timeline(window: Any, account: Any) -> list[str]:
    with window.ctx.portfolio.read() as s:
        return list(
            s.scalars(
                select(Activity.summary)
                .where(Activity.account_id == account.account_id)
                .order_by(Activity.id.desc())
                .limit(3)
            )
        )


def _cell(account: Any, row: int, column: int) -> str:
    model = account.plan.goals
    return str(model.data(model.index(row, column)))


def test_goals_show_baseline_now_and_target_from_the_history(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    plan = _stored(window, account)
    assert _titles(account) == [g.title for g in plan.goals] and len(plan.goals) >= 3
    linked = next(i for i, g in enumerate(plan.goals) if g.metric_key == "logins_30d")
    goal = plan.goals[linked]
    assert _cell(account, linked, 3) == f"{goal.baseline:.0f} → {goal.current:.0f} → 30"
    assert _cell(account, linked, 2) == "Logins (30 days)"
    written = next(g for g in plan.goals if g.metric_key is None)
    assert goal_values(written) == "—" and written.text


def test_add_a_goal_from_the_dialog_then_undo_and_redo(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    before = _titles(account)

    def fake_exec(dialog: GoalDialog) -> int:
        dialog.title.setText("Weekly reviews of the QA dashboard")
        dialog.owner.setText("Dana Client")
        dialog.measure.setCurrentIndex(dialog.measure.findData("features_used"))
        dialog.target.setText("12")
        dialog.status.setCurrentText("on track")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(GoalDialog, "exec", fake_exec)
    qtbot.mouseClick(account.plan.add, Qt.MouseButton.LeftButton)
    assert _titles(account) == [*before, "Weekly reviews of the QA dashboard"]
    added = _stored(window, account).goals[-1]
    assert (added.owner, added.metric_key, added.target, added.status) == (
        "Dana Client",
        "features_used",
        12,
        "on track",
    )
    assert added.current is not None  # read from the history at once
    assert _timeline(window, account)[0] == "Goal added: Weekly reviews of the QA dashboard"
    window.action_map["undo"].trigger()
    assert _titles(account) == before
    window.action_map["redo"].trigger()
    assert _titles(account) == [*before, "Weekly reviews of the QA dashboard"]


def test_edit_remove_and_move_are_each_one_undoable_step(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    before = _titles(account)
    plan = account.plan
    stack = window.ctx.undo_stack

    plan.table.selectRow(0)

    def set_missed(dialog: GoalDialog) -> int:
        dialog.status.setCurrentText("missed")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(GoalDialog, "exec", set_missed)
    qtbot.mouseClick(plan.edit, Qt.MouseButton.LeftButton)
    assert _stored(window, account).goals[0].status == "missed"
    assert _cell(account, 0, 5) == "missed"
    assert stack.undoText() == f"Edit goal {before[0]!r}"

    plan.table.selectRow(0)
    qtbot.mouseClick(plan.down, Qt.MouseButton.LeftButton)
    assert _titles(account) == [before[1], before[0], *before[2:]]
    assert plan.selected_goal().title == before[0]  # the selection follows the goal

    plan.table.selectRow(2)
    qtbot.mouseClick(plan.remove, Qt.MouseButton.LeftButton)
    assert before[2] not in _titles(account)

    window.action_map["undo"].trigger()  # the removal
    assert _titles(account) == [before[1], before[0], *before[2:]]
    window.action_map["undo"].trigger()  # the move
    assert _titles(account) == before
    window.action_map["undo"].trigger()  # the edit
    assert _stored(window, account).goals[0].status != "missed"
    assert stack.index() == 0


def test_texts_are_saved_on_leaving_the_editor_and_undone(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    wins = account.plan.texts["wins"]
    wins.setPlainText("Live in all three warehouses")
    wins.commit()
    assert _stored(window, account).narrative.wins == "Live in all three warehouses"
    assert _timeline(window, account)[0] == "Wins this term written"
    wins.commit()  # nothing changed since: nothing more on the stack
    assert window.ctx.undo_stack.count() == 1
    window.action_map["undo"].trigger()
    assert _stored(window, account).narrative.wins == ""
    assert wins.toPlainText() == ""


def test_use_draft_fills_the_empty_summary_and_undo_empties_it(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    plan = account.plan
    assert plan.data.plan.narrative.executive_summary == ""
    draft = plan.data.draft
    assert draft.startswith("Over the past") and "Orbit Freight" in draft
    summary = plan.texts["executive_summary"]
    assert summary.placeholderText() == draft and summary.toPlainText() == ""
    assert plan.use_draft.isVisibleTo(plan)
    qtbot.mouseClick(plan.use_draft, Qt.MouseButton.LeftButton)
    assert _stored(window, account).narrative.executive_summary == draft
    assert summary.toPlainText() == draft
    assert not plan.use_draft.isVisibleTo(plan)
    assert window.ctx.undo_stack.undoText() == "Use the drafted summary"
    window.action_map["undo"].trigger()
    assert _stored(window, account).narrative.executive_summary == ""
    assert summary.toPlainText() == "" and plan.use_draft.isVisibleTo(plan)


def test_a_written_summary_offers_no_draft(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Harbor Grocers")
    plan = account.plan
    assert plan.data.plan.narrative.executive_summary
    assert plan.data.draft == "" and not plan.use_draft.isVisibleTo(plan)


def test_internal_goals_are_marked(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Lumen Parcel")
    rows = account.plan.goals.records
    internal = [i for i, g in enumerate(rows) if g.internal]
    assert internal
    assert _cell(account, internal[0], 0).endswith("· internal")


def test_money_in_the_window_follows_the_branding(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    assert account.header.cards["arr"].value.text().startswith("$")
    result = save_branding(window.ctx.portfolio, Branding(currency="EUR", locale="de_DE"))
    window.ctx.notify(result.changes)
    assert account.header.cards["arr"].value.text().endswith("\u00a0€")
    table = window.portfolio_page().list.model
    assert table.data(table.index(0, table.column_of("arr"))).endswith("\u00a0€")


def test_the_goal_dialog_offers_the_contacts_and_the_csm_as_owners(window: Any, qtbot: Any) -> None:
    account = _open_plan(window, qtbot, "Orbit Freight")
    data = account.plan.data
    assert "Jordan Reyes" in data.owners  # the CSM
    dialog = GoalDialog(data.metric_keys, data.formats, None, account, owners=data.owners)
    qtbot.addWidget(dialog)
    completer = dialog.owner.completer()
    assert completer is not None
    offered = completer.model()
    names = [offered.index(r, 0).data() for r in range(offered.rowCount())]
    assert names == list(data.owners) and len(names) >= 2
    assert dialog.measure.itemText(0) == "Free text (no metric)"
    assert dialog.measure.findData("logins_30d") > 0


def test_the_next_meeting_is_booked_moved_and_cleared_each_as_one_undoable_step(
    window: Any, qtbot: Any
) -> None:
    from PySide6.QtCore import QDate

    account = _open_plan(window, qtbot, "Orbit Freight")
    row = account.plan.meeting
    assert not row.booked.isChecked() and not row.day.isEnabled()
    day = dt.date.today() + dt.timedelta(days=21)
    row.day.setDate(QDate(day.year, day.month, day.day))
    row.note.setText("Renewal call with the sponsor")
    row.booked.setChecked(True)  # booking commits the day and note the row shows
    narrative = _stored(window, account).narrative
    assert (narrative.next_meeting, narrative.next_meeting_note) == (
        day,
        "Renewal call with the sponsor",
    )
    assert _timeline(window, account)[0] == (
        f"Next meeting booked: {day.isoformat()} — Renewal call with the sponsor"
    )
    later = day + dt.timedelta(days=7)
    row.day.setDate(QDate(later.year, later.month, later.day))
    row.day.editingFinished.emit()
    assert _stored(window, account).narrative.next_meeting == later
    assert window.ctx.undo_stack.count() == 2
    row.day.editingFinished.emit()  # nothing changed since: nothing more on the stack
    assert window.ctx.undo_stack.count() == 2
    window.action_map["undo"].trigger()
    assert _stored(window, account).narrative.next_meeting == day
    assert row.day.date() == QDate(day.year, day.month, day.day)
    row.booked.setChecked(False)
    assert _stored(window, account).narrative.next_meeting is None
    assert _timeline(window, account)[0] == "Next meeting cleared"
    window.action_map["undo"].trigger()
    narrative = _stored(window, account).narrative
    assert narrative.next_meeting == day and row.booked.isChecked()
    assert row.note.text() == "Renewal call with the sponsor"
