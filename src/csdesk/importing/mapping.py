"""Column mappings: the TOML mapping file, the header row, and which column feeds which field.

A mapping file (SPEC 3.1, 3.2) is ``kind = "accounts"``, an optional ``date_order = "DMY"``, an
optional ``system = "zendesk"`` (the system the file's ids come from, SPEC 3.3), a ``[columns]``
table of header → field and ``[values.<field or header>]`` tables that translate a column's values
(``"Strategic" = "enterprise"``); a saved mapping stores the same text. Fields are those of
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
    METRIC_KEYS,
    ROI_KEYS,
    field_type,
    fold_header,
    recognise,
    recognised_count,
)
from csdesk.importing.kinds import KindError, kind_candidates, source_of
from csdesk.importing.summary import ImportFileError
from csdesk.importing.values import cell_text, fold_value
from csdesk.scoring.ids import normalise_system
from csdesk.scoring.vocabulary import IMPORT_KINDS

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
    "opportunities": ("the close date or stage", ("close_date", "stage", "is_closed")),
    "events": ("the time of each event", ("occurred_at",)),
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
        values: Field → value as written in the file → value to read instead.
        system: The system the file's ids come from, or None to tell it from the file.
        source: Where the mapping came from, for messages (a file name or a saved mapping).
    """

    kind: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    system: str | None = None
    source: str = field(default="mapping", compare=False)

    def translate(self, name: str, header: str = "") -> dict[str, str]:
        """The value map of field ``name`` (or of its column ``header``), keyed by the folded
        value; empty when it has none."""
        table: dict[str, str] = {}
        for key in (name.removeprefix("metric:"), name, header):
            table.update(self.values.get(key, {}))
        if header:
            folded = fold_header(header)
            for key, values in self.values.items():
                if fold_header(key) == folded:
                    table.update(values)
        return {fold_value(k): v for k, v in table.items()}

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
        if kind is not None and kind not in IMPORT_KINDS:
            raise ImportFileError(
                f"{source}: unknown kind {kind!r} (one of {', '.join(IMPORT_KINDS)})"
            )
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
        kinds = (kind,) if kind else IMPORT_KINDS
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
        values = data.get("values", {})
        if not isinstance(values, dict) or not all(
            isinstance(t, dict) and all(isinstance(v, str) for v in t.values())
            for t in values.values()
        ):
            raise ImportFileError(
                f'{source}: [values.<field>] must be tables of "value in the file" = "value"'
            )
        maps = {str(f): {str(k): str(v) for k, v in t.items()} for f, t in values.items()}
        return cls(
            kind,
            columns,
            str(order).upper() if order else None,
            maps,
            normalise_system(system) if system else None,
            source,
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
        values = {name: dict(table) for name, table in self.values.items() if table}
        if values:
            data["values"] = values
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
        header_rows: Further header rows right under the header (question texts, ImportId
            objects, sub-labels), skipped as headers.
        source: The tool the records' own ids come from: the mapping's system, else told from
            the columns ("" when unknown).
        values: Field → folded value in the file → value to read instead (from the mapping).
        mapping: A saved mapping's name, a mapping file's name, or ``"detected"``.
        system: The system the file's ids come from when the mapping says so (SPEC 3.3).
    """

    header_index: int
    kind: str
    columns: tuple[Column, ...]
    fields: dict[str, int]
    header_rows: int = 0
    source: str = ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    mapping: str = "detected"

    @property
    def data_start(self) -> int:
        """Index of the first row below the header rows."""
        return self.header_index + 1 + self.header_rows

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

    A mapping finds its header by the columns it names, ``ignore`` included (SPEC 3.2): two of
    them, or one it maps to the account key.

    Raises:
        ImportFileError: no such row (the message names what was expected).
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [cell_text(c) for c in row]
        if mapping is not None:
            named = [t for t in (mapping.target(h) for h in headers if h) if t is not None]
            if len(named) >= 2 or set(named) & {"crm_id", "name"}:
                return index
        if recognised_count(headers, kind) >= 2:
            return index
    if mapping is not None:
        raise ImportFileError(
            f"no header row in the first 30 rows names the columns of {mapping.source} "
            f"(such as {', '.join(list(mapping.columns)[:3])})"
        )
    raise ImportFileError(
        "no header row found in the first 30 rows "
        "(expected columns such as Account ID, Account Name, ARR, Renewal Date)"
    )


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_SUB_LABELS = frozenset(
    {"response", "open-ended response", "open ended response", "other (please specify)"}
)


def _is_header_row(row: list[object], headers: list[str]) -> bool:
    """A row under the header that is more header (SPEC 3.2): Qualtrics' question texts or
    ``{"ImportId": …}`` objects, SurveyMonkey's sub-labels."""
    cells = [cell_text(c) for c in row]
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled:
        return False
    if any(c.startswith("{") and '"ImportId"' in c for _, c in filled):
        return True
    if any(c.casefold() in _SUB_LABELS for _, c in filled):
        return True
    same = sum(1 for i, c in filled if i < len(headers) and _alnum(c) == _alnum(headers[i]))
    return same >= 2 and same * 2 >= len(filled)


def _header_rows(rows: list[list[object]], header_index: int, headers: list[str]) -> int:
    count = 0
    while count < 3 and header_index + 1 + count < len(rows):
        if not _is_header_row(rows[header_index + 1 + count], headers):
            break
        count += 1
    return count


def _choose_kind(headers: list[str], mapping: ColumnMapping | None) -> str:
    """The kind of a file with no ``--kind`` (see :mod:`csdesk.importing.kinds`).

    Raises:
        KindError: several kinds fit, or none.
    """
    if mapping is not None and mapping.kind:
        return mapping.kind
    visible = [h for h in headers if not (mapping and mapping.target(h) == IGNORE)]
    candidates = kind_candidates(visible)
    if mapping is not None:
        mapped = {t for t in (mapping.target(h) for h in visible if h) if t}
        fits = [k for k in IMPORT_KINDS if all(field_type(k, f) for f in mapped)]
        narrowed = [k for k in candidates if k in fits]
        if narrowed:
            candidates = narrowed
        elif len(fits) == 1:
            candidates = fits
        elif "accounts" in fits and mapped - {"crm_id", "name", "as_of", "notes"}:
            candidates = ["accounts"]
    if len(candidates) != 1:
        raise KindError(tuple(candidates))
    return candidates[0]


def lay_out(rows: list[list[object]], kind: str | None, mapping: ColumnMapping | None) -> Layout:
    """Find the header row, the kind, and which column feeds which field.

    Raises:
        ImportFileError: no header row, or the kind's essential columns are missing.
    """
    header_index = find_header_row(rows, kind, mapping)
    headers = [cell_text(c) for c in rows[header_index]]
    if kind is None:
        kind = _choose_kind(headers, mapping)
    extra = _header_rows(rows, header_index, headers)
    # A question's text under a coded header (Qualtrics' "Q1") names the column too.
    texts = [[cell_text(c) for c in rows[header_index + 1 + k]] for k in range(extra)]
    columns: list[Column] = []
    fields: dict[str, int] = {}
    for index, header in enumerate(headers):
        target = mapping.target(header) if mapping and header else None
        status = "mapped"
        if target is None:
            target = recognise(header, kind) if header else None
            status = "recognised"
            for text in texts if header and target is None else ():
                if index < len(text) and text[index]:
                    target = recognise(text[index], kind)
                    if target is not None:
                        break
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
    return Layout(
        header_index,
        kind,
        tuple(columns),
        fields,
        header_rows=extra,
        source=(mapping.system if mapping and mapping.system else source_of(kind, headers)),
        values=(
            {name: mapping.translate(name, headers[i]) for name, i in fields.items()}
            if mapping
            else {}
        ),
        mapping=mapping.source if mapping else "detected",
        system=mapping.system if mapping else None,
    )


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
