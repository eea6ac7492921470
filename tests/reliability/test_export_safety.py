"""Data text stays data in every export: never a formula in a workbook, never markup in a PDF.

Demo accounts get nasty text (formula triggers, reportlab markup, XML breakers, bidi and
zero-width characters, a 10,000-character name) in every field that reaches an export; their
business cases (PDF and Excel), the portfolio workbook, a batch export and an import's
rejected-rows CSV are then checked cell by cell and line by line.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import insert, select, update

from csdesk.db import Portfolio, open_portfolio
from csdesk.models import Account, Contact, RoiLine, Task
from csdesk.reports.safe_text import clean_text, is_formula_like
from csdesk.scoring.catalog import fold_name
from csdesk.services.exporter import export_all, export_case_by_id, export_portfolio_workbook

TODAY = dt.date(2026, 11, 22)
LONG = "Very Long Account Name " * 435  # 10,005 characters
NASTY = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    '=HYPERLINK("http://example.invalid","click")',
    "<b>",
    "&amp;",
    "<para>",
    "</font>",
    "]]>",
    '<font color="red">red</font>',
    "AT&T <Retail>",
    "\u202eevil.exe\u202c",
    "Zero\u200bWidth\u200dJoin",
    LONG,
]
# Fields each account carries: field j of account k holds NASTY[(k + j) % len(NASTY)].
FIELDS = ("name", "owner", "industry", "country", "sponsor", "role", "roi_line", "task")
PAYLOAD_MARKERS = ("1+1", "cmd|", "calc", "-2+3", "SUM(A1)", "HYPERLINK", "example.invalid")


def nasty(k: int, field: str) -> str:
    """The nasty text account ``k`` holds in ``field``."""
    return NASTY[(k + FIELDS.index(field)) % len(NASTY)]


def shown(k: int) -> dict[str, str]:
    """What the exports show of account ``k``'s fields, as whole texts."""
    return {
        "title": f"Renewal business case — {nasty(k, 'name')}",
        "owner": nasty(k, "owner"),
        "industry": nasty(k, "industry"),
        "country": nasty(k, "country"),
        "sponsor": f"{nasty(k, 'sponsor')} ({nasty(k, 'role')})",
        "roi_line": nasty(k, "roi_line"),
        "task": nasty(k, "task"),
    }


@dataclass
class Exported:
    """The nasty portfolio and everything exported from it."""

    portfolio: Portfolio
    ids: list[int]
    pdfs: list[Path]
    workbooks: list[Path]
    portfolio_workbook: Path


def _make_nasty(portfolio: Portfolio) -> list[int]:
    with portfolio.write() as session:
        # Accounts that renew: churned accounts and prospects have no business case.
        query = select(Account.id).where(Account.status.in_(("active", "pilot")))
        ids = list(session.scalars(query.order_by(Account.id).limit(len(NASTY))))
        for k, account_id in enumerate(ids):
            name = nasty(k, "name")
            session.execute(
                update(Account)
                .where(Account.id == account_id)
                .values(
                    name=name,
                    name_key=fold_name(name),
                    owner=nasty(k, "owner"),
                    industry=nasty(k, "industry"),
                    country=nasty(k, "country"),
                )
            )
            session.execute(  # the nasty contact becomes the only executive sponsor
                update(Contact)
                .where(Contact.account_id == account_id)
                .values(executive_sponsor=False)
            )
            session.execute(
                insert(Contact).values(
                    account_id=account_id,
                    name=nasty(k, "sponsor"),
                    role=nasty(k, "role"),
                    executive_sponsor=True,
                )
            )
            session.execute(
                insert(RoiLine).values(
                    account_id=account_id, label=nasty(k, "roi_line"), amount=12_345, position=99
                )
            )
            session.execute(
                insert(Task).values(
                    account_id=account_id,
                    type="follow-up",
                    title=nasty(k, "task"),
                    due_on=TODAY + dt.timedelta(days=3),
                    status="open",
                )
            )
    return ids


