"""The 360's Tasks tab: open tasks first; complete, snooze or add one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.vocabulary import CLOSED_STATUSES
from csdesk.services.account_detail import AccountDetail, TaskRow
from csdesk.views.theme import icon
from csdesk.views.widgets.itemmodels import Column, RecordsModel
from csdesk.views.widgets.record_table import records_table

__all__ = ["SNOOZE_CHOICES", "TasksTab"]

SNOOZE_CHOICES: tuple[tuple[str, int], ...] = (
    ("1 day", 1),
    ("3 days", 3),
    ("1 week", 7),
    ("2 weeks", 14),
    ("1 month", 30),
)
_CLOSED = CLOSED_STATUSES
"""Task states with nothing left to do: hidden unless "Show completed" is ticked."""


def _due(task: TaskRow, today: dt.date) -> str | None:
    if task.status in _CLOSED:
        return "muted"
    return "bad" if task.due_on < today else None


class TasksTab(QWidget):
    """Task list with complete / snooze / add.

    Signals:
        complete_requested(int, str): task id and title.
        snooze_requested(int, str, object): task id, title and the new due date.
        add_requested(): the user wants to add a task.
    """

    complete_requested = Signal(int, str)
    snooze_requested = Signal(int, str, object)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()
        columns = (
            Column("Task", lambda t: t.title, tooltip=lambda t: t.notes),
            Column("Type", lambda t: t.type),
            Column("Due", lambda t: t.due_on.isoformat(), foreground=lambda t: _due(t, self.today)),
            Column("Status", lambda t: t.status),
        )
        self.model = RecordsModel(columns, self)
        self.table = records_table(self.model, "Tasks")
        for col, width in enumerate((330, 140, 100)):
            self.table.horizontalHeader().resizeSection(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.show_done = QCheckBox("Show completed")
        self.show_done.toggled.connect(self._refill)
        self.complete_button = QPushButton(icon("check"), "Complete")
        self.complete_button.setAccessibleName("Complete the selected task")
        self.complete_button.clicked.connect(self._on_complete)
        self.snooze_button = QPushButton(icon("snooze"), "Snooze")
        self.snooze_button.setAccessibleName("Snooze the selected task")
        menu = QMenu(self.snooze_button)
        for label, days in SNOOZE_CHOICES:
            menu.addAction(label).triggered.connect(lambda _=False, d=days: self._on_snooze(d))
        self.snooze_button.setMenu(menu)
        self.add_button = QPushButton(icon("add"), "Add task…")
        self.add_button.setAccessibleName("Add a task")
        self.add_button.clicked.connect(self.add_requested)
        bar = QHBoxLayout()
        bar.addWidget(self.complete_button)
        bar.addWidget(self.snooze_button)
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        bar.addWidget(self.show_done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._tasks: tuple[TaskRow, ...] = ()
        self._editable = True
        self._update_buttons()

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's tasks."""
        self.today = dt.date.today()
        self._tasks = detail.tasks
        self._refill()

    def _refill(self) -> None:
        selected = self.selected_task()
        shown = [t for t in self._tasks if self.show_done.isChecked() or t.status not in _CLOSED]
        shown.sort(key=lambda t: (t.status in _CLOSED, t.due_on, t.id))
        self.model.set_records(shown)
        done = sum(1 for t in self._tasks if t.status in _CLOSED)
        if not self._tasks:
            self.table.set_empty_text(
                "No tasks for this account. Renewal milestones and at-risk outreach appear here "
                "on their own; add your own with Add task…"
            )
        elif not shown:
            noun = "task is" if done == 1 else "tasks are"
            self.table.set_empty_text(
                f"No open tasks: {done} {noun} done. Tick Show completed to see them."
            )
        if selected is not None:
            for row, task in enumerate(shown):
                if task.id == selected.id:
                    self.table.selectRow(row)
        self._update_buttons()

    def selected_task(self) -> TaskRow | None:
        """The task of the current row."""
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        return record if isinstance(record, TaskRow) else None

    def _update_buttons(self, *_args: object) -> None:
        task = self.selected_task()
        actionable = self._editable and task is not None and task.status not in _CLOSED
        self.complete_button.setEnabled(actionable)
        self.snooze_button.setEnabled(actionable)
        self.add_button.setEnabled(self._editable)

    def _on_complete(self) -> None:
        task = self.selected_task()
        if task is not None:
            self.complete_requested.emit(task.id, task.title)

    def _on_snooze(self, days: int) -> None:
        task = self.selected_task()
        if task is not None:
            base = max(task.due_on, self.today)
            self.snooze_requested.emit(task.id, task.title, base + dt.timedelta(days=days))

    def set_editable(self, editable: bool) -> None:
        """Enable or disable the task buttons."""
        self._editable = editable
        self._update_buttons()
