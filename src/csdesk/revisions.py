"""The schema revisions this csdesk knows, readable without importing SQLAlchemy.

Adding a schema change means a new Alembic revision under ``csdesk/migrations/versions/`` and its
id appended to :data:`KNOWN_REVISIONS` (``csdesk.db`` re-exports both names). The start-up reader
(:mod:`csdesk.db.reader`) compares a file's stored revision with :data:`SCHEMA_HEAD` before
SQLAlchemy is loaded, which is why the tuple lives in a module of its own.
"""

from __future__ import annotations

__all__ = ["KNOWN_REVISIONS", "SCHEMA_HEAD"]

#: Revisions this csdesk knows, oldest first; the last one is the schema it writes.
KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0009",
    "0007",
    "0008",
    "0010",
    "0011",
    "0012",
)
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
