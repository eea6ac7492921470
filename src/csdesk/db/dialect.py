"""What differs between SQLite and PostgreSQL underneath a portfolio, kept in one place.

Services, importers and views never ask which engine they run on; :mod:`csdesk.db.engine` calls
these hooks. The rule both engines follow is SQLite's: **one writer at a time**. SQLite enforces it
with ``BEGIN IMMEDIATE``; on PostgreSQL every write transaction starts by taking one
transaction-level advisory lock, so two imports, or an import and a recompute, run one after the
other — the second sees everything the first committed (no unique-key race on new accounts, no
deadlock between row locks taken in different orders, no score computed from half the data).
Reads never wait. Creating the schema takes a second advisory lock, so csdesk instances opening
an empty database together migrate it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, text

from csdesk.db.reader import BUSY_TIMEOUT_MS, CACHE_SIZE_KIB

__all__ = [
    "MIGRATION_LOCK",
    "PG_LOCK_TIMEOUT_MS",
    "WRITE_LOCK",
    "continue_sequences",
    "install_postgres_hooks",
    "install_read_only_hooks",
    "install_sqlite_hooks",
    "is_lock_timeout",
    "keep_history",
    "lock_for_migration",
]

#: Advisory lock keys (64-bit): "csdesk" + 1 for writes, + 2 for schema migrations.
WRITE_LOCK = 0x637364_65736B_0001
MIGRATION_LOCK = 0x637364_65736B_0002

#: How long a PostgreSQL writer waits for the one before it; an import of a large file
#: by a colleague may hold the lock for a while, so this is longer than SQLite's wait.
PG_LOCK_TIMEOUT_MS = max(BUSY_TIMEOUT_MS, 120_000)

_LOCK_NOT_AVAILABLE = "55P03"


def install_sqlite_hooks(engine: Engine) -> None:
    """WAL, foreign keys and the busy wait on every connection; ``BEGIN IMMEDIATE`` for writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # temp_store stays the default: with MEMORY, SQLite's sorter allocates every record
        # on its own instead of in the cache-sized blocks it uses otherwise, and an ORDER BY
        # over 100,000 accounts without an index to walk takes ~10-25 % longer.
        cur.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("csdesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def install_read_only_hooks(engine: Engine) -> None:
    """A read-only SQLite connection: transactions of its own, the busy wait, nothing written."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def install_postgres_hooks(engine: Engine) -> None:
    """Make every write transaction (``csdesk_write`` option) take the portfolio's write lock."""

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("csdesk_write", False):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {PG_LOCK_TIMEOUT_MS}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def lock_for_migration(conn: Connection) -> None:
    """Inside the migration's transaction: wait until no other csdesk is migrating.

    The lock is released when the transaction ends, so the next csdesk then finds the schema
    at head and has nothing left to do. SQLite needs nothing: its migration writes under
    ``BEGIN IMMEDIATE`` already.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {PG_LOCK_TIMEOUT_MS}")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def is_lock_timeout(exc: BaseException) -> bool:
    """True when PostgreSQL gave up waiting for a lock (``lock_timeout``)."""
    orig: Any = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE


#: The oldest PostgreSQL csdesk runs on (``EXECUTE FUNCTION`` triggers, ``NUMERIC`` money).
MIN_POSTGRES = (12,)

_LOST = ("08", "57P01", "57P02", "57P03")  # connection exceptions; server shut down
_NO_PRIVILEGE = "42501"


def server_fault(exc: BaseException, user: str | None) -> str | None:
    """A one-line reason for a server-side refusal or loss, or None for other errors.

    Args:
        exc: The database error.
        user: The database user, named when it lacks the right to write.
    """
    orig: Any = getattr(exc, "orig", exc)
    state = str(getattr(orig, "sqlstate", "") or "")
    if state == _NO_PRIVILEGE:
        return read_only_user(user)
    if getattr(exc, "connection_invalidated", False) or state.startswith(_LOST):
        return "lost the connection to the database server; nothing was changed"
    return None


def read_only_user(user: str | None) -> str:
    """Why a server user without the ``csdesk_write`` role cannot change the portfolio."""
    return (
        f"the database user {user or '(unknown)'} may only read this portfolio "
        "(ask for the csdesk_write role); nothing was changed"
    )


def unsupported_server(version: tuple[int | str, ...] | None) -> str | None:
    """Why a PostgreSQL server of ``version`` cannot hold a portfolio, or None when it can."""
    if not version or not isinstance(version[0], int) or version[0] >= MIN_POSTGRES[0]:
        return None
    shown = ".".join(map(str, version))
    return (
        f"PostgreSQL {shown} is not supported: csdesk needs PostgreSQL {MIN_POSTGRES[0]} or newer"
    )


def keep_history(conn: Connection) -> None:
    """For this transaction, write timeline entries as given (a copy keeps who did what).

    On PostgreSQL a trigger otherwise names the database user in every new entry.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL csdesk.copying = 'on'")


def continue_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After rows were written with their own ids, let new ids continue after the highest.

    SQLite takes the next rowid by itself; PostgreSQL's id sequences must be moved on.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False:
            continue
        column = keys[0].name
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column}
        ).scalar_one()
        if sequence:
            highest = f"(SELECT max({column}) FROM {table.name})"
            conn.execute(text(f"SELECT setval('{sequence}', COALESCE({highest}, 0) + 1, false)"))
