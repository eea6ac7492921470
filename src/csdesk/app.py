"""Composition root of the desktop app: settings, QApplication, theme, portfolio, main window."""

from __future__ import annotations

import os
import sys

__all__ = ["run_app"]

QUIT_AFTER_ENV = "CSDESK_QUIT_AFTER_MS"
"""Set to a number of milliseconds to quit the app on its own (start-up tests, timings)."""


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

    QTimer.singleShot(0, open_first)
    quit_after = os.environ.get(QUIT_AFTER_ENV)
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
