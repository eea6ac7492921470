"""The main window: menus, actions, sidebar navigation between pages, and portfolio switching.

Pages are registered in :data:`~csdesk.views.shell.PAGES`; each is a
:class:`~csdesk.views.page.Page` subclass in its screen's package, imported and built the first
time it is shown. To add a page, write the package and add one :class:`PageSpec` line there.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csdesk.urls import public_url
from csdesk.views import actions
from csdesk.views.job_status import JobStatus
from csdesk.views.page import AppContext, Page
from csdesk.views.settings import Settings
from csdesk.views.shell import PAGES, PageSpec, Shell
from csdesk.views.theme import icon
from csdesk.views.widgets.field_undo import FieldUndoKeys

if TYPE_CHECKING:
    from csdesk.sqlread import EarlyPortfolio
    from csdesk.views.dialogs import ShortcutsDialog, WelcomeDialog
    from csdesk.views.export.dialog import ExportDialog
    from csdesk.views.import_wizard.wizard import ImportWizard

__all__ = ["PAGES", "MainWindow", "PageSpec"]


IMPORTABLE_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx"})
"""Files that may be dropped on the window to import them."""


def _build(spec: PageSpec, ctx: AppContext) -> Page:
    module_name, class_name = spec.factory.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    page: Page = cls(ctx)
    return page


class MainWindow(Shell):
    """The csdesk window."""

    # Set by csdesk.views.actions: the File menu's recent list, and the last dialog each action
    # opened (kept so it is not garbage-collected while open, and so tests can reach it).
    recent_menu: QMenu
    welcome_dialog: WelcomeDialog
    import_wizard: ImportWizard
    export_dialog: ExportDialog
    shortcuts_dialog: ShortcutsDialog

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ctx = AppContext(settings, self)
        self.portfolio_target: str | None = None
        self.pages: dict[str, Page] = {}
        self.setWindowTitle("csdesk")
        self.setWindowIcon(icon("csdesk"))
        self.setAccessibleName("csdesk main window")
        self.setAcceptDrops(True)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Navigation")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(224)  # "Possible duplicates" in bold, whole
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        for spec in PAGES:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.title} ({spec.shortcut})")
            self.sidebar.addItem(item)
        self.stack = QStackedWidget()
        brand = QLabel("csdesk")
        brand.setObjectName("brand")
        self.portfolio_label = QLabel()
        self.portfolio_label.setObjectName("portfolioName")
        side = QWidget()
        side.setObjectName("sideColumn")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.portfolio_label)
        side_layout.addWidget(self.sidebar, 1)
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.job_status = JobStatus(self.ctx.worker)
        self.statusBar().addPermanentWidget(self.job_status)
        self.action_map = actions.install(self)
        self.field_undo = FieldUndoKeys(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.field_undo)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)
        self.ctx.error_raised.connect(self.show_error)
        self.ctx.account_requested.connect(self.open_account)
        self.ctx.status_posted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.ctx.worker.busy_changed.connect(self._update_actions)
        self.ctx.undo_stack.indexChanged.connect(self._update_actions)

        self.resize(1400, 880)
        geometry = settings.value("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        keys = [spec.key for spec in PAGES]
        start = settings.value("window/page")
        self.show_page(start if start in keys else "portfolio")
        self._update_actions()

    # -- pages -----------------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page of ``key``, built on first use."""
        if key not in self.pages:
            spec = next(s for s in PAGES if s.key == key)
            page = _build(spec, self.ctx)
            self.pages[key] = page
            self.stack.addWidget(page)
            if self.ctx.portfolio is not None:
                page.on_portfolio_changed()
        return self.pages[key]

    def show_page(self, key: str) -> Page:
        """Show a page and select its sidebar entry."""
        row = [spec.key for spec in PAGES].index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)  # shows the page through the signal
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        return page

    def current_page_key(self) -> str | None:
        """The key of the page on screen."""
        current = self.stack.currentWidget()
        return next((key for key, page in self.pages.items() if page is current), None)

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            key = PAGES[row].key
            page = self.page(key)
            self.stack.setCurrentWidget(page)
            self.settings.set_value("window/page", key)
            page.on_shown()

    def portfolio_page(self) -> Any:
        """The Portfolio page (list and account 360)."""
        return self.page("portfolio")

    def open_account(self, account_id: int) -> None:
        """Show an account's 360."""
        self.show_page("portfolio")
        self.portfolio_page().open_account(account_id)

    def focus_search(self) -> None:
        """Ctrl+F: the shown page's search field, else the portfolio's."""
        current = self.stack.currentWidget()
        if isinstance(current, Page) and current.focus_search():
            return
        self.show_page("portfolio").focus_search()

    # -- portfolios ------------------------------------------------------------------------

    def open_portfolio(self, target: str | Path, *, offer_welcome: bool = True) -> bool:
        """Open a portfolio file (created if missing) and show it; False if it cannot be."""
        from csdesk.db import open_portfolio
        from csdesk.errors import CsdeskError
        from csdesk.services.portfolio_table import count_accounts

        if self.ctx.worker.busy:
            self.show_error("wait for the running task to finish before switching portfolios")
            return False
        text = str(target)
        try:
            # A read-only or damaged file opens read-only: it can be looked at and exported.
            portfolio = open_portfolio(text, for_writing=False)
        except CsdeskError as exc:
            self.settings.forget_portfolio(text)
            self.show_error(str(exc))
            return False
        self.portfolio_target = text
        self.ctx.set_portfolio(portfolio)
        self.settings.remember_portfolio(text)
        self._show_name(portfolio.display_name, public_url(text))
        self._update_actions()
        if portfolio.read_only == "it is damaged":
            self.show_error(
                f"{portfolio.read_only_error()} (here: File ▸ Restore from backup…); "
                "until then it is open read-only"
            )
        elif portfolio.read_only is not None:
            self.show_error(
                f"{portfolio.display_name} is open read-only ({portfolio.read_only}): you can "
                "look at it and export from it; edits and imports are off"
            )
        if offer_welcome and not self.settings.was_welcomed(text) and not count_accounts(portfolio):
            QTimer.singleShot(0, lambda: actions.offer_welcome(self))
        return True

    def show_preview(self, preview: EarlyPortfolio, target: str) -> None:
        """Show the start-up preview of ``target`` until :meth:`open_portfolio` opens it.

        The portfolio table shows its rows; everything that needs the open portfolio (an
        account's 360, import, edits, export) waits for it.
        """
        self._show_name(preview.display_name, target)
        self.ctx.set_preview(preview)

    def drop_preview(self) -> None:
        """Forget the start-up preview (its portfolio could not be opened)."""
        if self.ctx.preview is not None:
            self._show_name(None, None)
            self.ctx.set_preview(None)

    def _show_name(self, name: str | None, target: str | None) -> None:
        self.setWindowTitle(f"{name} — csdesk" if name else "csdesk")
        self.portfolio_label.setText(name or "")
        self.portfolio_label.setToolTip(target or "")

    # -- state -----------------------------------------------------------------------------

    def _update_actions(self, *_args: object) -> None:
        actions.update(self)

    def show_error(self, message: str) -> None:
        """Show a user-facing error without blocking (status bar and a message box)."""
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, "csdesk", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def dropped_file(self, event: QDragEnterEvent | QDropEvent) -> Path | None:
        """The spreadsheet being dragged onto the window, if it is one csdesk can import."""
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile() or not self.ctx.editable:
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in IMPORTABLE_SUFFIXES else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.dropped_file(event)
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        actions.import_dialog(self, path)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.worker.cancel_all()
        self.ctx.worker.wait(15000)
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value("window/state", self.saveState())
        if "portfolio" in self.pages:
            self.portfolio_page().save_state()
        self.settings.sync()
        if self.ctx.portfolio is not None:
            self.ctx.portfolio.close()
        if self.ctx.preview is not None:
            self.ctx.preview.close()
            self.ctx.preview = None
        super().closeEvent(event)
