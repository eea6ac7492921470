"""The team portfolio's speed: PostgreSQL against SQLite on the same machine (issue goals).

Times, on each engine, the first import of a generated 100,000-account CSV into an empty
portfolio and a full recompute of it, and prints PostgreSQL's time as a ratio of SQLite's (held
to 2×); then every portfolio sort and filter of the view on PostgreSQL (held to 150 ms).

The server is the one ``CSDESK_BENCH_PG`` (or ``CSDESK_TEST_PG``) names, a superuser's URL on its
maintenance database; ``.ci/pg start DIR`` starts a private one. Each run makes a database of its
own and drops it afterwards.

Usage::

    CSDESK_BENCH_PG=postgresql://… PYTHONPATH=src python benchmarks/pg_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from import_bench import csdesk_import, generate_rows, write_csv  # noqa: E402
from portfolio_data import AS_OF  # noqa: E402


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _recompute(target: str) -> None:
    from csdesk.db import open_portfolio
    from csdesk.services.recompute import recompute_health

    portfolio = open_portfolio(target)
    try:
        recompute_health(portfolio, today=AS_OF)
    finally:
        portfolio.close()


def _sorts(target: str) -> dict[str, float]:
    from csdesk.db import open_portfolio
    from csdesk.services.portfolio_table import ordered_ids
    from view_bench import _queries

    portfolio = open_portfolio(target)
    try:
        timings = {}
        for label, query in _queries().items():
            runs = [_timed(lambda q=query: ordered_ids(portfolio, q)) for _ in range(3)]  # type: ignore[misc]
            timings[label] = statistics.median(runs)
        return timings
    finally:
        portfolio.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print one line per goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 accounts")
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database and print its URL"
    )
    args = parser.parse_args(argv)
    server = os.environ.get("CSDESK_BENCH_PG") or os.environ.get("CSDESK_TEST_PG")
    if not server:
        print("pg_bench: set CSDESK_BENCH_PG to a PostgreSQL superuser URL", file=sys.stderr)
        return 2
    n = 10_000 if args.quick else 100_000
    name = f"csdesk_bench_{uuid.uuid4().hex[:8]}"
    head, _, _ = server.rpartition("/")
    url = f"{head}/{name}"
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "accounts.csv"
        write_csv(csv_path, generate_rows(n, "metrics"), "metrics")
        sqlite = str(Path(tmp) / "bench.db")
        _admin(server, f'CREATE DATABASE "{name}"')
        try:
            imports = {t: _timed(lambda t=t: csdesk_import(csv_path, t)) for t in (sqlite, url)}  # type: ignore[misc]
            recomputes = {t: _timed(lambda t=t: _recompute(t)) for t in (sqlite, url)}  # type: ignore[misc]
            sorts = _sorts(url)
        finally:
            if args.keep:
                print(f"kept: {url}")
            else:
                _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"accounts: {n:,}")
    for goal, times in (("first import", imports), ("recompute", recomputes)):
        ratio = times[url] / times[sqlite]
        verdict = "met" if ratio <= 2 else "NOT met"
        print(
            f"{goal}: PostgreSQL {times[url]:.2f} s, SQLite {times[sqlite]:.2f} s, "
            f"{ratio:.2f}x (goal ≤ 2x: {verdict})"
        )
    ranked = sorted(sorts, key=sorts.__getitem__, reverse=True)
    print("slowest five: " + ", ".join(f"{k} {sorts[k] * 1000:.0f} ms" for k in ranked[:5]))
    slowest = ranked[0]
    verdict = "met" if sorts[slowest] <= 0.150 else "NOT met"
    print(
        f"portfolio sorts on PostgreSQL: slowest {slowest} {sorts[slowest] * 1000:.0f} ms, "
        f"median {statistics.median(sorts.values()) * 1000:.0f} ms (goal ≤ 150 ms: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
