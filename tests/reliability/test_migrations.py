"""Migrations: an older portfolio is upgraded after a backup, a newer one is refused as is."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from reliability_support import connect_ro, digest, integrity, run_cli

from csdesk.db import SCHEMA_HEAD, Portfolio, make_engine, open_portfolio, to_url
from csdesk.db.backup import list_backups
from csdesk.errors import PortfolioError
from csdesk.models import Base
from csdesk.services.accounts import account_listing
from csdesk.services.backups import list_restore_points
from csdesk.services.demo import build_demo
from support import migrate_to

MONEY_COLUMNS = importlib.import_module(
    "csdesk.migrations.versions.0010_exact_money_and_account_versions"
).MONEY_COLUMNS

TODAY = dt.date(2026, 11, 22)
NEW_INDEXES = {"ix_accounts_owner", "ix_accounts_status", "ix_tasks_status_due"}


def _revision(path: Path) -> str:
    conn = connect_ro(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def _indexes(path: Path) -> set[str]:
    conn = connect_ro(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def _data_digest(path: Path) -> str:
    """The content digest without the schema's bookkeeping (alembic_version, empty tables)."""
    copy = path.with_name(path.stem + "-data.db")
    copy.write_bytes(path.read_bytes())
    conn = sqlite3.connect(copy)
    conn.execute("DROP TABLE alembic_version")
    _money_in_cents(conn)
    # Metric rows compare by their key: revision 0004 dropped the snapshots' surrogate id and
    # stores both tables in key order.
    for table, key in (
        ("metric_snapshots", "account_id, metric, as_of"),
        ("metric_latest", "account_id, metric"),
    ):
        conn.execute(
            f"CREATE TABLE {table}_plain AS SELECT account_id, metric, as_of, value "
            f"FROM {table} ORDER BY {key}"
        )
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_plain RENAME TO {table}")
    # Columns a later revision adds (0006: the churn date, NULL where the timeline has none).
    if "churned_on" in {r[1] for r in conn.execute("PRAGMA table_info(accounts)")}:
        conn.execute("ALTER TABLE accounts DROP COLUMN churned_on")
    # Revision 0008 adds a source to tickets and responses, and a rating to tickets.
    for table in ("tickets", "survey_responses"):
        columns = [
            r[1]
            for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("source", "satisfaction")
        ]
        listed = ", ".join(columns)
        conn.execute(f"CREATE TABLE {table}_plain AS SELECT {listed} FROM {table} ORDER BY id")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_plain RENAME TO {table}")
    # Revision 0012 adds the trend's baseline, empty until the next recompute.
    if "trend_base" in _declared(conn, "accounts"):
        conn.execute("DROP INDEX IF EXISTS ix_accounts_trend")
        conn.execute("ALTER TABLE accounts DROP COLUMN trend_base")
    # Revision 0009 copies each crm_id into account_ids and adds an empty domain column: both are
    # derived (test_migration_ids checks them), so the old data is compared without them.
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'account_ids'").fetchone():
        conn.execute("DROP TABLE account_ids")
        conn.execute("ALTER TABLE accounts DROP COLUMN domain")
    # Tables a later revision adds start empty: leave them out so only the old data is compared.
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if (
            not table.startswith("sqlite_")
            and not conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
        ):
            conn.execute(f'DROP TABLE "{table}"')
    conn.commit()
    conn.close()
    try:
        return digest(copy)
    finally:
        copy.unlink()


