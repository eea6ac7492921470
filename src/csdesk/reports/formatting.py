"""How figures read everywhere: money, numbers, percentages and dates in the portfolio's locale.

One module for the window, the CLI and every export. A :class:`Formats` holds one currency and
one locale (the portfolio's branding) and formats with the locale's CLDR patterns through Babel:
``$48,000`` for en_US, ``£48,000`` for en_GB, ``48.000 €`` for de_DE, ``₹4,80,000`` for en_IN.
Every figure is rounded half-up first (:mod:`csdesk.scoring.rounding`), so Babel never rounds and
each surface shows the same digits.

The module-level functions (``money``, ``number`` …) keep the signatures the exports call; they
format in ``en_US`` unless given a locale. ``date_text`` without a locale keeps the unambiguous
``12 Mar 2026``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from csdesk.scoring.rounding import to_decimal

if TYPE_CHECKING:
    from csdesk.scoring.branding import Branding

__all__ = [
    "DASH",
    "Formats",
    "currency_symbol",
    "date_text",
    "excel_money_format",
    "formats_for",
    "formats_of",
    "letter_paper",
    "money",
    "months",
    "multiple",
    "number",
    "percent",
]

DASH = "—"
"""What every surface shows for a figure that does not exist."""
NBSP = "\u00a0"
DEFAULT_LOCALE = "en_US"

Num = float | int | Decimal | None


def _rounded(value: Num, places: int) -> Decimal | None:
    """The value rounded half-up at ``places``; None for None, NaN and infinities."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    decimal = to_decimal(value)
    if not decimal.is_finite():
        return None
    shown = decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(shown) if shown == 0 else shown  # never "-0"


