"""The data rows of a file as typed columns, with the per-file decisions and row problems.

Each mapped column is parsed at once (see :mod:`csdesk.importing.column_readers`), which lets
the day/month order be decided once per file from all date columns before any date is read.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

from csdesk.importing.column_readers import (
    NUMBER_TYPES,
    map_cells,
    read_dates,
    read_numbers,
    read_texts,
    read_timestamps,
)
from csdesk.importing.dates import (
    MDY,
    decide_order,
    order_evidence,
    parse_date,
    parse_datetime,
    parse_timestamp,
    uses_dotted_dates,
)
from csdesk.importing.footers import data_rows, is_blank_row
from csdesk.importing.headers import field_type, metric_key
from csdesk.importing.mapping import Layout
from csdesk.importing.readers import Table
from csdesk.importing.summary import RowError
from csdesk.importing.values import (
    CellError,
    Enumeration,
    cell_text,
    fold_value,
    industry_label,
    is_placeholder,
    parse_bool,
    parse_crm_id,
)
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES
from csdesk.scoring.ids import normalise_domain
from csdesk.scoring.vocabulary import (
    CHURNED,
    OUTCOME_CELLS,
    PENDING,
    PRIORITIES,
    RENEWED,
    SEGMENTS,
    STATUSES,
)

__all__ = ["ParsedRows", "parse_rows"]

_MAX_LENGTH = {
    "name": 300,
    "crm_id": 64,
    "external_id": 64,
    "industry": 120,
    "country": 120,
    "owner": 120,
    "subject": 500,
    "status": 40,
    "respondent": 320,
    "email": 320,
    "role": 120,
    "contact_name": 200,
    "first_name": 100,
    "last_name": 100,
}
_DATE_TYPES = ("date", "datetime", "timestamp")
# Built-in synonyms (SPEC 3.2).
_PRIORITY = Enumeration(
    "priority",
    PRIORITIES,
    {"urgent": "P0", "high": "P1", "normal": "P2", "low": "P2", "critical": "P0",
     "medium": "P2", "med": "P2"},
)  # fmt: skip
_SEGMENT = Enumeration(
    "segment",
    SEGMENTS,
    {"smb": "small", "sme": "small", "small business": "small", "midmarket": "mid-market",
     "mm": "mid-market", "mid": "mid-market", "large": "enterprise", "ent": "enterprise"},
)  # fmt: skip
# A renewal's outcome as CRMs and billing tools write it (SPEC 2.9): an expansion or a
# contraction is a renewal (its ARR before and after tell which); a partial churn keeps the client.
_OUTCOME = Enumeration(
    "renewal outcome",
    OUTCOME_CELLS,
    {
        **dict.fromkeys(
            ("won", "closed won", "flat", "retained", "auto renewed", "auto renewal",
             "expanded", "expansion", "upsell", "upsold", "upgraded", "upgrade", "growth",
             "downgraded", "downgrade", "contraction", "contracted", "downsell", "downsold",
             "partial churn", "churn partial", "renewed flat", "renewed upsell",
             "renewed downsell", "renewed with expansion", "renewed with contraction"),
            RENEWED,
        ),
        **dict.fromkeys(
            ("churn", "lost", "closed lost", "cancelled", "canceled", "cancellation",
             "not renewed", "non renewal", "nonrenewal", "non renewed", "terminated",
             "churn final", "full churn", "did not renew", "expired"),
            CHURNED,
        ),
        **dict.fromkeys(
            ("open", "in progress", "upcoming", "not due", "not yet due", "scheduled",
             "at risk", "not started", "tbd", "under review", "negotiation", "in negotiation"),
            PENDING,
        ),
    },
)  # fmt: skip


def _outcome(cell: Any) -> str | None:
    """A renewal outcome, or None for one still pending."""
    found = _OUTCOME.parse(cell)
    return None if found == PENDING else found


# Fields whose cells are keys: a placeholder there is a value like any other.
_KEYS = frozenset({"crm_id", "name", "external_id", "contact_id"})


@dataclass(slots=True)
class ParsedRows:
    """The data rows of a file as typed columns.

    Attributes:
        numbers: Spreadsheet row number of each data row.
        values: Field → one value per data row (None for an empty cell).
        errors: Data-row position → the problems that reject it.
        skipped: Blank and footer rows passed over.
        date_order: The day/month order used (``DMY``/``MDY``).
        raw: The data rows as read (kept for previews only).
        blank: Positions of rows with no key whose cells are all whitespace (skipped, not
            rejected).
        unknown: Header → value not in its column's list → how many rows hold it.
        warnings: (spreadsheet row or None, message): what was read differently from the file.
    """

    numbers: list[int]
    values: dict[str, list[Any]]
    errors: dict[int, list[RowError]] = field(default_factory=dict)
    skipped: int = 0
    date_order: str = MDY
    raw: list[list[object]] = field(default_factory=list)
    blank: set[int] = field(default_factory=set)
    unknown: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    def reject(self, position: int, column: str | None, code: str, detail: str) -> None:
        """Record a problem that rejects the row at ``position``."""
        error = RowError(self.numbers[position], column, code, detail)
        self.errors.setdefault(position, []).append(error)

    def __len__(self) -> int:
        return len(self.numbers)


def _text(limit: int | None) -> Callable[[Any], Any]:
    def one(cell: Any) -> str | None:
        text = cell_text(cell)
        if limit is not None and len(text) > limit:
            raise CellError("too_long", f"longer than {limit} characters")
        return text or None

    return one


def _reader(kind: str, name: str, order: str, plans: Sequence[str]) -> Callable[[Any], Any]:
    if kind == "id":
        if name == "crm_id":
            return lambda cell: _limited(parse_crm_id(cell), 64)
        return _text(64)
    if kind in ("text", "name"):
        return _text(_MAX_LENGTH.get(name))
    if kind == "industry":
        return lambda cell: _limited(industry_label(cell_text(cell)), 120) or None
    if kind == "status":
        return Enumeration("status", STATUSES).parse
    if kind == "segment":
        return _SEGMENT.parse
    if kind == "tier":
        return Enumeration("tier", plans).parse
    if kind == "priority":
        return _PRIORITY.parse
    if kind == "outcome":
        return _outcome
    if kind == "bool":
        return parse_bool
    if kind == "date":
        return lambda cell: parse_date(cell, order)
    if kind == "datetime":
        return lambda cell: parse_datetime(cell, order)
    if kind == "timestamp":
        return lambda cell: parse_timestamp(cell, order)
    if kind == "metric_key":
        return _metric_name
    if kind == "domain":
        return lambda cell: normalise_domain(cell_text(cell))
    raise ValueError(f"no reader for {kind}")


def _limited(text: str | None, limit: int) -> str | None:
    if text is not None and len(text) > limit:
        raise CellError("too_long", f"longer than {limit} characters")
    return text


def _metric_name(cell: Any) -> str:
    key = metric_key(cell_text(cell))
    if key is None:
        raise CellError("bad_metric", f"{cell_text(cell)!r} is not a metric name")
    return key


def _file_date_order(columns: dict[str, list[object]], types: dict[str, str]) -> tuple[str, bool]:
    texts = [
        cell
        for name, cells in columns.items()
        if types[name] in ("date", "datetime")
        for cell in set(cells)
        if isinstance(cell, str) and cell
    ]
    return decide_order(order_evidence(t.strip()) for t in texts), uses_dotted_dates(
        t.strip() for t in texts
    )


def _clean(
    cells: list[object], name: str, kind: str, translate: dict[str, str] | None
) -> list[object]:
    """A column with its placeholders emptied and its values translated by the mapping."""
    if name not in _KEYS and kind != "timestamp":
        date = kind in _DATE_TYPES
        empty = {c for c in set(cells) if is_placeholder(c, date)}
        if empty:
            cells = ["" if c in empty else c for c in cells]
    if translate:
        found: dict[object, object] = {}
        for cell in set(cells):
            if isinstance(cell, str) and cell.strip():
                target = translate.get(fold_value(cell))
                if target is not None:
                    found[cell] = target
        if found:
            cells = [found.get(c, c) for c in cells]
    return cells


def parse_rows(
    table: Table,
    layout: Layout,
    *,
    date_order: str | None = None,
    plans: Sequence[str] = DEFAULT_PLAN_NAMES,
    limit: int | None = None,
    keep_raw: bool = False,
) -> ParsedRows:
    """Parse the data rows of ``table`` into typed columns, collecting row problems.

    Args:
        table: The rows as read.
        layout: The header row and the column of each field.
        date_order: ``DMY``/``MDY`` to override the order decided from the file.
        plans: The tier names of the plan catalog.
        limit: Parse only the first ``limit`` data rows (previews).
        keep_raw: Keep the rows as read in ``ParsedRows.raw`` (previews show them).
    """
    positions, skipped = data_rows(table.rows, layout.data_start)
    skipped += layout.header_rows
    if limit is not None:
        positions = positions[:limit]
    if positions and positions[-1] - positions[0] + 1 == len(positions):
        raw = table.rows[positions[0] : positions[-1] + 1]  # no blank rows in between
    else:
        raw = [table.rows[i] for i in positions]
    numbers = list(map(operator.add, positions, repeat(table.first_row)))
    types = {name: field_type(layout.kind, name) or "text" for name in layout.fields}
    width = max(layout.fields.values(), default=-1) + 1
    if raw and min(map(len, raw)) < width:
        raw = [row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in raw]
    columns: dict[str, list[object]] = {
        name: _clean([row[index] for row in raw], name, types[name], layout.values.get(name))
        for name, index in layout.fields.items()
    }
    order, dotted = _file_date_order(columns, types)
    order = date_order or order
    default_mark = "," if dotted else "."
    parsed = ParsedRows(numbers, {}, skipped=skipped, date_order=order, raw=raw if keep_raw else [])
    for name, cells in columns.items():
        kind = types[name]
        if kind in NUMBER_TYPES:
            values, errors = read_numbers(cells, kind, default_mark)
        elif kind == "timestamp":
            values, errors = read_timestamps(cells, _reader(kind, name, order, plans))
        elif kind in _DATE_TYPES:
            values, errors = read_dates(cells, kind, _reader(kind, name, order, plans))
        elif kind in ("text", "name") or (kind == "id"):
            values, errors = read_texts(cells, _MAX_LENGTH.get(name), crm=name == "crm_id")
        else:
            values, errors = map_cells(cells, _reader(kind, name, order, plans))
        parsed.values[name] = values
        header = layout.header_of(name)
        for position, error in errors.items():
            parsed.reject(position, header, error.code, str(error))
            if error.code == "unknown_value":
                counts = parsed.unknown.setdefault(header, {})
                value = cell_text(cells[position])
                counts[value] = counts.get(value, 0) + 1
    del columns
    nothing = repeat(None)
    ids = parsed.values.get("crm_id") or [None] * len(raw)
    names = parsed.values.get("name") or [None] * len(raw)
    keyless = map(operator.and_, map(operator.is_, ids, nothing), map(operator.is_, names, nothing))
    parsed.blank = {p for p in compress(range(len(raw)), keyless) if is_blank_row(raw[p])}
    return parsed
