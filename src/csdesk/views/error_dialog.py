"""The dialog for an unexpected error: one line, the details folded away, "Copy details";
and the reporter that brings errors from any thread to it (the exception hook's target)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ErrorDialog", "ErrorReporter"]


class ErrorDialog(QDialog):
    """Says what went wrong in one line, keeps the traceback one click away and copyable."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("csdesk — unexpected error")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details = details
        layout = QVBoxLayout(self)
        self.message = QLabel(
            f"<b>Something went wrong.</b><br>{_escape(summary)}<br><br>"
            "Your portfolio was not changed by this error, and csdesk keeps working. "
            "If it happens again, send the details to support."
        )
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        self.text.setMinimumHeight(220)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.toggle = QPushButton("Show details")
        self.copy = QPushButton("Copy details")
        buttons.addButton(self.toggle, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.toggle.clicked.connect(self._toggle)
        self.copy.clicked.connect(self.copy_details)
        layout.addWidget(buttons)
        self.resize(520, 200)

    def copy_details(self) -> None:
        """Put the details (versions and traceback) on the clipboard."""
        QApplication.clipboard().setText(self.details)
        self.copy.setText("Copied")

    def _toggle(self) -> None:
        shown = not self.text.isVisible()
        self.text.setVisible(shown)
        self.toggle.setText("Hide details" if shown else "Show details")
        self.adjustSize()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ErrorReporter(QObject):
    """Receives ``(summary, details)`` on any thread and shows the dialog on the GUI thread.

    At most one dialog is open at a time: an error that repeats on every paint does not bury
    the window under dialogs.
    """

    raised = Signal(str, str)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.dialog: ErrorDialog | None = None
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, summary: str, details: str) -> None:
        """Post an error (thread-safe)."""
        self.raised.emit(summary, details)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return
        self.dialog = ErrorDialog(summary, details, self.parent_widget)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, _result: int) -> None:
        self.dialog = None