@functools.lru_cache(maxsize=64)
def _locale(tag: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((tag or DEFAULT_LOCALE).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


def _affixes(pattern: str) -> tuple[str, str]:
    """The literal text before and after the digits of a CLDR pattern's positive part."""
    positive = pattern.split(";")[0]
    digits = [i for i, ch in enumerate(positive) if ch in "#0,."]
    if not digits:
        return "", positive
    return positive[: digits[0]], positive[digits[-1] + 1 :]


@dataclass(frozen=True, slots=True)
class _Layout:
    """How one locale writes one currency's amounts, numbers and percentages.

    Worked out once per (currency, locale) from the CLDR through Babel; the digits themselves
    are then written here, about five times faster than Babel's own formatter.
    """

    money_before: str
    money_after: str
    group: str
    decimal: str
    primary: int
    secondary: int
    percent_before: str
    percent_after: str


_EN_US_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "CHF": "CHF",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "CNY": "CN¥",
    "BRL": "R$",
    "MXN": "MX$",
    "HKD": "HK$",
}
"""CLDR's en_US symbols of common currencies, so the default locale needs no Babel at start-up
(a test checks them against Babel's)."""


def _spaced_before(symbol: str) -> str:
    # CLDR's currency spacing: a symbol ending in a letter does not touch the digits.
    return symbol + NBSP if symbol and symbol[-1].isalpha() else symbol


def _spaced_after(symbol: str) -> str:
    return NBSP + symbol if symbol and symbol[0].isalpha() else symbol


@functools.lru_cache(maxsize=64)
def _layout(currency: str, tag: str) -> _Layout:
    if tag == DEFAULT_LOCALE and currency in _EN_US_SYMBOLS:
        before = _spaced_before(_EN_US_SYMBOLS[currency])
        return _Layout(before, "", ",", ".", 3, 3, "", "%")
    from babel.numbers import get_currency_symbol, parse_pattern

    locale = _locale(tag)
    symbols = locale.number_symbols["latn"]
    symbol = str(get_currency_symbol(currency, locale=locale))
    prefix, suffix = _affixes(locale.currency_formats["standard"].pattern)
    if "¤" in prefix:
        before, after = _spaced_before(prefix.replace("¤", symbol)), ""
    else:
        before, after = "", _spaced_after(suffix.replace("¤", symbol))
    primary, secondary = parse_pattern(locale.decimal_formats[None].pattern).grouping
    p_before, p_after = _affixes(locale.percent_formats[None].pattern)
    sign = symbols["percentSign"]
    return _Layout(
        before,
        after,
        symbols["group"],
        symbols["decimal"],
        primary,
        secondary,
        p_before.replace("%", sign),
        p_after.replace("%", sign),
    )


def _grouped(digits: str, layout: _Layout) -> str:
    if len(digits) <= layout.primary:
        return digits
    head, tail = digits[: -layout.primary], digits[-layout.primary :]
    parts = [tail]
    step = layout.secondary or layout.primary
    while head:
        parts.append(head[-step:])
        head = head[:-step]
    return layout.group.join(reversed(parts))


def _digits(value: Decimal, places: int, layout: _Layout) -> str:
    """A non-negative, already rounded value with the layout's separators."""
    text = f"{value:f}"
    whole, _, fraction = text.partition(".")
    shown = _grouped(whole, layout)
    return f"{shown}{layout.decimal}{fraction.ljust(places, '0')}" if places else shown


class Formats:
    """Money, numbers, percentages and dates in one currency and one locale.

    Args:
        currency: ISO 4217 code (unknown codes print as the code itself).
        locale: POSIX-style tag such as ``en_US`` or ``de_DE`` (unknown tags fall back to en_US).
    """

    __slots__ = ("currency", "locale")

    def __init__(self, currency: str = "USD", locale: str = DEFAULT_LOCALE) -> None:
        self.currency = (currency or "USD").strip().upper() or "USD"
        tag = (locale or DEFAULT_LOCALE).strip().replace("-", "_")
        # The default locale is known without loading Babel (a fast start-up).
        self.locale = tag if tag == DEFAULT_LOCALE else str(_locale(tag))

    @property
    def _layout(self) -> _Layout:
        return _layout(self.currency, self.locale)

    def __repr__(self) -> str:
        return f"Formats({self.currency!r}, {self.locale!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formats) and (self.currency, self.locale) == (
            other.currency,
            other.locale,
        )

    def __hash__(self) -> int:
        return hash((self.currency, self.locale))

    @property
    def symbol(self) -> str:
        """The currency's symbol in this locale (``$``, ``£``, ``CHF``, ``US$`` in en_GB)."""
        layout = self._layout
        return (layout.money_before or layout.money_after).strip(NBSP + " ")

    def number(self, value: Num, places: int = 0) -> str:
        """``1,234.5`` (en_US) or ``1.234,5`` (de_DE) at ``places`` decimals; a dash for None."""
        shown = _rounded(value, places)
        if shown is None:
            return DASH
        return ("-" if shown < 0 else "") + _digits(abs(shown), places, self._layout)

    def money(self, value: Num, *, cents: bool = False) -> str:
        """``$48,000``, ``-$1,200`` or ``48.000 €`` (``cents``: two decimals); a dash for None."""
        places = 2 if cents else 0
        shown = _rounded(value, places)
        if shown is None:
            return DASH
        layout = self._layout
        sign = "-" if shown < 0 else ""
        return (
            f"{sign}{layout.money_before}{_digits(abs(shown), places, layout)}{layout.money_after}"
        )

    def money_compact(self, value: Num) -> str:
        """A chart label: ``$48k``, ``$1.2M``, ``48k €``, ``$950``; a dash for None."""
        shown = _rounded(value, 0)
        if shown is None:
            return DASH
        size = abs(shown)
        if size >= 1_000_000:
            body, unit = self.number(size / 1_000_000, 1), "M"
        elif size >= 1000:
            body, unit = self.number(size / 1000, 0), "k"
        else:
            body, unit = self.number(size, 0), ""
        layout = self._layout
        sign = "-" if shown < 0 else ""
        return f"{sign}{layout.money_before}{body}{unit}{layout.money_after}"

    def percent(self, fraction: Num, places: int = 0) -> str:
        """A fraction (0.85) as ``85%`` (``85 %`` in de_DE); a dash for None."""
        if fraction is None or isinstance(fraction, bool):
            return DASH
        if isinstance(fraction, float) and not math.isfinite(fraction):
            return DASH
        return self.points(to_decimal(fraction) * 100, places)

    def multiple(self, value: Num) -> str:
        """An ROI multiple as ``3.25×``; a dash for None."""
        shown = self.number(value, 2)
        return shown if shown == DASH else f"{shown}×"

    def months(self, value: Num) -> str:
        """A payback period as ``3.7 months``; a dash for None."""
        shown = _rounded(value, 1)
        if shown is None:
            return DASH
        return f"{self.number(shown, 1)} month" + ("" if shown == 1 else "s")

    def points(self, value: Num, places: int = 0) -> str:
        """A percentage already in points (97.25) as ``97.3%`` (``97,3 %`` in de_DE)."""
        shown = _rounded(value, places)
        if shown is None:
            return DASH
        layout = self._layout
        body = _digits(abs(shown), places, layout)
        sign = "-" if shown < 0 else ""
        return f"{sign}{layout.percent_before}{body}{layout.percent_after}"

    def month(self, value: dt.date | None) -> str:
        """A month of a series: ``Mar 2026`` (en_US), ``März 2026`` (de_DE); a dash for None."""
        if value is None:
            return DASH
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMM", value, locale=_locale(self.locale)))

    def date(self, value: dt.date | None) -> str:
        """A date in the locale's medium form: ``Mar 12, 2026``, ``12 Mar 2026``, ``12.03.2026``."""
        if value is None:
            return DASH
        from babel.dates import format_date

        return str(format_date(value, "medium", locale=_locale(self.locale)))

    def excel_date(self) -> str:
        """An Excel number format for dates in the locale's numeric order, four-digit years.

        Built from the locale's short CLDR pattern with numeric months, so no month name needs
        the reader's language: ``m/d/yyyy`` (en_US), ``dd.mm.yyyy`` (de_DE), ``dd/mm/yyyy``
        (en_GB). Literal separators are escaped so Excel does not swap in its own.
        """
        return _excel_date(self.locale)

    def excel_code(self, code: str) -> str:
        """An Excel (or chart) number format marked with this locale: ``[$-407]#,##0``.

        The number stays a number; LibreOffice then writes it with the locale's separators
        and month names, Excel with its month names (its separators are the reader's own
        settings). en_US and locales without a Windows LCID keep the code as it is.
        """
        prefix = _lcid_prefix(self.locale)
        if not prefix or not code or code == "General" or code.startswith("[$-"):
            return code
        return ";".join(prefix + section for section in code.split(";"))

    def excel_money(self, *, cents: bool = False) -> str:
        """An Excel number format for amounts, the symbol placed as the locale does.

        Excel shows its own separators; the format fixes the symbol, its side and the
        parentheses for negatives: ``"$"#,##0;("$"#,##0)``, ``#,##0" €";(#,##0" €")``.
        """
        before, after = self._layout.money_before, self._layout.money_after
        body = "#,##0.00" if cents else "#,##0"
        quoted = body
        if before:
            quoted = '"' + before.replace('"', "").replace(NBSP, " ") + '"' + body
        if after:
            quoted = body + '"' + after.replace('"', "").replace(NBSP, " ") + '"'
        return f"{quoted};({quoted})"


