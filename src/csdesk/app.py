"""Composition root of the desktop app: settings, QApplication, theme, portfolio, main window.

Start-up order: the window is built and painted from Qt and light modules only; the database
layer (SQLAlchemy and the SQL services) is imported on a helper thread meanwhile, so the window
answers the mouse and keyboard at once; the portfolio opens on the GUI thread when that import
is done.
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
portfolio open and the event loop idle (the cold-start benchmark)."""

_DATABASE_MODULES = ("csdesk.db", "csdesk.services.portfolio_table")


def _preload(done: Callable[[], Any]) -> None:
    """Import the database layer (runs on a helper thread), then call ``done``."""
    import importlib

    try:
        for name in _DATABASE_MODULES:
            importlib.import_module(name)
    finally:
        done()


def run_app(db: str | None) -> int:
    """Open the main window on a portfolio and run the event loop.

    Args:
        db: The portfolio path or URL from ``--db``; None opens the last portfolio used, or the
            default one in the user data folder.

    Returns:
        The process exit code.
    """
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
            _quit_when_idle(window.close)

    class Loader(QObject):
        """Carries "database layer imported" from the helper thread to the GUI thread."""

        loaded = Signal()

    loader = Loader()
    # Queued: the signal is emitted on the helper thread, the slot runs on the GUI thread.
    loader.loaded.connect(open_first, Qt.ConnectionType.QueuedConnection)
    app.processEvents()  # paint the window before anything slow
    threading.Thread(target=_preload, args=(loader.loaded.emit,), daemon=True).start()
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()


def _quit_when_idle(close: Callable[[], object]) -> None:
    """Report the ready time and close once the events queued by opening have run."""
    import time

    from PySide6.QtCore import QTimer

    def ready() -> None:
        print(f"csdesk ready {time.time():.6f}", flush=True)
        close()

    # This runs right after the portfolio opened; one more zero timer lets the layout, paint
    # and page-fetch events it queued run first.
    QTimer.singleShot(0, ready)
