"""Composition root of the desktop app: settings, QApplication, theme, portfolio, main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

__all__ = ["run_app"]

QUIT_AFTER_ENV = "CSDESK_QUIT_AFTER_MS"
"""Set to a number of milliseconds to quit the app on its own (start-up tests, timings)."""
QUIT_WHEN_IDLE_ENV = "CSDESK_QUIT_WHEN_IDLE"
"""Set to 1 to print ``csdesk ready <epoch seconds>`` and quit once the window is shown, the
portfolio open and the event loop idle (the cold-start benchmark)."""


def run_app(db: str | None) -> int:
    """Open the main window on a portfolio and run the event loop.

    Args:
        db: The portfolio path or URL from ``--db``; None opens the last portfolio used, or the
            default one in the user data folder.

    Returns:
        The process exit code.
    """
    from PySide6.QtCore import QTimer
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

    # Paint the window first, then open the portfolio (SQLAlchemy is imported then).
    app.processEvents()
    QTimer.singleShot(0, open_first)
    if os.environ.get(QUIT_WHEN_IDLE_ENV):
        QTimer.singleShot(0, lambda: _quit_when_idle(window.close))
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

    # This runs right after ``open_first``; one more zero timer lets the layout, paint and
    # page-fetch events it queued run first.
    QTimer.singleShot(0, ready)
