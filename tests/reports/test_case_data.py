"""The business-case assembler: every figure comes from the scoring rules and the stored data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from report_builders import TODAY, add_account, add_metrics, build_full_account

from csdesk.errors import NotFoundError
from csdesk.reports.case_data import assemble_case
from csdesk.scoring.catalog import DEFAULT_PLANS
from csdesk.scoring.renewal import renewal_price
from csdesk.scoring.roi import RoiInputs, compute_roi


def _case(portfolio: Any, account_id: int, today: dt.date = TODAY) -> Any:
    with portfolio.read() as session:
        return assemble_case(session, account_id, today=today)


def test_full_case_roi_matches_the_scoring_rule(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    expected = compute_roi(
        RoiInputs(
            qa_hours_saved_per_month=40.0,
            hourly_rate=55.0,
            incidents_avoided_per_year=6.0,
            cost_per_incident=2500.0,
            revenue_protected=12000.0,
            custom_lines=(("=Faster onboarding", 4000.0), ("Licence savings", 1500.5)),
        ),
        24000.0,
    )
    assert case.roi.result == expected
    assert case.roi.has_inputs
    assert case.roi.result.multiple == 2.45


def test_full_case_account_health_and_usage(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    assert case.account.name == "Müller & Søn"
    assert case.account.sponsor == "Jörg Äpfel (CFO)"
    assert case.account.stage == "Expansion"
    assert case.health.score == 78.5 and case.health.band == "Good"
    assert [line.label for line in case.health.breakdown][:2] == ["Usage", "Engagement"]
    assert sum(line.weight_share for line in case.health.breakdown) == pytest.approx(1.0)
    assert [p.score for p in case.health.history] == [62.0, 66.5, 71.0, 69.0, 74.5, 78.5]
    assert len(case.usage.usage) == 12 and case.usage.usage[-1].value == 86000.0
    assert case.usage.usage_limit == 100000.0


def test_renewal_proposal_and_tier_recommendation(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    starter = DEFAULT_PLANS[0]
    assert case.renewal.price == renewal_price(24000.0, starter, "active", None, annual_prepay=True)
    assert case.renewal.price.renewal_price == 21600.0  # ARR kept above list, less 10% prepay
    assert case.renewal.days_left == 46 and not case.renewal.overdue
    assert case.renewal.recommended_tier == "Professional"  # usage 86% of 100,000
    assert "86%" in case.renewal.recommendation
    assert case.renewal.forecast == pytest.approx(24000 * 0.85)


def test_agreed_targets_replace_the_model_target_of_their_metric(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    by_metric = {m.metric: m for m in case.success_metrics}
    assert {"logins_30d", "open_tickets"} <= set(by_metric)
    assert by_metric["logins_30d"].met is False  # 23 against at least 25
    assert by_metric["logins_30d"].target == 25.0 and by_metric["logins_30d"].agreed
    assert by_metric["open_tickets"].met is False  # 2 against at most 1
    # The model's other measures keep the model's targets: one source per metric.
    assert not by_metric["payments_current"].agreed


def test_model_targets_are_the_default(portfolio: Any) -> None:
    with portfolio.write() as session:
        account_id = add_account(session, "Defaults", status="active", tier="Starter")
        add_metrics(session, account_id, "logins_30d", [(dt.date(2026, 3, 1), 30.0)])
        add_metrics(session, account_id, "open_tickets", [(dt.date(2026, 3, 1), 3.0)])
        add_metrics(session, account_id, "usage", [(dt.date(2026, 3, 1), 50.0)])
        add_metrics(session, account_id, "usage_limit", [(dt.date(2026, 3, 1), 100.0)])
    case = _case(portfolio, account_id)
    by_metric = {m.metric: m for m in case.success_metrics}
    assert by_metric["logins_30d"].target == 30 and by_metric["logins_30d"].met
    assert by_metric["open_tickets"].target == 0 and by_metric["open_tickets"].met is False
    assert by_metric["usage"].target == 100.0  # the denominator metric's value
    assert by_metric["payments_current"].flag and by_metric["payments_current"].met is None
    assert not any(m.agreed for m in case.success_metrics)
    # No snapshot yet: the breakdown is recomputed from the newest metrics.
    assert {line.label for line in case.health.breakdown} >= {"Usage", "Engagement"}


def test_next_steps_carry_milestone_status_tasks_and_actions(case_portfolio: Any) -> None:
    steps = _case(case_portfolio, case_portfolio.full_id).next_steps
    dated = [(s.due, s.title, s.status) for s in steps if s.due]
    assert dated == [
        (dt.date(2026, 3, 1), "Open renewal discussion", "done"),
        (dt.date(2026, 3, 16), "Present ROI report", "planned"),
        (dt.date(2026, 3, 20), "Send <usage> review & agenda", "open"),
        (dt.date(2026, 3, 31), "Negotiate terms", "planned"),
        (dt.date(2026, 4, 15), "Sign renewal", "planned"),
    ]
    actions = [s.title for s in steps if s.due is None]
    assert actions == ["Propose the Professional tier at the renewal call."]


def test_bare_account_gives_empty_sections_not_errors(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.bare_id)
    assert not case.roi.has_inputs and case.roi.result.multiple is None
    assert case.health.score is None and case.health.breakdown == () and case.health.history == ()
    assert case.usage.usage == () and case.renewal.renewal_date is None
    assert case.renewal.price.renewal_price is None and case.renewal.forecast is None
    assert case.renewal.likelihood == 0.5
    titles = [s.title for s in case.next_steps]
    assert titles[0].startswith("Confirm the contract end date")
    assert any("ROI assumptions" in t for t in titles)


def test_overdue_renewal_and_recovery_action(portfolio: Any) -> None:
    with portfolio.write() as session:
        account_id = build_full_account(session, name="Late Co", crm_id="L-1")
        from csdesk.models import Account

        account = session.get(Account, account_id)
        account.health_score, account.health_band = 45.0, "Critical"
    case = _case(portfolio, account_id, today=dt.date(2026, 5, 10))
    assert case.renewal.overdue and case.renewal.days_left == -10
    statuses = {s.title: s.status for s in case.next_steps if s.kind == "milestone"}
    assert statuses["Sign renewal"] == "passed" and statuses["Open renewal discussion"] == "done"
    actions = " ".join(s.title for s in case.next_steps if s.kind == "action")
    assert "has passed" in actions and "recovery plan" in actions


def test_unknown_account_is_not_found(portfolio: Any) -> None:
    with portfolio.read() as session, pytest.raises(NotFoundError):
        assemble_case(session, 999, today=TODAY)
