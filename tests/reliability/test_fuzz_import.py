"""Fuzzing the import: value parsers, the text reader and whole imports of arbitrary cells.

Whatever a cell or a file holds, the only exceptions allowed out are the import's own:
``CellError`` from a cell parser (a rejected row) and ``ImportFileError`` from a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import digest, integrity

from csdesk.db import Portfolio, open_portfolio
from csdesk.importing.dates import DMY, MDY, order_evidence, parse_date, parse_datetime
from csdesk.importing.readers import read_table
from csdesk.importing.summary import ImportFileError
from csdesk.importing.values import (
    CellError,
    Enumeration,
    cell_text,
    decimal_evidence,
    industry_label,
    number_parts,
    parse_bool,
    parse_crm_id,
    to_float,
)
from csdesk.models import STATUSES
from csdesk.services.importer import import_file, preview_file

FAST = settings(max_examples=300, deadline=None)
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text that looks like what spreadsheets hold: amounts, dates, ids, words, and anything at all.
amounts = st.from_regex(
    r"\A[-+(−]?(USD |EUR |\$|€|£)?[0-9][0-9.,' \u00a0]{0,14}( ?%| ?€| EUR| USD|\))?-?\Z"
)
dates = st.from_regex(
    r"\A([0-9]{1,4}[-/. ][0-9]{1,2}[-/. ][0-9]{1,4}( [0-9]{1,2}:[0-9]{2}( ?[AP]M)?)?"
    r"|[0-9]{1,2} (Jan|feb|MARCH|Sept|Foo)\.? [0-9]{4}|[0-9]{5}(\.[0-9]+)?)\Z"
)
texts = st.one_of(amounts, dates, st.text(max_size=40), st.sampled_from(["", " ", "yes", "N/A"]))
cells = st.one_of(
    texts,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
    st.dates(),
)


@FAST
@given(cells, st.sampled_from([DMY, MDY]))
def test_date_parsers_return_a_date_or_reject_the_cell(value: object, order: str) -> None:
    for parse in (parse_date, parse_datetime):
        try:
            parsed = parse(value, order)
        except CellError as exc:
            assert exc.code == "bad_date" and str(exc)
        else:
            assert isinstance(parsed, dt.date)
    if isinstance(value, str):
        assert order_evidence(value) in (None, DMY, MDY)


@FAST
@given(cells)
def test_cell_readers_return_a_value_or_reject_the_cell(value: object) -> None:
    assert isinstance(cell_text(value), str)
    crm_id = parse_crm_id(value)
    assert crm_id is None or (isinstance(crm_id, str) and crm_id == crm_id.strip())
    for parse in (parse_bool, Enumeration("status", STATUSES).parse):
        try:
            parse(value)
        except CellError as exc:
            assert exc.code and str(exc)
    assert isinstance(industry_label(cell_text(value)), str)


@FAST
@given(texts)
def test_number_readers_never_fail_outside_their_contract(text: str) -> None:
    parts = number_parts(text)
    if parts is None:
        return
    negative, body, percent = parts
    assert isinstance(negative, bool) and isinstance(percent, bool)
    evidence = decimal_evidence(body)
    assert evidence in (None, ".", ",")
    for mark in (".", ","):
        try:
            value = to_float(body, mark)
        except ValueError:
            continue  # documented: the body does not fit that decimal mark
        assert isinstance(value, float) and not math.isnan(value)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".tsv", ".txt"]))
def test_the_text_reader_returns_a_table_or_refuses_the_file(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            table = read_table(path)
        except ImportFileError as exc:
            assert str(exc).startswith(path.name) and "\n" not in str(exc)
        else:
            assert all(isinstance(row, list) for row in table.rows)


HEADERS = [
    "Account ID",
    "Account Name",
    "Account Owner",
    "Status",
    "Segment",
    "Industry",
    "ARR",
    "Annual Revenue",
    "Tier",
    "Contract Start Date",
    "Contract End Date",
    "Pilot Discount",
    "Usage",
    "Usage Limit",
    "Logins (30d)",
    "Payments Current",
    "As Of",
    "Hourly Rate",
]
rows = st.lists(st.lists(texts, min_size=0, max_size=len(HEADERS) + 2), min_size=1, max_size=8)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])


def _csv_bytes(header: list[str], body: list[list[str]], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode(encoding, errors="replace")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10, unique=True),
    rows,
    encodings,
    st.sampled_from([",", ";", "\t"]),
)
def test_preview_of_any_table_reads_it_or_refuses_it(
    header: list[str], body: list[list[str]], encoding: str, delimiter: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(_csv_bytes(header, body, encoding, delimiter))
        try:
            preview = preview_file(path)
        except ImportFileError as exc:
            assert str(exc).startswith(path.name) and "\n" not in str(exc)
        else:
            assert preview is not None


@pytest.fixture(scope="module")
def fuzz_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portfolio]:
    portfolio = open_portfolio(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    yield portfolio
    portfolio.close()


@SLOW
@given(st.lists(st.sampled_from(HEADERS), min_size=2, max_size=12, unique=True), rows, encodings)
def test_importing_any_table_imports_rows_rejects_rows_or_refuses_the_file(
    fuzz_portfolio: Portfolio, header: list[str], body: list[list[str]], encoding: str
) -> None:
    path = fuzz_portfolio.path
    assert path is not None
    source = path.parent / "fuzz_input.csv"
    source.write_bytes(_csv_bytes(header, body, encoding, ","))
    before = digest(path)
    try:
        summary = import_file(fuzz_portfolio, source)
    except ImportFileError as exc:
        assert str(exc).startswith(source.name) and "\n" not in str(exc)
        assert digest(path) == before
    else:
        for rejected in summary.rejected:
            assert 2 <= rejected.row <= len(body) + 1
        assert summary.to_json()["created"] >= 0
    assert integrity(path) == "ok"
