"""Goals 1, 2, 3 and 8: imports of a generated CRM export against the floor of what they store.

The file and the yardsticks come from ``import_bench`` (12 account columns and 6 product-metric
columns, so an import also writes metric snapshots and recomputes health). Each timed import
goes into a fresh portfolio; the re-import runs right after it on the same portfolio, with
nothing changed. The peak RSS of an XLSX import is measured in a child process of its own.

Goals 1 and 2 hold a first import to the floor of the rows it stores (the raw read of the file
plus ``executemany`` of exactly those rows, already built): ≤ 1.3× for the XLSX and the CSV, and
the XLSX import to ≤ 2.0× pandas (``read_excel`` with calamine + ``to_sql``). Each ratio is
reported twice: of wall time, and of this process's CPU time, which other work on a shared
machine changes far less (everything timed here runs in this one process).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import import_bench
from common import Row, Sizes, absolute_row, python_child, ratio_row

VARIANT = "metrics"
Timing = tuple[float, float]
"""Median (wall seconds, CPU seconds of this process)."""


def _timed(work: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _median(times: list[Timing]) -> Timing:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def _imports(source: Path, tmp: Path, runs: int) -> tuple[Timing, Timing]:
    """Median first import and median re-import of ``source``, each in a fresh portfolio."""
    first: list[Timing] = []
    again: list[Timing] = []
    for run in range(runs):
        db = tmp / f"import-{source.suffix[1:]}-{run}.db"
        for times in (first, again):
            times.append(_timed(lambda d=db: import_bench.csdesk_import(source, d)))
    return _median(first), _median(again)


def _yardstick(work: Callable[[Path, Path], None], source: Path, tmp: Path, runs: int) -> Timing:
    name = work.__name__
    return _median(
        [_timed(lambda r=run: work(source, tmp / f"{name}-{r}.db")) for run in range(runs)]  # type: ignore[misc]
    )


def _writes_floor(source: Path, imported: Path, tmp: Path, runs: int) -> Timing:
    """Median of ``stored_rows_floor``: the raw read plus the rows the import stored.

    The collector is paused, as the import pauses it: the rows to write are already built.
    """
    from csdesk.db import open_portfolio

    rows = import_bench.stored_rows(imported)
    times: list[Timing] = []
    for run in range(runs):
        db = tmp / f"floor-{source.suffix[1:]}-{run}.db"
        open_portfolio(db).close()
        gc.disable()
        try:
            times.append(_timed(lambda d=db: import_bench.stored_rows_floor(source, rows, d)))
        finally:
            gc.enable()
    return _median(times)


def _ratios(goal: str, ours: Timing, base: Timing, label: str, limit: float | None) -> list[Row]:
    """The goal as a ratio of wall time and, below it, of CPU time."""
    return [
        ratio_row(goal, ours[0], base[0], label, limit),
        ratio_row(f"{goal}, CPU", ours[1], base[1], f"{label} CPU", limit),
    ]


def peak_rss_mb(source: Path, db: Path) -> float:
    """Peak RSS of a fresh process importing ``source`` into ``db``."""
    code = (
        "from pathlib import Path\n"
        "import import_bench\n"
        f"import_bench.csdesk_import(Path({str(source)!r}), Path({str(db)!r}))\n"
    )
    return python_child(code).peak_rss_mb


def measure(sizes: Sizes, tmp: Path) -> list[Row]:
    """Generate the files, time imports and yardsticks; return the table rows."""
    rows = import_bench.generate_rows(sizes.rows, VARIANT)
    xlsx, csv_path = tmp / "accounts.xlsx", tmp / "accounts.csv"
    import_bench.write_xlsx(xlsx, rows, VARIANT)
    import_bench.write_csv(csv_path, rows, VARIANT)
    del rows
    runs = min(sizes.runs, 3)
    calamine = _yardstick(import_bench.calamine_floor, xlsx, tmp, runs)
    pandas = _yardstick(import_bench.pandas_to_sql, xlsx, tmp, runs)
    csv_floor = _yardstick(import_bench.csv_floor, csv_path, tmp, runs)
    xlsx_first, xlsx_again = _imports(xlsx, tmp, runs)
    csv_first, csv_again = _imports(csv_path, tmp, runs)
    xlsx_rows = _writes_floor(xlsx, tmp / "import-xlsx-0.db", tmp, runs)
    csv_rows = _writes_floor(csv_path, tmp / "import-csv-0.db", tmp, runs)
    rss = peak_rss_mb(xlsx, tmp / "import-rss.db")
    n = f"{sizes.rows:,}"
    return [
        *_ratios(f"1 XLSX import {n} rows / floor", xlsx_first, xlsx_rows, "floor", 1.3),
        *_ratios(f"1 XLSX import {n} rows / pandas", xlsx_first, pandas, "pandas+to_sql", 2.0),
        ratio_row(
            "1 XLSX import / raw calamine read", xlsx_first[0], calamine[0], "calamine", None
        ),
        ratio_row(
            "1 floor: calamine + stored rows", xlsx_rows[0], pandas[0], "pandas+to_sql", None
        ),
        *_ratios(f"2 CSV import {n} rows / floor", csv_first, csv_rows, "floor", 1.3),
        ratio_row(
            "2 CSV import / csv+executemany", csv_first[0], csv_floor[0], "csv+executemany", None
        ),
        ratio_row("2 floor: csv + stored rows", csv_rows[0], csv_floor[0], "csv+executemany", None),
        ratio_row("3 XLSX re-import, unchanged", xlsx_again[0], xlsx_first[0], "first import", 1.0),
        ratio_row("3 CSV re-import, unchanged", csv_again[0], csv_first[0], "first import", 1.0),
        absolute_row(f"8 peak RSS, XLSX import {n} rows", rss, 400, unit="MB"),
    ]
