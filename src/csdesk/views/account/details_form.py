"""The 360's Details tab: the account's own fields, each saved when the user leaves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.vocabulary import SEGMENTS, STATUSES
from csdesk.services.account_detail import AccountDetail, AccountHeader
from csdesk.views.account.roi_editor import format_number, parse_number

__all__ = ["TEXT_FIELDS", "DetailsTab"]

TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("crm_id", "CRM id"),
    ("owner", "Owner (CSM)"),
    ("industry", "Industry"),
    ("country", "Country"),
    ("domain", "Website"),
)
NUMBER_FIELDS: tuple[tuple[str, str], ...] = (
    ("arr", "ARR"),
    ("company_revenue", "Company revenue"),
    ("pilot_discount", "Pilot discount (0–1)"),
)
DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("contract_start", "Contract start"),
    ("renewal_date", "Renewal date"),
)
_BAD = "border: 1px solid #d64545;"


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    return dt.date.fromisoformat(text) if text else None


class DetailsTab(QWidget):
    """Editable account fields.

    Signals:
        field_committed(str, object): a field and its new value.
    """

    field_committed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header: AccountHeader | None = None
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for field, label in (*TEXT_FIELDS, *NUMBER_FIELDS, *DATE_FIELDS):
            edit = QLineEdit()
            edit.setAccessibleName(label)
            if field in dict(DATE_FIELDS):
                edit.setPlaceholderText("YYYY-MM-DD")
            edit.editingFinished.connect(lambda f=field: self._on_finished(f))
            self.edits[field] = edit
            form.addRow(label, edit)
        self.combos: dict[str, QComboBox] = {}
        for field, label, values in (
            ("status", "Status", STATUSES),
            ("segment", "Segment", ("", *SEGMENTS)),
            ("tier", "Tier", ("",)),
        ):
            combo = QComboBox()
            combo.addItems(list(values))
            combo.setAccessibleName(label)
            combo.activated.connect(lambda _i, f=field: self._on_combo(f))
            self.combos[field] = combo
            form.addRow(label, combo)
        self.prepay = QCheckBox("Pays annually in advance")
        self.prepay.setAccessibleName("Annual prepayment")
        self.prepay.clicked.connect(lambda on: self._emit("annual_prepay", bool(on)))
        form.addRow("Prepayment", self.prepay)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Account notes")
        self.notes.setFixedHeight(90)
        self.save_notes = QPushButton("Save notes")
        self.save_notes.clicked.connect(
            lambda: self._emit("notes", self.notes.toPlainText().strip() or None)
        )
        notes_row = QHBoxLayout()
        notes_row.addWidget(self.notes, 1)
        notes_row.addWidget(self.save_notes)
        form.addRow("Notes", notes_row)
        # A form of short fields reads best at a form's width, not the window's.
        body = QWidget()
        body.setLayout(form)
        body.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(body)
        layout.addStretch(1)

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's fields."""
        h = self.header = detail.header
        for field, edit in self.edits.items():
            value = getattr(h, field)
            if isinstance(value, dt.date):
                text = value.isoformat()
            elif isinstance(value, float | Decimal):
                text = format_number(value)
            else:
                text = value or ""
            edit.setText(text)
            edit.setModified(False)
            edit.setStyleSheet("")
        tier = self.combos["tier"]
        tier.clear()
        tier.addItems(["", *detail.plans])
        if h.tier and h.tier not in detail.plans:
            tier.addItem(h.tier)
        for field, combo in self.combos.items():
            combo.setCurrentText(getattr(h, field) or "")
        self.prepay.setChecked(h.annual_prepay)
        self.notes.setPlainText(h.notes or "")

    def _value(self, field: str) -> Any:
        text = self.edits[field].text()
        if field in dict(NUMBER_FIELDS):
            return parse_number(text)
        if field in dict(DATE_FIELDS):
            return _parse_date(text)
        return text.strip() or None

    def _on_finished(self, field: str) -> None:
        edit = self.edits[field]
        if self.header is None or not edit.isModified():
            return
        edit.setModified(False)
        try:
            value = self._value(field)
        except ValueError:
            edit.setStyleSheet(_BAD)
            edit.setToolTip("Not a number" if field in dict(NUMBER_FIELDS) else "Not a date")
            return
        edit.setStyleSheet("")
        self._emit(field, value)

    def _on_combo(self, field: str) -> None:
        self._emit(field, self.combos[field].currentText() or None)

    def _emit(self, field: str, value: Any) -> None:
        if self.header is not None and getattr(self.header, field) != value:
            self.field_committed.emit(field, value)

    def set_editable(self, editable: bool) -> None:
        """Enable or disable every field."""
        for widget in (
            *self.edits.values(),
            *self.combos.values(),
            self.prepay,
            self.notes,
            self.save_notes,
        ):
            widget.setEnabled(editable)
