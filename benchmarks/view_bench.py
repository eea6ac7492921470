"""Goal 6: the portfolio view's sort, filter and page fetch on a scored 100,000-account portfolio.

Times the services the view calls (``ordered_ids`` for a sort or filter, ``fetch_rows`` for one
200-row page), in this process, over a portfolio that has been recomputed once (so health
columns, snapshots and tasks exist as in real use). Every sort column (both directions) and a
set of typical filters is timed with the other core kept busy (``common.busy_core``); the
slowest is held to the goal, the median of all is shown too, and the slowest's CPU time (what
the machine's other work changes least). Memory with the portfolio open is measured on the real
app by the cold-start benchmark.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from common import Row, Sizes, absolute_row, busy_core
from portfolio_data import AS_OF

PAGE = 200


def _queries() -> dict[str, object]:
    from csdesk.services.portfolio_table import COLUMNS, TableQuery

    queries: dict[str, object] = {}
    for key, _header in COLUMNS:
        queries[f"sort {key}"] = TableQuery(sort_key=key, today=AS_OF)
        queries[f"sort {key} desc"] = TableQuery(sort_key=key, descending=True, today=AS_OF)
    queries["search 'foods'"] = TableQuery(search="foods", today=AS_OF)
    queries["band At Risk"] = TableQuery(bands=frozenset({"At Risk"}), today=AS_OF)
    queries["owner Sam Lee"] = TableQuery(owners=frozenset({"Sam Lee"}), today=AS_OF)
    queries["tier Starter by health"] = TableQuery(
        tiers=frozenset({"Starter"}), sort_key="health", today=AS_OF
    )
    queries["renewal next 90 days"] = TableQuery(renewal_window="90", today=AS_OF)
    queries["stage Optimization"] = TableQuery(stages=frozenset({"Optimization"}), today=AS_OF)
    return queries


def time_queries(portfolio: object, runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of ``ordered_ids`` for every query, after one warm-up each."""
    from csdesk.services.portfolio_table import ordered_ids

    timings: dict[str, tuple[float, float]] = {}
    for label, query in _queries().items():
        ordered_ids(portfolio, query)  # type: ignore[arg-type]
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(max(1, runs)):
            wall, cpu = time.perf_counter(), time.process_time()
            ordered_ids(portfolio, query)  # type: ignore[arg-type]
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        timings[label] = statistics.median(walls), statistics.median(cpus)
    return timings


def measure(sizes: Sizes, portfolio_path: Path) -> list[Row]:
    """Time every sort and filter and a set of page fetches; return the table rows."""
    from csdesk.db import open_portfolio
    from csdesk.services.portfolio_table import fetch_rows, ordered_ids

    portfolio = open_portfolio(portfolio_path)
    try:
        with busy_core():
            timings = time_queries(portfolio, sizes.runs if sizes.quick else max(3, sizes.runs))
        ids = ordered_ids(portfolio, _queries()["sort name"])  # type: ignore[arg-type]
        pages: list[float] = []
        step = max(PAGE, len(ids) // 25)
        for start in range(0, len(ids), step):
            began = time.perf_counter()
            fetch_rows(portfolio, ids[start : start + PAGE], AS_OF)
            pages.append(time.perf_counter() - began)
    finally:
        portfolio.close()
    slowest = max(timings, key=lambda label: timings[label][0])
    n = f"{sizes.accounts:,}"
    return [
        absolute_row(
            f"6 slowest sort/filter {n}, other core busy: {slowest}", timings[slowest][0], 0.150
        ),
        absolute_row(f"6 that sort's CPU time: {slowest}", timings[slowest][1], None),
        absolute_row(
            f"6 typical sort/filter {n} (median of {len(timings)})",
            statistics.median(t[0] for t in timings.values()),
            0.150,
        ),
        absolute_row(f"6 fetch one {PAGE}-row page", statistics.median(pages), None),
    ]


def main() -> int:
    """Print every query's wall and CPU time on a portfolio file, with the other core busy."""
    import argparse

    from csdesk.db import open_portfolio

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("portfolio", type=Path, help="a scored portfolio (portfolio_data.py)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", action="store_true", help="leave the other core alone")
    args = parser.parse_args()
    portfolio = open_portfolio(args.portfolio)
    try:
        if args.idle:
            timings = time_queries(portfolio, args.runs)
        else:
            with busy_core():
                timings = time_queries(portfolio, args.runs)
    finally:
        portfolio.close()
    for label, (wall, cpu) in sorted(timings.items(), key=lambda item: -item[1][0]):
        print(f"{label:<28} {wall * 1000:7.1f} ms  CPU {cpu * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
