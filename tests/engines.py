"""The database engines the tests run on: SQLite always, PostgreSQL when a server is given.

``CSDESK_TEST_PG`` names a server the tests may create databases on (a superuser's URL, e.g.
``postgresql://csdesk:csdesk@127.0.0.1:5432/postgres``; ``.ci/pg start`` prints one). Each test
that asks for a PostgreSQL portfolio gets a database of its own, dropped when it ends.
"""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

SERVER = os.environ.get("CSDESK_TEST_PG", "")
ENGINES = ("sqlite", "postgresql") if SERVER else ("sqlite",)
"""The engines a parametrised portfolio runs on."""


def database_url(name: str, server: str = SERVER) -> str:
    """The URL of database ``name`` on the test server (same user, host and options)."""
    head, _, tail = server.rpartition("/")
    query = tail.partition("?")[2]
    return f"{head}/{name}" + (f"?{query}" if query else "")


def admin(sql: str, server: str = SERVER) -> None:
    """Run one statement on the server's maintenance database, outside any transaction."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


_TEMPLATES: dict[str, str] = {}


def _template(server: str) -> str:
    """A database at the schema head, made once per test process and copied for each test.

    Copying a template takes a fraction of a second; migrating a new database takes seconds.
    """
    if server not in _TEMPLATES:
        from csdesk.db import open_portfolio

        name = f"csdesk_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin(f'CREATE DATABASE "{name}"', server)
        open_portfolio(database_url(name, server)).close()
        _TEMPLATES[server] = name
        atexit.register(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)
    return _TEMPLATES[server]


@contextmanager
def new_database(server: str = SERVER, *, migrated: bool = True) -> Iterator[str]:
    """A new database on the test server (at the schema head, or empty); its URL.

    Dropped, with any session still on it, when the block ends.
    """
    name = f"csdesk_test_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{_template(server)}"' if migrated else ""
    admin(f'CREATE DATABASE "{name}"{template}', server)
    try:
        yield database_url(name, server)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)


def as_sqlite_stores(value: object) -> object:
    """A raw value read from either engine, in the form SQLite stores it.

    Dates become ISO text and ``NUMERIC`` money integer cents, so a test's raw-SQL expectations
    hold on both engines.
    """
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, dt.datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value.scaleb(2))
    return value
