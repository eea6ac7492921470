"""The wizard's first look at a file: read once, laid out again for another kind without reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from csdesk.importing import inspect
from csdesk.importing.inspect import inspect_file, inspect_table
from csdesk.importing.summary import ImportFileError


def test_a_file_is_read_once_and_laid_out_again_for_another_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "companies.csv"
    path.write_text("Company name,Record ID,Industry\nKilo Foods,K-1,Retail\n", encoding="utf-8")
    table, found = inspect_file(path, None, None)
    assert found.detected_kind == "accounts"
    assert found.headers == ["Company name", "Record ID", "Industry"]
    assert found.auto[:2] == ["name", "crm_id"]
    assert found.samples[0] == "Kilo Foods"

    def no_reading(*_args: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(inspect, "read_table", no_reading)
    monkeypatch.setattr("csdesk.importing.pipeline.read_table", no_reading)
    again = inspect_table(path, table, "scorecards")
    assert again.auto == ["name", "crm_id", None]  # Industry is no scorecard field
    assert again.detected_kind == "accounts"


def test_a_file_without_known_columns_is_shown_with_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "kunden.csv"
    path.write_text("Kunde,Umsatz\nAlpenglück GmbH,4200\n", encoding="utf-8")
    _table, found = inspect_file(path, None, None)
    assert found.headers == ["Kunde", "Umsatz"]
    assert found.auto == [None, None]
    assert found.problem and "header" in found.problem
    assert "2 columns, headers on row 1" in found.describe()


def test_a_file_without_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(",,\n,,\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        inspect_file(path, None, None)
