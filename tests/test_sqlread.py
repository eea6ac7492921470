"""The start-up reader and the DB-API shim: which files it reads, what it reads, what it leaves."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config

from csdesk.db import SCHEMA_HEAD, Portfolio, open_portfolio, to_url
from csdesk.db.reader import EarlyPortfolio, SqlReader, open_early
from csdesk.errors import PortfolioError
from csdesk.revisions import KNOWN_REVISIONS
from csdesk.services.demo import DEMO_ACCOUNTS, build_demo
from csdesk.services.portfolio_table import (
    TableQuery,
    count_accounts,
    fetch_rows,
    load_facets,
    ordered_ids,
)
from support import migrate_to


@pytest.fixture
def demo(db_path: Path) -> Iterator[Portfolio]:
    """The demo portfolio, open (its file is ``db_path``)."""
    portfolio = open_portfolio(db_path)
    build_demo(portfolio)
    yield portfolio
    portfolio.close()


def _early(path: Path) -> EarlyPortfolio:
    early = open_early(path)
    assert early is not None
    return early


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _other_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()


def test_a_portfolio_of_this_schema_reads_the_same_rows_as_the_open_portfolio(
    demo: Portfolio, db_path: Path
):
    early = _early(db_path)
    try:
        assert early.path == db_path.resolve() == demo.path
        assert early.display_name == demo.display_name == db_path.name
        for query in (
            TableQuery(),
            TableQuery(sort_key="health", descending=True),
            TableQuery(sort_key="trend"),
            TableQuery(search="a", sort_key="renewal"),
            TableQuery(stages=frozenset({"Expansion"}), sort_key="open_tasks"),
        ):
            ids = ordered_ids(demo, query)
            assert len(ids) > 0
            assert ordered_ids(early, query) == ids
            assert fetch_rows(early, ids, query.today) == fetch_rows(demo, ids, query.today)
        assert load_facets(early) == load_facets(demo)
        assert count_accounts(early) == count_accounts(demo) == DEMO_ACCOUNTS
    finally:
        early.close()


def test_the_reader_sees_what_was_committed_after_it_opened(demo: Portfolio, db_path: Path):
    early = _early(db_path)
    try:
        first = ordered_ids(early, TableQuery())[0]
        with demo.write() as session:
            session.connection().exec_driver_sql(f"DELETE FROM accounts WHERE id = {first}")
        assert first not in ordered_ids(early, TableQuery())
        assert count_accounts(early) == DEMO_ACCOUNTS - 1
    finally:
        early.close()


def test_the_reader_never_writes_and_leaves_the_file_as_it_was(demo: Portfolio, db_path: Path):
    demo.close()  # checkpointed: every byte is in the main file
    before = _digest(db_path)
    early = _early(db_path)
    try:
        ordered_ids(early, TableQuery(sort_key="tier"))
        with early.sql_read() as reader, pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("DELETE FROM accounts")
        assert count_accounts(early) == DEMO_ACCOUNTS
    finally:
        early.close()
    assert _digest(db_path) == before


def test_an_older_schema_takes_the_normal_path(tmp_path: Path):
    path = tmp_path / "old.db"
    migrate_to(path, KNOWN_REVISIONS[-2])
    before = _digest(path)
    assert open_early(path) is None
    assert _digest(path) == before  # not upgraded: that is the normal open's job


def _foreign_file(path: Path) -> None:
    """Another tool's database that happens to version its schema with the same ids."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (SCHEMA_HEAD,))
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()


def test_a_foreign_file_with_our_revision_id_gets_no_preview_and_is_refused(tmp_path: Path):
    path = tmp_path / "other.db"
    _foreign_file(path)
    before = _digest(path)
    assert open_early(path) is None
    with pytest.raises(PortfolioError, match="is a database, but not a csdesk portfolio"):
        open_portfolio(path)
    assert _digest(path) == before


def test_a_newer_schema_takes_the_normal_path(demo: Portfolio, db_path: Path):
    with demo.write() as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    assert open_early(db_path) is None
    assert open_early(str(db_path)) is None


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: None, id="missing file"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty file"),
        pytest.param(lambda p: p.write_text("name,owner\nAcme,Dana\n"), id="not a database"),
        pytest.param(_other_database, id="another database"),
        pytest.param(lambda p: p.mkdir(), id="a folder"),
    ],
)
def test_files_that_are_not_a_portfolio_of_this_schema_take_the_normal_path(
    tmp_path: Path, make: Any
):
    path = tmp_path / "portfolio.db"
    make(path)
    assert open_early(path) is None


def test_database_urls_take_the_normal_path(demo: Portfolio, db_path: Path):
    assert open_early(to_url(db_path)) is None
    assert open_early("postgresql://csm@localhost/portfolio") is None


def test_a_file_locked_by_another_connection_takes_the_normal_path_at_once(
    demo: Portfolio, db_path: Path
):
    demo.close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE alembic_version SET version_num = version_num")
        assert open_early(db_path) is None
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert open_early(db_path) is not None


def test_the_known_revisions_are_the_migration_scripts_newest_last():
    from alembic.script import ScriptDirectory

    import csdesk.db

    config = Config()
    config.set_main_option("script_location", "csdesk:migrations")
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert list(KNOWN_REVISIONS) == chain
    assert scripts.get_current_head() == SCHEMA_HEAD == csdesk.db.SCHEMA_HEAD
    assert csdesk.db.KNOWN_REVISIONS is KNOWN_REVISIONS


class _Cursor:
    """Records what the shim hands to a DB-API cursor (no database involved)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.calls: list[tuple[str, list[object]]] = []

    def execute(self, sql: str, params: list[object]) -> None:
        self.calls.append((sql, params))

    def __iter__(self) -> Any:
        return iter(self.rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self.rows)


def test_postgresql_gets_format_placeholders_and_date_objects():
    day = dt.date(2026, 6, 15)
    cursor = _Cursor([(1,), (2,)])
    reader = SqlReader(cursor, "postgresql")
    sql = "SELECT id FROM accounts WHERE renewal_date >= ? AND tier = ?"
    assert reader.column(sql, (day, "S")) == [1, 2]
    assert cursor.calls == [
        ("SELECT id FROM accounts WHERE renewal_date >= %s AND tier = %s", [day, "S"])
    ]


def test_sqlite_gets_qmark_placeholders_and_iso_dates():
    day = dt.date(2026, 6, 15)
    cursor = _Cursor([(7,)])
    reader = SqlReader(cursor, "sqlite")
    assert reader.scalar("SELECT id FROM accounts WHERE renewal_date >= ?", (day, 3)) == 7
    assert cursor.calls == [("SELECT id FROM accounts WHERE renewal_date >= ?", ["2026-06-15", 3])]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-06-15", dt.date(2026, 6, 15)),
        (dt.date(2026, 6, 15), dt.date(2026, 6, 15)),
        (dt.datetime(2026, 6, 15, 9, 30), dt.date(2026, 6, 15)),
        (None, None),
    ],
)
def test_dates_read_back_as_dates_from_either_database(stored: object, expected: object):
    assert SqlReader.date(stored) == expected
