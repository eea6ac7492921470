"""The 360's Plan tab: the client's goals (baseline → now → target), the CSM's three texts and
the next meeting with the client.

The tab shows a :class:`~csdesk.services.plan_draft.PlanEditorData` and asks for edits through
signals; the account view turns each into one undoable command. Where the executive summary is
empty the editor shows the summary drafted from the data, and "Use draft" puts it in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csdesk.reports.case_rules import metric_label
from csdesk.scoring.success_plan import Goal
from csdesk.services.plan_draft import PlanEditorData
from csdesk.services.success_plans import NARRATIVE_FIELDS
from csdesk.views.account.goal_dialog import GoalDialog, value_places
from csdesk.views.account.meeting_row import NextMeetingRow
from csdesk.views.number_format import window_formats
from csdesk.views.theme import icon
from csdesk.views.widgets.itemmodels import Column, RecordsModel
from csdesk.views.widgets.record_table import records_table

__all__ = ["PlanTab", "goal_values"]

_STATUS_COLOURS = {"achieved": "good", "on track": "good", "at risk": "warn", "missed": "bad"}
_PROMPTS = {
    "executive_summary": "The summary the client reads first: what the partnership delivered "
    "and where it goes next.",
    "wins": "What went well this term, in the client's terms (one per line).",
    "next_term_goals": "What you will do together next term (one per line).",
}


def _number(value: Any) -> str:
    return window_formats().number(value, value_places(value))


def goal_values(goal: Goal) -> str:
    """``12 → 24 → 30`` (baseline → now → target); parts not known are left out."""
    if goal.metric_key is None:
        return f"target {_number(goal.target)}" if goal.target is not None else "—"
    parts = [
        _number(goal.baseline) if goal.baseline is not None else "…",
        _number(goal.current) if goal.current is not None else "not measured yet",
        _number(goal.target) if goal.target is not None else "no target",
    ]
    return " → ".join(parts)


def _measure(goal: Goal) -> str:
    return metric_label(goal.metric_key) if goal.metric_key else "written goal"


def _tip(goal: Goal) -> str | None:
    lines = []
    if goal.text:
        lines.append(goal.text)
    if goal.baseline_on is not None:
        lines.append(f"Baseline as of {goal.baseline_on.isoformat()} (from the history)")
    if goal.current_on is not None:
        lines.append(f"Now: the value of {goal.current_on.isoformat()}")
    if goal.internal:
        lines.append("Internal: never shown to the client")
    return "\n".join(lines) or None


GOAL_COLUMNS = (
    Column("Goal", lambda g: g.title + ("  · internal" if g.internal else ""), tooltip=_tip),
    Column("Owner", lambda g: g.owner or "—"),
    Column("Measured by", _measure),
    Column("Baseline → now → target", goal_values, tooltip=_tip),
    Column("Due", lambda g: g.due.isoformat() if g.due else "—"),
    Column("Status", lambda g: g.status, foreground=lambda g: _STATUS_COLOURS.get(g.status)),
)


class _TextBox(QPlainTextEdit):
    """A plain-text editor that reports its text when the user leaves it (like editingFinished).

    Signals:
        committed(str): the text after the user changed it and moved on.
    """

    committed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.stored = ""
        self.installEventFilter(self)

    def show_text(self, text: str, *, keep_typing: bool = True) -> None:
        """Show the stored text, unless the user is in the middle of changing it."""
        if keep_typing and self.hasFocus() and self.toPlainText() != self.stored:
            self.stored = text
            return
        self.stored = text
        if self.toPlainText() != text:
            self.setPlainText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return super().eventFilter(watched, event)

    def commit(self) -> None:
        """Report the text if it differs from the stored one."""
        if self.toPlainText().strip() != self.stored.strip():
            self.committed.emit(self.toPlainText())


class PlanTab(QWidget):
    """Goals with their numbers, and the executive summary, wins and next term's goals.

    Signals:
        goal_added(object): a :class:`~csdesk.services.edits.GoalFields` to add.
        goal_updated(int, object): a goal's id and its new fields.
        goal_removed(int, str): a goal's id and title.
        goal_moved(int, str, int): a goal's id, title and new position.
        narrative_committed(str, str, str): field, text and the action's name.
        meeting_committed(object, str): the next meeting's day (None: cleared) and note.
    """

    goal_added = Signal(object)
    goal_updated = Signal(int, object)
    goal_removed = Signal(int, str)
    goal_moved = Signal(int, str, int)
    narrative_committed = Signal(str, str, str)
    meeting_committed = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: PlanEditorData | None = None
        self.goals = RecordsModel(GOAL_COLUMNS, self)
        self.table = records_table(
            self.goals,
            "Success plan goals",
            stretch=0,
            empty_text="No goals yet. Add the outcomes the client wants from this term: link "
            "each to a metric to track baseline → now → target, or write it in words.",
        )
        header = self.table.horizontalHeader()
        for column in range(1, len(GOAL_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self._on_edit())
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.add = QPushButton(icon("add"), "Add goal…")
        self.add.clicked.connect(self._on_add)
        self.edit = QPushButton("Edit…")
        self.edit.clicked.connect(self._on_edit)
        self.remove = QPushButton(icon("remove"), "Remove")
        self.remove.clicked.connect(self._on_remove)
        self.up = QPushButton(icon("chevron-up"), "")
        self.up.setAccessibleName("Move goal up")
        self.up.setToolTip("Move the goal up")
        self.up.clicked.connect(lambda: self._on_move(-1))
        self.down = QPushButton(icon("chevron-down"), "")
        self.down.setAccessibleName("Move goal down")
        self.down.setToolTip("Move the goal down")
        self.down.clicked.connect(lambda: self._on_move(1))
        bar = QHBoxLayout()
        bar.addWidget(_title("Goals"))
        bar.addStretch(1)
        for button in (self.up, self.down, self.add, self.edit, self.remove):
            bar.addWidget(button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)

        self.texts: dict[str, _TextBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for column, (field, label) in enumerate(NARRATIVE_FIELDS.items()):
            box = _TextBox(label.capitalize())
            box.setPlaceholderText(_PROMPTS[field])
            box.committed.connect(lambda text, f=field: self.narrative_committed.emit(f, text, ""))
            self.texts[field] = box
            grid.addWidget(_title(label.capitalize()), 0, column)
            grid.addWidget(box, 1, column)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.use_draft = QPushButton("Use draft")
        self.use_draft.setToolTip("Put the summary drafted from the data in the editor")
        self.use_draft.clicked.connect(self._on_use_draft)
        self.draft_note = QLabel("Nothing written yet: the deck will use the draft shown above.")
        self.draft_note.setObjectName("muted")
        self.draft_note.setWordWrap(True)
        draft_row = QHBoxLayout()
        draft_row.addWidget(self.draft_note, 1)
        draft_row.addWidget(self.use_draft)
        grid.addLayout(draft_row, 2, 0)
        self.meeting = NextMeetingRow()
        self.meeting.committed.connect(self.meeting_committed)
        grid.addWidget(_title("Next meeting"), 3, 0)
        grid.addWidget(self.meeting, 4, 0, 1, len(NARRATIVE_FIELDS))
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 8, 0, 0)
        bottom_layout.addLayout(grid)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(splitter)
        self._update_buttons()

    # -- showing ---------------------------------------------------------------------------

    def set_data(self, data: PlanEditorData) -> None:
        """Show an account's plan (keeping the selected goal selected)."""
        selected = self.selected_goal()
        same_account = self.data is not None and self.data.account_id == data.account_id
        self.data = data
        self.goals.set_records(data.plan.goals)
        if selected is not None:
            for row, goal in enumerate(data.plan.goals):
                if goal.id == selected.id:
                    self.table.selectRow(row)
        narrative = data.plan.narrative
        for field, box in self.texts.items():
            box.show_text(getattr(narrative, field), keep_typing=same_account)
        summary = self.texts["executive_summary"]
        empty = not narrative.executive_summary
        summary.setPlaceholderText(
            data.draft if empty and data.draft else _PROMPTS["executive_summary"]
        )
        self.meeting.show_meeting(narrative.next_meeting, narrative.next_meeting_note)
        self.use_draft.setVisible(empty and bool(data.draft))
        self.draft_note.setVisible(empty and bool(data.draft))
        self._update_buttons()

    def selected_goal(self) -> Goal | None:
        """The goal the table's current row shows, if any."""
        index = self.table.currentIndex()
        record = self.goals.record(index.row()) if index.isValid() else None
        return record if isinstance(record, Goal) else None

    def set_editable(self, editable: bool) -> None:
        """Enable or disable every edit."""
        self._editable = editable
        self.add.setEnabled(editable)
        self.use_draft.setEnabled(editable)
        for box in self.texts.values():
            box.setReadOnly(not editable)
        self.meeting.set_editable(editable)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        goal = self.selected_goal()
        editable = getattr(self, "_editable", True)
        row = self.table.currentIndex().row() if goal is not None else -1
        self.edit.setEnabled(editable and goal is not None)
        self.remove.setEnabled(editable and goal is not None)
        self.up.setEnabled(editable and row > 0)
        self.down.setEnabled(editable and 0 <= row < self.goals.rowCount() - 1)

    # -- editing ---------------------------------------------------------------------------

    def _dialog(self, goal: Goal | None) -> GoalDialog | None:
        if self.data is None:
            return None
        return GoalDialog(
            self.data.metric_keys, self.data.formats, goal, self, owners=self.data.owners
        )

    def _on_add(self) -> None:
        dialog = self._dialog(None)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.goal_added.emit(dialog.values())

    def _on_edit(self) -> None:
        goal = self.selected_goal()
        if goal is None or goal.id is None or not self.edit.isEnabled():
            return
        dialog = self._dialog(goal)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.goal_updated.emit(goal.id, dialog.values())

    def _on_remove(self) -> None:
        goal = self.selected_goal()
        if goal is not None and goal.id is not None:
            self.goal_removed.emit(goal.id, goal.title)

    def _on_move(self, step: int) -> None:
        goal = self.selected_goal()
        if goal is None or goal.id is None:
            return
        row = self.table.currentIndex().row()
        self.goal_moved.emit(goal.id, goal.title, row + step)

    def _on_use_draft(self) -> None:
        if self.data is None or not self.data.draft:
            return
        self.texts["executive_summary"].setPlainText(self.data.draft)
        self.narrative_committed.emit(
            "executive_summary", self.data.draft, "Use the drafted summary"
        )


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label
