"""Success plans (goals and narrative per account) and the portfolio's branding

The branding row takes over the portfolio currency: a ``currency`` setting stored before this
revision moves into it (and back on downgrade), so the currency has one source.

Revision ID: 0007
Revises: 0009
Create Date: 2026-12-04 18:30:00.000000
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None

_GOAL_STATUSES = ("planned", "on track", "at risk", "achieved", "missed")


def upgrade() -> None:
    """Add ``success_goals``, ``account_narratives`` and ``branding``."""
    op.create_table(
        "success_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("metric", sa.String(length=80), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Numeric(18, 4), nullable=True),
        sa.Column("target", sa.Numeric(18, 4), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(" + " OR ".join(f"status = '{s}'" for s in _GOAL_STATUSES) + ")",
            name=op.f("ck_success_goals_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_success_goals_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_success_goals")),
    )
    op.create_index(
        "ix_success_goals_account", "success_goals", ["account_id", "position"], unique=False
    )
    op.create_table(
        "account_narratives",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("executive_summary", sa.Text(), nullable=False),
        sa.Column("wins", sa.Text(), nullable=False),
        sa.Column("next_term_goals", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_narratives_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_narratives")),
    )
    branding = op.create_table(
        "branding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_name", sa.String(length=200), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_kind", sa.String(length=8), nullable=True),
        sa.Column("accent", sa.String(length=7), nullable=False),
        sa.Column("footer", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_branding_one_row")),
        sa.CheckConstraint(
            "logo_kind IS NULL OR logo_kind = 'png' OR logo_kind = 'svg'",
            name=op.f("ck_branding_logo_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branding")),
    )
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'currency'")).scalar()
    code = (stored or "").strip().upper()
    if len(code) == 3 and code.isalpha():
        op.bulk_insert(
            branding,
            [
                {
                    "id": 1,
                    "vendor_name": "",
                    "logo": None,
                    "logo_kind": None,
                    "accent": "#2563EB",
                    "footer": "",
                    "currency": code,
                    "locale": "en_US",
                    "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                }
            ],
        )
    if stored is not None:
        op.execute("DELETE FROM settings WHERE key = 'currency'")


def downgrade() -> None:
    """Drop the three tables; a currency other than USD goes back into ``settings``."""
    bind = op.get_bind()
    code = bind.execute(sa.text("SELECT currency FROM branding WHERE id = 1")).scalar()
    if code and code != "USD":
        bind.execute(
            sa.text("INSERT INTO settings (key, value) VALUES ('currency', :code)"),
            {"code": code},
        )
    op.drop_table("branding")
    op.drop_table("account_narratives")
    op.drop_index("ix_success_goals_account", table_name="success_goals")
    op.drop_table("success_goals")
