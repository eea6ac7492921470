"""What an import reports: row errors and the summary, as data (never printed here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from csdesk.changes import Changes
from csdesk.errors import CsdeskError

__all__ = [
    "ImportFileError",
    "ImportSummary",
    "KindOutcome",
    "Outcome",
    "RowError",
]


class ImportFileError(CsdeskError):
    """The file cannot be imported at all (unreadable, hostile, empty, no header row)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row of the file was rejected.

    Attributes:
        row: The spreadsheet row number (header = row 1 unless title rows sit above it).
        column: The header of the offending column, or None for a whole-row problem.
        code: A stable machine code (``bad_date``, ``bad_number``, ``negative``, ``unknown_value``,
            ``no_key``, ``no_name``, ``ambiguous``, ``unknown_account``, ``out_of_range``).
        detail: Human text naming the value and what was expected.
    """

    row: int
    column: str | None
    code: str
    detail: str

    @property
    def reason(self) -> str:
        """One line for the user: ``ARR: "abc" is not an amount``."""
        return f"{self.column}: {self.detail}" if self.column else self.detail


@dataclass(slots=True)
class ImportSummary:
    """The outcome of one import (or of its dry run).

    Attributes:
        file: The file's name.
        kind: What was imported (``accounts``, ``metrics``, …).
        created: Records created (accounts for an account import).
        updated: Records whose state changed.
        unchanged: Records the file named whose state did not change.
        rejected: The rejected rows, in row order.
        ignored_columns: Headers that were not imported (unknown or a second column for a field).
        skipped: Blank rows and report footers that were passed over.
        dry_run: True when nothing was written.
        account_ids: Accounts created or changed (their health was recomputed).
        outcome: What the kind's importer did, for the import service (None once it is used).
        changes: What the views should refresh, filled in by the import service (nothing for
            a dry run).
        header_row: Spreadsheet number of the header row.
        mapping: The mapping used: a saved mapping's name, a mapping file, or ``"detected"``.
        unknown_values: Header → value not in its column's list → rows holding it.
        warnings: What was read differently from the file: (row or None, message).
    """

    file: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    skipped: int = 0
    dry_run: bool = False
    account_ids: frozenset[int] = frozenset()
    outcome: KindOutcome | None = None
    changes: Changes = field(default_factory=Changes)
    header_row: int = 1
    mapping: str = "detected"
    unknown_values: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True if the import created or changed anything."""
        return bool(self.created or self.updated)

    def to_json(self) -> dict[str, Any]:
        """SPEC 5's ``import --json`` object."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"row": e.row, "reason": e.reason} for e in self.rejected],
            "ignored_columns": list(self.ignored_columns),
            "kind": self.kind,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "unknown_values": {c: dict(v) for c, v in self.unknown_values.items()},
            "warnings": [{"row": row, "message": message} for row, message in self.warnings],
        }

    def headline(self) -> str:
        """``3 created, 17 updated, 2 unchanged, 1 rejected`` (zero counts left out)."""
        parts = [
            f"{count} {label}"
            for count, label in (
                (self.created, "created"),
                (self.updated, "updated"),
                (self.unchanged, "unchanged"),
                (len(self.rejected), "rejected"),
            )
            if count
        ]
        return ", ".join(parts) if parts else "nothing to import"

    def describe(self) -> str:
        """Several lines for people: counts, then each rejected row and the ignored columns."""
        noun = "record" if self.kind != "accounts" else "account"
        prefix = "Dry run (nothing written): " if self.dry_run else ""
        lines = [f"{prefix}{self.file} ({self.kind}): {self.headline()}"]
        if self.created + self.updated + self.unchanged == 0 and not self.rejected:
            lines[0] = f"{prefix}{self.file} ({self.kind}): no {noun}s found"
        for error in self.rejected:
            lines.append(f"  row {error.row}: {error.reason}")
        for column, values in self.unknown_values.items():
            listed = ", ".join(
                f"{v!r} ×{n}" for v, n in sorted(values.items(), key=lambda i: (-i[1], i[0]))
            )
            lines.append(f"  unknown values in {column}: {listed} (translate them in a mapping)")
        for row, message in self.warnings:
            lines.append(f"  warning{f' row {row}' if row is not None else ''}: {message}")
        if self.ignored_columns:
            lines.append("  ignored columns: " + ", ".join(self.ignored_columns))
        if self.skipped:
            lines.append(f"  skipped {self.skipped} blank or footer rows")
        return "\n".join(lines)


class Outcome(NamedTuple):
    """A renewal outcome an import found: renewed or churned on a day, with the ARR around it."""

    account_id: int
    outcome: str
    on: dt.date
    arr_before: Decimal | None
    arr_after: Decimal | None
    source: str


@dataclass(slots=True)
class KindOutcome:
    """What importing one kind of record did, before it becomes an :class:`ImportSummary`.

    Attributes:
        created: Records created.
        updated: Records changed.
        unchanged: Records named by the file and left as they were.
        accounts: Accounts created or changed (their health is recomputed).
        metrics: Metric snapshots were written.
        roi: ROI inputs were written.
        prospects: Scorecards were written.
        skipped: Rows found blank while matching.
        outcomes: Renewal outcomes the file shows (won and lost renewals), for the import service
            to record.
        opportunities: Opportunities were written.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts: set[int] = field(default_factory=set)
    metrics: bool = False
    roi: bool = False
    prospects: bool = False
    skipped: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    opportunities: bool = False
