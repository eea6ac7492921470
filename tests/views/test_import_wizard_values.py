"""The import wizard shows what detection found, translates unknown values in one pass, and
previews each cell beside what will be stored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QInputDialog

from csdesk.services.importer import list_mappings
from csdesk.views import actions
from csdesk.views.import_wizard.wizard import ImportWizard

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.fixture
def window(empty_window: Any) -> Any:
    """Every wizard here starts on a new, empty portfolio."""
    return empty_window


def _open(window: Any, qtbot: Any, path: Path) -> ImportWizard:
    actions.import_dialog(window, path)
    wizard = window.import_wizard
    assert isinstance(wizard, ImportWizard)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: not wizard.reading, timeout=20000)  # read on the worker thread
    wizard.source_page.refresh()
    return wizard


def test_first_page_says_what_was_detected(window: Any, qtbot: Any) -> None:
    wizard = _open(window, qtbot, REAL / "zendesk_tickets.csv")
    text = wizard.source_page.info.text()
    assert "Detected: support tickets" in text
    assert "headers on row 1" in text and "mapping: detected" in text
    assert wizard.kind == "tickets"
    wizard.reject()


def test_unknown_values_are_translated_for_the_whole_file_and_saved(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "accounts.csv"
    rows = ["Account ID,Account Name,ARR,Segment"]
    rows += [f"A{n},Account {n},1000,{'Strategic' if n % 3 else 'SMB'}" for n in range(90)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wizard = _open(window, qtbot, path)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    page = wizard.values_page
    assert wizard.currentPage() is page
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Strategic"
    assert page.table.item(0, 2).text() == "60"
    combo = page.table.cellWidget(0, 3)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("enterprise"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Segments", True))
    page.save_button.click()
    qtbot.waitUntil(lambda: wizard.mapping_name == "Segments", timeout=10000)
    (saved,) = list_mappings(window.ctx.portfolio)
    assert saved.mapping.values == {"Segment": {"Strategic": "enterprise"}}
    wizard.next()
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    qtbot.waitUntil(lambda: preview.checked is not None, timeout=20000)
    assert preview.checked is not None and preview.checked.rejected == []
    assert preview.checked.created == 90
    wizard.reject()


def test_preview_shows_the_stored_value_beside_the_cell(window: Any, qtbot: Any) -> None:
    wizard = _open(window, qtbot, REAL / "german_accounts.csv")
    wizard.use_saved_mapping(None)
    from csdesk.importing.mapping import ColumnMapping

    mapping = ColumnMapping.from_file(REAL / "german_accounts.toml")
    wizard.choices = [mapping.target(h) or "" for h in wizard.found.headers]  # type: ignore[union-attr]
    wizard.value_maps = {"segment": mapping.values["segment"]}
    wizard.date_order = "DMY"
    preview = wizard.preview(limit=5)
    from csdesk.views.import_wizard.preview import PreviewPage

    page = wizard.preview_page
    assert isinstance(page, PreviewPage)
    page.preview = preview
    page.problems = {}
    page._fill()
    cells = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert "20.000,00 €  →  20000.00" in cells  # money is stored exactly, to the cent
    assert "31.12.2026  →  2026-12-31" in cells
    assert "Großkunde  →  enterprise" in cells
    wizard.reject()


def test_an_unknown_renewal_outcome_is_offered_the_outcomes(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = _open(window, qtbot, REAL / "salesforce_renewals_report.csv")
    assert wizard.kind == "accounts"
    wizard.next()
    wizard.next()
    page = wizard.values_page
    assert wizard.currentPage() is page
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Verlängert"
    combo = page.table.cellWidget(0, 3)
    assert isinstance(combo, QComboBox)
    offered = {combo.itemData(i) for i in range(combo.count())}
    assert {"renewed", "churned", "pending"} <= offered
    if os.environ.get("CSDESK_SHOT"):
        wizard.grab().save(os.environ["CSDESK_SHOT"])
    combo.setCurrentIndex(combo.findData("renewed"))
    wizard.next()
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.checked is not None, timeout=20000)
    assert preview.checked is not None
    # Only the outcome dated after today is left rejected.
    assert [e.row for e in preview.checked.rejected] == [9]
    wizard.reject()
