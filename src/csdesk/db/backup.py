"""Online backups of a SQLite portfolio with the SQLite backup API, kept in rotation.

Automatic backups live in a folder beside the portfolio (``<stem>-backups/``) and are named
``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.db``: one before every import, one before every schema
migration, one before a restore replaces the portfolio, and one a day on the first open. Only the
newest ``keep`` of them are kept (``CSDESK_BACKUPS_KEEP`` in the environment, else the portfolio's
``backups.keep`` setting, else 10); files in the folder that do not follow the naming scheme are
never deleted.

A backup counts only once verified: the copy passes SQLite's full ``integrity_check`` before it
is renamed into place, so a damaged portfolio is refused rather than copied over good backups,
and rotation always spares the newest verified backup. A ``.part`` file left by a killed backup
is removed by the next backup into the same folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite3 import Connection

from csdesk.config import backups_dir
from csdesk.db.sqlite_file import (
    BusyTimeout,
    FileDatabaseError,
    check_file,
    connect_live,
    connect_read_only,
    data_version,
    is_intact,
    is_locked_error,
    read_setting,
    write_copy,
)
from csdesk.db.sqlite_file import copy_pages as _copy_pages
from csdesk.errors import DamagedPortfolioError, PortfolioBusyError, PortfolioError

DEFAULT_KEEP = 10
KEEP_ENV = "CSDESK_BACKUPS_KEEP"
KEEP_SETTING = "backups.keep"
BUSY_TIMEOUT_S = 5.0

_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9.-]+)\.db$")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """An automatic backup found in a portfolio's backup folder."""

    path: Path
    created: dt.datetime
    reason: str


def keep_count(portfolio: Path | None = None) -> int:
    """How many automatic backups to keep (at least 1).

    ``CSDESK_BACKUPS_KEEP`` wins; else the portfolio's ``backups.keep`` setting; else 10.
    """
    for raw in (os.environ.get(KEEP_ENV), _stored_keep(portfolio) if portfolio else None):
        try:
            return max(1, int(raw or ""))
        except ValueError:
            continue  # unset or unreadable: the next source decides
    return DEFAULT_KEEP


def _stored_keep(portfolio: Path) -> str | None:
    return read_setting(portfolio, KEEP_SETTING) if portfolio.is_file() else None


def copy_pages(source: Any, dest: Any, *, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Copy every page of the connection ``source`` into ``dest`` with the backup API.

    Raises:
        PortfolioBusyError: another process kept the database locked for ``timeout`` seconds.
    """
    try:
        _copy_pages(source, dest, timeout=timeout)
    except BusyTimeout:
        raise PortfolioBusyError("portfolio is busy: another csdesk is writing to it") from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(source: Path, dest: Path) -> Path:
    """Copy a live SQLite database consistently (readers and a writer may be active).

    The copy is written beside ``dest`` and renamed into place once complete and on disk, so a
    crash never leaves a half-written backup under the final name.

    Raises:
        PortfolioError: ``dest`` is a database in use (it has a write-ahead log beside it).
        PortfolioBusyError: the source stayed locked.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    wal = dest.with_name(dest.name + "-wal")
    if dest.exists() and wal.exists() and wal.stat().st_size:
        raise PortfolioError(
            f"{dest} is a database in use (it has a {wal.name}); choose another name"
        )
    tmp = dest.with_name(dest.name + PART_SUFFIX)
    tmp.unlink(missing_ok=True)
    with _PartLock(tmp):
        try:
            # The .part file is private until renamed: no journal, no syncs until the fsync.
            try:
                write_copy(source, tmp, timeout=BUSY_TIMEOUT_S)
            except BusyTimeout:
                raise PortfolioBusyError(
                    "portfolio is busy: another csdesk is writing to it"
                ) from None
            problems = check_file(tmp, full=True)  # verified before it counts
            if problems:
                source_problems = check_file(source, full=True)
                if source_problems:
                    raise DamagedPortfolioError(
                        f"{source.name} is damaged ({source_problems[0]}); it was not backed "
                        "up, and nothing was changed"
                    )
                raise DamagedPortfolioError(
                    f"the copy of {source.name} written to {dest.parent} failed its check "
                    f"({problems[0]}); it was not kept — the disk there may be failing"
                )
            _fsync(tmp)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, dest)
    dest.with_name(dest.name + "-shm").unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    return dest


PART_SUFFIX = ".part"


