"""The first two pages of the import wizard: the file (sheet, kind) and the column mapping."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from csdesk.importing.headers import KIND_FIELDS, METRIC_KEYS, ROI_KEYS
from csdesk.scoring.vocabulary import IMPORT_KINDS
from csdesk.views.dialogs import SPREADSHEET_FILTER
from csdesk.views.theme import color

if TYPE_CHECKING:
    from csdesk.views.import_wizard.session import ImportSession

__all__ = [
    "KIND_LABELS",
    "MappingPage",
    "SourcePage",
    "detection",
    "error_label",
    "field_choices",
    "field_label",
    "step_title",
]

KIND_LABELS = {
    "accounts": "Accounts",
    "metrics": "Usage metrics",
    "contacts": "Contacts",
    "tickets": "Support tickets",
    "surveys": "Survey responses (NPS / CSAT)",
    "scorecards": "Prospect scorecards",
    "opportunities": "CRM opportunities (renewals, expansion)",
    "events": "Product events (one row per event)",
}
IGNORE_LABEL = "— ignore this column —"
_WORDS = {"crm": "CRM", "id": "ID", "arr": "ARR", "nps": "NPS", "csat": "CSAT", "qa": "QA"}
_WORDS |= {"30d": "(30 days)", "pct": "%", "p95": "p95", "ms": "(ms)"}


def field_label(field: str) -> str:
    """A field as people read it: ``crm_id`` → "CRM ID", ``metric:logins_30d`` → "Metric: …"."""
    prefix = ""
    if field.startswith("metric:"):
        prefix, field = "Metric: ", field[7:]
    elif field.startswith("roi:"):
        prefix, field = "ROI input: ", field[4:]
    words = [_WORDS.get(word, word) for word in field.split("_")]
    text = " ".join(words)
    return prefix + text[:1].upper() + text[1:]


def field_choices(kind: str) -> list[str]:
    """The fields a column can feed in a ``kind`` import, in menu order."""
    fields = list(KIND_FIELDS[kind])
    if kind in ("accounts", "metrics"):
        fields += [f"metric:{key}" for key in METRIC_KEYS]
    if kind == "accounts":
        fields += [f"roi:{key}" for key in ROI_KEYS]
    return fields


def detection(candidates: tuple[str, ...]) -> str:
    """What detection made of a file's columns, for the first page."""
    names = [KIND_LABELS.get(k, k).lower() for k in candidates]
    if len(names) == 1:
        return f"Detected: {names[0]}, from the columns only that kind has."
    if names:
        return f"The columns fit {' and '.join(names)}: choose what the file holds."
    return "The columns do not say what the file holds: choose it below."


def step_title(step: int, text: str) -> str:
    """A page title with its step number (rich text for the wizard's header)."""
    return (
        f"<span style='font-size:13pt; font-weight:600'>{text}</span>&nbsp;&nbsp;&nbsp;"
        f"<span style='color:{color('muted')}'>Step {step} of 4</span>"
    )


