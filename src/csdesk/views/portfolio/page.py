"""The Portfolio page: the account list, and an account's 360 opened from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from csdesk.services.changes import Changes
from csdesk.views.page import AppContext, Page
from csdesk.views.portfolio.view import PortfolioView

__all__ = ["PortfolioPage"]


class PortfolioPage(Page):
    """The portfolio list, with an account's 360 in its place when one is opened.

    The 360 (and matplotlib with it) is built the first time an account is opened, so the
    window comes up without loading either. An account opened while the list still shows the
    start-up preview opens once the portfolio itself is open.
    """

    title = "Portfolio"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.list = PortfolioView(ctx)
        self._account: Any = None
        self._pending_account: tuple[Path, int] | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.list.account_activated.connect(self.open_account)
        self.setAccessibleName("Portfolio page")

    @property
    def account(self) -> Any:
        """The account 360 view (an ``AccountView``), built on first use."""
        if self._account is None:
            from csdesk.views.account.view import AccountView

            self._account = AccountView(self.ctx)
            self._account.back_requested.connect(self.show_list)
            self.stack.addWidget(self._account)
        return self._account

    def open_account(self, account_id: int) -> None:
        """Show an account's 360 (once the portfolio is open, if it is still opening)."""
        if self.ctx.portfolio is None:
            if self.ctx.preview is not None:
                self._pending_account = (self.ctx.preview.path, account_id)
                self.ctx.status_posted.emit("Opening the portfolio…")
            return
        if self.account.show_account(account_id):
            self.stack.setCurrentWidget(self.account)
            self.account.tabs.setFocus()

    def show_list(self) -> None:
        """Back to the list, with the account that was open selected."""
        self.stack.setCurrentWidget(self.list)
        if self._account is not None and self._account.account_id is not None:
            self.list.select_account(self._account.account_id)
        self.list.table.setFocus()

    @property
    def showing_account(self) -> bool:
        """True while an account's 360 is shown."""
        return self._account is not None and self.stack.currentWidget() is self._account

    def current_account(self) -> int | None:
        """The account whose 360 is shown, else the one selected in the list."""
        if self._account is not None and self.showing_account:
            account_id: int = self._account.account_id
            return account_id
        return self.list.selected_account()

    def filtered_ids(self) -> list[int]:
        """The accounts the list shows (search and filters applied), in its order."""
        return list(self.list.model.ids)

    def on_portfolio_changed(self) -> None:
        if self._account is not None:
            self._account.account_id = None
        self.stack.setCurrentWidget(self.list)
        self.list.reload()
        pending = self._pending_account
        if self.ctx.preview is None:
            self._pending_account = None
            portfolio = self.ctx.portfolio
            if pending is not None and portfolio is not None and portfolio.path == pending[0]:
                self.open_account(pending[1])

    def on_changes(self, changes: Any) -> None:
        if not isinstance(changes, Changes):
            return
        if changes.everything or changes.accounts:
            self.list.reload()  # new accounts, and owners or tiers the filters must offer
        elif changes.health or changes.tasks:
            self.list.refresh()

    def on_theme_changed(self) -> None:
        """The 360's charts and coloured figures carry the old palette: draw them again."""
        if self._account is not None and self._account.account_id is not None:
            self._account.reload_when_visible()

    def focus_search(self) -> bool:
        self.show_list()
        self.list.search.setFocus()
        self.list.search.selectAll()
        return True

    def save_state(self) -> None:
        """Remember the table layout."""
        self.list.save_state()
