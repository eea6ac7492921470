"""The portfolio list: instant search, facet filters and the SQL-sorted account table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.services.portfolio_query import (
    BAND_VALUES,
    COLUMNS,
    RENEWAL_WINDOWS,
    STAGE_VALUES,
    STATUS_VALUES,
    Facets,
    PortfolioRow,
    TableQuery,
)
from csdesk.services.portfolio_table import count_accounts, fetch_rows, load_facets, ordered_ids
from csdesk.views.portfolio import list_state
from csdesk.views.portfolio.filter_button import FilterButton
from csdesk.views.theme import icon
from csdesk.views.widgets.delegates import BandChipDelegate
from csdesk.views.widgets.itemmodels import PortfolioTableModel
from csdesk.views.widgets.record_table import NAME_MIN_WIDTH, AccountTable

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = [
    "NAME_MIN_WIDTH",
    "SEARCH_DELAY_MS",
    "AccountTable",
    "FilterButton",
    "PortfolioView",
]

SEARCH_DELAY_MS = 150
_WIDTHS = {
    "name": 240,
    "owner": 140,
    "status": 84,
    "tier": 100,
    "arr": 96,  # room for a currency symbol: £120,000, 120.000 €
    "health": 140,
    "trend": 56,
    "stage": 130,
    "renewal": 96,
    "days_left": 88,
    "open_tasks": 112,
}
_COLUMN_KEYS = ",".join(key for key, _ in COLUMNS)
"""The columns a saved header layout was made for."""


class PortfolioView(QWidget):
    """Search, filters and the account table over the open portfolio.

    Everything it shows is read through ``ctx.table_source``: the open portfolio, or at
    start-up the read-only preview of it (same queries, same rows) until it is open.

    Signals:
        account_activated(int): the user opened an account (double-click or Enter).
    """

    account_activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = dt.date.today()
        # Filters, sort and selection belong to a portfolio: read in reload() for each one.
        self._sort_key, self._descending = "name", False
        self._state_key: str | None = None
        self._restoring = False
        self._facets: Facets | None = None
        self._total: int | None = None

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search name, owner or CRM id   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Search accounts")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._debounce.start)

        self.filters = {
            "bands": FilterButton("Band"),
            "stages": FilterButton("Stage"),
            "statuses": FilterButton("Status"),
            "owners": FilterButton("Owner"),
            "tiers": FilterButton("Tier"),
            "renewal": FilterButton("Renewal", exclusive=True),
        }
        for button in self.filters.values():
            button.selection_changed.connect(self.run_query)
        self.filters["bands"].set_values([(b, b) for b in BAND_VALUES])
        self.filters["stages"].set_values([(s, s) for s in STAGE_VALUES])
        self.filters["statuses"].set_values([(s, s.capitalize()) for s in STATUS_VALUES])
        self.filters["renewal"].set_values(list(RENEWAL_WINDOWS))
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("link")
        self.clear_button.clicked.connect(self.clear_filters)
        self.count_label = QLabel("Opening the portfolio…")
        self.count_label.setObjectName("muted")
        self.count_label.setAccessibleName("Number of accounts shown")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.search, 3)
        for button in self.filters.values():
            bar.addWidget(button)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.model = PortfolioTableModel(self._fetch, self)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table = AccountTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Accounts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegateForColumn(
            self.model.column_of("health"), BandChipDelegate(self.table)
        )
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        for key, width in _WIDTHS.items():
            header.resizeSection(self.model.column_of(key), width)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        saved = ctx.settings.value("portfolio/header")
        # A layout saved for other columns (an older csdesk) would misplace every width.
        if not saved.isEmpty() and ctx.settings.value("portfolio/header_columns") == _COLUMN_KEYS:
            header.restoreState(saved)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.name_column = self.model.column_of("name")
        header.sectionResized.connect(self._on_header_section_resized)
        header.setSortIndicator(
            self.model.column_of(self._sort_key),
            Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        self.table.account_activated.connect(self.account_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    # -- queries ---------------------------------------------------------------------------

    def query(self) -> TableQuery:
        """The query the search field, filters and sort order make."""
        renewal = self.filters["renewal"].selected()
        return TableQuery(
            search=self.search.text(),
            bands=self.filters["bands"].selected(),
            stages=self.filters["stages"].selected(),
            owners=self.filters["owners"].selected(),
            tiers=self.filters["tiers"].selected(),
            statuses=self.filters["statuses"].selected(),
            renewal_window=next(iter(renewal)) if renewal else None,
            sort_key=self._sort_key,
            descending=self._descending,
            today=self.today,
        )

    def _fetch(self, ids: Sequence[int]) -> dict[int, PortfolioRow]:
        source = self.ctx.table_source
        return {} if source is None else fetch_rows(source, ids, self.today)

    def reload(self) -> None:
        """Re-run the query after a portfolio switch or an import.

        The owners and tiers the filters offer (a scan of every account) are read when a
        filter menu is first opened, not before the table's first page.
        """
        self.today = dt.date.today()
        self._facets = None
        self._total = None
        if self.ctx.table_source is None:
            self.model.set_ids([])
            self._update_count()
            return
        selected: int | None = None
        key = list_state.source_key(self.ctx.table_source)
        if key != self._state_key:
            # Another portfolio: its own filters, sort and selection (a new one: none).
            self._state_key = key
            state = self.ctx.settings.view_state(key) if key else {}
            self._apply_view_state(state)
            chosen = state.get("selected")
            selected = chosen if isinstance(chosen, int) else None
        owners, tiers = self.filters["owners"], self.filters["tiers"]
        if owners.selected() or tiers.selected():
            self.load_facets()  # keep only the chosen values this portfolio still has
        else:
            owners.defer_values(self.load_facets)
            tiers.defer_values(self.load_facets)
        self.run_query()
        if selected is not None:
            self.select_account(selected)

    # -- the list state of each portfolio (see csdesk.views.list_state) ---------------------

    def view_state(self) -> dict[str, Any]:
        """The list's filters, sort and selected account, as saved per portfolio."""
        return list_state.capture(self)

    def _save_view_state(self) -> None:
        if not self._restoring and self._state_key:
            self.ctx.settings.set_view_state(self._state_key, self.view_state())

    def _apply_view_state(self, state: dict[str, Any]) -> None:
        """Show ``state`` (empty: no search, no filter, sorted by name) without querying."""
        self._restoring = True
        try:
            list_state.apply(self, state)
        finally:
            self._restoring = False

    def set_sort(self, key: str, descending: bool, *, query: bool = True) -> None:
        """Sort by column ``key``; ``query=False`` only sets the order and the header's arrow."""
        self._sort_key, self._descending = key, descending
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self.model.column_of(key), list_state.header_order(descending))
        header.blockSignals(False)
        if query:
            self.run_query(keep_in_view=False)
            self.table.scrollToTop()

    def _on_current_changed(self, *_args: object) -> None:
        self._save_view_state()

    def load_facets(self) -> None:
        """Offer the owners and tiers found in the portfolio."""
        source = self.ctx.table_source
        if self._facets is not None or source is None:
            return
        self._facets = facets = load_facets(source)
        self._total = facets.total
        self.filters["owners"].set_values([(o, o) for o in facets.owners])
        self.filters["tiers"].set_values([(t, t) for t in facets.tiers])

    def run_query(self, *, keep_in_view: bool = True) -> None:
        """Run the SQL query and show its ids, keeping the selected account selected.

        When the ids come back unchanged (a refresh, or the switch from the start-up preview
        to the open portfolio) only the rows are read again: the scroll position and the
        selection stay as they are.

        Args:
            keep_in_view: Scroll to the selected account (a sort passes False: it shows the
                top of the new order).
        """
        self._debounce.stop()
        source = self.ctx.table_source
        if source is None:
            return
        selected = self.selected_account()
        query = self.query()
        ids = ordered_ids(source, query)
        if not query.filtered:
            self._total = len(ids)
        if ids == self.model.ids:
            self.model.refresh_rows()
        else:
            self.model.set_ids(ids)
            if selected is not None:
                self.select_account(selected, scroll=keep_in_view)
        self._update_count()
        self._save_view_state()

    def refresh(self) -> None:
        """Something changed in the data: re-query (order and membership may have moved)."""
        if self.ctx.table_source is not None:
            self._total = None
            self.run_query()

    def _update_count(self) -> None:
        shown = len(self.model.ids)
        total = self._total_accounts()
        self.count_label.setText(
            f"{shown:,} accounts" if shown == total else f"{shown:,} of {total:,} accounts"
        )
        self.clear_button.setVisible(self.query().filtered)
        if self.ctx.table_source is None:
            self.table.set_empty_text("")
        elif total == 0:
            self.table.set_empty_text(
                "This portfolio has no accounts yet.\n\nImport a spreadsheet from your CRM "
                "(File ▸ Import spreadsheet…, Ctrl+I) or load the demo portfolio from the "
                "Portfolio menu."
            )
        else:
            self.table.set_empty_text(
                f"No account matches {self._filter_description()}.\n\nClear the filters to "
                f"see all {total:,} accounts."
            )

    def _total_accounts(self) -> int:
        """Accounts in the portfolio (counted only when a filtered list needs the figure)."""
        source = self.ctx.table_source
        if source is None:
            return 0
        if self._total is None:
            self._total = count_accounts(source)
        return self._total

    def _filter_description(self) -> str:
        """``“acme” and the Band and Owner filters`` for the empty-table message."""
        parts = []
        text = self.search.text().strip()
        if text:
            parts.append(f"“{text}”")
        active = [b.title for b in self.filters.values() if b.selected()]
        if active:
            noun = "filter" if len(active) == 1 else "filters"
            parts.append(f"the {' and '.join(active)} {noun}")
        return " and ".join(parts) if parts else "the search and filters"

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self.table.name_column:
            self.table.fit_name_column()

    def _on_model_sort_requested(self, key: str, descending: bool) -> None:
        self._sort_key, self._descending = key, descending
        self.ctx.settings.set_value("portfolio/sort_key", key)
        self.ctx.settings.set_value("portfolio/descending", descending)
        # A new order is read from its top (the lowest scores when sorting by health).
        self.run_query(keep_in_view=False)
        self.table.scrollToTop()

    def clear_filters(self) -> None:
        """Clear the search text and every filter."""
        for button in self.filters.values():
            button.blockSignals(True)
            button.set_selected(frozenset())
            button.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.run_query()

    # -- selection -------------------------------------------------------------------------

    def selected_account(self) -> int | None:
        """The account of the current row, if any."""
        index = self.table.currentIndex()
        return self.model.account_id(index.row()) if index.isValid() else None

    def select_account(self, account_id: int, *, scroll: bool = True) -> bool:
        """Make ``account_id`` the current row and scroll to it; False if it is not listed."""
        row = self.model.row_of(account_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index)
        return True

    def save_state(self) -> None:
        """Remember the column layout."""
        self.ctx.settings.set_value("portfolio/header", self.table.horizontalHeader().saveState())
        self.ctx.settings.set_value("portfolio/header_columns", _COLUMN_KEYS)
