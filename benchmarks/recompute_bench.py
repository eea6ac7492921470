"""Goal 4: recompute health for every account, against one SQL UPDATE computing the same score.

The yardstick is the fastest way to put a score on every account without csdesk: a single
``UPDATE accounts … FROM (SELECT … GROUP BY account_id)`` that pivots each account's newest
metrics and computes the subscription model's weighted score in SQL (the generated data has
every metric, so SQL needs none of the "no data" renormalisation csdesk does), committed like
a recompute is. csdesk's recompute is timed twice: with nothing changed (the everyday case,
held to the goal) and the first time (every score new, 100,000 snapshots with breakdowns).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from common import Row, Sizes, absolute_row, median_time, ratio_row
from portfolio_data import build_portfolio, recompute_all

_METRIC = "MAX(CASE WHEN metric = '{}' THEN value END)"
_SQL_SCORE = f"""
UPDATE accounts SET health_computed_score = m.score
FROM (
    SELECT account_id, ROUND(
          30 * MIN(1.0, MAX(0.0, {_METRIC.format("usage")} / {_METRIC.format("usage_limit")}))
        + 20 * MIN(1.0, MAX(0.0, {_METRIC.format("logins_30d")} / 30.0))
        + 20 * MIN(1.0, MAX(0.0, 1 - 0.1 * {_METRIC.format("open_tickets")}))
        + 20 * ({_METRIC.format("payments_current")} != 0)
        + 10 * MIN(1.0, MAX(0.0,
                   {_METRIC.format("features_used")} / {_METRIC.format("features_total")}))
    , 1) AS score
    FROM metric_latest GROUP BY account_id
) AS m
WHERE accounts.id = m.account_id
"""


def sql_update(path: Path) -> None:
    """The yardstick: one UPDATE computing every account's score, committed."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_SQL_SCORE)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _fresh_copy(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def measure(sizes: Sizes, tmp: Path) -> list[Row]:
    """Time the recomputes and the SQL yardstick; return the table rows."""
    base = build_portfolio(tmp / "recompute-base.db", sizes.accounts)
    work = tmp / "recompute-work.db"
    first_times: list[float] = []
    for _ in range(min(sizes.runs, 3)):
        _fresh_copy(base, work)
        first_times.append(recompute_all(work))
    first = sorted(first_times)[len(first_times) // 2]
    again = median_time(lambda: recompute_all(work), sizes.runs)
    floor = median_time(lambda: sql_update(work), sizes.runs)
    n = f"{sizes.accounts:,}"
    return [
        absolute_row(f"4 recompute {n}, nothing changed", again, 1.0),
        ratio_row(f"4 recompute {n} / one SQL UPDATE", again, floor, "SQL UPDATE", 3.0),
        ratio_row(f"4 first recompute {n} (all new)", first, floor, "SQL UPDATE", None),
    ]
