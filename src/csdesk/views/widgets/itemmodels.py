"""Qt item models: the id-backed portfolio table and a small generic records table.

:class:`PortfolioTableModel` holds only the ordered ids the portfolio-table service returned and
fetches rows ~200 at a time as plain tuples, keeping a bounded cache of pages; ``flags()`` and
``rowCount()`` never touch the database. Sorting is delegated to SQL through a callback.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from csdesk.scoring.health import trend
from csdesk.services.portfolio_query import COLUMNS, PortfolioRow
from csdesk.views.number_format import window_formats
from csdesk.views.theme import color

__all__ = ["Column", "PortfolioTableModel", "RecordsModel", "money"]

PAGE_SIZE = 200
UNREADABLE_TEXT = "(could not be read)"
MAX_PAGES = 40

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_NUMERIC = {"arr", "days_left", "open_tasks"}
TREND_ARROWS = {"up": "▲", "down": "▼", "flat": "▶"}
HEADER_TIPS = {
    "arr": "Annual recurring revenue: the yearly contract value",
    "health": "Health score 0–100 from the health model's weighted measures, and its band:\n"
    "Excellent ≥ 90 · Good ≥ 70 · At Risk ≥ 50 · Critical below 50",
    "trend": "Health now against 30 days ago: ▲ up, ▼ down, ▶ within one point",
    "stage": "Lifecycle stage by days since the contract start: Onboarding (1–30),\n"
    "Value Realization (31–90), Optimization (91–180), Expansion (181+)",
    "status": "Active, pilot, prospect or churned: only active and pilot accounts renew",
    "renewal": "Renewal date (contract end)",
    "days_left": "Days until the renewal date; negative and red when the renewal is overdue",
    "open_tasks": "Tasks not done yet (open or snoozed)",
}
"""Header tooltips of the portfolio table, by column key."""


@cache
def _brush(hex_color: str) -> QBrush:
    """A brush of a colour, made once (cells ask for it on every repaint)."""
    return QBrush(QColor(hex_color))


@cache
def _bold_font() -> QFont:
    font = QFont()
    font.setWeight(QFont.Weight.DemiBold)
    return font


def money(value: float | Decimal | None, decimals: int = 0) -> str:
    """Money in the portfolio's currency and locale (``$30,000``, ``30.000 €``); "" for None."""
    if value is None:
        return ""
    return window_formats().money(value, cents=decimals > 0)


def _display(key: str, row: PortfolioRow) -> str:
    if key == "name":
        return row.name
    if key == "owner":
        return row.owner or ""
    if key == "status":
        return row.status.capitalize() if row.status else ""
    if key == "tier":
        return row.tier or ""
    if key == "arr":
        return money(row.arr)
    if key == "health":
        return "" if row.health_score is None else window_formats().number(row.health_score, 1)
    if key == "trend":
        direction = trend(row.health_score, row.past_score)
        return TREND_ARROWS.get(direction, "") if direction else ""
    if key == "stage":
        return row.stage or ""
    if key == "renewal":
        return row.renewal_date.isoformat() if row.renewal_date else ""
    if key == "days_left":
        return "" if row.days_left is None else f"{row.days_left:,}"
    if key == "open_tasks":
        return str(row.open_tasks) if row.open_tasks else "–"
    return ""


def _tooltip(key: str, row: PortfolioRow) -> str | None:
    if key == "name":
        return f"{row.name}\nCRM id: {row.crm_id or '—'} · status: {row.status}"
    if key == "health":
        if row.health_score is None:
            return "No score (insufficient data)"
        note = " — manual override" if row.overridden else ""
        return f"{window_formats().number(row.health_score, 1)} · {row.health_band}{note}"
    if key == "trend":
        if row.past_score is None or row.health_score is None:
            return "No score 30 days ago to compare with"
        return f"{row.health_score:.1f} now, {row.past_score:.1f} 30 days ago"
    if key == "days_left" and row.renewal_overdue:
        return "Renewal overdue"
    return None


