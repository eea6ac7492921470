"""The export dialog: one account's business case, a batch for the filtered portfolio, or the
portfolio workbook, written on the window's worker thread with progress and cancel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CancelledError, CsdeskError
from csdesk.views.workers import Job

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["ExportDialog", "ExportTarget", "open_export_dialog"]


class ExportTarget:
    """What can be exported: the names of the three choices."""

    CASE = "case"
    BATCH = "batch"
    WORKBOOK = "workbook"


_KIND_NAMES = {"pdf": "PDF", "xlsx": "Excel workbook"}


def _default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents else Path.home()
    return folder if folder.is_dir() else Path.home()


class ExportDialog(QDialog):
    """Choose what to export, the formats and the folder; export on the worker thread.

    Args:
        ctx: The app context (its portfolio is open).
        account_id: The account whose 360 is shown or that is selected, if any.
        selection: The accounts the portfolio list shows, in its order.
        parent: The window.
    """

    def __init__(
        self,
        ctx: AppContext,
        account_id: int | None,
        selection: list[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from csdesk.services.exporter import suggested_stem
        from csdesk.services.portfolio_table import fetch_rows

        self.ctx = ctx
        portfolio = self.ctx.portfolio
        assert portfolio is not None
        self.account_id: int | None = account_id
        self.selection: list[int] = selection
        self.job: Job | None = None
        self.error_box: QMessageBox | None = None
        self.written: list[Path] = []
        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self.setMinimumWidth(620)

        account_name, stem = "", "business-case"
        if self.account_id is not None:
            row = fetch_rows(portfolio, [self.account_id]).get(self.account_id)
            account_name = row.name if row is not None else ""
            try:
                stem = suggested_stem(portfolio, self.account_id)
            except CsdeskError:
                self.account_id = None
        self.case_stem = stem
        self.workbook_stem = f"portfolio-{dt.date.today().isoformat()}"

        title = QLabel("Export")
        title.setObjectName("pageTitle")
        self.choices = QButtonGroup(self)
        self.case = QRadioButton(
            f"Business case for {account_name.replace('&', '&&')}"
            if self.account_id is not None
            else "Business case (select an account in the portfolio first)"
        )
        count = len(self.selection)
        self.batch = QRadioButton(
            f"Business cases of the {count:,} accounts shown in the portfolio"
            if count != 1
            else "Business case of the one account shown in the portfolio"
        )
        self.workbook = QRadioButton("Portfolio workbook: every account in one Excel file")
        for button, key in (
            (self.case, ExportTarget.CASE),
            (self.batch, ExportTarget.BATCH),
            (self.workbook, ExportTarget.WORKBOOK),
        ):
            button.setProperty("target", key)
            self.choices.addButton(button)
        self.case.setEnabled(self.account_id is not None)
        self.batch.setEnabled(count > 0)
        (
            self.case if self.account_id is not None else self.batch if count else self.workbook
        ).setChecked(True)
        self.choices.buttonToggled.connect(self._on_choice_toggled)

        self.pdf = QCheckBox("PDF")
        self.xlsx = QCheckBox("Excel (live ROI formulas)")
        for box in (self.pdf, self.xlsx):
            box.setChecked(True)
            box.toggled.connect(self._update)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.xlsx)
        formats.addStretch(1)
        self.folder = QLineEdit(str(self.ctx.settings.folder("export") or _default_folder()))
        self.folder.setAccessibleName("Folder")
        self.folder.textChanged.connect(self._update)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._on_choose_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.name = QLineEdit()
        self.name.setAccessibleName("File name")
        self.name.textChanged.connect(self._update)
        self.name_label = QLabel("File name")
        self.suffix = QLabel()
        self.suffix.setObjectName("muted")
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.suffix)
        form = QFormLayout()
        form.addRow("Formats", formats)
        form.addRow("Folder", folder_row)
        form.addRow(self.name_label, name_row)
        self.open_folder = QCheckBox("Open the folder afterwards")
        self.open_folder.setChecked(True)
        self.files = QLabel()
        self.files.setObjectName("muted")
        self.files.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setMaximumWidth(16777215)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("primary")
        self.close_button = self.buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        for button in (self.case, self.batch, self.workbook):
            layout.addWidget(button)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.files)
        layout.addWidget(self.open_folder)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.progress.hide()
        self._on_choice_toggled()

    # -- choices ---------------------------------------------------------------------------

    def target(self) -> str:
        """The chosen export: ``case``, ``batch`` or ``workbook``."""
        button = self.choices.checkedButton()
        return str(button.property("target")) if button is not None else ExportTarget.CASE

    def formats(self) -> list[str]:
        """The chosen formats (``pdf``, ``xlsx``); the workbook is always Excel."""
        if self.target() == ExportTarget.WORKBOOK:
            return ["xlsx"]
        return [k for k, box in (("pdf", self.pdf), ("xlsx", self.xlsx)) if box.isChecked()]

    def paths(self) -> list[Path]:
        """The files a single case or the workbook will be written to."""
        folder, stem = Path(self.folder.text().strip()).expanduser(), self.name.text().strip()
        return [folder / f"{stem}.{kind}" for kind in self.formats()] if stem else []

    def _on_choice_toggled(self, *_args: object) -> None:
        target = self.target()
        single = target != ExportTarget.BATCH
        self.name.setText(self.case_stem if target == ExportTarget.CASE else self.workbook_stem)
        for widget in (self.name, self.name_label, self.suffix):
            widget.setVisible(single)
        for box in (self.pdf, self.xlsx):
            box.setEnabled(target != ExportTarget.WORKBOOK)
        self._update()
        self.adjustSize()

    def _update(self, *_args: object) -> None:
        target, formats = self.target(), self.formats()
        self.suffix.setText(" and ".join(f".{kind}" for kind in formats))
        if target == ExportTarget.BATCH:
            kinds = " and one ".join(_KIND_NAMES[kind] for kind in formats) or "no file"
            text = f"One {kinds} per account, named after the account and its CRM id. "
            text += "Files of the same names in the folder are replaced."
        elif target == ExportTarget.CASE:
            text = "Each export is recorded on the account's timeline."
        else:
            text = "Every account with its scores, bands, stage, renewal and ROI."
        self.files.setText(text)
        ready = bool(formats) and bool(self.folder.text().strip()) and self.job is None
        has_files = target == ExportTarget.BATCH or bool(self.paths())
        self.export_button.setEnabled(ready and has_files)

    def _on_choose_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to the folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    # -- running ---------------------------------------------------------------------------

    def export(self) -> None:
        """Start the chosen export on the worker thread."""
        from csdesk.services.exporter import (
            export_all,
            export_case_by_id,
            export_portfolio_workbook,
        )

        portfolio = self.ctx.portfolio
        if portfolio is None or self.job is not None:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        target, formats, paths = self.target(), self.formats(), self.paths()
        if target != ExportTarget.BATCH and not self._may_replace(paths):
            return
        work: Callable[[Any], Any]
        if target == ExportTarget.CASE:
            account_id = self.account_id
            assert account_id is not None
            files = dict(zip(formats, paths, strict=True))
            work = lambda _p: export_case_by_id(  # noqa: E731
                portfolio, account_id, pdf=files.get("pdf"), xlsx=files.get("xlsx")
            )
            label = "Exporting the business case"
        elif target == ExportTarget.BATCH:
            ids = frozenset(self.selection)
            work = lambda progress: export_all(  # noqa: E731
                portfolio, folder, progress, account_ids=ids, formats=formats
            )
            label = f"Exporting {len(ids):,} business cases"
        else:
            work = lambda _p: [export_portfolio_workbook(portfolio, paths[0])]  # noqa: E731
            label = "Exporting the portfolio workbook"
        self.status.setText(f"{label}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.adjustSize()
        self.job = self.ctx.worker.submit(
            work, label, on_done=self._on_done, on_error=self._on_failed
        )
        self.job.progressed.connect(self._on_job_progressed)
        self._set_running(True)

    def _may_replace(self, paths: list[Path]) -> bool:
        existing = [p for p in paths if p.exists()]
        if not existing:
            return True
        names = ", ".join(p.name for p in existing)
        answer = QMessageBox.question(self, "Replace files", f"Replace {names}?")
        return answer == QMessageBox.StandardButton.Yes

    def _set_running(self, running: bool) -> None:
        for widget in (
            self.case,
            self.batch,
            self.workbook,
            self.pdf,
            self.xlsx,
            self.folder,
            self.name,
            self.open_folder,
        ):
            widget.setEnabled(not running)
        if not running:
            self.case.setEnabled(self.account_id is not None)
            self.batch.setEnabled(bool(self.selection))
            self._on_choice_toggled()
        self.close_button.setText("Stop" if running else "Close" if self.written else "Cancel")
        self._update()

    def _on_job_progressed(self, _label: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.status.setText(f"{done:,} of {total:,} documents written…")

    def _on_done(self, result: Any) -> None:
        self.job = None
        self.progress.hide()
        self.written = [Path(p) for p in getattr(result, "written", result)]
        folder = getattr(result, "out_dir", None) or (
            self.written[0].parent if self.written else None
        )
        if getattr(result, "cancelled", False) or getattr(result, "failed", None):
            self.status.setText(result.describe().capitalize() + ".")
            self._set_running(False)
            if result.failed:
                self.ctx.report(f"Some business cases failed: {result.failed[0][1]}")
            return
        self.ctx.settings.remember_folder("export", Path(self.folder.text().strip()).expanduser())
        message = f"Exported {len(self.written)} file{'s' if len(self.written) != 1 else ''}"
        self.ctx.status_posted.emit(f"{message} to {folder}" if folder else message)
        if folder is not None and self.open_folder.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.hide()
        self._set_running(False)
        if isinstance(exc, CancelledError):
            self.status.setText(str(exc))
            return
        message = str(exc) if isinstance(exc, CsdeskError) else f"{type(exc).__name__}: {exc}"
        self.status.setText(f"The export failed: {message}")
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, parent=self)
        self.error_box = box
        self.error_box.open()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Stopping after the documents being written…")
            return
        super().reject()


def open_export_dialog(
    ctx: AppContext, account_id: int | None, selection: list[int], parent: QWidget
) -> ExportDialog:
    """Open the export dialog (window-modal, not blocking) and return it."""
    dialog = ExportDialog(ctx, account_id, selection, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
