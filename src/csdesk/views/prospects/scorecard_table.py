"""The editable pilot-selection scorecard: its item model and the 1–5 criterion editor.

The model never changes its rows itself: an edit emits :attr:`ScorecardModel.criterion_edited`
and the page pushes an undoable command, whose change notification brings the new rows back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QPolygonF
from PySide6.QtWidgets import QSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from csdesk.scoring.prospect import CRITERIA
from csdesk.services.prospects import ProspectRow
from csdesk.views.theme import color

__all__ = [
    "COHORT_COLUMN",
    "FIRST_CRITERION",
    "NAME_COLUMN",
    "PROFILE_COLUMN",
    "QUALIFIED_COLUMN",
    "SCORE_COLUMN",
    "SORT_ROLE",
    "STATUS_COLUMN",
    "CriterionDelegate",
    "ScorecardModel",
    "row_at",
]

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role giving a sortable value (the score, with incomplete scorecards below every score)."""

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_KEYS = tuple(c.key for c in CRITERIA)
COHORT_COLUMN, NAME_COLUMN, STATUS_COLUMN, PROFILE_COLUMN = range(4)
FIRST_CRITERION = 4
SCORE_COLUMN = FIRST_CRITERION + len(_KEYS)
QUALIFIED_COLUMN = SCORE_COLUMN + 1
_HEADERS = ("Cohort", "Prospect", "Status", "Segment · industry", *(c.label for c in CRITERIA))
_HEADERS += ("Score", "Qualified")


def _short(label: str) -> str:
    """Two-line header: ``Strategic\\nfit``."""
    first, _, rest = label.partition(" ")
    return f"{first}\n{rest}" if rest else label