def _declared(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return {r[1]: r[2] for r in conn.execute(f'PRAGMA table_info("{table}")')}


def _money_in_cents(conn: sqlite3.Connection) -> None:
    """Amounts as integer cents and no version column, whichever revision wrote the file.

    Revision 0010 stores money as cents and adds ``accounts.version``; the rest of the data
    must come through a migration unchanged.
    """
    for table, money in MONEY_COLUMNS.items():
        declared = _declared(conn, table)
        if not declared:
            continue
        values = ", ".join(
            f"CAST(ROUND({c} * 100) AS INTEGER) AS {c}"
            if c in money and declared[c] == "FLOAT"
            else f"CAST({c} AS INTEGER) AS {c}"
            if c in money
            else c
            for c in declared
            if c != "version"
        )
        conn.execute(f"CREATE TABLE {table}_cents AS SELECT {values} FROM {table} ORDER BY rowid")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_cents RENAME TO {table}")


@pytest.fixture
def old_portfolio(tmp_path: Path) -> Path:
    """A demo portfolio made by the first schema revision, as an older csdesk left it."""
    # The demo is built at the current schema, then the columns the first schema has are copied
    # into a file made by revision 0001, so the fixture keeps working as the schema grows.
    head = tmp_path / "head.db"
    url = to_url(head)
    portfolio = Portfolio(url, make_engine(url))
    migrate_to(head, SCHEMA_HEAD)
    build_demo(portfolio, today=TODAY)
    portfolio.close()
    path = tmp_path / "old.db"
    migrate_to(path, "0001")
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS head", (str(head),))
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        )
    ]
    for table in tables:
        # Columns both revisions have (0004 dropped the metric snapshots' surrogate id).
        theirs = {r[1] for r in conn.execute(f'PRAGMA head.table_info("{table}")')}
        names = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")') if r[1] in theirs]
        # Amounts were floats before revision 0010 stored cents.
        money = MONEY_COLUMNS.get(table, ())
        values = ", ".join(f'"{n}" / 100.0' if n in money else f'"{n}"' for n in names)
        columns = ", ".join(f'"{n}"' for n in names)
        conn.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {values} FROM head."{table}"')
    conn.commit()
    conn.execute("DETACH DATABASE head")
    conn.close()
    assert _revision(path) == "0001" and not NEW_INDEXES & _indexes(path)
    return path


def test_older_portfolio_is_backed_up_then_migrated_with_its_data(old_portfolio: Path) -> None:
    before = _data_digest(old_portfolio)
    portfolio = open_portfolio(old_portfolio)
    rows = account_listing(portfolio, today=TODAY)
    portfolio.close()
    assert len(rows) >= 55
    assert _revision(old_portfolio) == SCHEMA_HEAD
    assert _indexes(old_portfolio) >= NEW_INDEXES
    assert _data_digest(old_portfolio) == before
    assert integrity(old_portfolio) == "ok"
    backups = list_backups(old_portfolio)
    assert [b.reason for b in backups] == [f"migrate-0001-to-{SCHEMA_HEAD}"]
    assert _revision(backups[0].path) == "0001"
    assert _data_digest(backups[0].path) == before
    label = list_restore_points(old_portfolio)[0].label
    assert label == f"Before schema upgrade 0001 → {SCHEMA_HEAD}"


# Alembic cannot reflect an expression index on SQLite (the trend's, revision 0012): it says so
# and leaves it out of the comparison; test_trend_base checks that index by the plans it gives.
@pytest.mark.filterwarnings("ignore:.*expression-based index .?ix_accounts_trend")
def test_head_schema_matches_the_models(db_path: Path) -> None:
    open_portfolio(db_path).close()
    engine = make_engine(to_url(db_path))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _table_sql(path: Path, table: str) -> str:
    conn = connect_ro(path)
    try:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        return str(row[0])
    finally:
        conn.close()


def test_value_list_rules_are_comparisons_and_still_refuse_unknown_values(db_path: Path) -> None:
    # 0001 wrote ``status IN (…)``; 0005 rewrites the stored definitions in place.
    open_portfolio(db_path).close()
    for table in ("accounts", "tickets"):
        assert " IN (" not in _table_sql(db_path, table)
    conn = sqlite3.connect(db_path)
    try:
        insert = (
            "INSERT INTO accounts (name, name_key, status, segment, annual_prepay, created_at, "
            "updated_at) VALUES ('A', 'a', ?, ?, 0, '2026-11-22', '2026-11-22')"
        )
        conn.execute(insert, ("active", "mid-market"))
        conn.execute(insert, ("churned", None))
        for status, segment in (("archived", None), ("active", "huge"), ("Active", None)):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                conn.execute(insert, (status, segment))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_value_list_rules_go_back_to_in_lists_on_downgrade(db_path: Path) -> None:
    open_portfolio(db_path).close()
    migrate_to(db_path, "0004", downgrade=True)
    assert "status IN ('prospect', 'pilot', 'active', 'churned')" in _table_sql(db_path, "accounts")
    assert "priority IN ('P0', 'P1', 'P2')" in _table_sql(db_path, "tickets")
    migrate_to(db_path, "head")
    assert " IN (" not in _table_sql(db_path, "accounts")


