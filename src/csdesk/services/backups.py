"""Backup and restore use cases: copy a live portfolio, restore a checked backup, list backups.

Both directions use the SQLite online backup API, so they are safe while the app (or another
csdesk) has the portfolio open: a backup is a consistent snapshot, and a restore is one write
transaction on the live file, so open readers see either the old or the restored portfolio and
never a mix. A restore first keeps a copy of what it replaces among the automatic backups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from csdesk.db import BUSY_TIMEOUT_MS, KNOWN_REVISIONS, Portfolio, open_portfolio
from csdesk.db.backup import KEEP_SETTING, copy_database, keep_count, list_backups, restore_live
from csdesk.db.sqlite_file import FileDatabaseError, check_file, file_schema, looks_like_sqlite
from csdesk.errors import (
    DamagedPortfolioError,
    PortfolioError,
    ValidationError,
)

__all__ = [
    "RestorePoint",
    "backup_to",
    "backups_kept",
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
        from csdesk.db.admission import damaged_error

        problems = check_file(source, full=True)
        if not problems:
            raise  # the copy, not the portfolio, failed its check
        raise damaged_error(source, problems[0]) from exc
    except (OSError, FileDatabaseError) as exc:
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
    if not looks_like_sqlite(src):
        raise PortfolioError(f"{src} is not a csdesk backup (not a SQLite database)")
    try:
        tables, revision = file_schema(src)
        problems = check_file(src, full=True)
    except FileDatabaseError as exc:
        raise PortfolioError(f"{src} is damaged and cannot be restored: {exc}") from exc
    if problems:
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
        kept = restore_live(target, src, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        copy_database(src, target)
    open_portfolio(target).close()  # migrates an older backup (after backing it up)
    return kept


def _check_target(target: Path) -> None:
    """Refuse a target that is not a SQLite file, or that cannot be written."""
    from csdesk.db.sqlite_file import write_problem
    from csdesk.errors import MachineFaultError

    if target.exists() and target.stat().st_size and not looks_like_sqlite(target):
        raise PortfolioError(
            f"{target} is not a csdesk portfolio (not a SQLite database); "
            "restore refuses to replace it — choose another --db"
        )
    if not target.parent.is_dir():
        return  # created by the copy (a failure to create it is a one-line fault)
    problem = write_problem(target)
    if problem is not None:
        raise MachineFaultError(f"cannot restore into {target}: {problem}; nothing was changed")


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


def backups_kept(portfolio_path: Path) -> int:
    """How many automatic backups the portfolio file keeps (see ``set_backup_keep``)."""
    return keep_count(portfolio_path)


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
