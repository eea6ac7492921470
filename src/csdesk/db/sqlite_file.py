"""A portfolio file itself: every raw ``sqlite3`` connection, its integrity, its schema, its copy.

Whether a file can be written and whether it is damaged (SPEC 7); its tables and revision read
without changing it; the online backup API that copies a live file page by page. Every check reads
the file through a read-only ``sqlite3`` connection, so a damaged or read-only file stays
byte-identical. A file that cannot be written (read-only file, folder or file system) is read as
``immutable``: SQLite then needs neither a ``-shm`` file nor a lock beside it.

Only the standard library is imported here: the start-up reader (:mod:`csdesk.db.reader`) opens
its connection through this module before SQLAlchemy is loaded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

MIN_FREE_BYTES = 128 * 1024
SQLITE_VERSION = sqlite3.sqlite_version
"""The SQLite library's version (``csdesk doctor`` reports it)."""

FileDatabaseError = sqlite3.Error
"""What a raw connection to a portfolio file raises (callers catch this, not ``sqlite3``)."""

_HEADER = b"SQLite format 3\x00"

__all__ = [
    "SQLITE_VERSION",
    "FileDatabaseError",
    "check_file",
    "check_on_open",
    "connect_live",
    "connect_read_only",
    "copy_pages",
    "data_version",
    "file_schema",
    "is_intact",
    "is_locked_error",
    "looks_like_sqlite",
    "read_only_uri",
    "read_setting",
    "write_copy",
    "write_problem",
]


def looks_like_sqlite(path: Path) -> bool:
    """True when ``path`` starts with SQLite's file header (it may still be damaged).

    Raises:
        OSError: the file cannot be read.
    """
    with path.open("rb") as fh:
        return fh.read(16) == _HEADER


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


def connect_read_only(
    path: Path, *, timeout: float = 5.0, autocommit: bool = False, plain: bool = False
) -> sqlite3.Connection:
    """A connection that reads ``path`` and writes nothing.

    Args:
        path: The SQLite file.
        timeout: Seconds to wait for a writer's lock.
        autocommit: No implicit transactions (the caller emits ``BEGIN`` itself).
        plain: ``mode=ro`` only, never ``immutable`` (a reader that must see another process's
            writes as they land).

    Raises:
        sqlite3.Error: the file cannot be opened.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro" if plain else read_only_uri(path)
    if autocommit:
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    return sqlite3.connect(uri, uri=True, timeout=timeout)


def file_schema(path: Path, *, timeout: float = 5.0) -> tuple[set[str], str | None]:
    """The tables and the schema revision of a SQLite file, read without changing it.

    The read-only connection never converts, checkpoints or migrates the file.

    Raises:
        sqlite3.Error: the file cannot be read (not a database, damaged, locked).
    """
    conn = connect_read_only(path, timeout=timeout)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        row = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    finally:
        conn.close()
    return tables, (str(row[0]) if row else None)


def read_setting(path: Path, key: str) -> str | None:
    """A portfolio setting read from the file, or None when unset or unreadable."""
    try:
        conn = connect_read_only(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


class BusyTimeout(Exception):
    """The file stayed locked by another process for longer than the wait allowed."""


def copy_pages(source: sqlite3.Connection, dest: sqlite3.Connection, *, timeout: float) -> None:
    """Copy every page of ``source`` into ``dest`` with the backup API, as one step.

    Python's backup loop retries a busy database forever; this gives up after ``timeout``.

    Raises:
        BusyTimeout: another process kept the database locked for ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout

    def _on_step(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BusyTimeout

    source.backup(dest, progress=_on_step, sleep=0.05)


def write_copy(source: Path, dest: Path, *, timeout: float) -> None:
    """Copy the live file ``source`` into the private new file ``dest`` (no journal, no syncs).

    Raises:
        BusyTimeout: the source stayed locked.
        sqlite3.Error: either file cannot be read or written.
    """
    src = connect_read_only(source)
    try:
        out = sqlite3.connect(dest)
        try:
            out.execute("PRAGMA synchronous=OFF")
            out.execute("PRAGMA journal_mode=OFF")
            copy_pages(src, out, timeout=timeout)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()


def connect_live(path: Path, *, timeout: float) -> sqlite3.Connection:
    """A read-write connection in autocommit mode to a live portfolio file (a restore's target).

    Raises:
        sqlite3.Error: the file cannot be opened.
    """
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def data_version(conn: sqlite3.Connection) -> int:
    """A number that changes whenever another connection commits to the file."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def is_locked_error(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" errors."""
    message = str(exc).lower()
    return "database is locked" in message or "database is busy" in message


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
        if not looks_like_sqlite(path):
            return False
        return not check_file(path, full=full)
    except (OSError, sqlite3.Error):
        return False
