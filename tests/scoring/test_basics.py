"""Tests for rounding, bands and the plan catalog."""

from __future__ import annotations

from fractions import Fraction

import pytest

from csdesk.scoring.bands import Band, BandThresholds, band_for
from csdesk.scoring.catalog import DEFAULT_PLANS, Plan, find_plan, next_tier, validate_plans
from csdesk.scoring.rounding import exact_weight, round_fraction_half_up, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (89.95, 1, 90.0),
        (2.675, 2, 2.68),
        (2.665, 2, 2.67),
        (0.125, 2, 0.13),
        (-2.675, 2, -2.68),
        (59.94, 1, 59.9),
        (3.945, 2, 3.95),
        (100.0, 1, 100.0),
        (0.0, 1, 0.0),
    ],
)
def test_round_half_up(value: float, places: int, expected: float) -> None:
    assert round_half_up(value, places) == expected


def test_round_half_up_keeps_non_finite() -> None:
    assert round_half_up(float("inf"), 1) == float("inf")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Fraction(18950, 200), 94.8), (Fraction(1799, 20), 90.0), (Fraction(-1, 20), -0.1)],
)
def test_round_fraction_half_up(value: Fraction, expected: float) -> None:
    assert round_fraction_half_up(value, 1) == expected


def test_exact_weight_recovers_thirds_and_decimals() -> None:
    assert exact_weight(40 / 3) == Fraction(40, 3)
    assert exact_weight(0.15) == Fraction(3, 20)
    assert exact_weight(30) == 30


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (None, None),
        (0.0, Band.CRITICAL),
        (49.9, Band.CRITICAL),
        (49.94, Band.CRITICAL),
        (49.95, Band.AT_RISK),
        (50.0, Band.AT_RISK),
        (59.9, Band.AT_RISK),
        (60.0, Band.AT_RISK),
        (69.9, Band.AT_RISK),
        (70.0, Band.GOOD),
        (89.9, Band.GOOD),
        (89.94, Band.GOOD),
        (89.95, Band.EXCELLENT),
        (90.0, Band.EXCELLENT),
        (100.0, Band.EXCELLENT),
    ],
)
def test_band_for_boundaries(score: float | None, band: Band | None) -> None:
    assert band_for(score) is band


def test_band_values_and_colours() -> None:
    assert [b.value for b in Band] == ["Excellent", "Good", "At Risk", "Critical"]
    assert str(Band.AT_RISK) == "At Risk"
    assert Band("At Risk") is Band.AT_RISK
    assert all(b.color.startswith("#") and len(b.color) == 7 for b in Band)
    assert Band.EXCELLENT.rank < Band.CRITICAL.rank


def test_custom_thresholds() -> None:
    strict = BandThresholds(excellent=95, good=80, at_risk=60)
    assert band_for(94.9, strict) is Band.GOOD
    assert band_for(59.9, strict) is Band.CRITICAL


def test_zones_cover_0_to_100_best_first() -> None:
    strict = BandThresholds(excellent=95, good=80, at_risk=60)
    assert strict.zones() == (
        (Band.EXCELLENT, 95, 100),
        (Band.GOOD, 80, 95),
        (Band.AT_RISK, 60, 80),
        (Band.CRITICAL, 0, 60),
    )


def test_thresholds_must_descend() -> None:
    with pytest.raises(ValueError, match="at_risk < good < excellent"):
        BandThresholds(excellent=70, good=80, at_risk=50)


def test_default_plans() -> None:
    expected = (
        Plan("Starter", 20000, 100000),
        Plan("Professional", 30000, 500000),
        Plan("Enterprise", 50000, None),
    )
    assert expected == DEFAULT_PLANS
    assert validate_plans(DEFAULT_PLANS) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("professional", "Professional"),
        ("  ENTERPRISE ", "Enterprise"),
        ("Starter", "Starter"),
        ("Gold", None),
        ("", None),
        (None, None),
    ],
)
def test_find_plan(name: str | None, expected: str | None) -> None:
    plan = find_plan(DEFAULT_PLANS, name)
    assert (plan.name if plan else None) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("starter", "Professional"),
        ("Professional", "Enterprise"),
        ("Enterprise", None),
        ("Gold", None),
    ],
)
def test_next_tier(name: str, expected: str | None) -> None:
    plan = next_tier(DEFAULT_PLANS, name)
    assert (plan.name if plan else None) == expected


def test_next_tier_uses_price_order() -> None:
    shuffled = (DEFAULT_PLANS[2], DEFAULT_PLANS[0], DEFAULT_PLANS[1])
    assert next_tier(shuffled, "Starter") == DEFAULT_PLANS[1]


def test_validate_plans_reports_problems() -> None:
    problems = validate_plans((Plan("A", -1, 10), Plan("a", 5, 0), Plan(" ", 1, None)))
    assert any("appears twice" in p for p in problems)
    assert any("list price" in p for p in problems)
    assert any("included volume" in p for p in problems)
    assert "a plan has no name" in problems


def test_the_plan_catalog_falls_back_to_the_defaults_only_when_none_is_stored() -> None:
    from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES, DEFAULT_PLANS, Plan, catalog_or_default

    assert catalog_or_default([]) == DEFAULT_PLANS
    assert DEFAULT_PLAN_NAMES == ("Starter", "Professional", "Enterprise")
    stored = catalog_or_default([("Team", 9000.0, 50000.0), ("Scale", 40000.0, None)])
    assert stored == (Plan("Team", 9000.0, 50000.0), Plan("Scale", 40000.0, None))


def test_an_input_becomes_the_decimal_it_was_written_as_or_none() -> None:
    from decimal import Decimal

    from csdesk.scoring.rounding import decimal_or_none

    assert decimal_or_none(89.95) == Decimal("89.95")
    assert decimal_or_none(None) is None
    assert decimal_or_none(float("nan")) is None
    assert decimal_or_none(float("inf")) is None
