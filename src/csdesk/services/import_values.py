"""The values of a file its columns do not know, with the values each column accepts.

The import wizard lists them (SPEC 3.2) so that one pass over a file translates all of its
unknown segments, statuses, tiers and priorities into a mapping's ``[values.<column>]`` tables.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from csdesk.db import Portfolio
from csdesk.importing.headers import field_type
from csdesk.importing.mapping import ColumnMapping
from csdesk.importing.pipeline import prepare
from csdesk.importing.readers import Table
from csdesk.models import PRIORITIES, SEGMENTS, STATUSES
from csdesk.scoring.vocabulary import OUTCOME_CELLS
from csdesk.services.importer import load_mapping, plan_names

__all__ = ["UnknownValue", "unknown_values"]


@dataclass(frozen=True, slots=True)
class UnknownValue:
    """A value of a column that is none of the values the column accepts.

    Attributes:
        header: The column's header.
        field: The field it feeds (``segment``, ``status``, ``tier``, ``priority``).
        value: The value as written in the file.
        rows: How many rows hold it.
        choices: The values the field accepts.
    """

    header: str
    field: str
    value: str
    rows: int
    choices: tuple[str, ...]


def unknown_values(
    path: Path,
    *,
    kind: str | None = None,
    mapping: str | ColumnMapping | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    portfolio: Portfolio | None = None,
    table: Table | None = None,
) -> list[UnknownValue]:
    """Every unknown value of the whole file, by column, most frequent first.

    ``table`` is the file already read (the import wizard's); it is then not read again.

    Raises:
        ImportFileError: the file cannot be imported at all.
    """
    plans = plan_names(portfolio)
    prepared = prepare(
        Path(path),
        kind=kind,
        mapping=load_mapping(portfolio, mapping),
        sheet=sheet,
        date_order=date_order,
        plans=plans,
        # A copy: a whole-file prepare lets its table's rows go, and the wizard keeps its own.
        table=copy.copy(table) if table is not None else None,
    )
    layout = prepared.layout
    field_of = {c.header: c.field for c in layout.columns if c.field}
    accepted = {
        "status": STATUSES,
        "segment": SEGMENTS,
        "tier": plans,
        "priority": PRIORITIES,
        "outcome": OUTCOME_CELLS,
    }
    out: list[UnknownValue] = []
    for header, counts in prepared.parsed.unknown.items():
        name = field_of.get(header) or ""
        choices = tuple(accepted.get(field_type(layout.kind, name) or "", ()))
        for value, rows in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            out.append(UnknownValue(header, name, value, rows, choices))
    return out
