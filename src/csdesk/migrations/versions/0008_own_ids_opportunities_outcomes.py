"""Tickets and survey responses keep their own id per source; CRM opportunities; renewal outcomes

A ticket's or response's own id was unique across every tool; it is now unique per source
(``zendesk``, ``qualtrics``, … or ``""`` when the export does not say), so two tools may number
their records alike. ``opportunities`` holds the CRM's renewal, expansion and new-business
opportunities; ``renewal_outcomes`` records each renewal as renewed or churned, with the ARR before
and after. A ticket keeps its satisfaction rating (Zendesk's Offered / Good / Bad …). Money
and probabilities are ``Numeric`` (exact decimals).

On SQLite the two tables are rebuilt from their stored definitions (SQLite cannot drop a
constraint); on PostgreSQL the constraint is swapped in place.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-04 18:00:00.000000
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

_OWN_ID_TABLES = ("tickets", "survey_responses")


def _new_columns(table: str) -> dict[str, str]:
    """The columns this revision adds to ``table`` (name → SQLite definition)."""
    columns = {"source": "source VARCHAR(40) DEFAULT '' NOT NULL"}
    if table == "tickets":
        columns["satisfaction"] = "satisfaction VARCHAR(20)"
    return columns


def _rebuild_sqlite(table: str, old: str, new: str, upgrade: bool) -> None:
    """Recreate ``table`` from its stored definition with constraint ``old`` replaced by ``new``
    and this revision's columns added (``upgrade``) or removed."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if old not in sql:
        raise RuntimeError(f"{table}: constraint {old!r} is not the one this revision expects")
    added = _new_columns(table)
    columns = [row[1] for row in bind.exec_driver_sql(f"PRAGMA table_info({table})")]
    kept = [c for c in columns if c not in added]
    body = sql.replace(old, new)
    if upgrade:
        body = body.replace(
            "external_id VARCHAR(64),",
            "external_id VARCHAR(64), " + ", ".join(added.values()) + ",",
        )
    else:
        for definition in added.values():
            body = body.replace(f" {definition},", "")
    temp = f"{table}_0008"
    body = re.sub(rf'^CREATE TABLE "?{table}"?', f"CREATE TABLE {temp}", body, count=1)
    indexes = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (table,),
        )
    ]
    listed = ", ".join(kept)
    op.execute(body)
    op.execute(f"INSERT INTO {temp} ({listed}) SELECT {listed} FROM {table}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {temp} RENAME TO {table}")
    for index in indexes:
        op.execute(index)


def upgrade() -> None:
    """Own ids unique per source; the opportunities and renewal_outcomes tables."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _OWN_ID_TABLES:
        if sqlite:
            _rebuild_sqlite(
                table,
                f"CONSTRAINT uq_{table}_external_id UNIQUE (external_id)",
                f"CONSTRAINT uq_{table}_source_external_id UNIQUE (source, external_id)",
                upgrade=True,
            )
        else:
            op.add_column(
                table, sa.Column("source", sa.String(40), nullable=False, server_default="")
            )
            if table == "tickets":
                op.add_column(table, sa.Column("satisfaction", sa.String(20), nullable=True))
            op.drop_constraint(op.f(f"uq_{table}_external_id"), table, type_="unique")
            op.create_unique_constraint(
                op.f(f"uq_{table}_source_external_id"), table, ["source", "external_id"]
            )
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), server_default="", nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("probability", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.CheckConstraint(
            "(type = 'renewal' OR type = 'expansion' OR type = 'new' OR type = 'other')",
            name=op.f("ck_opportunities_type_known"),
        ),
        sa.CheckConstraint(
            "(state = 'open' OR state = 'won' OR state = 'lost')",
            name=op.f("ck_opportunities_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_opportunities_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
        sa.UniqueConstraint(
            "source", "external_id", name=op.f("uq_opportunities_source_external_id")
        ),
    )
    op.create_index("ix_opportunities_account", "opportunities", ["account_id"], unique=False)
    op.create_table(
        "renewal_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("arr_before", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("arr_after", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("source", sa.String(length=40), server_default="", nullable=False),
        sa.CheckConstraint(
            "(outcome = 'renewed' OR outcome = 'churned')",
            name=op.f("ck_renewal_outcomes_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_renewal_outcomes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewal_outcomes")),
        sa.UniqueConstraint(
            "account_id", "on_date", "outcome", name=op.f("uq_renewal_outcomes_account_on_outcome")
        ),
    )


def downgrade() -> None:
    """Back to ids unique across sources (records whose id repeats keep the first); no
    opportunities or outcomes."""
    op.drop_table("renewal_outcomes")
    op.drop_index("ix_opportunities_account", table_name="opportunities")
    op.drop_table("opportunities")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _OWN_ID_TABLES:
        # The same id from two sources cannot both stay under a constraint across sources.
        op.execute(
            f"UPDATE {table} SET external_id = NULL WHERE external_id IS NOT NULL AND id NOT IN "
            f"(SELECT MIN(id) FROM {table} WHERE external_id IS NOT NULL GROUP BY external_id)"
        )
        if sqlite:
            _rebuild_sqlite(
                table,
                f"CONSTRAINT uq_{table}_source_external_id UNIQUE (source, external_id)",
                f"CONSTRAINT uq_{table}_external_id UNIQUE (external_id)",
                upgrade=False,
            )
        else:
            op.drop_constraint(op.f(f"uq_{table}_source_external_id"), table, type_="unique")
            op.drop_column(table, "source")
            if table == "tickets":
                op.drop_column(table, "satisfaction")
            op.create_unique_constraint(op.f(f"uq_{table}_external_id"), table, ["external_id"])
