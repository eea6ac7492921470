"""Reading whole columns: texts, numbers and dates into values plus per-row errors.

Repeated texts are parsed once (a column of texts is parsed per distinct value and looked up
in C); workbook numbers and dates that need no check pass straight through; the decimal mark of
a number column is decided from all its values first (SPEC 3.1).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from csdesk.importing.values import (
    CellError,
    cell_text,
    decimal_evidence,
    finite,
    number_parts,
    parse_bool,
    to_amount,
    to_float,
)
from csdesk.scoring.ids import normalise_crm_id
from csdesk.scoring.rounding import money, to_decimal

__all__ = [
    "NUMBER_TYPES",
    "map_cells",
    "read_dates",
    "read_numbers",
    "read_texts",
    "read_timestamps",
]

NUMBER_TYPES = ("money", "count", "metric", "fraction", "score", "nps", "csat")
_RANGES = {"score": (1, 5, "a whole number 1–5"), "nps": (0, 10, "a whole number 0–10"),
           "csat": (1, 5, "a whole number 1–5")}  # fmt: skip
_MISSING = object()
_TEXT_TYPES = frozenset({str, type(None)})


def _map_texts(
    cells: Sequence[object], one: Callable[[Any], Any], distinct: Iterable[object] | None = None
) -> tuple[list[Any], dict[int, CellError]]:
    """``_map`` for a column of texts: each distinct text parsed once, then looked up in C.

    ``distinct`` is the column's distinct cells when the caller has them already.
    """
    value_of: dict[object, Any] = {}
    bad: dict[object, CellError] = {}
    for text in set(cells) if distinct is None else distinct:
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


def map_cells(
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


def read_texts(
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


def read_numbers(
    cells: Sequence[object], kind: str, default_mark: str
) -> tuple[list[Any], dict[int, CellError]]:
    """A number column; workbook numbers that need no check pass straight through."""
    parts: dict[str, tuple[bool, str, bool] | None] = {}
    types = set(map(type, cells))
    if str not in types:
        mark = default_mark
    else:
        counts = Counter(cells)  # each distinct cell and how often it occurs
        mark = _decimal_mark(counts, default_mark, parts)
        if types <= _TEXT_TYPES:  # a CSV column: parsed once per distinct text
            return _map_texts(cells, _number_reader(kind, mark, parts), counts)
    slow = _number_reader(kind, mark, parts)
    if kind not in ("money", "count", "metric") or float not in types:
        return map_cells(cells, slow)
    signed = kind == "metric"
    exact = kind == "money"
    out: list[Any] = [None] * len(cells)
    rest: list[int] = []
    amounts: dict[float, Any] = {}  # an export repeats its amounts: each is made exact once
    for i, cell in enumerate(cells):
        if cell.__class__ is float and (signed or cell >= 0) and cell - cell == 0.0:
            if exact:
                amount = amounts.get(cell)
                out[i] = amounts.setdefault(cell, money(cell)) if amount is None else amount
            else:
                out[i] = cell
        elif cell != "" and cell is not None:
            rest.append(i)
    return _fill_rest(cells, out, rest, slow)


def _fill_rest(
    cells: Sequence[object], out: list[Any], rest: list[int], reader: Callable[[Any], Any]
) -> tuple[list[Any], dict[int, CellError]]:
    """Parse the cells at ``rest`` (those not already typed) into ``out``; errors by position."""
    if not rest:
        return out, {}
    values, errors = map_cells([cells[i] for i in rest], reader)
    for j, i in enumerate(rest):
        out[i] = values[j]
    return out, {rest[j]: e for j, e in errors.items()}


def read_dates(
    cells: Sequence[object], kind: str, reader: Callable[[Any], Any]
) -> tuple[list[Any], dict[int, CellError]]:
    """A date or timestamp column; workbook date cells pass straight through."""
    if set(map(type, cells)) <= _TEXT_TYPES:  # a CSV column: parsed once per distinct text
        return _map_texts(cells, reader)
    timestamps = kind in ("datetime", "timestamp")
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
    return _fill_rest(cells, out, rest, reader)


_UNIX = dt.datetime(1970, 1, 1)


def read_timestamps(
    cells: Sequence[object], reader: Callable[[Any], Any]
) -> tuple[list[Any], dict[int, CellError]]:
    """An event-time column: Unix seconds read in one pass, anything else by ``reader``."""
    out: list[Any] = [None] * len(cells)
    rest: list[int] = []
    delta = dt.timedelta
    for i, cell in enumerate(cells):
        if cell.__class__ is str and len(cell) == 10 and cell.isdigit():  # type: ignore[attr-defined, unused-ignore]
            out[i] = _UNIX + delta(seconds=int(cell))  # type: ignore[call-overload, unused-ignore]
        elif cell.__class__ is dt.datetime:
            out[i] = cell
        elif cell != "" and cell is not None:
            rest.append(i)
    return _fill_rest(cells, out, rest, reader)


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
        value: Any
        if isinstance(cell, int | float):
            value = to_decimal(cell) if kind == "money" else float(cell)
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
                value = to_amount(body, mark) if kind == "money" else to_float(body, mark)
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
        return money(value) if kind == "money" else value

    return one


def _decimal_mark(
    counts: Counter[object], default: str, parts: dict[str, tuple[bool, str, bool] | None]
) -> str:
    """The decimal mark of a column (its cells counted), from the values that prove one
    (majority wins).

    ``parts`` receives the split of every text with a separator, for the parse that follows.
    """
    votes = {".": 0, ",": 0}
    # Each distinct text is split once and votes as often as it occurs.
    for cell, times in counts.items():
        if cell.__class__ is str and ("," in cell or "." in cell):
            split = parts[cell] = number_parts(cell)
            if split is not None:
                mark = decimal_evidence(split[1])
                if mark:
                    votes[mark] += times
    if votes["."] == votes[","]:
        return default
    return "." if votes["."] > votes[","] else ","
