"""Declarative base, naming convention and shared column types for every table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every csdesk table."""

    metadata = MetaData(naming_convention=NAMING)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK rule that ``column`` holds one of ``values``, as ``column = 'a' OR …``.

    Not ``column IN ('a', …)``: SQLite builds a lookup table for a constant ``IN`` list each time
    it checks a row, which made an insert of 100,000 accounts ~0.3 s slower.
    """
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


def utcnow() -> dt.datetime:
    """Naive UTC timestamp, the form every ``*_at`` column stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
