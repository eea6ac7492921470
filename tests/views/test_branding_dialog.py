"""Portfolio ▸ Branding: the dialog's checks, logo preview, the undoable save and its effect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QDialog

from csdesk.scoring.branding import Branding
from csdesk.services.branding import load_branding
from csdesk.views.branding_dialog import BrandingDialog

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40"/></svg>'


def _branding(window: Any) -> Branding:
    with window.ctx.portfolio.read() as s:
        return load_branding(s)


def test_the_dialog_shows_the_brand_and_how_figures_will_read(qtbot: Any) -> None:
    dialog = BrandingDialog(Branding(vendor_name="Acme", currency="GBP", locale="en_GB"))
    qtbot.addWidget(dialog)
    assert dialog.vendor.text() == "Acme"
    assert dialog.currency_box.currentData() == "GBP"
    assert dialog.locale_box.currentData() == "en_GB"
    assert dialog.sample.text().startswith("£48,000 · -£1,234.50")
    assert dialog.logo_preview.text() == "No logo" and not dialog.remove_logo.isEnabled()
    dialog.locale_box.setCurrentIndex(dialog.locale_box.findData("de_DE"))
    assert dialog.sample.text().startswith("48.000\u00a0£")
    assert dialog.sample.text().endswith("12.03.2026")


def test_a_bad_accent_is_refused_in_one_line_and_the_dialog_stays_open(qtbot: Any) -> None:
    dialog = BrandingDialog(Branding())
    qtbot.addWidget(dialog)
    dialog.accent.setText("#12")
    dialog._on_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == "accent colour '#12' is not a #RRGGBB colour"
    dialog.accent.setText("#0f766e")
    assert dialog.checked() == Branding(accent="#0F766E")
    assert dialog.error.text() == ""


def test_logos_from_files_are_previewed_or_refused(qtbot: Any, tmp_path: Path) -> None:
    dialog = BrandingDialog(Branding())
    qtbot.addWidget(dialog)
    (tmp_path / "mark.svg").write_bytes(SVG)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    assert not dialog.load_logo(tmp_path / "photo.jpg")
    assert dialog.error.text().startswith("photo.jpg: the logo is neither a PNG")
    assert dialog.load_logo(tmp_path / "mark.svg")
    assert dialog.logo == SVG and dialog.error.text() == ""
    assert not dialog.logo_preview.pixmap().isNull() and dialog.remove_logo.isEnabled()
    dialog.remove_logo.click()
    assert dialog.logo is None and dialog.logo_preview.text() == "No logo"


def test_the_colour_picker_sets_the_accent(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = BrandingDialog(Branding())
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a: QColor("#aa3377")))
    dialog.swatch.click()
    assert dialog.accent.text() == "#AA3377"


def test_saving_from_the_menu_is_one_undoable_step(
    window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _branding(window)

    def fake_exec(dialog: BrandingDialog) -> int:
        dialog.vendor.setText("Northwind Cloud")
        dialog.currency_box.setCurrentIndex(dialog.currency_box.findData("GBP"))
        dialog.locale_box.setCurrentIndex(dialog.locale_box.findData("en_GB"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BrandingDialog, "exec", fake_exec)
    window.action_map["branding"].trigger()
    saved = _branding(window)
    assert (saved.vendor_name, saved.currency, saved.locale) == ("Northwind Cloud", "GBP", "en_GB")
    assert saved.logo == before.logo  # the logo it had is kept
    table = window.portfolio_page().list.model
    arr = next(
        table.data(table.index(r, table.column_of("arr")))
        for r in range(table.rowCount())
        if table.data(table.index(r, table.column_of("arr")))
    )
    assert arr.startswith("£")
    assert window.ctx.undo_stack.undoText() == "Change branding"
    window.action_map["undo"].trigger()
    assert _branding(window) == before
    arr = next(
        table.data(table.index(r, table.column_of("arr")))
        for r in range(table.rowCount())
        if table.data(table.index(r, table.column_of("arr")))
    )
    assert arr.startswith("$")


def test_the_start_up_preview_already_shows_the_portfolio_currency(
    qtbot: Any, settings: Any, demo_path: Path
) -> None:
    from csdesk.db import open_portfolio
    from csdesk.db.reader import open_early
    from csdesk.services.branding import save_branding
    from csdesk.views.main_window import MainWindow

    portfolio = open_portfolio(demo_path)
    save_branding(portfolio, Branding(currency="EUR", locale="de_DE"))
    portfolio.close()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    preview = open_early(demo_path)
    assert preview is not None
    window.show_preview(preview, str(demo_path))
    model = window.portfolio_page().list.model
    window.show()
    qtbot.waitUntil(lambda: model.fetched_pages > 0)
    assert window.ctx.portfolio is None
    shown = [model.data(model.index(r, model.column_of("arr"))) for r in range(model.rowCount())]
    assert any(text.endswith("\u00a0€") for text in shown if text)
    window.close()
