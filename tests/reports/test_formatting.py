"""One formatting module: money, numbers, percentages and dates in the portfolio's locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from csdesk.reports import formatting as f
from csdesk.reports.formatting import DASH, Formats, formats_for
from csdesk.scoring.branding import Branding

NB = "\u00a0"


@pytest.mark.parametrize(
    ("currency", "locale", "amount", "shown"),
    [
        ("USD", "en_US", 48000, "$48,000"),
        ("GBP", "en_GB", 48000, "£48,000"),
        ("USD", "en_GB", 48000, "US$48,000"),
        ("EUR", "de_DE", -1234.5, f"-1.235{NB}€"),
        ("EUR", "fr_FR", 48000, f"48\u202f000{NB}€"),
        ("INR", "en_IN", 480000, "₹4,80,000"),
        ("CHF", "en_US", 48000, f"CHF{NB}48,000"),  # a letter symbol never touches the digits
        ("JPY", "ja_JP", 48000, "￥48,000"),
    ],
)
def test_money_follows_the_locale(currency: str, locale: str, amount: float, shown: str) -> None:
    assert Formats(currency, locale).money(amount) == shown


def test_rounding_is_half_up_on_the_number_as_written() -> None:
    usd = Formats()
    assert usd.number(0.835, 2) == "0.84"
    assert usd.number(2.675, 2) == "2.68"
    assert usd.number(Decimal("0.835"), 2) == "0.84"
    assert usd.money(1.005, cents=True) == "$1.01"
    assert usd.money(-0.4) == "$0"  # never "-$0"
    assert usd.percent(0.835, 1) == "83.5%"
    assert usd.multiple(3.255) == "3.26×"
    assert usd.months(1) == "1.0 month" and usd.months(3.66) == "3.7 months"


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), Decimal("NaN")])
def test_missing_figures_show_a_dash(value: object) -> None:
    usd = Formats()
    for shown in (usd.money(value), usd.number(value), usd.percent(value), usd.multiple(value)):  # type: ignore[arg-type]
        assert shown == DASH


def test_numbers_percentages_and_dates_in_german() -> None:
    de = Formats("EUR", "de_DE")
    assert de.number(1234567.835, 2) == "1.234.567,84"
    assert de.percent(0.5) == f"50{NB}%"
    assert de.multiple(2.5) == "2,50×"
    assert de.date(dt.date(2026, 3, 12)) == "12.03.2026"
    assert Formats("USD", "en_US").date(dt.date(2026, 3, 12)) == "Mar 12, 2026"
    assert Formats("GBP", "en_GB").date(dt.date(2026, 3, 12)) == "12 Mar 2026"


def test_excel_formats_put_the_symbol_on_the_locale_side() -> None:
    assert Formats().excel_money() == '"$"#,##0;("$"#,##0)'
    assert Formats("EUR", "de_DE").excel_money(cents=True) == ('#,##0.00" €";(#,##0.00" €")')


def test_the_functions_the_exports_call_keep_working() -> None:
    assert f.money(48000, "GBP") == "£48,000"
    assert f.money(1200.5, "EUR", cents=True) == "€1,200.50"
    assert f.money(48000, "EUR", locale="de_DE") == f"48.000{NB}€"
    assert f.number(1234.5, 1) == "1,234.5"
    assert f.percent(0.25) == "25%"
    assert f.currency_symbol("CHF") == "CHF "
    assert f.currency_symbol("EUR", "de_DE") == "€"
    assert f.date_text(dt.date(2026, 3, 12)) == "12 Mar 2026"
    assert f.date_text(dt.date(2026, 3, 12), locale="de_DE") == "12.03.2026"
    assert f.excel_money_format("GBP") == '"£"#,##0;("£"#,##0)'


def test_the_branding_decides_the_formats() -> None:
    assert formats_for(None) == Formats("USD", "en_US")
    uk = formats_for(Branding(currency="GBP", locale="en_GB"))
    assert uk == Formats("GBP", "en_GB") and uk.symbol == "£"
    assert Formats("usd", "zz_ZZ").locale == "en_US"  # an unknown tag falls back


def test_the_built_in_en_us_symbols_are_the_cldr_ones() -> None:
    from babel.numbers import get_currency_symbol

    from csdesk.reports.formatting import _EN_US_SYMBOLS

    for code, symbol in _EN_US_SYMBOLS.items():
        assert get_currency_symbol(code, locale="en_US") == symbol


def test_the_default_locale_formats_without_loading_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from csdesk.reports.formatting import Formats; "
        "f = Formats('GBP', 'en_US'); print(f.money(-48000.5, cents=True), f.percent(0.5)); "
        "print('babel' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["-£48,000.50 50%", "False"]


def test_compact_money_for_charts() -> None:
    usd, eur = Formats(), Formats("EUR", "de_DE")
    assert [usd.money_compact(v) for v in (950, 48000, 1_250_000, -2500, None)] == [
        "$950",
        "$48k",
        "$1.3M",
        "-$3k",
        DASH,
    ]
    assert eur.money_compact(1_250_000) == f"1,3M{NB}€"


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "en_IN", "de_CH", "ja_JP"])
def test_every_number_reads_back_as_the_half_up_rounded_value(locale: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from csdesk.reports.formatting import _layout

    layout = _layout("USD", Formats("USD", locale).locale)

    @settings(max_examples=200, deadline=None)
    @given(
        value=st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4),
        places=st.integers(0, 3),
    )
    def check(value: Decimal, places: int) -> None:
        shown = Formats("USD", locale).number(value, places)
        plain = shown.replace(layout.group, "").replace(layout.decimal, ".")
        expected = value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
        assert Decimal(plain) == expected
        assert not shown.startswith("-") or expected < 0

    check()


@pytest.mark.parametrize(
    ("locale", "letter"),
    [
        ("en_US", True),
        ("en_CA", True),
        ("fr_CA", True),
        ("es_MX", True),
        ("en_PH", True),
        ("es_CL", True),
        ("en", True),  # the language's likely territory: US
        ("de_DE", False),
        ("en_GB", False),
        ("en_IN", False),
        ("es", False),  # Spain
        ("ja_JP", False),
    ],
)
def test_letter_paper_by_territory(locale: str, letter: bool) -> None:
    assert f.letter_paper(locale) is letter


@pytest.mark.parametrize(
    ("locale", "code"),
    [
        ("en_US", "m/d/yyyy"),
        ("de_DE", "dd\\.mm\\.yyyy"),
        ("en_GB", "dd\\/mm\\/yyyy"),
        ("ja_JP", "yyyy\\/mm\\/dd"),
    ],
)
def test_excel_date_format_is_the_locales_numeric_order(locale: str, code: str) -> None:
    assert Formats("EUR", locale).excel_date() == code


def test_points_and_months_in_the_locale() -> None:
    de = Formats("EUR", "de_DE")
    assert de.points(97.25, 1) == "97,3\u00a0%"  # half-up, as every surface rounds
    assert Formats().points(97.25, 1) == "97.3%"
    assert de.month(dt.date(2026, 3, 1)) == "März 2026"
    assert Formats().month(dt.date(2026, 3, 1)) == "Mar 2026"


def test_excel_codes_carry_the_locale_for_readers_that_honour_it() -> None:
    de = Formats("EUR", "de_DE")
    assert de.excel_code("#,##0") == "[$-407]#,##0"
    assert de.excel_code(de.excel_money()) == '[$-407]#,##0" €";[$-407](#,##0" €")'
    assert de.excel_code("[$-407]0.0") == "[$-407]0.0"  # never twice
    assert de.excel_code("General") == "General"
    assert Formats().excel_code("#,##0") == "#,##0"  # en_US: as it was
    assert Formats("EUR", "fr_FR").excel_code("0") == "[$-40C]0"
