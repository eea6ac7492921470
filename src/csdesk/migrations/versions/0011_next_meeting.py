"""The next meeting with the client (date and what it is for) beside the account's narrative

SPEC 4's last section is "contacts and next meeting": the CSM books the renewal call or the next
review and the business case names it. Two nullable columns on ``account_narratives``; the
downgrade drops them (on SQLite through a table copy, as Alembic's batch mode does).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``next_meeting_on`` and ``next_meeting_note`` to ``account_narratives``."""
    with op.batch_alter_table("account_narratives") as batch:
        batch.add_column(sa.Column("next_meeting_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("next_meeting_note", sa.String(length=300), nullable=True))


def downgrade() -> None:
    """Drop the next meeting's two columns."""
    with op.batch_alter_table("account_narratives") as batch:
        batch.drop_column("next_meeting_note")
        batch.drop_column("next_meeting_on")
