"""A tool button whose drop-down menu offers checkable filter values (the portfolio's facets)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

__all__ = ["FilterButton", "StayOpenMenu"]


class StayOpenMenu(QMenu):
    """A menu of checkable values that stays open while the user ticks several of them.

    A click (or Space / Enter) on a checkable entry toggles it without closing the menu;
    Escape or a click outside closes it, as with any menu.
    """

    def _toggle_active(self) -> bool:
        action = self.activeAction()
        if action is None or not action.isCheckable() or not action.isEnabled():
            return False
        action.trigger()
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._toggle_active():
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() in keys and self._toggle_active():
            return
        super().keyPressEvent(event)


class FilterButton(QToolButton):
    """A drop-down of checkable values (multi-select, or single-select when ``exclusive``).

    A multi-select menu stays open for several ticks; a single-select one closes on a choice.

    Values that cost a query can be offered late (:meth:`defer_values`): they are read the
    first time the menu opens or :meth:`menu` is asked for.

    Signals:
        selection_changed(): the checked values changed.
    """

    selection_changed = Signal()

    def __init__(self, title: str, *, exclusive: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.exclusive = exclusive
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self) if exclusive else StayOpenMenu(self))
        self.setAccessibleName(f"{title} filter")
        self._labels: dict[str, str] = {}
        self._pending: Callable[[], object] | None = None
        self._menu().aboutToShow.connect(self._load_pending)
        self._update_text()

    def _menu(self) -> QMenu:
        return QToolButton.menu(self)

    def menu(self) -> QMenu:
        """The drop-down, with its values read first if they were deferred."""
        self._load_pending()
        return self._menu()

    def defer_values(self, load: Callable[[], object]) -> None:
        """Call ``load`` (which should :meth:`set_values`) when the values are first needed."""
        self._pending = load

    def _load_pending(self) -> None:
        load, self._pending = self._pending, None
        if load is not None:
            load()

    def set_values(self, values: list[tuple[str, str]]) -> None:
        """Offer ``(key, label)`` values, keeping the ones still offered checked."""
        self._pending = None
        checked = self.selected()
        menu = self._menu()
        menu.clear()
        self._labels = dict(values)
        for key, label in values:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setData(key)
            action.setChecked(key in checked)
            action.toggled.connect(lambda on, k=key: self._on_toggled(k, on))
        self._update_text()

    def selected(self) -> frozenset[str]:
        """The checked keys."""
        return frozenset(a.data() for a in self._menu().actions() if a.isChecked())

    def set_selected(self, keys: frozenset[str]) -> None:
        """Check exactly these keys (without emitting per key)."""
        for action in self._menu().actions():
            action.blockSignals(True)
            action.setChecked(action.data() in keys)
            action.blockSignals(False)
        self._update_text()
        self.selection_changed.emit()

    def _on_toggled(self, key: str, on: bool) -> None:
        if self.exclusive and on:
            for action in self._menu().actions():
                if action.data() != key and action.isChecked():
                    action.blockSignals(True)
                    action.setChecked(False)
                    action.blockSignals(False)
        self._update_text()
        self.selection_changed.emit()

    def _update_text(self) -> None:
        chosen = sorted(self.selected(), key=list(self._labels).index) if self._labels else []
        if not chosen:
            self.setText(f"{self.title} ▾")
        elif len(chosen) == 1:
            self.setText(f"{self.title}: {self._labels.get(chosen[0], chosen[0])} ▾")
        else:
            self.setText(f"{self.title}: {len(chosen)} ▾")
        self.setProperty("active", bool(chosen))
        self.style().unpolish(self)
        self.style().polish(self)
