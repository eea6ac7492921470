"""Hostile and broken files are refused with one line, before any parser reads them."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from import_support import MAIN, snapshot, write_parts, write_xlsx

from csdesk.importing.readers import read_table
from csdesk.importing.summary import ImportFileError
from csdesk.importing.xlsx_guard import check_xlsx
from csdesk.services.importer import import_file

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t>'
    "</is></c></row></sheetData></worksheet>"
)


def _patch_uncompressed_size(path: Path, member: str, size: int) -> None:
    """Make the zip's headers lie about one member's uncompressed size."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, local + 22, size)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46 : start + 46 + length]) == name:
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    path.write_bytes(bytes(data))


def refused(path: Path, match: str) -> None:
    with pytest.raises(ImportFileError, match=match) as info:
        read_table(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(path.name)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = write_parts(tmp_path / "laughs.xlsx", {"xl/worksheets/sheet1.xml": LAUGHS})
    refused(path, "DOCTYPE or ENTITY")


def test_a_doctype_hidden_in_utf16_is_refused(tmp_path: Path) -> None:
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><sst/>'
    path = write_parts(tmp_path / "u16.xlsx", {"xl/sharedStrings.xml": part.encode("utf-16")})
    refused(path, "DOCTYPE or ENTITY")


def test_a_highly_compressed_part_is_refused(tmp_path: Path) -> None:
    zeros = b"<x>" + b"\x00" * (20 * 1024 * 1024) + b"</x>"
    path = write_parts(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet2.xml": zeros})
    refused(path, "100:1")


def test_a_part_declaring_gigabytes_is_refused_without_inflating_it(tmp_path: Path) -> None:
    path = write_parts(tmp_path / "big.xlsx", {})
    _patch_uncompressed_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)
    refused(path, "unpack to 3000 MB")


def test_a_part_inflating_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = write_parts(tmp_path / "liar.xlsx", {"xl/worksheets/sheet2.xml": b"<x>" + b"a" * 50_000})
    _patch_uncompressed_size(path, "xl/worksheets/sheet2.xml", 100)
    refused(path, "damaged")


def test_a_member_escaping_the_archive_is_refused(tmp_path: Path) -> None:
    path = write_parts(tmp_path / "slip.xlsx", {"../../evil.xml": "<x/>"})
    refused(path, "outside the workbook")


def test_a_zip_without_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notbook.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    refused(path, "no xl/workbook.xml")


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("plain.xlsx", b"Account Name,ARR\nAcme,5\n", "not an Excel workbook"),
        ("legacy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-style"),
        ("damaged.xlsx", b"PK\x03\x04" + b"\x13\x37" * 300, "damaged zip"),
        ("book.csv", b"PK\x03\x04" + b"\x00" * 100, "not a CSV text file"),
        ("binary.csv", bytes(range(256)) * 40, "binary"),
        ("nul.txt", b"Account Name,ARR\x00\x00\x01\x02\x00\x00\x03,x\n", "binary"),
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\xef\xbb\xbf \r\n\r\n  ", "empty"),
        ("data.json", b'{"a": 1}', "unsupported file type"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(
    tmp_path: Path, name: str, data: bytes, match: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    refused(path, match)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.csv", "no such file")


def test_a_sound_workbook_passes_the_guard(tmp_path: Path) -> None:
    check_xlsx(write_xlsx(tmp_path / "ok.xlsx", [["Account Name", "ARR"], ["Acme", 5]]))
    assert read_table(write_parts(tmp_path / "min.xlsx", {})).rows[1] == ["Acme", 5.0]


@pytest.mark.parametrize(
    "content",
    [
        "just some words\nand more words\n",
        "Foo,Bar,Baz\n1,2,3\n",
    ],
)
def test_a_file_without_a_recognisable_header_row_is_refused(
    tmp_path: Path, portfolio: object, content: str
) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"noheader\.csv: no header row"):
        import_file(portfolio, path)  # type: ignore[arg-type]


def test_refusing_a_hostile_file_changes_nothing(tmp_path: Path, portfolio: object) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Account Name,ARR\nAcme,5\n", encoding="utf-8")
    import_file(portfolio, good)  # type: ignore[arg-type]
    before = snapshot(portfolio)  # type: ignore[arg-type]
    path = write_parts(tmp_path / "laughs.xlsx", {"xl/worksheets/sheet1.xml": LAUGHS})
    with pytest.raises(ImportFileError):
        import_file(portfolio, path)  # type: ignore[arg-type]
    assert snapshot(portfolio) == before  # type: ignore[arg-type]
