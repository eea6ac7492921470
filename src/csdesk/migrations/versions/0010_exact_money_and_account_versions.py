"""Money columns exact on both engines; a version number on every account

ARR, company revenue, list prices, ROI rates and amounts and the ARR history were floats. On
PostgreSQL they become ``NUMERIC(18, 2)``, the type the opportunities' amounts and the renewal
outcomes' ARR already have (0008). SQLite has no exact decimal storage (a ``NUMERIC``
column keeps a non-integral value as a float), so there they all become integer cents
(:class:`csdesk.models.base.Money` reads them back as ``Decimal``), the ``NUMERIC`` ones of 0008
too. Every stored amount is
rounded half-up to the cent.

On SQLite the declared types are rewritten in the stored table definitions, the procedure 0005
uses (rebuilding ``accounts`` would need foreign keys off, which cannot change inside the
migration's transaction, and its ``DROP TABLE`` would cascade to every child row); then every
amount is converted in place. A SQLite that refuses schema edits keeps the ``FLOAT`` declarations:
the amounts are integer cents all the same (exact up to 2**53 cents), only the declared type says
otherwise. The ARR history trigger is dropped while the amounts are converted (a conversion is
not an ARR change) and created again.

``accounts.version`` starts at 1 and is raised by every write of the row, so an edit made on a
row read at an older version is refused instead of writing over another CSM's change.

On PostgreSQL the schema comes with two roles (SPEC 6): ``csdesk_read`` may read every table (list,
view, export — an export's timeline entry included) and ``csdesk_write`` may change them too; an
administrator grants one of them to each CSM's login. Roles belong to the whole server, so they are
created only if missing, and a migrating user without the right to create roles leaves that to the
administrator (the grants follow once the roles exist). A trigger names the database user in every
timeline entry, whatever wrote it.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-04 18:30:00.000000
"""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The money columns of each table.
MONEY_COLUMNS = {
    "accounts": ("arr", "company_revenue"),
    "arr_events": ("old_arr", "new_arr"),
    "plans": ("list_price",),
    "roi_inputs": ("hourly_rate", "cost_per_incident", "revenue_protected"),
    "roi_lines": ("amount",),
}

#: The money columns 0008 created as ``NUMERIC(18, 2)``: already exact on PostgreSQL, integer
#: cents on SQLite from here on like the others.
NUMERIC_MONEY_COLUMNS = {
    "opportunities": ("amount",),
    "renewal_outcomes": ("arr_before", "arr_after"),
}
_NUMERIC = "NUMERIC(18, 2)"

_SQLITE_TRIGGER = """
CREATE TRIGGER accounts_arr_history AFTER UPDATE OF arr ON accounts
WHEN OLD.arr IS NOT NEW.arr
BEGIN
    INSERT INTO arr_events (account_id, changed_at, old_arr, new_arr)
    VALUES (NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), OLD.arr, NEW.arr);
END
"""

_POSTGRES_TRIGGER = """
CREATE TRIGGER accounts_arr_history AFTER UPDATE OF arr ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_arr_history()
"""


def _retyped(sql: str, table: str, column: str, old: str, new: str) -> str:
    """``sql`` (a stored table definition) with ``column`` declared ``new`` instead of ``old``."""
    pattern = re.compile(rf"(\n\s*{column}) {re.escape(old)}(?!\w)")
    if pattern.search(sql):
        return pattern.sub(lambda m: f"{m.group(1)} {new}", sql, count=1)
    if not re.search(rf"\n\s*{column} {re.escape(new)}(?!\w)", sql):  # a defensive SQLite's
        raise RuntimeError(f"{table}.{column} is not declared {old} as expected")
    return sql


