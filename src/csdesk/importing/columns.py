"""Reading whole columns: each mapped column is parsed at once, with per-file decisions.

Working column by column lets the day/month order (per file) and the decimal mark (per column) be
decided from all the values first, and keeps the per-cell work small: repeated texts are parsed
once, and workbook numbers and dates pass straight through.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

from csdesk.importing.dates import (
    DMY,
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
    decimal_evidence,
    finite,
    industry_label,
    number_parts,
    parse_bool,
    parse_crm_id,
    to_float,
)
from csdesk.models import SEGMENTS, STATUSES
from csdesk.scoring.ids import normalise_crm_id

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
_NUMBER_TYPES = ("money", "count", "metric", "fraction", "score", "nps", "csat")
_RANGES = {"score": (1, 5, "a whole number 1–5"), "nps": (0, 10, "a whole number 0–10"),
           "csat": (1, 5, "a whole number 1–5")}  # fmt: skip
_PRIORITY = Enumeration(
    "priority",
    ("P0", "P1", "P2"),
    {"urgent": "P0", "high": "P1", "normal": "P2", "low": "P2", "critical": "P0"},
)
_MISSING = object()
_TEXT_TYPES = frozenset({str, type(None)})


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


def _map_texts(
    cells: Sequence[object], one: Callable[[Any], Any]
) -> tuple[list[Any], dict[int, CellError]]:
    """``_map`` for a column of texts: each distinct text parsed once, then looked up in C."""
    value_of: dict[object, Any] = {}
    bad: dict[object, CellError] = {}
    for text in set(cells):
        if text is None or not text.strip():  # type: ignore[attr-defined]
            value_of[text] = None
            continue
        try:
            value_of[text] = one(text)
        except CellError as exc:
            value_of[text] = None
            bad[text] = exc
    out = list(map(value_of.__getitem__, cells))
    errors = {i: bad[c] for i, c in enumerate(cells) if c in bad} if bad else {}
    return out, errors


def _map(
    cells: Sequence[object], one: Callable[[Any], Any]
) -> tuple[list[Any], dict[int, CellError]]:
    """Apply ``one`` to every non-empty cell; repeated texts are parsed once."""
    if set(map(type, cells)) <= _TEXT_TYPES:
        return _map_texts(cells, one)
    out: list[Any] = [None] * len(cells)
    errors: dict[int, CellError] = {}
    memo: dict[str, Any] = {}
    for i, cell in enumerate(cells):
        if cell == "" or cell is None:
            continue
        if cell.__class__ is str:
            hit = memo.get(cell, _MISSING)
            if hit is _MISSING:
                try:
                    hit = one(cell) if cell.strip() else None
                except CellError as exc:
                    hit = exc
                memo[cell] = hit
        else:
            try:
                hit = one(cell)
            except CellError as exc:
                hit = exc
        if hit.__class__ is CellError:
            errors[i] = hit
        else:
            out[i] = hit
    return out, errors


def _texts(
    cells: Sequence[object], limit: int | None, crm: bool = False
) -> tuple[list[Any], dict[int, CellError]]:
    """A text column: trimmed, empty → None, integral numbers without ``.0``."""
    out: list[Any] = [
        (c.strip() or None) if c.__class__ is str else (None if c is None else cell_text(c) or None)
        for c in cells
    ]
    if crm:
        out = [normalise_crm_id(v) if v is not None and len(v) == 15 else v for v in out]
    errors: dict[int, CellError] = {}
    if limit is not None:
        for i, value in enumerate(out):
            if value is not None and len(value) > limit:
                errors[i] = CellError("too_long", f"longer than {limit} characters")
                out[i] = None
    return out, errors


def _numbers(
    cells: Sequence[object], kind: str, default_mark: str
) -> tuple[list[Any], dict[int, CellError]]:
    """A number column; workbook numbers that need no check pass straight through."""
    parts: dict[str, tuple[bool, str, bool] | None] = {}
    slow = _number_reader(kind, _decimal_mark(cells, default_mark, parts), parts)
    if kind not in ("money", "count", "metric"):
        return _map(cells, slow)
    signed = kind == "metric"
    out: list[Any] = [None] * len(cells)
    rest: list[int] = []
    for i, cell in enumerate(cells):
        if cell.__class__ is float and (signed or cell >= 0) and cell - cell == 0.0:
            out[i] = cell
        elif cell != "" and cell is not None:
            rest.append(i)
    if rest:
        values, errors = _map([cells[i] for i in rest], slow)
        for j, i in enumerate(rest):
            out[i] = values[j]
        return out, {rest[j]: e for j, e in errors.items()}
    return out, {}


def _dates(
    cells: Sequence[object], kind: str, order: str
) -> tuple[list[Any], dict[int, CellError]]:
    """A date or timestamp column; workbook date cells pass straight through."""
    timestamps = kind == "datetime"
    out: list[Any] = [None] * len(cells)
    rest: list[int] = []
    for i, cell in enumerate(cells):
        cls = cell.__class__
        if cls is dt.datetime:
            out[i] = cell if timestamps else cell.date()  # type: ignore[attr-defined]
        elif cls is dt.date and not timestamps:
            out[i] = cell
        elif cell != "" and cell is not None:
            rest.append(i)
    if rest:
        reader = _reader(kind, kind, order, ())
        values, errors = _map([cells[i] for i in rest], reader)
        for j, i in enumerate(rest):
            out[i] = values[j]
        return out, {rest[j]: e for j, e in errors.items()}
    return out, {}


def _text(limit: int | None) -> Callable[[Any], Any]:
    def one(cell: Any) -> str | None:
        text = cell_text(cell)
        if limit is not None and len(text) > limit:
            raise CellError("too_long", f"longer than {limit} characters")
        return text or None

    return one


def _number_reader(
    kind: str, mark: str, known: dict[str, tuple[bool, str, bool] | None]
) -> Callable[[Any], Any]:
    low_high = _RANGES.get(kind)

    def one(cell: Any) -> Any:
        percent = False
        if isinstance(cell, bool):
            if kind == "metric":
                return 1.0 if cell else 0.0
            raise CellError("bad_number", f"{cell_text(cell)!r} is not a number")
        if isinstance(cell, int | float):
            value = float(cell)
        elif isinstance(cell, str):
            parts = known[cell] if cell in known else number_parts(cell)
            if parts is None:
                if kind == "metric":
                    try:
                        return 1.0 if parse_bool(cell) else 0.0
                    except CellError:
                        pass
                what = "an amount" if kind == "money" else "a number"
                raise CellError("bad_number", f"{cell.strip()!r} is not {what}")
            negative, body, percent = parts
            try:
                value = to_float(body, mark)
            except ValueError:
                raise CellError(
                    "bad_number",
                    f"{cell.strip()!r} does not fit this column's decimal mark {mark!r}",
                ) from None
            value = -value if negative else value
        else:
            raise CellError("bad_number", f"{cell_text(cell)!r} is not a number")
        if not finite(value):
            raise CellError("bad_number", f"{cell_text(cell)!r} is not a number")
        if kind in ("money", "count", "fraction") and value < 0:
            raise CellError("negative", f"{cell_text(cell)!r} is negative (must be 0 or more)")
        if kind == "fraction":
            if percent or 1 < value <= 100:
                value /= 100
            if value > 1:
                raise CellError("out_of_range", f"{cell_text(cell)!r} is not a fraction 0–1")
        elif percent and kind != "metric":
            value /= 100
        if low_high is not None:
            low, high, what = low_high
            if not value.is_integer() or not low <= value <= high:
                raise CellError("out_of_range", f"{cell_text(cell)!r} is not {what}")
            return int(value)
        return value

    return one


def _decimal_mark(
    cells: Sequence[object], default: str, parts: dict[str, tuple[bool, str, bool] | None]
) -> str:
    """The decimal mark of a column, from the values that prove one (majority wins).

    ``parts`` receives the split of every text with a separator, for the parse that follows.
    """
    votes = {".": 0, ",": 0}
    for cell in cells:
        if cell.__class__ is str and cell not in parts and ("," in cell or "." in cell):
            split = parts[cell] = number_parts(cell)
            if split is not None:
                mark = decimal_evidence(split[1])
                if mark:
                    votes[mark] += 1
    if votes["."] == votes[","]:
        return default
    return "." if votes["."] > votes[","] else ","


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
    plans: Sequence[str] = ("Starter", "Professional", "Enterprise"),
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
        if kind in _NUMBER_TYPES:
            values, errors = _numbers(cells, kind, default_mark)
        elif kind in _DATE_TYPES:
            values, errors = _dates(cells, kind, order)
        elif kind in ("text", "name") or (kind == "id"):
            values, errors = _texts(cells, _MAX_LENGTH.get(name), crm=name == "crm_id")
        else:
            values, errors = _map(cells, _reader(kind, name, order, plans))
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


def as_date(value: object) -> dt.date | None:
    """A parsed date or timestamp as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


__all__ += ["DMY", "as_date"]