class ScorecardModel(QAbstractTableModel):
    """One row per prospect or pilot: info, six criterion scores, score and qualified flag.

    Signals:
        criterion_edited(int, str, object): account id, criterion key, new score or None.
        cohort_toggled(int, bool): an account was ticked into (True) or out of the cohort.
    """

    criterion_edited = Signal(int, str, object)
    cohort_toggled = Signal(int, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ProspectRow] = []
        self.editable = True

    # -- data ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ProspectRow]) -> None:
        """Show these rows; the same accounts in the same order are updated in place."""
        rows = list(rows)
        if [r.account_id for r in rows] == [r.account_id for r in self._rows]:
            self._rows = rows
            if rows:
                last = self.index(len(rows) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    @property
    def rows(self) -> list[ProspectRow]:
        """The rows in model order."""
        return list(self._rows)

    def row_data(self, row: int) -> ProspectRow | None:
        """The prospect on ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, account_id: int) -> int | None:
        """The row of an account, if listed."""
        return next((i for i, r in enumerate(self._rows) if r.account_id == account_id), None)

    @staticmethod
    def criterion_key(column: int) -> str | None:
        """The criterion edited in ``column``, or None for other columns."""
        offset = column - FIRST_CRITERION
        return _KEYS[offset] if 0 <= offset < len(_KEYS) else None

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.criterion_key(index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        if self.editable and index.column() == COHORT_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_HEADERS):
            return None
        key = self.criterion_key(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(_HEADERS[section]) if key else _HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and key:
            criterion = CRITERIA[_KEYS.index(key)]
            return f"{criterion.label}: weight {criterion.weight:.0%} · score 1–5"
        if role == Qt.ItemDataRole.ToolTipRole and section == SCORE_COLUMN:
            return "Weighted score (Σ weight × criterion score); 3.50 or more qualifies"
        if role == Qt.ItemDataRole.ToolTipRole and section == COHORT_COLUMN:
            return "Tick to propose the client for the pilot cohort"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if key or section == SCORE_COLUMN else _LEFT
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_data(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        key = self.criterion_key(column)
        if key is not None:
            return self._criterion_data(row, key, role)
        if column == COHORT_COLUMN:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.in_cohort else Qt.CheckState.Unchecked
            if role == SORT_ROLE:
                return int(row.in_cohort)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "in the cohort" if row.in_cohort else "not in the cohort"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            if column == SCORE_COLUMN:
                return -1.0 if row.result.score is None else row.result.score
            if column == QUALIFIED_COLUMN:
                return {True: 2, False: 1}.get(row.result.qualified or False, 0)
            return self._text(row, column).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column == SCORE_COLUMN else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (SCORE_COLUMN, QUALIFIED_COLUMN) and row.result.score is None:
                return QBrush(QColor(color("warn")))
            if column == QUALIFIED_COLUMN:
                return QBrush(QColor(color("good" if row.result.qualified else "muted")))
            if column == STATUS_COLUMN and row.status == "pilot":
                return QBrush(QColor(color("accent")))
        if role == Qt.ItemDataRole.FontRole and column in (NAME_COLUMN, SCORE_COLUMN):
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column in (SCORE_COLUMN, QUALIFIED_COLUMN):
            return row.result.reason or (
                f"{row.result.score:.2f} — {'qualifies' if row.result.qualified else 'below 3.50'}"
            )
        return None

    @staticmethod
    def _text(row: ProspectRow, column: int) -> str:
        if column == NAME_COLUMN:
            return row.name
        if column == STATUS_COLUMN:
            return row.status.capitalize()
        if column == PROFILE_COLUMN:
            return " · ".join(p for p in (row.segment, row.industry) if p)
        if column == SCORE_COLUMN:
            return f"{row.result.score:.2f}" if row.result.score is not None else "—"
        if column == QUALIFIED_COLUMN:
            if row.result.qualified is None:
                return row.result.reason or "no score"
            return "✓ Qualified" if row.result.qualified else "Not qualified"
        return ""

    @staticmethod
    def _criterion_data(row: ProspectRow, key: str, role: int) -> Any:
        value = row.score_of(key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return "—" if value is None else str(value)
        if role == Qt.ItemDataRole.EditRole:
            return 0 if value is None else value
        if role == SORT_ROLE:
            return 0 if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER
        if role == Qt.ItemDataRole.ForegroundRole and value is None:
            return QBrush(QColor(color("warn")))
        if role == Qt.ItemDataRole.ToolTipRole:
            label = CRITERIA[_KEYS.index(key)].label
            shown = "not scored" if value is None else f"{value} of 5"
            note = row.note_of(key)
            return f"{label}: {shown}" + (f"\nNote: {note}" if note else "")
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self.criterion_key(index.column()) if index.isValid() else None
        row = self.row_data(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.CheckStateRole and row is not None and self.editable:
            if index.column() != COHORT_COLUMN:
                return False
            ticked = Qt.CheckState(value) == Qt.CheckState.Checked
            if ticked != row.in_cohort:
                self.cohort_toggled.emit(row.account_id, ticked)
            return True
        if role != Qt.ItemDataRole.EditRole or key is None or row is None or not self.editable:
            return False
        score = int(value) if value not in (None, "") else 0
        new = score if 1 <= score <= 5 else None
        if new != row.score_of(key):
            self.criterion_edited.emit(row.account_id, key, new)
        return True


def row_at(index: _Index) -> ProspectRow | None:
    """The prospect shown at a (possibly proxied) index, read in Python, not through a QVariant."""
    model = index.model()
    while isinstance(model, QSortFilterProxyModel):
        index = model.mapToSource(index)
        model = index.model()
    return model.row_data(index.row()) if isinstance(model, ScorecardModel) else None


class CriterionDelegate(QStyledItemDelegate):
    """Edits a criterion with a 1–5 spin box ("—" clears it) and marks cells that have a note."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(0, 5)
        editor.setSpecialValueText("—")
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setAccessibleName("Criterion score, 1 to 5")
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Enter commits at once and the key stops here; left to the base class, a spin box's
        # ignored Return also reaches the view, and the second commit finds the editor gone.
        if (
            isinstance(editor, QSpinBox)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QSpinBox):
            editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        row = row_at(index)
        key = ScorecardModel.criterion_key(index.column())
        if not isinstance(row, ProspectRow) or key is None or not row.note_of(key):
            return
        rect = option.rect
        size = 7.0
        corner = QPointF(rect.right(), rect.top())
        triangle = QPolygonF(
            [corner, QPointF(corner.x() - size, corner.y()), QPointF(corner.x(), corner.y() + size)]
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color("accent")))
        painter.drawPolygon(triangle)
        painter.restore()
