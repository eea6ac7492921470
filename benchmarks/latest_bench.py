"""Does the recompute need ``metric_latest``? Its read against the same values from the history.

``metric_latest`` repeats the newest snapshot of every (account, metric): an import writes each
newest value twice. This measures what the copy buys the recompute — reading every account's
newest metrics from it, against reading them from ``metric_snapshots`` with the portable
join-on-``MAX(as_of)`` query and with SQLite's bare-column ``MAX`` — with one and with several
snapshots per metric (a portfolio imported monthly), and what writing the copy costs an import
(``executemany`` of the same rows, the floor of that table).

Usage::

    PYTHONPATH=src python -m benchmarks.latest_bench --accounts 100000 --history 1 6
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.portfolio_data import AS_OF, build_portfolio

PORTABLE = """
SELECT s.account_id, s.metric, s.value
FROM metric_snapshots AS s
JOIN (
    SELECT account_id, metric, MAX(as_of) AS as_of
    FROM metric_snapshots GROUP BY account_id, metric
) AS newest
  ON newest.account_id = s.account_id AND newest.metric = s.metric AND newest.as_of = s.as_of
"""
BARE_MAX = (
    "SELECT account_id, metric, value, MAX(as_of) FROM metric_snapshots GROUP BY account_id, metric"
)
LATEST = "SELECT account_id, metric, value FROM metric_latest"
_COPIES = itertools.count()


def _add_history(path: Path, months: int) -> None:
    """Give every metric ``months - 1`` older snapshots, a month apart."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            for k in range(1, months):
                day = (AS_OF - dt.timedelta(days=30 * k)).isoformat()
                conn.execute(
                    "INSERT INTO metric_snapshots (account_id, metric, as_of, value) "
                    "SELECT account_id, metric, ?, value * 0.9 FROM metric_latest",
                    (day,),
                )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def _read(path: Path, sql: str) -> Callable[[], int]:
    def run() -> int:
        conn = sqlite3.connect(path)
        try:
            values: dict[int, dict[str, float]] = {}
            for row in conn.execute(sql):
                values.setdefault(row[0], {})[row[1]] = row[2]
            return len(values)
        finally:
            conn.close()

    return run


def _write_copy(path: Path, tmp: Path) -> Callable[[], None]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT account_id, metric, as_of, value FROM metric_latest").fetchall()
    conn.close()

    def run() -> None:
        target = tmp / f"copy-{next(_COPIES)}.db"
        db = sqlite3.connect(target, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE metric_latest (account_id INTEGER, metric TEXT, as_of DATE, "
                "value FLOAT, PRIMARY KEY (account_id, metric))"
            )
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO metric_latest VALUES (?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        finally:
            db.close()

    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Print one table: each read's median time, and the copy's write."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--history", type=int, nargs="+", default=[1, 6])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{args.accounts:,} accounts x 7 metrics, median of {args.runs}")
    print("| snapshots per metric | metric_latest read | portable MAX join | SQLite bare MAX "
          "| writing the copy |")  # fmt: skip
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for months in args.history:
            path = build_portfolio(tmp / f"latest-{months}.db", args.accounts)
            _add_history(path, months)
            _read(path, LATEST)()  # warm the file cache
            latest = _median(_read(path, LATEST), args.runs)
            portable = _median(_read(path, PORTABLE), args.runs)
            bare = _median(_read(path, BARE_MAX), args.runs)
            copy = _median(_write_copy(path, tmp), args.runs)
            print(
                f"| {months} | {latest * 1000:.0f} ms | {portable * 1000:.0f} ms "
                f"({portable / latest:.1f}x) | {bare * 1000:.0f} ms ({bare / latest:.1f}x) "
                f"| {copy * 1000:.0f} ms |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
