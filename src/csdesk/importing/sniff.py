"""What a file really is: its format from magic bytes, and a text file's encoding and delimiter."""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path
from typing import NamedTuple

from csdesk.importing.summary import ImportFileError

__all__ = [
    "MAX_FILE_BYTES",
    "TEXT_SUFFIXES",
    "XLSX_SUFFIXES",
    "Decoded",
    "decode_lines",
    "decode_text",
    "file_format",
    "sniff_delimiter",
]

MAX_FILE_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)\s*")


def file_format(path: Path) -> str:
    """``"csv"`` or ``"xlsx"``, checked against the file's first bytes.

    Raises:
        ImportFileError: missing, too large, empty, an unsupported type, or not what its
            extension says.
    """
    if not path.exists():
        raise ImportFileError(f"{path.name}: no such file")
    if not path.is_file():
        raise ImportFileError(f"{path.name}: not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"{path.name}: file is larger than 200 MB ({size / 1e6:.0f} MB)")
    if size == 0:
        raise ImportFileError(f"{path.name}: the file is empty")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    is_zip = head.startswith(_ZIP_MAGIC)
    is_ole = head.startswith(_OLE_MAGIC)
    if suffix in XLSX_SUFFIXES:
        if is_zip:
            return "xlsx"
        if is_ole:
            raise ImportFileError(
                f"{path.name}: a password-protected or old-style (.xls) workbook; "
                "save it as an unprotected .xlsx and import that"
            )
        raise ImportFileError(f"{path.name}: not an Excel workbook (an .xlsx is a zip archive)")
    if suffix in TEXT_SUFFIXES:
        if is_zip or is_ole:
            raise ImportFileError(
                f"{path.name}: an Excel workbook or archive, not a {suffix[1:].upper()} text file"
            )
        return "csv"
    raise ImportFileError(
        f"{path.name}: unsupported file type {suffix or '(none)'!r}; use .csv, .tsv, .txt or .xlsx"
    )


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte of a sample, else None."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if half and odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if half and even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


class Decoded(NamedTuple):
    """A text file decoded: its text, the encoding used, and what was read differently.

    Attributes:
        text: The text without BOM.
        encoding: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``, or ``utf-8+cp1252`` for a
            file mixing both line by line.
        warnings: (row or None, message) pairs: stray undefined bytes, mixed encodings.
    """

    text: str
    encoding: str
    warnings: list[tuple[int | None, str]]


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16, else line by line (SPEC 3.2).

    A line that is valid UTF-8 is read as UTF-8, any other as Windows-1252, so a file mixing
    both never turns into double-encoded text; the five bytes Windows-1252 leaves undefined
    become U+FFFD. Both are reported as warnings with their rows.

    Raises:
        ImportFileError: the bytes are binary, or there is nothing but whitespace.
    """
    encoding: str | None = None
    warnings: list[tuple[int | None, str]] = []
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data[:4096])
        if encoding is None:
            raise ImportFileError(f"{name}: a binary file, not text (it contains NUL bytes)")
    text: str | None = None
    try:
        text = data.decode(encoding or "utf-8")
        encoding = encoding or "utf-8"
    except UnicodeDecodeError:
        if encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            raise ImportFileError(f"{name}: cannot be read as text ({encoding})") from None
        body = data[3:] if encoding == "utf-8-sig" else data
        text, encoding, warnings = decode_lines(body)
    text = text.removeprefix("\ufeff")
    sample = text[:65536]
    if encoding in ("cp1252", "utf-8+cp1252") and _garbled(sample):
        raise ImportFileError(
            f"{name}: not readable text (invalid UTF-8, and not Windows-1252 text either)"
        )
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(4, len(sample) // 200):
        raise ImportFileError(f"{name}: a binary file, not text")
    if not text.strip():
        raise ImportFileError(f"{name}: the file is empty")
    return Decoded(text, encoding, warnings)


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (", …" if len(numbers) > 5 else "")


def decode_lines(data: bytes) -> tuple[str, str, list[tuple[int | None, str]]]:
    """Decode bytes that are not UTF-8 as a whole: each line as UTF-8 where it is valid UTF-8,
    else as Windows-1252 (undefined bytes → U+FFFD).

    Returns:
        The text, ``cp1252`` or ``utf-8+cp1252``, and the warnings.
    """
    out: list[str] = []
    legacy: list[int] = []
    stray: list[int] = []
    strays = 0
    utf8 = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            out.append(line.decode("ascii"))
            continue
        try:
            out.append(line.decode("utf-8"))
            utf8 += 1
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
            legacy.append(number)
            replaced = text.count("\ufffd") - line.count(b"\xef\xbf\xbd")
            if replaced:
                strays += replaced
                stray.append(number)
            out.append(text)
    warnings: list[tuple[int | None, str]] = []
    if utf8 and legacy:
        warnings.append(
            (
                legacy[0],
                f"mixed encodings: {len(legacy)} line{'s' if len(legacy) > 1 else ''} read as "
                f"Windows-1252 (rows "
                f"{_rows(legacy)}), the others as UTF-8",
            )
        )
    if stray:
        warnings.append(
            (
                stray[0],
                f"{strays} bytes that Windows-1252 leaves undefined replaced by \ufffd (rows "
                f"{_rows(stray)})",
            )
        )
    return "\n".join(out), "utf-8+cp1252" if utf8 else "cp1252", warnings


def _garbled(sample: str) -> bool:
    """True for bytes that only decode as C1 control codes or as a mass of accented symbols.

    Real Windows-1252 text is mostly ASCII with a few accented letters; invalid UTF-8 read as
    Windows-1252 or Latin-1 is mostly non-ASCII characters, or holds C1 controls (U+0080–U+009F).
    """
    c1 = sum(1 for c in sample if "\x80" <= c <= "\x9f" or c == "\ufffd")
    if c1 > max(20, len(sample) // 100):
        return True
    non_ascii = sum(1 for c in sample if c > "\x7f")
    visible = len(sample) - sum(1 for c in sample if c.isspace())
    return non_ascii >= 32 and non_ascii > 0.25 * visible


def sniff_delimiter(text: str, suffix: str = ".csv") -> tuple[str, int]:
    """The delimiter of a text table and how many leading lines are not data (``sep=;``).

    Each candidate (comma, semicolon, tab, pipe) splits the first lines; the one that gives the
    most rows sharing the same number of fields (more than one) wins; ``.tsv`` prefers tabs.
    """
    head = text[:65536].splitlines()[:60]
    if head:
        hint = _SEP_LINE.fullmatch(head[0].strip().strip('"'))
        if hint is not None:
            return hint[1], 1
    best = ("\t" if suffix == ".tsv" else ",", (0, 0, 0))
    for rank, delimiter in enumerate(
        ("\t", ",", ";", "|") if suffix == ".tsv" else (",", ";", "\t", "|")
    ):
        counts: dict[int, int] = {}
        try:
            for fields in csv.reader(head, delimiter=delimiter):
                if len(fields) > 1:
                    counts[len(fields)] = counts.get(len(fields), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (rows, width, -rank)
        if score > best[1]:
            best = (delimiter, score)
    return best[0], 0
