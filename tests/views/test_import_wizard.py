"""The import wizard driven offscreen: sample to summary, mapping, problem rows, cancel, drop."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QPushButton

from csdesk.services.accounts import account_listing
from csdesk.services.importer import list_mappings
from csdesk.views import actions
from csdesk.views.import_wizard.preview import problem_brush
from csdesk.views.import_wizard.wizard import ImportWizard
from support import SAMPLES

BAD_ROWS = (
    "Account ID,Account Name,Region,ARR,Renewal Date\n"
    'B1,Bravo,EMEA,"$12,000",2026-06-01\n'
    "B2,Charlie,EMEA,TBD,2026-07-01\n"
    ",,APAC,5000,2026-08-01\n"
    "B4,Delta,NA,8000,2026-02-30\n"
    "B5,Echo,NA,9000,2026-09-01\n"
)


def _open(window: Any, qtbot: Any, path: Path) -> ImportWizard:
    actions.import_dialog(window, path)
    wizard = window.import_wizard
    assert isinstance(wizard, ImportWizard)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.reading, timeout=20000)  # read on the worker thread
    return wizard


def _to_preview(wizard: ImportWizard, qtbot: Any) -> Any:
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    page = wizard.preview_page
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.checked is not None, timeout=20000)
    return page


def _import(wizard: ImportWizard, qtbot: Any) -> Any:
    wizard.next()  # "Import": runs on the writer thread
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20000)
    return wizard.summary_page


def test_sample_goes_through_to_the_summary_and_the_accounts_exist(empty_window: Any, qtbot: Any):
    sample = SAMPLES / "salesforce_accounts.csv"
    with sample.open(encoding="utf-8-sig") as handle:
        names = {row["Account Name"] for row in csv.DictReader(handle)}
    wizard = _open(empty_window, qtbot, sample)
    assert wizard.currentPage() is wizard.source_page
    assert wizard.source_page.kind.currentData() == "accounts"
    assert "detected" in wizard.source_page.kind.currentText()
    assert not wizard.source_page.sheet.isEnabled()  # a text file has no sheets
    page = _to_preview(wizard, qtbot)
    assert page.problem_rows() == []
    assert f"{len(names)} created" in page.check.text()
    announced: list[Any] = []
    empty_window.ctx.changed.connect(announced.append)
    summary = _import(wizard, qtbot)
    assert announced == [wizard.summary.changes]  # what the import touched, not "everything"
    assert announced[0].accounts and not announced[0].everything
    assert summary.figures["created"].text() == str(len(names))
    assert summary.figures["rejected"].text() == "0"
    assert not summary.save_button.isVisibleTo(wizard)
    assert {a["name"] for a in account_listing(empty_window.ctx.portfolio)} == names
    listed = empty_window.portfolio_page().list
    qtbot.waitUntil(lambda: listed.model.rowCount() == len(names))
    wizard.accept()


def test_the_file_is_read_off_the_gui_thread_and_not_again_for_another_kind(
    empty_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
):
    from csdesk.views.import_wizard import session

    threads: list[str] = []
    reads, layouts = session.inspect_file, session.inspect_table

    def read(*args: Any) -> Any:
        threads.append(f"read on {threading.current_thread().name}")
        return reads(*args)

    def lay_out(*args: Any) -> Any:
        threads.append(f"laid out on {threading.current_thread().name}")
        return layouts(*args)

    monkeypatch.setattr(session, "inspect_file", read)
    monkeypatch.setattr(session, "inspect_table", lay_out)
    wizard = _open(empty_window, qtbot, SAMPLES / "salesforce_accounts.csv")
    source = wizard.source_page
    metrics = source.kind.findData("metrics")
    source.kind.activated.emit(metrics)
    qtbot.waitUntil(lambda: not wizard.reading)
    assert wizard.kind == "metrics"
    main = threading.main_thread().name
    assert [t.split(" on ")[0] for t in threads] == ["read", "laid out"]
    assert all(not t.endswith(f" on {main}") for t in threads)
    wizard.reject()


def test_mapping_and_preview_pages_do_not_read_the_file_again(
    empty_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
):
    from csdesk.importing import pipeline

    wizard = _open(empty_window, qtbot, SAMPLES / "salesforce_accounts.csv")
    read_table = pipeline.read_table
    gui_reads: list[Any] = []

    def reading(*args: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            gui_reads.append(args)
        return read_table(*args)  # the dry run reads it on the writer thread

    monkeypatch.setattr(pipeline, "read_table", reading)
    wizard.next()  # mapping: checked against the rows read when the file was chosen
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()  # preview: its first rows from the same rows
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.preview_page.preview is not None
    qtbot.waitUntil(lambda: wizard.preview_page.checked is not None, timeout=20000)
    assert gui_reads == []
    wizard.reject()


def test_workbook_sheet_and_kind_can_be_changed(empty_window: Any, qtbot: Any, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Readme"
    book.active.append(["Exported from the CRM"])
    sheet = book.create_sheet("Companies")
    sheet.append(["Company name", "Record ID", "Industry"])
    sheet.append(["Kilo Foods", "K-1", "Retail"])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    wizard = _open(empty_window, qtbot, path)
    source = wizard.source_page
    assert source.sheet.isEnabled() and source.sheet.count() == 2
    source.sheet.setCurrentText("Companies")
    source.sheet.activated.emit(source.sheet.currentIndex())
    assert wizard.reading and not source.isComplete()
    qtbot.waitUntil(lambda: not wizard.reading)
    assert wizard.found is not None and wizard.found.sheet == "Companies"
    assert wizard.found.headers == ["Company name", "Record ID", "Industry"]
    scorecards = source.kind.findData("scorecards")
    source.kind.setCurrentIndex(scorecards)
    source.kind.activated.emit(scorecards)
    qtbot.waitUntil(lambda: not wizard.reading)
    assert wizard.kind == "scorecards"
    assert wizard.choices == ["name", "crm_id", ""]  # Industry is no scorecard field
    wizard.reject()


def test_changed_mapping_is_saved_offered_again_and_imports(
    empty_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
):
    sample = SAMPLES / "eu_accounts_cp1252.csv"
    wizard = _open(empty_window, qtbot, sample)
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.table.item(0, 0).text() == "Kunden-ID"
    assert mapping.combos[0].currentData() == ""  # unknown: ignored
    assert mapping.table.item(0, 3).text() == "unknown: ignored"
    mapping.combos[0].setCurrentIndex(mapping.combos[0].findData("crm_id"))
    assert mapping.table.item(0, 3).text() == "your choice"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("EU export", True))
    mapping.save_button.click()
    qtbot.waitUntil(lambda: mapping.saved.findData("EU export") >= 0)
    assert mapping.saved.currentData() == "EU export"
    saved = {m.name: m.mapping for m in list_mappings(empty_window.ctx.portfolio)}
    assert saved["EU export"].columns == {"Kunden-ID": "crm_id"}
    _to_preview_from_mapping(wizard, qtbot)
    summary = _import(wizard, qtbot)
    assert summary.figures["created"].text() == "4"
    ids = {a["crm_id"] for a in account_listing(empty_window.ctx.portfolio)}
    assert ids == {"EU-000", "EU-001", "EU-002", "EU-003"}
    wizard.accept()

    again = _open(empty_window, qtbot, sample)
    again.next()
    page = again.mapping_page
    assert page.combos[0].currentData() == ""
    index = page.saved.findData("EU export")
    page.saved.setCurrentIndex(index)
    page.saved.activated.emit(index)
    assert page.combos[0].currentData() == "crm_id"
    assert again.mapping().columns == {"Kunden-ID": "crm_id"}
    again.reject()


def _to_preview_from_mapping(wizard: ImportWizard, qtbot: Any) -> None:
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.preview_page.checked is not None, timeout=20000)


def test_mapping_without_a_key_column_is_refused_on_the_page(empty_window: Any, qtbot: Any):
    wizard = _open(empty_window, qtbot, SAMPLES / "salesforce_accounts.csv")
    wizard.next()
    page = wizard.mapping_page
    for row in (0, 1):  # Account ID and Account Name
        page.combos[row].setCurrentIndex(page.combos[row].findData(""))
    wizard.next()
    assert wizard.currentPage() is page
    assert "ID or a name" in page.error.text()
    wizard.reject()


def test_bad_rows_are_red_in_the_preview_and_saved_as_csv(
    empty_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    source = tmp_path / "q3.csv"
    source.write_text(BAD_ROWS, encoding="utf-8")
    wizard = _open(empty_window, qtbot, source)
    page = _to_preview(wizard, qtbot)
    # Row 4 has no key: only the dry run against the portfolio finds it.
    assert page.problem_rows() == [3, 4, 5]
    table = page.table
    for row in range(table.rowCount()):
        number = int(table.item(row, 0).text())
        cell = table.item(row, 3)
        if number in (3, 4, 5):
            assert cell.background().color() == problem_brush()
            assert cell.toolTip() and cell.toolTip() == table.item(row, 1).text()
        else:
            assert cell.background().style() == Qt.BrushStyle.NoBrush
            assert not cell.toolTip()
    assert "TBD" in table.item(1, 1).text()
    assert "ID or name" in table.item(2, 1).text()
    assert "Region" in page.check.text()
    summary = _import(wizard, qtbot)
    assert summary.figures["created"].text() == "2"
    assert summary.figures["rejected"].text() == "3"
    assert summary.rejected.rowCount() == 3
    assert "Region" in summary.details.text()
    target = tmp_path / "to_fix.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)")
    )
    summary.save_button.click()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Row", "Problem", "Account ID"]
    assert [(r[0], r[3]) for r in rows[1:]] == [("3", "Charlie"), ("4", ""), ("5", "Delta")]
    assert "TBD" in rows[1][1]
    assert "to_fix.csv" in summary.saved_label.text()
    wizard.accept()


def test_date_order_choice_changes_what_is_rejected(empty_window: Any, qtbot: Any, tmp_path: Path):
    source = tmp_path / "dates.csv"
    source.write_text(
        "Account ID,Account Name,Renewal Date\nD1,Dee,03/04/2026\nD2,Eff,04/05/2026\n",
        encoding="utf-8",
    )
    wizard = _open(empty_window, qtbot, source)
    page = _to_preview(wizard, qtbot)
    assert page.problem_rows() == []
    assert "month first" in page.detected.text()
    index = page.date_order.findData("DMY")
    page.date_order.setCurrentIndex(index)
    page.date_order.activated.emit(index)
    qtbot.waitUntil(lambda: page.checked is not None, timeout=20000)
    assert wizard.date_order == "DMY"
    _import(wizard, qtbot)
    dates = {a["crm_id"]: a["renewal_date"] for a in account_listing(empty_window.ctx.portfolio)}
    assert dates == {"D1": "2026-04-03", "D2": "2026-05-04"}
    wizard.accept()


def test_cancelled_import_changes_nothing(empty_window: Any, qtbot: Any):
    wizard = _open(empty_window, qtbot, SAMPLES / "salesforce_accounts.csv")
    page = _to_preview(wizard, qtbot)
    release = threading.Event()
    empty_window.ctx.worker.submit(lambda _p: release.wait(20), "Holding the writer")
    wizard.next()  # the import queues behind the held writer
    assert wizard.import_job is not None and page.progress is not None
    assert not page.isComplete()
    page.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    assert page.progress.labelText() == "Cancelling…"
    release.set()
    qtbot.waitUntil(lambda: wizard.import_job is None, timeout=20000)
    assert wizard.currentPage() is page
    assert "cancelled" in page.check.text() and "nothing was changed" in page.check.text()
    assert account_listing(empty_window.ctx.portfolio) == []
    assert page.isComplete()  # the user may try again
    wizard.reject()


def test_dropping_a_spreadsheet_on_the_window_opens_the_wizard_on_it(empty_window: Any, qtbot: Any):
    sample = SAMPLES / "nps_responses.csv"
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(sample))])
    point = QPoint(40, 40)
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data, buttons, modifiers)
    enter.setAccepted(False)
    empty_window.dragEnterEvent(enter)
    assert enter.isAccepted()
    empty_window.dropEvent(QDropEvent(point, Qt.DropAction.CopyAction, data, buttons, modifiers))
    wizard = empty_window.import_wizard
    qtbot.waitUntil(lambda: not wizard.reading)
    assert wizard.path == sample and wizard.kind == "surveys"
    wizard.reject()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(SAMPLES / "notes.md"))])
    refused = QDragEnterEvent(point, Qt.DropAction.CopyAction, other, buttons, modifiers)
    refused.setAccepted(False)
    empty_window.dragEnterEvent(refused)
    assert not refused.isAccepted()


def test_unreadable_file_is_refused_on_the_first_page(empty_window: Any, qtbot: Any, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    wizard = _open(empty_window, qtbot, path)
    assert wizard.found is None
    assert "fake.xlsx" in wizard.source_page.error.text()
    assert not wizard.source_page.isComplete()
    wizard.reject()


def test_file_with_no_known_column_is_imported_after_mapping_it(
    empty_window: Any, qtbot: Any, tmp_path: Path
):
    source = tmp_path / "kunden.csv"
    source.write_text("Kunde,Umsatz,Region\nAlpenglück GmbH,4200,EU\n", encoding="utf-8")
    wizard = _open(empty_window, qtbot, source)
    assert wizard.source_page.isComplete()
    wizard.next()
    page = wizard.mapping_page
    assert [page.table.item(r, 0).text() for r in range(3)] == ["Kunde", "Umsatz", "Region"]
    assert all(combo.currentData() == "" for combo in page.combos)
    assert page.error.isVisibleTo(wizard) and "no header row" in page.error.text()
    page.combos[0].setCurrentIndex(page.combos[0].findData("name"))
    page.combos[1].setCurrentIndex(page.combos[1].findData("arr"))
    _to_preview_from_mapping(wizard, qtbot)
    _import(wizard, qtbot)
    [account] = account_listing(empty_window.ctx.portfolio)
    assert (account["name"], account["arr"]) == ("Alpenglück GmbH", 4200)
    wizard.accept()


def test_choose_starts_in_the_folder_of_the_last_file_read(
    empty_window: Any, qtbot: Any, monkeypatch: Any
):
    wizard = _open(empty_window, qtbot, SAMPLES / "nps_responses.csv")
    wizard.reject()
    assert empty_window.settings.folder("import") == SAMPLES.resolve()
    starts: list[str] = []

    def choose(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        starts.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    actions.import_dialog(empty_window)
    wizard = empty_window.import_wizard
    wizard.source_page._on_browse_clicked()
    assert starts == [str(SAMPLES.resolve())]
    wizard.reject()
