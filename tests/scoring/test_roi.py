"""Tests for the ROI calculation (SPEC 2.5)."""

from __future__ import annotations

import pytest

from csdesk.scoring.roi import SCENARIOS, RoiInputs, ValueLine, compute_roi

EXAMPLE = RoiInputs(
    qa_hours_saved_per_month=90,
    hourly_rate=45,
    incidents_avoided_per_year=25,
    cost_per_incident=1200,
    revenue_protected=50000,
    custom_lines=(("Faster onboarding", 6400.0),),
)


def test_worked_example() -> None:
    result = compute_roi(EXAMPLE, 30000)
    assert result.lines == (
        ValueLine("QA time saved", 48600.0),  # 90 h × 12 × 45
        ValueLine("Incidents avoided", 30000.0),  # 25 × 1200
        ValueLine("Revenue protected", 50000.0),
        ValueLine("Faster onboarding", 6400.0),
    )
    assert result.total_value == 135000.0
    assert result.cost == 30000.0
    assert result.multiple == 4.5
    assert result.net_value == 105000.0
    assert result.payback_months == pytest.approx(30000 / (135000 / 12))  # 2.666…, unrounded
    assert result.reason is None


def test_multiple_rounds_half_up_to_two_decimals() -> None:
    result = compute_roi(RoiInputs(revenue_protected=128600), 30000)
    assert result.multiple == 4.29  # 4.28666…
    assert compute_roi(RoiInputs(revenue_protected=4005), 1000).multiple == 4.01  # 4.005


def test_scenarios() -> None:
    assert SCENARIOS == (("conservative", 0.6), ("expected", 1.0), ("optimistic", 1.4))
    result = compute_roi(EXAMPLE, 30000)
    by_name = {s.name: s for s in result.scenarios}
    assert by_name["conservative"].total_value == 81000.0
    assert by_name["conservative"].multiple == 2.7
    assert by_name["conservative"].net_value == 51000.0
    assert by_name["expected"].total_value == result.total_value
    assert by_name["optimistic"].total_value == 189000.0
    assert by_name["optimistic"].multiple == 6.3
    assert by_name["optimistic"].payback_months == pytest.approx(30000 / (189000 / 12))


@pytest.mark.parametrize(
    ("inputs", "cost", "reason"),
    [
        (EXAMPLE, 0, "cost is zero"),
        (EXAMPLE, None, "no cost (ARR) recorded"),
        (RoiInputs(), 30000, "no value lines"),
        (RoiInputs(qa_hours_saved_per_month=90), 30000, "no value lines"),
        (RoiInputs(revenue_protected=0), 30000, "total value is zero"),
    ],
)
def test_no_roi_is_null_never_a_division_error(
    inputs: RoiInputs, cost: float | None, reason: str
) -> None:
    result = compute_roi(inputs, cost)
    assert result.multiple is None
    assert result.net_value is None
    assert result.payback_months is None
    assert result.reason == reason
    assert all(s.multiple is None and s.payback_months is None for s in result.scenarios)


def test_line_exists_only_when_its_inputs_are_present() -> None:
    result = compute_roi(
        RoiInputs(qa_hours_saved_per_month=10, cost_per_incident=500, revenue_protected=1000), 500
    )
    assert [line.label for line in result.lines] == ["Revenue protected"]
    assert result.incomplete == ("QA time saved", "Incidents avoided")
    assert result.multiple == 2.0


def test_zero_inputs_still_make_a_line() -> None:
    result = compute_roi(
        RoiInputs(qa_hours_saved_per_month=0, hourly_rate=45, revenue_protected=1200), 1200
    )
    assert result.lines[0] == ValueLine("QA time saved", 0.0)
    assert result.payback_months == 12.0


def test_negative_total_has_no_payback() -> None:
    result = compute_roi(RoiInputs(custom_lines=(("Lost deal", -5000.0),)), 1000)
    assert result.multiple == -5.0
    assert result.net_value == -6000.0
    assert result.payback_months is None