def test_value_list_rules_stay_in_lists_where_sqlite_refuses_schema_edits(db_path: Path) -> None:
    # A defensively configured SQLite refuses writes to sqlite_master under writable_schema
    # (ALTER TABLE still works); an authorizer that denies them fails the same way. The
    # revision still applies; the rules keep their form.
    migrate_to(db_path, "0004")
    writable = [False]

    def deny_schema_writes(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_PRAGMA and arg1 == "writable_schema":
            writable[0] = (arg2 or "").upper() in ("ON", "1", "TRUE")
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and writable[0]:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    # Up to 0005 only: SQLite's own CREATE TABLE updates sqlite_master too, so later revisions
    # that add tables cannot run under this authorizer.
    migrate_to(
        db_path, "0005", on_connect=lambda dbapi, _record: dbapi.set_authorizer(deny_schema_writes)
    )
    assert _revision(db_path) == "0005"
    # Later revisions use ALTER TABLE, which a defensive SQLite allows (the authorizer above
    # would refuse it too, as it refuses every write to sqlite_master).
    migrate_to(db_path, "head")
    assert _revision(db_path) == SCHEMA_HEAD
    assert "status IN ('prospect', 'pilot', 'active', 'churned')" in _table_sql(db_path, "accounts")
    with open_portfolio(db_path).write() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO accounts (name, name_key, status, annual_prepay, created_at, updated_at) "
            "VALUES ('A', 'a', 'active', 0, '2026-11-22', '2026-11-22')"
        )


def test_churn_date_comes_from_the_timeline_and_churned_tasks_are_cancelled(db_path: Path) -> None:
    migrate_to(db_path, "0005")
    conn = sqlite3.connect(db_path)
    for account_id, status in ((1, "churned"), (2, "churned"), (3, "active")):
        conn.execute(
            "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, 0, '2026-01-01', '2026-01-01')",
            (account_id, f"A{account_id}", f"a{account_id}", status),
        )
    conn.executemany(
        "INSERT INTO activities (account_id, at, actor, kind, summary) VALUES (?, ?, 'me', ?, ?)",
        [
            (1, "2026-03-01 10:00:00", "edit", "Status: active → churned"),
            (1, "2026-05-02 09:00:00", "edit", "Status: pilot → churned"),
            (3, "2026-04-01 10:00:00", "edit", "Status: active → churned"),
        ],
    )
    conn.executemany(
        "INSERT INTO tasks (account_id, type, title, due_on, status, created_at) "
        "VALUES (?, ?, 'x', '2026-06-01', ?, '2026-01-01')",
        [
            (1, "renewal milestone", "open"),
            (2, "at-risk outreach", "snoozed"),
            (2, "follow-up", "open"),
            (3, "renewal milestone", "open"),
            (1, "renewal milestone", "done"),
        ],
    )
    conn.commit()
    conn.close()
    migrate_to(db_path, "head")
    conn = sqlite3.connect(db_path)
    dates = dict(conn.execute("SELECT id, churned_on FROM accounts"))
    tasks = list(conn.execute("SELECT account_id, type, status FROM tasks ORDER BY id"))
    conn.close()
    # The last time account 1 became churned; 2 churned before any timeline; 3 came back.
    assert dates == {1: "2026-05-02", 2: None, 3: None}
    assert tasks == [
        (1, "renewal milestone", "cancelled"),
        (2, "at-risk outreach", "cancelled"),
        (2, "follow-up", "open"),
        (3, "renewal milestone", "open"),
        (1, "renewal milestone", "done"),
    ]
    migrate_to(db_path, "0005", downgrade=True)
    conn = sqlite3.connect(db_path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(accounts)")}
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert "churned_on" not in columns and "accounts_arr_history" in triggers


def test_value_list_rules_on_postgresql_keep_their_names() -> None:
    # Rendered offline: the names are final (op.f), not run through the naming convention again.
    from alembic.operations import Operations
    from sqlalchemy.dialects import postgresql

    out = io.StringIO()
    context = MigrationContext.configure(
        dialect=postgresql.dialect(),
        opts={"as_sql": True, "output_buffer": out, "target_metadata": Base.metadata},
    )
    script = ScriptDirectory.from_config(_config()).get_revision("0005")
    assert script is not None and script.module is not None
    with Operations.context(context):
        script.module.upgrade()
    sql = out.getvalue()
    for name in (
        "ck_accounts_status_known",
        "ck_accounts_segment_known",
        "ck_tickets_priority_known",
    ):
        assert f"DROP CONSTRAINT {name};" in sql
        assert f"ADD CONSTRAINT {name} CHECK" in sql
    assert "ck_accounts_ck_" not in sql
    assert "status = 'prospect' OR status = 'pilot'" in sql


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "csdesk:migrations")
    return config


