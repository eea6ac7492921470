"""Tests for health scores, alerts and trends with the shipped models (SPEC 2.2)."""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.scoring.bands import Band
from csdesk.scoring.health import (
    HealthResult,
    compute_health,
    detect_drop,
    needs_at_risk_task,
    trend,
)
from csdesk.scoring.health_models import HealthModel, Measure, default_models

MODELS = default_models()
SUBSCRIPTION = MODELS["subscription"]
OUTCOMES = MODELS["outcomes"]

FULL = {
    "usage": 100000,
    "usage_limit": 100000,
    "logins_30d": 30,
    "open_tickets": 0,
    "payments_current": 1,
    "features_used": 10,
    "features_total": 10,
}


def sub(**changes: float | None) -> HealthResult:
    return compute_health(SUBSCRIPTION, {**FULL, **changes})


def test_subscription_model_matches_spec() -> None:
    shape = [
        (m.key, m.kind, m.metric, m.target, m.denominator, m.step, m.weight)
        for m in SUBSCRIPTION.measures
    ]
    assert shape == [
        ("usage", "ratio", "usage", None, "usage_limit", None, 30),
        ("engagement", "ratio", "logins_30d", 30, None, None, 20),
        ("support", "penalty", "open_tickets", None, None, 0.1, 20),
        ("payment", "flag", "payments_current", None, None, None, 20),
        ("adoption", "ratio", "features_used", None, "features_total", None, 10),
    ]
    assert SUBSCRIPTION.total_weight == 100
    assert (SUBSCRIPTION.at_risk_below, SUBSCRIPTION.drop_points, SUBSCRIPTION.drop_days) == (
        60,
        10,
        7,
    )


def test_outcomes_model_matches_spec() -> None:
    groups = {g.key: g.weight for g in OUTCOMES.groups}
    assert groups == {"product_usage": 40, "business_results": 35, "engagement": 25}
    by_group: dict[str | None, list[tuple[str, float | None, str | None]]] = {}
    for m in OUTCOMES.measures:
        by_group.setdefault(m.group, []).append((m.metric, m.target, m.denominator))
    assert by_group == {
        "product_usage": [
            ("posts_per_week", 3, None),
            ("logins_30d", 12, None),
            ("features_used", None, "features_total"),
        ],
        "business_results": [("inquiries_per_month", 3, None), ("lead_quality", 10, None)],
        "engagement": [("open_tickets", None, None)],
    }
    assert [m.weight for m in OUTCOMES.measures][:3] == pytest.approx([40 / 3] * 3)
    assert OUTCOMES.total_weight == pytest.approx(100)


@pytest.mark.parametrize(
    ("changes", "score", "band"),
    [
        ({}, 100.0, Band.EXCELLENT),
        (
            {"usage": 80000, "logins_30d": 24, "open_tickets": 2, "features_used": 6},
            82.0,
            Band.GOOD,
        ),
        ({"payments_current": 0}, 80.0, Band.GOOD),
        (
            {"usage": 0, "logins_30d": 0, "open_tickets": 10, "features_used": 0},
            20.0,
            Band.CRITICAL,
        ),
        # 30·(99665/100000) = 29.8995 → 99.8995 → 99.9
        ({"usage": 99665}, 99.9, Band.EXCELLENT),
        # 30·0.6665 + 20 + 20 + 0 + 10 = 69.995 → 70.0, Good (rounded score decides)
        ({"usage": 66650, "payments_current": 0}, 70.0, Band.GOOD),
        # 30·0.665 + 70 = 89.95 exactly → rounds up to 90.0, Excellent
        ({"usage": 66500}, 90.0, Band.EXCELLENT),
        # 30·0.66499 + 70 = 89.9497 → 89.9, Good
        ({"usage": 66499}, 89.9, Band.GOOD),
    ],
)
def test_subscription_scores(changes: dict[str, float], score: float, band: Band) -> None:
    result = sub(**changes)
    assert result.score == score
    assert result.band is band
    assert result.reason is None


@pytest.mark.parametrize(
    ("target", "band"),
    [
        (49.9, Band.CRITICAL),
        (50.0, Band.AT_RISK),
        (59.9, Band.AT_RISK),
        (60.0, Band.AT_RISK),
        (69.9, Band.AT_RISK),
        (70.0, Band.GOOD),
        (89.9, Band.GOOD),
        (89.95, Band.EXCELLENT),
        (90.0, Band.EXCELLENT),
    ],
)
def test_band_boundaries_through_compute(target: float, band: Band) -> None:
    # One measure with target 100: the score is the value itself.
    model = HealthModel("t", 1, (Measure("m", "M", "ratio", "x", target=100, weight=1),))
    result = compute_health(model, {"x": target})
    assert result.score == (90.0 if target == 89.95 else target)
    assert result.band is band


def test_flag_and_penalty_clamp() -> None:
    result = sub(open_tickets=25, payments_current=7, usage=250000, logins_30d=-4)
    lines = {line.key: line for line in result.breakdown}
    assert lines["support"].attainment == 0.0
    assert lines["payment"].attainment == 1.0
    assert lines["usage"].attainment == 1.0
    assert lines["engagement"].attainment == 0.0
    assert sub(open_tickets=-3).score == 100.0


