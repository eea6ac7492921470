"""Money formatting: csdesk's writer (a layout from the CLDR, digits written here) against Babel's.

Reports, per locale, the time of one amount each way and their ratio, and what the first
amount costs in a fresh process once the module is imported (Babel and its locale data loaded,
or not at all for en_US). No goal: it
backs the choice in ``csdesk/reports/formatting.py``.

Usage::

    python benchmarks/formatting_bench.py [--amounts 20000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit
from decimal import Decimal
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

LOCALES = (("USD", "en_US"), ("GBP", "en_GB"), ("EUR", "de_DE"), ("INR", "en_IN"))
_FIRST = """
import time, sys
sys.path.insert(0, {src!r})
from csdesk.reports.formatting import Formats
start = time.perf_counter()
Formats({currency!r}, {locale!r}).money(48000.5)
print((time.perf_counter() - start) * 1000)
"""


def _per_amount(call: object, amounts: int) -> float:
    runs = timeit.repeat(call, number=amounts, repeat=5)  # type: ignore[arg-type]
    return min(runs) / amounts * 1e6


def _first_amount_ms(currency: str, locale: str) -> float:
    code = _FIRST.format(src=str(SRC), currency=currency, locale=locale)
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--amounts", type=int, default=20000)
    args = parser.parse_args(argv)
    from babel.numbers import format_currency

    from csdesk.reports.formatting import Formats

    value = Decimal("48000.50")
    print(f"{'locale':8} {'csdesk µs':>10} {'Babel µs':>10} {'ratio':>7} {'first ms':>9}")
    for currency, locale in LOCALES:
        ours = Formats(currency, locale)
        ours.money(value)
        mine = _per_amount(lambda f=ours: f.money(value, cents=True), args.amounts)
        theirs = _per_amount(
            lambda c=currency, loc=locale: format_currency(value, c, locale=loc), args.amounts
        )
        first = _first_amount_ms(currency, locale)
        print(f"{locale:8} {mine:10.2f} {theirs:10.2f} {mine / theirs:7.2f} {first:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
