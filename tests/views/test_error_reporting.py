"""Unexpected errors in the window: logged with their traceback, shown with "Copy details", the
window still usable; unreadable table rows show a placeholder; read-only portfolios open
read-only (SPEC 7)."""

from __future__ import annotations

import logging
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from csdesk.logging_setup import install_excepthook, log_path, setup_logging
from csdesk.views.error_dialog import ErrorDialog, ErrorReporter
from csdesk.views.widgets.itemmodels import UNREADABLE_TEXT, PortfolioTableModel


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("CSDESK_DATA_DIR", str(folder))
    import csdesk.logging_setup as logging_setup

    monkeypatch.setattr(logging_setup, "_handler", None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    logger = logging.getLogger("csdesk")
    before = list(logger.handlers)
    yield folder
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()


def test_the_hook_logs_the_traceback_and_reports_any_thread(qtbot: Any, data_dir: Path) -> None:
    reporter = ErrorReporter()
    install_excepthook(reporter.report)

    def fails() -> None:
        raise RuntimeError("rows went missing")

    thread = threading.Thread(target=fails)
    with qtbot.waitSignal(reporter.raised, timeout=5000) as raised:
        thread.start()
        thread.join()
    summary, details = raised.args
    assert "RuntimeError: rows went missing" in summary and str(log_path()) in summary
    assert "Traceback" in details and "in fails" in details
    logged = log_path().read_text(encoding="utf-8")
    assert "rows went missing" in logged and "in fails" in logged
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    first = reporter.dialog
    reporter.report("again", "details")  # one dialog at a time
    qtbot.wait(50)
    assert reporter.dialog is first
    assert first is not None
    first.close()


def test_copy_details_puts_the_traceback_on_the_clipboard(qtbot: Any) -> None:
    dialog = ErrorDialog("unexpected error (KeyError: 'x')", "Traceback…\nKeyError: 'x'")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.text.isVisible()
    dialog.toggle.click()
    assert dialog.text.isVisible()
    dialog.copy.click()
    assert QApplication.clipboard().text() == "Traceback…\nKeyError: 'x'"
    assert dialog.copy.text() == "Copied"


def test_a_failed_read_shows_a_placeholder_row_instead_of_raising(
    qtbot: Any, data_dir: Path
) -> None:
    calls = []

    def fetch(ids: Any) -> Any:
        calls.append(list(ids))
        raise OSError("disk I/O error")

    setup_logging()
    model = PortfolioTableModel(fetch)
    model.set_ids([1, 2, 3])
    index = model.index(0, 0)
    assert model.data(index) == UNREADABLE_TEXT
    assert model.data(model.index(1, 2)) == ""
    assert "could not be read" in model.data(index, 3)  # ToolTipRole
    assert model.row_unreadable(2)
    assert "disk I/O error" in log_path().read_text(encoding="utf-8")


def test_an_unexpected_error_in_an_action_opens_the_details_dialog(
    window: Any, qtbot: Any, data_dir: Path
) -> None:
    from csdesk.views import actions

    try:
        {}["missing"]
    except KeyError as exc:
        actions._failed(window, exc)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    assert dialogs and "KeyError" in dialogs[-1].details
    assert "unexpected error" in window.statusBar().currentMessage()
    for dialog in dialogs:
        dialog.close()


def test_a_damaged_portfolio_opens_read_only_in_the_window(
    qtbot: Any, settings: Any, demo_path: Path, tmp_path: Path
) -> None:
    from csdesk.views.main_window import MainWindow

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(demo_path, damaged)
    pages = damaged.stat().st_size // 4096
    with damaged.open("r+b") as fh:
        fh.seek((pages // 2) * 4096)
        fh.write(b"\xa5" * 4096)
    before = damaged.read_bytes()
    win = MainWindow(settings)
    qtbot.addWidget(win)
    messages: list[str] = []
    win.show_error = messages.append  # type: ignore[method-assign]
    assert win.open_portfolio(damaged, offer_welcome=False)
    assert not win.ctx.editable
    assert messages and "damaged" in messages[0] and "csdesk restore" in messages[0]
    win.close()
    win.ctx.portfolio.close()
    assert damaged.read_bytes() == before
