"""Renewals service: windows, overdue flags, milestone task states, proposals, monthly forecast."""

from __future__ import annotations

import datetime as dt

import pytest
from services_support import TODAY, insert_account
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Account, MetricLatest, Task
from csdesk.services import renewals
from csdesk.services.demo import build_demo
from csdesk.services.recompute import recompute_health


def _add(
    portfolio: Portfolio,
    name: str,
    days: int | None,
    *,
    status: str = "active",
    arr: float | None = 20000.0,
    score: float | None = 80.0,
    tier: str | None = "Starter",
    prepay: bool = False,
    usage: float | None = None,
) -> int:
    with portfolio.write() as s:
        account_id = insert_account(
            s,
            name,
            status=status,
            arr=arr,
            tier=tier,
            health_score=score,
            renewal_date=None if days is None else TODAY + dt.timedelta(days=days),
            annual_prepay=prepay,
        )
        if usage is not None:
            s.add(MetricLatest(account_id=account_id, metric="usage", as_of=TODAY, value=usage))
        return account_id


@pytest.fixture
def book(portfolio: Portfolio) -> dict[str, int]:
    """Renewals spread over the windows, one overdue, plus accounts that never show."""
    return {
        "overdue": _add(portfolio, "Overdue", -6, score=40.0),
        "today": _add(portfolio, "Today", 0, score=95.0),
        "d30": _add(portfolio, "Thirty", 30, score=None),
        "d45": _add(portfolio, "FortyFive", 45, arr=50000.0, score=65.0, status="pilot"),
        "d90": _add(portfolio, "Ninety", 90, arr=None),
        "d150": _add(portfolio, "OneFifty", 150, score=72.0),
        "d200": _add(portfolio, "TwoHundred", 200),
        "churned": _add(portfolio, "Gone", 10, status="churned"),
        "prospect": _add(portfolio, "Maybe", 10, status="prospect"),
        "undated": _add(portfolio, "Undated", None),
    }


@pytest.mark.parametrize(
    ("days", "expected", "count", "arr", "forecast"),
    [
        (30, ["overdue", "today", "d30"], 2, 40000.0, 19000.0 + 10000.0),
        (60, ["overdue", "today", "d30", "d45"], 3, 90000.0, 29000.0 + 30000.0),
        (90, ["overdue", "today", "d30", "d45", "d90"], 4, 90000.0, 59000.0),
        (180, ["overdue", "today", "d30", "d45", "d90", "d150"], 5, 110000.0, 59000.0 + 17000.0),
    ],
)
def test_windows_list_due_renewals_with_totals(
    portfolio: Portfolio,
    book: dict[str, int],
    days: int,
    expected: list[str],
    count: int,
    arr: float,
    forecast: float,
):
    window = renewals.renewals_due(portfolio, today=TODAY, days=days)
    assert [r.account_id for r in window.rows] == [book[k] for k in expected]
    assert (window.due_count, window.due_arr, window.forecast) == (count, arr, forecast)
    assert window.overdue_count == 1
    overdue = window.rows[0]
    assert overdue.overdue and overdue.days_left == -6
    assert (overdue.health_band, overdue.likelihood, overdue.forecast) == ("Critical", 0.3, 6000.0)
    assert not any(r.overdue for r in window.rows[1:])


def test_row_likelihood_follows_the_band(portfolio: Portfolio, book: dict[str, int]):
    rows = {r.account_id: r for r in renewals.renewals_due(portfolio, today=TODAY, days=180).rows}
    assert (rows[book["today"]].health_band, rows[book["today"]].likelihood) == ("Excellent", 0.95)
    assert (rows[book["d30"]].health_band, rows[book["d30"]].likelihood) == (None, 0.5)
    assert rows[book["d45"]].forecast == 30000.0 and rows[book["d45"]].status == "pilot"
    assert rows[book["d90"]].forecast is None
    assert rows[book["d150"]].days_left == 150


def test_window_without_overdue_and_bad_window(portfolio: Portfolio, book: dict[str, int]):
    window = renewals.renewals_due(portfolio, today=TODAY, days=30, include_overdue=False)
    assert book["overdue"] not in [r.account_id for r in window.rows]
    assert window.overdue_count == 0
    with pytest.raises(ValidationError, match="at least one day"):
        renewals.renewals_due(portfolio, today=TODAY, days=0)


def test_milestone_states_match_tasks_by_key(portfolio: Portfolio):
    account_id = _add(portfolio, "Acme", 40)
    renewal = TODAY + dt.timedelta(days=40)
    with portfolio.write() as s:
        for offset, status in ((60, "done"), (45, "open"), (30, "snoozed")):
            s.add(
                Task(
                    account_id=account_id,
                    type="renewal milestone",
                    title=f"E-{offset}",
                    due_on=renewal - dt.timedelta(days=offset),
                    status=status,
                    key=f"renewal:{renewal.isoformat()}:-{offset}",
                )
            )
    states = renewals.milestone_states(portfolio, account_id, today=TODAY)
    assert [(m.offset_days, m.state) for m in states] == [
        (60, "done"),
        (45, "overdue"),  # due 5 days ago, still open
        (30, "snoozed"),
        (15, "upcoming"),
    ]
    assert states[0].title == "Open renewal discussion"
    assert states[3].due == renewal - dt.timedelta(days=15) and states[3].task_id is None


