"""Engines, schema migrations and the transactions of one portfolio (SQLite file or server).

A portfolio is a SQLite file (WAL, foreign keys on) or a PostgreSQL URL. Every user action is one
transaction: ``Portfolio.write()`` opens a session whose SQLite transaction starts with
``BEGIN IMMEDIATE``, so a second writer waits (``busy_timeout``) and then fails with
:class:`PortfolioBusyError` instead of corrupting anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from csdesk.db.admission import DAMAGED
from csdesk.db.dialect import (
    install_postgres_hooks,
    install_read_only_hooks,
    install_sqlite_hooks,
    is_lock_timeout,
    lock_for_migration,
    read_only_user,
    server_fault,
    unsupported_server,
)
from csdesk.db.reader import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from csdesk.db.reader import SqlReader
from csdesk.db.sqlite_file import (
    FileDatabaseError,
    connect_read_only,
    file_schema,
    is_locked_error,
    looks_like_sqlite,
)
from csdesk.errors import (
    CsdeskError,
    MachineFaultError,
    PortfolioBusyError,
    PortfolioError,
)

# The revisions (append new ones in csdesk/revisions.py) live in a module the start-up reader
# imports without SQLAlchemy.
from csdesk.revisions import KNOWN_REVISIONS, SCHEMA_HEAD
from csdesk.urls import public_url


def to_url(target: str | Path) -> str:
    """A database URL for a path or URL (``postgresql://…`` and ``sqlite://…`` pass through)."""
    raw = str(target)
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory ones."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        return Path(url[len(prefix) :])
    return None


def is_server_url(target: str | Path) -> bool:
    """True when ``target`` names a database server (a URL other than ``sqlite://…``)."""
    raw = str(target)
    return "://" in raw and not raw.startswith("sqlite")


def is_busy_error(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" errors and PostgreSQL's lock timeouts."""
    return is_locked_error(getattr(exc, "orig", exc)) or is_lock_timeout(exc)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine with csdesk's pragmas; SQLite files get WAL and one-writer transactions.

    ``read_only`` opens a SQLite file through a read-only connection that writes nothing, not
    even beside the file (a read-only file, folder or file system, or a damaged file).
    """
    path = sqlite_path(url)
    timeout = BUSY_TIMEOUT_MS / 1000
    if read_only and path is not None:
        engine = create_engine(url, creator=lambda: connect_read_only(path, timeout=timeout))
        install_read_only_hooks(engine)
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeout})
        install_sqlite_hooks(engine)
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # the server driver is an optional extra
        raise PortfolioError(
            f"a {url.split(':', 1)[0]} portfolio needs its database driver ({exc.name}): "
            'install csdesk with pip install -e ".[postgres]"'
        ) from None
    install_postgres_hooks(engine)
    return engine


@dataclass
class Portfolio:
    """An open portfolio: its engine and the sessions user actions run in."""

    url: str
    engine: Engine
    read_only: str | None = None
    """Why the portfolio cannot be written (read-only file, folder or file system, damaged);
    None when it can."""
    _reader: sessionmaker[Session] = field(init=False, repr=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(csdesk_write=True), expire_on_commit=False
        )

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL."""
        return sqlite_path(self.url)

    @property
    def in_memory(self) -> bool:
        """True for an in-memory SQLite database (no other process can open it)."""
        return self.path is None and self.url.startswith("sqlite")

    @property
    def display_name(self) -> str:
        """A short name for window titles and messages."""
        return self.path.name if self.path else self.url.rsplit("/", 1)[-1]

    @cached_property
    def can_write(self) -> bool:
        """False when the database user may only read (a server user with ``csdesk_read``)."""
        if not is_server_url(self.url):
            return True
        with self.engine.connect() as conn:
            allowed = conn.exec_driver_sql(
                "SELECT has_table_privilege(current_user, 'accounts', 'UPDATE')"
            ).scalar()
            conn.rollback()
        return bool(allowed)

    def refuse_read_only_user(self) -> None:
        """Refuse, before any work, a command that writes when the database user may only read.

        Raises:
            PortfolioError: the server user lacks the ``csdesk_write`` role.
        """
        if not self.can_write:
            user = make_url(self.url).username
            raise PortfolioError(f"{self.display_name}: {read_only_user(user)}")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot under WAL)."""
        with self._reader() as session:
            yield session

    @contextmanager
    def sql_read(self) -> Iterator[SqlReader]:
        """A read transaction's DB-API cursor, for plain SQL (the portfolio table's queries)."""
        with self.engine.connect() as conn:
            conn.begin()
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                yield SqlReader(cursor, conn.dialect.name)
            finally:
                cursor.close()
                conn.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception.

        Raises:
            PortfolioBusyError: another csdesk holds the write lock.
            MachineFaultError: the portfolio is read-only, the disk is full, the server is lost.
            DamagedPortfolioError: the portfolio is damaged.
        """
        if self.read_only is not None:
            raise self.read_only_error()
        try:
            with self._writer() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if is_busy_error(exc):
                raise PortfolioBusyError(
                    f"portfolio is busy: another csdesk is writing to {self.display_name}; "
                    "try again in a moment"
                ) from exc
            from csdesk.faults import as_fault

            fault = as_fault(exc, self.display_name)
            if fault is not None:
                raise fault from exc
            self._raise_server_fault(exc)
            raise

    def _raise_server_fault(self, exc: DBAPIError) -> None:
        """Raise PortfolioError for a lost server or a user without write rights."""
        if self.path is None:
            reason = server_fault(exc, make_url(self.url).username)
            if reason is not None:
                raise PortfolioError(f"{self.display_name}: {reason}") from exc

    def read_only_error(self) -> CsdeskError:
        """The refusal of a write to this read-only portfolio."""
        if self.read_only == DAMAGED and self.path is not None:
            from csdesk.db.admission import damaged_error

            return damaged_error(self.path, "integrity check failed")
        return MachineFaultError(
            f"cannot change {self.display_name}: {self.read_only}; nothing was changed — "
            "it can still be listed and exported"
        )

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def stored_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database.

    A portfolio answers one plain query; only a database without the revision table is
    inspected further.
    """
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError as exc:
            if is_busy_error(exc):
                raise
            conn.rollback()
            if inspect(conn).has_table("alembic_version"):
                raise  # the table is there but cannot be read: not a missing revision
            has_tables = bool(inspect(conn).get_table_names())
            conn.rollback()
            return "unversioned" if has_tables else None
        conn.rollback()
        return row[0] if row else None


def migrate(engine: Engine) -> None:
    """Upgrade the schema to this csdesk's head revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "csdesk:migrations")
    with engine.begin() as conn:
        lock_for_migration(conn)  # several csdesk opening one empty database migrate it once
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_portfolio(
    target: str | Path,
    *,
    create: bool = True,
    for_writing: bool = True,
    daily_backup: bool = True,
) -> Portfolio:
    """Open (and, if needed, create or migrate) the portfolio at a path or URL.

    A SQLite file is checked first (``quick_check``, through a read-only connection). A file
    that cannot be written (read-only file, folder or file system) or is damaged opens
    read-only when ``for_writing`` is False (its ``write()`` refuses), and is refused otherwise.

    Args:
        target: A path or URL.
        create: Create a missing file (only commands that write may: SPEC 5).
        for_writing: The caller means to write; False opens what can be read for reading.
        daily_backup: Take the day's first backup (export workers, which open the portfolio
            their parent opened, do not).

    Raises:
        PortfolioError: the file is missing (``create`` False), not a csdesk portfolio, or was
            written by a newer csdesk.
        DamagedPortfolioError: the file is damaged (``for_writing``).
        MachineFaultError: the file cannot be written (``for_writing``), or the server is lost.
        PortfolioBusyError: another process holds the write lock for longer than the timeout.
    """
    url = to_url(target)
    path = sqlite_path(url)
    read_only = None
    where = path or public_url(url)  # never a password in a message
    if path is not None:
        read_only = _check_file(path, create=create, for_writing=for_writing)
    engine = make_engine(url, read_only=read_only is not None)
    try:
        revision = stored_revision(engine)
    except DBAPIError as exc:
        engine.dispose()
        if is_busy_error(exc):
            raise PortfolioBusyError(f"portfolio is busy: {where}") from exc
        from csdesk.faults import as_fault

        fault = as_fault(exc, where)
        if fault is not None:
            raise fault from exc
        raise PortfolioError(f"cannot open portfolio {where}: {_reason(exc, url)}") from exc
    refusal = _refusal(revision, where)
    if refusal is None and read_only is not None and revision != SCHEMA_HEAD:
        refusal = PortfolioError(
            f"{path} needs an upgrade to schema {SCHEMA_HEAD}, but {read_only}; "
            "it was left untouched"
        )
    if refusal is None and path is None:
        old = unsupported_server(engine.dialect.server_version_info)
        refusal = PortfolioError(f"cannot open portfolio {where}: {old}") if old else None
    if refusal is not None:
        engine.dispose()
        raise refusal
    if read_only is not None:
        return Portfolio(url, engine, read_only=read_only)
    if revision != SCHEMA_HEAD:
        if revision is not None and path is not None:
            from csdesk.db.backup import backup_before

            backup_before(path, reason=f"migrate-{revision}-to-{SCHEMA_HEAD}")
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            if is_busy_error(exc):
                raise PortfolioBusyError(f"portfolio is busy: {where}") from exc
            raise PortfolioError(
                f"cannot upgrade {where} to schema {SCHEMA_HEAD}: {_reason(exc, url)}; "
                "it was left as it was"
            ) from exc
    if revision is not None and path is not None and daily_backup:
        _backup_daily(path)
    return Portfolio(url, engine)


