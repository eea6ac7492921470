"""Integrity of a portfolio file: whether it can be written, whether it is damaged, the newest
good backup to restore from, and the one-line refusal that names it (SPEC 7).

Every check reads the file through a read-only ``sqlite3`` connection, so a damaged or read-only
file stays byte-identical. A file that cannot be written (read-only file, folder or file system)
is read as ``immutable``: SQLite then needs neither a ``-shm`` file nor a lock beside it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from pathlib import Path

from csdesk.errors import (
    DamagedPortfolioError,
    MachineFaultError,
    PortfolioBusyError,
    PortfolioError,
)

MIN_FREE_BYTES = 128 * 1024

DAMAGED = "it is damaged"
"""The reason a damaged portfolio opened for reading is read-only."""

__all__ = [
    "DAMAGED",
    "admit_file",
    "check_file",
    "check_on_open",
    "damaged_error",
    "newest_good_backup",
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


def newest_good_backup(portfolio: Path) -> Path | None:
    """The newest automatic backup of ``portfolio`` that passes ``quick_check``."""
    from csdesk.backup import list_backups

    for found in list_backups(portfolio):
        if is_intact(found.path):
            return found.path
    return None


def damaged_error(portfolio: Path, problem: str) -> DamagedPortfolioError:
    """The one-line refusal for a damaged portfolio, naming the newest good backup."""
    first = problem.splitlines()[0] if problem else "integrity check failed"
    text = f"{portfolio.name} is damaged ({first}); it was not changed — "
    backup = newest_good_backup(portfolio)
    if backup is not None:
        text += f"restore the newest good backup with: csdesk restore {backup} --db {portfolio}"
    else:
        text += (
            "no intact backup was found; save what can be read with "
            f"csdesk export --all --out DIR --db {portfolio}, then csdesk restore a copy"
        )
    return DamagedPortfolioError(text)


def admit_file(path: Path, *, create: bool, for_writing: bool) -> str | None:
    """Decide how a portfolio file may be opened, before anything trusts it.

    Args:
        path: The SQLite file (its header and schema already checked when it exists).
        create: A missing file may be created (otherwise it is refused).
        for_writing: The caller means to write: a damaged or unwritable file is refused.

    Returns:
        Why the file must be opened read-only, or None when it may be written.

    Raises:
        PortfolioError: the file is missing and may not be created.
        DamagedPortfolioError: the file is damaged (``for_writing``).
        MachineFaultError: the file or its folder cannot be written (``for_writing``).
        PortfolioBusyError: another process keeps the file locked.
    """
    from csdesk.faults import as_fault

    if not path.exists():
        if not create:
            raise PortfolioError(f"no portfolio at {path} (check the path; nothing was created)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise (as_fault(exc, path.parent) or PortfolioError(str(exc))) from exc
        problem = write_problem(path)
        if problem is not None:
            raise MachineFaultError(f"cannot create {path}: {problem}; nothing was written")
        return None
    if not path.stat().st_size:
        return None
    try:
        problems = check_on_open(path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise PortfolioBusyError(f"portfolio is busy: {path}") from exc
        raise PortfolioError(f"cannot open portfolio {path}: {exc}") from exc
    if problems:
        if for_writing:
            raise damaged_error(path, problems[0])
        logging.getLogger(__name__).warning("%s is damaged: %s; read only", path, problems[0])
        return DAMAGED
    problem = write_problem(path)
    if problem is not None and for_writing:
        raise MachineFaultError(
            f"cannot change {path.name}: {problem}; nothing was changed — "
            "it can still be listed and exported"
        )
    return problem
