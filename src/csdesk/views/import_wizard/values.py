"""The import wizard's values page: each value the file's columns do not know, translated.

Shown after the column mapping when the whole file holds segments, statuses, tiers or priorities
that are none of the known values (SPEC 3.2). Each gets a choice of the known values; the choices
become the mapping's ``[values.<column>]`` tables, so one pass fixes the whole file, and saving
the mapping keeps them for the next export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from csdesk.views.import_wizard.pages import choice_table, field_label, step_title

if TYPE_CHECKING:
    from csdesk.views.import_wizard.session import ImportSession

__all__ = ["KEEP_LABEL", "ValuesPage"]

KEEP_LABEL = "— leave it (its rows are rejected) —"


class ValuesPage(QWizardPage):
    """One row per unknown value: its column, the value, how many rows hold it, and what to read
    instead."""

    COLUMNS = ("Column", "Value in the file", "Rows", "Read as")

    def __init__(self, wizard: ImportSession) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(step_title(2, "Translate unknown values"))
        self.setSubTitle(
            "These values are none of the values their column accepts, so their rows would be "
            "rejected. Choose what each one means; the choices apply to the whole file and are "
            "kept when you save the mapping."
        )
        self.table = choice_table(self.COLUMNS, "Unknown values", choice_column=3, width=300)
        self.combos: list[QComboBox] = []
        self.save_button = QPushButton("Save mapping as…")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.saved = QLabel()
        self.saved.setObjectName("muted")
        bar = QHBoxLayout()
        bar.addWidget(self.saved, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)

    def initializePage(self) -> None:
        self.fill()

    def fill(self) -> None:
        """One row per unknown value, its combo on the translation chosen so far."""
        unknown = self.wiz.unknown
        self.table.setRowCount(len(unknown))
        self.combos = []
        for row, item in enumerate(unknown):
            label = field_label(item.field) if item.field else ""
            same = label.casefold() == item.header.casefold()
            column = item.header if same or not label else f"{item.header} ({label})"
            for index, text in enumerate((column, item.value, f"{item.rows:,}")):
                cell = QTableWidgetItem(text)
                if index == 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, index, cell)
            combo = QComboBox()
            combo.setAccessibleName(f"Read {item.value} as")
            combo.addItem(KEEP_LABEL, None)
            for choice in item.choices:
                combo.addItem(choice, choice)
            chosen = self.wiz.value_maps.get(item.header, {}).get(item.value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.currentIndexChanged.connect(lambda _i, r=row: self._on_combo_changed(r))
            self.table.setCellWidget(row, 3, combo)
            self.combos.append(combo)
        self.saved.setText(f"Mapping: {self.wiz.mapping_name or 'not saved'}")

    def _on_combo_changed(self, row: int) -> None:
        item = self.wiz.unknown[row]
        chosen = self.combos[row].currentData()
        table = self.wiz.value_maps.setdefault(item.header, {})
        if chosen is None:
            table.pop(item.value, None)
        else:
            table[item.value] = chosen

    def _on_save_clicked(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Save mapping", "Name of the mapping:", text=self.wiz.mapping_name or ""
        )
        if ok and name.strip():
            self.wiz.save_mapping(name.strip(), on_saved=self.fill)
