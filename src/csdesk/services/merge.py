"""Merging one account into another (SPEC 3.3) and undoing that merge exactly.

Every table with an ``account_id`` moves OTHER's rows to KEEP, so tables added later are merged
without changes here. Where a table keeps one row per account (ROI inputs, scorecard, …) KEEP's
values stay and OTHER's fill KEEP's empty columns; where a row of OTHER has the key of one of
KEEP's (a metric on the same day), KEEP's stays. KEEP keeps every id of OTHER, so a later import
under either id finds it. The merge takes a snapshot of both accounts' rows in every table first;
:func:`undo_merge` puts those rows back as they were, provided KEEP is still as the merge left it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.db.bulk import Bulk
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Account, Base
from csdesk.services.changes import Changes
from csdesk.services.edits.base import log_activity
from csdesk.services.metric_store import rebuild_metric_latest
from csdesk.services.trend_base import forget_trend_bases, restore_trend_bases

__all__ = ["MergeResult", "MergeSnapshot", "merge_accounts", "undo_merge"]

# Account columns a merge never copies from OTHER: identity, names, bookkeeping.
_OWN = frozenset(("id", "crm_id", "name", "name_key", "created_at", "updated_at", "trend_base"))
# Worked out again by the next recompute: a change to it does not stop an undo.
_CACHED = frozenset(("trend_base",))
_DERIVED = frozenset(("metric_latest",))  # rebuilt from the history after the move
# Keys a table has in meaning though not as a constraint: one health score per account and day.
_NATURAL_KEYS = {"health_snapshots": ("account_id", "as_of")}


@dataclass(frozen=True, slots=True)
class MergeSnapshot:
    """Both accounts' rows before a merge (storage form), and a digest of KEEP after it.

    Attributes:
        keep: KEEP's account id.
        other: OTHER's account id (gone after the merge).
        rows: Table name → the rows of either account, each a tuple in ``columns`` order.
        columns: Table name → its column names.
        after: Digest of KEEP's rows right after the merge.
        trend_days: The days the trend baselines held for before the merge (``start/end``).
        trend_mark: What the merge left in their place (see ``restore_trend_bases``).
    """

    keep: int
    other: int
    rows: dict[str, list[tuple[Any, ...]]]
    columns: dict[str, tuple[str, ...]]
    after: str
    trend_days: str | None = None
    trend_mark: str = ""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge did.

    Attributes:
        keep: The account kept.
        summary: One line for the user ("Merged 'Acme' (0016…) into 'Acme Inc'").
        snapshot: What :func:`undo_merge` needs.
        changes: What views reload.
    """

    keep: int
    summary: str
    snapshot: MergeSnapshot
    changes: Changes


def _account_tables() -> list[Table]:
    """Every table with an ``account_id`` column, parents first."""
    return [t for t in Base.metadata.sorted_tables if "account_id" in t.c]


def _accounts() -> Table:
    return Base.metadata.tables["accounts"]


def _rows_of(bulk: Bulk, table: Table, ids: tuple[int, ...]) -> list[tuple[Any, ...]]:
    key = "id" if table.name == "accounts" else "account_id"
    columns = ", ".join(c.name for c in table.columns)
    order = ", ".join(c.name for c in table.primary_key.columns) or key
    marks = ", ".join(bulk.marker for _ in ids)
    return bulk.rows(
        f"SELECT {columns} FROM {table.name} WHERE {key} IN ({marks}) ORDER BY {order}", ids
    )


