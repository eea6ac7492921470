"""The export dialog driven offscreen: one account's case, a filtered batch, the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from csdesk.models import Account, Activity
from csdesk.services.exporter import suggested_stem
from csdesk.views import actions
from csdesk.views.export.dialog import ExportDialog


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Folders the dialog asked the desktop to open (nothing is really opened)."""
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()))
    return urls


def _filter(window: Any, qtbot: Any, text: str, count: int) -> Any:
    view = window.portfolio_page().list
    view.search.setText(text)
    qtbot.waitUntil(lambda: view.model.rowCount() == count)
    return view


def _dialog(window: Any, qtbot: Any) -> ExportDialog:
    actions.export_dialog(window)
    dialog = window.export_dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _finish(dialog: ExportDialog, qtbot: Any) -> None:
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)


def test_case_for_the_current_account_writes_pdf_and_xlsx(
    window: Any, qtbot: Any, tmp_path: Path, opened: list[str]
):
    view = _filter(window, qtbot, "Atlas Wellness", 1)
    account_id = view.model.account_id(0)
    view.select_account(account_id)
    dialog = _dialog(window, qtbot)
    assert dialog.account_id == account_id
    assert dialog.case.isChecked() and "Atlas Wellness" in dialog.case.text()
    assert dialog.name.text().startswith("Atlas-Wellness")
    dialog.folder.setText(str(tmp_path))
    pdf, xlsx = dialog.paths()
    assert (pdf.suffix, xlsx.suffix) == (".pdf", ".xlsx")
    with qtbot.waitSignal(dialog.accepted, timeout=60000):
        dialog.export_button.click()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert xlsx.read_bytes().startswith(b"PK")
    assert opened == [str(tmp_path)]
    with window.ctx.portfolio.read() as session:
        kinds = session.scalars(
            select(Activity.kind).where(Activity.account_id == account_id)
        ).all()
    assert "export" in kinds
    assert str(tmp_path) in window.statusBar().currentMessage()
    assert _dialog(window, qtbot).folder.text() == str(tmp_path)  # the next export starts there


def test_case_from_the_open_360_in_excel_only_without_opening_the_folder(
    window: Any, qtbot: Any, tmp_path: Path, opened: list[str]
):
    view = _filter(window, qtbot, "Müller", 1)
    window.open_account(view.model.account_id(0))
    dialog = _dialog(window, qtbot)
    assert "Müller && Søn" in dialog.case.text()  # "&" is not a mnemonic
    out = tmp_path / "out"
    out.mkdir()
    dialog.folder.setText(str(out))
    dialog.pdf.setChecked(False)
    dialog.open_folder.setChecked(False)
    _finish(dialog, qtbot)
    assert [p.suffix for p in out.iterdir()] == [".xlsx"]
    assert opened == []


def test_batch_exports_the_filtered_selection(
    window: Any, qtbot: Any, tmp_path: Path, opened: list[str]
):
    view = _filter(window, qtbot, "Retail", 3)
    dialog = _dialog(window, qtbot)
    assert "3 accounts" in dialog.batch.text()
    dialog.batch.setChecked(True)
    assert not dialog.name.isVisibleTo(dialog)
    out = tmp_path / "cases"
    dialog.folder.setText(str(out))
    _finish(dialog, qtbot)
    files = sorted(out.iterdir())
    assert sorted(p.suffix for p in files) == [".pdf"] * 3 + [".xlsx"] * 3
    portfolio = window.ctx.portfolio
    stems = {suggested_stem(portfolio, account_id) for account_id in view.model.ids}
    assert {p.stem for p in files} == stems
    with portfolio.read() as session:
        names = set(session.scalars(select(Account.name).where(Account.id.in_(view.model.ids))))
    assert names == {"AT&T <Retail>", "Pine & Co Retail", "Tandem Retail"}
    assert opened == [str(out)]


def test_stopping_a_batch_keeps_only_whole_files(window: Any, qtbot: Any, tmp_path: Path, opened):
    dialog = _dialog(window, qtbot)
    dialog.batch.setChecked(True)
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.click()
    assert dialog.close_button.text() == "Stop" and not dialog.export_button.isEnabled()
    dialog.reject()  # Stop: asks the batch to end; the dialog stays open
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert dialog.isVisible()
    assert "cancelled" in dialog.status.text()
    assert len(list(tmp_path.glob("*.pdf"))) < 60
    assert not list(tmp_path.glob("*.part"))
    assert opened == []
    dialog.reject()