def _sqlite_declare(to_cents: bool) -> None:
    """Rewrite each money column's declared type (see 0005): ``FLOAT`` and the 0008 columns'
    ``NUMERIC(18, 2)`` to ``BIGINT`` (``to_cents``), or back."""
    bind = op.get_bind()
    changes = [(MONEY_COLUMNS, "FLOAT"), (NUMERIC_MONEY_COLUMNS, _NUMERIC)]
    definitions: dict[str, str] = {}
    for columns_of, was in changes:
        old, new = (was, "BIGINT") if to_cents else ("BIGINT", was)
        for table, columns in columns_of.items():
            sql = bind.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).scalar_one()
            for column in columns:
                sql = _retyped(sql, table, column, old, new)
            definitions[table] = sql
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, sql in definitions.items():
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table)
            )
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    except DBAPIError as exc:
        # A defensive SQLite refuses schema edits; the values below are converted all the same.
        logging.getLogger(__name__).warning(
            "money columns keep their declared type (this SQLite refuses schema edits): %s",
            exc.orig,
        )
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def _convert_sqlite(expression: str) -> None:
    """Set every money column to ``expression`` (``{c}`` stands for the column)."""
    op.execute("DROP TRIGGER accounts_arr_history")
    for table, columns in (*MONEY_COLUMNS.items(), *NUMERIC_MONEY_COLUMNS.items()):
        assignments = ", ".join(f"{c} = {expression.format(c=c)}" for c in columns)
        op.execute(f"UPDATE {table} SET {assignments}")
    op.execute(_SQLITE_TRIGGER)


def _retype_postgres(sql_type: str, using: str) -> None:
    """ALTER every money column to ``sql_type``; the trigger names ``arr``, so it is rebuilt."""
    op.execute("DROP TRIGGER accounts_arr_history ON accounts")
    for table, columns in MONEY_COLUMNS.items():
        changes = ", ".join(
            f"ALTER COLUMN {c} TYPE {sql_type} USING {using.format(c=c)}" for c in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")
    op.execute(_POSTGRES_TRIGGER)


_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_read') THEN
        CREATE ROLE csdesk_read NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_write') THEN
        CREATE ROLE csdesk_write NOLOGIN IN ROLE csdesk_read;
    END IF;
EXCEPTION
    WHEN insufficient_privilege OR duplicate_object OR unique_violation THEN
        RAISE NOTICE 'csdesk roles not created here: %', SQLERRM;
END $$
"""

_GRANTS = """
DO $$
DECLARE
    db text := quote_ident(current_database());
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_read')
       AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_write') THEN
        EXECUTE 'GRANT CONNECT ON DATABASE ' || db || ' TO csdesk_read';
        GRANT USAGE ON SCHEMA public TO csdesk_read;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO csdesk_read;
        -- an export is recorded in the timeline, and readers may export
        GRANT INSERT ON activities TO csdesk_read;
        EXECUTE 'GRANT USAGE ON SEQUENCE ' || pg_get_serial_sequence('activities', 'id')
            || ' TO csdesk_read';
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO csdesk_write;
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO csdesk_write;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO csdesk_read;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO csdesk_write;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO csdesk_write;
    END IF;
END $$
"""

_ACTOR = (
    """
CREATE FUNCTION activities_actor() RETURNS trigger AS $$
BEGIN
    -- csdesk copy keeps the timeline as it was (it sets csdesk.copying for its transaction)
    IF coalesce(current_setting('csdesk.copying', true), '') <> 'on' THEN
        NEW.actor := current_user;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER activities_actor BEFORE INSERT ON activities
FOR EACH ROW EXECUTE FUNCTION activities_actor()
""",
)


def upgrade() -> None:
    """Money as exact numbers (cents on SQLite); ``accounts.version``; roles on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_declare(to_cents=True)
        _convert_sqlite("CAST(ROUND({c} * 100) AS INTEGER)")
    else:
        _retype_postgres("NUMERIC(18, 2)", "round({c}::numeric, 2)")
    op.add_column(
        "accounts", sa.Column("version", sa.Integer(), nullable=False, server_default="1")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_ROLES)
        op.execute(_GRANTS)
        for statement in _ACTOR:
            op.execute(statement)


def downgrade() -> None:
    """Money as floats again; no version column, actor trigger or grants (roles stay)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER activities_actor ON activities")
        op.execute("DROP FUNCTION activities_actor()")
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.drop_column("version")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_declare(to_cents=False)
        _convert_sqlite("{c} / 100.0")
    else:
        _retype_postgres("FLOAT", "{c}::double precision")
