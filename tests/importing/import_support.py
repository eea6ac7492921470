"""Helpers for the import tests: writing workbooks, snapshotting a portfolio, counting writes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text

from csdesk.db import Portfolio
from csdesk.importing.summary import ImportSummary
from csdesk.models import Account
from csdesk.services.importer import import_file
from support import SAMPLES as SAMPLES  # the import tests take it from here

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

DATA_TABLES = (
    "accounts",
    "contacts",
    "metric_snapshots",
    "metric_latest",
    "tickets",
    "survey_responses",
    "prospect_scorecards",
    "roi_inputs",
    "health_snapshots",
    "tasks",
    "alerts",
    "activities",
    "saved_mappings",
)


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> Path:
    """A real workbook (openpyxl) with ``rows`` from A1; None leaves a cell empty."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MINIMAL_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Account Name</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>ARR</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="B2"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    ),
}


def write_parts(path: Path, parts: dict[str, str | bytes], **replace: str | bytes) -> Path:
    """A hand-made .xlsx from the minimal parts, with some parts replaced or added."""
    merged: dict[str, str | bytes] = {**MINIMAL_PARTS, **parts, **replace}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in merged.items():
            archive.writestr(name, data)
    return path


def snapshot(portfolio: Portfolio) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, for before/after comparisons."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with portfolio.read() as session:
        for table in DATA_TABLES:
            rows = session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            out[table] = [tuple(r) for r in rows]
    return out


@contextmanager
def count_writes(portfolio: Portfolio) -> Iterator[list[str]]:
    """Collect every INSERT/UPDATE/DELETE statement the engine runs inside the block."""
    seen: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            seen.append(statement)

    event.listen(portfolio.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(portfolio.engine, "before_cursor_execute", listener)


def run(portfolio: Portfolio, path: Path, **options: Any) -> ImportSummary:
    """``import_file`` with keyword defaults."""
    return import_file(portfolio, path, **options)


def accounts(portfolio: Portfolio, *columns: str) -> list[tuple[Any, ...]]:
    """The given account columns (typed) of every account, ordered by name."""
    query = select(*(getattr(Account, c) for c in columns)).order_by(Account.name)
    with portfolio.read() as session:
        return [tuple(r) for r in session.execute(query)]


def account(portfolio: Portfolio, name: str, *columns: str) -> tuple[Any, ...]:
    """Columns (typed) of the account named ``name``."""
    query = select(*(getattr(Account, c) for c in columns)).where(Account.name == name)
    with portfolio.read() as session:
        return tuple(session.execute(query).one())
