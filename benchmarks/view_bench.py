"""Goal 6: the portfolio view's sort, filter and page fetch on a scored 100,000-account portfolio.

Times the services the view calls (``ordered_ids`` for a sort or filter, ``fetch_rows`` for one
200-row page), in this process, over a portfolio that has been recomputed once (so health
columns, snapshots and tasks exist as in real use). Every sort column (both directions) and a
set of typical filters is timed; the slowest is held to the goal, the median of all is shown
too. Memory with the portfolio open is measured on the real app by the cold-start benchmark.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from common import Row, Sizes, absolute_row, median_time
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


def measure(sizes: Sizes, portfolio_path: Path) -> list[Row]:
    """Time every sort and filter and a set of page fetches; return the table rows."""
    from csdesk.db import open_portfolio
    from csdesk.services.portfolio_table import fetch_rows, ordered_ids

    portfolio = open_portfolio(portfolio_path)
    try:
        timings: dict[str, float] = {}
        for label, query in _queries().items():
            timings[label] = median_time(
                lambda q=query: ordered_ids(portfolio, q),  # type: ignore[misc]
                sizes.runs if sizes.quick else max(3, sizes.runs),
            )
        ids = ordered_ids(portfolio, _queries()["sort name"])  # type: ignore[arg-type]
        pages: list[float] = []
        step = max(PAGE, len(ids) // 25)
        for start in range(0, len(ids), step):
            began = time.perf_counter()
            fetch_rows(portfolio, ids[start : start + PAGE], AS_OF)
            pages.append(time.perf_counter() - began)
    finally:
        portfolio.close()
    slowest = max(timings, key=timings.__getitem__)
    n = f"{sizes.accounts:,}"
    return [
        absolute_row(f"6 slowest sort/filter {n}: {slowest}", timings[slowest], 0.150),
        absolute_row(
            f"6 typical sort/filter {n} (median of {len(timings)})",
            statistics.median(timings.values()),
            0.150,
        ),
        absolute_row(f"6 fetch one {PAGE}-row page", statistics.median(pages), None),
    ]
