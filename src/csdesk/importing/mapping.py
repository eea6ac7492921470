"""Column mappings: the TOML mapping file, the header row, and which column feeds which field.

A mapping file (SPEC 3.1) is ``kind = "accounts"``, an optional ``date_order = "DMY"``, an
optional ``system = "zendesk"`` (the system the file's ids come from, SPEC 3.3) and a
``[columns]`` table of header → field; a saved mapping stores the same text. Fields are those of
:data:`csdesk.importing.headers.KIND_FIELDS`, a metric key (``usage`` or ``metric:my_key``), an
ROI input (``hourly_rate`` or ``roi:hourly_rate``), or ``""``/``"ignore"`` to skip a column.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from csdesk.importing.headers import (
    KIND_FIELDS,
    KINDS,
    METRIC_KEYS,
    ROI_KEYS,
    detect_kind,
    field_type,
    fold_header,
    recognise,
    recognised_count,
)
from csdesk.importing.summary import ImportFileError
from csdesk.importing.values import cell_text
from csdesk.scoring.ids import normalise_system

__all__ = ["Column", "ColumnMapping", "Layout", "find_header_row", "lay_out"]

HEADER_SEARCH_ROWS = 30
IGNORE = ""
_REQUIRED = {
    "metrics": ("the metric values", ("value", "metric:*")),
    "contacts": (
        "the contact's name or email",
        ("contact_name", "first_name", "last_name", "email"),
    ),
    "tickets": ("the date the ticket was opened", ("opened_at",)),
    "surveys": ("an NPS or CSAT score", ("nps", "csat")),
}


def _normalise_field(target: str) -> str:
    target = target.strip()
    if target.casefold() in ("", "ignore", "-"):
        return IGNORE
    if target in METRIC_KEYS:
        return f"metric:{target}"
    if target in ROI_KEYS:
        return f"roi:{target}"
    return target


@dataclass(slots=True)
class ColumnMapping:
    """A user's column mapping (header → field), as stored in TOML.

    Attributes:
        kind: The kind of file it is for, or None to detect it.
        columns: Header as written in the file → field (``IGNORE`` skips the column).
        date_order: ``"DMY"``/``"MDY"`` to fix the day/month order, or None to decide per file.
        system: The system the file's ids come from, or None to tell it from the file.
    """

    kind: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    system: str | None = None

    @classmethod
    def from_toml(cls, text: str, source: str = "mapping") -> ColumnMapping:
        """Read and check a mapping file's text.

        Raises:
            ImportFileError: not TOML, an unknown kind or date order, or an unknown field.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ImportFileError(f"{source}: not a valid mapping file ({exc})") from exc
        kind = data.get("kind")
        if kind is not None and kind not in KINDS:
            raise ImportFileError(f"{source}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        order = data.get("date_order")
        if order is not None and str(order).upper() not in ("DMY", "MDY"):
            raise ImportFileError(f'{source}: date_order must be "DMY" or "MDY"')
        system = data.get("system")
        if system is not None and (not isinstance(system, str) or not normalise_system(system)):
            raise ImportFileError(f"{source}: system must name the system the ids come from")
        table = data.get("columns", {})
        if not isinstance(table, dict):
            raise ImportFileError(f"{source}: [columns] must be a table of header = field")
        columns: dict[str, str] = {}
        kinds = (kind,) if kind else KINDS
        for header, target in table.items():
            if not isinstance(target, str):
                raise ImportFileError(f"{source}: column {header!r} must map to a field name")
            name = _normalise_field(target)
            if name and not any(field_type(k, name) for k in kinds):
                raise ImportFileError(
                    f"{source}: unknown field {target!r} for column {header!r}"
                    + (f" in a {kind} import" if kind else "")
                )
            columns[str(header)] = name
        return cls(
            kind,
            columns,
            str(order).upper() if order else None,
            normalise_system(system) if system else None,
        )

    @classmethod
    def from_file(cls, path: Path) -> ColumnMapping:
        """Read a mapping file.

        Raises:
            ImportFileError: unreadable or invalid.
        """
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"{path.name}: cannot read the mapping file ({exc})") from exc
        return cls.from_toml(text, path.name)

    def to_toml(self) -> str:
        """The mapping as TOML text (what a saved mapping stores)."""
        data: dict[str, object] = {}
        if self.kind:
            data["kind"] = self.kind
        if self.date_order:
            data["date_order"] = self.date_order
        if self.system:
            data["system"] = self.system
        data["columns"] = dict(self.columns)
        return tomli_w.dumps(data)

    def target(self, header: str) -> str | None:
        """The field this mapping gives ``header`` (exact, then folded match), or None."""
        if header in self.columns:
            return self.columns[header]
        folded = fold_header(header)
        for name, target in self.columns.items():
            if fold_header(name) == folded:
                return target
        return None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the file and what becomes of it.

    Attributes:
        index: Position in the row (0-based).
        header: The header as written.
        field: The field it feeds, or None when ignored.
        status: ``recognised`` (built-in header), ``mapped`` (by the mapping), ``unknown``,
            ``duplicate`` (a second column for one field), ``unsupported`` (a field the kind
            does not take) or ``skipped`` (mapped to nothing, or an empty header).
    """

    index: int
    header: str
    field: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the data is and what each column means.

    Attributes:
        header_index: Index of the header row in ``Table.rows``.
        kind: The kind of import.
        columns: Every column of the header row.
        fields: Field → column index (the first column for a field wins).
        system: The system the file's ids come from when the mapping says so (SPEC 3.3).
    """

    header_index: int
    kind: str
    columns: tuple[Column, ...]
    fields: dict[str, int]
    system: str | None = None

    @property
    def ignored(self) -> list[str]:
        """Headers whose columns are not imported (unknown, second for a field, unsupported)."""
        return [
            c.header for c in self.columns if c.status in ("unknown", "duplicate", "unsupported")
        ]

    def header_of(self, name: str) -> str:
        """The header of the column feeding ``name``."""
        return self.columns[self.fields[name]].header