@pytest.fixture(scope="module")
def exported(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    folder = tmp_path_factory.mktemp("nasty")
    path = folder / "nasty.db"
    shutil.copyfile(_demo_template, path)
    portfolio = open_portfolio(path)
    ids = _make_nasty(portfolio)
    pdfs, workbooks = [], []
    for k, account_id in enumerate(ids):
        pdf, xlsx = folder / f"case{k}.pdf", folder / f"case{k}.xlsx"
        export_case_by_id(portfolio, account_id, pdf=pdf, xlsx=xlsx, today=TODAY)
        pdfs.append(pdf)
        workbooks.append(xlsx)
    book = export_portfolio_workbook(portfolio, folder / "portfolio.xlsx", today=TODAY)
    yield Exported(portfolio, ids, pdfs, workbooks, book)
    portfolio.close()


def _cells(path: Path) -> list[Any]:
    book = load_workbook(path)  # formulas kept as formulas
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_text_cell(cells: list[Any], text: str, where: str) -> None:
    expected = clean_text(text)
    found = [c for c in cells if c.value == expected]
    assert found, f"{text[:40]!r} is missing from {where}"
    for cell in found:
        assert cell.data_type == "s", f"{cell.coordinate} of {where} is not a text cell"
        assert cell.quotePrefix == is_formula_like(expected), cell.coordinate


def _assert_no_data_formula(path: Path) -> None:
    """No formula anywhere carries data text, and every XML part is well-formed."""
    for cell in _cells(path):
        if cell.data_type == "f":
            assert not any(m in str(cell.value) for m in PAYLOAD_MARKERS), cell.coordinate
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                data = archive.read(name)
                ElementTree.fromstring(data)  # raises on broken XML
                for formula in re.findall(rb"<f[^>]*>(.*?)</f>", data, re.S):
                    assert not any(m.encode() in formula for m in PAYLOAD_MARKERS), name


@pytest.mark.parametrize("k", range(len(NASTY)))
def test_case_workbook_keeps_data_text_as_text(exported: Exported, k: int) -> None:
    path = exported.workbooks[k]
    _assert_no_data_formula(path)
    cells = _cells(path)
    for field, text in shown(k).items():
        _assert_text_cell(cells, text, f"case workbook {k} ({field})")
    ours = [c for c in cells if c.data_type == "f"]
    assert ours, "the ROI sheet keeps its live formulas"


def _pdf_text(path: Path) -> str:
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", text)


def _visible(text: str) -> str:
    """What a reader sees of ``text``: no spaces, no invisible format characters."""
    return re.sub(r"[\s\x00\u200b-\u200f\u202a-\u202e\u2060]+", "", text)


@pytest.mark.parametrize("k", range(len(NASTY)))
def test_case_pdf_prints_data_text_as_written(exported: Exported, k: int) -> None:
    reader = PdfReader(exported.pdfs[k])
    text = _visible(_pdf_text(exported.pdfs[k]))
    for field, value in {**shown(k), "title": nasty(k, "name")}.items():  # the name, on the cover
        visible = _visible(value)[:200]  # long text wraps; its start must print as written
        assert visible in text, f"{field} {value[:40]!r} does not print as written"
    name = nasty(k, "name")
    assert reader.metadata is not None and name[:60] in (reader.metadata.title or "")


def test_portfolio_workbook_keeps_every_name_as_text(exported: Exported) -> None:
    _assert_no_data_formula(exported.portfolio_workbook)
    cells = _cells(exported.portfolio_workbook)
    for k in range(len(NASTY)):
        _assert_text_cell(cells, nasty(k, "name"), "the portfolio workbook")
        _assert_text_cell(cells, nasty(k, "owner"), "the portfolio workbook")


def test_batch_export_writes_only_inside_its_folder(exported: Exported, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with exported.portfolio.write() as session:
        session.execute(
            update(Account)
            .where(Account.id.in_(exported.ids[:3]))
            .values(crm_id=None, name="../../escape/../x")
        )
    export_all(exported.portfolio, out, formats=("xlsx",))
    written = list(out.rglob("*"))
    assert written and all(p.parent == out for p in written)
    assert all(len(p.name.encode()) <= 255 for p in written)
    assert not (tmp_path / "escape").exists() and not list(tmp_path.glob("x*"))


def test_rejected_rows_csv_neutralises_formulas(tmp_path: Path) -> None:
    from csdesk.services.import_rejects import write_rejects
    from csdesk.services.importer import import_file

    source = tmp_path / "accounts.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Account Name", "ARR", "Contract Start Date"])
        for text in NASTY[:6]:
            out.writerow([text, "5", "not a date"])
    portfolio = open_portfolio(tmp_path / "p.db")
    summary = import_file(portfolio, source)
    portfolio.close()
    target = tmp_path / "rejected.csv"
    assert write_rejects(summary, source, target) == 6
    with target.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        for cell in row:
            assert not is_formula_like(cell) or re.fullmatch(r"-?\d+(\.\d+)?", cell), cell
    names = [row[2] for row in rows[1:]]
    assert names == ["'" + t if is_formula_like(t) else t for t in (x.strip() for x in NASTY[:6])]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-5", "-5"),
        ("+12.5", "+12.5"),
        ("-1,234.50", "-1,234.50"),
        ("AT&T <Retail>", "AT&T <Retail>"),
        (None, ""),
    ],
)
def test_csv_cells_are_text_or_plain_numbers(value: str | None, written: str) -> None:
    from csdesk.reports.safe_text import csv_cell

    assert csv_cell(value) == written
