"""Backup and restore use cases: copy a live portfolio, restore a checked backup, list backups.

Both directions use the SQLite online backup API, so they are safe while the app (or another
csdesk) has the portfolio open: a backup is a consistent snapshot, and a restore is one write
transaction on the live file, so open readers see either the old or the restored portfolio and
never a mix. A restore first keeps a copy of what it replaces among the automatic backups.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from csdesk.backup import (
    KEEP_SETTING,
    backup_before,
    copy_database,
    copy_pages,
    keep_count,
    list_backups,
    rotate,
)
from csdesk.config import backups_dir
from csdesk.db import (
    BUSY_TIMEOUT_MS,
    KNOWN_REVISIONS,
    Portfolio,
    file_schema,
    is_busy_error,
    open_portfolio,
)
from csdesk.errors import (
    DamagedPortfolioError,
    PortfolioBusyError,
    PortfolioError,
    ValidationError,
)
from csdesk.integrity import read_only_uri

__all__ = [
    "RestorePoint",
    "backup_to",
    "check_backup",
    "list_restore_points",
    "restore_from",
    "set_backup_keep",
]

_REQUIRED_TABLES = ("alembic_version", "accounts", "metric_snapshots", "health_snapshots")
_REASONS = {
    "daily": "Daily backup",
    "import": "Before an import",
    "before-restore": "Before a restore",
    "manual": "Manual backup",
}


@dataclass(frozen=True, slots=True)
class RestorePoint:
    """An automatic backup the user can restore."""

    path: Path
    created: dt.datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        """The reason in words ("Before an import", "Before migration 0001 → 0002" …)."""
        if self.reason.startswith("migrate-"):
            parts = self.reason.removeprefix("migrate-").split("-to-")
            return "Before schema upgrade " + " → ".join(parts)
        return _REASONS.get(self.reason, self.reason.replace("-", " ").capitalize())


def _sqlite_file(portfolio: Portfolio | Path) -> Path:
    path = portfolio.path if isinstance(portfolio, Portfolio) else Path(portfolio)
    if path is None or "://" in str(portfolio if isinstance(portfolio, str) else path):
        raise PortfolioError(
            "backup and restore work on portfolio files; back up a PostgreSQL portfolio with "
            "pg_dump"
        )
    return path


def backup_to(portfolio: Portfolio, dest: Path) -> Path:
    """Copy the open portfolio to ``dest`` (a file, or a folder to put a dated copy in).

    Returns:
        The file written.

    Raises:
        PortfolioError: ``dest`` is the portfolio itself or a database in use.
        PortfolioBusyError: another process kept the portfolio locked.
    """
    source = _sqlite_file(portfolio)
    dest = Path(dest).expanduser()
    if dest.is_dir():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = dest / f"{source.stem}-{stamp}.db"
    if dest.resolve() == source.resolve():
        raise PortfolioError(f"{dest} is the portfolio itself; choose another file")
    try:
        return copy_database(source, dest)
    except DamagedPortfolioError as exc:
        from csdesk.admission import damaged_error
        from csdesk.integrity import check_file

        problems = check_file(source, full=True)
        if not problems:
            raise  # the copy, not the portfolio, failed its check
        raise damaged_error(source, problems[0]) from exc
    except (OSError, sqlite3.OperationalError) as exc:
        from csdesk.faults import as_fault

        raise (as_fault(exc, dest) or PortfolioError(f"cannot write {dest}: {exc}")) from exc


def check_backup(src: Path) -> str:
    """Check that ``src`` is an intact csdesk portfolio of a schema this csdesk knows.

    Returns:
        Its schema revision.

    Raises:
        PortfolioError: it is missing, not SQLite, damaged, not a portfolio, or from a newer
            csdesk.
    """
    if not src.is_file():
        raise PortfolioError(f"no backup at {src}")
    with src.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise PortfolioError(f"{src} is not a csdesk backup (not a SQLite database)")
    try:
        tables, revision = file_schema(src)
        conn = sqlite3.connect(read_only_uri(src), uri=True)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise PortfolioError(f"{src} is damaged and cannot be restored: {exc}") from exc
    if problems != ["ok"]:
        raise PortfolioError(f"{src} is damaged and cannot be restored: {problems[0]}")
    if revision is None or any(t not in tables for t in _REQUIRED_TABLES):
        raise PortfolioError(f"{src} is a database, but not a csdesk portfolio")
    if revision not in KNOWN_REVISIONS:
        raise PortfolioError(
            f"{src} was written by a newer csdesk (schema {revision}); update csdesk to restore it"
        )
    return revision


def restore_from(portfolio_path: Path, src: Path) -> Path | None:
    """Replace the portfolio's content with the backup ``src``, keeping a copy of it first.

    Refused while another process is writing to the portfolio. A backup of an older schema is
    migrated right after it is restored.

    Returns:
        The copy of the replaced portfolio (an automatic backup), or None when there was no
        portfolio to replace.

    Raises:
        PortfolioError: ``src`` is not an intact csdesk portfolio this csdesk can open, or it is
            the portfolio itself.
        PortfolioBusyError: another csdesk is writing to the portfolio.
    """
    target = _sqlite_file(portfolio_path).expanduser()
    src = Path(src).expanduser()
    if src.exists() and target.exists() and src.resolve() == target.resolve():
        raise PortfolioError(f"{src} is the portfolio itself; choose a backup")
    check_backup(src)
    _check_target(target)
    kept = None
    if target.exists() and target.stat().st_size:
        kept = _replace_live(target, src)
    else:
        copy_database(src, target)
    open_portfolio(target).close()  # migrates an older backup (after backing it up)
    return kept


def _check_target(target: Path) -> None:
    """Refuse a target that is not a SQLite file, or that cannot be written."""
    from csdesk.errors import MachineFaultError
    from csdesk.integrity import write_problem

    if target.exists() and target.stat().st_size:
        with target.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise PortfolioError(
                    f"{target} is not a csdesk portfolio (not a SQLite database); "
                    "restore refuses to replace it — choose another --db"
                )
    if not target.parent.is_dir():
        return  # created by the copy (a failure to create it is a one-line fault)
    problem = write_problem(target)
    if problem is not None:
        raise MachineFaultError(f"cannot restore into {target}: {problem}; nothing was changed")


def _keep_damaged(target: Path) -> Path:
    """Set a damaged portfolio's bytes aside (not an automatic backup: never restored from)."""
    import shutil

    folder = backups_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = folder / f"{target.stem}-{stamp}.damaged"
    shutil.copyfile(target, aside)
    return aside


