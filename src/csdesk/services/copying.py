"""Copy a whole portfolio between SQLite and PostgreSQL, checked row by row (SPEC 5, 6).

Every table is read through its column types (dates, JSON, exact money) and written in one
transaction of the target; before it commits, each table's row count and a checksum of its rows
as Python values are compared with the source's, so a copy that differs in any value is rolled
back and never counts. The ARR history is copied as it is (inserting accounts fires no trigger),
and on PostgreSQL the id sequences continue after the copied ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, func, insert, select

from csdesk.db import Portfolio, continue_sequences, keep_history, open_portfolio
from csdesk.errors import CsdeskError
from csdesk.models import Base

__all__ = ["CopyResult", "copy_portfolio", "table_digests"]

_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What a copy wrote: rows per table (all counts and checksums matched)."""

    target: str
    rows: dict[str, int]

    def describe(self) -> str:
        """One line for the command line."""
        total = sum(self.rows.values())
        return (
            f"copied {total} rows in {len(self.rows)} tables to {self.target}; "
            "row counts and checksums match"
        )


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _value(value: Any) -> Any:
    """A value in one form whichever engine it came from (for the checksum)."""
    if isinstance(value, Decimal):
        return f"D{value:f}"
    if isinstance(value, dt.datetime):
        return f"T{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"d{value.isoformat()}"
    if isinstance(value, float):
        return f"F{value!r}"
    return value


def _rows(conn: Connection, table: Table) -> Iterable[Row[Any]]:
    keys = list(table.primary_key.columns) or list(table.columns)
    return conn.execute(select(table).order_by(*keys))


def table_digests(conn: Connection) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows, in key order, as Python values."""
    result = {}
    for table in _tables():
        digest = hashlib.sha256()
        count = 0
        for row in _rows(conn, table):
            count += 1
            row_values = [_value(v) for v in row]
            digest.update(json.dumps(row_values, default=str, sort_keys=True).encode())
        result[table.name] = (count, digest.hexdigest())
    return result


def _is_empty(conn: Connection) -> bool:
    return all(
        conn.execute(select(func.count()).select_from(t)).scalar_one() == 0 for t in _tables()
    )


def copy_into(source: Portfolio, target: Portfolio, *, replace: bool = False) -> CopyResult:
    """Copy every row of ``source`` into ``target`` in one transaction, checked before commit.

    Args:
        source: The portfolio to copy.
        target: A portfolio at the same schema.
        replace: Empty the target first (a restore); otherwise a target that holds anything
            is refused.

    Raises:
        CsdeskError: The target is not empty, or a table's rows differ after the copy (the
            target is left as it was).
    """
    with source.engine.connect() as read:
        read.begin()
        with target.write() as session:
            conn = session.connection()
            keep_history(conn)
            if replace:
                for table in reversed(_tables()):
                    conn.execute(delete(table))
            elif not _is_empty(conn):
                raise CsdeskError(
                    f"{target.display_name} is not empty; copy only into a new portfolio"
                )
            for table in _tables():
                batch: list[dict[str, Any]] = []
                for row in _rows(read, table):
                    batch.append(dict(row._mapping))
                    if len(batch) == _CHUNK:
                        conn.execute(insert(table), batch)
                        batch = []
                if batch:
                    conn.execute(insert(table), batch)
            continue_sequences(conn, _tables())
            expected, got = table_digests(read), table_digests(conn)
            differing = [name for name in expected if expected[name] != got.get(name)]
            if differing:
                raise CsdeskError(
                    f"the copy differs from the source in {', '.join(differing)}; "
                    "nothing was written"
                )
        read.rollback()
    return CopyResult(target.display_name, {name: count for name, (count, _) in got.items()})


def copy_portfolio(source: str | Path, target: str | Path) -> CopyResult:
    """``csdesk copy``: copy the portfolio at ``source`` into a new one at ``target``.

    Raises:
        CsdeskError: No portfolio at ``source``, a target that is not empty, or a copy that
            does not match (the target is left as it was).
    """
    src = open_portfolio(source, create=False)
    try:
        dst = open_portfolio(target)
        try:
            return copy_into(src, dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_server(portfolio: Portfolio, dest: Path) -> Path:
    """Back a server portfolio up into a new SQLite file through :func:`copy_into`.

    Raises:
        CsdeskError: ``dest`` exists already, or the copy does not match (``dest`` is removed).
    """
    if dest.exists():
        raise CsdeskError(f"{dest} exists already; back up into a new file")
    try:
        target = open_portfolio(dest)
        try:
            copy_into(portfolio, target)
        finally:
            target.close()
    except BaseException:
        for leftover in (dest, Path(f"{dest}-wal"), Path(f"{dest}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return dest


def restore_server(target: str, src: Path) -> CopyResult:
    """Replace every row of the server portfolio at ``target`` with the backup file ``src``.

    One transaction: a backup that cannot be read or does not copy exactly leaves the server
    portfolio as it was.
    """
    if not src.is_file():
        raise CsdeskError(f"{src}: no such backup file")
    source = open_portfolio(src, create=False)
    try:
        server = open_portfolio(target)
        try:
            return copy_into(source, server, replace=True)
        finally:
            server.close()
    finally:
        source.close()
