"""Cell readers: money and numbers, decimal marks, dates and their order, booleans, enums, ids."""

from __future__ import annotations

import datetime as dt

import pytest

from csdesk.importing.dates import (
    DMY,
    MDY,
    decide_order,
    order_evidence,
    parse_date,
    parse_datetime,
)
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


def amount(text: str, mark: str = ".") -> float:
    parts = number_parts(text)
    assert parts is not None, text
    negative, body, _percent = parts
    value = to_float(body, mark)
    return -value if negative else value


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("30000", ".", 30000.0),
        ("$30,000.00", ".", 30000.0),
        ("30.000,00 €", ",", 30000.0),
        ("USD 30,000", ".", 30000.0),
        ("30,000 USD", ".", 30000.0),
        ("€ 1.234,5", ",", 1234.5),
        ("CHF 1'234.50", ".", 1234.5),
        ("1 234,50", ",", 1234.5),
        ("1\u00a0234,50 €", ",", 1234.5),
        ("(1,000)", ".", -1000.0),
        ("-$5", ".", -5.0),
        ("5-", ".", -5.0),
        ("0.925", ".", 0.925),
        ("1,00,000", ".", 100000.0),
        ("US$ 12", ".", 12.0),
    ],
)
def test_amounts_in_every_spec_format(text: str, mark: str, expected: float) -> None:
    assert amount(text, mark) == expected


@pytest.mark.parametrize("text", ["abc", "1e5", "XYZ 5", "12 apples", "--5", "$", "nan", "inf"])
def test_text_is_not_an_amount(text: str) -> None:
    assert number_parts(text) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("30,000.00", "."),
        ("30.000,00", ","),
        ("1,000,000", "."),
        ("1.000.000", ","),
        ("12,5", ","),
        ("12.50", "."),
        ("0,925", ","),
        ("80,000", None),
        ("0.925", "."),
        ("30000", None),
    ],
)
def test_decimal_evidence(body: str, expected: str | None) -> None:
    assert decimal_evidence(body) == expected


def test_a_value_that_contradicts_the_columns_mark_is_refused() -> None:
    with pytest.raises(ValueError):
        to_float("1,5", ".")
    with pytest.raises(ValueError):
        to_float("1.5.5", ".")
    assert to_float("80,000", ".") == 80000.0
    assert to_float("80,000", ",") == 80.0


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-04", MDY, dt.date(2026, 3, 4)),
        ("2026/03/04", MDY, dt.date(2026, 3, 4)),
        ("03/04/2026", MDY, dt.date(2026, 3, 4)),
        ("03/04/2026", DMY, dt.date(2026, 4, 3)),
        ("04.03.2026", MDY, dt.date(2026, 3, 4)),
        ("4.3.2026", DMY, dt.date(2026, 3, 4)),
        ("3/4/26", MDY, dt.date(2026, 3, 4)),
        ("04 Mar 2026", MDY, dt.date(2026, 3, 4)),
        ("March 4, 2026", MDY, dt.date(2026, 3, 4)),
        ("2026-03-04T10:30:00Z", MDY, dt.date(2026, 3, 4)),
        ("46085", MDY, dt.date(2026, 3, 4)),
    ],
)
def test_dates_in_each_format(text: str, order: str, expected: dt.date) -> None:
    assert parse_date(text, order) == expected


def test_excel_serials_and_date_cells() -> None:
    assert parse_date(46085.0) == dt.date(2026, 3, 4)
    assert parse_date(dt.datetime(2026, 3, 4, 10, 0)) == dt.date(2026, 3, 4)
    assert parse_datetime(46085.5) == dt.datetime(2026, 3, 4, 12, 0)
    assert parse_datetime("2026-10-15 01:11:00") == dt.datetime(2026, 10, 15, 1, 11)
    assert parse_datetime("10/15/2026 3:04 PM") == dt.datetime(2026, 10, 15, 15, 4)


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "tomorrow", "13/13/2026", ""])
def test_impossible_dates_are_errors(text: str) -> None:
    with pytest.raises(CellError) as info:
        parse_date(text, DMY)
    assert info.value.code == "bad_date"


def test_a_date_impossible_in_the_chosen_order_names_the_order() -> None:
    with pytest.raises(CellError, match="MDY"):
        parse_date("31/12/2026", MDY)


def test_day_month_order_is_decided_by_values_that_fit_one_order() -> None:
    assert order_evidence("31/12/2026") == DMY
    assert order_evidence("12/31/2026") == MDY
    assert order_evidence("01/02/2026") is None
    assert order_evidence("31.12.2026") is None
    assert decide_order(order_evidence(t) for t in ["01/02/2026", "13/02/2026"]) == DMY
    assert decide_order([order_evidence("01/02/2026")]) == MDY
    assert decide_order([DMY, MDY, MDY]) == MDY


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("No", False), ("TRUE", True), ("false", False), ("1", True), ("0", False),
     (True, True), (0.0, False)],
)  # fmt: skip
def test_booleans(text: object, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_a_non_boolean_is_an_error() -> None:
    with pytest.raises(CellError):
        parse_bool("maybe")


def test_enumerations_ignore_case_spaces_and_hyphens() -> None:
    segment = Enumeration("segment", ("small", "mid-market", "enterprise"))
    assert segment.parse("Mid Market") == "mid-market"
    assert segment.parse("MIDMARKET") == "mid-market"
    assert segment.parse(" mid_market ") == "mid-market"
    with pytest.raises(CellError, match="unknown segment 'medium'"):
        segment.parse("medium")


def test_hubspot_industry_codes_become_words() -> None:
    assert industry_label("FOOD_PRODUCTION") == "Food Production"
    assert industry_label("LOGISTICS_AND_SUPPLY_CHAIN") == "Logistics and Supply Chain"
    assert industry_label("RETAIL") == "Retail"
    assert industry_label("IT") == "IT"
    assert industry_label("FoodTech") == "FoodTech"


def test_numeric_ids_stay_as_written_and_salesforce_ids_widen() -> None:
    assert cell_text(9876543210.0) == "9876543210"
    assert cell_text(1.5) == "1.5"
    assert parse_crm_id(5550000000.0) == "5550000000"
    assert parse_crm_id("0016g00000Xy00Q") == "0016g00000Xy00QAAR"
    assert parse_crm_id("0016g00000Xy00QAAR") == "0016g00000Xy00QAAR"
    assert parse_crm_id("123456789012345") == "123456789012345"
    assert parse_crm_id("  ") is None
