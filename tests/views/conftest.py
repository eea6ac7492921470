"""Fixtures for the desktop app: isolated settings, demo and empty portfolios, a main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from csdesk.db import Portfolio, open_portfolio
from csdesk.services.demo import build_demo


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt warnings (and worse) fail every test of the desktop app."""
    for item in items:
        if "tests/views" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform cannot size native windows; harmless, not ours.
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> None:
    """Any QSettings the code opens lands in this test's folder, never the user's."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture(autouse=True)
def _window_formats_reset() -> Iterator[None]:
    """Money in the window reads as the last portfolio opened; each test starts from USD."""
    from csdesk.reports.formatting import Formats
    from csdesk.views.number_format import set_window_formats

    yield
    set_window_formats(Formats())


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    """App settings in a temporary INI file."""
    from csdesk.views.settings import Settings

    return Settings(tmp_path / "settings.ini")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio, built once per session; tests copy it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    portfolio = open_portfolio(path)
    build_demo(portfolio)
    portfolio.close()
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    """A private copy of the demo portfolio."""
    from csdesk.db.backup import copy_database

    target = tmp_path / "demo.db"
    copy_database(demo_template, target)
    return target


@pytest.fixture
def demo_portfolio(demo_path: Path) -> Iterator[Portfolio]:
    """The demo portfolio, open."""
    portfolio = open_portfolio(demo_path)
    yield portfolio
    portfolio.close()


@pytest.fixture
def window(qtbot: Any, settings: Any, demo_path: Path) -> Iterator[Any]:
    """The main window on a copy of the demo portfolio."""
    from csdesk.views.main_window import MainWindow
    from csdesk.views.theme import apply_theme

    apply_theme(qtbot_app(qtbot), dark=False)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_portfolio(demo_path, offer_welcome=False)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ctx.worker.wait(10000)


@pytest.fixture
def empty_window(qtbot: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    """The main window on a new, empty portfolio."""
    from csdesk.views.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_portfolio(tmp_path / "empty.db", offer_welcome=False)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ctx.worker.wait(10000)


def qtbot_app(qtbot: Any) -> Any:
    """The running QApplication."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    return app