def choice_table(
    columns: Sequence[str], name: str, *, choice_column: int, width: int
) -> QTableWidget:
    """A read-only table of rows with a choice box in ``choice_column`` (``width`` pixels wide);
    the second column takes the spare width, the others fit their contents."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(34)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        mode = QHeaderView.ResizeMode.ResizeToContents
        if column == 1:
            mode = QHeaderView.ResizeMode.Stretch
        elif column == choice_column:
            mode = QHeaderView.ResizeMode.Fixed
        header.setSectionResizeMode(column, mode)
    header.resizeSection(choice_column, width)
    return table


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {color('bad')};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class SourcePage(QWizardPage):
    """Choose the file, the worksheet of a workbook and the kind of records it holds."""

    def __init__(self, wizard: ImportSession) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(step_title(1, "Choose a file"))
        self.setSubTitle(
            "A CSV, TSV or Excel export from your CRM, support desk or survey tool. "
            "You can also drop a file on the main window."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        self.path_edit.setAccessibleName("File to import")
        self.browse = QPushButton("Choose…")
        self.browse.setAccessibleName("Choose a file to import")
        self.browse.clicked.connect(self._on_browse_clicked)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Worksheet")
        self.sheet.activated.connect(self._on_sheet_activated)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of records")
        self.kind.activated.connect(self._on_kind_activated)
        self.info = QLabel()
        self.info.setObjectName("muted")
        self.info.setWordWrap(True)
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("File", row)
        for label, combo in (("Sheet", self.sheet), ("Holds", self.kind)):
            combo.setMinimumWidth(340)
            line = QHBoxLayout()
            line.addWidget(combo)
            line.addStretch(1)
            form.addRow(label, line)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.refresh()
        self.path_edit.deselect()
        self.browse.setFocus()

    def refresh(self) -> None:
        """Show what the wizard knows of the file."""
        wiz = self.wiz
        self.path_edit.setText(str(wiz.path) if wiz.path else "")
        self.error.setVisible(bool(wiz.file_error))
        self.error.setText(wiz.file_error or "")
        found = wiz.found
        if wiz.reading:  # on the worker thread; the wizard calls refresh() again when done
            self.sheet.setEnabled(False)
            self.kind.setEnabled(False)
            self.info.setText(f"Reading {wiz.path.name}…" if wiz.path else "")
            self.completeChanged.emit()
            return
        self.sheet.clear()
        self.kind.clear()
        if found is None:
            self.sheet.setEnabled(False)
            self.kind.setEnabled(False)
            self.info.setText("")
            self.completeChanged.emit()
            return
        self.sheet.addItems(list(found.sheets) or ["(text file: one table)"])
        if found.sheet:
            self.sheet.setCurrentText(found.sheet)
        self.sheet.setEnabled(len(found.sheets) > 1)
        for kind in IMPORT_KINDS:
            detected = " — detected" if kind == found.detected_kind else ""
            self.kind.addItem(KIND_LABELS[kind] + detected, kind)
        self.kind.setCurrentIndex(IMPORT_KINDS.index(wiz.kind))
        self.kind.setEnabled(True)
        self.info.setText(
            f"{detection(found.candidates)}\n{found.describe()} · "
            f"mapping: {wiz.mapping_name or 'detected'}"
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz.found is not None and not self.wiz.reading

    def _on_browse_clicked(self) -> None:
        folder = self.wiz.path.parent if self.wiz.path else self.wiz.ctx.settings.folder("import")
        start = str(folder or Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a spreadsheet", start, SPREADSHEET_FILTER
        )
        if path:
            self.wiz.set_file(Path(path))
            self.refresh()

    def _on_sheet_activated(self, _index: int) -> None:
        if self.wiz.found and self.wiz.found.sheets:
            self.wiz.set_file(self.wiz.path, sheet=self.sheet.currentText())
            self.refresh()

    def _on_kind_activated(self, index: int) -> None:
        self.wiz.set_kind(self.kind.itemData(index))
        self.refresh()


class MappingPage(QWizardPage):
    """One row per column of the file: its header, sample values and the field it feeds."""

    COLUMNS = ("Column in the file", "Sample values", "Imports as", "")

    def __init__(self, wizard: ImportSession) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(step_title(2, "Match the columns"))
        self.setSubTitle(
            "Recognised columns are filled in; unknown ones are ignored unless you pick a "
            "field for them. Save the mapping to reuse it for the next export of this kind."
        )
        self.saved = QComboBox()
        self.saved.setAccessibleName("Saved mapping")
        self.saved.setMinimumWidth(220)
        self.saved.activated.connect(self._on_saved_activated)
        self.save_button = QPushButton("Save mapping as…")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete the saved mapping")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Saved mapping"))
        bar.addWidget(self.saved)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        self.table = choice_table(self.COLUMNS, "Column mapping", choice_column=2, width=260)
        self.table.setWordWrap(False)
        self.combos: list[QComboBox] = []
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self.fill_saved()
        self.fill()

    def fill_saved(self, select: str | None = None) -> None:
        """List the portfolio's saved mappings (``select`` one of them)."""
        current = select if select is not None else self.wiz.mapping_name
        self.saved.clear()
        self.saved.addItem("None — recognise the columns", None)
        for name in self.wiz.saved_mapping_names():
            self.saved.addItem(name, name)
        index = self.saved.findData(current) if current else 0
        self.saved.setCurrentIndex(max(index, 0))
        self.delete_button.setEnabled(self.saved.currentData() is not None)

    def fill(self) -> None:
        """One row per file column, with the wizard's current choices."""
        found = self.wiz.found
        assert found is not None
        choices = field_choices(self.wiz.kind)
        self.table.setRowCount(len(found.headers))
        self.combos = []
        for row, header in enumerate(found.headers):
            name = QTableWidgetItem(header or f"(column {row + 1} has no header)")
            samples = QTableWidgetItem(found.samples[row])
            samples.setToolTip(found.samples[row])
            samples.setForeground(QColor(color("muted")))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, samples)
            combo = QComboBox()
            combo.setAccessibleName(f"Field for the column {header}")
            combo.addItem(IGNORE_LABEL, "")
            for choice in choices:
                combo.addItem(field_label(choice), choice)
            chosen = self.wiz.choices[row]
            combo.setCurrentIndex(max(combo.findData(chosen or ""), 0))
            combo.setEnabled(bool(header))
            combo.currentIndexChanged.connect(lambda _i, r=row: self._on_combo_changed(r))
            self.table.setCellWidget(row, 2, combo)
            self.table.setItem(row, 3, QTableWidgetItem())
            self.combos.append(combo)
        self._update_statuses()
        self.error.setVisible(bool(found.problem))
        self.error.setText(found.problem or "")

    def _on_combo_changed(self, row: int) -> None:
        self.wiz.choices[row] = self.combos[row].currentData() or ""
        self._update_statuses()
        self.error.hide()

    def _update_statuses(self) -> None:
        found = self.wiz.found
        assert found is not None
        seen: dict[str, str] = {}
        for row, chosen in enumerate(self.wiz.choices):
            auto = found.auto[row]
            header = found.headers[row]
            tone = "muted"
            if not header:
                text = "no header: ignored"
            elif not chosen:
                text = "ignored" if auto else "unknown: ignored"
            elif chosen in seen:
                text, tone = f"ignored: “{seen[chosen]}” already feeds this field", "warn"
            else:
                seen[chosen] = header
                text, tone = ("recognised", "good") if chosen == auto else ("your choice", "accent")
            status = self.table.item(row, 3)
            name, samples = self.table.item(row, 0), self.table.item(row, 1)
            assert status is not None and name is not None and samples is not None
            status.setText(text)
            status.setForeground(QColor(color(tone)))
            name.setForeground(QColor(color("text" if chosen else "muted")))
            samples.setForeground(QColor(color("muted")))

    def validatePage(self) -> bool:
        problem = self.wiz.check_mapping()
        self.error.setVisible(bool(problem))
        self.error.setText(problem or "")
        if problem is None:
            self.wiz.find_unknown_values()
        return problem is None

    def _on_saved_activated(self, index: int) -> None:
        name = self.saved.itemData(index)
        self.wiz.use_saved_mapping(name)
        self.delete_button.setEnabled(name is not None)
        self.fill()

    def _on_save_clicked(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Save mapping", "Name of the mapping:", text=self.wiz.mapping_name or ""
        )
        if ok and name.strip():
            self.wiz.save_mapping(name.strip(), on_saved=lambda: self.fill_saved(name.strip()))

    def _on_delete_clicked(self) -> None:
        name = self.saved.currentData()
        if name is None:
            return
        answer = QMessageBox.question(self, "Delete mapping", f"Delete the saved mapping {name}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.wiz.delete_mapping(name, on_deleted=lambda: self.fill_saved(""))
