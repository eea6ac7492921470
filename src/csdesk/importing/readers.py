"""Reading CSV/TSV/TXT and XLSX files into rows with their spreadsheet row numbers.

Workbooks are read with python-calamine (fast, Rust) after :func:`check_xlsx` has vetted the zip;
if calamine cannot read a workbook, openpyxl (read-only, values only) is tried. Both libraries are
imported lazily so the application starts fast.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from dataclasses import dataclass, field
from pathlib import Path

from csdesk.importing.sniff import decode_text, file_format, sniff_delimiter
from csdesk.importing.summary import ImportFileError
from csdesk.importing.xlsx_guard import check_xlsx

__all__ = ["Table", "list_sheets", "read_table"]

# Cells longer than this are not spreadsheet data (Excel itself stops at 32,767).
MAX_CELL_CHARS = 1 << 20
# Excel's own limit (column XFD); a wider table is not a spreadsheet export.
MAX_COLUMNS = 16_384
csv.field_size_limit(MAX_CELL_CHARS)


@dataclass(slots=True)
class Table:
    """The raw rows of one sheet or text file.

    Attributes:
        rows: Every row, cells as read (``str`` from text files; ``str``/``float``/``bool``/
            ``datetime`` from workbooks; "" for empty cells). ``rows[i]`` is spreadsheet row
            ``first_row + i``.
        first_row: The spreadsheet number of ``rows[0]``.
        source: ``"csv"`` or ``"xlsx"``.
        sheets: The workbook's sheet names (empty for text files).
        sheet: The sheet read, or None for text files.
        encoding: The text encoding (text files).
        delimiter: The field delimiter (text files).
        warnings: (row or None, message) about how the file was read (stray bytes, mixed
            encodings).
    """

    rows: list[list[object]]
    first_row: int = 1
    source: str = "csv"
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[tuple[int | None, str]] = field(default_factory=list)


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a file's rows after checking it is what its extension says and is safe to parse.

    Args:
        path: A ``.csv``, ``.tsv``, ``.txt`` or ``.xlsx`` file.
        sheet: The worksheet to read (default: the first); ignored for text files.

    Raises:
        ImportFileError: the file is missing, empty, hostile, damaged or not readable.
    """
    table = _read_xlsx(path, sheet) if file_format(path) == "xlsx" else _read_text(path)
    _check_limits(path, table)
    return table


def _longest_text(rows: list[list[object]]) -> int:
    """The length of the longest text cell, computed with C iterators only (no per-cell code)."""
    cells, kinds = itertools.tee(itertools.chain.from_iterable(rows))
    is_text = map(operator.is_, map(type, kinds), itertools.repeat(str))
    return max(map(len, itertools.compress(cells, is_text)), default=0)  # type: ignore[arg-type]


def _check_limits(path: Path, table: Table) -> None:
    """Refuse tables wider than a spreadsheet or with cells longer than 1 MiB characters."""
    too_wide = max(map(len, table.rows), default=0) > MAX_COLUMNS
    # The csv module enforces the cell limit on text files.
    too_long = table.source == "xlsx" and _longest_text(table.rows) > MAX_CELL_CHARS
    if not (too_wide or too_long):
        return
    for offset, row in enumerate(table.rows):
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                f"{path.name}: row {table.first_row + offset} has {len(row):,} columns; "
                f"a spreadsheet has at most {MAX_COLUMNS:,}"
            )
        if table.source == "xlsx":
            for value in row:
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise ImportFileError(
                        f"{path.name}: row {table.first_row + offset} has a cell of "
                        f"{len(value):,} characters; cells are limited to {MAX_CELL_CHARS:,}"
                    )


def _read_text(path: Path) -> Table:
    text, encoding, warnings = decode_text(path.read_bytes(), path.name)
    delimiter, skip = sniff_delimiter(text, path.suffix.lower())
    stream = io.StringIO(text, newline="")
    for _ in range(skip):
        stream.readline()
    try:
        rows: list[list[object]] = list(csv.reader(stream, delimiter=delimiter))  # type: ignore[arg-type]
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: cannot be read as a table ({exc})") from exc
    return Table(
        rows,
        first_row=1 + skip,
        source="csv",
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
    )


def _pick_sheet(path: Path, names: list[str], wanted: str | None) -> str:
    if not names:
        raise ImportFileError(f"{path.name}: the workbook has no sheets")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    folded = {n.strip().casefold(): n for n in names}
    if wanted.strip().casefold() in folded:
        return folded[wanted.strip().casefold()]
    raise ImportFileError(f"{path.name}: no sheet named {wanted!r} (sheets: {', '.join(names)})")


def list_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook (an empty list for text files).

    Raises:
        ImportFileError: the file is not a safe, readable workbook.
    """
    if file_format(path) != "xlsx":
        return []
    check_xlsx(path)
    try:
        from python_calamine import CalamineWorkbook

        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # calamine raises several unrelated types; openpyxl gets a second go
        return _openpyxl_names(path)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    check_xlsx(path)
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        name = _pick_sheet(path, names, sheet)
        data = book.get_sheet_by_name(name)
        start = data.start
        rows: list[list[object]] = data.to_python()  # type: ignore[assignment]
        first = start[0] + 1 if start else 1
        return Table(rows, first_row=first, source="xlsx", sheets=tuple(names), sheet=name)
    except ImportFileError:
        raise
    except Exception as exc:  # any calamine failure: openpyxl gets a second go
        return _read_openpyxl(path, sheet, exc)


def _openpyxl_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(f"{path.name}: cannot read the workbook ({exc})") from exc
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _read_openpyxl(path: Path, sheet: str | None, first_error: Exception) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(f"{path.name}: cannot read the workbook ({first_error})") from exc
    try:
        names = list(book.sheetnames)
        name = _pick_sheet(path, names, sheet)
        rows: list[list[object]] = []
        for values in book[name].iter_rows(values_only=True):
            rows.append(["" if v is None else v for v in values])
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"{path.name}: cannot read the workbook ({exc})") from exc
    finally:
        book.close()
    while rows and not any(v != "" for v in rows[-1]):
        rows.pop()
    return Table(rows, first_row=1, source="xlsx", sheets=tuple(names), sheet=name)
