"""Dumb dialogs: the window opens one, reads its fields and calls one service or command."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.views.theme import icon

__all__ = [
    "PORTFOLIO_FILTER",
    "SPREADSHEET_FILTER",
    "AddTaskDialog",
    "ChoiceButton",
    "OverrideDialog",
    "ShortcutsDialog",
    "WelcomeChoice",
    "WelcomeDialog",
    "ask_import_file",
    "ask_new_portfolio",
    "ask_open_portfolio",
]

PORTFOLIO_FILTER = "csdesk portfolios (*.db *.sqlite *.csdesk);;All files (*)"
SPREADSHEET_FILTER = "Spreadsheets (*.csv *.tsv *.txt *.xlsx);;All files (*)"


class WelcomeChoice(Enum):
    """What the user chose for an empty portfolio."""

    DEMO = "demo"
    IMPORT = "import"
    EMPTY = "empty"


class ChoiceButton(QPushButton):
    """A large button with an icon, a bold title and a muted line of detail under it."""

    def __init__(
        self, icon_name: str, title: str, detail: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeChoice")
        self.setAccessibleName(title)
        self.setAccessibleDescription(detail)
        self.setMinimumHeight(64)
        picture = QLabel()
        picture.setPixmap(icon(icon_name).pixmap(QSize(22, 22)))
        heading = QLabel(title)
        heading.setObjectName("choiceTitle")
        note = QLabel(detail)
        note.setObjectName("choiceDetail")
        note.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(heading)
        texts.addWidget(note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(14)
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(texts, 1)
        for label in (picture, heading, note):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else QSize()
        return hint.expandedTo(QSize(0, self.minimumHeight()))


class WelcomeDialog(QDialog):
    """Offered when the portfolio is empty: load the demo, import a file, or start empty."""

    def __init__(self, portfolio_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to csdesk")
        self.setAccessibleName("Welcome")
        self.choice = WelcomeChoice.EMPTY
        title = QLabel("Welcome to csdesk")
        title.setObjectName("pageTitle")
        text = QLabel(
            f"The portfolio <b>{html.escape(portfolio_name)}</b> has no accounts yet. "
            "How would you like to start?"
        )
        text.setWordWrap(True)
        text.setObjectName("subtitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(8)
        options = (
            (
                WelcomeChoice.DEMO,
                "demo",
                "Load the demo portfolio",
                "60 accounts with a year of history, tickets, surveys and ROI inputs.",
            ),
            (
                WelcomeChoice.IMPORT,
                "import",
                "Import a spreadsheet…",
                "An accounts export from your CRM: Salesforce or HubSpot, CSV or Excel.",
            ),
            (
                WelcomeChoice.EMPTY,
                "new",
                "Start with an empty portfolio",
                "Add accounts later with File ▸ Import spreadsheet (Ctrl+I).",
            ),
        )
        self.buttons: dict[WelcomeChoice, QPushButton] = {}
        for choice, icon_name, label, detail in options:
            button = ChoiceButton(icon_name, label, detail)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        self.buttons[WelcomeChoice.DEMO].setDefault(True)
        self.buttons[WelcomeChoice.DEMO].setFocus()
        # Wrapped labels: size the height for the fixed width, not for the labels' own guess.
        self.setFixedSize(640, layout.totalHeightForWidth(640))

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: the keys, grouped by where they work.

    Args:
        groups: ``(heading, [(keys, what they do), …])`` in display order.
        parent: The main window.
    """

    def __init__(
        self,
        groups: Sequence[tuple[str, Sequence[tuple[str, str]]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        title = QLabel("Keyboard shortcuts")
        title.setObjectName("pageTitle")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        row = 0
        for heading, keys in groups:
            section = QLabel(heading)
            section.setObjectName("sectionTitle")
            grid.addWidget(section, row, 0, 1, 2)
            row += 1
            for shortcut, what in keys:
                key_label = QLabel(shortcut)
                key_label.setObjectName("shortcutKeys")
                grid.addWidget(key_label, row, 0)
                grid.addWidget(QLabel(what), row, 1)
                row += 1
            grid.setRowMinimumHeight(row, 8)
            row += 1
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


class OverrideDialog(QDialog):
    """Ask for a manual health score (0–100) and the reason for it."""

    def __init__(
        self, account_name: str, current: float | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override health score")
        self.score = QDoubleSpinBox()
        self.score.setRange(0.0, 100.0)
        self.score.setDecimals(1)
        self.score.setSingleStep(1.0)
        self.score.setValue(current if current is not None else 50.0)
        self.score.setAccessibleName("Overridden score")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why the computed score is wrong (required)")
        self.reason.setAccessibleName("Reason for the override")
        self.reason.setFixedHeight(80)
        note = QLabel(
            f"The score you enter replaces the computed one for <b>{account_name}</b> until "
            "you clear the override. The computed score stays in the history."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form = QFormLayout()
        form.addRow("Score", self.score)
        form.addRow("Reason", self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Override")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def values(self) -> tuple[float, str]:
        """The score and reason entered."""
        return self.score.value(), self.reason.toPlainText().strip()


class AddTaskDialog(QDialog):
    """Ask for a new task's title, type and due date."""

    def __init__(self, types: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add task")
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Call the executive sponsor")
        self.title.setAccessibleName("Task title")
        self.type = QComboBox()
        self.type.addItems(list(types))
        self.type.setCurrentText("follow-up")
        self.due = QDateEdit(QDate.currentDate().addDays(7))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Type", self.type)
        form.addRow("Due", self.due)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.title.textChanged.connect(lambda text: self._ok.setEnabled(bool(text.strip())))
        self._ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def values(self) -> tuple[str, dt.date, str]:
        """Title, due date and type."""
        qdate = self.due.date()
        due = dt.date(qdate.year(), qdate.month(), qdate.day())
        return self.title.text().strip(), due, self.type.currentText()


def _start_dir(current: str | None) -> str:
    return str(Path(current).parent) if current else str(Path.home())


def ask_open_portfolio(parent: QWidget, current: str | None = None) -> str | None:
    """Ask for an existing portfolio file; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open portfolio", _start_dir(current), PORTFOLIO_FILTER
    )
    return path or None


def ask_new_portfolio(parent: QWidget, current: str | None = None) -> str | None:
    """Ask where to create a new portfolio file; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "New portfolio",
        str(Path(_start_dir(current)) / "portfolio.db"),
        PORTFOLIO_FILTER,
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if path and not Path(path).suffix:
        path += ".db"
    return path or None


def ask_import_file(parent: QWidget) -> str | None:
    """Ask for a spreadsheet to import; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Import a spreadsheet", str(Path.home()), SPREADSHEET_FILTER
    )
    return path or None
