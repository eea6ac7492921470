"""Composition root of the desktop app: settings, QApplication, theme, portfolio, main window.

Start-up order: a helper thread starts importing the database layer (SQLAlchemy, the models and
the SQL services) before anything else, while the GUI thread imports Qt and builds and paints
the window from light modules only, so the window answers the mouse and keyboard at once. The
portfolio opens on the GUI thread as soon as that import is done; the first page of the table
is read and painted, and only then does the work the first paint does not need run (the
filter values, the daily backup).
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
QUIT_WHEN_IDLE_ENV = "CSDESK_QUIT_WHEN_IDLE"
"""Set to 1 to print ``csdesk ready <epoch seconds>`` and quit once the window is shown, the
portfolio open, the first page of the table read and painted, and the event loop idle (the
cold-start benchmark)."""

_DATABASE_MODULES = ("csdesk.db", "csdesk.services.portfolio_table", "csdesk.config")


class _Preload:
    """Imports the database layer on a helper thread and reports when it is done.

    ``when_done`` may be called before or after the import ends; the callback runs once, on
    the helper thread (hand it a queued Qt signal's ``emit``) or, if the import has already
    ended, right away on the caller's thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._callback: Callable[[], Any] | None = None
        threading.Thread(target=self._run, name="csdesk-preload", daemon=True).start()

    def _run(self) -> None:
        import importlib

        try:
            for name in _DATABASE_MODULES:
                importlib.import_module(name)
        except Exception:
            # Only a head start: the GUI thread imports the same modules when it opens the
            # portfolio, and a real error surfaces there, in the window, not on this thread.
            pass
        finally:
            with self._lock:
                self._done = True
                callback = self._callback
            if callback is not None:
                callback()

    def when_done(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` once the import has ended (at once if it already has)."""
        with self._lock:
            if not self._done:
                self._callback = callback
                return
        callback()


def run_app(db: str | None) -> int:
    """Open the main window on a portfolio and run the event loop.

    Args:
        db: The portfolio path or URL from ``--db``; None opens the last portfolio used, or the
            default one in the user data folder.

    Returns:
        The process exit code.
    """
    preload = _Preload()  # first: it overlaps everything the GUI thread does below

    from PySide6.QtCore import QObject, Qt, QTimer, Signal
    from PySide6.QtWidgets import QApplication

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
    window.show()

    def open_first() -> None:
        from csdesk.config import default_portfolio

        target = db or settings.value("portfolio/last") or str(default_portfolio())
        if not window.open_portfolio(target) and db is None:
            window.open_portfolio(str(default_portfolio()))
        if os.environ.get(QUIT_WHEN_IDLE_ENV):
            _quit_when_idle(window)

    class Loader(QObject):
        """Carries "database layer imported" from the helper thread to the GUI thread."""

        loaded = Signal()

    loader = Loader()
    # Queued: the signal may be emitted on the helper thread; the slot runs on the GUI thread.
    loader.loaded.connect(open_first, Qt.ConnectionType.QueuedConnection)
    app.processEvents()  # paint the window before anything slow
    preload.when_done(loader.loaded.emit)
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()


def _quit_when_idle(window: Any) -> None:
    """Report the ready time and close once the table shows real rows and the loop is idle.

    "Ready" needs the first page of the portfolio table read and painted: until the table
    has fetched a page, the check waits for the next pass of the event loop.
    """
    import time

    from PySide6.QtCore import QTimer

    def table_filled() -> bool:
        if window.ctx.portfolio is None or "portfolio" not in window.pages:
            return True  # nothing to show: the window itself is the start
        model = window.pages["portfolio"].list.model
        return bool(model.rowCount() == 0 or model.fetched_pages > 0)

    def ready() -> None:
        if not table_filled():
            QTimer.singleShot(0, ready)
            return
        print(f"csdesk ready {time.time():.6f}", flush=True)
        window.close()

    # Opening queued layout, paint and page-fetch events; a zero timer lets them run first.
    QTimer.singleShot(0, ready)
