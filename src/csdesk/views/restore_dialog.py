"""The "Restore from backup…" dialog: pick a restore point (or a backup file) and restore it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csdesk.db import Portfolio
from csdesk.errors import CsdeskError
from csdesk.services.backups import (
    RestorePoint,
    backups_kept,
    list_restore_points,
    restore_from,
)

__all__ = ["RestoreDialog", "format_size"]

_BACKUP_FILTER = "csdesk portfolios and backups (*.db *.sqlite *.csdesk);;All files (*)"


def format_size(size: int) -> str:
    """A file size the way a file manager shows it (``812 KB``, ``4.2 MB``)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


def _when(created: dt.datetime) -> str:
    return created.strftime("%a %d %b %Y, %H:%M")


class RestoreDialog(QDialog):
    """Lists the portfolio's automatic backups and restores the chosen one after confirmation.

    The replaced portfolio is kept as a backup first, so a restore can itself be undone from
    this dialog. The dialog closes with ``accept()`` after a successful restore.

    Args:
        portfolio: The open portfolio, or the path of its file.
        parent: The parent window.

    Signals:
        restored: Emitted after a restore with the path of the kept copy of the replaced
            portfolio (``None`` when there was nothing to replace); views should reload.
    """

    restored = Signal(object)

    def __init__(self, portfolio: Portfolio | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        path = portfolio.path if isinstance(portfolio, Portfolio) else Path(portfolio)
        if path is None:
            raise CsdeskError("restore works on portfolio files, not on database servers")
        self.portfolio_path = path
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.setMinimumSize(620, 380)
        self.points = list_restore_points(path)

        intro = QLabel(self._intro_text())
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Restore points")
        self.table.setHorizontalHeaderLabels(["Taken", "Reason", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel(
            "No automatic backups yet: one is taken on the first open of "
            "each day, before every import and before a schema upgrade."
        )
        self.empty_label.setWordWrap(True)
        self._fill_table()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("Restore…", self)
        self.restore_button.setDefault(True)
        self.file_button = QPushButton("From a file…", self)
        self.file_button.setToolTip(
            "Restore a copy made with File ▸ Back up portfolio… or csdesk backup"
        )
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.file_button.clicked.connect(self._on_file_button_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_restore_button_clicked())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        if self.points:
            self.table.selectRow(0)
        self._update_buttons()

    def _intro_text(self) -> str:
        return (
            f"Replace {self.portfolio_path.name} with an earlier copy. csdesk keeps the newest "
            f"{backups_kept(self.portfolio_path)} automatic backups; the portfolio as it is now is "
            "kept as a backup before it is replaced, so a restore can be undone here too."
        )

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.points))
        for row, point in enumerate(self.points):
            cells = (_when(point.created), point.label, format_size(point.size))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self.points))
        self.empty_label.setVisible(not self.points)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected_point(self) -> RestorePoint | None:
        """The restore point of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.points[rows[0].row()] if rows else None

    def _on_restore_button_clicked(self) -> None:
        point = self.selected_point()
        if point is None:
            return
        what = f"the backup taken {_when(point.created)} ({point.label.lower()})"
        self.restore(point.path, what)

    def _on_file_button_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup file", str(self.portfolio_path.parent), _BACKUP_FILTER
        )
        if chosen:
            self.restore(Path(chosen), Path(chosen).name)

    def restore(self, source: Path, what: str) -> bool:
        """Ask for confirmation, then restore ``source``; True when the portfolio was replaced."""
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace {self.portfolio_path.name} with {what}?\n\nChanges made since then will be "
            "replaced. The portfolio as it is now is kept as a backup first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            kept = restore_from(self.portfolio_path, source)
        except CsdeskError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Restore from backup", f"Nothing was restored: {exc}")
            return False
        QGuiApplication.restoreOverrideCursor()
        note = f"\n\nThe replaced portfolio was kept as {kept.name}." if kept else ""
        QMessageBox.information(
            self, "Restore from backup", f"{self.portfolio_path.name} was restored.{note}"
        )
        self.restored.emit(kept)
        self.accept()
        return True