@functools.lru_cache(maxsize=64)
def _lcid_prefix(tag: str) -> str:
    """``[$-407]`` for de_DE: the Windows LCID of a locale (from the standard library's table)."""
    if tag == DEFAULT_LOCALE:
        return ""
    import locale as stdlib_locale

    for lcid, name in sorted(stdlib_locale.windows_locale.items()):
        if name == tag:
            return f"[$-{lcid:X}]"
    return ""


@functools.lru_cache(maxsize=64)
def _excel_date(tag: str) -> str:
    if tag == DEFAULT_LOCALE:
        return "m/d/yyyy"
    pattern = _locale(tag).date_formats["short"].pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        run = 1
        while i + run < len(pattern) and pattern[i + run] == ch:
            run += 1
        if ch == "'":  # a quoted literal ('' is a quote)
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.extend("\\" + c for c in pattern[i + 1 : end])
            i = end + 1
            continue
        if ch == "y":
            out.append("yyyy")  # never a two-digit year in a business case
        elif ch in "ML":
            out.append("mm" if run >= 2 else "m")
        elif ch == "d":
            out.append("dd" if run >= 2 else "d")
        elif ch.isalpha():  # eras, weekdays: not in a short numeric date
            pass
        else:
            out.extend(c if c == " " else "\\" + c for c in pattern[i : i + run])
        i += run
    return "".join(out).strip() or "yyyy-mm-dd"


