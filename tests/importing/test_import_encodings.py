"""Encodings (SPEC 3.2): stray undefined bytes, mixed UTF-8/Windows-1252 lines, and the
hand-written reader measured against charset-normalizer on a generated corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from charset_normalizer import from_bytes
from encoding_corpus import corpus
from import_support import run
from sqlalchemy import text

from csdesk.db import Portfolio
from csdesk.importing.sniff import decode_text
from csdesk.importing.summary import ImportFileError


def _hand(label: str, data: bytes) -> str | None:
    try:
        return decode_text(data, label).text
    except ImportFileError:
        return None


def _normalizer(data: bytes) -> str | None:
    best = from_bytes(data).best()
    return None if best is None else str(best).removeprefix("\ufeff")


def test_the_reader_is_right_more_often_than_charset_normalizer() -> None:
    cases = corpus()
    hand: Counter[str] = Counter()
    normalizer: Counter[str] = Counter()
    for label, data, expected in cases:
        family = label.split(" ")[0]
        hand[family] += _hand(label, data) == expected
        normalizer[family] += _normalizer(data) == expected
    assert len(cases) == 76
    # 12 files of each family the SPEC names, 4 Windows-1250 files beyond it.
    assert dict(hand) == {"utf-8": 12, "utf-8-sig": 12, "utf-16": 12, "cp1252": 12,
                          "mixed": 12, "cp1252+stray": 12, "cp1250": 0}  # fmt: skip
    assert sum(hand.values()) == 72
    assert sum(normalizer.values()) == 44
    assert normalizer["mixed"] == 0 and normalizer["cp1250"] == 4


def test_stray_undefined_bytes_are_replaced_with_a_warning(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    rows = ["Account Name,ARR,Notes"]
    for n in range(20):
        stray = "\x81" if n < 17 else ""
        rows.append(f"Caf\xe9 {n},{1000 + n},Cr\xe8me{stray} br\xfbl\xe9e")
    data = "\r\n".join(rows).encode("latin-1")  # \x81 stays the raw byte 0x81
    path = tmp_path / "eu.csv"
    path.write_bytes(data)
    summary = run(portfolio, path)
    assert summary.created == 20 and summary.rejected == []
    assert summary.warnings == [
        (
            2,
            "17 bytes that Windows-1252 leaves undefined replaced by \ufffd (rows 2, 3, 4, 5, 6, …)",
        )
    ]
    with portfolio.read() as session:
        notes = session.execute(text("SELECT notes FROM accounts WHERE name = 'Café 0'")).scalar()
    assert notes == "Crème\ufffd brûlée"


def test_mixed_utf8_and_windows_1252_lines(tmp_path: Path, portfolio: Portfolio) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "Account Name,ARR\r\n".encode()
        + "Müller & Søn,1000\r\n".encode("utf-8")
        + "Gärtner Straße,2000\r\n".encode("cp1252")
        + "Zoë’s Café,3000\r\n".encode("utf-8")
    )
    summary = run(portfolio, path)
    assert summary.created == 3
    with portfolio.read() as session:
        names = [r[0] for r in session.execute(text("SELECT name FROM accounts ORDER BY arr"))]
    assert names == ["Müller & Søn", "Gärtner Straße", "Zoë’s Café"]
    assert not any("Ã" in name for name in names)
    assert summary.to_json()["warnings"] == [
        {
            "row": 3,
            "message": "mixed encodings: 1 line read as Windows-1252 (rows 3), the others as UTF-8",
        }
    ]