def find_header_row(
    rows: list[list[object]], kind: str | None, mapping: ColumnMapping | None
) -> int:
    """Index of the header: the first of the first 30 rows with two or more known columns.

    Raises:
        ImportFileError: no such row (the message names what was expected).
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [cell_text(c) for c in row]
        known = recognised_count(headers, kind)
        if mapping is not None:
            known += sum(1 for h in headers if h and mapping.target(h))
        if known >= 2:
            return index
    raise ImportFileError(
        "no header row found in the first 30 rows "
        "(expected columns such as Account ID, Account Name, ARR, Renewal Date)"
    )


def lay_out(rows: list[list[object]], kind: str | None, mapping: ColumnMapping | None) -> Layout:
    """Find the header row, the kind, and which column feeds which field.

    Raises:
        ImportFileError: no header row, or the kind's essential columns are missing.
    """
    header_index = find_header_row(rows, kind, mapping)
    headers = [cell_text(c) for c in rows[header_index]]
    if kind is None and mapping is not None:
        kind = mapping.kind
    if kind is None:
        mapped = {mapping.target(h) for h in headers if h} if mapping else set()
        kind = detect_kind(h for h in headers if not (mapping and mapping.target(h) == IGNORE))
        if kind == "accounts" and mapped & {"nps", "csat"}:
            kind = "surveys"
    columns: list[Column] = []
    fields: dict[str, int] = {}
    for index, header in enumerate(headers):
        target = mapping.target(header) if mapping and header else None
        status = "mapped"
        if target is None:
            target = recognise(header, kind) if header else None
            status = "recognised"
        if not header or target == IGNORE:
            columns.append(Column(index, header, None, "skipped"))
        elif target is None:
            columns.append(Column(index, header, None, "unknown"))
        elif field_type(kind, target) is None:
            columns.append(Column(index, header, None, "unsupported"))
        elif target in fields:
            columns.append(Column(index, header, None, "duplicate"))
        else:
            fields[target] = index
            columns.append(Column(index, header, target, status))
    _check_required(kind, fields)
    return Layout(header_index, kind, tuple(columns), fields, mapping.system if mapping else None)


def _check_required(kind: str, fields: dict[str, int]) -> None:
    if "crm_id" not in fields and "name" not in fields and "domain" not in fields:
        what = "account" if kind == "accounts" else "the account (or company)"
        raise ImportFileError(f"no column names {what}: expected an ID or a name column")
    if kind in _REQUIRED:
        what, options = _REQUIRED[kind]
        has_metric = any(f.startswith("metric:") for f in fields)
        if not any(o in fields or (o == "metric:*" and has_metric) for o in options):
            raise ImportFileError(f"a {kind} file needs a column with {what}")
    if kind == "metrics" and "value" in fields and "metric" not in fields:
        raise ImportFileError("a metrics file with a Value column needs a Metric column")
    if kind not in KIND_FIELDS:
        raise ImportFileError(f"unknown kind {kind!r}")
