"""Indexes the trend, days-left and stage sorts walk; the score 30 days before on the account

The portfolio's trend column is the health score minus the newest snapshot score at or before
30 days ago. Worked out per account with a correlated look-up, sorting 100,000 accounts by it
cost ~100 ms on SQLite and ~170 ms on PostgreSQL right after a large import. ``trend_base``
keeps that older score on the account (the recompute works it out for the days named by the
``trend_baseline`` setting), and ``ix_accounts_trend`` indexes the difference of the accounts
that have one (an import's new accounts have none and cost it no index entry), so the sort walks
an index as the health sort does. Existing portfolios get the column empty and no
``trend_baseline``: the sort keeps the look-up until the next recompute fills it.

The days-left and stage sorts walked the renewal-date index, or sorted every start date, and
tested each row's status: ~70 ms each for 100,000 accounts. Two partial indexes hold only the
accounts with a countdown (a renewal date and a status that renews) and only those with a
lifecycle stage (a contract start, not churned): ~15 ms each.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 00:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


_PARTIAL = (
    (
        "ix_accounts_days_left",
        "renewal_date",
        "renewal_date IS NOT NULL AND (status = 'active' OR status = 'pilot')",
    ),
    ("ix_accounts_stage", "contract_start", "contract_start IS NOT NULL AND status != 'churned'"),
)


def upgrade() -> None:
    """Add ``accounts.trend_base``, the index on the trend and the two partial indexes."""
    op.add_column("accounts", sa.Column("trend_base", sa.Float(), nullable=True))
    op.create_index(
        "ix_accounts_trend",
        "accounts",
        [sa.text("(health_score - trend_base)"), "id"],
        sqlite_where=sa.text("trend_base IS NOT NULL"),
        postgresql_where=sa.text("trend_base IS NOT NULL"),
    )
    for name, column, where in _PARTIAL:
        op.create_index(
            name, "accounts", [column], sqlite_where=sa.text(where), postgresql_where=sa.text(where)
        )


def downgrade() -> None:
    """Drop the indexes and the column (and the setting that dated it)."""
    for name, _column, _where in _PARTIAL:
        op.drop_index(name, table_name="accounts")
    op.drop_index("ix_accounts_trend", table_name="accounts")
    op.execute("DELETE FROM settings WHERE key = 'trend_baseline'")
    # A plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): rebuilding the table would lose the ARR
    # history trigger of revision 0003.
    op.drop_column("accounts", "trend_base")
