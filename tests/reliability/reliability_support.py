"""Helpers of the reliability tests: content digests, integrity checks and real CLI processes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from support import SAMPLES as SAMPLES  # the reliability tests take it from here

SRC = Path(__file__).resolve().parents[2] / "src"


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that never converts, checkpoints or creates the file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file, its messages joined (``ok`` when intact)."""
    conn = connect_ro(path)
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def digest(path: Path) -> str:
    """A hash of every row of every table (in rowid or key order): equal digests, equal content."""
    conn = connect_ro(path)
    try:
        tables = list(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        )
        h = hashlib.sha256()
        for table, sql in tables:
            h.update(f"<{table}>".encode())
            order = "rowid"
            if "WITHOUT ROWID" in sql.upper():
                width = len(conn.execute(f'PRAGMA table_info("{table}")').fetchall())
                order = ", ".join(str(i) for i in range(1, width + 1))
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    """The number of rows in ``table``."""
    conn = connect_ro(path)
    try:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a csdesk subprocess: this source tree, an isolated data folder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["CSDESK_DATA_DIR"] = str(data_dir)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def cli_command(*args: str) -> list[str]:
    """``python -m csdesk.cli ARGS`` with this interpreter."""
    return [sys.executable, "-m", "csdesk.cli", *args]


def run_cli(
    args: Sequence[str], data_dir: Path, timeout: float = 60, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the csdesk command line in a real process and wait for it."""
    return subprocess.run(
        cli_command(*args),
        env=cli_env(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_python(code: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a Python snippet against this source tree in a real process."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def inline_row(number: int, cells: Sequence[str]) -> str:
    """A worksheet row of inline strings in columns A, B, C …"""
    refs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        f'<row r="{number}">'
        + "".join(
            f'<c r="{refs[i]}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
            for i, text in enumerate(cells)
        )
        + "</row>"
    )


def sheet_xml(rows: str, prolog: str = "") -> str:
    """A worksheet part holding ``rows`` (row elements), after an optional prolog."""
    return (
        f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def minimal_parts() -> dict[str, str | bytes]:
    """The parts of a one-sheet workbook with an "Account Name, ARR" table."""
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_BOOK_TYPE}"/><Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{_SHEET_TYPE}"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml(
            inline_row(1, ["Account Name", "ARR"]) + inline_row(2, ["Acme", "5"])
        ),
    }


def write_workbook(path: Path, **parts: str | bytes) -> Path:
    """A hand-made .xlsx: the minimal parts, with ``parts`` (by member name) replaced or added."""
    import zipfile

    merged = {**minimal_parts(), **parts}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in merged.items():
            archive.writestr(name, data)
    return path
