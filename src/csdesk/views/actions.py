"""The main window's menus and actions, and their thin handlers (dialog → one service call).

Every action lives in a menu with its shortcut. Long writes (demo, import, recompute) run on the
writer thread; their results come back as a ``Changes`` record the pages refresh from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox

from csdesk.services.changes import Changes
from csdesk.views import dialogs
from csdesk.views.theme import icon

if TYPE_CHECKING:
    from csdesk.views.shell import Shell

__all__ = [
    "SHORTCUTS",
    "SHORTCUT_GROUPS",
    "install",
    "load_demo",
    "offer_welcome",
    "recompute",
    "update",
]

SHORTCUT_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("Ctrl+1 … Ctrl+5", "Portfolio, Prospects, Renewals, Dashboard, Possible duplicates"),
            ("Ctrl+F", "Search (the page's own, else the portfolio's)"),
            ("Ctrl+I", "Import a spreadsheet"),
            ("Ctrl+E", "Export a business case, a batch or the portfolio workbook"),
            ("Ctrl+R", "Recompute health"),
            ("Ctrl+Z", "Undo the last edit"),
            ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
            ("Ctrl+N / Ctrl+O", "New / open portfolio"),
            ("F1", "This list"),
            ("Ctrl+Q", "Quit"),
        ),
    ),
    (
        "Lists",
        (
            ("↑ ↓, Page Up / Down", "Move through the accounts"),
            ("Enter or double-click", "Open the selected account"),
        ),
    ),
    (
        "Account 360",
        (
            ("Esc", "Back to the portfolio, with the account selected"),
            ("Ctrl+Tab / Ctrl+Shift+Tab", "Next / previous section"),
        ),
    ),
)
"""Every keyboard shortcut, grouped by where it works (Help ▸ Keyboard shortcuts)."""

SHORTCUTS: tuple[tuple[str, str], ...] = tuple(
    pair for _group, pairs in SHORTCUT_GROUPS for pair in pairs
)
"""The same shortcuts as one list."""


def _action(
    window: Shell,
    text: str,
    slot: Any,
    shortcut: str | QKeySequence | None = None,
    icon_name: str | None = None,
) -> QAction:
    action = QAction(text, window)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _=False: slot())
    return action


def install(window: Shell) -> dict[str, QAction]:
    """Create the menus and actions of ``window``; return the actions by name."""
    from csdesk.views.shell import PAGES

    a: dict[str, QAction] = {
        "new": _action(window, "&New portfolio…", lambda: new_portfolio(window), "Ctrl+N", "new"),
        "open": _action(
            window, "&Open portfolio…", lambda: open_portfolio(window), "Ctrl+O", "open"
        ),
        "import": _action(
            window, "&Import spreadsheet…", lambda: import_dialog(window), "Ctrl+I", "import"
        ),
        "export": _action(
            window, "&Export business case…", lambda: export_dialog(window), "Ctrl+E", "export"
        ),
        "backup": _action(window, "&Back up portfolio…", lambda: backup_portfolio(window)),
        "restore": _action(
            window, "Restore from &backup…", lambda: restore_portfolio(window), None, "open"
        ),
        "quit": _action(window, "&Quit", window.close, "Ctrl+Q"),
        "undo": _action(window, "&Undo", window.ctx.undo_stack.undo, "Ctrl+Z", "undo"),
        "redo": _action(window, "&Redo", window.ctx.undo_stack.redo, "Ctrl+Shift+Z", "redo"),
        "find": _action(window, "&Find…", window.focus_search, "Ctrl+F", "search"),
        "recompute": _action(
            window, "&Recompute health", lambda: recompute(window), "Ctrl+R", "recompute"
        ),
        "demo": _action(
            window, "Load the &demo portfolio", lambda: load_demo(window), None, "demo"
        ),
        "branding": _action(window, "&Branding and currency…", lambda: edit_branding(window)),
        "shortcuts": _action(window, "&Keyboard shortcuts", lambda: show_shortcuts(window), "F1"),
        "about": _action(window, "&About csdesk", lambda: show_about(window)),
    }
    a["redo"].setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    a["quit"].setMenuRole(QAction.MenuRole.QuitRole)
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a["new"], a["open"]])
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    file_menu.addSeparator()
    file_menu.addActions([a["import"], a["export"]])
    file_menu.addSeparator()
    file_menu.addActions([a["backup"], a["restore"]])
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([a["undo"], a["redo"]])
    edit_menu.addSeparator()
    edit_menu.addAction(a["find"])
    view_menu = bar.addMenu("&View")
    for spec in PAGES:
        page_action = _action(
            window, spec.title, lambda k=spec.key: window.show_page(k), spec.shortcut, spec.icon
        )
        a[f"page:{spec.key}"] = page_action
        view_menu.addAction(page_action)
    portfolio_menu = bar.addMenu("&Portfolio")
    portfolio_menu.addActions([a["recompute"], a["demo"]])
    portfolio_menu.addSeparator()
    portfolio_menu.addAction(a["branding"])
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([a["shortcuts"], a["about"]])
    return a


def update(window: Shell) -> None:
    """Enable the actions that make sense now."""
    a = window.action_map
    stack = window.ctx.undo_stack
    can_write = window.ctx.editable
    a["undo"].setEnabled(can_write and stack.canUndo())
    a["redo"].setEnabled(can_write and stack.canRedo())
    a["undo"].setText(f"&Undo {stack.undoText()}".rstrip())
    a["redo"].setText(f"&Redo {stack.redoText()}".rstrip())
    for name in ("import", "recompute", "demo", "branding"):
        a[name].setEnabled(can_write)
    a["export"].setEnabled(window.ctx.portfolio is not None)
    is_file = window.ctx.portfolio is not None and window.ctx.portfolio.path is not None
    a["backup"].setEnabled(is_file)
    a["restore"].setEnabled(is_file and can_write)
    busy = window.ctx.worker.busy
    a["new"].setEnabled(not busy)
    a["open"].setEnabled(not busy)


def _fill_recent(window: Shell) -> None:
    menu = window.recent_menu
    menu.clear()
    recent = window.settings.recent_portfolios()
    for path in recent:
        menu.addAction(path).triggered.connect(lambda _=False, p=path: window.open_portfolio(p))
    if not recent:
        menu.addAction("No recent portfolios").setEnabled(False)


# -- handlers ------------------------------------------------------------------------------


def new_portfolio(window: Shell) -> None:
    """File ▸ New portfolio: ask for a file name, create it, offer the welcome choices."""
    path = dialogs.ask_new_portfolio(window, window.portfolio_target)
    if path is None:
        return
    if Path(path).exists():
        window.show_error(f"{path} already exists; use File ▸ Open portfolio to open it")
        return
    window.open_portfolio(path)


def open_portfolio(window: Shell) -> None:
    """File ▸ Open portfolio."""
    path = dialogs.ask_open_portfolio(window, window.portfolio_target)
    if path is not None:
        window.open_portfolio(path, offer_welcome=False)


def backup_portfolio(window: Shell) -> None:
    """File ▸ Back up portfolio: copy the open portfolio to a file the user picks."""
    from PySide6.QtWidgets import QFileDialog

    portfolio = window.ctx.portfolio
    if portfolio is None or portfolio.path is None:
        window.show_error("Only a portfolio file can be backed up from here")
        return
    suggested = str(portfolio.path.with_name(f"{portfolio.path.stem}-copy.db"))
    target, _ = QFileDialog.getSaveFileName(
        window, "Back up portfolio", suggested, "csdesk portfolio (*.db)"
    )
    if not target:
        return
    from csdesk.errors import CsdeskError
    from csdesk.services.backups import backup_to

    try:
        written = backup_to(portfolio, Path(target))
    except CsdeskError as exc:
        window.show_error(str(exc))
        return
    window.statusBar().showMessage(f"Backed up to {written}", 10000)


def restore_portfolio(window: Shell) -> None:
    """File ▸ Restore from backup: pick a restore point; reopen the portfolio once restored."""
    from csdesk.views.restore_dialog import RestoreDialog

    portfolio = window.ctx.portfolio
    if portfolio is None or portfolio.path is None:
        window.show_error("Only a portfolio file can be restored from a backup")
        return
    target = portfolio.path
    dialog = RestoreDialog(portfolio, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.restored.connect(lambda _kept: window.open_portfolio(target, offer_welcome=False))
    dialog.open()


def offer_welcome(window: Shell) -> None:
    """Offer demo / import / empty for an empty portfolio (once per portfolio)."""
    if window.ctx.portfolio is None or window.portfolio_target is None:
        return
    target = window.portfolio_target
    dialog = dialogs.WelcomeDialog(window.ctx.portfolio.display_name, window)
    window.welcome_dialog = dialog

    def chosen(_result: int) -> None:
        window.settings.mark_welcomed(target)
        if dialog.choice is dialogs.WelcomeChoice.DEMO:
            load_demo(window)
        elif dialog.choice is dialogs.WelcomeChoice.IMPORT:
            import_dialog(window)

    dialog.finished.connect(chosen)
    dialog.open()


def _failed(window: Shell, exc: BaseException) -> None:
    from csdesk.errors import CancelledError, CsdeskError

    if isinstance(exc, CancelledError):
        window.statusBar().showMessage(str(exc), 8000)
    elif isinstance(exc, CsdeskError):
        window.show_error(str(exc))
    else:
        window.show_error(f"unexpected error: {type(exc).__name__}: {exc}")


def _changed(window: Shell, message: str, changes: Changes) -> None:
    window.statusBar().showMessage(message, 10000)
    window.ctx.notify(changes)


def load_demo(window: Shell) -> None:
    """Portfolio ▸ Load the demo: fill the (empty) portfolio on the writer thread."""
    from csdesk.services.demo import build_demo

    portfolio = window.ctx.portfolio
    if portfolio is None:
        return
    window.ctx.worker.submit(
        lambda _progress: build_demo(portfolio),
        "Loading the demo portfolio",
        on_done=lambda summary: _changed(
            window, f"Demo portfolio loaded: {summary}", Changes(everything=True)
        ),
        on_error=lambda exc: _failed(window, exc),
    )


def recompute(window: Shell) -> None:
    """Portfolio ▸ Recompute health, on the writer thread with progress and cancel."""
    from csdesk.services.recompute import recompute_health

    portfolio = window.ctx.portfolio
    if portfolio is None:
        return
    window.ctx.worker.submit(
        lambda progress: recompute_health(portfolio, progress=progress),
        "Recomputing health",
        on_done=lambda result: _changed(window, result.describe().capitalize(), result.changes),
        on_error=lambda exc: _failed(window, exc),
    )


def import_dialog(window: Shell, path: Path | None = None) -> None:
    """File ▸ Import (or a file dropped on the window): the import wizard."""
    from csdesk.views.import_wizard.wizard import open_import_wizard

    if window.ctx.portfolio is not None:
        window.import_wizard = open_import_wizard(window.ctx, window, path)


def export_dialog(window: Shell) -> None:
    """File ▸ Export: a business case, a batch of them, or the portfolio workbook."""
    from csdesk.views.export.dialog import open_export_dialog

    if window.ctx.portfolio is None:
        return
    page: Any = window.page("portfolio")
    window.export_dialog = open_export_dialog(
        window.ctx, page.current_account(), page.filtered_ids(), window
    )


def edit_branding(window: Shell) -> None:
    """Portfolio ▸ Branding and currency: the dialog, then one undoable save."""
    from csdesk.services.branding import load_branding
    from csdesk.views.branding_dialog import BrandingDialog, SaveBrandingCommand

    portfolio = window.ctx.portfolio
    if portfolio is None or not window.ctx.editable:
        return
    with portfolio.read() as session:
        branding = load_branding(session)
    dialog = BrandingDialog(branding, window)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        chosen = dialog.checked()
        if chosen is not None:
            window.ctx.undo_stack.push(SaveBrandingCommand(window.ctx, chosen))


def show_shortcuts(window: Shell) -> None:
    """Help ▸ Keyboard shortcuts (a window-modal dialog that does not block)."""
    dialog = dialogs.ShortcutsDialog(SHORTCUT_GROUPS, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.shortcuts_dialog = dialog
    dialog.open()


def show_about(window: Shell) -> None:
    """Help ▸ About."""
    from csdesk import __version__

    QMessageBox.about(
        window,
        "About csdesk",
        f"<b>csdesk {__version__}</b><br>Offline account-planning desk for Customer Success "
        "Managers.",
    )
