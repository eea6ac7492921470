"""Tests for renewals: milestones, likelihood, forecast, price, expansion (SPEC 2.4)."""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.scoring.bands import Band
from csdesk.scoring.catalog import DEFAULT_PLANS, Plan, find_plan
from csdesk.scoring.renewal import (
    LIKELIHOOD,
    MILESTONES,
    days_until,
    expansion_signal,
    forecast_arr,
    is_overdue,
    likelihood,
    milestones,
    renewal_price,
)

STARTER, PROFESSIONAL, ENTERPRISE = DEFAULT_PLANS


def test_milestones() -> None:
    assert MILESTONES == (
        (60, "Open renewal discussion"),
        (45, "Present ROI report"),
        (30, "Negotiate terms"),
        (15, "Sign renewal"),
    )
    result = milestones(date(2024, 12, 31))
    assert [(m.offset_days, m.title, m.due) for m in result] == [
        (60, "Open renewal discussion", date(2024, 11, 1)),
        (45, "Present ROI report", date(2024, 11, 16)),
        (30, "Negotiate terms", date(2024, 12, 1)),
        (15, "Sign renewal", date(2024, 12, 16)),
    ]


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        (Band.EXCELLENT, 0.95),
        (Band.GOOD, 0.85),
        (Band.AT_RISK, 0.60),
        (Band.CRITICAL, 0.30),
        (None, 0.50),
    ],
)
def test_likelihood(band: Band | None, expected: float) -> None:
    assert likelihood(band) == expected
    assert LIKELIHOOD[band] == expected


def test_forecast_arr_counts_renewals_due_in_period() -> None:
    renewals = [
        (30000.0, Band.EXCELLENT, date(2024, 7, 1)),  # first day: in
        (20000.0, Band.CRITICAL, date(2024, 9, 30)),  # last day: in
        (50000.0, None, date(2024, 8, 15)),
        (99999.0, Band.GOOD, date(2024, 10, 1)),  # after: out
        (88888.0, Band.GOOD, date(2024, 6, 30)),  # before: out
        (None, Band.GOOD, date(2024, 8, 1)),
        (10000.0, Band.GOOD, None),
    ]
    # 28500 + 6000 + 25000
    assert forecast_arr(renewals, date(2024, 7, 1), date(2024, 9, 30)) == 59500.0
    assert forecast_arr([], date(2024, 7, 1), date(2024, 9, 30)) == 0.0


@pytest.mark.parametrize(
    ("arr", "plan", "status", "prepay", "expected"),
    [
        # list price higher than ARR: renew at list
        (25000.0, PROFESSIONAL, "active", False, (25000.0, 30000.0, 30000.0, 0.0, 30000.0)),
        # ARR higher than list: no price cut
        (55000.0, ENTERPRISE, "active", False, (55000.0, 50000.0, 55000.0, 0.0, 55000.0)),
        # pilot at list × (1 − 0.30) renews to list
        (21000.0, PROFESSIONAL, "pilot", False, (21000.0, 30000.0, 30000.0, 0.0, 30000.0)),
        # annual prepayment: 10% loyalty discount
        (25000.0, PROFESSIONAL, "active", True, (25000.0, 30000.0, 30000.0, 3000.0, 27000.0)),
        (55000.0, ENTERPRISE, "active", True, (55000.0, 50000.0, 55000.0, 5500.0, 49500.0)),
        # no ARR recorded on a pilot: current price is the discounted list price
        (None, STARTER, "pilot", False, (14000.0, 20000.0, 20000.0, 0.0, 20000.0)),
        # no tier: current price kept
        (12345.0, None, "active", False, (12345.0, None, 12345.0, 0.0, 12345.0)),
    ],
)
def test_renewal_price(
    arr: float | None,
    plan: Plan | None,
    status: str,
    prepay: bool,
    expected: tuple[float | None, ...],
) -> None:
    price = renewal_price(arr, plan, status, annual_prepay=prepay)
    got = (
        price.current_price,
        price.list_price,
        price.base_price,
        price.loyalty_discount,
        price.renewal_price,
    )
    assert got == expected
    assert price.lock_months == 24
    assert price.reason is None
    assert price.notes[-1] == "Renewal price locked for 24 months"


def test_renewal_price_notes() -> None:
    pilot = renewal_price(21000.0, PROFESSIONAL, "pilot", annual_prepay=True)
    assert any(
        "Pilot renews from its discounted price 21,000 to list 30,000" in n for n in pilot.notes
    )
    assert any("10% loyalty discount" in n for n in pilot.notes)
    assert pilot.change == 6000.0
    above = renewal_price(55000.0, ENTERPRISE, "active")
    assert any("no price cut" in n for n in above.notes)


def test_renewal_price_without_anything_to_price() -> None:
    price = renewal_price(None, None, "active")
    assert price.renewal_price is None
    assert price.reason == "no tier and no ARR to price from"
    assert price.change is None


@pytest.mark.parametrize(
    ("renewal", "status", "expected"),
    [
        (date(2024, 6, 14), "active", True),
        (date(2024, 6, 14), "pilot", True),
        (date(2024, 6, 15), "active", False),  # due today is not overdue yet
        (date(2024, 6, 14), "churned", False),
        (date(2024, 6, 14), "prospect", False),
        (None, "active", False),
    ],
)
def test_is_overdue(renewal: date | None, status: str, expected: bool) -> None:
    assert is_overdue(renewal, date(2024, 6, 15), status) is expected


def test_days_until() -> None:
    assert days_until(date(2024, 7, 15), date(2024, 6, 15)) == 30
    assert days_until(date(2024, 6, 10), date(2024, 6, 15)) == -5
    assert days_until(None, date(2024, 6, 15)) is None


@pytest.mark.parametrize(
    ("usage", "plan", "suggested"),
    [
        (80000.0, "Starter", "Professional"),  # exactly 80%
        (79999.0, "Starter", None),
        (450000.0, "professional", "Enterprise"),
        (10**9, "Enterprise", None),  # unlimited
        (None, "Starter", None),
        (90000.0, "Gold", None),
    ],
)
def test_expansion_signal(usage: float | None, plan: str, suggested: str | None) -> None:
    signal = expansion_signal(usage, plan)
    if suggested is None:
        assert signal is None
    else:
        assert signal is not None
        assert signal.suggested_plan == find_plan(DEFAULT_PLANS, suggested)
        assert signal.utilisation >= 0.8
        assert f"suggest {suggested}" in signal.reason


def test_expansion_on_top_limited_tier() -> None:
    plans = (Plan("Basic", 100, 10), Plan("Plus", 200, 20))
    signal = expansion_signal(19, plans[1], plans)
    assert signal is not None
    assert signal.suggested_plan is None
    assert "no higher tier" in signal.reason
