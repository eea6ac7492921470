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
)
from csdesk.importing.dates import (
    MDY,
    decide_order,
    order_evidence,
    parse_date,
    parse_datetime,
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
    industry_label,
    parse_bool,
    parse_crm_id,
)
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES
from csdesk.scoring.ids import normalise_domain
from csdesk.scoring.vocabulary import PRIORITIES, SEGMENTS, STATUSES

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
_DATE_TYPES = ("date", "datetime")
_PRIORITY = Enumeration(
    "priority",
    PRIORITIES,
    {"urgent": "P0", "high": "P1", "normal": "P2", "low": "P2", "critical": "P0"},
)


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
    """

    numbers: list[int]
    values: dict[str, list[Any]]
    errors: dict[int, list[RowError]] = field(default_factory=dict)
    skipped: int = 0
    date_order: str = MDY
    raw: list[list[object]] = field(default_factory=list)
    blank: set[int] = field(default_factory=set)

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
        return Enumeration("segment", SEGMENTS).parse
    if kind == "tier":
        return Enumeration("tier", plans).parse
    if kind == "priority":
        return _PRIORITY.parse
    if kind == "bool":
        return parse_bool
    if kind == "date":
        return lambda cell: parse_date(cell, order)
    if kind == "datetime":
        return lambda cell: parse_datetime(cell, order)
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
        if types[name] in _DATE_TYPES
        for cell in set(cells)
        if isinstance(cell, str) and cell
    ]
    return decide_order(order_evidence(t.strip()) for t in texts), uses_dotted_dates(
        t.strip() for t in texts
    )


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
    positions, skipped = data_rows(table.rows, layout.header_index + 1)
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
        name: [row[index] for row in raw] for name, index in layout.fields.items()
    }
    order, dotted = _file_date_order(columns, types)
    order = date_order or order
    default_mark = "," if dotted else "."
    parsed = ParsedRows(numbers, {}, skipped=skipped, date_order=order, raw=raw if keep_raw else [])
    for name, cells in columns.items():
        kind = types[name]
        if kind in NUMBER_TYPES:
            values, errors = read_numbers(cells, kind, default_mark)
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
    del columns
    nothing = repeat(None)
    ids = parsed.values.get("crm_id") or [None] * len(raw)
    names = parsed.values.get("name") or [None] * len(raw)
    keyless = map(operator.and_, map(operator.is_, ids, nothing), map(operator.is_, names, nothing))
    parsed.blank = {p for p in compress(range(len(raw)), keyless) if is_blank_row(raw[p])}
    return parsed
