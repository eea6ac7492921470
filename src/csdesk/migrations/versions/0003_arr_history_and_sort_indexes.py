"""ARR history kept by a trigger; indexes for the ARR and trend sorts, one duplicate dropped

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SQLITE_TRIGGER = """
CREATE TRIGGER accounts_arr_history AFTER UPDATE OF arr ON accounts
WHEN OLD.arr IS NOT NEW.arr
BEGIN
    INSERT INTO arr_events (account_id, changed_at, old_arr, new_arr)
    VALUES (NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), OLD.arr, NEW.arr);
END
"""

_POSTGRES_TRIGGER = (
    """
CREATE FUNCTION accounts_arr_history() RETURNS trigger AS $$
BEGIN
    IF OLD.arr IS DISTINCT FROM NEW.arr THEN
        INSERT INTO arr_events (account_id, changed_at, old_arr, new_arr)
        VALUES (NEW.id, now() AT TIME ZONE 'utc', OLD.arr, NEW.arr);
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER accounts_arr_history AFTER UPDATE OF arr ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_arr_history()
""",
)


def upgrade() -> None:
    """Add ``arr_events`` with its trigger, and the sort indexes."""
    op.create_table(
        "arr_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("old_arr", sa.Float(), nullable=True),
        sa.Column("new_arr", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_arr_events_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arr_events")),
    )
    op.create_index("ix_arr_events_account_at", "arr_events", ["account_id", "changed_at"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRES_TRIGGER:
            op.execute(statement)
    else:
        op.execute(_SQLITE_TRIGGER)
    op.create_index("ix_accounts_arr", "accounts", ["arr"])
    # The unique constraint on (account_id, metric, as_of) already indexes those columns.
    op.drop_index("ix_metric_snapshots_account_metric", table_name="metric_snapshots")
    op.drop_index("ix_health_snapshots_account_date", table_name="health_snapshots")
    op.create_index(
        "ix_health_snapshots_account_date", "health_snapshots", ["account_id", "as_of", "score"]
    )


def downgrade() -> None:
    """Drop the trigger, ``arr_events`` and the sort indexes."""
    op.drop_index("ix_health_snapshots_account_date", table_name="health_snapshots")
    op.create_index("ix_health_snapshots_account_date", "health_snapshots", ["account_id", "as_of"])
    op.create_index(
        "ix_metric_snapshots_account_metric",
        "metric_snapshots",
        ["account_id", "metric", "as_of"],
    )
    op.drop_index("ix_accounts_arr", table_name="accounts")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER accounts_arr_history ON accounts")
        op.execute("DROP FUNCTION accounts_arr_history()")
    else:
        op.execute("DROP TRIGGER accounts_arr_history")
    op.drop_index("ix_arr_events_account_at", table_name="arr_events")
    op.drop_table("arr_events")
