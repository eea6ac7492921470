"""Recompute paths taken at scale: a subset read by one scan, breakdowns only on change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from csdesk.models import Account, HealthSnapshot, MetricLatest
from csdesk.services import recompute
from csdesk.services.recompute import recompute_accounts

TODAY = dt.date(2026, 11, 22)
METRICS = {
    "usage": 50_000.0,
    "usage_limit": 100_000.0,
    "logins_30d": 30.0,
    "open_tickets": 0.0,
    "payments_current": 1.0,
    "features_used": 10.0,
    "features_total": 10.0,
}


def _accounts(portfolio: Any, count: int) -> list[int]:
    with portfolio.write() as s:
        ids = [
            s.execute(
                insert(Account).values(name=f"A{i}", name_key=f"a{i}", status="active")
            ).inserted_primary_key[0]
            for i in range(count)
        ]
        s.execute(
            insert(MetricLatest),
            [
                {"account_id": a, "metric": k, "as_of": TODAY, "value": v}
                for a in ids
                for k, v in METRICS.items()
            ],
        )
    return ids


@pytest.mark.parametrize("scan_from", [1, 10_000])
def test_large_subset_recomputes_only_its_accounts(
    portfolio: Any, monkeypatch: pytest.MonkeyPatch, scan_from: int
) -> None:
    monkeypatch.setattr(recompute, "_SCAN_FROM", scan_from)  # 1: the one-scan path
    ids = _accounts(portfolio, 4)
    with portfolio.write() as s:
        result = recompute_accounts(s, ids[:3], today=TODAY)
    assert (result.computed, result.changed, result.changed_ids) == (3, 3, set(ids[:3]))
    with portfolio.read() as s:
        scores = dict(s.execute(select(Account.id, Account.health_computed_score)).all())
        assert scores == {ids[0]: 85.0, ids[1]: 85.0, ids[2]: 85.0, ids[3]: None}
        assert s.scalar(select(func.count()).select_from(HealthSnapshot)) == 3


def test_unchanged_accounts_write_nothing(portfolio: Any) -> None:
    _accounts(portfolio, 3)
    with portfolio.write() as s:
        assert recompute_accounts(s, None, today=TODAY).changed == 3
    with portfolio.write() as s:
        again = recompute_accounts(s, None, today=TODAY)
    assert (again.computed, again.changed) == (3, 0)
    with portfolio.read() as s:
        assert s.scalar(select(func.count()).select_from(HealthSnapshot)) == 3
