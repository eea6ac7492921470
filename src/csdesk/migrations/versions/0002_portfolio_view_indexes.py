"""indexes for the portfolio view's owner and status filters and the task list

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index the columns the portfolio view filters on and the open-task list sorts by."""
    op.create_index("ix_accounts_owner", "accounts", ["owner"], unique=False)
    op.create_index("ix_accounts_status", "accounts", ["status"], unique=False)
    op.create_index("ix_tasks_status_due", "tasks", ["status", "due_on"], unique=False)


def downgrade() -> None:
    """Drop the indexes again."""
    op.drop_index("ix_tasks_status_due", table_name="tasks")
    op.drop_index("ix_accounts_status", table_name="accounts")
    op.drop_index("ix_accounts_owner", table_name="accounts")
