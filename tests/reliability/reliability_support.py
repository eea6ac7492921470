"""Helpers of the reliability tests: content digests, integrity checks and real CLI processes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


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
    """A hash of every row of every table (in rowid order): equal digests, equal content."""
    conn = connect_ro(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        h = hashlib.sha256()
        for table in tables:
            h.update(f"<{table}>".encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
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
