"""Generated portfolios with a known answer for the backtest: churn driven by usage, or not."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import insert, text

from csdesk.db import Portfolio
from csdesk.models import Account, MetricSnapshot, RenewalOutcome

START = dt.date(2024, 7, 1)
"""The first day of the generated two years of history."""

Usage = Callable[[random.Random, bool, int], float]
"""(rng, churns, days before the outcome) → usage as a share of the limit."""


def usage_drives_churn(rng: random.Random, churns: bool, days_before: int) -> float:
    """Renewals keep using ~80%; churned accounts fall to ~10% over the 200 days before."""
    base = rng.uniform(0.65, 0.95)
    if churns and days_before <= 200:
        return max(0.05, base - (200 - days_before) / 200 * rng.uniform(0.6, 0.8))
    return base


def usage_is_noise(rng: random.Random, churns: bool, days_before: int) -> float:
    """Usage unrelated to what happens at renewal."""
    return rng.uniform(0.1, 1.0)


def build_history(
    portfolio: Portfolio,
    *,
    accounts: int,
    churn_share: float,
    usage: Usage,
    seed: int = 7,
) -> tuple[int, int]:
    """Write ``accounts`` accounts with 24 months of monthly metrics and one outcome each.

    Every metric but usage is noise; usage follows ``usage``. Outcomes fall in the second year
    so each has a year of history before it.

    Returns:
        (outcomes, churned) written.
    """
    rng = random.Random(seed)
    account_rows, snapshot_rows, outcome_rows = [], [], []
    churned = 0
    for n in range(1, accounts + 1):
        churns = rng.random() < churn_share
        churned += churns
        on = START + dt.timedelta(days=400 + rng.randrange(300))
        account_rows.append(
            {
                "id": n,
                "name": f"Account {n:05d}",
                "name_key": f"account {n:05d}",
                "status": "churned" if churns else "active",
                "arr": 30000,
            }
        )
        for month in range(24):
            day = START + dt.timedelta(days=30 * month)
            if day > on:
                break
            share = usage(rng, churns, (on - day).days)
            noise = {
                "usage": round(share * 100000),
                "usage_limit": 100000,
                "logins_30d": rng.randrange(4, 31),
                "open_tickets": rng.randrange(0, 6),
                "payments_current": 1 if rng.random() < 0.9 else 0,
                "features_used": rng.randrange(2, 11),
                "features_total": 10,
            }
            snapshot_rows += [
                {"account_id": n, "metric": key, "as_of": day, "value": float(value)}
                for key, value in noise.items()
            ]
        outcome_rows.append(
            {
                "account_id": n,
                "outcome": "churned" if churns else "renewed",
                "on_date": on,
                "arr_before": 30000,
                "arr_after": 0 if churns else 30000,
                "source": "test",
            }
        )
    with portfolio.write() as session:
        session.execute(insert(Account), account_rows)
        session.execute(insert(MetricSnapshot), snapshot_rows)
        session.execute(insert(RenewalOutcome), outcome_rows)
        if session.get_bind().dialect.name == "postgresql":  # ids were given: move the serial on
            session.execute(
                text("SELECT setval(pg_get_serial_sequence('accounts', 'id'), :top)"),
                {"top": accounts},
            )
    return accounts, churned
