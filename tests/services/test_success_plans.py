"""Success plans: values read from the metric history, and the goal and narrative edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from services_support import TODAY, insert_account
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Activity, MetricSnapshot, SuccessGoal
from csdesk.services.edits import (
    GoalFields,
    RemovedGoal,
    add_goal,
    move_goal,
    remove_goal,
    set_narrative,
    update_goal,
)
from csdesk.services.success_plans import account_metric_keys, load_success_plan

D = dt.date


@pytest.fixture
def account_id(portfolio: Portfolio) -> int:
    """An account whose logins went 12 → 18 → 24 → 27 over the first half of 2026."""
    with portfolio.write() as s:
        acc = insert_account(s, "Acme Retail", status="active")
        for day, value in ((D(2026, 1, 1), 12.0), (D(2026, 3, 1), 18.0), (D(2026, 5, 1), 24.0)):
            s.add(MetricSnapshot(account_id=acc, metric="logins_30d", as_of=day, value=value))
        s.add(MetricSnapshot(account_id=acc, metric="logins_30d", as_of=D(2026, 7, 1), value=27))
        s.add(MetricSnapshot(account_id=acc, metric="precision", as_of=D(2026, 4, 1), value=0.835))
        return acc


def _plan(portfolio: Portfolio, account_id: int, today: dt.date = TODAY) -> object:
    with portfolio.read() as s:
        return load_success_plan(s, account_id, today)


def _timeline(portfolio: Portfolio, account_id: int) -> list[str]:
    with portfolio.read() as s:
        return list(
            s.scalars(
                select(Activity.summary)
                .where(Activity.account_id == account_id)
                .order_by(Activity.id)
            )
        )


def _titles(portfolio: Portfolio, account_id: int) -> list[str]:
    return [g.title for g in _plan(portfolio, account_id).goals]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("start", "baseline", "baseline_on"),
    [
        (D(2026, 3, 15), Decimal("18.0"), D(2026, 3, 1)),  # the value just before the start
        (D(2026, 3, 1), Decimal("18.0"), D(2026, 3, 1)),  # a value on the start day itself
        (D(2025, 6, 1), Decimal("12.0"), D(2026, 1, 1)),  # measured only later: first value
    ],
)
def test_a_linked_goal_reads_baseline_at_its_start_and_current_at_today(
    portfolio: Portfolio,
    account_id: int,
    start: dt.date,
    baseline: Decimal,
    baseline_on: dt.date,
) -> None:
    fields = GoalFields("More weekly users", metric_key="logins_30d", target=Decimal(30))
    add_goal(portfolio, account_id, GoalFields(**{**fields.__dict__, "start_on": start}))
    (goal,) = _plan(portfolio, account_id).goals  # type: ignore[attr-defined]
    assert (goal.baseline, goal.baseline_on) == (baseline, baseline_on)
    # The July value is after "today" (15 June): current is May's.
    assert (goal.current, goal.current_on) == (Decimal("24.0"), D(2026, 5, 1))
    assert goal.target == Decimal(30) and goal.start_on == start
    assert (str(goal.target), str(goal.current)) == ("30", "24")  # as written, not 30.0000


def test_an_entered_baseline_wins_and_values_stay_exact(
    portfolio: Portfolio, account_id: int
) -> None:
    add_goal(
        portfolio,
        account_id,
        GoalFields(
            "Sharper matches",
            metric_key="precision",
            baseline=Decimal("0.8"),
            target=Decimal("0.9"),
            start_on=D(2026, 5, 1),
        ),
    )
    (goal,) = _plan(portfolio, account_id).goals  # type: ignore[attr-defined]
    assert goal.baseline == Decimal("0.8") and goal.baseline_on is None
    assert goal.current == Decimal("0.835")  # not 0.83499999…


def test_a_free_text_goal_and_a_metric_without_history_have_no_values(
    portfolio: Portfolio, account_id: int
) -> None:
    add_goal(portfolio, account_id, GoalFields("Launch in Spain", text="Go live in 3 stores"))
    add_goal(portfolio, account_id, GoalFields("Uptime", metric_key="uptime_pct"))
    text_goal, unmeasured = _plan(portfolio, account_id).goals  # type: ignore[attr-defined]
    assert text_goal.metric_key is None and text_goal.text == "Go live in 3 stores"
    assert (unmeasured.baseline, unmeasured.current) == (None, None)


def test_a_plan_before_any_measurement_has_no_current(
    portfolio: Portfolio, account_id: int
) -> None:
    add_goal(portfolio, account_id, GoalFields("Users", metric_key="logins_30d"))
    (goal,) = _plan(portfolio, account_id, D(2025, 12, 1)).goals  # type: ignore[attr-defined]
    assert (goal.baseline, goal.current) == (None, None)


def test_add_update_remove_and_their_undo_values(portfolio: Portfolio, account_id: int) -> None:
    first = add_goal(portfolio, account_id, GoalFields("One", owner="Dana"), today=TODAY)
    second = add_goal(portfolio, account_id, GoalFields("Two"), today=TODAY)
    assert first.new_id and second.new_id and first.changes.plan
    assert _titles(portfolio, account_id) == ["One", "Two"]

    changed = update_goal(
        portfolio, first.new_id, GoalFields("One", owner="Dana", status="achieved")
    )
    assert changed.old == GoalFields("One", owner="Dana", start_on=TODAY)
    assert _plan(portfolio, account_id).goals[0].status == "achieved"  # type: ignore[attr-defined]
    update_goal(portfolio, first.new_id, changed.old)  # what undo does
    assert _plan(portfolio, account_id).goals[0].status == "planned"  # type: ignore[attr-defined]
    same = update_goal(portfolio, first.new_id, GoalFields("One", owner="Dana"))
    assert not same.changed

    removed = remove_goal(portfolio, first.new_id)
    assert isinstance(removed.old, RemovedGoal) and removed.old.position == 0
    assert _titles(portfolio, account_id) == ["Two"]
    back = add_goal(
        portfolio, removed.old.account_id, removed.old.fields, position=removed.old.position
    )
    assert _titles(portfolio, account_id) == ["One", "Two"]
    restored = _plan(portfolio, account_id).goals[0]  # type: ignore[attr-defined]
    assert (restored.id, restored.owner, restored.start_on) == (back.new_id, "Dana", TODAY)
    assert _timeline(portfolio, account_id) == [
        "Goal added: One",
        "Goal added: Two",
        "Goal One: status planned → achieved",
        "Goal One: status achieved → planned",
        "Goal removed: One",
        "Goal added: One",
    ]


def test_move_goal_reorders_and_undo_moves_back(portfolio: Portfolio, account_id: int) -> None:
    ids = [add_goal(portfolio, account_id, GoalFields(t)).new_id for t in "ABCD"]
    moved = move_goal(portfolio, ids[0], 2)
    assert _titles(portfolio, account_id) == ["B", "C", "A", "D"]
    assert moved.old == 0
    move_goal(portfolio, ids[0], moved.old)
    assert _titles(portfolio, account_id) == ["A", "B", "C", "D"]
    move_goal(portfolio, ids[3], 0)
    assert _titles(portfolio, account_id) == ["D", "A", "B", "C"]
    assert not move_goal(portfolio, ids[3], 0).changed
    with portfolio.read() as s:
        positions = sorted(s.scalars(select(SuccessGoal.position)))
    assert positions == [0, 1, 2, 3]
    assert _timeline(portfolio, account_id)[-1] == "Goal moved: D to place 1"


def test_narrative_edits_log_and_return_the_text_before(
    portfolio: Portfolio, account_id: int
) -> None:
    first = set_narrative(portfolio, account_id, "executive_summary", "  A strong year.  ")
    assert first.old == "" and first.changes.plan
    second = set_narrative(portfolio, account_id, "executive_summary", "A great year.")
    assert second.old == "A strong year."
    set_narrative(portfolio, account_id, "wins", "Went live in Spain")
    assert not set_narrative(portfolio, account_id, "wins", "Went live in Spain ").changed
    set_narrative(portfolio, account_id, "executive_summary", "")
    narrative = _plan(portfolio, account_id).narrative  # type: ignore[attr-defined]
    assert (narrative.executive_summary, narrative.wins, narrative.next_term_goals) == (
        "",
        "Went live in Spain",
        "",
    )
    assert _timeline(portfolio, account_id) == [
        "Executive summary written",
        "Executive summary edited",
        "Wins this term written",
        "Executive summary cleared",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (GoalFields("  "), "a goal needs a title"),
        (GoalFields("X", status="done"), "unknown goal status 'done'"),
        (GoalFields("X", target="lots"), "goal 'X' target: 'lots' is not a number"),  # type: ignore[arg-type]
        (GoalFields("X", baseline=Decimal("NaN")), "is not a number a goal can hold"),
        (GoalFields("X", target=Decimal("1e20")), "is not a number a goal can hold"),
    ],
)
def test_bad_goals_are_refused_with_one_line_and_nothing_written(
    portfolio: Portfolio, account_id: int, fields: GoalFields, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        add_goal(portfolio, account_id, fields)
    assert _plan(portfolio, account_id).goals == ()  # type: ignore[attr-defined]
    assert _timeline(portfolio, account_id) == []


def test_numbers_typed_as_text_are_read_exactly(portfolio: Portfolio, account_id: int) -> None:
    added = add_goal(
        portfolio,
        account_id,
        GoalFields("Volume", target="2,000,000", baseline="0.12345"),  # type: ignore[arg-type]
    )
    with portfolio.read() as s:
        goal = s.get(SuccessGoal, added.new_id)
        assert goal is not None
        assert (goal.target, goal.baseline) == (Decimal(2_000_000), Decimal("0.1235"))


def test_edits_of_what_is_gone_say_so(portfolio: Portfolio, account_id: int) -> None:
    with pytest.raises(NotFoundError):
        update_goal(portfolio, 999, GoalFields("X"))
    with pytest.raises(NotFoundError):
        remove_goal(portfolio, 999)
    with pytest.raises(NotFoundError):
        add_goal(portfolio, 999, GoalFields("X"))
    with pytest.raises(ValidationError, match="unknown narrative text"):
        set_narrative(portfolio, account_id, "notes", "x")


def test_metric_keys_for_the_picker(portfolio: Portfolio, account_id: int) -> None:
    with portfolio.read() as s:
        assert account_metric_keys(s, account_id) == ("logins_30d", "precision")


def test_the_draft_summary_uses_the_portfolio_currency_and_the_plan(
    portfolio: Portfolio, account_id: int
) -> None:
    from csdesk.models import RoiInput
    from csdesk.scoring.branding import Branding
    from csdesk.services.branding import save_branding
    from csdesk.services.plan_draft import draft_summary

    save_branding(portfolio, Branding(vendor_name="Northwind", currency="GBP", locale="en_GB"))
    with portfolio.write() as s:
        s.add(RoiInput(account_id=account_id, revenue_protected=60000.0))
        s.add(
            MetricSnapshot(
                account_id=account_id, metric="features_used", as_of=D(2026, 5, 1), value=9
            )
        )
        s.add(
            MetricSnapshot(
                account_id=account_id, metric="features_total", as_of=D(2026, 5, 1), value=12
            )
        )
    added = add_goal(portfolio, account_id, GoalFields("Users at 24", status="achieved"))
    add_goal(portfolio, account_id, GoalFields("Internal only", internal=True, status="achieved"))
    with portfolio.read() as s:
        text = draft_summary(s, account_id, TODAY)
    assert added.new_id
    assert "gained an estimated £60,000 a year in value from Northwind." in text
    assert "Logins in the last 30 days grew from 12 to 24" in text
    assert "the team uses 9 of the 12 features available" in text
    assert "The goal we set together, Users at 24, is achieved." in text
    assert "Internal only" not in text


def test_the_plan_editor_drafts_only_for_clients(portfolio: Portfolio, account_id: int) -> None:
    from csdesk.services.plan_draft import load_plan_editor

    with portfolio.write() as s:
        prospect = insert_account(s, "Maybe Ltd", status="prospect")
    client = load_plan_editor(portfolio, account_id, TODAY)
    assert client.draft.startswith("Logins in the last 30 days grew from 12 to 24.")
    assert {"logins_30d", "precision", "usage"} <= set(client.metric_keys)
    assert load_plan_editor(portfolio, prospect, TODAY).draft == ""
    set_narrative(portfolio, account_id, "executive_summary", "Written")
    assert load_plan_editor(portfolio, account_id, TODAY).draft == ""
    with pytest.raises(NotFoundError):
        load_plan_editor(portfolio, 999, TODAY)


def test_an_undo_never_overwrites_what_changed_since(portfolio: Portfolio, account_id: int) -> None:
    from csdesk.errors import StaleEditError

    goal_id = add_goal(portfolio, account_id, GoalFields("One")).new_id
    assert goal_id is not None
    edit = update_goal(portfolio, goal_id, GoalFields("One", status="achieved"))
    assert edit.new == GoalFields("One", status="achieved", start_on=edit.old.start_on)
    update_goal(portfolio, goal_id, GoalFields("One", status="missed"))  # someone else
    with pytest.raises(StaleEditError, match="goal 'One' is now"):
        update_goal(portfolio, goal_id, edit.old, expect=edit.new)
    written = set_narrative(portfolio, account_id, "wins", "A")
    set_narrative(portfolio, account_id, "wins", "B")
    with pytest.raises(StaleEditError, match="wins this term is now B"):
        set_narrative(portfolio, account_id, "wins", written.old, expect=written.new)
    assert _plan(portfolio, account_id).narrative.wins == "B"  # type: ignore[attr-defined]
