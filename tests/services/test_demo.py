"""The demo portfolio covers what the app shows: every band, stage, renewals, prospects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from csdesk.errors import CsdeskError
from csdesk.models import Account, Alert, MetricSnapshot, ProspectScorecard, Task
from csdesk.services.accounts import account_listing
from csdesk.services.backtest import run_backtest
from csdesk.services.demo import DEMO_ACCOUNTS, build_demo

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def demo(portfolio: Any) -> Any:
    build_demo(portfolio, today=TODAY)
    return portfolio


def test_demo_covers_bands_stages_and_renewals(demo: Any) -> None:
    rows = account_listing(demo, today=TODAY)
    assert (
        len(rows) == DEMO_ACCOUNTS and 55 <= DEMO_ACCOUNTS <= 70
    )  # "about 60", former clients too
    assert {r["health_band"] for r in rows} >= {"Excellent", "Good", "At Risk", "Critical"}
    assert {r["lifecycle_stage"] for r in rows} >= {
        "Pre-start",
        "Onboarding",
        "Value Realization",
        "Optimization",
        "Expansion",
    }
    assert {r["status"] for r in rows} == {"prospect", "pilot", "active", "churned"}
    assert len({r["industry"] for r in rows}) >= 5
    due = [
        r
        for r in rows
        if r["renewal_date"] and 0 <= (dt.date.fromisoformat(r["renewal_date"]) - TODAY).days <= 90
    ]
    assert len(due) >= 8
    assert any(r["prospect_qualified"] for r in rows)
    assert any(r["roi_multiple"] is not None for r in rows)


def test_demo_opens_tasks_and_alerts(demo: Any) -> None:
    with demo.read() as s:
        assert s.scalar(select(func.count()).select_from(Alert)) >= 1
        assert s.scalar(select(func.count()).where(Task.type == "at-risk outreach")) >= 3
        assert s.scalar(select(func.count()).where(Task.type == "renewal milestone")) >= 8
        assert s.scalar(select(func.count()).select_from(ProspectScorecard)) >= 10


def test_demo_has_two_years_and_enough_outcomes_for_a_backtest_suggestion(demo: Any) -> None:
    with demo.read() as s:
        first = s.scalar(select(func.min(MetricSnapshot.as_of)))
    assert (TODAY - first).days >= 700
    report = run_backtest(demo)
    assert report.outcomes >= 30 and report.churned >= 5 and report.insufficient_data == 0
    assert report.suggested is not None and report.auc is not None and report.auc > 0.7


def test_demo_refuses_a_portfolio_that_is_not_empty(demo: Any) -> None:
    with demo.read() as s:
        before = s.scalar(select(func.count(Account.id)))
    with pytest.raises(CsdeskError, match="not empty"):
        build_demo(demo, today=TODAY)
    with demo.read() as s:
        assert s.scalar(select(func.count(Account.id))) == before
