"""File ▸ Back up portfolio and File ▸ Restore from backup, driven from the main window."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from csdesk.db.backup import backup_before


def _tickets(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


def test_back_up_writes_a_copy_where_the_user_chose(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window.action_map["backup"].trigger()
    assert target.exists()
    assert _tickets(target) == _tickets(window.ctx.portfolio.path) > 0
    assert "Backed up to" in window.statusBar().currentMessage()


def test_restore_brings_back_the_backup_and_reloads_the_window(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csdesk.views.restore_dialog import RestoreDialog

    path = window.ctx.portfolio.path
    before = _tickets(path)
    assert backup_before(path, "import") is not None
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM tickets")
    assert _tickets(path) == 0
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    assert window.action_map["restore"].isEnabled()
    window.action_map["restore"].trigger()
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None and dialog.table.rowCount() >= 1
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    assert _tickets(path) == before
    assert window.ctx.portfolio is not None and window.ctx.portfolio.path == path
