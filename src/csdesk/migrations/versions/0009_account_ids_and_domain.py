"""Account ids in each source system and the account's website domain

Until now an account had one external id, ``accounts.crm_id``. Revision 0009 keeps that column
(the primary id lists show) and adds ``account_ids``: one row per (system, id), several per
system after a merge, each id belonging to one account. Every stored ``crm_id`` becomes an
``account_ids`` row; its system is read from its shape (Salesforce's 15/18-character ids are
``salesforce``, anything else the generic ``crm``). ``accounts.domain`` holds the website domain
imports match by (read whole into memory, like the ids, so it has no index to keep up).

The downgrade drops both; the primary ids stay in ``crm_id``.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

_BATCH = 20_000
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def guess_system(value: str) -> str:
    """``salesforce`` for an id of Salesforce's shape (15/18 letters and digits, both kinds),
    else the generic ``crm`` (kept here as written: a revision never changes its meaning)."""
    shaped = len(value) in (15, 18) and set(value) <= _ID_CHARS
    return "salesforce" if shaped and not value.isdigit() and not value.isalpha() else "crm"


def upgrade() -> None:
    """Add ``account_ids`` and ``accounts.domain``; copy every ``crm_id`` into ``account_ids``."""
    op.create_table(
        "account_ids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_ids_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_ids")),
        sa.UniqueConstraint(
            "system", "external_id", name=op.f("uq_account_ids_system_external_id")
        ),
    )
    op.create_index("ix_account_ids_account", "account_ids", ["account_id"])
    op.add_column("accounts", sa.Column("domain", sa.String(length=253), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, crm_id FROM accounts WHERE crm_id IS NOT NULL ORDER BY id")
    ).all()
    ids = sa.table(
        "account_ids",
        sa.column("account_id", sa.Integer()),
        sa.column("system", sa.String()),
        sa.column("external_id", sa.String()),
    )
    for start in range(0, len(rows), _BATCH):
        batch = [
            {"account_id": account_id, "system": guess_system(crm_id), "external_id": crm_id}
            for account_id, crm_id in rows[start : start + _BATCH]
        ]
        bind.execute(ids.insert(), batch)


def downgrade() -> None:
    """Drop ``account_ids`` and ``accounts.domain`` (the primary ids stay in ``crm_id``)."""
    op.drop_column("accounts", "domain")
    op.drop_index("ix_account_ids_account", table_name="account_ids")
    op.drop_table("account_ids")
