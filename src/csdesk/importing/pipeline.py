"""The import pipeline: read → lay out → parse (outside any transaction) → match and write.

:func:`prepare` does everything that needs only the file; :func:`run_import` does the rest inside
the caller's write transaction and returns the :class:`ImportSummary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from csdesk.db.bulk import Bulk
from csdesk.importing.columns import ParsedRows, parse_rows
from csdesk.importing.context import ImportContext, Scorer
from csdesk.importing.events import import_events
from csdesk.importing.mapping import ColumnMapping, Layout, lay_out
from csdesk.importing.metrics_import import import_metrics
from csdesk.importing.opportunities import import_opportunities
from csdesk.importing.readers import Narrow, Table, read_table
from csdesk.importing.records import import_contacts, import_surveys, import_tickets
from csdesk.importing.scorecards import import_scorecards
from csdesk.importing.summary import (
    ImportFileError,
    ImportSummary,
    KindOutcome,
    RowError,
)
from csdesk.importing.upsert import import_accounts
from csdesk.progress import Progress, check_cancel
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES

__all__ = ["Prepared", "prepare", "rejected_rows", "run_import"]

IMPORTERS: dict[str, Callable[[ImportContext], KindOutcome]] = {
    "accounts": import_accounts,
    "metrics": import_metrics,
    "contacts": import_contacts,
    "tickets": import_tickets,
    "surveys": import_surveys,
    "scorecards": import_scorecards,
    "opportunities": import_opportunities,
    "events": import_events,
}


@dataclass(slots=True)
class Prepared:
    """A file read, laid out and parsed, ready to be matched and written.

    Attributes:
        path: The file.
        table: The file as read (its rows are dropped after parsing, except in previews).
        layout: Header row, kind and columns.
        parsed: The typed data rows with their value problems.
    """

    path: Path
    table: Table
    layout: Layout
    parsed: ParsedRows


def prepare(
    path: Path,
    *,
    kind: str | None = None,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    plans: Sequence[str] = DEFAULT_PLAN_NAMES,
    limit: int | None = None,
    progress: Progress | None = None,
    table: Table | None = None,
) -> Prepared:
    """Read, vet and parse a file (no database involved).

    ``table`` is the file already read (the wizard lays one file out for several kinds); it is
    then not read again, and ``sheet`` is ignored.

    Raises:
        ImportFileError: the file cannot be imported at all; the message names it.
    """
    if progress is not None:
        progress.start(0, f"Reading {path.name}")
    if table is None:
        narrow = None if limit is not None else _events_only(kind, mapping)
        table = read_table(path, sheet, narrow)
    if progress is not None:
        check_cancel(progress)
    if not any(any(c not in ("", None) for c in row) for row in table.rows):
        raise ImportFileError(f"{path.name}: the file holds no data")
    try:
        layout = lay_out(table.rows, kind, mapping)
    except ImportFileError as exc:
        used = f" with {mapping.source}" if mapping and mapping.source not in str(exc) else ""
        raise ImportFileError(f"{path.name}{used}: {exc}") from None
    order = date_order or (mapping.date_order if mapping else None)
    parsed = parse_rows(
        table, layout, date_order=order, plans=plans, limit=limit, keep_raw=limit is not None
    )
    if limit is None:
        table.rows = []  # parsed holds everything the import needs; let the cells go
    return Prepared(path, table, layout, parsed)


def _events_only(kind: str | None, mapping: ColumnMapping | None) -> Narrow:
    """For an event export, the columns the import reads (an event export is long and narrow
    in what it needs: account, time, event, user)."""

    def narrow(head: list[list[object]]) -> tuple[set[int], set[int]] | None:
        try:
            layout = lay_out(head, kind, mapping)
        except ImportFileError:
            return None
        if layout.kind != "events":
            return None
        keep = set(layout.fields.values())
        return keep, keep - {layout.fields.get("occurred_at", -1)}

    return narrow


def rejected_rows(parsed: ParsedRows) -> list[RowError]:
    """One error per rejected row, in row order (several problems are joined)."""
    out: list[RowError] = []
    for position in sorted(parsed.errors):
        errors = parsed.errors[position]
        if len(errors) == 1:
            out.append(errors[0])
        else:
            detail = "; ".join(e.reason for e in errors)
            out.append(RowError(errors[0].row, None, errors[0].code, detail))
    return out


def run_import(
    session: Session,
    prepared: Prepared,
    *,
    today: dt.date,
    now: dt.datetime,
    progress: Progress,
    score_new: Scorer | None = None,
) -> ImportSummary:
    """Match and write a prepared file inside the caller's transaction.

    ``score_new`` scores the accounts of a first import before they are inserted.

    Raises:
        CancelledError: the user cancelled (the caller's transaction rolls back).
    """
    layout, parsed = prepared.layout, prepared.parsed
    ctx = ImportContext(Bulk(session), parsed, layout, today, now, progress, score_new)
    outcome = IMPORTERS[layout.kind](ctx)
    check_cancel(progress)
    return ImportSummary(
        file=prepared.path.name,
        kind=layout.kind,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        rejected=rejected_rows(parsed),
        ignored_columns=layout.ignored,
        skipped=parsed.skipped,
        account_ids=frozenset(outcome.accounts),
        outcome=outcome,
        header_row=prepared.table.first_row + layout.header_index,
        mapping=layout.mapping,
        unknown_values=parsed.unknown,
        warnings=[*prepared.table.warnings, *sorted(parsed.warnings, key=_row_order)],
    )


def _row_order(warning: tuple[int | None, str]) -> int:
    return warning[0] or 0