def test_failed_migration_leaves_the_old_file_and_a_backup(old_portfolio: Path) -> None:
    conn = sqlite3.connect(old_portfolio)
    conn.execute("CREATE TABLE ix_accounts_owner (x)")  # makes the 0002 upgrade fail midway
    conn.commit()
    conn.close()
    before = digest(old_portfolio)
    with pytest.raises(PortfolioError, match="cannot upgrade"):
        open_portfolio(old_portfolio)
    assert digest(old_portfolio) == before
    assert _revision(old_portfolio) == "0001"
    assert "ix_accounts_status" not in _indexes(old_portfolio)  # the first step rolled back
    assert len(list_backups(old_portfolio)) == 1


def _stamp_newer(path: Path, wal: bool) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("wal", [True, False], ids=["wal", "rollback-journal"])
def test_newer_portfolio_is_refused_and_left_byte_identical(
    demo_db: Path, tmp_path: Path, wal: bool
) -> None:
    _stamp_newer(demo_db, wal)
    files_before = {p.name for p in tmp_path.iterdir()}
    raw = demo_db.read_bytes()
    with pytest.raises(PortfolioError, match=r"newer csdesk \(schema 9999\).*left untouched"):
        open_portfolio(demo_db)
    assert demo_db.read_bytes() == raw
    result = run_cli(["accounts", "--db", str(demo_db)], tmp_path / "data")
    assert result.returncode == 2
    assert "newer csdesk" in result.stderr and result.stderr.count("\n") == 1
    assert demo_db.read_bytes() == raw
    assert list_backups(demo_db) == []
    if not wal:  # nothing at all appears beside a rollback-journal file
        assert {p.name for p in tmp_path.iterdir()} - {"data"} == files_before


def test_money_becomes_exact_cents_with_its_trigger_and_check_kept(db_path: Path) -> None:
    migrate_to(db_path, "0005")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, updated_at,"
        " arr, company_revenue) VALUES (1, 'A', 'a', 'active', 0, '2026-11-22', '2026-11-22',"
        " 1234.565, 0.1 + 0.2)"
    )
    conn.execute("UPDATE accounts SET arr = 1234.56 WHERE id = 1")  # one ARR change on record
    conn.execute("INSERT INTO plans VALUES ('Starter', 0, 20000.0, 100000.0)")
    conn.execute(
        "INSERT INTO roi_lines (account_id, position, label, amount) VALUES (1,0,'x',9.99)"
    )
    conn.commit()
    conn.close()
    migrate_to(db_path, "head")
    conn = connect_ro(db_path)
    assert conn.execute("SELECT arr, company_revenue, version FROM accounts").fetchall() == [
        (123456, 30, 1)
    ]
    assert conn.execute("SELECT old_arr, new_arr FROM arr_events").fetchall() == [(123457, 123456)]
    assert conn.execute("SELECT list_price FROM plans").fetchall() == [(2000000,)]
    assert conn.execute("SELECT amount FROM roi_lines").fetchall() == [(999,)]
    conn.close()
    portfolio = open_portfolio(db_path)
    with portfolio.write() as session:  # the trigger is back and records the next change
        session.connection().exec_driver_sql("UPDATE accounts SET arr = 100000 WHERE id = 1")
    with pytest.raises(Exception, match="arr_not_negative"), portfolio.write() as session:
        session.connection().exec_driver_sql("UPDATE accounts SET arr = -1 WHERE id = 1")
    with portfolio.read() as session:
        from csdesk.models import Account, ArrEvent

        assert session.get(Account, 1).arr == Decimal("1000.00")
        assert [e.new_arr for e in session.query(ArrEvent).order_by(ArrEvent.id)] == [
            Decimal("1234.56"),
            Decimal("1000.00"),
        ]
    portfolio.close()
    migrate_to(db_path, "0005", downgrade=True)
    conn = connect_ro(db_path)
    assert conn.execute("SELECT arr, company_revenue FROM accounts").fetchall() == [(1000.0, 0.3)]
    assert "version" not in {r[1] for r in conn.execute("PRAGMA table_info(accounts)")}
    assert "\tarr FLOAT," in _table_sql(db_path, "accounts")
    conn.close()


