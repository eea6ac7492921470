"""Ctrl+Z / Ctrl+Shift+Z in a text field: the field's typing while it is edited, else the window's.

A ``QLineEdit`` claims the undo keys whenever it has focus, even with nothing of its own to
undo, so the window's Undo action (the last saved edit) never fired from a field. This filter
decides as Qt applications users know do: while the field is being edited (its text changed
since it was last filled or saved) the keys undo and redo the typing; once the edit is
committed they go to the window's Undo and Redo, which undo the saved edit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

__all__ = ["FieldUndoKeys", "is_undo_key"]

_REDO_EXTRA = QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Y)


def is_undo_key(event: QKeyEvent) -> bool:
    """True for the platform's Undo or Redo keys (and Ctrl+Y, the window's second Redo key)."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    combo = QKeySequence(event.keyCombination())
    return combo.matches(_REDO_EXTRA) == QKeySequence.SequenceMatch.ExactMatch


def _being_edited(widget: QWidget) -> bool | None:
    """Whether a text field holds typing not yet saved; None for widgets that are not fields."""
    if isinstance(widget, QLineEdit):
        return widget.isModified()
    if isinstance(widget, QAbstractSpinBox):
        line = widget.findChild(QLineEdit)
        return bool(line is not None and line.isModified())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.document().isModified()
    return None


class FieldUndoKeys(QObject):
    """An application event filter giving the undo keys to the window when a field is saved.

    Args:
        window: The window whose fields it looks after (fields of other windows are left be).
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.ShortcutOverride
            or not isinstance(event, QKeyEvent)
            or not isinstance(watched, QWidget)
            or watched.window() is not self._window
            or not is_undo_key(event)
        ):
            return False
        edited = _being_edited(watched)
        if edited is None or edited:
            return False  # not a field, or its typing is what the keys undo
        # Not accepted, and not delivered to the field: the window's shortcut fires instead.
        event.ignore()
        return True
