"""Half-up rounding and exact-number helpers shared by every scoring rule."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "CENT",
    "decimal_or_none",
    "exact",
    "exact_weight",
    "is_number",
    "money",
    "round_fraction_half_up",
    "round_half_up",
    "to_decimal",
]

# A weight written in a TOML file is a decimal with a few places (0.25, 13.5) or a share
# such as 40/3 that a float cannot hold exactly. Snapping to the nearest fraction with a
# denominator up to a million recovers both exactly, so a score that is exactly 94.75
# rounds to 94.8 instead of falling to 94.7 through float noise.
_WEIGHT_DENOMINATOR = 1_000_000


def is_number(value: object) -> bool:
    """Tell whether a value is a finite real number (bools excluded).

    Args:
        value: Any object.

    Returns:
        True for finite ``int``, ``float``, ``Decimal`` or ``Fraction`` values.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Convert a number to ``Decimal`` through its shortest decimal representation.

    ``Decimal(str(x))`` rather than ``Decimal(x)``: the user typed 89.95, not the binary
    approximation ``89.9500000000000028…``.

    Args:
        value: A finite number.

    Returns:
        The decimal the number was written as.
    """
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


CENT = Decimal("0.01")
"""The smallest amount of money a portfolio keeps."""


def money(value: float | int | Decimal) -> Decimal:
    """An amount of money: the number as written, rounded half-up to the cent.

    Money is ``Decimal`` from the parsed cell to the stored column to the report, so sums of
    any number of amounts are exact to the cent; a float given here is read through its
    shortest decimal form (89.95, not ``89.9500000000000028…``).

    Args:
        value: A finite number.

    Returns:
        The amount with exactly two decimals.
    """
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_or_none(value: float | int | Decimal | None) -> Decimal | None:
    """An input as the decimal it was written as, or None when it is missing or not finite.

    Args:
        value: A number read from the portfolio or typed by the user, or None.

    Returns:
        ``to_decimal(value)``, or None.
    """
    return to_decimal(value) if value is not None and is_number(value) else None


def round_half_up(x: float, places: int) -> float:
    """Round half away from zero at ``places`` decimals, on the number as written.

    Python's ``round`` rounds half to even on the binary value, so ``round(2.675, 2)`` is
    2.67; this gives 2.68, and 89.95 gives 90.0 at one decimal.

    Args:
        x: The number to round.
        places: Decimal places to keep (0 or more).

    Returns:
        The rounded value as a float. NaN and infinities are returned unchanged.
    """
    if isinstance(x, float) and not math.isfinite(x):
        return x
    quantum = Decimal(1).scaleb(-places)
    return float(to_decimal(x).quantize(quantum, rounding=ROUND_HALF_UP))


def round_fraction_half_up(value: Fraction, places: int) -> float:
    """Round an exact fraction half away from zero at ``places`` decimals.

    Args:
        value: The exact value.
        places: Decimal places to keep (0 or more).

    Returns:
        The rounded value as a float.
    """
    scale = 10**places
    scaled = abs(value) * scale
    rounded = math.floor(scaled + Fraction(1, 2))
    signed = rounded if value >= 0 else -rounded
    return float(Decimal(signed).scaleb(-places))


def exact(value: float | int) -> Fraction:
    """Return the exact fraction of a number as it is written in decimal.

    Args:
        value: A finite number (a metric value, a target, a step).

    Returns:
        ``Fraction(str(value))``, so 0.1 is exactly one tenth.
    """
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(str(value))


def exact_weight(value: float | int) -> Fraction:
    """Return the exact fraction a weight stands for.

    Args:
        value: A finite, non-negative weight, possibly an equal share such as 40/3.

    Returns:
        The nearest fraction with a denominator of at most one million: exact for any
        weight written with up to six decimals and for simple shares like thirds.
    """
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(value).limit_denominator(_WEIGHT_DENOMINATOR)
