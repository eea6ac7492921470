"""Bulk SQL for imports: plain-tuple reads and executemany writes on the session's connection.

Values travel in the column's *storage form* (what SQLAlchemy's bind processors make of them:
ISO text for dates on SQLite, native dates on PostgreSQL), so stored and imported values compare
directly and no ORM object or per-row statement is ever built. Upserts use
``INSERT … ON CONFLICT (…) DO UPDATE SET col = excluded.col``, which SQLite and PostgreSQL share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Table, TypeDecorator, func, select
from sqlalchemy.orm import Session

__all__ = ["Bulk", "table_of"]

CHUNK = 5000


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class."""
    return cast(Table, model.__table__)


class Bulk:
    """Bulk reads and writes inside the session's transaction.

    Args:
        session: A session inside ``Portfolio.write()`` (or ``read()`` for reads only).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.dialect = self.conn.dialect
        self.marker = "?" if self.dialect.paramstyle == "qmark" else "%s"
        self._processors: dict[tuple[str, str], Callable[[Any], Any] | None] = {}

    @property
    def is_sqlite(self) -> bool:
        """True on SQLite."""
        return self.dialect.name == "sqlite"

    def processor(self, table: Table, column: str) -> Callable[[Any], Any] | None:
        """The function turning a Python value into the column's storage form (None: as is)."""
        key = (table.name, column)
        if key not in self._processors:
            col_type = table.c[column].type
            self._processors[key] = col_type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return self._processors[key]

    def storage(self, table: Table, column: str, values: Sequence[Any]) -> list[Any]:
        """``values`` in the column's storage form (None stays None).

        Each distinct value is converted once: an export repeats its dates and amounts, and a
        bind processor costs about a microsecond a call.
        """
        process = self.processor(table, column)
        if process is None:
            return list(values)
        stored = {value: process(value) for value in set(values) if value is not None}
        stored[None] = None
        return [stored[value] for value in values]

    def stored(self, table: Table, column: str, value: Any) -> Any:
        """One value in the column's storage form."""
        process = self.processor(table, column)
        return value if process is None or value is None else process(value)

    def loaded(self, table: Table, column: str, value: Any) -> Any:
        """One value read in storage form as the model holds it (cents on SQLite as money)."""
        col_type = table.c[column].type
        if value is None or not isinstance(col_type, TypeDecorator):
            return value
        return col_type.process_result_value(value, self.dialect)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Raw rows of a query (values in storage form), straight from the driver's cursor."""
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, tuple(params))
            rows = cast(list[tuple[Any, ...]], cursor.fetchall())
            return rows if self.is_sqlite else [tuple(r) for r in rows]
        finally:
            cursor.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement on the transaction's connection (markers in ``self.marker`` style)."""
        self.conn.exec_driver_sql(sql, tuple(params))

    def rows_in(
        self, sql: str, values: Sequence[Any], extra: Sequence[Any] = ()
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` whose ``{in}`` placeholder takes ``values`` in chunks."""
        for start in range(0, len(values), CHUNK // 5):
            chunk = values[start : start + CHUNK // 5]
            marks = ", ".join(self.marker for _ in chunk)
            yield from self.rows(sql.format(**{"in": marks}), [*chunk, *extra])

    def insert(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows (tuples in ``columns`` order, storage form)."""
        if rows:
            self._many(self._insert_sql(table, columns), rows)

    def upsert(
        self,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        conflict: Sequence[str],
    ) -> None:
        """Insert rows, or update the non-key columns of those whose ``conflict`` key exists."""
        if not rows:
            return
        updates = [c for c in columns if c not in conflict]
        action = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)
            if updates
            else "DO NOTHING"
        )
        sql = f"{self._insert_sql(table, columns)} ON CONFLICT ({', '.join(conflict)}) {action}"
        self._many(sql, rows)

    def update(
        self,
        table: Table,
        columns: Sequence[str],
        key: str,
        rows: Sequence[Sequence[Any]],
        *,
        increment: Sequence[str] = (),
    ) -> None:
        """Update ``columns`` of the rows whose ``key`` is the last value of each tuple.

        Each column in ``increment`` goes up by one in every row written (a row version).
        """
        if rows:
            sets = ", ".join(
                [f"{c} = {self.marker}" for c in columns] + [f"{c} = {c} + 1" for c in increment]
            )
            self._many(f"UPDATE {table.name} SET {sets} WHERE {key} = {self.marker}", rows)

    def reserve_ids(self, table: Table, count: int) -> list[int]:
        """``count`` fresh primary keys for ``table`` (nobody else writes during the transaction).

        SQLite hands out ``max(id) + 1`` itself, so the next ids are taken; PostgreSQL's serial
        sequence is advanced.
        """
        if count == 0:
            return []
        if self.dialect.name == "postgresql":
            sql = (
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                f"FROM generate_series(1, {int(count)})"
            )
            return [int(r[0]) for r in self.conn.exec_driver_sql(sql)]
        top = self.conn.execute(select(func.max(table.c.id))).scalar() or 0
        return list(range(int(top) + 1, int(top) + 1 + count))

    def _insert_sql(self, table: Table, columns: Sequence[str]) -> str:
        marks = ", ".join(self.marker for _ in columns)
        return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"

    def _many(self, sql: str, rows: Sequence[Sequence[Any]] | Iterable[Sequence[Any]]) -> None:
        batch = rows if isinstance(rows, list) else list(rows)
        for start in range(0, len(batch), 50_000):
            self.conn.exec_driver_sql(sql, batch[start : start + 50_000])
