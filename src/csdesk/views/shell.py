"""The window as its menus see it: the sidebar's page registry and the frame actions act on.

:class:`Shell` is the main window minus its implementation: the context, settings and the few
operations the menu handlers in :mod:`csdesk.views.actions` ask of the window.
:class:`~csdesk.views.main_window.MainWindow` implements it and installs the actions, so the
actions import this module and never the main window (no import circle between the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWizard

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from csdesk.views.page import AppContext, Page
    from csdesk.views.settings import Settings

__all__ = ["PAGES", "PageSpec", "Shell"]


@dataclass(frozen=True)
class PageSpec:
    """A sidebar entry: key, title, icon name, ``"module:Class"`` and a shortcut."""

    key: str
    title: str
    icon: str
    factory: str
    shortcut: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "portfolio", "Portfolio", "portfolio", "csdesk.views.portfolio.page:PortfolioPage", "Ctrl+1"
    ),
    PageSpec(
        "prospects", "Prospects", "prospects", "csdesk.views.prospects.page:ProspectsPage", "Ctrl+2"
    ),
    PageSpec(
        "renewals", "Renewals", "renewals", "csdesk.views.renewals.page:RenewalsPage", "Ctrl+3"
    ),
    PageSpec(
        "dashboard", "Dashboard", "dashboard", "csdesk.views.dashboard.page:DashboardPage", "Ctrl+4"
    ),
    PageSpec(
        "duplicates",
        "Possible duplicates",
        "duplicates",
        "csdesk.views.duplicates.page:DuplicatesPage",
        "Ctrl+5",
    ),
)
"""The pages of the sidebar, in order."""


class Shell(QMainWindow):
    """The main window's frame: what the menu handlers read and call.

    Attributes:
        ctx: The app context (portfolio, undo stack, writer thread).
        settings: The user's settings.
        portfolio_target: The open portfolio's file or URL, None before one is open.
        action_map: The window's actions by name (set when the actions are installed).
        recent_menu: File ▸ Open recent.
        welcome_dialog, import_wizard, export_dialog, shortcuts_dialog: The last dialog each
            action opened (kept so it is not garbage-collected while open, and so tests can
            reach it).
    """

    ctx: AppContext
    settings: Settings
    portfolio_target: str | None
    action_map: dict[str, QAction]
    recent_menu: QMenu
    welcome_dialog: QDialog
    import_wizard: QWizard
    export_dialog: QDialog
    shortcuts_dialog: QDialog

    def page(self, key: str) -> Page:
        """The page of ``key``, built on first use."""
        raise NotImplementedError

    def show_page(self, key: str) -> Page:
        """Show a page and select its sidebar entry."""
        raise NotImplementedError

    def focus_search(self) -> None:
        """Focus the shown page's search field, else the portfolio's."""
        raise NotImplementedError

    def open_portfolio(self, target: str | Path, *, offer_welcome: bool = True) -> bool:
        """Open a portfolio file (created if missing) and show it; False if it cannot be."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """Show a user-facing error without blocking."""
        raise NotImplementedError
