"""The demo's success plans, narratives and brand: what the first exported deck shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from csdesk.models import Account
from csdesk.scoring.health_models import default_models
from csdesk.services.branding import load_branding
from csdesk.services.demo import build_demo
from csdesk.services.plan_draft import draft_summary
from csdesk.services.success_plans import load_success_plan

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from csdesk.db import open_portfolio

    portfolio = open_portfolio(tmp_path_factory.mktemp("demo") / "demo.db")
    build_demo(portfolio, today=TODAY)
    yield portfolio
    portfolio.close()


def _accounts(demo: Any, *statuses: str) -> list[tuple[int, str]]:
    with demo.read() as s:
        return list(
            s.execute(select(Account.id, Account.name).where(Account.status.in_(statuses))).all()
        )


def test_every_live_account_has_a_plan_of_linked_and_written_goals(demo: Any) -> None:
    statuses: Counter[str] = Counter()
    with demo.read() as s:
        for account_id, _name in _accounts(demo, "active", "pilot"):
            goals = load_success_plan(s, account_id, TODAY).goals
            assert 3 <= len(goals) <= 5
            assert any(g.metric_key for g in goals) and any(g.metric_key is None for g in goals)
            assert all(g.owner and g.due for g in goals)
            with demo.read() as r:
                renewal = r.get(Account, account_id).renewal_date
            assert all(g.due <= renewal for g in goals)  # due by the renewal
            for goal in goals:
                statuses[goal.status] += 1
                if goal.metric_key and goal.status != "planned":
                    assert goal.current is not None and goal.baseline is not None
                    assert goal.target is not None
        for account_id, _name in _accounts(demo, "prospect", "churned"):
            assert load_success_plan(s, account_id, TODAY).goals == ()
    # The demo shows every status a plan can have.
    assert set(statuses) == {"planned", "on track", "at risk", "achieved", "missed"}


def test_goal_targets_are_the_health_model_targets(demo: Any) -> None:
    model = default_models()["subscription"]
    logins = next(m for m in model.measures if m.metric == "logins_30d")
    with demo.read() as s:
        for account_id, _name in _accounts(demo, "active", "pilot"):
            for goal in load_success_plan(s, account_id, TODAY).goals:
                if goal.metric_key == "logins_30d":
                    assert goal.target == Decimal(str(logins.target))
                if goal.metric_key == "open_tickets":
                    assert goal.target == 0


def test_some_goals_are_internal_and_some_summaries_are_left_to_the_draft(demo: Any) -> None:
    live = _accounts(demo, "active", "pilot")
    with demo.read() as s:
        plans = [load_success_plan(s, account_id, TODAY) for account_id, _ in live]
        written = [p for p in plans if p.narrative.executive_summary]
        assert 0 < len(written) < len(plans)
        assert any(p.narrative.wins and not p.narrative.executive_summary for p in plans)
        assert any(g.internal for p in plans for g in p.goals)
        empty = next(a for (a, _), p in zip(live, plans, strict=True) if not p.narrative.wins)
        draft = draft_summary(s, empty, TODAY)
    assert "Lumio CX" in draft and "$" in draft


def test_the_demo_has_a_sample_brand_with_a_png_logo(demo: Any) -> None:
    with demo.read() as s:
        brand = load_branding(s)
    assert brand.vendor_name == "Lumio CX" and brand.accent == "#0F766E"
    assert brand.logo_kind == "png" and brand.logo and brand.logo.startswith(b"\x89PNG")
    assert brand.footer and (brand.currency, brand.locale) == ("USD", "en_US")