class _PartLock:
    """An advisory lock on a ``.part`` file while it is written, so that another backup's
    clean-up can tell a live ``.part`` from one a killed backup left behind."""

    def __init__(self, part: Path) -> None:
        self._lock = part.with_name(part.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> _PartLock:
        self._fd = os.open(self._lock, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except ImportError:  # Windows: an open file cannot be deleted anyway
            pass
        return self

    def __exit__(self, *_exc: object) -> None:
        self._lock.unlink(missing_ok=True)
        if self._fd is not None:
            os.close(self._fd)


def _is_locked(lock: Path) -> bool:
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def remove_orphan_parts(folder: Path) -> list[Path]:
    """Delete the ``.part`` files (and their locks) that killed backups left in ``folder``.

    A ``.part`` whose backup is still being written (its lock is held) is left alone.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for part in folder.glob(f"*.db{PART_SUFFIX}"):
        lock = part.with_name(part.name + ".lock")
        if lock.exists() and _is_locked(lock):
            continue
        try:
            part.unlink(missing_ok=True)
            lock.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(part)
    for lock in folder.glob(f"*.db{PART_SUFFIX}.lock"):
        if not lock.with_name(lock.name.removesuffix(".lock")).exists() and not _is_locked(lock):
            lock.unlink(missing_ok=True)
    return removed


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", reason.lower()).strip("-") or "manual"


def backup_before(portfolio: Path, reason: str) -> Path | None:
    """Take an automatic backup named after ``reason`` and rotate old ones.

    Returns:
        The backup's path, or None when the portfolio file does not exist yet (or is empty).

    Raises:
        PortfolioError: the backup could not be written (disk full, folder not writable).
        PortfolioBusyError: the portfolio stayed locked.
    """
    if not portfolio.exists() or portfolio.stat().st_size == 0:
        return None
    folder = backups_dir(portfolio)
    stamp = dt.datetime.now().strftime(_STAMP)
    try:
        remove_orphan_parts(folder)
        dest = copy_database(portfolio, folder / f"{portfolio.stem}-{stamp}-{_slug(reason)}.db")
        rotate(folder, keep_count(portfolio), verified=dest)
    except DamagedPortfolioError:
        raise
    except (OSError, FileDatabaseError) as exc:
        raise PortfolioError(
            f"cannot back up {portfolio.name} before {reason} into {folder}: "
            f"{getattr(exc, 'strerror', None) or exc}"
        ) from exc
    return dest


def backup_daily(portfolio: Path, *, today: dt.date | None = None) -> Path | None:
    """Back up ``portfolio`` unless a backup of it was already taken today.

    Returns:
        The new backup, or None when there was one already (or no portfolio yet).
    """
    today = today or dt.date.today()
    if any(b.created.date() == today for b in list_backups(portfolio)):
        return None
    return backup_before(portfolio, "daily")


def parse_backup_name(path: Path) -> BackupFile | None:
    """The backup a file name describes, or None when it is not an automatic backup's name."""
    match = _NAME.match(path.name)
    if not match:
        return None
    created = dt.datetime.strptime(match["stamp"], _STAMP)
    return BackupFile(path, created, match["reason"])


def list_backups(portfolio: Path) -> list[BackupFile]:
    """Automatic backups of ``portfolio``, newest first."""
    folder = backups_dir(portfolio)
    if not folder.is_dir():
        return []
    found = (parse_backup_name(p) for p in folder.glob(f"{portfolio.stem}-*.db"))
    return sorted((b for b in found if b is not None), key=lambda b: b.created, reverse=True)


def rotate(folder: Path, keep: int, *, verified: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups in ``folder``; return the deleted.

    Only files named like automatic backups are considered; anything else is left alone. The
    newest backup that passes its check is never deleted, even when older than ``keep`` allows.

    Args:
        folder: The backup folder.
        keep: How many to keep.
        verified: A backup known to be intact (the one just written and checked).
    """
    found = (parse_backup_name(p) for p in folder.glob("*.db"))
    backups = sorted((b for b in found if b is not None), key=lambda b: b.created, reverse=True)
    kept, rest = backups[: max(1, keep)], backups[max(1, keep) :]
    unverified = verified is None or all(b.path != verified for b in kept)
    if unverified and not any(is_intact(b.path) for b in kept):
        spared = next((b for b in rest if is_intact(b.path)), None)
        rest = [b for b in rest if b is not spared]
    deleted = []
    for old in rest:
        old.path.unlink(missing_ok=True)
        deleted.append(old.path)
    return deleted


def restore_live(target: Path, src: Path, *, timeout: float) -> Path:
    """Replace the live portfolio file ``target`` with the backup ``src``, one transaction.

    Open readers see either the old or the restored portfolio. What is replaced is kept first:
    as an automatic backup, or set aside as ``.damaged`` when it is damaged.

    Returns:
        The copy of the replaced portfolio.

    Raises:
        PortfolioBusyError: another csdesk is writing to the portfolio.
        PortfolioError: the backup cannot be copied in.
    """
    live = connect_live(target, timeout=timeout)
    try:
        try:
            live.execute("BEGIN IMMEDIATE")  # refuse, rather than wait on, a busy portfolio
            live.execute("ROLLBACK")
        except FileDatabaseError as exc:
            if is_locked_error(exc):
                raise PortfolioBusyError(
                    f"portfolio is busy: another csdesk is writing to {target.name}; "
                    "try again in a moment"
                ) from exc
            raise PortfolioError(f"cannot restore into {target}: {exc}") from exc
        damaged = bool(check_file(target))
        kept = _keep_damaged(target) if damaged else _keep_copy(live, target)
        source = connect_read_only(src)
        try:
            copy_pages(source, live, timeout=timeout)
        except FileDatabaseError as exc:
            raise PortfolioError(f"cannot restore {src} into {target}: {exc}") from exc
        finally:
            source.close()
    finally:
        live.close()
    rotate(backups_dir(target), keep_count(target), verified=None if damaged else kept)
    return kept


def _keep_damaged(target: Path) -> Path:
    """Set a damaged portfolio's bytes aside (not an automatic backup: never restored from)."""
    import shutil

    folder = backups_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime(_STAMP)
    aside = folder / f"{target.stem}-{stamp}.damaged"
    shutil.copyfile(target, aside)
    return aside


def _keep_copy(live: Connection, target: Path) -> Path:
    """Copy the live portfolio aside; retake it if another process wrote meanwhile."""
    for _attempt in range(3):
        version = data_version(live)
        kept = backup_before(target, "before-restore")
        assert kept is not None  # the target exists and is not empty
        if data_version(live) == version:
            return kept
        kept.unlink(missing_ok=True)
    raise PortfolioBusyError(f"portfolio is busy: {target.name} keeps changing; try again later")
