"""What every page of the main window shares: the app context and the page base classes.

A page is a widget shown in the main window's stack when its sidebar entry is chosen. It gets
the :class:`AppContext` (the open portfolio, the undo stack, the writer thread, the settings)
and hears about portfolio switches and about the :class:`~csdesk.services.changes.Changes`
every edit or job reports, so it can decide what to refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import QWidget

from csdesk.views.number_format import set_window_formats
from csdesk.views.settings import Settings
from csdesk.views.theme import theme_notifier
from csdesk.views.workers import Worker

if TYPE_CHECKING:
    from csdesk.db import Portfolio
    from csdesk.db.reader import EarlyPortfolio, ReadSource
    from csdesk.services.changes import Changes

__all__ = ["AppContext", "Page", "RefreshingPage"]


class AppContext(QObject):
    """The state every view shares.

    At start-up the portfolio table may show a *preview* (a read-only first look at the file
    that needs no SQLAlchemy) until the portfolio itself is open; ``portfolio`` is None until
    then, so nothing can write or open an account meanwhile.

    Signals:
        portfolio_changed(): another portfolio (or its start-up preview) was opened, or the
            current one closed.
        changed(object): a :class:`Changes` record after an edit, undo or job.
        account_requested(int): some view asks to open an account's 360.
        error_raised(str): a user-facing error message to show.
        status_posted(str): a short message for the status bar.
    """

    portfolio_changed = Signal()
    changed = Signal(object)
    account_requested = Signal(int)
    error_raised = Signal(str)
    status_posted = Signal(str)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.worker = Worker(self)
        self.undo_stack = QUndoStack(self)
        self.portfolio: Portfolio | None = None
        self.preview: EarlyPortfolio | None = None

    @property
    def editable(self) -> bool:
        """True when edits may be made now: a writable portfolio is open, its database user may
        write (a server user with only ``csdesk_read`` may not), and no job is writing."""
        portfolio = self.portfolio
        return (
            portfolio is not None
            and portfolio.read_only is None
            and portfolio.can_write
            and not self.worker.busy
        )

    @property
    def table_source(self) -> ReadSource | None:
        """What the portfolio table reads: the open portfolio, else the start-up preview."""
        return self.portfolio if self.portfolio is not None else self.preview

    def set_preview(self, preview: EarlyPortfolio | None) -> None:
        """Show ``preview`` in the portfolio table until :meth:`set_portfolio` replaces it."""
        old = self.preview
        self.preview = preview
        self.read_formats()
        self.portfolio_changed.emit()
        if old is not None and old is not preview:
            old.close()

    def set_portfolio(self, portfolio: Portfolio | None) -> None:
        """Switch to ``portfolio``: the undo history belongs to the previous one and is cleared.

        A start-up preview is dropped: from now on the table reads the portfolio.
        """
        old, preview = self.portfolio, self.preview
        self.undo_stack.clear()
        self.portfolio, self.preview = portfolio, None
        self.read_formats()
        self.portfolio_changed.emit()
        if old is not None and old is not portfolio:
            old.close()
        if preview is not None:
            preview.close()

    def notify(self, changes: Changes) -> None:
        """Tell every view what changed; an import, restore, merge or recompute fences undo."""
        if changes.fenced_by:
            self.fence_undo(changes.account_ids or None, changes.fenced_by)
        if changes.everything:
            self.read_formats()  # the branding may have changed the currency or locale
        self.changed.emit(changes)

    def read_formats(self) -> None:
        """Show money and numbers in the portfolio's (or the preview's) currency and locale."""
        from csdesk.reports.formatting import Formats
        from csdesk.services.branding_sql import DEFAULT_CURRENCY_LOCALE, stored_currency_locale

        source = self.table_source
        currency, locale = (
            stored_currency_locale(source) if source is not None else DEFAULT_CURRENCY_LOCALE
        )
        set_window_formats(Formats(currency, locale))

    def fence_undo(self, account_ids: frozenset[int] | None, by: str) -> int:
        """Forbid undoing or redoing the edits of ``account_ids`` (None: all) made so far.

        Returns:
            How many commands were fenced.
        """
        fenced = 0
        for index in range(self.undo_stack.count()):
            command = self.undo_stack.command(index)
            touched = getattr(command, "touched", None)
            if touched is None or (account_ids is not None and not touched & account_ids):
                continue
            command.fence(f"{by} changed this account since; undo stops there")  # type: ignore[attr-defined]
            fenced += 1
        return fenced

    def report(self, error: BaseException | str) -> None:
        """Show a user-facing error (a ``CsdeskError``'s one-line message)."""
        self.error_raised.emit(str(error))


class Page(QWidget):
    """Base of the main window's pages.

    Subclasses set ``title`` and override the hooks they need.

    Args:
        ctx: The shared app context.
    """

    title = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.portfolio_changed.connect(self.on_portfolio_changed)
        ctx.changed.connect(self.on_changes)
        theme_notifier().changed.connect(self.on_theme_changed)

    def on_portfolio_changed(self) -> None:
        """Another portfolio is open: reload everything."""

    def on_changes(self, changes: Any) -> None:
        """Something changed: refresh what depends on it."""

    def on_shown(self) -> None:
        """The page became the visible one."""

    def on_theme_changed(self) -> None:
        """The app switched between light and dark: redraw what holds its own colours."""

    def focus_search(self) -> bool:
        """Put the keyboard in the page's search field; False if it has none."""
        return False


class RefreshingPage(Page):
    """A page that reads its data again only while on screen, else once it is next shown.

    Subclasses implement :meth:`reload` (which clears ``_stale``) and decide in
    :meth:`on_changes` which changes concern them, calling :meth:`refresh_when_visible`. A
    portfolio switch and a theme switch (charts and coloured labels carry the old palette's
    colours) refresh the page.

    Args:
        ctx: The shared app context.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False

    def reload(self) -> None:
        """Read the page's data again and redraw it."""
        self._stale = False

    def on_portfolio_changed(self) -> None:
        self.refresh_when_visible()

    def on_theme_changed(self) -> None:
        """Charts and coloured labels carry the old palette's colours: draw them again."""
        self.refresh_when_visible()

    def refresh_when_visible(self) -> None:
        """Reload now if the page is on screen, else when it is next shown."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def on_shown(self) -> None:
        if self._stale:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
