"""The dialog that adds or edits one success-plan goal (metric or free text, target, status)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.reports.case_rules import metric_label
from csdesk.reports.formatting import Formats
from csdesk.scoring.success_plan import GOAL_STATUSES, Goal
from csdesk.services.edits import GoalFields

__all__ = ["GoalDialog", "parse_decimal", "value_places"]

_BAD = "border: 1px solid #d64545;"
FREE_TEXT = "Free text (no metric)"


def parse_decimal(text: str) -> Decimal | None:
    """A typed number (``1,200.5``, ``0.835``) as an exact decimal; empty text is None.

    Raises:
        ValueError: The text is not a number.
    """
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return number


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class GoalDialog(QDialog):
    """Ask for a goal's title, owner, metric or text, baseline, target, dates and status.

    Args:
        metric_keys: The metrics the goal can link to.
        formats: How numbers read (the portfolio's locale).
        goal: The goal to edit, or None to add one.
        parent: The parent widget.
        owners: Names offered as the owner is typed (the client's contacts, the CSM).
    """

    def __init__(
        self,
        metric_keys: Sequence[str],
        formats: Formats,
        goal: Goal | None = None,
        parent: QWidget | None = None,
        owners: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit goal" if goal else "Add goal")
        self.goal, self.formats = goal, formats
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Every licensed agent active each month")
        self.title.setAccessibleName("Goal")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Who on either side makes it happen")
        self.owner.setAccessibleName("Owner")
        if owners:
            completer = QCompleter(list(owners), self.owner)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.owner.setCompleter(completer)
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measured by")
        self.measure.addItem(FREE_TEXT, None)
        for key in metric_keys:
            self.measure.addItem(metric_label(key), key)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("What success looks like")
        self.text.setPlaceholderText("What success looks like, in the client's words")
        self.text.setFixedHeight(64)
        self.baseline = QLineEdit()
        self.baseline.setAccessibleName("Baseline")
        self.target = QLineEdit()
        self.target.setAccessibleName("Target")
        self.target.setPlaceholderText("e.g. 30")
        self.history = QLabel()
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        self.start = QDateEdit(QDate.currentDate())
        self.start.setAccessibleName("Baseline as of")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.has_due = QCheckBox("Due")
        self.due = QDateEdit(QDate.currentDate().addDays(90))
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.has_due.toggled.connect(self.due.setEnabled)
        self.has_due.setChecked(True)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItems(list(GOAL_STATUSES))
        self.internal = QCheckBox("Internal: left out of everything the client sees")

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("Goal", self.title)
        form.addRow("Owner", self.owner)
        form.addRow("Measured by", self.measure)
        form.addRow("", self.history)
        form.addRow("Baseline", self.baseline)
        form.addRow("Baseline as of", self.start)
        form.addRow("Target", self.target)
        form.addRow(self.has_due, self.due)
        form.addRow("Status", self.status)
        form.addRow("Description", self.text)
        form.addRow("", self.internal)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

        for edit in (self.title, self.baseline, self.target):
            edit.textChanged.connect(self._check)
        self.measure.currentIndexChanged.connect(self._on_metric_changed)
        if goal is not None:
            self._fill(goal)
        self._on_metric_changed()
        self._check()

    def _fill(self, goal: Goal) -> None:
        self.title.setText(goal.title)
        self.owner.setText(goal.owner or "")
        index = self.measure.findData(goal.metric_key) if goal.metric_key else 0
        if index < 0:  # a metric the account no longer records: keep it choosable
            self.measure.addItem(metric_label(goal.metric_key or ""), goal.metric_key)
            index = self.measure.count() - 1
        self.measure.setCurrentIndex(index)
        self.text.setPlainText(goal.text or "")
        if goal.baseline is not None and goal.baseline_on is None:
            self.baseline.setText(_plain(goal.baseline))  # entered by the CSM
        self.target.setText(_plain(goal.target))
        if goal.start_on is not None:
            self.start.setDate(_qdate(goal.start_on))
        self.has_due.setChecked(goal.due is not None)
        if goal.due is not None:
            self.due.setDate(_qdate(goal.due))
        self.status.setCurrentText(goal.status)
        self.internal.setChecked(goal.internal)

    def _on_metric_changed(self, *_args: object) -> None:
        linked = self.measure.currentData() is not None
        self.baseline.setPlaceholderText("from the history" if linked else "optional")
        self.start.setEnabled(linked)
        goal = self.goal
        if not linked:
            self.history.setText("A written goal: say in the description what success is.")
        elif goal is not None and goal.metric_key == self.measure.currentData():
            parts = []
            if goal.baseline_on is not None:
                parts.append(
                    f"Baseline {self.formats.number(goal.baseline, value_places(goal.baseline))} "
                    f"on {goal.baseline_on.isoformat()}"
                )
            if goal.current_on is not None:
                parts.append(
                    f"now {self.formats.number(goal.current, value_places(goal.current))} "
                    f"({goal.current_on.isoformat()})"
                )
            self.history.setText(
                "From the history: " + ", ".join(parts) if parts else "No values recorded yet."
            )
        else:
            self.history.setText(
                "Baseline and current value are read from the metric's history: the value at "
                "the 'baseline as of' day, and the newest one. Type a baseline to set your own."
            )

    def _number(self, edit: QLineEdit) -> tuple[bool, Decimal | None]:
        try:
            value = parse_decimal(edit.text())
        except ValueError:
            edit.setStyleSheet(_BAD)
            return False, None
        edit.setStyleSheet("")
        return True, value

    def _check(self, *_args: object) -> None:
        ok_baseline, _ = self._number(self.baseline)
        ok_target, _ = self._number(self.target)
        self._ok.setEnabled(bool(self.title.text().strip()) and ok_baseline and ok_target)

    def values(self) -> GoalFields:
        """The goal as typed (numbers already checked by the dialog)."""
        _, baseline = self._number(self.baseline)
        _, target = self._number(self.target)
        metric = self.measure.currentData()
        return GoalFields(
            title=self.title.text().strip(),
            owner=self.owner.text().strip() or None,
            metric_key=metric,
            text=self.text.toPlainText().strip() or None,
            baseline=baseline,
            target=target,
            due=_pydate(self.due.date()) if self.has_due.isChecked() else None,
            status=self.status.currentText(),
            internal=self.internal.isChecked(),
            start_on=_pydate(self.start.date()) if metric is not None else None,
        )


def value_places(value: Decimal | None) -> int:
    """Decimal places worth showing for a goal value (up to 3: 0.835, 99.95, 30)."""
    if value is None:
        return 0
    exponent = value.normalize().as_tuple().exponent
    return min(3, max(0, -exponent)) if isinstance(exponent, int) else 0


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"
