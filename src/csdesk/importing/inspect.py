"""What the import wizard shows of a file before any mapping: sheets, kind, header row, columns.

The file is read once (:func:`inspect_file`, on the worker thread); choosing another kind lays
the same rows out again (:func:`inspect_table`) without reading the file a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csdesk.importing.headers import detect_kind, recognise
from csdesk.importing.pipeline import prepare
from csdesk.importing.preview import build_preview
from csdesk.importing.readers import Table, read_table
from csdesk.importing.summary import ImportFileError
from csdesk.importing.values import cell_text

__all__ = ["FileView", "inspect_file", "inspect_table"]

SAMPLE_ROWS = 20
SAMPLES_SHOWN = 3
HEADER_SEARCH_ROWS = 30
_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


@dataclass(frozen=True, slots=True)
class FileView:
    """What the wizard read of a file, for the source and mapping pages.

    Attributes:
        path: The file.
        sheets: Its worksheets (empty for text files).
        sheet: The worksheet read.
        detected_kind: The kind its headers suggest.
        header_row: Spreadsheet number of the header row.
        headers: The header of each column.
        auto: The field each column feeds without a mapping (None: unknown).
        samples: A few values of each column, as one line.
        problem: Why the file cannot be imported without a mapping (None when it can).
        encoding: Text encoding (text files).
        delimiter: Field delimiter (text files).
    """

    path: Path
    sheets: tuple[str, ...]
    sheet: str | None
    detected_kind: str
    header_row: int
    headers: list[str]
    auto: list[str | None]
    samples: list[str]
    problem: str | None
    encoding: str | None = None
    delimiter: str | None = None

    def describe(self) -> str:
        """One line about the file's format and layout."""
        parts = [f"{len(self.headers)} columns, headers on row {self.header_row}"]
        if self.encoding:
            names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
            delimiter = names.get(self.delimiter or "", repr(self.delimiter))
            encoding = _ENCODINGS.get(self.encoding.lower(), self.encoding)
            parts.append(f"{encoding} text, {delimiter}-separated")
        elif self.sheets:
            parts.append(f"{len(self.sheets)} sheet{'s' if len(self.sheets) > 1 else ''}")
        return " · ".join(parts)


def _samples(rows: list[tuple[str, ...]], width: int) -> list[str]:
    out = []
    for column in range(width):
        seen: list[str] = []
        for cells in rows:
            value = cells[column] if column < len(cells) else ""
            if value and value not in seen:
                seen.append(value)
            if len(seen) == SAMPLES_SHOWN:
                break
        out.append(" · ".join(seen))
    return out


def inspect_file(path: Path, sheet: str | None, kind: str | None) -> tuple[Table, FileView]:
    """Read a file once: its rows (to lay out again for another kind) and what they show.

    Raises:
        ImportFileError: the file cannot be read at all.
        OSError: the operating system refused to read it.
    """
    table = read_table(path, sheet)
    return table, inspect_table(path, table, kind)


def inspect_table(path: Path, table: Table, kind: str | None) -> FileView:
    """A read file's columns as the import would recognise them (no mapping, no reading).

    When the import could not lay the file out (too few known columns, no key column), the
    first non-empty row is taken as the header and ``problem`` says what is missing, so the
    user can map the columns.

    Raises:
        ImportFileError: the file holds no data.
    """
    try:
        preview = build_preview(prepare(path, kind=kind, table=table, limit=SAMPLE_ROWS))
    except ImportFileError as exc:
        rows = table.rows[:HEADER_SEARCH_ROWS]
        index = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), None)
        if index is None:
            raise
        headers = [cell_text(c) for c in table.rows[index]]
        kind = kind or detect_kind(headers)
        data = [tuple(cell_text(c) for c in r) for r in table.rows[index + 1 : index + SAMPLE_ROWS]]
        return FileView(
            path=path,
            sheets=table.sheets,
            sheet=table.sheet,
            detected_kind=detect_kind(headers),
            header_row=table.first_row + index,
            headers=headers,
            auto=[recognise(h, kind) if h else None for h in headers],
            samples=_samples(data, len(headers)),
            problem=str(exc),
            encoding=table.encoding,
            delimiter=table.delimiter,
        )
    return FileView(
        path=path,
        sheets=preview.sheets,
        sheet=preview.sheet,
        detected_kind=preview.detected_kind,
        header_row=preview.header_row,
        headers=[c.header for c in preview.columns],
        auto=[c.field for c in preview.columns],
        samples=_samples([r.cells for r in preview.rows], len(preview.columns)),
        problem=None,
        encoding=preview.encoding,
        delimiter=preview.delimiter,
    )
