"""The Plan tab's "Next meeting" row: whether one is booked, its day and what it is for."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLineEdit, QWidget

__all__ = ["NextMeetingRow"]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class NextMeetingRow(QWidget):
    """Book the next meeting with the client: a check box, the day and a short note.

    Every change the CSM finishes (ticking the box, leaving the date or the note) is one
    ``committed`` signal; showing a stored meeting never emits.

    Signals:
        committed(object, str): the day (a ``datetime.date``, None when cleared) and the note.
    """

    committed = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.booked = QCheckBox("Booked for")
        self.booked.setAccessibleName("Next meeting booked")
        self.day = QDateEdit()
        self.day.setAccessibleName("Next meeting day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate().addDays(14))
        self.note = QLineEdit()
        self.note.setAccessibleName("Next meeting note")
        self.note.setMaxLength(300)
        self.note.setPlaceholderText("What for: e.g. Renewal call with the sponsor")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.booked)
        layout.addWidget(self.day)
        layout.addWidget(self.note, 1)
        self._shown: tuple[dt.date | None, str] = (None, "")
        self.booked.toggled.connect(self._on_booked_toggled)
        self.day.editingFinished.connect(self._commit)
        self.note.editingFinished.connect(self._commit)
        self._enable()

    def value(self) -> tuple[dt.date | None, str]:
        """The meeting as the row shows it now."""
        if not self.booked.isChecked():
            return None, ""
        qdate = self.day.date()
        day = dt.date(qdate.year(), qdate.month(), qdate.day())
        return day, " ".join(self.note.text().split())

    def show_meeting(self, day: dt.date | None, note: str) -> None:
        """Show a stored meeting (no signal)."""
        for widget in (self.booked, self.day, self.note):
            widget.blockSignals(True)
        self.booked.setChecked(day is not None)
        if day is not None:
            self.day.setDate(_qdate(day))
        self.note.setText(note if day is not None else "")
        for widget in (self.booked, self.day, self.note):
            widget.blockSignals(False)
        self._shown = (day, note if day is not None else "")
        self._enable()

    def set_editable(self, editable: bool) -> None:
        """Enable or disable the row."""
        self.booked.setEnabled(editable)
        self._editable = editable
        self._enable()

    def _enable(self) -> None:
        on = self.booked.isChecked() and getattr(self, "_editable", True)
        self.day.setEnabled(on)
        self.note.setEnabled(on)

    def _on_booked_toggled(self, _checked: bool) -> None:
        self._enable()
        self._commit()

    def _commit(self) -> None:
        value = self.value()
        if value != self._shown:
            self._shown = value
            self.committed.emit(*value)
