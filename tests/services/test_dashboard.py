"""Dashboard read model: KPIs over 90 days, band figures, at-risk accounts, overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from services_support import TODAY, insert_account
from sqlalchemy import func, select

from csdesk.db import Portfolio
from csdesk.models import SurveyResponse, Task, Ticket
from csdesk.services.dashboard import load_dashboard
from csdesk.services.demo import build_demo
from csdesk.services.portfolio_figures import portfolio_figures

NOW = dt.datetime(2026, 6, 15, 12, 0)


def _account(portfolio: Portfolio, name: str, score: float | None, **fields: object) -> int:
    values: dict[str, object] = {"status": "active", "arr": 10000.0, **fields}
    with portfolio.write() as s:
        return insert_account(s, name, health_score=score, **values)


@pytest.fixture
def book(portfolio: Portfolio) -> dict[str, int]:
    ids = {
        "excellent": _account(portfolio, "Excellent Co", 95.0, arr=50000.0),
        "good": _account(portfolio, "Good Co", 69.95),  # shows 70.0: Good, not at risk
        "risk": _account(portfolio, "Risky Co", 55.0, owner="Ana"),
        "critical": _account(portfolio, "Critical Co", 12.5, status="pilot", arr=7000.0),
        "unscored": _account(portfolio, "Unscored Co", None),
        "churned": _account(portfolio, "Churned Co", 10.0, status="churned"),
        "prospect": _account(portfolio, "Prospect Co", 20.0, status="prospect", arr=None),
    }
    a = ids["risk"]
    with portfolio.write() as s:
        for day, nps, csat in (
            (1, 10, 5),
            (10, 9, 4),
            (30, 3, 2),
            (89, None, 5),
            (90, 7, None),  # the first day of the period still counts
            (91, 0, 1),  # too old
            (-1, 0, 1),  # tomorrow: not yet
        ):
            s.add(
                SurveyResponse(
                    account_id=a, responded_on=TODAY - dt.timedelta(days=day), nps=nps, csat=csat
                )
            )
        opened = dt.datetime(2026, 6, 1, 9, 0)
        h = dt.timedelta(hours=1)
        for priority, response, resolved in (
            ("P0", 0.5 * h, 3 * h),  # met
            ("P1", 5 * h, 6 * h),  # response breached
            ("P2", 2 * h, None),  # met (P2 has no resolution target)
            ("P1", None, None),  # open for days: breached
        ):
            s.add(
                Ticket(
                    account_id=a,
                    priority=priority,
                    opened_at=opened,
                    first_response_at=opened + response if response else None,
                    resolved_at=opened + resolved if resolved else None,
                )
            )
        s.add(Ticket(account_id=a, priority="P0", opened_at=NOW - 0.5 * h))  # pending
        s.add(Ticket(account_id=a, priority="P0", opened_at=dt.datetime(2026, 1, 1)))  # old
        for title, due, status in (
            ("Call them", TODAY - dt.timedelta(days=3), "open"),
            ("Snoozed", TODAY - dt.timedelta(days=1), "snoozed"),
            ("Done", TODAY - dt.timedelta(days=9), "done"),
            ("Due today", TODAY, "open"),
        ):
            s.add(Task(account_id=a, type="follow-up", title=title, due_on=due, status=status))
        s.add(
            Task(
                account_id=ids["critical"],
                type="at-risk outreach",
                title="Oldest",
                due_on=TODAY - dt.timedelta(days=20),
                status="open",
            )
        )
    return ids


def test_satisfaction_and_support_cover_the_last_90_days(portfolio: Portfolio, book: dict):
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    assert board.kpi_start == TODAY - dt.timedelta(days=90)
    # NPS answers 10, 9, 3, 7: 2 promoters, 1 detractor of 4 → +25.0
    assert (board.nps, board.nps_answers) == (25.0, 4)
    assert board.csat is not None
    assert (board.csat.mean, board.csat.pct_satisfied, board.csat.count) == (4.0, 75.0, 4)
    # Decided tickets: met, breached, met, breached → 50.0%; the fresh P0 is pending
    assert (board.sla_attainment, board.sla_tickets) == (50.0, 4)


def test_figures_are_the_portfolio_figures(portfolio: Portfolio, book: dict):
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    with portfolio.read() as s:
        assert board.figures == portfolio_figures(s, today=TODAY)
    assert board.figures.total_arr == 50000.0 + 3 * 10000.0 + 7000.0
    assert dict(board.figures.band_counts) == {
        "Excellent": 1,
        "Good": 1,
        "At Risk": 1,
        "Critical": 1,
        "No score": 1,
    }
    assert board.forecast_90 == board.figures.renewals_90[2]


def test_at_risk_lists_customers_below_good_lowest_first(portfolio: Portfolio, book: dict):
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    assert [a.account_id for a in board.at_risk] == [book["critical"], book["risk"]]
    critical, risky = board.at_risk
    assert (critical.health_band, critical.arr, critical.open_tasks) == ("Critical", 7000.0, 1)
    assert (risky.health_band, risky.owner, risky.open_tasks) == ("At Risk", "Ana", 3)
    assert board.at_risk_total == 2


def test_overdue_tasks_oldest_first(portfolio: Portfolio, book: dict):
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    assert [(t.title, t.days_overdue) for t in board.overdue_tasks] == [
        ("Oldest", 20),
        ("Call them", 3),
        ("Snoozed", 1),
    ]
    assert board.overdue_tasks[0].account_name == "Critical Co"
    assert board.overdue_total == 3


def test_empty_portfolio_has_no_figures(portfolio: Portfolio):
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    assert (board.nps, board.csat, board.sla_attainment) == (None, None, None)
    assert board.at_risk == () and board.overdue_tasks == ()
    assert board.figures.total_arr == 0 and board.figures.grr is None


def test_demo_dashboard(portfolio: Portfolio):
    build_demo(portfolio, today=TODAY)
    board = load_dashboard(portfolio, today=TODAY, now=NOW)
    assert board.nps is not None and board.csat is not None and board.sla_attainment is not None
    assert board.at_risk and all(a.health_band in ("At Risk", "Critical") for a in board.at_risk)
    scores = [a.health_score for a in board.at_risk]
    assert scores == sorted(scores)
    with portfolio.read() as s:
        overdue = s.scalar(
            select(func.count()).select_from(Task).where(Task.status != "done", Task.due_on < TODAY)
        )
    assert board.overdue_total == overdue
    counts = dict(board.figures.band_counts)
    assert counts["Critical"] + counts["At Risk"] == board.at_risk_total
