"""Metric snapshots keyed by (account, metric, day) and both metric tables clustered by their key

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = "account_id, metric, as_of, value"
_FOREIGN_KEY = (
    "CONSTRAINT fk_{table}_account_id_accounts FOREIGN KEY(account_id) "
    "REFERENCES accounts (id) ON DELETE CASCADE"
)
_VALUE_COLUMNS = (
    "account_id INTEGER NOT NULL, metric VARCHAR(80) NOT NULL, as_of DATE NOT NULL, "
    "value FLOAT NOT NULL"
)


def _rebuild(table: str, columns: str, keys: str, suffix: str) -> None:
    """Recreate a SQLite table with a new shape and copy its rows (the copy keeps the name)."""
    new = f"{table}_0004"
    op.execute(
        f"CREATE TABLE {new} ({columns}, {keys}, {_FOREIGN_KEY.format(table=table)}){suffix}"
    )
    op.execute(f"INSERT INTO {new} ({_COLUMNS}) SELECT {_COLUMNS} FROM {table}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {new} RENAME TO {table}")


def upgrade() -> None:
    """Drop the snapshots' surrogate id; on SQLite store both tables as WITHOUT ROWID."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("uq_metric_snapshots_point", "metric_snapshots", type_="unique")
        op.drop_constraint("pk_metric_snapshots", "metric_snapshots", type_="primary")
        op.drop_column("metric_snapshots", "id")
        op.create_primary_key(
            "pk_metric_snapshots", "metric_snapshots", ["account_id", "metric", "as_of"]
        )
        return
    _rebuild(
        "metric_snapshots",
        _VALUE_COLUMNS,
        "CONSTRAINT pk_metric_snapshots PRIMARY KEY (account_id, metric, as_of)",
        " WITHOUT ROWID",
    )
    _rebuild(
        "metric_latest",
        _VALUE_COLUMNS,
        "CONSTRAINT pk_metric_latest PRIMARY KEY (account_id, metric)",
        " WITHOUT ROWID",
    )


def downgrade() -> None:
    """Give the snapshots their id and unique constraint back; ordinary rowid tables again."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("pk_metric_snapshots", "metric_snapshots", type_="primary")
        op.execute("ALTER TABLE metric_snapshots ADD COLUMN id SERIAL")
        op.create_primary_key("pk_metric_snapshots", "metric_snapshots", ["id"])
        op.create_unique_constraint(
            "uq_metric_snapshots_point", "metric_snapshots", ["account_id", "metric", "as_of"]
        )
        return
    _rebuild(
        "metric_snapshots",
        f"id INTEGER NOT NULL, {_VALUE_COLUMNS}",
        "CONSTRAINT pk_metric_snapshots PRIMARY KEY (id), "
        "CONSTRAINT uq_metric_snapshots_point UNIQUE (account_id, metric, as_of)",
        "",
    )
    _rebuild(
        "metric_latest",
        _VALUE_COLUMNS,
        "CONSTRAINT pk_metric_latest PRIMARY KEY (account_id, metric)",
        "",
    )