def test_milestones_of_a_past_milestone_without_task_and_no_renewal(portfolio: Portfolio):
    soon = _add(portfolio, "Soon", 20)
    states = renewals.milestone_states(portfolio, soon, today=TODAY)
    assert [m.state for m in states] == ["no task", "no task", "no task", "upcoming"]
    assert renewals.milestone_states(portfolio, _add(portfolio, "None", None), today=TODAY) == ()
    overdue = renewals.milestone_states(portfolio, _add(portfolio, "Overdue", -3), today=TODAY)
    assert [m.state for m in overdue] == ["passed"] * 4
    with pytest.raises(NotFoundError):
        renewals.milestone_states(portfolio, 999, today=TODAY)


@pytest.mark.parametrize(
    ("kwargs", "current", "listed", "price", "discount", "suggested"),
    [
        ({"tier": "Starter", "arr": 20000.0}, 20000.0, 20000.0, 20000.0, 0.0, None),
        (
            {"tier": "Starter", "arr": 24000.0, "prepay": True},
            24000.0,
            20000.0,
            21600.0,
            2400.0,
            None,
        ),
        (
            {"tier": "Professional", "arr": 21000.0, "status": "pilot", "usage": 450000.0},
            21000.0,
            30000.0,
            30000.0,
            0.0,
            "Enterprise",
        ),
        (
            {"tier": "Starter", "arr": 20000.0, "usage": 80000.0},
            20000.0,
            20000.0,
            20000.0,
            0.0,
            "Professional",
        ),
        (
            {"tier": "Starter", "arr": 20000.0, "usage": 79999.0},
            20000.0,
            20000.0,
            20000.0,
            0.0,
            None,
        ),
    ],
)
def test_renewal_proposal(
    portfolio: Portfolio,
    kwargs: dict[str, object],
    current: float,
    listed: float,
    price: float,
    discount: float,
    suggested: str | None,
):
    account_id = _add(portfolio, "Acme", 60, **kwargs)  # type: ignore[arg-type]
    proposal = renewals.renewal_proposal(portfolio, account_id)
    p = proposal.price
    assert (p.current_price, p.list_price, p.renewal_price, p.loyalty_discount) == (
        current,
        listed,
        price,
        discount,
    )
    assert p.lock_months == 24
    if suggested is None:
        assert proposal.expansion is None
    else:
        assert proposal.expansion is not None
        assert proposal.expansion.suggested_plan is not None
        assert proposal.expansion.suggested_plan.name == suggested


def test_forecast_by_month(portfolio: Portfolio, book: dict[str, int]):
    months = renewals.forecast_by_month(portfolio, today=TODAY, months=8)
    assert [m.month for m in months[:3]] == [
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
    ]
    by_month = {m.month: m for m in months}
    june = by_month[dt.date(2026, 6, 1)]  # today (0.95) only: the overdue one is not forecast
    assert (june.count, june.arr, june.forecast) == (1, 20000.0, 19000.0)
    july = by_month[dt.date(2026, 7, 1)]  # +30 (no score, 0.5) and +45 (pilot, At Risk)
    assert (july.count, july.arr, july.forecast) == (2, 70000.0, 40000.0)
    assert by_month[dt.date(2026, 9, 1)].count == 1 and by_month[dt.date(2026, 9, 1)].arr == 0
    assert by_month[dt.date(2026, 11, 1)].forecast == 17000.0
    assert by_month[dt.date(2027, 1, 1)].count == 1  # +200
    assert sum(m.count for m in months) == 6


def test_demo_renewals(portfolio: Portfolio):
    build_demo(portfolio, today=TODAY)
    window = renewals.renewals_due(portfolio, today=TODAY, days=90)
    assert window.overdue_count >= 1 and window.due_count >= 5
    with portfolio.read() as s:
        due = s.scalar(
            select(Account.id)
            .where(Account.status == "active", Account.renewal_date > TODAY + dt.timedelta(days=60))
            .where(Account.renewal_date <= TODAY + dt.timedelta(days=90))
            .limit(1)
        )
    recompute_health(portfolio, today=TODAY)
    if due is not None:
        states = renewals.milestone_states(portfolio, due, today=TODAY)
        assert {m.state for m in states} == {"open"}
    months = renewals.forecast_by_month(portfolio, today=TODAY, months=3)
    in_window = [r for r in window.rows if not r.overdue and r.renewal_date <= dt.date(2026, 8, 31)]
    assert sum(m.count for m in months) == len(in_window)
