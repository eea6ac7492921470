"""The account 360 read model over the demo portfolio."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError
from csdesk.models import Account
from csdesk.scoring.lifecycle import lifecycle_stage
from csdesk.scoring.roi import compute_roi
from csdesk.services.account_detail import load_account_detail
from csdesk.services.demo import build_demo

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def demo(portfolio: Portfolio) -> Portfolio:
    """The demo portfolio as of TODAY."""
    build_demo(portfolio, today=TODAY)
    return portfolio


def _ids(portfolio: Portfolio) -> list[int]:
    with portfolio.read() as s:
        return list(s.scalars(select(Account.id).order_by(Account.id)))


def test_every_demo_account_loads_consistently(demo: Portfolio):
    for account_id in _ids(demo):
        detail = load_account_detail(demo, account_id, today=TODAY)
        header = detail.header
        with demo.read() as s:
            acc = s.get(Account, account_id)
            assert acc is not None
            expected_stage = lifecycle_stage(acc.contract_start, TODAY, acc.status)
        assert header.name == acc.name
        assert header.stage == (expected_stage.value if expected_stage else None)
        assert detail.roi_result == compute_roi(detail.roi.inputs(), acc.arr)
        dates = [p.as_of for p in detail.history]
        assert dates == sorted(dates)
        for series in detail.metrics:
            assert [d for d, _ in series.points] == sorted(d for d, _ in series.points)
        if header.health_score is not None and detail.breakdown_source == "snapshot":
            contributions = [b.contribution for b in detail.breakdown if not b.no_data]
            assert round(sum(c for c in contributions if c is not None), 1) == pytest.approx(
                header.health_computed_score, abs=0.051
            )
        for line in detail.breakdown:
            assert line.no_data == (line.attainment is None)


def test_demo_shows_people_support_and_surveys(demo: Portfolio):
    details = [load_account_detail(demo, i, today=TODAY) for i in _ids(demo)]
    assert any(d.contacts for d in details)
    with_tickets = [d for d in details if d.tickets]
    assert with_tickets
    for detail in with_tickets:
        for ticket in detail.tickets:
            if ticket.sla.met is None:
                assert ticket.resolved_at is None
    with_surveys = [d for d in details if d.surveys]
    assert with_surveys and all(d.nps is not None or d.csat is not None for d in with_surveys)
    assert any(d.roi_result.multiple is not None for d in details)
    assert any(d.open_tasks for d in details)


def test_roi_preview_replaces_only_the_given_input(demo: Portfolio):
    detail = next(
        d
        for d in (load_account_detail(demo, i, today=TODAY) for i in _ids(demo))
        if d.roi_result.multiple is not None
    )
    preview = detail.roi.inputs({"revenue_protected": 1_000_000.0})
    assert preview.revenue_protected == 1_000_000.0
    assert preview.hourly_rate == detail.roi.values["hourly_rate"]
    assert compute_roi(preview, detail.header.arr).total_value > detail.roi_result.total_value


def test_unknown_account_is_not_found(demo: Portfolio):
    with pytest.raises(NotFoundError, match="no longer exists"):
        load_account_detail(demo, 10_000, today=TODAY)


def test_breakdown_from_current_metrics_before_any_recompute(portfolio: Portfolio):
    with portfolio.write() as s:
        acc = Account(name="Fresh", name_key="fresh", status="active")
        s.add(acc)
        s.flush()
        account_id = acc.id
    detail = load_account_detail(portfolio, account_id, today=TODAY)
    assert detail.breakdown_source == "current metrics"
    assert detail.breakdown and all(line.no_data for line in detail.breakdown)
    assert detail.roi_result.multiple is None and detail.history == ()
