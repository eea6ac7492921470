"""Online backups of a SQLite portfolio with the SQLite backup API, kept in rotation."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from csdesk.config import backups_dir

DEFAULT_KEEP = 10


def keep_count() -> int:
    """How many automatic backups to keep (``CSDESK_BACKUPS_KEEP``, default 10)."""
    try:
        return max(1, int(os.environ.get("CSDESK_BACKUPS_KEEP", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def copy_database(source: Path, dest: Path) -> Path:
    """Copy a live SQLite database consistently (readers and a writer may be active)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    os.replace(tmp, dest)
    return dest


def backup_before(portfolio: Path, reason: str) -> Path | None:
    """Take an automatic backup named after ``reason`` and rotate old ones.

    Returns the backup's path, or None when the portfolio file does not exist yet.
    """
    if not portfolio.exists() or portfolio.stat().st_size == 0:
        return None
    folder = backups_dir(portfolio)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = copy_database(portfolio, folder / f"{portfolio.stem}-{stamp}-{reason}.db")
    rotate(folder, keep_count())
    return dest


def list_backups(portfolio: Path) -> list[Path]:
    """Automatic backups of ``portfolio``, newest first."""
    folder = backups_dir(portfolio)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime_ns, reverse=True)


def rotate(folder: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` backups in ``folder``."""
    backups = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in backups[keep:]:
        old.unlink(missing_ok=True)
