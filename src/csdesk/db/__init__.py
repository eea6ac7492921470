"""The database layer: the one place that knows a portfolio is SQLite or PostgreSQL.

Everything above it (services, importers, reports, views, the CLI) opens a portfolio and runs its
work through what this package hands out, and never asks which engine it is on:

* :mod:`~csdesk.db.engine`: engines, migrations, the :class:`Portfolio` and its transactions;
* :mod:`~csdesk.db.dialect`: what differs between the engines (locking, sequences, triggers,
  server faults), called by the engine and the copy;
* :mod:`~csdesk.db.bulk`: bulk reads and writes inside a transaction (upserts, executemany);
* :mod:`~csdesk.db.reader`: plain SQL reads through a DB-API cursor, and the read-only early
  opening of a portfolio file at start-up (standard library only);
* :mod:`~csdesk.db.sqlite_file`: every raw ``sqlite3`` connection to a portfolio file — read-only
  opens, integrity checks, the online backup API;
* :mod:`~csdesk.db.backup` and :mod:`~csdesk.db.admission`: automatic backups of a portfolio
  file, and how a file may be opened;
* :mod:`~csdesk.db.faults`: the engines' wording of a full disk, a read-only or damaged file and
  a lost server (standard library only), read by :mod:`csdesk.faults`.

The names callers use are importable from ``csdesk.db`` itself. They are loaded on first use, so
that the start-up reader (:mod:`csdesk.db.reader`) runs before SQLAlchemy is imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csdesk.db.dialect import continue_sequences, keep_history
    from csdesk.db.engine import (
        Portfolio,
        is_busy_error,
        is_server_url,
        make_engine,
        migrate,
        open_portfolio,
        sqlite_path,
        stored_revision,
        to_url,
    )
    from csdesk.db.reader import BUSY_TIMEOUT_MS, SqlReader
    from csdesk.db.sqlite_file import file_schema
    from csdesk.revisions import KNOWN_REVISIONS, SCHEMA_HEAD

__all__ = [
    "BUSY_TIMEOUT_MS",
    "KNOWN_REVISIONS",
    "SCHEMA_HEAD",
    "Portfolio",
    "SqlReader",
    "continue_sequences",
    "file_schema",
    "is_busy_error",
    "is_server_url",
    "keep_history",
    "make_engine",
    "migrate",
    "open_portfolio",
    "sqlite_path",
    "stored_revision",
    "to_url",
]

_HOME = {
    "BUSY_TIMEOUT_MS": "csdesk.db.reader",
    "SqlReader": "csdesk.db.reader",
    "KNOWN_REVISIONS": "csdesk.revisions",
    "SCHEMA_HEAD": "csdesk.revisions",
    "continue_sequences": "csdesk.db.dialect",
    "keep_history": "csdesk.db.dialect",
    "file_schema": "csdesk.db.sqlite_file",
}
"""Where each exported name lives when it is not in :mod:`csdesk.db.engine`."""


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'csdesk.db' has no attribute {name!r}")
    value = getattr(import_module(_HOME.get(name, "csdesk.db.engine")), name)
    globals()[name] = value
    return value