def _check_file(path: Path, *, create: bool, for_writing: bool) -> str | None:
    """Check a portfolio file before it is trusted; why it must be read-only, or None."""
    from csdesk.db.admission import admit_file

    if path.exists() and path.stat().st_size:
        if not looks_like_sqlite(path):
            raise PortfolioError(f"{path} is not a csdesk portfolio (not a SQLite database)")
        _refuse_unknown_file(path)  # read-only, so a refused file stays byte-identical
    return admit_file(path, create=create, for_writing=for_writing)


def _reason(exc: DBAPIError, url: str) -> str:
    """The driver's reason on one line, without the password (which drivers may echo)."""
    reason = " ".join(str(exc.orig).split())
    password = make_url(url).password
    return reason.replace(str(password), "***") if password else reason


def _refusal(revision: str | None, where: object) -> PortfolioError | None:
    """Why a database of this revision cannot be opened, or None when it can."""
    if revision == "unversioned":
        return PortfolioError(f"{where} is a database, but not a csdesk portfolio")
    if revision is not None and revision not in KNOWN_REVISIONS:
        return PortfolioError(
            f"{where} was written by a newer csdesk (schema {revision}); "
            "update csdesk to open it — the file was left untouched"
        )
    return None


def _refuse_unknown_file(path: Path) -> None:
    """Raise PortfolioError for a file that is not a portfolio this csdesk can open."""
    try:
        tables, revision = file_schema(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except FileDatabaseError as exc:
        if is_busy_error(exc):
            raise PortfolioBusyError(f"portfolio is busy: {path}") from exc
        raise PortfolioError(f"cannot open portfolio {path}: {exc}") from exc
    # A revision id alone does not make a portfolio: another tool may version its schema too.
    foreign = bool(tables) and (revision is None or "accounts" not in tables)
    refusal = _refusal("unversioned" if foreign else revision, path)
    if refusal is not None:
        raise refusal


def _backup_daily(path: Path) -> None:
    """The first open of a day backs the portfolio up; a failed backup does not stop work."""
    from csdesk.db.backup import backup_daily

    try:
        backup_daily(path)
    except (OSError, FileDatabaseError, CsdeskError) as exc:
        logging.getLogger(__name__).warning("daily backup of %s failed: %s", path, exc)
