"""Generated portfolios for the benchmarks: N accounts with their newest metrics, written fast.

The schema comes from ``open_portfolio`` (the real migrations); rows go in with plain
``sqlite3`` ``executemany`` so building 100,000 accounts takes a second or two, not the time of
the code being measured.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from csdesk.scoring.vocabulary import SEGMENTS

OWNERS = ("Jordan Reyes", "Sam Lee", "Priya Nair", "Alex Martin", "Mia Svensson")
INDUSTRIES = ("FoodTech", "Logistics", "SaaS", "Retail", "Wellness", "Fintech")
COUNTRIES = ("Canada", "France", "United States", "Germany", "Japan")
STATUSES = ("active", "active", "active", "active", "pilot", "prospect", "churned")
TIERS = (("Starter", 20000.0, 100000.0), ("Professional", 30000.0, 500000.0))
METRICS = (
    "usage",
    "usage_limit",
    "logins_30d",
    "open_tickets",
    "payments_current",
    "features_used",
    "features_total",
)
AS_OF = dt.date(2025, 1, 15)

_ACCOUNT_COLUMNS = (
    "id, crm_id, name, name_key, industry, segment, country, owner, status, tier, arr, "
    "company_revenue, contract_start, renewal_date, annual_prepay, created_at, updated_at"
)


def _accounts(n: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    stamp = "2025-01-15 09:00:00.000000"
    for i in range(1, n + 1):
        tier, price, _limit = TIERS[i % 2]
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(900))
        name = f"Account {i:06d} {rnd.choice(('Foods', 'Parcel', 'Labs', 'Retail'))}"
        yield (
            i,
            f"0016g{i:010d}",
            name,
            name.casefold(),
            rnd.choice(INDUSTRIES),
            rnd.choice(SEGMENTS),
            rnd.choice(COUNTRIES),
            rnd.choice(OWNERS),
            rnd.choice(STATUSES),
            tier,
            price + 1000.0 * (i % 7),
            float(rnd.randrange(1, 2000) * 1_000_000),
            start.isoformat(),
            (start + dt.timedelta(days=365 * 2)).isoformat(),
            i % 3 == 0,
            stamp,
            stamp,
        )


def _metrics(n: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    day = AS_OF.isoformat()
    for i in range(1, n + 1):
        limit = TIERS[i % 2][2]
        values = (
            float(rnd.randrange(1000, int(limit * 1.2))),
            limit,
            float(rnd.randrange(0, 45)),
            float(rnd.randrange(0, 12)),
            float(i % 5 != 0),
            float(rnd.randrange(1, 13)),
            12.0,
        )
        for metric, value in zip(METRICS, values, strict=True):
            yield (i, metric, day, value)


def _past_scores(n: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    """A score 45 days before :data:`AS_OF` for nine accounts in ten (the trend's baseline)."""
    day = (AS_OF - dt.timedelta(days=45)).isoformat()
    stamp = f"{day} 09:00:00.000000"
    for account_id in range(1, n + 1):
        if rnd.random() < 0.9:
            yield account_id, day, round(rnd.uniform(20, 98), 1), stamp


def build_portfolio(path: Path, n: int, *, seed: int = 11, scored: bool = False) -> Path:
    """Create a portfolio of ``n`` accounts with seven newest metrics each.

    Args:
        path: The SQLite file to create (must not exist).
        n: Number of accounts.
        seed: Random seed (same seed, same portfolio).
        scored: Give nine accounts in ten a health snapshot from before the trend's 30 days
            and run a full health recompute afterwards, so the health columns and the trend
            are filled, as in a portfolio that has been in use.

    Returns:
        ``path``.
    """
    from csdesk.db import open_portfolio

    open_portfolio(path).close()
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    try:
        with conn:
            marks = ", ".join("?" * len(_ACCOUNT_COLUMNS.split(",")))
            conn.executemany(
                f"INSERT INTO accounts ({_ACCOUNT_COLUMNS}) VALUES ({marks})", _accounts(n, rnd)
            )
            conn.executemany(
                "INSERT INTO metric_snapshots (account_id, metric, as_of, value) "
                "VALUES (?, ?, ?, ?)",
                _metrics(n, rnd),
            )
            if scored:
                conn.executemany(
                    "INSERT INTO health_snapshots (account_id, as_of, score, band, model_name,"
                    " model_version, source, created_at) VALUES (?, ?, ?, NULL, 'default', 1,"
                    " 'computed', ?)",
                    _past_scores(n, rnd),
                )
            conn.execute(
                "INSERT INTO metric_latest (account_id, metric, as_of, value) "
                "SELECT account_id, metric, as_of, value FROM metric_snapshots"
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if scored:
        recompute_all(path, AS_OF)
    return path


def recompute_all(path: Path, today: dt.date = AS_OF) -> float:
    """Recompute every account's health in one transaction; return the seconds it took."""
    import time

    from csdesk.db import open_portfolio
    from csdesk.services.recompute import recompute_health

    portfolio = open_portfolio(path)
    try:
        started = time.perf_counter()
        recompute_health(portfolio, today=today)
        return time.perf_counter() - started
    finally:
        portfolio.close()
