"""Reading files: encodings, delimiters, workbooks, row numbers, sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_support import write_xlsx

from csdesk.importing.readers import list_sheets, read_table
from csdesk.importing.summary import ImportFileError

ROWS = [["Account Name", "ARR"], ["Müller & Søn", "30.000,00"], ["Ωmega", "5"]]


def _text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
    ],
)
def test_unicode_encodings_with_and_without_bom(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(prefix + _text(ROWS, ";").encode(encoding))
    table = read_table(path)
    assert table.rows == ROWS
    assert table.delimiter == ";"


def test_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    rows = [["Account Name", "ARR"], ["Bäckerei Müller", "20.000,00 €"]]
    path.write_bytes(_text(rows, ";").encode("cp1252"))
    table = read_table(path)
    assert table.rows == rows
    assert table.encoding == "cp1252"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "a.txt"
    rows = [["Account Name", "ARR", "Tier"], ["A, Inc.", "1", "Starter"], ["B", "2", "Starter"]]
    body = "\n".join(
        delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in r) for r in rows
    )
    path.write_text(body + "\n", encoding="utf-8")
    assert read_table(path).rows == rows


def test_tsv_and_an_excel_separator_line(tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_text("Account Name\tARR\nAcme\t5\n", encoding="utf-8")
    assert read_table(tsv).rows == [["Account Name", "ARR"], ["Acme", "5"]]
    hinted = tmp_path / "b.csv"
    hinted.write_text("sep=;\nAccount Name;ARR\nAcme;5,5\n", encoding="utf-8")
    table = read_table(hinted)
    assert table.rows == [["Account Name", "ARR"], ["Acme", "5,5"]]
    assert table.first_row == 2


def test_quoted_newlines_keep_row_numbers_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Account Name,Notes\nA,"two\nlines"\nB,x\n', encoding="utf-8")
    table = read_table(path)
    assert table.rows[2] == ["B", "x"]
    assert table.first_row + 2 == 3


def test_workbook_cells_keep_their_types_and_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["Pipeline report"],
            [None],
            ["Account ID", "Account Name", "Renewal Date", "ARR"],
            [9876543210, "Acme", dt.date(2027, 3, 31), 30000.5],
        ],
    )
    table = read_table(path)
    assert table.source == "xlsx"
    assert table.first_row == 1
    header = table.rows[2]
    assert header[:4] == ["Account ID", "Account Name", "Renewal Date", "ARR"]
    data = table.rows[3]
    assert data[0] == 9876543210.0 and data[1] == "Acme" and data[3] == 30000.5
    assert isinstance(data[2], dt.date)


def test_sheets_are_chosen_by_name_case_insensitively(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Summary"
    first.append(["nothing here"])
    second = book.create_sheet("Accounts")
    second.append(["Account Name", "ARR"])
    second.append(["Acme", 5])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert list_sheets(path) == ["Summary", "Accounts"]
    assert read_table(path).sheet == "Summary"
    table = read_table(path, "accounts")
    assert table.sheet == "Accounts"
    assert table.rows[1] == ["Acme", 5.0]
    with pytest.raises(ImportFileError, match=r"no sheet named 'Missing'.*Summary, Accounts"):
        read_table(path, "Missing")


def test_list_sheets_of_a_text_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Account Name,ARR\nA,1\n", encoding="utf-8")
    assert list_sheets(path) == []


def test_openpyxl_reads_a_workbook_calamine_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_calamine

    path = write_xlsx(
        tmp_path / "a.xlsx", [["Title"], ["Account ID", "Account Name"], [9876543210, "Acme"]]
    )

    def broken(*_args: object, **_kwargs: object) -> object:
        raise python_calamine.CalamineError("unsupported")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", broken)
    table = read_table(path)
    assert table.rows == [["Title", ""], ["Account ID", "Account Name"], [9876543210, "Acme"]]
    assert table.sheets == ("Sheet1",) and table.first_row == 1