def test_portfolio_workbook(window: Any, qtbot: Any, tmp_path: Path, opened: list[str]):
    dialog = _dialog(window, qtbot)
    dialog.workbook.setChecked(True)
    assert dialog.name.text().startswith("portfolio-")
    assert not dialog.pdf.isEnabled()
    dialog.folder.setText(str(tmp_path))
    dialog.name.setText("book")
    _finish(dialog, qtbot)
    assert (tmp_path / "book.xlsx").read_bytes().startswith(b"PK")


def test_errors_show_the_one_line_reason(window: Any, qtbot: Any, tmp_path: Path):
    dialog = _dialog(window, qtbot)
    dialog.workbook.setChecked(True)
    dialog.folder.setText(str(tmp_path / "no such folder"))
    _finish(dialog, qtbot)
    assert isinstance(dialog.error_box, QMessageBox)
    assert "does not exist" in dialog.error_box.text()
    assert "\n" not in dialog.error_box.text()
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    dialog.error_box.close()
    dialog.reject()


def test_without_a_current_account_the_case_is_offered_disabled(window: Any, qtbot: Any):
    dialog = _dialog(window, qtbot)
    assert dialog.account_id is None
    assert not dialog.case.isEnabled() and dialog.batch.isChecked()
    dialog.reject()


def test_edition_sections_preview_and_deck(
    window: Any, qtbot: Any, tmp_path: Path, opened: list[str]
):
    from pptx import Presentation

    view = _filter(window, qtbot, "Atlas Wellness", 1)
    view.select_account(view.model.account_id(0))
    dialog = _dialog(window, qtbot)
    box = dialog.case_options
    assert not box.boxes["health"].isEnabled()  # internal sections need the internal edition
    box.internal.setChecked(True)
    assert box.boxes["health"].isEnabled()
    box.boxes["agenda"].setChecked(False)
    box.preview_button.click()
    qtbot.waitUntil(lambda: box.preview_list.count() > 0, timeout=30000)
    titles = [box.preview_list.item(i).text() for i in range(box.preview_list.count())]
    assert titles[0].startswith("Slide 1: Account review (internal)")
    assert not any("What we will cover" in t for t in titles)
    assert any(t.startswith("Slide") and "Health" in t for t in titles)
    dialog.pdf.setChecked(False)
    dialog.xlsx.setChecked(False)
    dialog.pptx.setChecked(True)
    dialog.folder.setText(str(tmp_path))
    (deck,) = dialog.paths()
    with qtbot.waitSignal(dialog.accepted, timeout=60000):
        dialog.export_button.click()
    prs = Presentation(str(deck))
    assert len(prs.slides) == len(titles)


def test_preview_shows_page_and_slide_images_before_writing(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor

    view = _filter(window, qtbot, "Atlas Wellness", 1)
    view.select_account(view.model.account_id(0))
    dialog = _dialog(window, qtbot)
    out = tmp_path / "out"
    out.mkdir()
    dialog.folder.setText(str(out))
    box = dialog.case_options
    box.preview_button.click()
    qtbot.waitUntil(lambda: box.preview_images.count() > 0, timeout=60000)
    captions = [box.preview_images.item(i).text() for i in range(box.preview_images.count())]
    assert captions[:3] == ["PDF page 1", "PDF page 2", "PDF page 3"]
    assert "Slide 1" in captions
    cover = box.preview_images.item(0).data(Qt.ItemDataRole.UserRole).toImage()
    assert not cover.isNull()
    assert 1.25 < cover.height() / cover.width() < 1.45  # a portrait page (A4 or Letter)
    # Drawn from the PDF: the cover's accent band at the top, white paper below it.
    band = QColor(cover.pixel(cover.width() // 2, 5))
    paper = QColor(cover.pixel(cover.width() // 2, cover.height() - 20))
    assert band != paper and paper == QColor("white")
    page = box.preview_images.item(1).data(Qt.ItemDataRole.UserRole).toImage()
    inked = sum(
        1
        for x in range(0, page.width(), 3)
        for y in range(0, page.height(), 3)
        if QColor(page.pixel(x, y)).lightness() < 220
    )
    assert inked > 50  # the second page carries text and tables
    slide = box.preview_images.item(captions.index("Slide 1")).data(Qt.ItemDataRole.UserRole)
    slide_image = slide.toImage()
    middle = slide_image.height() // 2
    drawn = [x for x in range(slide_image.width()) if slide_image.pixelColor(x, middle).alpha()]
    assert drawn and len(drawn) == slide_image.width()  # the slide spans the width …
    assert slide_image.pixelColor(slide_image.width() // 2, 2).alpha() == 0  # … letterboxed
    assert not list(out.iterdir())  # nothing written before Export
    box.boxes["value"].setChecked(False)  # a change hides the preview until it is made again
    assert not box.preview_images.isVisible()
    dialog.reject()
