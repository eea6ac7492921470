"""A preview of an import for the import wizard: sheets, kind, header row, columns, first rows."""

from __future__ import annotations

from dataclasses import dataclass

from csdesk.importing.kinds import likely_kind
from csdesk.importing.mapping import Column
from csdesk.importing.pipeline import Prepared
from csdesk.importing.values import cell_text

__all__ = ["ImportPreview", "PreviewRow", "build_preview"]


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One data row as the wizard shows it.

    Attributes:
        row: Spreadsheet row number.
        cells: Every cell as text, in column order.
        problems: Why the row would be rejected (empty when it is fine as far as the file goes;
            unknown accounts and ambiguous names show only in a dry run).
    """

    row: int
    cells: tuple[str, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import of a file would read.

    Attributes:
        file: The file's name.
        sheets: The workbook's sheets (empty for text files).
        sheet: The sheet read (None for text files).
        kind: The kind that will be imported (given, from the mapping, or detected).
        detected_kind: The kind the headers alone suggest.
        header_row: Spreadsheet number of the header row.
        columns: Every column with its field and status (recognised, mapped, unknown …).
        rows: The first data rows.
        date_order: The day/month order used (``DMY``/``MDY``).
        encoding: Text encoding (text files).
        delimiter: Field delimiter (text files).
    """

    file: str
    sheets: tuple[str, ...]
    sheet: str | None
    kind: str
    detected_kind: str
    header_row: int
    columns: tuple[Column, ...]
    rows: tuple[PreviewRow, ...]
    date_order: str
    encoding: str | None
    delimiter: str | None

    @property
    def recognised(self) -> list[Column]:
        """Columns that will be imported."""
        return [c for c in self.columns if c.field is not None]

    @property
    def unknown(self) -> list[Column]:
        """Columns that will be ignored."""
        return [c for c in self.columns if c.field is None and c.header]


def build_preview(prepared: Prepared) -> ImportPreview:
    """The preview of a prepared (and row-limited) file."""
    table, layout, parsed = prepared.table, prepared.layout, prepared.parsed
    headers = [cell_text(c) for c in table.rows[layout.header_index]]
    width = len(headers)
    rows: list[PreviewRow] = []
    for position, raw in enumerate(parsed.raw):
        cells = tuple(cell_text(raw[i]) if i < len(raw) else "" for i in range(width))
        problems = tuple(e.reason for e in parsed.errors.get(position, []))
        rows.append(PreviewRow(parsed.numbers[position], cells, problems))
    return ImportPreview(
        file=prepared.path.name,
        sheets=table.sheets,
        sheet=table.sheet,
        kind=layout.kind,
        detected_kind=likely_kind(headers),
        header_row=table.first_row + layout.header_index,
        columns=layout.columns,
        rows=tuple(rows),
        date_order=parsed.date_order,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
