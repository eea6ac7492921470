"""Goals 1, 2, 3 and 8: imports of a generated CRM export against pandas and the raw floors.

The file and the yardsticks come from ``import_bench`` (12 account columns and 6 product-metric
columns, so an import also writes metric snapshots and recomputes health). Each timed import
goes into a fresh portfolio; the re-import runs right after it on the same portfolio, with
nothing changed. The peak RSS of an XLSX import is measured in a child process of its own.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import import_bench
from common import Row, Sizes, absolute_row, median_time, python_child, ratio_row

VARIANT = "metrics"


def _imports(source: Path, tmp: Path, runs: int) -> tuple[float, float]:
    """Median first import and median re-import of ``source``, each in a fresh portfolio."""
    first: list[float] = []
    again: list[float] = []
    for run in range(runs):
        db = tmp / f"import-{source.suffix[1:]}-{run}.db"
        for seconds in (first, again):
            started = time.perf_counter()
            import_bench.csdesk_import(source, db)
            seconds.append(time.perf_counter() - started)
    return statistics.median(first), statistics.median(again)


def _yardstick(work: Callable[[Path, Path], None], source: Path, tmp: Path, runs: int) -> float:
    counter = iter(range(1_000_000))
    return median_time(lambda: work(source, tmp / f"{work.__name__}-{next(counter)}.db"), runs)


def _writes_floor(source: Path, imported: Path, tmp: Path, runs: int) -> float:
    """Median of ``stored_rows_floor``: the raw read plus the rows the import stored."""
    from csdesk.db import open_portfolio

    rows = import_bench.stored_rows(imported)
    times: list[float] = []
    for run in range(runs):
        db = tmp / f"floor-{source.suffix[1:]}-{run}.db"
        open_portfolio(db).close()
        started = time.perf_counter()
        import_bench.stored_rows_floor(source, rows, db)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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
        ratio_row(f"1 XLSX import {n} rows", xlsx_first, pandas, "pandas+to_sql", 1.0),
        ratio_row("1 XLSX import / raw calamine read", xlsx_first, calamine, "calamine", None),
        ratio_row("1 floor: calamine + stored rows, raw", xlsx_rows, pandas, "pandas+to_sql", None),
        ratio_row(f"2 CSV import {n} rows", csv_first, csv_floor, "csv+executemany", 2.5),
        ratio_row("2 floor: csv + stored rows, raw", csv_rows, csv_floor, "csv+executemany", None),
        ratio_row("3 XLSX re-import, unchanged", xlsx_again, xlsx_first, "first import", 1.0),
        ratio_row("3 CSV re-import, unchanged", csv_again, csv_first, "first import", 1.0),
        absolute_row(f"8 peak RSS, XLSX import {n} rows", rss, 400, unit="MB"),
    ]
