"""The import wizard's last page: what the import did and the rejected rows saved as a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from csdesk.errors import CsdeskError
from csdesk.services.import_rejects import suggested_rejects_name, write_rejects
from csdesk.views.import_wizard.pages import step_title
from csdesk.views.theme import color

if TYPE_CHECKING:
    from csdesk.views.import_wizard.session import ImportSession

__all__ = ["SummaryPage"]


def _figure(title: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName("figure")
    label = QLabel(title)
    label.setObjectName("figureLabel")
    value = QLabel("0")
    value.setObjectName("figureValue")
    value.setAccessibleName(title)
    box = QVBoxLayout(frame)
    box.setContentsMargins(14, 10, 14, 10)
    box.setSpacing(2)
    box.addWidget(label)
    box.addWidget(value)
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return frame, value


class SummaryPage(QWizardPage):
    """What the import did, the rejected rows, and saving them as a CSV to fix."""

    def __init__(self, wizard: ImportSession) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(step_title(4, "Import finished"))
        self.figures: dict[str, QLabel] = {}
        row = QHBoxLayout()
        for key in ("Created", "Updated", "Unchanged", "Rejected"):
            frame, value = _figure(key)
            self.figures[key.lower()] = value
            row.addWidget(frame)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setObjectName("muted")
        self.rejected = QTableWidget(0, 2)
        self.rejected.setHorizontalHeaderLabels(["Row", "Why it was rejected"])
        self.rejected.setAccessibleName("Rejected rows")
        self.rejected.verticalHeader().hide()
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected.horizontalHeader().setStretchLastSection(True)
        self.save_button = QPushButton("Save rejected rows as CSV…")
        self.save_button.setAccessibleName("Save the rejected rows as a CSV file")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.saved_label = QLabel(
            "Save them as a CSV file, fix the cells the Problem column names, and import "
            "that file again."
        )
        self.saved_label.setObjectName("muted")
        self.saved_label.setWordWrap(True)
        self.rejected_title = QLabel("Rejected rows")
        self.rejected_title.setObjectName("sectionTitle")
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.saved_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.details)
        layout.addSpacing(6)
        layout.addWidget(self.rejected_title)
        layout.addWidget(self.rejected, 1)
        layout.addLayout(actions)
        # Without rejected rows the table is hidden: a stretch keeps the figures at the top.
        layout.addStretch(0)
        self._layout = layout

    def initializePage(self) -> None:
        summary = self.wiz.summary
        assert summary is not None
        self.setSubTitle(f"{summary.file} ({summary.kind}): {summary.headline()}.")
        counts = {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "rejected": len(summary.rejected),
        }
        for key, value in counts.items():
            self.figures[key].setText(f"{value:,}")
        self.figures["rejected"].setStyleSheet(
            f"color: {color('bad')};" if summary.rejected else ""
        )
        lines = []
        if summary.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(summary.ignored_columns) + ".")
        if summary.skipped:
            lines.append(f"Skipped {summary.skipped} blank or footer rows.")
        if not summary.rejected:
            lines.append("No row was rejected.")
        self.details.setText(" ".join(lines))
        self.rejected.setRowCount(len(summary.rejected))
        for index, error in enumerate(summary.rejected):
            self.rejected.setItem(index, 0, QTableWidgetItem(str(error.row)))
            self.rejected.setItem(index, 1, QTableWidgetItem(error.reason))
        self.rejected.resizeColumnToContents(0)
        for widget in (self.rejected, self.rejected_title, self.save_button, self.saved_label):
            widget.setVisible(bool(summary.rejected))
        self._layout.setStretch(self._layout.count() - 1, 0 if summary.rejected else 1)

    def _on_save_clicked(self) -> None:
        summary, source = self.wiz.summary, self.wiz.path
        if summary is None or source is None:
            return
        proposal = str(Path(source).parent / suggested_rejects_name(source))
        target, _ = QFileDialog.getSaveFileName(
            self, "Save the rejected rows", proposal, "CSV files (*.csv)"
        )
        if not target:
            return
        sheet = self.wiz.found.sheet if self.wiz.found else None
        try:
            count = write_rejects(
                summary, source, Path(target), sheet=sheet, mapping=self.wiz.mapping()
            )
        except CsdeskError as exc:
            self.wiz.ctx.report(exc)
            return
        self.saved_label.setText(f"Saved {count} rows to {target}: fix them and import it again.")
