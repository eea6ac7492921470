"""The Prospects page offscreen: edit a criterion and undo, notes, cohort ticks, promote, open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QSpinBox

from csdesk.models import Account
from csdesk.scoring.prospect import CRITERIA, score_prospect
from csdesk.services.prospects import ProspectRow, check_members, list_prospects
from csdesk.views.prospects.pilot_dialog import PromoteDialog
from csdesk.views.prospects.scorecard_table import (
    COHORT_COLUMN,
    FIRST_CRITERION,
    NAME_COLUMN,
    QUALIFIED_COLUMN,
    SCORE_COLUMN,
    STATUS_COLUMN,
    ScorecardModel,
)

KEYS = [c.key for c in CRITERIA]


def _page(window: Any) -> Any:
    page = window.show_page("prospects")
    assert page.model.rowCount() > 0
    return page


def _proxy_index(page: Any, account_id: int, column: int) -> Any:
    row = page.model.row_of(account_id)
    return page.proxy.mapFromSource(page.model.index(row, column))


def _row(page: Any, account_id: int) -> ProspectRow:
    return page.model.row_data(page.model.row_of(account_id))


def test_lists_every_prospect_and_pilot_sorted_by_score(window: Any):
    page = _page(window)
    service_rows = list_prospects(window.ctx.portfolio)
    assert page.model.rowCount() == len(service_rows)
    shown = [page.proxy.index(r, SCORE_COLUMN).data() for r in range(page.proxy.rowCount())]
    scores = [float(s) for s in shown if s != "—"]
    assert scores == sorted(scores, reverse=True)
    assert shown[len(scores) :] == ["—"] * (len(shown) - len(scores))
    incomplete = next(r for r in service_rows if r.result.score is None)
    cell = _proxy_index(page, incomplete.account_id, QUALIFIED_COLUMN)
    assert cell.data() == incomplete.result.reason
    assert cell.data().startswith("incomplete: ")


def test_edit_a_criterion_in_the_table_rescores_and_undo_restores(window: Any, qtbot: Any):
    page = _page(window)
    # a qualifying prospect that drops below 3.50 when its strategic fit falls to 1
    target = next(
        r
        for r in page.model.rows
        if r.result.qualified and r.result.score - (r.score_of("strategic_fit") - 1) * 0.25 < 3.5
    )
    before = target.result.score
    qualified_cell = _proxy_index(page, target.account_id, QUALIFIED_COLUMN)
    assert qualified_cell.data() == "✓ Qualified"
    index = _proxy_index(page, target.account_id, FIRST_CRITERION)
    assert ScorecardModel.criterion_key(index.column()) == "strategic_fit"
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.viewport().findChild(QSpinBox)
    assert editor is not None
    editor.setValue(1)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    qtbot.waitUntil(lambda: _row(page, target.account_id).score_of("strategic_fit") == 1)
    scores = dict(zip(KEYS, _row(page, target.account_id).scores, strict=True))
    expected = score_prospect(scores)
    after = _row(page, target.account_id)
    assert after.score_of("strategic_fit") == 1
    assert after.result.score == expected.score < before
    assert expected.score == round(before - (target.score_of("strategic_fit") - 1) * 0.25, 2)
    score_cell = _proxy_index(page, target.account_id, SCORE_COLUMN)
    assert score_cell.data() == f"{expected.score:.2f}"
    assert not expected.qualified
    assert _proxy_index(page, target.account_id, QUALIFIED_COLUMN).data() == "Not qualified"
    stored = {r.account_id: r for r in list_prospects(window.ctx.portfolio)}[target.account_id]
    assert stored.result.score == expected.score
    assert window.ctx.undo_stack.undoText().startswith("Score strategic fit of")
    window.ctx.undo_stack.undo()
    assert _row(page, target.account_id).result.score == before
    assert _proxy_index(page, target.account_id, SCORE_COLUMN).data() == f"{before:.2f}"
    assert _proxy_index(page, target.account_id, QUALIFIED_COLUMN).data() == "✓ Qualified"
    window.ctx.undo_stack.redo()
    assert _row(page, target.account_id).score_of("strategic_fit") == 1


def test_notes_are_edited_per_criterion(window: Any, qtbot: Any):
    page = _page(window)
    target = page.model.rows[0]
    page.select_account(target.account_id)
    field = page.notes.fields["relationship"]
    field.setFocus()
    field.setText("Met the CTO twice")
    field.editingFinished.emit()
    assert _row(page, target.account_id).note_of("relationship") == "Met the CTO twice"
    tooltip = _proxy_index(
        page, target.account_id, FIRST_CRITERION + KEYS.index("relationship")
    ).data(Qt.ItemDataRole.ToolTipRole)
    assert "Note: Met the CTO twice" in tooltip
    window.ctx.undo_stack.undo()
    assert _row(page, target.account_id).note_of("relationship") == target.note_of("relationship")
    assert page.notes.fields["relationship"].text() == (target.note_of("relationship") or "")


def test_ticking_the_cohort_updates_the_rules(window: Any):
    page = _page(window)
    planner = page.planner
    start = check_members(page.model.rows)
    assert planner.check == start
    candidates = [r for r in page.model.rows if not r.in_cohort]
    small = [r for r in candidates if r.segment == "small"]
    for row in small[: 3 - _count(page.model.rows, "small")] or small[:1]:
        index = _proxy_index(page, row.account_id, COHORT_COLUMN)
        page.proxy.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    now = check_members(list_prospects(window.ctx.portfolio))
    assert planner.check == now
    assert planner.is_met("small") is True
    ticked = sum(1 for r in page.model.rows if r.in_cohort)
    assert planner.rule_labels["size"].text() == f"{ticked} clients (10–15)"
    assert planner.rule_marks["small"].text() == "✓"
    assert planner.rule_marks["size"].text() == ("✓" if 10 <= ticked <= 15 else "✗")
    for name in now.unmet:
        assert planner.rule_marks[name].text() == "✗"
        assert name.replace("-", "") in planner.summary.text().replace("-", "")
    while window.ctx.undo_stack.canUndo():
        window.ctx.undo_stack.undo()
    assert planner.check == start


def _count(rows: list[ProspectRow], segment: str) -> int:
    return sum(1 for r in rows if r.in_cohort and r.segment == segment)


def test_promote_a_prospect_to_pilot_and_undo(window: Any, monkeypatch: Any):
    page = _page(window)
    target = next(r for r in page.model.rows if r.status == "prospect" and r.tier)
    page.select_account(target.account_id)
    assert page.promote_button.isEnabled()
    start = dt.date.today() + dt.timedelta(days=7)

    def fake_exec(dialog: PromoteDialog) -> int:
        dialog.discount.setValue(25.0)
        dialog.start.setDate(start)
        assert "Renewal date" in dialog.terms.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PromoteDialog, "exec", fake_exec)
    page.promote_button.click()
    row = _row(page, target.account_id)
    assert row.status == "pilot"
    assert _proxy_index(page, target.account_id, STATUS_COLUMN).data() == "Pilot"
    assert not page.promote_button.isEnabled()
    with window.ctx.portfolio.read() as s:
        acc = s.get(Account, target.account_id)
        assert (acc.status, acc.pilot_discount, acc.contract_start) == ("pilot", 0.25, start)
        assert acc.arr is not None and acc.renewal_date is not None
    window.ctx.undo_stack.undo()
    assert _row(page, target.account_id).status == "prospect"
    with window.ctx.portfolio.read() as s:
        assert s.get(Account, target.account_id).contract_start is None


def test_double_click_on_a_name_opens_the_account(window: Any, qtbot: Any):
    page = _page(window)
    target = page.model.rows[0]
    index = _proxy_index(page, target.account_id, NAME_COLUMN)
    page.table.setCurrentIndex(index)
    page.table.doubleClicked.emit(index)
    portfolio = window.portfolio_page()
    assert window.stack.currentWidget() is portfolio
    assert portfolio.showing_account
    assert portfolio.account.account_id == target.account_id


def test_scorecard_model_passes_the_model_tester(qtmodeltester: Any, demo_portfolio: Any):
    model = ScorecardModel()
    model.set_rows(list_prospects(demo_portfolio))
    qtmodeltester.check(model)
    model.set_rows(list(reversed(model.rows)))  # another order: a reset
    qtmodeltester.check(model)
