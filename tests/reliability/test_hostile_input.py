"""Hostile files are refused by ``csdesk import`` with exit 2 and one line, and change nothing.

Each file is refused before anything is parsed into the portfolio (or even backed up), nothing is
written outside the portfolio, and memory and time stay bounded. ``test_fuzz_import`` covers
arbitrary bytes and cells.
"""

from __future__ import annotations

import gzip
import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import (
    MAIN_NS,
    digest,
    inline_row,
    sheet_xml,
    write_workbook,
)

from csdesk.cli import main
from csdesk.db.backup import list_backups

Builder = Callable[[Path], Path]


def _laughs(root: str) -> str:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>'


def _xml(name: str, member: str, text: str | bytes) -> Builder:
    return lambda tmp: write_workbook(tmp / name, **{member: text})


def _external_entity(tmp: Path) -> Path:
    prolog = '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    rows = inline_row(1, ["Account Name", "Notes"]) + inline_row(2, ["Acme", "&x;"])
    return write_workbook(tmp / "xxe.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(rows, prolog)})


def _bomb(tmp: Path) -> Path:
    """A workbook whose sheet inflates from a few hundred KB to 60 MB."""
    path = write_workbook(tmp / "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part,
    ):
        part.write(f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
        for _ in range(60):
            part.write(b" " * (1 << 20))
        part.write(b"</sheetData></worksheet>")
    return path


def _traversal(member: str) -> Builder:
    slug = "".join(c if c.isalnum() else "_" for c in member)
    return lambda tmp: write_workbook(tmp / f"slip{slug}.xlsx", **{member: "<x/>"})


def _bytes(name: str, make: Callable[[], bytes]) -> Builder:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(make())
        return path

    return build


def _noise(n: int, alphabet: bytes | None = None) -> bytes:
    rng = random.Random(n)
    if alphabet is None:
        return bytes(rng.randrange(256) for _ in range(n))
    return bytes(rng.choice(alphabet) for _ in range(n))


def _zip_bytes() -> bytes:
    path = Path(__file__)  # any content will do: a zip is not a CSV
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", path.read_text())
    return out.getvalue()


def _big_cell_workbook(tmp: Path) -> Path:
    text = random.Random(10).randbytes(5 << 20).hex()  # 10 MB that does not compress away
    rows = inline_row(1, ["Account Name", "Notes"]) + inline_row(2, ["Acme", text])
    return write_workbook(tmp / "bigcell.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(rows)})


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _wide_workbook(tmp: Path) -> Path:
    cells = "".join(f'<c r="{_column(i)}1"><v>{i}</v></c>' for i in range(3, 100_003))
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Account Name</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>ARR</t></is></c>{cells}</row>'
    )
    return write_workbook(tmp / "wide.xlsx", **{"xl/worksheets/sheet1.xml": sheet_xml(header)})


_BAD_UTF8 = bytes([0x80, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC0, 0xC1, 0xF5, 0xFF, 0xFE, 0xED, 0xA0])
_OVERLONG = b"\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80"

HOSTILE: list[tuple[str, Builder, str]] = [
    ("billion laughs in shared strings", _xml(
        "laughs.xlsx", "xl/sharedStrings.xml", _laughs("sst") + f'<sst xmlns="{MAIN_NS}"/>'
    ), "DOCTYPE or ENTITY"),
    ("billion laughs in the sheet", _xml(
        "laughs2.xlsx", "xl/worksheets/sheet1.xml", sheet_xml(inline_row(1, ["&l9;"]), _laughs("w"))
    ), "DOCTYPE or ENTITY"),
    ("entity declaration in UTF-16", _xml(
        "u16.xlsx", "xl/workbook.xml",
        ('<?xml version="1.0" encoding="UTF-16"?>' + _laughs("w")[21:] + "<w/>").encode("utf-16"),
    ), "DOCTYPE or ENTITY"),
    ("doctype in the content types", _xml(
        "types.xlsx", "[Content_Types].xml", '<!DOCTYPE t [<!ENTITY a "b">]><Types/>'
    ), "DOCTYPE or ENTITY"),
    ("external entity", _external_entity, "DOCTYPE or ENTITY"),
    ("decompression bomb", _bomb, "100:1"),
    *[(f"zip member {m!r}", _traversal(m), "outside the workbook") for m in (
        "../../evil.xml", "/tmp/evil.xml", "C:\\evil.xml", "..\\..\\evil.xml", "xl/../../evil.xml"
    )],
    ("random bytes as .csv", _bytes("junk.csv", lambda: _noise(100_000)), "binary"),
    ("a PNG as .csv", _bytes("logo.csv", lambda: b"\x89PNG\r\n\x1a\n" + _noise(5000)), "binary"),
    ("a program as .csv", _bytes("prog.csv", lambda: Path(sys.executable).read_bytes()[:65536]),
     "binary"),
    ("a zip as .csv", _bytes("archive.csv", _zip_bytes), "not a CSV text file"),
    ("gzip as .csv", _bytes("data.csv", lambda: gzip.compress(b"Account Name,ARR\n" * 999)),
     "binary"),
    ("CSV text as .xlsx", _bytes("text.xlsx", lambda: b"Account Name,ARR\nAcme,5\n"),
     "not an Excel workbook"),
    ("10 MB name cell", _bytes(
        "bigname.csv", lambda: b"Account Name,ARR\n" + b"N" * (10 << 20) + b",5\n"
    ), "field larger than field limit"),
    ("10 MB notes cell", _bytes(
        "bignotes.csv", lambda: b"Account Name,ARR,Notes\nAcme,5," + b"x" * (10 << 20) + b"\n"
    ), "field larger than field limit"),
    ("10 MB workbook cell", _big_cell_workbook, "cells are limited"),
    ("100,000 columns", _bytes("wide.csv", lambda: (
        "Account Name,ARR," + ",".join(f"c{i}" for i in range(100_000)) + "\nAcme,5\n"
    ).encode()), "at most 16,384"),
    ("100,000 workbook columns", _wide_workbook, "at most 16,384"),
    ("invalid UTF-8 in every row", _bytes("bad_utf8.csv", lambda: b"Account Name,ARR\n" + b"".join(
        _noise(8 + i % 5, _BAD_UTF8) + b",5\n" for i in range(2000)
    )), "invalid UTF-8"),
    ("overlong and surrogate UTF-8", _bytes(
        "overlong.csv", lambda: b"Account Name,ARR\n" + (_OVERLONG + b",5\n") * 3000
    ), "invalid UTF-8"),
    ("nothing but invalid UTF-8", _bytes("garbage.csv", lambda: _noise(60_000, _BAD_UTF8 + b",\n")),
     "invalid UTF-8"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "reason"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_file_is_refused_with_exit_2_and_changes_nothing(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    build: Builder,
    reason: str,
) -> None:
    inbox = tmp_path / "inbox" / "deep"
    inbox.mkdir(parents=True)
    path = build(inbox)
    main(["accounts", "--db", str(demo_db)])  # migrations and today's backup, before the digest
    capsys.readouterr()
    before, backups = digest(demo_db), list_backups(demo_db)
    monkeypatch.chdir(inbox)
    assert main(["import", str(path), "--db", str(demo_db), "--json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith(f"csdesk: {path.name}: ") and out.err.count("\n") == 1
    assert reason in out.err
    assert digest(demo_db) == before
    assert list_backups(demo_db) == backups  # refused before anything was even backed up
    assert not any(p.name == "evil.xml" for p in tmp_path.rglob("*"))
    assert not Path("/tmp/evil.xml").exists()
