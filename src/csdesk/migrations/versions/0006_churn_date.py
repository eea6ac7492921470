"""accounts.churned_on: the day an account became churned

Existing churned accounts get the day their status last became ``churned`` on the timeline
(an edit logged ``Status: … → churned``), else NULL (not known). Their open renewal milestone,
renewal overdue and at-risk outreach tasks are closed as ``cancelled``: a churned account does
not renew (SPEC 2.4). The task status column has no CHECK rule, so ``cancelled`` needs no
schema change; the downgrade reopens nothing (an open task on a churned account was never
wanted) and drops the column.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:00:00.000000
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CANCELLED_TYPES = ("renewal milestone", "renewal overdue", "at-risk outreach")


def upgrade() -> None:
    """Add ``accounts.churned_on`` and fill it for churned accounts from the timeline."""
    op.add_column("accounts", sa.Column("churned_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    accounts = sa.table(
        "accounts",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("churned_on", sa.Date),
    )
    activities = sa.table(
        "activities",
        sa.column("account_id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("kind", sa.String),
        sa.column("summary", sa.Text),
    )
    tasks = sa.table(
        "tasks",
        sa.column("account_id", sa.Integer),
        sa.column("type", sa.String),
        sa.column("status", sa.String),
        sa.column("completed_at", sa.DateTime),
    )
    churned = sa.select(accounts.c.id).where(accounts.c.status == "churned")
    last_churn = bind.execute(
        sa.select(activities.c.account_id, sa.func.max(activities.c.at))
        .where(
            activities.c.kind == "edit",
            activities.c.summary.like("Status:%→ churned"),
            activities.c.account_id.in_(churned),
        )
        .group_by(activities.c.account_id)
    ).all()
    for account_id, at in last_churn:
        day = at.date() if isinstance(at, dt.datetime) else dt.date.fromisoformat(str(at)[:10])
        bind.execute(accounts.update().where(accounts.c.id == account_id).values(churned_on=day))
    bind.execute(
        tasks.update()
        .where(
            tasks.c.account_id.in_(churned),
            tasks.c.type.in_(_CANCELLED_TYPES),
            tasks.c.status.in_(("open", "snoozed")),
        )
        .values(status="cancelled", completed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    )


def downgrade() -> None:
    """Drop ``accounts.churned_on`` (cancelled tasks stay closed)."""
    # A plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): rebuilding the table would lose the ARR
    # history trigger of revision 0003.
    op.drop_column("accounts", "churned_on")
