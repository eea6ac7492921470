"""Integrity of a SQLite file: whether it can be written and whether it is damaged (SPEC 7).

Every check reads the file through a read-only ``sqlite3`` connection, so a damaged or read-only
file stays byte-identical. A file that cannot be written (read-only file, folder or file system)
is read as ``immutable``: SQLite then needs neither a ``-shm`` file nor a lock beside it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

MIN_FREE_BYTES = 128 * 1024

__all__ = [
    "check_file",
    "check_on_open",
    "read_only_uri",
    "write_problem",
]


def write_problem(path: Path) -> str | None:
    """Why ``path`` (an existing file) cannot be written, or None when it can.

    Returns:
        "the file system is read-only", "the file is read-only", "its folder is read-only" or
        "the disk is full" (less than :data:`MIN_FREE_BYTES` free: not even the lock file SQLite
        keeps beside a portfolio would fit).
    """
    folder = path.parent
    statvfs = getattr(os, "statvfs", None)
    if statvfs is not None:
        try:
            if statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
                return "the file system is read-only"
        except OSError:
            pass
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return "its folder is read-only"
    try:
        if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
            return "the disk is full"
    except OSError:
        pass
    return None


def read_only_uri(path: Path) -> str:
    """A ``sqlite3`` URI that reads ``path`` without writing anything, even beside it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri + "&immutable=1" if write_problem(path) else uri


def check_file(path: Path, *, full: bool = False) -> list[str]:
    """Check a SQLite file: ``quick_check`` (or the full ``integrity_check``).

    Returns:
        The problems found; empty when the file is intact.

    Raises:
        sqlite3.OperationalError: the file is locked or cannot be opened at all.
    """
    pragma = "integrity_check(5)" if full else "quick_check(5)"
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5.0)
    except sqlite3.OperationalError:
        raise
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


CHECKED_NAME = "checked.json"
"""In the data folder: the state (size, modification time, inode, and the same of the
write-ahead log) each portfolio file was in when it last passed ``quick_check``."""


def _state(path: Path) -> list[int]:
    state: list[int] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            st = file.stat()
        except OSError:
            st = None
        if st is None or (file is not path and st.st_size == 0):  # an empty log holds nothing
            state += [-1, -1, -1]
        else:
            state += [st.st_size, st.st_mtime_ns, st.st_ino]
    return state


def _checked_file() -> Path:
    from csdesk.config import data_dir

    return data_dir() / CHECKED_NAME


def check_on_open(path: Path) -> list[str]:
    """``quick_check`` of a portfolio being opened, unless the file is exactly as it was when
    it last passed (same size, modification time and inode, its write-ahead log too).

    A large portfolio takes about a second to check; read twice in a row it is checked once.
    Damage that leaves the file's times alone (a failing disk) is found by the full check
    every backup runs, the daily one included.
    """
    import json

    key = str(path.resolve())
    record = _checked_file()
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    state = _state(path)
    if known.get(key) == state:
        return []
    problems = check_file(path)
    if problems:
        return problems
    known[key] = state
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        part = record.with_name(f"{record.name}.{os.getpid()}.tmp")
        part.write_text(json.dumps(dict(list(known.items())[-50:])), encoding="utf-8")
        os.replace(part, record)
    except OSError:
        pass  # a read-only data folder: check again next time
    return []


def is_intact(path: Path, *, full: bool = False) -> bool:
    """True when ``path`` is a SQLite file that passes the check."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        return not check_file(path, full=full)
    except (OSError, sqlite3.Error):
        return False
