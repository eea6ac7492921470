"""Tests for lifecycle stages (SPEC 2.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from csdesk.scoring.lifecycle import (
    Stage,
    StageBounds,
    days_in_contract,
    days_to_next_stage,
    lifecycle_stage,
)

START = date(2024, 1, 1)


def on_day(day: int) -> date:
    """The calendar date of contract day ``day`` (day 1 = START)."""
    return START + timedelta(days=day - 1)


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (-30, Stage.PRE_START),
        (0, Stage.PRE_START),
        (1, Stage.ONBOARDING),
        (30, Stage.ONBOARDING),
        (31, Stage.VALUE_REALIZATION),
        (90, Stage.VALUE_REALIZATION),
        (91, Stage.OPTIMIZATION),
        (180, Stage.OPTIMIZATION),
        (181, Stage.EXPANSION),
        (2000, Stage.EXPANSION),
    ],
)
def test_stage_by_contract_day(day: int, stage: Stage) -> None:
    assert days_in_contract(START, on_day(day)) == day
    assert lifecycle_stage(START, on_day(day), "active") is stage


@pytest.mark.parametrize("status", ["churned", "Churned", " CHURNED "])
def test_churned_has_no_stage(status: str) -> None:
    assert lifecycle_stage(START, on_day(50), status) is None


def test_no_start_has_no_stage() -> None:
    assert lifecycle_stage(None, on_day(50), "active") is None
    assert days_in_contract(None, on_day(50)) is None


@pytest.mark.parametrize("status", ["prospect", "pilot", "active", None])
def test_other_statuses_have_stages(status: str | None) -> None:
    assert lifecycle_stage(START, on_day(31), status) is Stage.VALUE_REALIZATION


def test_stage_names() -> None:
    assert [s.value for s in Stage] == [
        "Pre-start",
        "Onboarding",
        "Value Realization",
        "Optimization",
        "Expansion",
    ]


@pytest.mark.parametrize(
    ("day", "remaining"),
    [(0, 1), (-4, 5), (1, 30), (30, 1), (31, 60), (180, 1), (181, None)],
)
def test_days_to_next_stage(day: int, remaining: int | None) -> None:
    assert days_to_next_stage(START, on_day(day), "active") == remaining


def test_custom_bounds() -> None:
    bounds = StageBounds(14, 60, 120)
    assert lifecycle_stage(START, on_day(15), "active", bounds) is Stage.VALUE_REALIZATION
    with pytest.raises(ValueError, match="stage bounds"):
        StageBounds(30, 30, 180)
