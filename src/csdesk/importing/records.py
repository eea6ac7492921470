"""Importing contacts, support tickets and survey responses of existing accounts.

Each row becomes one record matched by its own id (ticket or response id, per source) where the
row has one — two rows with different ids are two records, whatever else they share (SPEC 3.2) —
else by a natural key (contact email or name; ticket account + opened time + subject; response
account + date + respondent). Repeated rows merge, empty cells never clear stored values, and
only new or changed records are written, in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import Table

from csdesk.db.bulk import table_of
from csdesk.importing.context import AccountRefs, ImportContext
from csdesk.importing.summary import KindOutcome
from csdesk.models import Contact, SurveyResponse, Ticket
from csdesk.progress import check_cancel
from csdesk.scoring.catalog import fold_name

__all__ = [
    "RecordSet",
    "import_contacts",
    "import_surveys",
    "import_tickets",
    "own_id_index",
    "own_id_keys",
]

Keys = tuple[Hashable, ...]
_NEW = "new"


class RecordSet:
    """Stored records of one table, indexed by every key a row may match them by."""

    def __init__(self, ctx: ImportContext, table: Table, columns: Sequence[str]) -> None:
        self.ctx = ctx
        self.table = table
        self.columns = tuple(columns)
        self.index: dict[Hashable, Any] = {}
        self.stored: dict[int, tuple[Any, ...]] = {}
        self.merged: dict[Any, dict[str, Any]] = {}
        self.accounts: dict[Any, int] = {}
        sql = f"SELECT id, {', '.join(self.columns)} FROM {table.name}"
        for row in ctx.bulk.rows(sql):
            self.stored[row[0]] = tuple(row[1:])

    def storage(self, column: str, value: Any) -> Any:
        """``value`` in the column's storage form."""
        return self.ctx.bulk.stored(self.table, column, value)

    def column(self, name: str) -> list[Any]:
        """The parsed values of field ``name`` in the storage form of the same-named column."""
        values = self.ctx.column(name)
        return self.ctx.bulk.storage(self.table, name, values) if name in self.columns else values

    def add(self, keys: Keys, values: dict[str, Any]) -> None:
        """A row's record (values in storage form), merged into the stored or earlier record any
        of ``keys`` finds."""
        ref = next((self.index[k] for k in keys if k in self.index), None)
        if ref is None:
            ref = (_NEW, keys[0])
        for key in keys:
            self.index.setdefault(key, ref)
        slot = self.merged.setdefault(ref, {})
        for column, value in values.items():
            if value is not None:
                slot[column] = value
        self.accounts[ref] = values["account_id"]

    def write(self, defaults: dict[str, Any]) -> KindOutcome:
        """Insert new records, update changed ones; count each."""
        outcome = KindOutcome()
        default = [self.storage(c, defaults.get(c)) for c in self.columns]
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        for ref, values in self.merged.items():
            if isinstance(ref, tuple) and ref[0] == _NEW:
                inserts.append(tuple(map(values.get, self.columns, default)))
                outcome.created += 1
                outcome.accounts.add(self.accounts[ref])
                continue
            old = self.stored[ref]
            new = tuple(values.get(c, o) for c, o in zip(self.columns, old, strict=True))
            if new != old:
                updates.append((*new, ref))
                outcome.updated += 1
                outcome.accounts.add(self.accounts[ref])
            else:
                outcome.unchanged += 1
        self.ctx.bulk.insert(self.table, self.columns, inserts)
        self.ctx.bulk.update(self.table, self.columns, "id", updates)
        return outcome


def own_id_index(records: RecordSet, id_slot: int, natural: Any) -> None:
    """Index stored records by (source, own id), and by natural key those without an own id."""
    source_slot = records.columns.index("source")
    source = records.ctx.layout.source
    for record_id, row in records.stored.items():
        if row[id_slot]:
            records.index.setdefault(("x", row[source_slot], row[id_slot]), record_id)
            if not row[source_slot]:  # stored before sources were known: this file's source
                records.index.setdefault(("x", source, row[id_slot]), record_id)
        else:
            records.index.setdefault(natural(row), record_id)


def own_id_keys(ctx: ImportContext, own_id: Any, natural: Hashable) -> tuple[Hashable, ...]:
    """A row's only key: its own id where it has one, else its natural key."""
    return (("x", ctx.layout.source, own_id),) if own_id else (natural,)


_MAX_ROW_WARNINGS = 20


def _warn_rows(ctx: ImportContext, rows: list[int], message: str) -> None:
    """One warning per row for the first few rows, then one for the rest."""
    numbers = ctx.parsed.numbers
    for position in rows[:_MAX_ROW_WARNINGS]:
        ctx.parsed.warnings.append((numbers[position], message))
    if len(rows) > _MAX_ROW_WARNINGS:
        ctx.parsed.warnings.append(
            (None, f"{message}: {len(rows) - _MAX_ROW_WARNINGS} more rows like that")
        )


def _rows(ctx: ImportContext, label: str) -> tuple[AccountRefs, list[tuple[int, int]]]:
    """Resolve every row's account; returns the refs and (position, account_id) pairs."""
    refs = AccountRefs(ctx.bulk)
    crm_ids, names = ctx.column("crm_id"), ctx.column("name")
    out: list[tuple[int, int]] = []
    ctx.progress.start(len(ctx.parsed), label)
    for position in range(len(ctx.parsed)):
        ctx.tick(position + 1)
        if position in ctx.parsed.errors:
            continue
        account_id = refs.resolve(ctx, position, crm_ids[position], names[position])
        if account_id is not None:
            out.append((position, account_id))
    check_cancel(ctx.progress)
    return refs, out