def test_opportunity_and_outcome_amounts_become_cents_and_come_back(db_path: Path) -> None:
    """0008 made these NUMERIC (a float on SQLite for 1234.5); 0010 stores them as cents."""
    migrate_to(db_path, "0008")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, updated_at,"
        " arr) VALUES (1, 'A', 'a', 'active', 0, '2026-11-22', '2026-11-22', 50000.25)"
    )
    conn.execute(
        "INSERT INTO opportunities (account_id, source, type, state, amount, probability)"
        " VALUES (1, '', 'expansion', 'open', 1234.5, 0.25), (1, '', 'renewal', 'won', NULL, 1)"
    )
    conn.execute(
        "INSERT INTO renewal_outcomes (account_id, outcome, on_date, arr_before, arr_after,"
        " source) VALUES (1, 'churned', '2026-10-01', 50000.25, 0, '')"
    )
    conn.commit()
    conn.close()
    migrate_to(db_path, "head")
    conn = connect_ro(db_path)
    assert conn.execute("SELECT amount FROM opportunities ORDER BY id").fetchall() == [
        (123450,),
        (None,),
    ]
    assert conn.execute("SELECT arr_before, arr_after FROM renewal_outcomes").fetchall() == [
        (5000025, 0)
    ]
    conn.close()
    assert "amount BIGINT" in _table_sql(db_path, "opportunities")
    assert "arr_before BIGINT" in _table_sql(db_path, "renewal_outcomes")
    portfolio = open_portfolio(db_path)
    with portfolio.read() as session:
        from csdesk.models import Opportunity, RenewalOutcome

        amounts = [o.amount for o in session.query(Opportunity).order_by(Opportunity.id)]
        assert amounts == [Decimal("1234.50"), None]
        outcome = session.query(RenewalOutcome).one()
        assert (outcome.arr_before, outcome.arr_after) == (Decimal("50000.25"), Decimal("0.00"))
    portfolio.close()
    migrate_to(db_path, "0008", downgrade=True)
    conn = connect_ro(db_path)
    assert conn.execute("SELECT amount FROM opportunities ORDER BY id").fetchall() == [
        (1234.5,),
        (None,),
    ]
    assert conn.execute("SELECT arr_before, arr_after FROM renewal_outcomes").fetchall() == [
        (50000.25, 0)
    ]
    conn.close()
    assert "amount NUMERIC(18, 2)" in _table_sql(db_path, "opportunities")
    assert "arr_after NUMERIC(18, 2)" in _table_sql(db_path, "renewal_outcomes")


