"""The portfolio list's state of one portfolio: search, filters, sort and selected account.

A CSM's filters belong to the portfolio they were set on (SPEC: "filters, sort and selection
belong to a portfolio"): the list saves its state under the portfolio's file or URL in the
app settings as it changes, and shows a portfolio's own state when it is opened — a portfolio
never seen before starts with no search, no filter and the name order.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from csdesk.services.portfolio_query import COLUMNS, TableQuery
from csdesk.views.portfolio.filter_button import FilterButton


class PortfolioView(Protocol):
    """What this module needs of the portfolio list (``csdesk.views.portfolio.view``)."""

    search: QLineEdit
    filters: dict[str, FilterButton]

    def query(self) -> TableQuery: ...

    def selected_account(self) -> int | None: ...

    def set_sort(self, key: str, descending: bool, *, query: bool = True) -> None: ...

    def load_facets(self) -> None: ...


__all__ = ["apply", "capture", "source_key"]

_SORT_KEYS = frozenset(key for key, _ in COLUMNS)


def source_key(source: object) -> str | None:
    """What names a portfolio (or its start-up preview) in the settings: its file, else its URL.

    The preview and the portfolio it becomes share the file, so the switch keeps the state.
    """
    path = getattr(source, "path", None)
    if path is not None:
        return str(path)
    url = getattr(source, "url", None)
    return str(url) if url else None


def capture(view: PortfolioView) -> dict[str, Any]:
    """The list's search, filters, sort and selected account, as JSON-able values."""
    query = view.query()
    return {
        "sort_key": query.sort_key,
        "descending": query.descending,
        "search": view.search.text(),
        "filters": {name: sorted(b.selected()) for name, b in view.filters.items()},
        "selected": view.selected_account(),
    }


def apply(view: PortfolioView, state: dict[str, Any]) -> None:
    """Show ``state`` in the list's controls without running a query.

    Unknown or damaged values fall back to the defaults: no search, no filter, name order.
    """
    key = state.get("sort_key")
    view.set_sort(
        key if key in _SORT_KEYS else "name", bool(state.get("descending", False)), query=False
    )
    saved = state.get("filters")
    filters = saved if isinstance(saved, dict) else {}
    if filters.get("owners") or filters.get("tiers"):
        view.load_facets()  # their values are read on demand: offer them before checking
    for name, button in view.filters.items():
        keys = filters.get(name)
        button.blockSignals(True)
        button.set_selected(frozenset(keys) if isinstance(keys, list) else frozenset())
        button.blockSignals(False)
    view.search.blockSignals(True)
    view.search.setText(str(state.get("search") or ""))
    view.search.blockSignals(False)


def header_order(descending: bool) -> Qt.SortOrder:
    """The header's sort indicator for a direction."""
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
