"""The rejected rows of an import as a CSV file the CSM can fix and import again.

The file has the source's own header row and cells, as read, for each rejected row, preceded by
two columns: ``Row`` (the row's number in the source spreadsheet) and ``Problem`` (why it was
rejected). Neither header is a known import column, so importing the fixed file again lists
them as ignored and reads the rest as before. The cells are read back from the source file with
the importing readers, so what is written is what the import saw; formula-like cells get a
leading apostrophe so that a spreadsheet program shows them as text instead of running them.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csdesk.errors import CsdeskError
from csdesk.importing.mapping import ColumnMapping, find_header_row
from csdesk.importing.readers import read_table
from csdesk.importing.summary import ImportSummary, RowError
from csdesk.importing.values import cell_text
from csdesk.reports.safe_text import csv_cell

__all__ = [
    "PROBLEM_HEADER",
    "ROW_HEADER",
    "RejectsTable",
    "rejects_table",
    "suggested_rejects_name",
    "write_rejects",
]

ROW_HEADER = "Row"
PROBLEM_HEADER = "Problem"


@dataclass(frozen=True, slots=True)
class RejectsTable:
    """The rejected rows with their source cells.

    Attributes:
        headers: ``Row``, ``Problem``, then the source's header row.
        rows: One list of cells per rejected row, in row order, shaped like ``headers``.
    """

    headers: list[str]
    rows: list[list[str]]


def _reasons(rejected: Sequence[RowError]) -> dict[int, str]:
    """Row number → its reasons joined (a row may be rejected at reading and at matching)."""
    grouped: dict[int, list[str]] = {}
    for error in rejected:
        reasons = grouped.setdefault(error.row, [])
        if error.reason not in reasons:
            reasons.append(error.reason)
    return {row: "; ".join(reasons) for row, reasons in sorted(grouped.items())}


def rejects_table(
    source: Path,
    rejected: Sequence[RowError],
    *,
    sheet: str | None = None,
    kind: str | None = None,
    mapping: ColumnMapping | None = None,
) -> RejectsTable:
    """Read the rejected rows' cells back from ``source``.

    Args:
        source: The imported file.
        rejected: The rejected rows (``ImportSummary.rejected``).
        sheet: The worksheet that was imported (workbooks).
        kind: The kind that was imported (finds the header row as the import did).
        mapping: The mapping the import used (likewise).

    Returns:
        The table. A row the file no longer has keeps its number and problem, with empty cells.

    Raises:
        ImportFileError: the source cannot be read any more.
    """
    table = read_table(Path(source), sheet)
    header_index = find_header_row(table.rows, kind, mapping)
    header = [cell_text(c) for c in table.rows[header_index]]
    width = len(header)
    data_rows = {table.first_row + i: row for i, row in enumerate(table.rows)}
    rows: list[list[str]] = []
    for number, reason in _reasons(rejected).items():
        raw = data_rows.get(number, []) if number > table.first_row + header_index else []
        cells = [cell_text(raw[i]) if i < len(raw) else "" for i in range(width)]
        rows.append([str(number), reason, *cells])
    return RejectsTable([ROW_HEADER, PROBLEM_HEADER, *header], rows)


def write_rejects(
    summary: ImportSummary,
    source: Path,
    target: Path,
    *,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
) -> int:
    """Write the rejected rows of an import to ``target`` as a UTF-8 CSV (with BOM, for Excel).

    Args:
        summary: The import's summary.
        source: The file that was imported.
        target: The CSV to write (replaced atomically if it exists).
        sheet: The worksheet that was imported (workbooks).
        mapping: The mapping the import used.

    Returns:
        How many rows were written.

    Raises:
        CsdeskError: nothing was rejected, the source cannot be read, or the target cannot be
            written.
    """
    if not summary.rejected:
        raise CsdeskError(f"{summary.file}: no row was rejected, so there is nothing to save")
    table = rejects_table(source, summary.rejected, sheet=sheet, kind=summary.kind, mapping=mapping)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in table.headers])
    writer.writerows([csv_cell(c) for c in row] for row in table.rows)
    target = Path(target)
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise CsdeskError(f"cannot write {target}: {reason}") from exc
    return len(table.rows)


def suggested_rejects_name(source: Path) -> str:
    """``accounts.csv`` → ``accounts-rejected.csv`` (the save dialog's proposal)."""
    return f"{Path(source).stem}-rejected.csv"