def test_next_meeting_columns_come_and_go_with_the_narrative_kept(db_path: Path) -> None:
    """0011 adds the next meeting beside the narrative; the downgrade drops it, texts kept."""
    migrate_to(db_path, "0010")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, updated_at,"
        " version) VALUES (1, 'A', 'a', 'active', 0, '2026-11-22', '2026-11-22', 1)"
    )
    conn.execute(
        "INSERT INTO account_narratives (account_id, executive_summary, wins, next_term_goals,"
        " updated_at) VALUES (1, 'Summary', 'Wins', 'Next', '2026-11-22')"
    )
    conn.commit()
    conn.close()
    migrate_to(db_path, "head")
    conn = sqlite3.connect(db_path)
    assert conn.execute(
        "SELECT executive_summary, next_meeting_on, next_meeting_note FROM account_narratives"
    ).fetchall() == [("Summary", None, None)]
    conn.execute(
        "UPDATE account_narratives SET next_meeting_on = '2027-03-12',"
        " next_meeting_note = 'Renewal call'"
    )
    conn.commit()
    conn.close()
    portfolio = open_portfolio(db_path)
    with portfolio.read() as session:
        from csdesk.services.success_plans import load_narrative

        narrative = load_narrative(session, 1)
        assert (narrative.next_meeting, narrative.next_meeting_note) == (
            dt.date(2027, 3, 12),
            "Renewal call",
        )
    portfolio.close()
    migrate_to(db_path, "0010", downgrade=True)
    assert "next_meeting" not in _table_sql(db_path, "account_narratives")
    conn = connect_ro(db_path)
    assert conn.execute("SELECT executive_summary, wins FROM account_narratives").fetchall() == [
        ("Summary", "Wins")
    ]
    conn.close()


def test_trend_base_and_sort_indexes_come_and_go_with_the_accounts_kept(db_path: Path) -> None:
    """0012 adds the trend's baseline (empty until a recompute) and three sort indexes."""
    migrate_to(db_path, "0011")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, updated_at,"
        " version, health_score, renewal_date) VALUES (1, 'A', 'a', 'active', 0, '2026-11-22',"
        " '2026-11-22', 1, 80.0, '2027-01-01')"
    )
    conn.execute(
        "INSERT INTO health_snapshots (account_id, as_of, score, model_name, model_version,"
        " source, created_at) VALUES (1, '2026-10-01', 70.0, 'subscription', 1, 'computed',"
        " '2026-10-01')"
    )
    conn.commit()
    conn.close()
    migrate_to(db_path, "head")
    added = {"ix_accounts_trend", "ix_accounts_days_left", "ix_accounts_stage"}
    assert added <= _indexes(db_path)
    conn = connect_ro(db_path)
    assert conn.execute("SELECT name, trend_base FROM accounts").fetchall() == [("A", None)]
    assert conn.execute(
        "SELECT count(*) FROM settings WHERE key = 'trend_baseline'"
    ).fetchone() == (0,)
    conn.close()
    portfolio = open_portfolio(db_path)
    from csdesk.services.portfolio_table import TableQuery, fetch_rows, ordered_ids
    from csdesk.services.recompute import recompute_accounts

    # No trend day yet: the trend comes from the history; the recompute stores the baseline.
    assert ordered_ids(portfolio, TableQuery(sort_key="trend", today=TODAY)) == [1]
    assert fetch_rows(portfolio, [1], TODAY)[1].past_score == 70.0
    with portfolio.write() as session:
        recompute_accounts(session, today=TODAY)
    portfolio.close()
    conn = connect_ro(db_path)
    assert conn.execute("SELECT trend_base FROM accounts").fetchone() == (70.0,)
    assert conn.execute("SELECT value FROM settings WHERE key = 'trend_baseline'").fetchone()
    conn.close()
    migrate_to(db_path, "0011", downgrade=True)
    assert not added & _indexes(db_path)
    assert "trend_base" not in _table_sql(db_path, "accounts")
    conn = connect_ro(db_path)
    assert conn.execute("SELECT name, health_score FROM accounts").fetchall()[0][0] == "A"
    assert conn.execute(
        "SELECT count(*) FROM settings WHERE key = 'trend_baseline'"
    ).fetchone() == (0,)
    conn.close()


def test_the_partial_indexes_hold_the_conditions_the_table_service_asks(db_path: Path) -> None:
    """SQLite walks a partial index only for a query that repeats its condition (the days-left
    and stage sorts name them with INDEXED BY, which fails otherwise): the migration's texts
    and the service's must stay the same."""
    from csdesk.services.portfolio_sql import COUNTING_DOWN, STAGED

    open_portfolio(db_path).close()
    conn = connect_ro(db_path)
    try:
        for index, condition in (("ix_accounts_days_left", COUNTING_DOWN),
                                 ("ix_accounts_stage", STAGED)):  # fmt: skip
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()
            assert sql[0].split(" WHERE ", 1)[1] == condition.replace("accounts.", "")
    finally:
        conn.close()
