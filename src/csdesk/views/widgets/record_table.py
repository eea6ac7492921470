"""Read-only table views that say something useful when they have no rows.

Every list in the app (accounts, tickets, surveys, tasks, timeline …) is one of these, so an
empty list reads "No tickets for this account yet" instead of showing a blank grid.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from csdesk.views.theme import color
from csdesk.views.widgets.itemmodels import PortfolioTableModel, RecordsModel

__all__ = ["NAME_MIN_WIDTH", "AccountTable", "EmptyTextTable", "records_table"]


class EmptyTextTable(QTableView):
    """A table view that paints :attr:`empty_text` in its viewport while it has no rows.

    Args:
        parent: The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""

    def set_empty_text(self, text: str) -> None:
        """What the table says while it has no rows (an empty string says nothing)."""
        self.empty_text = text
        self.setAccessibleDescription(text)
        self.viewport().update()

    def is_showing_empty_text(self) -> bool:
        """True when the table has no rows and an empty text to show instead."""
        model = self.model()
        return bool(self.empty_text) and (model is None or model.rowCount() == 0)

    def make_read_only(self, row_height: int) -> QHeaderView:
        """Select one whole row at a time, edit nothing, alternate row colours without a grid.

        Args:
            row_height: Height of a row in pixels.

        Returns:
            The horizontal header, its sections resizable by the user.
        """
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(row_height)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return header

    def reserve_width(self, stretch_column: int, minimum: int) -> None:
        """Keep at least ``minimum`` pixels for the column that takes the spare width.

        A stretching column otherwise shrinks to nothing ("…") when a splitter or a narrow
        window squeezes the table; this makes the table ask for the other columns' widths
        plus ``minimum``.
        """
        header = self.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != stretch_column)
        scroll = self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(others + minimum + 2 * self.frameWidth() + scroll)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.is_showing_empty_text():
            return
        painter = QPainter(self.viewport())
        painter.setPen(QColor(color("muted")))
        area = self.viewport().rect()
        # Leave a margin and keep the text to a readable measure on wide tables.
        width = min(area.width() - 32, 560)
        box = QRect(area.center().x() - width // 2, area.top() + 16, width, area.height() - 32)
        painter.drawText(
            box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
        )
        painter.end()


def records_table(
    model: RecordsModel, name: str, stretch: int | None = None, empty_text: str = ""
) -> EmptyTextTable:
    """A read-only, row-selecting table view styled like the others.

    Args:
        model: The records.
        name: Accessible name.
        stretch: The column that takes the spare width (default: the last one).
        empty_text: What the table says while it has no rows.

    Returns:
        The table view.
    """
    view = EmptyTextTable()
    view.setModel(model)
    view.setAccessibleName(name)
    header = view.make_read_only(28)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.set_empty_text(empty_text)
    return view


NAME_MIN_WIDTH = 200
"""The account column takes the width the others leave, but never less than this."""


class AccountTable(EmptyTextTable):
    """The table; double-click or Enter opens an account (``activated``).

    The account-name column takes the width the other columns leave (at least
    :data:`NAME_MIN_WIDTH`; a horizontal scroll bar appears below that).

    Signals:
        account_activated(int): the user opened an account.
    """

    account_activated = Signal(int)
    name_column = 0

    def fit_name_column(self) -> None:
        """Give the account-name column the spare width."""
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(i)
            for i in range(header.count())
            if i != self.name_column and not header.isSectionHidden(i)
        )
        width = max(NAME_MIN_WIDTH, self.viewport().width() - others)
        if header.sectionSize(self.name_column) != width:
            header.blockSignals(True)
            header.resizeSection(self.name_column, width)
            header.blockSignals(False)
            self.updateGeometries()
            self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_name_column()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Double-click and Enter, as the platform defines activating an item.
        self.activated.connect(self._on_activated)

    def _on_activated(self, index: QModelIndex) -> None:
        model = self.model()
        if isinstance(model, PortfolioTableModel):
            account_id = model.account_id(index.row())
            if account_id is not None:
                self.account_activated.emit(account_id)
