"""Composition root of the desktop app: settings, QApplication, theme, portfolio, main window.

Start-up order: the GUI thread imports Qt and builds the window from light modules only. When
the portfolio is a SQLite file of this csdesk's schema, the portfolio table reads its sorted ids
and first page through a read-only ``sqlite3`` preview (:func:`csdesk.db.reader.open_early`: the
same SQL services, no SQLAlchemy) and paints them — the window is ready. Only then does a
helper thread import the database layer (SQLAlchemy, the models); the portfolio itself opens on
the GUI thread when that is done (schema check, daily backup) and takes the preview's place
without a visible change (same ids: the rows are re-read, scroll and selection stay). Until
then nothing can write or open an account. Any other portfolio (a URL, a new file, one that
needs an upgrade or cannot be read at once) starts that import at once and opens the normal
way, which reports any problem in the window.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["run_app"]

QUIT_AFTER_ENV = "CSDESK_QUIT_AFTER_MS"
"""Set to a number of milliseconds to quit the app on its own (start-up tests, timings)."""
PREVIEW_PAINT_WAIT_MS = 500
"""How long the database import waits for the preview's first paint (a window that is not on
screen, e.g. started minimised, paints nothing; the portfolio must open all the same)."""
QUIT_WHEN_IDLE_ENV = "CSDESK_QUIT_WHEN_IDLE"
"""Set to 1 to print ``csdesk ready <epoch seconds>`` once the window is shown, the first page of
the portfolio table read and painted and the event loop idle (the cold-start benchmark), and to
quit once the portfolio itself is open."""

_DATABASE_MODULES = ("csdesk.db", "csdesk.models")


def _import_database_layer(done: Callable[[], Any]) -> None:
    """Import the database layer on a helper thread, then call ``done`` (on that thread)."""

    def run() -> None:
        import importlib

        try:
            for name in _DATABASE_MODULES:
                importlib.import_module(name)
        except Exception:
            # Only a head start: the GUI thread imports the same modules when it opens the
            # portfolio, and a real error surfaces there, in the window, not on this thread.
            pass
        finally:
            done()

    threading.Thread(target=run, name="csdesk-preload", daemon=True).start()


def run_app(db: str | None, *, import_file: str | None = None) -> int:
    """Open the main window on a portfolio and run the event loop.

    Args:
        db: The portfolio path or URL from ``--db``; None opens the last portfolio used, or the
            default one in the user data folder.
        import_file: A file to start the import wizard on once the portfolio is open ("Open
            with csdesk" from the file manager).

    Returns:
        The process exit code.
    """
    from PySide6.QtCore import QObject, Qt, QTimer, Signal
    from PySide6.QtWidgets import QApplication

    from csdesk.config import default_portfolio
    from csdesk.db.reader import open_early
    from csdesk.views.main_window import MainWindow
    from csdesk.views.settings import Settings
    from csdesk.views.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("csdesk")
    app.setApplicationName("csdesk")
    app.setApplicationDisplayName("csdesk")
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))

    settings = Settings()
    window = MainWindow(settings)
    _install_error_reporting(window)
    target = db or settings.value("portfolio/last") or str(default_portfolio())
    # The preview is only worth it when the portfolio list is what the window shows first.
    preview = open_early(target) if window.current_page_key() == "portfolio" else None
    if preview is not None:
        window.show_preview(preview, target)
    window.show()
    quit_when_idle = bool(os.environ.get(QUIT_WHEN_IDLE_ENV))

    def open_first() -> None:
        # Unless the user has opened another portfolio meanwhile.
        if window.portfolio_target is None and not window.open_portfolio(target):
            window.drop_preview()
            if db is None:
                window.open_portfolio(str(default_portfolio()))
        if import_file is not None and window.ctx.portfolio is not None:
            from pathlib import Path

            from csdesk.views import actions

            actions.import_dialog(window, Path(import_file))
        if quit_when_idle and preview is not None:
            QTimer.singleShot(0, window.close)  # ready was reported from the preview
        elif quit_when_idle:
            _when_table_shown(window, lambda: _report_ready(window))

    class Loader(QObject):
        """Carries "database layer imported" from the helper thread to the GUI thread."""

        loaded = Signal()

    loader = Loader()
    # Queued: the signal is emitted on the helper thread; the slot runs on the GUI thread.
    loader.loaded.connect(open_first, Qt.ConnectionType.QueuedConnection)

    if preview is not None:
        if quit_when_idle:
            _when_table_shown(window, lambda: print(_ready_line(), flush=True))
        # Not before the first paint: the import would share the interpreter lock with it.
        _when_table_shown(
            window,
            lambda: _import_database_layer(loader.loaded.emit),
            give_up_ms=PREVIEW_PAINT_WAIT_MS,
        )
    else:
        app.processEvents()  # paint the window before anything slow
        _import_database_layer(loader.loaded.emit)
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()


def _install_error_reporting(window: Any) -> None:
    """Log every uncaught error (any thread) to ``csdesk.log`` and show it in a dialog with
    "Copy details"; the window stays usable."""
    from csdesk.logging_setup import install_excepthook
    from csdesk.views.error_dialog import ErrorReporter

    reporter = ErrorReporter(window)
    window.error_reporter = reporter  # kept alive with the window
    install_excepthook(reporter.report)


def _when_table_shown(
    window: Any, callback: Callable[[], Any], *, give_up_ms: int | None = None
) -> None:
    """Call ``callback`` once the table shows real rows and the event loop is idle.

    The first page of the portfolio table must have been read and painted (a portfolio table
    with no rows, or no portfolio at all, has nothing to wait for); until then the check runs
    again on the next pass of the event loop, after the queued layout, paint and fetch events.

    Args:
        window: The main window.
        callback: What to call.
        give_up_ms: Call it anyway after this long (None: wait for the paint).
    """
    import time

    from PySide6.QtCore import QTimer

    deadline = None if give_up_ms is None else time.monotonic() + give_up_ms / 1000

    def table_filled() -> bool:
        if window.ctx.table_source is None or "portfolio" not in window.pages:
            return True  # nothing to show: the window itself is the start
        model = window.pages["portfolio"].list.model
        return bool(model.rowCount() == 0 or model.fetched_pages > 0)

    def check() -> None:
        if table_filled() or (deadline is not None and time.monotonic() > deadline):
            callback()
        else:
            # A millisecond apart: the loop sleeps in between instead of spinning while a
            # window that is not on screen (minimised) paints nothing.
            QTimer.singleShot(1, check)

    QTimer.singleShot(0, check)


def _ready_line() -> str:
    import time

    return f"csdesk ready {time.time():.6f}"


def _report_ready(window: Any) -> None:
    """Print the ready line and close the window."""
    print(_ready_line(), flush=True)
    window.close()
