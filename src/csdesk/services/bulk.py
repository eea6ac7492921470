"""Helpers for work over 100,000 accounts: plain DBAPI reads, literal id chunks, a paused GC."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

CHUNK = 5000
"""Ids per ``IN (…)`` list: well under SQLite's expression-depth and parameter limits."""


_BATCH = 10_000


def id_chunks(ids: Collection[int], size: int = CHUNK) -> Iterator[str]:
    """Sorted, de-duplicated ids as comma-separated literal lists of at most ``size`` ids.

    The ids are passed through ``int`` before they are written into SQL text.

    Args:
        ids: Row ids.
        size: Most ids per list.

    Yields:
        ``"1,2,5"``-style lists, for ``WHERE id IN ({ids})``.
    """
    ordered = sorted({int(i) for i in ids})
    for start in range(0, len(ordered), size):
        yield ",".join(map(str, ordered[start : start + size]))


def plain_rows(session: Session, sql: str) -> Iterator[Sequence[Any]]:
    """Run a parameterless SELECT on the session's connection and yield plain DBAPI tuples.

    Reads of 100,000 accounts or 700,000 metric rows go through the driver's own cursor: it
    is about three times faster than building SQLAlchemy result rows, and it still runs in the
    session's transaction. Values come back as the driver stores them (SQLite gives dates as
    ISO text), so use it for ids, text and numbers only.

    Args:
        session: The session whose transaction the read belongs to.
        sql: A SELECT without parameters (ids are inlined by ``id_chunks``).

    Yields:
        One tuple per row.
    """
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            yield from batch
    finally:
        cursor.close()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk step allocates millions of objects.

    Building 100,000 snapshot rows allocates several hundred thousand dicts and lists that all
    stay alive until the write; each automatic full collection walks all of them again, which
    costs about 40 % on top of the work itself. Nothing here makes reference cycles, and the
    collector is switched back on (if it was on) when the block ends.

    Yields:
        Nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
