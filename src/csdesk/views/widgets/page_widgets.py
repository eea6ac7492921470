"""Small widgets the pages share: band chips in record tables, a segmented choice, clickable
record lists that open an account, figure cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.views.widgets.delegates import BandChipDelegate
from csdesk.views.widgets.itemmodels import RecordsModel
from csdesk.views.widgets.record_table import EmptyTextTable

__all__ = ["AccountList", "FigureCard", "RecordBandDelegate", "SegmentedChoice"]

_Index = QModelIndex | QPersistentModelIndex


class RecordBandDelegate(BandChipDelegate):
    """Paints a record's ``health_score`` as a chip in its ``health_band`` colour, then the band.

    Works on a :class:`RecordsModel` whose records have those two attributes; the record is read
    from the model in Python. Records carry no override mark.
    """

    min_width = 130
    show_override = False

    def row_at(self, index: _Index) -> Any:
        """The record behind ``index``, or None."""
        model = index.model()
        return model.record(index.row()) if isinstance(model, RecordsModel) else None


class AccountList(EmptyTextTable):
    """A read-only record table whose double-click or Enter opens the row's account.

    Records need an ``account_id`` attribute. ``widths`` sizes the first columns; the
    ``stretch`` column (default: the last) takes the spare width.

    Signals:
        account_activated(int): the user opened an account.
    """

    account_activated = Signal(int)

    def __init__(
        self,
        model: RecordsModel,
        name: str,
        widths: Sequence[int] = (),
        parent: QWidget | None = None,
        *,
        stretch: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(name)
        header = self.make_read_only(30)
        header.setStretchLastSection(stretch is None)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.activated.connect(self._on_activated)  # double-click and Enter

    def records_model(self) -> RecordsModel:
        """The table's records."""
        model = self.model()
        assert isinstance(model, RecordsModel)
        return model

    def current_record(self) -> Any:
        """The record of the current row, or None."""
        index = self.currentIndex()
        return self.records_model().record(index.row()) if index.isValid() else None

    def _on_activated(self, index: QModelIndex) -> None:
        record = self.records_model().record(index.row())
        account_id = getattr(record, "account_id", None)
        if isinstance(account_id, int):
            self.account_activated.emit(account_id)


class SegmentedChoice(QWidget):
    """A row of exclusive toggle buttons (``30 days``, ``60 days`` …).

    Signals:
        chosen(int): the value of the button the user picked.
    """

    chosen = Signal(int)

    def __init__(
        self, options: Sequence[tuple[int, str]], name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for value, label in options:
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setAccessibleName(label)
            self.group.addButton(button, value)
            self.buttons[value] = button
            layout.addWidget(button)
        self.group.idToggled.connect(self._on_group_id_toggled)

    def value(self) -> int:
        """The checked value."""
        return self.group.checkedId()

    def set_value(self, value: int) -> None:
        """Check the button of ``value`` (emits :attr:`chosen` when it changes)."""
        self.buttons[value].setChecked(True)

    def _on_group_id_toggled(self, value: int, checked: bool) -> None:
        button = self.buttons[value]
        button.setProperty("active", checked)
        button.style().unpolish(button)
        button.style().polish(button)
        if checked:
            self.chosen.emit(value)


class FigureCard(QFrame):
    """A small card: caption, big value, note (the account header's figures, the KPI tiles).

    Args:
        caption: The caption, shown in capitals; also the card's accessible name.
        wrap_note: Wrap a long note over several lines.
        stretch: Keep the caption, value and note at the top of a taller card.
    """

    def __init__(
        self,
        caption: str,
        parent: QWidget | None = None,
        *,
        wrap_note: bool = False,
        stretch: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        self.caption = QLabel(caption.upper())
        self.caption.setObjectName("figureLabel")
        self.value = QLabel("—")
        self.value.setObjectName("figureValue")
        self.note = QLabel("")
        self.note.setObjectName("figureNote")
        if wrap_note:
            self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        if stretch:
            layout.addStretch(1)
        self.setAccessibleName(caption)

    def set(self, value: str, note: str = "", value_color: str | None = None) -> None:
        """Show a value and a note; ``value_color`` tints the value."""
        self.value.setText(value or "—")
        self.note.setText(note)
        self.value.setStyleSheet(f"color: {value_color};" if value_color else "")
        self.setAccessibleDescription(f"{value} {note}".strip())
