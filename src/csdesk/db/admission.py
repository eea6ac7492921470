"""How a portfolio file may be opened: created, refused, read-only or writable; and the
one-line refusal of a damaged file that names the newest good backup and ``csdesk restore``
(SPEC 5, 7)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from csdesk.db.backup import list_backups
from csdesk.db.sqlite_file import check_on_open, is_intact, write_problem
from csdesk.errors import (
    DamagedPortfolioError,
    MachineFaultError,
    PortfolioBusyError,
    PortfolioError,
)

__all__ = ["DAMAGED", "admit_file", "damaged_error", "newest_good_backup"]

DAMAGED = "it is damaged"
"""The reason a damaged portfolio opened for reading is read-only."""


def newest_good_backup(portfolio: Path) -> Path | None:
    """The newest automatic backup of ``portfolio`` that passes ``quick_check``."""
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
