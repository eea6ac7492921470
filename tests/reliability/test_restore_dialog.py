"""The "Restore from backup…" dialog lists restore points and restores the chosen one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from reliability_support import digest

from csdesk.db.backup import backup_before, list_backups
from csdesk.views.restore_dialog import RestoreDialog, format_size


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Answer message boxes without showing them; record what they said."""
    said: dict[str, Any] = {"question": QMessageBox.StandardButton.Yes, "shown": []}

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        said["shown"].append(("question", text))
        return said["question"]

    def note(kind: str) -> Any:
        def show(_parent: object, _title: str, text: str, *_args: object) -> object:
            said["shown"].append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(note("information")))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(note("warning")))
    return said


def _delete_tickets(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM tickets")
    conn.commit()
    conn.close()


def test_lists_points_newest_first_and_restores_the_chosen_one(
    qtbot: Any, demo_db: Path, answers: dict[str, Any]
) -> None:
    assert backup_before(demo_db, "import") is not None
    original = digest(demo_db)
    _delete_tickets(demo_db)
    newer = backup_before(demo_db, "daily")
    dialog = RestoreDialog(demo_db)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.item(r, 1).text() for r in range(2)] == ["Daily backup", "Before an import"]
    assert table.item(0, 2).text() == format_size(newer.stat().st_size)  # type: ignore[union-attr]
    assert dialog.selected_point().path == newer  # type: ignore[union-attr]
    assert dialog.restore_button.isEnabled()
    table.selectRow(1)
    with qtbot.waitSignal(dialog.restored) as signal:
        dialog.restore_button.click()
    kept = signal.args[0]
    assert digest(demo_db) == original
    assert kept in [b.path for b in list_backups(demo_db)] and digest(kept) != original
    assert dialog.result() == QDialog.DialogCode.Accepted
    kinds = [kind for kind, _ in answers["shown"]]
    assert kinds == ["question", "information"]
    assert kept.name in answers["shown"][1][1]


def test_cancel_and_failures_change_nothing(
    qtbot: Any, demo_db: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    backup_before(demo_db, "import")
    _delete_tickets(demo_db)
    before = digest(demo_db)
    dialog = RestoreDialog(demo_db)
    qtbot.addWidget(dialog)
    answers["question"] = QMessageBox.StandardButton.Cancel
    dialog.restore_button.click()
    assert digest(demo_db) == before
    answers["question"] = QMessageBox.StandardButton.Yes
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"PK\x03\x04 not a database")
    assert dialog.restore(junk, junk.name) is False
    kind, text = answers["shown"][-1]
    assert kind == "warning" and "not a SQLite database" in text
    assert digest(demo_db) == before
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_without_backups_the_dialog_says_so(qtbot: Any, demo_db: Path) -> None:
    dialog = RestoreDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.isHidden() and dialog.empty_label.isVisible()
    assert not dialog.restore_button.isEnabled()
    assert dialog.file_button.isEnabled()


@pytest.mark.parametrize(
    ("size", "text"),
    [(900, "1 KB"), (812_000, "793 KB"), (4_400_000, "4.2 MB"), (3 << 30, "3.0 GB")],
)
def test_sizes_read_like_a_file_manager(size: int, text: str) -> None:
    assert format_size(size) == text
