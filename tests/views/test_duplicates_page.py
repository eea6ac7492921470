"""The Possible duplicates page: groups with their evidence, Merge as one undoable command."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from csdesk.services.accounts import account_listing
from csdesk.services.importer import import_file
from support import SAMPLES


def _twins_window(window: Any) -> Any:
    import_file(window.ctx.portfolio, SAMPLES / "salesforce_accounts.csv")
    page = window.show_page("duplicates")
    page.reload()
    return page


def _names(window: Any) -> list[str]:
    return [r["name"] for r in account_listing(window.ctx.portfolio)]


def _select(page: Any, evidence: str, row: int) -> None:
    for i in range(page.tree.topLevelItemCount()):
        top = page.tree.topLevelItem(i)
        if evidence in top.text(0):
            page.tree.setCurrentItem(top.child(row))
            return
    raise AssertionError(evidence)


def test_groups_show_the_evidence_and_each_accounts_ids(window: Any) -> None:
    page = window.show_page("duplicates")
    page.reload()
    assert page.empty.isVisible() and not page.tree.isVisible()
    assert not page.merge_button.isEnabled()
    page = _twins_window(window)
    assert page.tree.topLevelItemCount() == 19
    assert page.tree.isVisible() and not page.empty.isVisible()
    _select(page, "harbor grocers", 0)
    top = page.tree.currentItem().parent()
    assert top.text(0) == "Same name “harbor grocers” · 2 accounts"
    assert {top.child(i).text(1) for i in range(2)} == {
        "salesforce: 0016g00000Dm000AAR",
        "salesforce: 0016g00000Xy00QAAR",
    }
    assert page.merge_button.isEnabled()
    assert "Keep 'Harbor Grocers'" in page.hint.text()


def test_merge_is_one_undoable_command(window: Any, monkeypatch: Any) -> None:
    page = _twins_window(window)
    before = _names(window)
    assert before.count("Harbor Grocers") == 2
    _select(page, "harbor grocers", 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page.merge_button.click()
    stack = window.ctx.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Merge into 'Harbor Grocers'"
    assert _names(window).count("Harbor Grocers") == 1
    page.reload()
    assert page.tree.topLevelItemCount() == 18
    stack.undo()
    assert _names(window) == before
    page.reload()
    assert page.tree.topLevelItemCount() == 19
    stack.redo()
    assert _names(window).count("Harbor Grocers") == 1


def test_a_declined_merge_changes_nothing(window: Any, monkeypatch: Any) -> None:
    page = _twins_window(window)
    before = _names(window)
    _select(page, "bistro box", 1)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    page.merge_button.click()
    assert window.ctx.undo_stack.count() == 0
    assert _names(window) == before
