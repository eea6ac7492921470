"""Portfolio ▸ Branding: the dialog (vendor, logo, accent, footer, currency, locale) and its save.

A dumb dialog: it shows a :class:`~csdesk.scoring.branding.Branding`, checks what is typed with
the branding service's own rules (one clear line under the form) and returns the new one; the
window saves it as one undoable command.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import ValidationError
from csdesk.reports.formatting import formats_for
from csdesk.scoring.branding import Branding
from csdesk.services.branding import (
    checked_branding,
    currency_choices,
    locale_choices,
    read_logo_file,
    save_branding,
)
from csdesk.services.edits import EditResult
from csdesk.views.commands import EditCommand

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["LOGO_FILTER", "BrandingDialog", "SaveBrandingCommand"]

LOGO_FILTER = "Logos (*.png *.svg);;All files (*)"
_PREVIEW = QSize(248, 72)


class BrandingDialog(QDialog):
    """Edit the portfolio's branding.

    Args:
        branding: The branding stored now.
        parent: The parent widget.
    """

    def __init__(self, branding: Branding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Branding and currency")
        self.logo: bytes | None = branding.logo
        self.vendor = QLineEdit(branding.vendor_name)
        self.vendor.setAccessibleName("Vendor name")
        self.vendor.setPlaceholderText("Your company, as the client knows it")
        self.logo_preview = QLabel()
        self.logo_preview.setAccessibleName("Logo preview")
        self.logo_preview.setFixedSize(_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setObjectName("logoPreview")
        # On white, as it prints on the page and the slide (a dark theme would hide dark logos).
        self.logo_preview.setStyleSheet(
            "background: #ffffff; color: #66717e; border: 1px solid #c9d0d8; border-radius: 6px;"
        )
        self.choose_logo = QPushButton("Choose…")
        self.choose_logo.clicked.connect(self._on_choose_logo)
        self.remove_logo = QPushButton("Remove")
        self.remove_logo.clicked.connect(self._on_remove_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.choose_logo)
        logo_row.addWidget(self.remove_logo)
        logo_row.addStretch(1)
        self.accent = QLineEdit(branding.accent)
        self.accent.setAccessibleName("Accent colour")
        self.accent.setMaxLength(7)
        self.accent.setFixedWidth(100)
        self.swatch = QPushButton()
        self.swatch.setAccessibleName("Pick the accent colour")
        self.swatch.setToolTip("Pick a colour")
        self.swatch.setFixedSize(QSize(36, 26))
        self.swatch.clicked.connect(self._on_pick_colour)
        accent_row = QHBoxLayout()
        accent_row.addWidget(self.swatch)
        accent_row.addWidget(self.accent)
        accent_row.addStretch(1)
        self.footer = QLineEdit(branding.footer)
        self.footer.setAccessibleName("Footer")
        self.footer.setPlaceholderText("A line at the foot of every page and slide")
        self.currency_box = QComboBox()
        self.currency_box.setAccessibleName("Currency")
        for code, name in currency_choices():
            self.currency_box.addItem(name, code)
        self.currency_box.setCurrentIndex(max(0, self.currency_box.findData(branding.currency)))
        self.locale_box = QComboBox()
        self.locale_box.setAccessibleName("Locale")
        self.locale_box.setToolTip("How numbers and dates are written, and the PDF's paper size")
        for tag, name in locale_choices():
            self.locale_box.addItem(name, tag)
        self.locale_box.setCurrentIndex(max(0, self.locale_box.findData(branding.locale)))
        for combo in (self.currency_box, self.locale_box):
            combo.setEditable(True)  # type to find among hundreds
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setMaxVisibleItems(16)
        self.sample = QLabel()
        self.sample.setObjectName("muted")
        self.sample.setAccessibleName("How figures will read")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #d64545;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("Vendor name", self.vendor)
        form.addRow("Logo", logo_row)
        form.addRow("Accent colour", accent_row)
        form.addRow("Footer", self.footer)
        form.addRow("Currency", self.currency_box)
        form.addRow("Locale", self.locale_box)
        form.addRow("", self.sample)
        note = QLabel(
            "Used on every business case (PDF, Excel, deck) and for money in this window."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

        self.accent.textChanged.connect(self._refresh)
        self.currency_box.currentIndexChanged.connect(self._refresh)
        self.locale_box.currentIndexChanged.connect(self._refresh)
        self._show_logo()
        self._refresh()

    # -- what was typed ------------------------------------------------------------------

    def values(self) -> Branding:
        """The branding as the dialog holds it (not yet checked)."""
        return Branding(
            vendor_name=self.vendor.text(),
            logo=self.logo,
            logo_kind=None,
            accent=self.accent.text(),
            footer=self.footer.text(),
            currency=str(self.currency_box.currentData() or self.currency_box.currentText()),
            locale=str(self.locale_box.currentData() or self.locale_box.currentText()),
        )

    def checked(self) -> Branding | None:
        """The branding checked by the service's rules; None (and a message) when refused."""
        try:
            branding = checked_branding(self.values())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return None
        self.error.setText("")
        return branding

    # -- reacting --------------------------------------------------------------------------

    def _refresh(self, *_args: object) -> None:
        colour = QColor(self.accent.text())
        valid = colour.isValid() and len(self.accent.text()) == 7
        self.swatch.setStyleSheet(
            f"background: {colour.name()}; border: 1px solid #8a94a0; border-radius: 4px;"
            if valid
            else "border: 1px dashed #d64545; border-radius: 4px;"
        )
        fmt = formats_for(
            dataclasses.replace(
                Branding(),
                currency=str(self.currency_box.currentData() or "USD"),
                locale=str(self.locale_box.currentData() or "en_US"),
            )
        )
        self.sample.setText(
            f"{fmt.money(48000)} · {fmt.money(-1234.5, cents=True)} · {fmt.number(1234567.5, 1)}"
            f" · {fmt.percent(0.835, 1)} · {fmt.date(dt.date(2026, 3, 12))}"
        )

    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self.logo and pixmap.loadFromData(self.logo):
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    _PREVIEW - QSize(16, 16),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo" if not self.logo else "Logo (no preview)")
        self.remove_logo.setEnabled(self.logo is not None)

    def _on_choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a logo", str(Path.home()), LOGO_FILTER)
        if path:
            self.load_logo(Path(path))

    def load_logo(self, path: Path) -> bool:
        """Take the logo from a file; False (and a message) when it is refused."""
        try:
            data, _kind = read_logo_file(path)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("")
        self.logo = data
        self._show_logo()
        return True

    def _on_remove_logo(self) -> None:
        self.logo = None
        self._show_logo()

    def _on_pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.accent.text()), self, "Accent colour")
        if chosen.isValid():
            self.accent.setText(chosen.name().upper())

    def _on_accept(self) -> None:
        if self.checked() is not None:
            self.accept()


class SaveBrandingCommand(EditCommand):
    """Save the portfolio's branding (undo puts the one before back)."""

    def __init__(self, ctx: AppContext, branding: Branding) -> None:
        super().__init__(ctx, "Change branding")
        self.branding = branding
        self.old: Branding | None = None

    def do(self) -> EditResult[Any]:
        result = save_branding(self.portfolio, self.branding, expect=self.expect)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return save_branding(self.portfolio, self.old, expect=self.expect)