def _digest(bulk: Bulk, account_id: int) -> str:
    """A hash of every row the account has in every table."""
    h = hashlib.sha256()
    for table in [_accounts(), *_account_tables()]:
        h.update(table.name.encode())
        kept = [i for i, c in enumerate(table.columns) if c.name not in _CACHED]
        for row in _rows_of(bulk, table, (account_id,)):
            h.update(repr([row[i] for i in kept]).encode())
    return h.hexdigest()


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    """The unique keys of ``table`` that include ``account_id`` (the primary key first)."""
    keys: list[tuple[str, ...]] = []
    primary = tuple(c.name for c in table.primary_key.columns)
    if "account_id" in primary:
        keys.append(primary)
    if table.name in _NATURAL_KEYS:
        keys.append(_NATURAL_KEYS[table.name])
    for constraint in table.constraints:
        columns = tuple(getattr(constraint, "columns", ()))
        names = tuple(c.name for c in columns)
        if constraint.__class__.__name__ == "UniqueConstraint" and "account_id" in names:
            keys.append(names)
    return keys


def _writable(bulk: Bulk, table: Table, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows as read, made writable again: PostgreSQL's driver reads JSON as Python objects."""
    slots = [
        (i, c.name)
        for i, c in enumerate(table.columns)
        if isinstance(c.type, JSON) and any(not isinstance(r[i], str | None) for r in rows)
    ]
    if not slots:
        return rows
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i, name in slots:
            if not isinstance(values[i], str | None):
                values[i] = bulk.stored(table, name, values[i])
        out.append(tuple(values))
    return out


def _load(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError(f"account {account_id} no longer exists")
    return account


def _label(account: Account) -> str:
    return f"{account.name!r} ({account.crm_id})" if account.crm_id else repr(account.name)


def _move_rows(bulk: Bulk, table: Table, keep: int, other: int) -> None:
    """Move OTHER's rows of ``table`` to KEEP; KEEP's row wins where both have one key."""
    m = bulk.marker
    for key in _unique_keys(table):
        rest = [c for c in key if c != "account_id"]
        if not rest:  # one row per account: OTHER fills KEEP's empty columns, then goes
            values = [c.name for c in table.columns if c.name not in key]
            if values and bulk.rows(f"SELECT 1 FROM {table.name} WHERE account_id = {m}", [keep]):
                sets = ", ".join(
                    f"{c} = COALESCE({c}, (SELECT o.{c} FROM {table.name} AS o "
                    f"WHERE o.account_id = {m}))"
                    for c in values
                )
                bulk.execute(
                    f"UPDATE {table.name} SET {sets} WHERE account_id = {m}",
                    [*[other] * len(values), keep],
                )
            same = f"EXISTS (SELECT 1 FROM {table.name} AS k WHERE k.account_id = {m})"
        else:
            match = " AND ".join(f"k.{c} = {table.name}.{c}" for c in rest)
            same = f"EXISTS (SELECT 1 FROM {table.name} AS k WHERE k.account_id = {m} AND {match})"
        bulk.execute(f"DELETE FROM {table.name} WHERE account_id = {m} AND {same}", [other, keep])
    bulk.execute(f"UPDATE {table.name} SET account_id = {m} WHERE account_id = {m}", [keep, other])


def merge_accounts(portfolio: Portfolio, keep_id: int, other_id: int) -> MergeResult:
    """Move everything of account ``other_id`` to ``keep_id`` in one transaction.

    Raises:
        ValidationError: the two are the same account.
        NotFoundError: either account does not exist (any more).
    """
    if keep_id == other_id:
        raise ValidationError("cannot merge an account into itself")
    with portfolio.write() as session:
        keep, other = _load(session, keep_id), _load(session, other_id)
        summary = f"Merged {_label(other)} into {_label(keep)}"
        session.flush()
        bulk = Bulk(session)
        tables = [_accounts(), *_account_tables()]
        rows = {t.name: _rows_of(bulk, t, (keep_id, other_id)) for t in tables}
        columns = {t.name: tuple(c.name for c in t.columns) for t in tables}
        for table in _account_tables():
            if table.name not in _DERIVED:
                _move_rows(bulk, table, keep_id, other_id)
        bulk.execute(f"DELETE FROM metric_latest WHERE account_id = {bulk.marker}", [other_id])
        rebuild_metric_latest(session, [keep_id])
        fills = {
            c.key: getattr(other, c.key)
            for c in Account.__table__.columns
            if c.key not in _OWN
            and getattr(keep, c.key) is None
            and getattr(other, c.key) is not None
        }
        other_crm = other.crm_id
        session.expunge(other)
        bulk.execute(f"DELETE FROM accounts WHERE id = {bulk.marker}", [other_id])
        session.expire(keep)
        keep = _load(session, keep_id)
        for key, value in fills.items():
            setattr(keep, key, value)
        if keep.crm_id is None and other_crm is not None:
            keep.crm_id = other_crm
        details: dict[str, object] = {"merged_account": other_id, "merged_crm_id": other_crm}
        log_activity(session, keep_id, "merge", summary, details)
        session.flush()
        # KEEP now holds OTHER's older snapshots too: its trend baseline may be another.
        mark = f"set aside by merge {secrets.token_hex(8)}"
        held = forget_trend_bases(session, mark)
        after = _digest(Bulk(session), keep_id)
    snapshot = MergeSnapshot(keep_id, other_id, rows, columns, after, held, mark)
    # A merge fences the undo stack for both accounts: their earlier edits are not undone over it.
    changes = _changes(keep_id, other_id, fenced_by="a merge")
    return MergeResult(keep_id, summary, snapshot, changes)


def _changes(keep: int, other: int, *, fenced_by: str = "") -> Changes:
    """Everything an account shows may have changed for both accounts."""
    return Changes(
        fenced_by=fenced_by,
        account_ids=frozenset({keep, other}),
        accounts=True,
        health=True,
        tasks=True,
        metrics=True,
        roi=True,
        prospects=True,
        activity=True,
    )


def undo_merge(portfolio: Portfolio, snapshot: MergeSnapshot) -> Changes:
    """Put both accounts back exactly as they were before the merge.

    Raises:
        ValidationError: KEEP changed since the merge, or OTHER's id is taken again.
        NotFoundError: KEEP no longer exists.
    """
    with portfolio.write() as session:
        bulk = Bulk(session)
        _load(session, snapshot.keep)
        if bulk.rows(f"SELECT 1 FROM accounts WHERE id = {bulk.marker}", [snapshot.other]):
            raise ValidationError("the merged account's id is in use again; cannot undo")
        if _digest(bulk, snapshot.keep) != snapshot.after:
            raise ValidationError("the account changed since the merge; the merge cannot be undone")
        ids = (snapshot.keep, snapshot.other)
        marks = ", ".join(bulk.marker for _ in ids)
        for table in reversed(_account_tables()):
            bulk.execute(f"DELETE FROM {table.name} WHERE account_id IN ({marks})", ids)
        accounts = _accounts()
        columns = snapshot.columns["accounts"]
        for row in snapshot.rows["accounts"]:
            if row[0] == snapshot.keep:
                sets = [c for c in columns if c != "id"]
                values = [v for c, v in zip(columns, row, strict=True) if c != "id"]
                bulk.update(accounts, sets, "id", [(*values, row[0])])
        # The account row's update may have logged an ARR change; the tables are restored below.
        bulk.execute(f"DELETE FROM arr_events WHERE account_id IN ({marks})", ids)
        bulk.insert(
            accounts, columns, [r for r in snapshot.rows["accounts"] if r[0] == snapshot.other]
        )
        for table in _account_tables():
            rows = _writable(bulk, table, snapshot.rows[table.name])
            bulk.insert(table, snapshot.columns[table.name], rows)
        # Both accounts' rows and snapshots are back: the range of before the merge holds
        # again, unless a recompute has stored another since (then this one is worked out anew).
        restore_trend_bases(session, snapshot.trend_mark, snapshot.trend_days)
        session.expire_all()
    return _changes(snapshot.keep, snapshot.other)
