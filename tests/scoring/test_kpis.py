"""Tests for NPS, CSAT, SLA and portfolio figures (SPEC 2.6 and 2.8)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from csdesk.scoring.bands import Band
from csdesk.scoring.kpis import (
    SLA_TARGETS,
    Csat,
    SlaStatus,
    arr_by_band,
    band_distribution,
    csat,
    grr,
    logo_churn,
    nps,
    nrr,
    renewal_rate,
    sla_attainment,
    ticket_sla,
)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 9, 8, 7, 6, 0], 0.0),  # 2 promoters, 2 detractors
        ([10, 10, 10], 100.0),
        ([0, 6, 6], -100.0),
        ([9, 7, 8, 6], 0.0),
        ([9, 9, 8], 66.7),
        ([7, 8], 0.0),
        ([None, 10], 100.0),
        ([], None),
        ([None], None),
    ],
)
def test_nps(scores: list[int | None], expected: float | None) -> None:
    assert nps(scores) == expected


@pytest.mark.parametrize("bad", [11, -1, 7.5])
def test_nps_rejects_out_of_scale(bad: float) -> None:
    with pytest.raises(ValueError, match="NPS"):
        nps([bad])


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([5, 4, 3, 2, 1], Csat(3.0, 40.0, 5)),
        ([4, 4, 5], Csat(4.33, 100.0, 3)),
        ([3], Csat(3.0, 0.0, 1)),
        ([], None),
    ],
)
def test_csat(scores: list[int], expected: Csat | None) -> None:
    assert csat(scores) == expected


def test_csat_rejects_out_of_scale() -> None:
    with pytest.raises(ValueError, match="CSAT"):
        csat([0])


OPENED = datetime(2024, 6, 1, 9, 0)


def at(hours: float) -> datetime:
    return OPENED + timedelta(hours=hours)


def test_sla_targets() -> None:
    assert {p: (t.response_hours, t.resolution_hours) for p, t in SLA_TARGETS.items()} == {
        "P0": (1, 4),
        "P1": (4, 24),
        "P2": (24, None),
    }


@pytest.mark.parametrize(
    ("priority", "response", "resolved", "now", "expected"),
    [
        ("P0", at(0.99), at(3.99), None, (True, True, True)),
        ("P0", at(1), at(3), None, (False, False, True)),  # exactly 1 h is NOT < 1 h
        ("P0", at(0.5), at(4), None, (False, True, False)),  # exactly 4 h is late
        ("P1", at(3.9), at(23.9), None, (True, True, True)),
        ("P1", at(4), at(10), None, (False, False, True)),
        ("p1", at(1), at(24), None, (False, True, False)),
        ("P2", at(23.9), None, at(500), (True, True, True)),  # no resolution target
        ("P2", at(24), None, None, (False, False, True)),
        # open tickets
        ("P0", None, None, at(0.5), (None, None, None)),  # within target: pending
        ("P0", None, None, at(1), (False, False, None)),  # past response target: breached
        ("P0", at(0.5), None, at(2), (None, True, None)),
        ("P0", at(0.5), None, at(4), (False, True, False)),
        ("P1", None, None, None, (None, None, None)),  # no clock: pending
        ("P1", None, at(3), None, (True, True, True)),  # answered at resolution
    ],
)
def test_ticket_sla(
    priority: str,
    response: datetime | None,
    resolved: datetime | None,
    now: datetime | None,
    expected: tuple[bool | None, bool | None, bool | None],
) -> None:
    status = ticket_sla(priority, OPENED, response, resolved, now)
    assert (status.met, status.response_met, status.resolution_met) == expected
    if status.met is None:
        assert status.reason == "pending"
    elif status.met is False:
        assert status.reason is not None and status.reason.endswith("breached")


def test_unknown_priority() -> None:
    with pytest.raises(ValueError, match="unknown ticket priority"):
        ticket_sla("P3", OPENED, None, None, None)


def test_sla_attainment() -> None:
    met, missed, pending = (
        SlaStatus(True, True, True),
        SlaStatus(False, False, True),
        SlaStatus(None, None, None),
    )
    assert sla_attainment([met, met, missed, pending]) == 66.7
    assert sla_attainment([pending]) is None
    assert sla_attainment([]) is None


@pytest.mark.parametrize(
    ("start", "churned", "contraction", "expansion", "g", "n"),
    [
        (1_000_000, 50_000, 30_000, 120_000, 0.92, 1.04),
        (100, 0, 0, 0, 1.0, 1.0),
        (0, 0, 0, 10, None, None),
    ],
)
def test_grr_nrr(
    start: float,
    churned: float,
    contraction: float,
    expansion: float,
    g: float | None,
    n: float | None,
) -> None:
    assert grr(start, churned, contraction) == g
    assert nrr(start, churned, contraction, expansion) == n


def test_logo_churn_and_renewal_rate() -> None:
    assert logo_churn(40, 2) == 0.05
    assert logo_churn(0, 0) is None
    assert renewal_rate(8, 6) == 0.75
    assert renewal_rate(0, 0) is None


def test_band_distribution_and_arr_by_band() -> None:
    scores = [95.0, 89.95, 72.0, 50.0, 49.9, None]
    assert band_distribution(scores) == {
        Band.EXCELLENT: 2,
        Band.GOOD: 1,
        Band.AT_RISK: 1,
        Band.CRITICAL: 1,
        None: 1,
    }
    assert list(band_distribution([])) == [*Band, None]
    accounts = [(30000.0, 95.0), (20000.5, 91.0), (None, 75.0), (10000.0, None), (5000.0, 10.0)]
    assert arr_by_band(accounts) == {
        Band.EXCELLENT: 50000.5,
        Band.GOOD: 0.0,
        Band.AT_RISK: 0.0,
        Band.CRITICAL: 5000.0,
        None: 10000.0,
    }
