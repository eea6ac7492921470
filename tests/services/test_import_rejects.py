"""The rejected rows of an import as a CSV: source cells, row numbers, reasons, re-import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from csdesk.db import Portfolio
from csdesk.errors import CsdeskError
from csdesk.importing.summary import RowError
from csdesk.services.accounts import account_listing
from csdesk.services.import_rejects import (
    PROBLEM_HEADER,
    ROW_HEADER,
    rejects_table,
    suggested_rejects_name,
    write_rejects,
)
from csdesk.services.importer import import_file

BAD_CSV = (
    "Account ID,Account Name,ARR,Renewal Date\n"
    'A1,Alpha,"$1,000",2026-01-01\n'
    "A2,Beta,abc,2026-02-01\n"
    ",,5,2026-03-01\n"
    "A4,Delta,100,notadate\n"
    "A5,Epsilon,200,2026-05-01\n"
)


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def test_rejected_rows_keep_their_cells_row_numbers_and_reasons(
    portfolio: Portfolio, bad_csv: Path, tmp_path: Path
):
    summary = import_file(portfolio, bad_csv)
    assert [e.row for e in summary.rejected] == [3, 4, 5]
    target = tmp_path / "fix.csv"
    assert write_rejects(summary, bad_csv, target) == 3
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    rows = _read(target)
    assert rows[0] == [
        ROW_HEADER,
        PROBLEM_HEADER,
        "Account ID",
        "Account Name",
        "ARR",
        "Renewal Date",
    ]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5"]
    assert rows[1][2:] == ["A2", "Beta", "abc", "2026-02-01"]
    assert rows[2][2:] == ["", "", "5", "2026-03-01"]
    assert rows[3][2:] == ["A4", "Delta", "100", "notadate"]
    assert "abc" in rows[1][1] and "ARR" in rows[1][1]
    assert "ID or name" in rows[2][1]
    assert "notadate" in rows[3][1]


def test_fixed_rejects_file_imports_with_its_extra_columns_ignored(
    portfolio: Portfolio, bad_csv: Path, tmp_path: Path
):
    summary = import_file(portfolio, bad_csv)
    target = tmp_path / "fix.csv"
    write_rejects(summary, bad_csv, target)
    rows = _read(target)
    rows[1][4] = "2,000"  # Beta's ARR
    rows[2][2:4] = ["A3", "Gamma"]
    rows[3][5] = "2026-04-01"
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    again = import_file(portfolio, target)
    assert (again.created, again.rejected) == (3, [])
    assert set(again.ignored_columns) == {ROW_HEADER, PROBLEM_HEADER}
    arr = {a["crm_id"]: a["arr"] for a in account_listing(portfolio)}
    assert arr == {"A1": 1000, "A2": 2000, "A3": 5, "A4": 100, "A5": 200}


def test_workbook_sheet_with_title_rows_keeps_spreadsheet_numbers(tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing to see"])
    sheet = book.create_sheet("Accounts")
    sheet.append(["Quarterly accounts report"])
    sheet.append([])
    sheet.append(["Account ID", "Account Name", "ARR"])
    sheet.append(["X1", "Xeno", 1200.0])
    sheet.append(["X2", "Yarrow", "n/a"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    rejected = [
        RowError(5, "ARR", "bad_number", "'n/a' is not an amount"),
        RowError(5, None, "ambiguous", "name matches several accounts"),
    ]
    table = rejects_table(path, rejected, sheet="Accounts", kind="accounts")
    assert table.headers == [ROW_HEADER, PROBLEM_HEADER, "Account ID", "Account Name", "ARR"]
    assert table.rows == [
        [
            "5",
            "ARR: 'n/a' is not an amount; name matches several accounts",
            "X2",
            "Yarrow",
            "n/a",
        ]
    ]


def test_row_the_file_no_longer_has_keeps_its_problem(bad_csv: Path):
    table = rejects_table(bad_csv, [RowError(40, None, "no_key", "no account ID or name")])
    assert table.rows == [["40", "no account ID or name", "", "", "", ""]]


def test_nothing_rejected_and_unwritable_target_are_user_errors(
    portfolio: Portfolio, bad_csv: Path, tmp_path: Path
):
    good = tmp_path / "good.csv"
    good.write_text("Account ID,Account Name\nG1,Good\n", encoding="utf-8")
    with pytest.raises(CsdeskError, match="no row was rejected"):
        write_rejects(import_file(portfolio, good), good, tmp_path / "x.csv")
    summary = import_file(portfolio, bad_csv)
    with pytest.raises(CsdeskError, match="cannot write"):
        write_rejects(summary, bad_csv, tmp_path / "missing" / "x.csv")
    assert not list((tmp_path).glob(".*.part"))


def test_suggested_name():
    assert suggested_rejects_name(Path("/a/q3 accounts.xlsx")) == "q3 accounts-rejected.csv"