def test_enterprise_without_usage_limit_renormalises() -> None:
    result = sub(usage=420000, usage_limit=None, logins_30d=15)
    usage = result.breakdown[0]
    assert usage.no_data and usage.attainment is None and usage.contribution is None
    assert usage.reason == "no usage_limit"
    # (20·0.5 + 20 + 20 + 10) / 70 = 60/70
    assert result.raw_score == pytest.approx(600 / 7)
    assert result.score == 85.7
    assert result.coverage == pytest.approx(0.7)
    assert sum(line.contribution or 0 for line in result.breakdown) == pytest.approx(600 / 7)


@pytest.mark.parametrize("limit", [None, 0, float("nan")])
def test_empty_or_zero_denominator_is_no_data(limit: float | None) -> None:
    assert sub(usage_limit=limit).breakdown[0].no_data


def test_missing_metric_is_no_data() -> None:
    metrics = {k: v for k, v in FULL.items() if k != "payments_current"}
    result = compute_health(SUBSCRIPTION, metrics)
    assert result.breakdown[3].no_data
    assert result.breakdown[3].reason == "no payments_current"
    assert result.score == 100.0


@pytest.mark.parametrize(
    ("metrics", "score"),
    [
        # usage 30 + engagement 20 = 50 of 100: exactly half still scores.
        ({"usage": 50, "usage_limit": 100, "logins_30d": 30}, 70.0),
        # usage 30 + adoption 10 = 40: insufficient.
        ({"usage": 50, "usage_limit": 100, "features_used": 1, "features_total": 2}, None),
        ({}, None),
    ],
)
def test_insufficient_data(metrics: dict[str, float], score: float | None) -> None:
    result = compute_health(SUBSCRIPTION, metrics)
    assert result.score == score
    if score is None:
        assert result.reason == "insufficient data"
        assert result.band is None and result.raw_score is None
        assert all(line.contribution is None for line in result.breakdown)


def test_outcomes_scores() -> None:
    full = {
        "posts_per_week": 3,
        "logins_30d": 12,
        "features_used": 5,
        "features_total": 5,
        "inquiries_per_month": 3,
        "lead_quality": 7,
        "open_tickets": 0,
    }
    # 40 + 17.5 + 17.5·0.7 + 25 = 94.75 exactly → 94.8 (no float noise with thirds)
    result = compute_health(OUTCOMES, full)
    assert result.score == 94.8
    assert result.model_name == "outcomes" and result.model_version == 1
    halfway = {**full, "posts_per_week": 1.5, "lead_quality": 10, "open_tickets": 5}
    # 40·(0.5+1+1)/3 + 35 + 25·0.5 = 33.33 + 35 + 12.5 = 80.83
    assert compute_health(OUTCOMES, halfway).score == 80.8


def test_attainments_property() -> None:
    assert sub(usage=50000).attainments["usage"] == 0.5


@pytest.mark.parametrize(
    ("score", "status", "expected"),
    [
        (59.9, "active", True),
        (59.9, "Pilot", True),
        (60.0, "active", False),
        (10.0, "prospect", False),
        (10.0, "churned", False),
        (None, "active", False),
        (30.0, None, False),
    ],
)
def test_needs_at_risk_task(score: float | None, status: str | None, expected: bool) -> None:
    assert needs_at_risk_task(score, status) is expected
    assert needs_at_risk_task(score, status, SUBSCRIPTION) is expected


TODAY = date(2024, 6, 15)
BEFORE = {"usage": 1.0, "support": 0.8, "payment": 1.0}


@pytest.mark.parametrize(
    ("history", "new_score", "expected_points", "expected_from"),
    [
        ([(date(2024, 6, 10), 80.0, BEFORE)], 69.9, 10.1, date(2024, 6, 10)),
        ([(date(2024, 6, 10), 80.0, BEFORE)], 70.0, None, None),  # exactly 10 is no alert
        ([(date(2024, 6, 8), 80.0, BEFORE)], 60.0, 20.0, date(2024, 6, 8)),  # 7 days: in
        ([(date(2024, 6, 7), 80.0, BEFORE)], 60.0, None, None),  # 8 days: out
        (
            [(date(2024, 6, 9), 75.0, BEFORE), (date(2024, 6, 12), 90.0, BEFORE)],
            70.0,
            20.0,
            date(2024, 6, 12),
        ),
        ([(date(2024, 6, 12), None, BEFORE)], 10.0, None, None),
        ([], 10.0, None, None),
    ],
)
def test_detect_drop(
    history: list[tuple[date, float | None, dict[str, float]]],
    new_score: float,
    expected_points: float | None,
    expected_from: date | None,
) -> None:
    drop = detect_drop(history, TODAY, new_score, {"usage": 0.5, "support": 0.8, "payment": 0})
    if expected_points is None:
        assert drop is None
    else:
        assert drop is not None
        assert drop.points == expected_points
        assert drop.previous_date == expected_from
        assert drop.fallen == ("usage", "payment")
        assert drop.message.startswith(f"Health fell {expected_points:.1f} points since")
        assert "(usage, payment)" in drop.message


def test_detect_drop_without_new_score() -> None:
    assert detect_drop([(TODAY, 90.0, BEFORE)], TODAY, None, {}) is None


@pytest.mark.parametrize(
    ("current", "past", "expected"),
    [
        (80.0, 70.0, "up"),
        (70.0, 80.0, "down"),
        (80.0, 79.5, "flat"),
        (80.0, 79.0, "up"),
        (None, 70.0, None),
        (70.0, None, None),
    ],
)
def test_trend(current: float | None, past: float | None, expected: str | None) -> None:
    assert trend(current, past) == expected