def import_contacts(ctx: ImportContext) -> KindOutcome:
    """Contacts matched per account by email, else by name."""
    columns = ("account_id", "name", "email", "role", "executive_sponsor")
    records = RecordSet(ctx, table_of(Contact), columns)
    for record_id, (account_id, name, email, _role, _sponsor) in records.stored.items():
        if email:
            records.index.setdefault(("e", account_id, email.casefold()), record_id)
        records.index.setdefault(("n", account_id, fold_name(name)), record_id)
    full, first, last = (
        ctx.column("contact_name"),
        ctx.column("first_name"),
        ctx.column("last_name"),
    )
    emails, roles, sponsors = (
        ctx.column("email"),
        ctx.column("role"),
        records.column("executive_sponsor"),
    )
    _refs, rows = _rows(ctx, "Matching contacts")
    for position, account_id in rows:
        name = full[position] or " ".join(str(p) for p in (first[position], last[position]) if p)
        email = emails[position]
        if not name and not email:
            ctx.parsed.reject(position, None, "no_key", "no contact name or email")
            continue
        keys: list[Hashable] = []
        if email:
            keys.append(("e", account_id, str(email).casefold()))
        if name:
            keys.append(("n", account_id, fold_name(str(name))))
        values = {"account_id": account_id, "name": name or None, "email": email,
                  "role": roles[position], "executive_sponsor": sponsors[position]}  # fmt: skip
        records.add(tuple(keys), values)
    for ref, slot in records.merged.items():
        if isinstance(ref, tuple) and ref[0] == _NEW and "name" not in slot:
            slot["name"] = slot.get("email")
    return records.write({"executive_sponsor": False})


def import_tickets(ctx: ImportContext) -> KindOutcome:
    """Support tickets matched by their own id, else by account, opened time and subject.

    A first response or resolution earlier than the opening is dropped with a warning (the row
    is kept): tools write such times for tickets never answered or solved.
    """
    columns = ("account_id", "external_id", "source", "subject", "priority", "status",
               "opened_at", "first_response_at", "resolved_at", "satisfaction")  # fmt: skip
    records = RecordSet(ctx, table_of(Ticket), columns)
    own_id_index(records, 1, lambda row: ("k", row[0], row[6], (row[3] or "").casefold()))
    col = ctx.column
    ids, subjects, priorities, statuses, ratings = (
        col(n) for n in ("external_id", "subject", "priority", "status", "satisfaction")
    )
    opened, minutes = col("opened_at"), col("first_reply_minutes")
    responded_raw, resolved_raw = col("first_response_at"), col("resolved_at")
    stored_opened, responded, resolved = (
        records.column(n) for n in ("opened_at", "first_response_at", "resolved_at")
    )
    early_reply: list[int] = []
    early_resolve: list[int] = []
    _refs, rows = _rows(ctx, "Matching tickets")
    for position, account_id in rows:
        opened_at = opened[position]
        if opened_at is None or priorities[position] is None:
            what = "opened date" if opened_at is None else "priority"
            column = ctx.header("opened_at" if opened_at is None else "priority")
            ctx.parsed.reject(position, column, "missing", f"no {what}")
            continue
        first = responded[position]
        if first is None and minutes[position] is not None:
            reply = opened_at + dt.timedelta(minutes=float(minutes[position]))  # type: ignore[operator, arg-type]
            first = records.storage("first_response_at", reply)
        elif first is not None and responded_raw[position] < opened_at:  # type: ignore[operator]
            early_reply.append(position)
            first = None
        solved = resolved[position]
        if solved is not None and resolved_raw[position] < opened_at:  # type: ignore[operator]
            early_resolve.append(position)
            solved = None
        subject = subjects[position]
        natural = ("k", account_id, stored_opened[position], str(subject or "").casefold())
        values = {"account_id": account_id, "external_id": ids[position],
                  "source": ctx.layout.source, "subject": subject,
                  "priority": priorities[position], "status": statuses[position],
                  "opened_at": stored_opened[position], "first_response_at": first,
                  "resolved_at": solved, "satisfaction": ratings[position]}  # fmt: skip
        records.add(own_id_keys(ctx, ids[position], natural), values)
    _warn_rows(ctx, early_reply, "first response before the ticket was opened; left empty")
    _warn_rows(ctx, early_resolve, "resolution before the ticket was opened; left empty")
    return records.write({"source": ctx.layout.source})


def import_surveys(ctx: ImportContext) -> KindOutcome:
    """Survey responses matched by their own id, else by account, date and respondent."""
    columns = ("account_id", "external_id", "source", "responded_on", "respondent", "nps",
               "csat", "comment")  # fmt: skip
    records = RecordSet(ctx, table_of(SurveyResponse), columns)
    own_id_index(records, 1, lambda row: ("k", row[0], row[3], (row[4] or "").casefold()))
    col = ctx.column
    ids, dates, people = col("external_id"), records.column("responded_on"), col("respondent")
    nps, csat, comments = col("nps"), col("csat"), col("comment")
    _refs, rows = _rows(ctx, "Matching responses")
    for position, account_id in rows:
        if dates[position] is None:
            ctx.parsed.reject(position, ctx.header("responded_on"), "missing", "no response date")
            continue
        if nps[position] is None and csat[position] is None:
            ctx.parsed.reject(position, None, "missing", "no NPS or CSAT score")
            continue
        natural = ("k", account_id, dates[position], str(people[position] or "").casefold())
        values = {
            "account_id": account_id,
            "external_id": ids[position],
            "source": ctx.layout.source,
            "responded_on": dates[position],
            "respondent": people[position],
            "nps": nps[position],
            "csat": csat[position],
            "comment": comments[position],
        }
        records.add(own_id_keys(ctx, ids[position], natural), values)
    return records.write({"source": ctx.layout.source})
