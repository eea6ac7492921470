"""Issue 18's speed goal: a backtest over 100,000 accounts with two years of monthly history and
20,000 outcomes in at most 5 s, with peak memory at most 600 MB.

The portfolio is generated straight into a migrated file (the subscription model's seven metrics
each month for two years: 16.8 million snapshots at full size), then ``csdesk backtest --json``
runs in a process of its own, timed from spawn to exit with its peak RSS — SciPy's import
included, as a user pays it.

Usage::

    python benchmarks/backtest_bench.py [--accounts 100000] [--outcomes 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from common import Row, absolute_row, child_env, run_child  # noqa: E402
from run import format_table  # noqa: E402

START = dt.date(2024, 12, 1)
METRICS = ("usage", "usage_limit", "logins_30d", "open_tickets", "payments_current")
METRICS += ("features_used", "features_total")


def generate(path: Path, accounts: int, outcomes: int, seed: int = 5) -> None:
    """A migrated portfolio with ``accounts`` accounts, 24 monthly snapshots of every metric,
    and ``outcomes`` renewal outcomes (a quarter churned, usage falling before each churn)."""
    from csdesk.db import open_portfolio

    open_portfolio(path).close()
    rng = random.Random(seed)
    days = [(START + dt.timedelta(days=30 * m)).isoformat() for m in range(24)]
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA synchronous=OFF")
        conn.executemany(
            "INSERT INTO accounts (id, name, name_key, status, arr, annual_prepay, created_at,"
            " updated_at) VALUES (?, ?, ?, 'active', 30000, 0, '2024-01-01', '2024-01-01')",
            ((n, f"Account {n:06d}", f"account {n:06d}") for n in range(1, accounts + 1)),
        )
        churning = set(rng.sample(range(1, outcomes + 1), outcomes // 4))

        def snapshots():  # type: ignore[no-untyped-def]
            for n in range(1, accounts + 1):
                falls = n in churning
                for m, day in enumerate(days):
                    share = rng.uniform(0.6, 0.95) - (0.03 * max(0, m - 12) if falls else 0)
                    yield (n, "usage", day, round(max(share, 0.05) * 100000))
                    yield (n, "usage_limit", day, 100000)
                    yield (n, "logins_30d", day, rng.randrange(4, 31))
                    yield (n, "open_tickets", day, rng.randrange(0, 6))
                    yield (n, "payments_current", day, 1)
                    yield (n, "features_used", day, rng.randrange(2, 11))
                    yield (n, "features_total", day, 10)

        conn.executemany(
            "INSERT INTO metric_snapshots (account_id, metric, as_of, value) VALUES (?, ?, ?, ?)",
            snapshots(),
        )
        conn.executemany(
            "INSERT INTO renewal_outcomes (account_id, outcome, on_date, source)"
            " VALUES (?, ?, ?, 'bench')",
            (
                (
                    n,
                    "churned" if n in churning else "renewed",
                    (START + dt.timedelta(days=400 + rng.randrange(290))).isoformat(),
                )
                for n in range(1, outcomes + 1)
            ),
        )


def measure(accounts: int, outcomes: int, runs: int) -> list[Row]:
    """Time ``csdesk backtest --json`` on a generated portfolio."""
    with tempfile.TemporaryDirectory(prefix="csdesk-backtest-bench-") as folder:
        db = Path(folder) / "portfolio.db"
        generate(db, accounts, outcomes)
        env = child_env(CSDESK_DATA_DIR=str(Path(folder) / "data"))
        argv = [sys.executable, "-m", "csdesk", "backtest", "--db", str(db), "--json"]
        done = [run_child(argv, env) for _ in range(runs)]
        report = json.loads(done[-1].stdout)
        assert report["outcomes"] == outcomes, report
    wall = statistics.median(r.wall for r in done)
    cpu = statistics.median(r.cpu for r in done)
    rss = max(r.peak_rss_mb for r in done)
    size = f"{accounts:,} accounts, {outcomes:,} outcomes"
    return [
        absolute_row(f"18 backtest, {size}", wall, 5.0),
        absolute_row("18 backtest CPU time (what a quiet machine waits)", cpu, 5.0),
        absolute_row("18 backtest peak RSS", rss, 600, unit="MB"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--outcomes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = measure(args.accounts, args.outcomes, args.runs)
    print(format_table(rows))
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