class PortfolioTableModel(QAbstractTableModel):
    """The portfolio table: ordered account ids, rows fetched by page on demand.

    Args:
        fetch: Returns the rows of the given ids, keyed by id (the portfolio-table service).
        sorter: Called with ``(column key, descending)`` when the view asks for a sort; it
            should run the SQL query and call :meth:`set_ids`.

    Signals:
        sort_requested(str, bool): the header asked for a sort on a column key.
    """

    sort_requested = Signal(str, bool)

    def __init__(
        self,
        fetch: Callable[[Sequence[int]], dict[int, PortfolioRow]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[PortfolioRow | None]] = OrderedDict()
        self._keys = [key for key, _ in COLUMNS]
        self._headers = [header for _, header in COLUMNS]
        self.fetched_pages = 0
        self._unreadable: set[int] = set()

    # -- data ------------------------------------------------------------------------------

    def set_ids(self, ids: list[int]) -> None:
        """Show these accounts in this order (resets the view; call after a query)."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Drop cached rows and repaint (the order and the ids are unchanged)."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self._keys) - 1)
            )

    @property
    def ids(self) -> list[int]:
        """The account ids in display order."""
        return self._ids

    def account_id(self, row: int) -> int | None:
        """The account shown on ``row``."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, account_id: int) -> int | None:
        """The row showing ``account_id``, if it is in the list."""
        try:
            return self._ids.index(account_id)
        except ValueError:
            return None

    def column_of(self, key: str) -> int:
        """The column of a sort key."""
        return self._keys.index(key)

    def row_data(self, row: int) -> PortfolioRow | None:
        """The row's values, fetching its page if needed."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE_SIZE
            ids = self._ids[start : start + PAGE_SIZE]
            try:
                found = self._fetch(ids)
            except Exception:  # a damaged page, a lost server: a placeholder, never a raise
                logging.getLogger(__name__).exception(
                    "reading rows %s-%s failed", start, start + len(ids) - 1
                )
                self._unreadable.add(page_no)
                found = {}
            else:
                self._unreadable.discard(page_no)
            page = [found.get(i) for i in ids]
            self._pages[page_no] = page
            self.fetched_pages += 1
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[row % PAGE_SIZE]

    @property
    def cached_pages(self) -> int:
        """How many pages are held in memory."""
        return len(self._pages)

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._keys):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self._keys[section] in _NUMERIC else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(self._keys[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self._keys):
            return None
        if role not in _ROLES:
            return None
        row = self.row_data(index.row())
        if row is None:
            if index.row() // PAGE_SIZE in self._unreadable:
                return self._placeholder(index.column(), role)
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        key = self._keys[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _display(key, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(key, row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key == "trend":
                return _CENTER
            return _RIGHT if key in _NUMERIC else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "days_left" and row.renewal_overdue:
                return _brush(color("bad"))
            if key == "trend":
                direction = trend(row.health_score, row.past_score)
                token = {"up": "good", "down": "bad"}.get(direction or "", "muted")
                return _brush(color(token))
            if key == "open_tasks" and not row.open_tasks:
                return _brush(color("muted"))
        if role == Qt.ItemDataRole.FontRole and key == "name":
            return _bold_font()
        return None

    def row_unreadable(self, row: int) -> bool:
        """True when the row could not be read (it shows a placeholder)."""
        return row // PAGE_SIZE in self._unreadable and self.row_data(row) is None

    def _placeholder(self, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return UNREADABLE_TEXT if column == 0 else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return "This row could not be read from the portfolio; the reason is in csdesk.log."
        if role == Qt.ItemDataRole.ForegroundRole:
            return _brush(color("muted"))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._keys):
            self.sort_requested.emit(self._keys[column], order == Qt.SortOrder.DescendingOrder)


_ROLES = {
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
}


@dataclass(frozen=True)
class Column:
    """A column of a :class:`RecordsModel`.

    Attributes:
        header: Header text.
        text: The cell text of a record.
        align_right: Right-align (numbers).
        foreground: Optional colour token (``"bad"``, ``"good"`` …) per record.
        tooltip: Optional tooltip per record.
    """

    header: str
    text: Callable[[Any], str]
    align_right: bool = False
    foreground: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None


class RecordsModel(QAbstractTableModel):
    """A read-only table over a short list of records (contacts, tickets, tasks …)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the records."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        """The record on ``row``, or None."""
        return self._records[row] if 0 <= row < len(self._records) else None

    @property
    def records(self) -> list[Any]:
        """The records in display order."""
        return list(self._records)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.align_right else _LEFT
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.record(index.row())
        if record is None or index.column() >= len(self._columns):
            return None
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.align_right else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            token = column.foreground(record)
            return QBrush(QColor(color(token))) if token else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        return None
