"""The import wizard's preview page: date order, rows with problems in red, dry run, import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from csdesk.errors import CancelledError, CsdeskError
from csdesk.views.import_wizard.pages import KIND_LABELS, error_label, field_label, step_title
from csdesk.views.theme import color
from csdesk.views.workers import Job

if TYPE_CHECKING:
    from csdesk.services.importer import ImportPreview, ImportSummary
    from csdesk.views.import_wizard.session import ImportSession

__all__ = ["PREVIEW_ROWS", "PreviewPage", "TintDelegate", "problem_brush"]

PREVIEW_ROWS = 50
DATE_ORDERS = (
    ("Automatic (decided from the file)", None),
    ("Day first: 31/12/2026", "DMY"),
    ("Month first: 12/31/2026", "MDY"),
)
_ORDER_NAMES = {"DMY": "day first", "MDY": "month first"}


def problem_brush() -> QColor:
    """The background of a row that would be rejected."""
    tint = QColor(color("bad"))
    tint.setAlpha(48)
    return tint


class TintDelegate(QStyledItemDelegate):
    """Paints a cell's background brush under its text (the style sheet would hide it)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        brush = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(brush, QBrush | QColor):
            painter.fillRect(option.rect, brush)
        super().paint(painter, option, index)


class PreviewPage(QWizardPage):
    """The first rows as they would be imported, rows with problems in red, and a dry run."""

    def __init__(self, wizard: ImportSession) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(step_title(3, "Check the rows"))
        self.setSubTitle(
            "Rows in red would be rejected (hover for the reason); every other row is imported. "
            "Nothing is written until you click Import."
        )
        self.setCommitPage(True)
        self.date_order = QComboBox()
        self.date_order.setAccessibleName("Date order")
        for label, order in DATE_ORDERS:
            self.date_order.addItem(label, order)
        self.date_order.activated.connect(self._on_date_order_activated)
        self.detected = QLabel()
        self.detected.setObjectName("muted")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Dates"))
        bar.addWidget(self.date_order)
        bar.addWidget(self.detected)
        bar.addStretch(1)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.check = QLabel()
        self.check.setObjectName("muted")
        self.check.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setAccessibleName("Preview of the rows")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setItemDelegate(TintDelegate(self.table))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.check)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self.preview: ImportPreview | None = None
        self.problems: dict[int, list[str]] = {}
        self.check_job: Job | None = None
        self.checked: ImportSummary | None = None
        self.progress: QProgressDialog | None = None
        self._generation = 0

    # -- preview ---------------------------------------------------------------------------

    def initializePage(self) -> None:
        self.date_order.setCurrentIndex(max(self.date_order.findData(self.wiz.date_order), 0))
        self.refresh()

    def cleanupPage(self) -> None:
        self.cancel_check()

    def refresh(self) -> None:
        """Preview the first rows with the current choices and start the dry run."""
        self.cancel_check()
        self.error.hide()
        self.checked = None
        try:
            self.preview = self.wiz.preview(PREVIEW_ROWS)
        except CsdeskError as exc:
            self.preview = None
            self.table.setRowCount(0)
            self.error.setText(str(exc))
            self.error.show()
            self.counts.setText("")
            self.check.setText("")
            self.completeChanged.emit()
            return
        preview = self.preview
        self.problems = {r.row: list(r.problems) for r in preview.rows if r.problems}
        order = _ORDER_NAMES.get(preview.date_order, preview.date_order)
        self.detected.setText(f"this file: {order}" if self.wiz.date_order is None else "")
        self._fill()
        self.check.setText("Checking the whole file against the portfolio…")
        generation = self._generation
        self.check_job = self.wiz.run(
            dry_run=True,
            on_done=lambda summary: self._on_checked(summary, generation),
            on_error=lambda exc: self._on_check_failed(exc, generation),
        )
        self.completeChanged.emit()

    def _fill(self) -> None:
        preview = self.preview
        assert preview is not None
        columns = preview.recognised
        self.table.clear()
        self.table.setColumnCount(2 + len(columns))
        labels = ["Row", "Problem", *(c.header for c in columns)]
        self.table.setHorizontalHeaderLabels(labels)
        for position, source in enumerate(columns, start=2):
            header = self.table.horizontalHeaderItem(position)
            if header is not None:
                header.setToolTip(f"{source.header} → {field_label(source.field or '')}")
        self.table.setRowCount(len(preview.rows))
        tint = problem_brush()
        for row, data in enumerate(preview.rows):
            reasons = self.problems.get(data.row, [])
            tip = "\n".join(reasons)
            texts = [str(data.row), "; ".join(reasons), *(data.cells[c.index] for c in columns)]
            for index, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if reasons:
                    item.setBackground(tint)
                    item.setToolTip(tip)
                if index == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, index, item)
        self.table.resizeColumnsToContents()
        for index in range(self.table.columnCount()):
            width = self.table.columnWidth(index)
            widest = 400 if index == 1 else 300
            self.table.setColumnWidth(index, min(max(width + 12, 56), widest))
        bad = len(self.problems)
        shown = len(preview.rows)
        which = f"The first {shown}" if shown >= PREVIEW_ROWS else f"All {shown}"
        text = f"{which} data rows (headers on row {preview.header_row})"
        text += f", read as {KIND_LABELS.get(preview.kind, preview.kind).lower()}."
        text += f" {bad} of them would be rejected." if bad else " None has a problem."
        self.counts.setText(text)

    def problem_rows(self) -> list[int]:
        """Spreadsheet numbers of the shown rows that would be rejected."""
        assert self.preview is not None
        return [r.row for r in self.preview.rows if r.row in self.problems]

    def _on_date_order_activated(self, index: int) -> None:
        self.wiz.date_order = self.date_order.itemData(index)
        self.refresh()

    # -- dry run ---------------------------------------------------------------------------

    def cancel_check(self) -> None:
        """Stop the dry run, if one is running (its result is no longer wanted)."""
        self._generation += 1
        if self.check_job is not None:
            self.check_job.cancel()
            self.check_job = None

    def _on_checked(self, summary: ImportSummary, generation: int) -> None:
        if generation != self._generation:
            return
        self.check_job = None
        self.checked = summary
        shown = {r.row for r in self.preview.rows} if self.preview else set()
        changed = False
        for error in summary.rejected:
            reasons = self.problems.setdefault(error.row, []) if error.row in shown else None
            if reasons is not None and error.reason not in reasons:
                reasons.append(error.reason)
                changed = True
        if changed:
            self._fill()
        text = f"Importing the whole file would give: {summary.headline()}."
        if summary.ignored_columns:
            text += f" Ignored columns: {', '.join(summary.ignored_columns)}."
        self.check.setText(text)

    def _on_check_failed(self, exc: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self.check_job = None
        self.check.setText(f"The check failed: {exc}")

    # -- import ----------------------------------------------------------------------------

    def isComplete(self) -> bool:
        return self.preview is not None and self.wiz.import_job is None

    def validatePage(self) -> bool:
        if self.wiz.summary is not None:
            return True
        if self.wiz.import_job is None and self.preview is not None:
            self.start_import()
        return False

    def start_import(self) -> None:
        """Run the import on the writer thread behind a progress dialog with Cancel."""
        self.cancel_check()
        self.error.hide()
        dialog = QProgressDialog("Starting the import…", "Cancel", 0, 0, self.wizard())
        dialog.setWindowTitle("Importing")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        self.progress = dialog
        job = self.wiz.run(dry_run=False, on_done=self._on_imported, on_error=self._on_failed)
        self.wiz.import_job = job
        job.progressed.connect(self._on_job_progressed)
        dialog.canceled.connect(self._on_progress_canceled)
        dialog.show()
        self.completeChanged.emit()

    def _on_job_progressed(self, label: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if label:
            self.progress.setLabelText(f"{label}…")
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(min(done, total))

    def _on_progress_canceled(self) -> None:
        if self.wiz.import_job is not None:
            self.wiz.import_job.cancel()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._on_progress_canceled)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_imported(self, summary: ImportSummary) -> None:
        self._close_progress()
        self.wiz.imported(summary)

    def _on_failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.wiz.import_job = None
        self.completeChanged.emit()
        if isinstance(exc, CancelledError):
            self.check.setText("Import cancelled; nothing was changed.")
            self.wiz.ctx.status_posted.emit("Import cancelled; nothing was changed")
            return
        message = str(exc) if isinstance(exc, CsdeskError) else f"{type(exc).__name__}: {exc}"
        self.error.setText(f"The import failed and nothing was changed: {message}")
        self.error.show()
        self.wiz.ctx.report(message)