@functools.lru_cache(maxsize=64)
def _formats(currency: str, locale: str) -> Formats:
    return Formats(currency, locale)


_LETTER_TERRITORIES = frozenset(
    ("BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE")
)
"""Where paper is US Letter: CLDR's supplemental ``paperSize`` data (Babel does not carry it)."""


def letter_paper(locale: str) -> bool:
    """True when the locale's territory prints on US Letter, False for A4 (everywhere else).

    A tag without a territory (``en``, ``es``) takes the language's likely territory from
    CLDR (``en`` → US, ``es`` → ES).
    """
    tag = (locale or DEFAULT_LOCALE).strip().replace("-", "_")
    if tag == DEFAULT_LOCALE:
        return True
    territory = _locale(tag).territory
    if territory is None:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(tag.split("_")[0], "")
        territory = likely.split("_")[-1] if likely else None
    return territory in _LETTER_TERRITORIES


def formats_of(currency: str, locale: str) -> Formats:
    """The (shared) formats of one currency and locale."""
    return _formats(currency, locale)


def formats_for(branding: Branding | None) -> Formats:
    """The formats of a portfolio's branding (en_US dollars without one)."""
    if branding is None:
        return _formats("USD", DEFAULT_LOCALE)
    return _formats(branding.currency, branding.locale)


def currency_symbol(code: str, locale: str = DEFAULT_LOCALE) -> str:
    """Return the text shown before amounts in a currency (``$``, ``€``, ``CHF ``)."""
    layout = _formats((code or "USD").strip().upper() or "USD", locale)._layout
    return (layout.money_before or layout.money_after.strip(NBSP + " ")).replace(NBSP, " ")


def money(
    value: Num, currency: str = "USD", *, cents: bool = False, locale: str = DEFAULT_LOCALE
) -> str:
    """Format an amount as ``$48,000`` (``-$1,200`` when negative); a dash for None.

    Args:
        value: The amount.
        currency: ISO 4217 code of the portfolio currency.
        cents: Show two decimals.
        locale: The portfolio's locale.

    Returns:
        The formatted amount.
    """
    return _formats(currency, locale).money(value, cents=cents)


def number(value: Num, places: int = 0, *, locale: str = DEFAULT_LOCALE) -> str:
    """Format a number with the locale's separators; a dash for None."""
    return _formats("USD", locale).number(value, places)


def percent(fraction: Num, places: int = 0, *, locale: str = DEFAULT_LOCALE) -> str:
    """Format a fraction (0.85) as a percentage (``85%``); a dash for None."""
    return _formats("USD", locale).percent(fraction, places)


def multiple(value: Num, *, locale: str = DEFAULT_LOCALE) -> str:
    """Format an ROI multiple as ``3.25×``; a dash for None."""
    return _formats("USD", locale).multiple(value)


def months(value: Num, *, locale: str = DEFAULT_LOCALE) -> str:
    """Format a payback period as ``3.7 months``; a dash for None."""
    return _formats("USD", locale).months(value)


def date_text(value: dt.date | None, *, locale: str | None = None) -> str:
    """Format a date as ``12 Mar 2026`` (or in ``locale``'s medium form); a dash for None."""
    if value is None:
        return DASH
    if locale is not None:
        return _formats("USD", locale).date(value)
    return f"{value.day} {value:%b %Y}"


def excel_money_format(
    currency: str = "USD", *, cents: bool = False, locale: str = DEFAULT_LOCALE
) -> str:
    """Return an Excel number format for amounts in a currency, negatives in parentheses.

    Args:
        currency: ISO 4217 code.
        cents: Show two decimals.
        locale: The portfolio's locale (which side the symbol goes).

    Returns:
        A format such as ``"$"#,##0;("$"#,##0)`` (quoted, so any symbol is safe).
    """
    return _formats(currency, locale).excel_money(cents=cents)
