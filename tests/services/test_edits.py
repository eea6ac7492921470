"""Edits made in the app: validation, one transaction each, timeline entries, undo values."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Account, Activity, HealthSnapshot, MetricLatest, MetricSnapshot, Task
from csdesk.services import edits
from csdesk.services.account_detail import load_account_detail

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def account_id(portfolio: Portfolio) -> int:
    """One active account with a computed score of 72.0 and a QA-hours history."""
    with portfolio.write() as s:
        acc = Account(
            name="Acme Retail",
            name_key="acme retail",
            status="active",
            tier="Starter",
            arr=20000.0,
            health_score=72.0,
            health_computed_score=72.0,
            health_band="Good",
            health_model="subscription",
        )
        s.add(acc)
        s.flush()
        s.add(
            MetricSnapshot(
                account_id=acc.id, metric="qa_hours_saved_per_month", as_of=TODAY, value=1.0
            )
        )
        s.add(
            MetricSnapshot(
                account_id=acc.id,
                metric="qa_hours_saved_per_month",
                as_of=TODAY - dt.timedelta(days=30),
                value=40.0,
            )
        )
        s.add(
            MetricLatest(
                account_id=acc.id, metric="qa_hours_saved_per_month", as_of=TODAY, value=1.0
            )
        )
        return acc.id


def _timeline(portfolio: Portfolio, account_id: int) -> list[tuple[str, str]]:
    with portfolio.read() as s:
        rows = s.execute(
            select(Activity.kind, Activity.summary)
            .where(Activity.account_id == account_id)
            .order_by(Activity.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_roi_input_edit_changes_the_multiple_and_undo_restores_it(
    portfolio: Portfolio, account_id: int
):
    result = edits.set_roi_input(portfolio, account_id, "hourly_rate", 100.0, today=TODAY)
    assert result.old is None and result.changed and result.changes.roi
    detail = load_account_detail(portfolio, account_id, today=TODAY)
    assert detail.roi_result.total_value == 1.0 * 12 * 100.0
    edits.set_roi_input(portfolio, account_id, "revenue_protected", 38800.0, today=TODAY)
    detail = load_account_detail(portfolio, account_id, today=TODAY)
    assert detail.roi_result.multiple == 2.0  # (1,200 + 38,800) / 20,000
    undo = edits.set_roi_input(portfolio, account_id, "revenue_protected", None, today=TODAY)
    assert undo.old == 38800.0
    assert load_account_detail(portfolio, account_id, today=TODAY).roi_result.multiple == 0.06
    assert _timeline(portfolio, account_id)[-1] == (
        "edit",
        "ROI Revenue protected / year: 38,800 → (empty)",
    )


def test_unchanged_roi_input_writes_nothing(portfolio: Portfolio, account_id: int):
    edits.set_roi_input(portfolio, account_id, "hourly_rate", 80.0, today=TODAY)
    again = edits.set_roi_input(portfolio, account_id, "hourly_rate", 80.0, today=TODAY)
    assert not again.changed and again.old == 80.0
    assert len(_timeline(portfolio, account_id)) == 1


def test_qa_hours_are_a_metric_and_clearing_today_shows_the_older_value(
    portfolio: Portfolio, account_id: int
):
    result = edits.set_roi_input(
        portfolio, account_id, "qa_hours_saved_per_month", 55.0, today=TODAY
    )
    assert result.old == 1.0 and result.changes.metrics
    assert (
        load_account_detail(portfolio, account_id, today=TODAY).roi.values[
            "qa_hours_saved_per_month"
        ]
        == 55.0
    )
    cleared = edits.set_roi_input(
        portfolio, account_id, "qa_hours_saved_per_month", None, today=TODAY
    )
    assert cleared.old == 55.0
    with portfolio.read() as s:
        latest = s.scalar(select(MetricLatest.value).where(MetricLatest.account_id == account_id))
        points = s.scalar(select(func.count()).select_from(MetricSnapshot))
    assert latest == 40.0 and points == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hourly_rate", -5.0, "cannot be negative"),
        ("hourly_rate", float("nan"), "not a number"),
        ("colour", 1.0, "unknown ROI input"),
    ],
)
def test_bad_roi_inputs_are_refused(
    portfolio: Portfolio, account_id: int, field: str, value: float, message: str
):
    with pytest.raises(ValidationError, match=message):
        edits.set_roi_input(portfolio, account_id, field, value, today=TODAY)
    assert _timeline(portfolio, account_id) == []


def test_roi_lines_add_update_remove_and_restore(portfolio: Portfolio, account_id: int):
    first = edits.add_roi_line(portfolio, account_id, "Churn avoided", 5000.0)
    second = edits.add_roi_line(portfolio, account_id, "Licences saved", 1000.0)
    assert first.new_id and second.new_id
    updated = edits.update_roi_line(portfolio, first.new_id, "Churn avoided", 6000.0)
    assert (updated.old.label, updated.old.amount) == ("Churn avoided", 5000.0)
    removed = edits.remove_roi_line(portfolio, first.new_id)
    account, label, amount, position = removed.old
    assert (removed.old.account_id, removed.old.position) == (account_id, 0)
    lines = load_account_detail(portfolio, account_id, today=TODAY).roi.lines
    assert [line.label for line in lines] == ["Licences saved"]
    edits.add_roi_line(portfolio, account, label, amount, position=position)
    lines = load_account_detail(portfolio, account_id, today=TODAY).roi.lines
    assert [(line.label, line.amount) for line in lines] == [
        ("Churn avoided", 6000.0),
        ("Licences saved", 1000.0),
    ]
    with pytest.raises(ValidationError, match="label"):
        edits.add_roi_line(portfolio, account_id, "  ", 1.0)
    with pytest.raises(NotFoundError):
        edits.remove_roi_line(portfolio, first.new_id)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("arr", -1.0, "ARR cannot be negative"),
        ("tier", "Platinum", "unknown tier 'Platinum'"),
        ("status", "sleeping", "unknown status"),
        ("segment", "huge", "unknown segment"),
        ("name", "  ", "needs a name"),
        ("pilot_discount", 1.5, "fraction below 1"),
        ("renewal_date", "tomorrow", "not a date"),
        ("health_score", 1.0, "cannot be edited"),
    ],
)
def test_account_field_validation(
    portfolio: Portfolio, account_id: int, field: str, value: object, message: str
):
    with pytest.raises(ValidationError, match=message):
        edits.set_account_field(portfolio, account_id, field, value)


def test_account_fields_are_canonicalised_and_logged(portfolio: Portfolio, account_id: int):
    assert edits.set_account_field(portfolio, account_id, "tier", " professional ").old == "Starter"
    edits.set_account_field(portfolio, account_id, "segment", "Mid Market")
    edits.set_account_field(portfolio, account_id, "name", "  ACME  Retail Group ")
    edits.set_account_field(portfolio, account_id, "arr", 35000.0)
    with portfolio.read() as s:
        acc = s.get(Account, account_id)
        assert acc is not None
        assert (acc.tier, acc.segment, acc.name, acc.name_key, acc.arr) == (
            "Professional",
            "mid-market",
            "ACME  Retail Group",
            "acme retail group",
            35000.0,
        )
    assert _timeline(portfolio, account_id)[-1] == ("edit", "ARR: 20,000 → 35,000")


def test_crm_id_must_stay_unique(portfolio: Portfolio, account_id: int):
    with portfolio.write() as s:
        s.add(Account(name="Other", name_key="other", crm_id="X-1", status="active"))
    with pytest.raises(ValidationError, match="already belongs"):
        edits.set_account_field(portfolio, account_id, "crm_id", "X-1")


def test_override_keeps_the_computed_score_and_clear_restores_it(
    portfolio: Portfolio, account_id: int
):
    result = edits.override_health(portfolio, account_id, 45.04, "CFO left", today=TODAY)
    assert result.old == edits.HealthState(72.0, "Good", None)
    detail = load_account_detail(portfolio, account_id, today=TODAY)
    assert (detail.header.health_score, detail.header.health_band) == (45.0, "Critical")
    assert detail.header.health_computed_score == 72.0 and detail.header.overridden
    assert [(p.score, p.source, p.reason) for p in detail.history] == [
        (45.0, "override", "CFO left")
    ]
    undo = edits.restore_health(portfolio, account_id, result.old, today=TODAY)
    assert undo.old == edits.HealthState(45.0, "Critical", "CFO left")
    detail = load_account_detail(portfolio, account_id, today=TODAY)
    assert (detail.header.health_score, detail.header.health_band) == (72.0, "Good")
    assert not detail.header.overridden
    assert [p.source for p in detail.history] == ["override", "computed"]
    assert [kind for kind, _ in _timeline(portfolio, account_id)] == ["health", "health"]
    with pytest.raises(ValidationError, match="no health override"):
        edits.clear_health_override(portfolio, account_id, today=TODAY)


@pytest.mark.parametrize(("score", "reason"), [(101.0, "x"), (-1.0, "x"), (50.0, " ")])
def test_override_needs_a_score_0_to_100_and_a_reason(
    portfolio: Portfolio, account_id: int, score: float, reason: str
):
    with pytest.raises(ValidationError):
        edits.override_health(portfolio, account_id, score, reason, today=TODAY)
    with portfolio.read() as s:
        assert s.scalar(select(func.count()).select_from(HealthSnapshot)) == 0


def test_tasks_complete_snooze_add_and_undo(portfolio: Portfolio, account_id: int):
    added = edits.add_task(portfolio, account_id, "Call the sponsor", TODAY)
    assert added.new_id is not None
    done = edits.complete_task(portfolio, added.new_id)
    assert done.old == edits.TaskState("open", TODAY, None)
    with portfolio.read() as s:
        task = s.get(Task, added.new_id)
        assert task is not None and task.status == "done" and task.completed_at is not None
    edits.restore_task(portfolio, added.new_id, done.old)
    later = TODAY + dt.timedelta(days=7)
    snoozed = edits.snooze_task(portfolio, added.new_id, later)
    assert snoozed.old == edits.TaskState("open", TODAY, None)
    with portfolio.read() as s:
        task = s.get(Task, added.new_id)
        assert task is not None and (task.status, task.due_on) == ("snoozed", later)
    removed = edits.remove_task(portfolio, added.new_id)
    assert removed.old.title == "Call the sponsor"
    summaries = [summary for _, summary in _timeline(portfolio, account_id)]
    assert summaries == [
        "Task added: Call the sponsor (due 2026-06-15)",
        "Task completed: Call the sponsor",
        "Task reopened: Call the sponsor",
        "Task snoozed to 2026-06-22: Call the sponsor",
        "Task removed: Call the sponsor",
    ]
    with pytest.raises(ValidationError, match="task type"):
        edits.add_task(portfolio, account_id, "x", TODAY, type="party")


def test_notes_go_on_the_timeline_and_undo_removes_them(portfolio: Portfolio, account_id: int):
    note = edits.add_note(portfolio, account_id, "  Met the new CFO.  ")
    assert _timeline(portfolio, account_id) == [("note", "Met the new CFO.")]
    assert note.new_id is not None
    assert edits.remove_note(portfolio, note.new_id).old == "Met the new CFO."
    assert _timeline(portfolio, account_id) == []
    with pytest.raises(ValidationError):
        edits.add_note(portfolio, account_id, "")


def test_a_failed_edit_rolls_back_entirely(portfolio: Portfolio, account_id: int):
    with pytest.raises(NotFoundError):
        edits.set_account_field(portfolio, account_id + 100, "arr", 5.0)
    with pytest.raises(NotFoundError):
        edits.complete_task(portfolio, 12345)
    assert _timeline(portfolio, account_id) == []
