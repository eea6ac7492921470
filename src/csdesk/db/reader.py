"""Plain SQL reads of a portfolio through a DB-API cursor, and a first look at a SQLite file.

The portfolio table's queries (:mod:`csdesk.services.portfolio_table`) are SQL text run through a
:class:`SqlReader`: a DB-API cursor inside one read transaction, plus the few differences between
SQLite and PostgreSQL that matter to them (placeholders, dates). Two things hand one out, through
the same ``sql_read()`` context manager (:class:`ReadSource`):

* ``Portfolio.sql_read()`` (:mod:`csdesk.db.engine`): a read transaction of the open portfolio;
* :class:`EarlyPortfolio`, from :func:`open_early`: a read-only ``sqlite3`` connection to a
  portfolio file of this csdesk's schema, opened at start-up before SQLAlchemy is imported, so
  the window shows the first page of the table at once. Anything else (a URL, a missing file,
  an older or newer schema, a file that cannot be read right now) gets None and is opened the
  normal way, which reports any problem.

This module imports nothing but the standard library and :mod:`csdesk.db.sqlite_file` (an
import-linter contract checks it).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from csdesk.db.sqlite_file import connect_read_only
from csdesk.revisions import SCHEMA_HEAD

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CACHE_SIZE_KIB",
    "EarlyPortfolio",
    "ReadSource",
    "SqlReader",
    "open_early",
]


def _busy_timeout_ms() -> int:
    """How long a writer waits for another one (``CSDESK_BUSY_TIMEOUT_MS``, default 5 s)."""
    try:
        return max(0, int(os.environ.get("CSDESK_BUSY_TIMEOUT_MS", "5000")))
    except ValueError:
        return 5000


BUSY_TIMEOUT_MS = _busy_timeout_ms()
CACHE_SIZE_KIB = 65536
"""SQLite page cache of a portfolio connection (``PRAGMA cache_size=-65536``, as the engine's)."""


class SqlReader:
    """A DB-API cursor inside one read transaction, with the dialect differences smoothed over.

    SQL is written with ``?`` placeholders (sqlite3's style); for PostgreSQL they become ``%s``
    (psycopg's), so the SQL text holds no other ``?`` or ``%``. Date parameters reach SQLite as
    ISO text, the form its ``Date`` columns store; :meth:`date` turns a date read back (ISO text
    from SQLite, a ``datetime.date`` from PostgreSQL) into a ``datetime.date``, and :meth:`money`
    an amount (integer cents on SQLite, ``NUMERIC`` on PostgreSQL) into a ``Decimal``.

    Args:
        cursor: A DB-API cursor of a connection inside a read transaction.
        dialect: ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(self, cursor: Any, dialect: str) -> None:
        self.cursor = cursor
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one statement and return the cursor (iterate it for the rows)."""
        if self.dialect == "sqlite":
            values = [v.isoformat() if type(v) is dt.date else v for v in params]
            self.cursor.execute(sql, values)
        else:
            self.cursor.execute(sql.replace("?", "%s"), list(params))
        return self.cursor

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query, as tuples."""
        rows: list[tuple[Any, ...]] = self.execute(sql, params).fetchall()
        return rows

    def column(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """The values of a one-column query, read straight off the cursor.

        psycopg builds a row per ``next()`` in Python but all of them at once in C for
        ``fetchall``: 100,000 sorted ids arrive in half the time.
        """
        cursor = self.execute(sql, params)
        if self.dialect == "sqlite":
            return [value for (value,) in cursor]
        return [row[0] for row in cursor.fetchall()]

    def scanned(self, expression: str) -> str:
        """``expression`` as an ``ORDER BY`` term no index walk serves.

        Filtered, SQLite would walk the sort column's index and look up every row to test the
        filter (~100 ms for 100,000); its unary ``+`` makes it scan and sort what passes.
        PostgreSQL's planner weighs that itself (and has no unary ``+`` for text).
        """
        return f"+({expression})" if self.dialect == "sqlite" else expression

    def walking(self, index: str) -> str:
        """A ``FROM accounts`` suffix making SQLite walk ``index`` (empty on PostgreSQL).

        Without statistics SQLite may prefer another index for one term of a condition and
        sort; PostgreSQL's planner has the statistics the bulk writer refreshes.
        """
        return f" INDEXED BY {index}" if self.dialect == "sqlite" else ""

    def scalar(self, sql: str, params: Sequence[object] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @staticmethod
    def date(value: object) -> dt.date | None:
        """A ``Date`` column's value as a ``datetime.date`` (None stays None)."""
        if value is None or type(value) is dt.date:
            return value
        if isinstance(value, dt.datetime):
            return value.date()
        return dt.date.fromisoformat(str(value)[:10])

    def money(self, value: object) -> Decimal | None:
        """A money column's value as an exact amount (SQLite stores integer cents)."""
        if value is None:
            return None
        if self.dialect == "sqlite":
            return Decimal(int(value)).scaleb(-2)  # type: ignore[call-overload]
        return Decimal(value).quantize(_CENT)  # type: ignore[arg-type]


_CENT = Decimal("0.01")


class ReadSource(Protocol):
    """What the SQL services read a portfolio through: an open portfolio or an early reader."""

    def sql_read(self) -> AbstractContextManager[SqlReader]:
        """A :class:`SqlReader` inside one read transaction, closed when the block ends."""
        ...


class EarlyPortfolio:
    """A read-only ``sqlite3`` connection to a portfolio file of this csdesk's schema.

    Made by :func:`open_early`; used on the thread that opened it, until the portfolio itself
    is open.

    Args:
        path: The portfolio file (an absolute path, as ``Portfolio.path``).
        connection: A read-only connection to it, in autocommit mode.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection

    @property
    def display_name(self) -> str:
        """A short name for window titles (the file name, as ``Portfolio.display_name``)."""
        return self.path.name

    @contextmanager
    def sql_read(self) -> Iterator[SqlReader]:
        """A read transaction (a consistent snapshot under WAL)."""
        cursor = self._connection.cursor()
        try:
            cursor.execute("BEGIN")
            yield SqlReader(cursor, "sqlite")
        finally:
            self._connection.rollback()  # only ends an open transaction
            cursor.close()

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


_TABLE_SOURCES = ("accounts", "tasks", "health_snapshots", "plans")
"""The tables the portfolio table service reads."""


def open_early(target: str | Path) -> EarlyPortfolio | None:
    """A read-only reader of ``target`` if it is a SQLite portfolio file of this csdesk's schema.

    Nothing is converted or migrated (SQLite may add its ``-wal``/``-shm`` companions, as any
    reader of a WAL file does); the file is not even waited for: a file some other process holds
    locked takes the normal path (which waits, and says why if it must).

    Args:
        target: A portfolio path, or a database URL.

    Returns:
        The reader, or None for a URL, a missing or empty file, a file that is not a portfolio
        of schema :data:`~csdesk.revisions.SCHEMA_HEAD`, or one that cannot be read now.
    """
    text = str(target)
    if "://" in text:
        return None
    try:
        path = Path(text).expanduser().resolve()
        if not path.is_file() or path.stat().st_size == 0:
            return None
        connection = connect_read_only(path, timeout=0, autocommit=True, plain=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != SCHEMA_HEAD:
            connection.close()
            return None
        # A revision id alone does not make a portfolio: the tables the table reads must exist.
        connection.execute(f"SELECT 1 FROM {', '.join(_TABLE_SOURCES)} LIMIT 0")
        # From here on, as the engine's connections (csdesk.db.dialect): wait for a busy writer.
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
    except sqlite3.Error:
        connection.close()
        return None
    return EarlyPortfolio(path, connection)
