"""How figures read in the exports: money, numbers, percentages, dates and Excel number formats."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from csdesk.scoring.rounding import round_half_up

__all__ = [
    "DASH",
    "currency_symbol",
    "date_text",
    "excel_money_format",
    "money",
    "months",
    "multiple",
    "number",
    "percent",
]

DASH = "—"
"""What an export shows for a figure that does not exist."""

_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
}


def currency_symbol(code: str) -> str:
    """Return the prefix shown before amounts in a currency (``$``, ``€``, ``CHF ``)."""
    code = (code or "USD").strip().upper()
    return _SYMBOLS.get(code, f"{code} ")


def _finite(value: Decimal | float | None) -> bool:
    return value is not None and math.isfinite(value)


def money(value: Decimal | float | None, currency: str = "USD", *, cents: bool = False) -> str:
    """Format an amount as ``$48,000`` (``-$1,200`` when negative); a dash for None.

    Args:
        value: The amount.
        currency: ISO 4217 code of the portfolio currency.
        cents: Show two decimals.

    Returns:
        The formatted amount.
    """
    if not _finite(value):
        return DASH
    assert value is not None
    places = 2 if cents else 0
    amount = round_half_up(abs(value), places)  # type: ignore[arg-type]
    sign = "-" if value < 0 and amount != 0 else ""
    return f"{sign}{currency_symbol(currency)}{amount:,.{places}f}"


def number(value: float | None, places: int = 0) -> str:
    """Format a number with thousands separators; a dash for None."""
    if not _finite(value):
        return DASH
    assert value is not None
    return f"{round_half_up(value, places):,.{places}f}"


def percent(fraction: float | None, places: int = 0) -> str:
    """Format a fraction (0.85) as a percentage (``85%``); a dash for None."""
    if not _finite(fraction):
        return DASH
    assert fraction is not None
    return f"{round_half_up(fraction * 100, places):,.{places}f}%"


def multiple(value: float | None) -> str:
    """Format an ROI multiple as ``3.25×``; a dash for None."""
    if not _finite(value):
        return DASH
    assert value is not None
    return f"{round_half_up(value, 2):,.2f}×"


def months(value: float | None) -> str:
    """Format a payback period as ``3.7 months``; a dash for None."""
    if not _finite(value):
        return DASH
    assert value is not None
    shown = round_half_up(value, 1)
    return f"{shown:,.1f} month" + ("" if shown == 1 else "s")


def date_text(value: dt.date | None) -> str:
    """Format a date as ``12 Mar 2026``; a dash for None."""
    if value is None:
        return DASH
    return f"{value.day} {value:%b %Y}"


def excel_money_format(currency: str = "USD", *, cents: bool = False) -> str:
    """Return an Excel number format for amounts in a currency, negatives in parentheses.

    Args:
        currency: ISO 4217 code.
        cents: Show two decimals.

    Returns:
        A format such as ``"$"#,##0;("$"#,##0)`` (quoted, so any symbol is safe).
    """
    symbol = currency_symbol(currency).replace('"', "")
    body = "#,##0.00" if cents else "#,##0"
    return f'"{symbol}"{body};("{symbol}"{body})'