def _replace_live(target: Path, src: Path) -> Path:
    timeout = BUSY_TIMEOUT_MS / 1000
    live = sqlite3.connect(target, timeout=timeout, isolation_level=None)
    try:
        try:
            live.execute("BEGIN IMMEDIATE")  # refuse, rather than wait on, a busy portfolio
            live.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if is_busy_error(exc):
                raise PortfolioBusyError(
                    f"portfolio is busy: another csdesk is writing to {target.name}; "
                    "try again in a moment"
                ) from exc
            raise PortfolioError(f"cannot restore into {target}: {exc}") from exc
        from csdesk.integrity import check_file

        damaged = bool(check_file(target))
        kept = _keep_damaged(target) if damaged else _keep_copy(live, target)
        source = sqlite3.connect(read_only_uri(src), uri=True)
        try:
            copy_pages(source, live, timeout=timeout)
        except sqlite3.Error as exc:
            raise PortfolioError(f"cannot restore {src} into {target}: {exc}") from exc
        finally:
            source.close()
    finally:
        live.close()
    rotate(backups_dir(target), keep_count(target), verified=None if damaged else kept)
    return kept


def _keep_copy(live: sqlite3.Connection, target: Path) -> Path:
    """Copy the live portfolio aside; retake it if another process wrote meanwhile."""
    for _attempt in range(3):
        version = live.execute("PRAGMA data_version").fetchone()[0]
        kept = backup_before(target, "before-restore")
        assert kept is not None  # the target exists and is not empty
        if live.execute("PRAGMA data_version").fetchone()[0] == version:
            return kept
        kept.unlink(missing_ok=True)
    raise PortfolioBusyError(f"portfolio is busy: {target.name} keeps changing; try again later")


def list_restore_points(portfolio: Portfolio | Path) -> list[RestorePoint]:
    """The automatic backups of the portfolio, newest first."""
    path = _sqlite_file(portfolio)
    points = []
    for found in list_backups(path):
        try:
            size = found.path.stat().st_size
        except OSError:  # rotated away meanwhile
            continue
        points.append(RestorePoint(found.path, found.created, found.reason, size))
    return points


def set_backup_keep(portfolio: Portfolio, keep: int) -> None:
    """Store how many automatic backups this portfolio keeps (``CSDESK_BACKUPS_KEEP`` wins).

    Raises:
        ValidationError: ``keep`` is below 1.
    """
    from sqlalchemy import delete, insert

    from csdesk.models import Setting

    if keep < 1:
        raise ValidationError("keep at least 1 automatic backup")
    with portfolio.write() as session:
        session.execute(delete(Setting).where(Setting.key == KEEP_SETTING))
        session.execute(insert(Setting).values(key=KEEP_SETTING, value=str(keep)))
