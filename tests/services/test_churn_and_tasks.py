"""SPEC 2.4: churn dates and cancelled tasks, missed milestones and overdue renewals as tasks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from csdesk.cli import main
from csdesk.errors import StaleEditError
from csdesk.models import Account, Task
from csdesk.services import edits
from csdesk.services.accounts import account_listing
from csdesk.services.dashboard import load_dashboard
from csdesk.services.importer import import_file
from csdesk.services.recompute import recompute_health
from csdesk.services.renewals import milestone_states, renewals_due
from csdesk.services.task_list import open_tasks

TODAY = dt.date(2026, 6, 15)
HEADER = "Account ID,Account Name,Status,ARR,Contract End Date,Churn Date\n"


def _import(portfolio: Any, tmp_path: Path, rows: str, today: dt.date = TODAY) -> Any:
    path = tmp_path / f"accounts-{today.isoformat()}.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return import_file(portfolio, path, kind="accounts", today=today)


def _tasks(portfolio: Any, crm_id: str) -> list[tuple[str, str, dt.date, str]]:
    with portfolio.read() as s:
        return [
            (t.type, t.title, t.due_on, t.status)
            for t in s.scalars(
                select(Task)
                .join(Account, Account.id == Task.account_id)
                .where(Account.crm_id == crm_id)
                .order_by(Task.due_on, Task.id)
            )
        ]


def _id(portfolio: Any, crm_id: str) -> int:
    with portfolio.read() as s:
        return int(s.scalar(select(Account.id).where(Account.crm_id == crm_id)))


def test_a_renewal_imported_inside_the_60_days_gets_its_missed_milestones_as_overdue_tasks(
    portfolio: Any, tmp_path: Path
) -> None:
    renewal = TODAY + dt.timedelta(days=19)  # first known 19 days before its date
    _import(portfolio, tmp_path, f"A-1,Atlas,active,30000,{renewal.isoformat()},\n")
    tasks = _tasks(portfolio, "A-1")
    assert [(title, due, status) for _, title, due, status in tasks] == [
        ("Open renewal discussion", renewal - dt.timedelta(days=60), "open"),
        ("Present ROI report", renewal - dt.timedelta(days=45), "open"),
        ("Negotiate terms", renewal - dt.timedelta(days=30), "open"),
        ("Sign renewal", renewal - dt.timedelta(days=15), "open"),
    ]
    # Three of them are behind: overdue on the dashboard, the Renewals page and `csdesk tasks`.
    overdue = open_tasks(portfolio, today=TODAY, overdue_only=True)
    assert [t["title"] for t in overdue] == [
        "Open renewal discussion",
        "Present ROI report",
        "Negotiate terms",
    ]
    assert all(t["overdue"] and t["crm_id"] == "A-1" for t in overdue)
    assert load_dashboard(portfolio, today=TODAY).overdue_total == 3
    states = milestone_states(portfolio, _id(portfolio, "A-1"), today=TODAY)
    assert [m.state for m in states] == ["overdue", "overdue", "overdue", "open"]
    # Importing the same file again makes no second set.
    _import(portfolio, tmp_path, f"A-1,Atlas,active,30000,{renewal.isoformat()},\n")
    assert len(_tasks(portfolio, "A-1")) == 4


def test_a_past_renewal_opens_one_renewal_overdue_task(portfolio: Any, tmp_path: Path) -> None:
    ended = TODAY - dt.timedelta(days=15)
    _import(portfolio, tmp_path, f"B-1,Basil & Thyme,active,20000,{ended.isoformat()},\n")
    recompute_health(portfolio, today=TODAY)
    tasks = _tasks(portfolio, "B-1")
    assert tasks == [
        (
            "renewal overdue",
            f"Renewal overdue: the contract ended {ended.isoformat()}",
            ended,
            "open",
        )
    ]
    assert load_dashboard(portfolio, today=TODAY).overdue_total == 1
    window = renewals_due(portfolio, today=TODAY, days=30)
    assert window.overdue_count == 1


def test_churn_from_the_file_records_its_date_and_cancels_renewal_work(
    portfolio: Any, tmp_path: Path
) -> None:
    renewal = TODAY + dt.timedelta(days=40)
    _import(portfolio, tmp_path, f"Z-1,Zephyr Transit,active,24000,{renewal.isoformat()},\n")
    with portfolio.write() as s:  # an at-risk task and one of the CSM's own
        account_id = s.scalar(select(Account.id).where(Account.crm_id == "Z-1"))
        s.add(Task(account_id=account_id, type="at-risk outreach", title="Call", due_on=TODAY))
        s.add(Task(account_id=account_id, type="follow-up", title="Send notes", due_on=TODAY))
    assert {status for *_, status in _tasks(portfolio, "Z-1")} == {"open"}
    _import(
        portfolio, tmp_path, f"Z-1,Zephyr Transit,churned,24000,{renewal.isoformat()},2026-06-01\n"
    )
    by_type = {(kind, status) for kind, _, _, status in _tasks(portfolio, "Z-1")}
    assert by_type == {
        ("renewal milestone", "cancelled"),
        ("at-risk outreach", "cancelled"),
        ("follow-up", "open"),  # the CSM's own task is theirs to close
    }
    [row] = [r for r in account_listing(portfolio, today=TODAY) if r["crm_id"] == "Z-1"]
    assert row["churned_on"] == "2026-06-01" and row["renewal_likelihood"] is None
    assert milestone_states(portfolio, _id(portfolio, "Z-1"), today=TODAY) == ()
    assert renewals_due(portfolio, today=TODAY, days=90).rows == ()
    # No renewal work comes back with the next recompute.
    recompute_health(portfolio, today=TODAY)
    assert {s for *_, s in _tasks(portfolio, "Z-1")} == {"cancelled", "open"}


def test_churn_without_a_date_is_today_and_a_won_back_account_loses_it(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "C-1,Cobalt,churned,10000,,\n", today=TODAY)
    assert account_listing(portfolio, today=TODAY)[0]["churned_on"] == TODAY.isoformat()
    _import(portfolio, tmp_path, "C-1,Cobalt,active,10000,,\n", today=TODAY)
    row = account_listing(portfolio, today=TODAY)[0]
    assert row["churned_on"] is None and row["renewal_likelihood"] == 0.5


def test_an_edit_to_churned_records_today_and_cancels_open_renewal_tasks(
    portfolio: Any, tmp_path: Path
) -> None:
    renewal = TODAY + dt.timedelta(days=50)
    _import(portfolio, tmp_path, f"D-1,Delta,pilot,10000,{renewal.isoformat()},\n")
    account_id = _id(portfolio, "D-1")
    result = edits.set_account_field(portfolio, account_id, "status", "churned", today=TODAY)
    assert result.changes.tasks
    row = account_listing(portfolio, today=TODAY)[0]
    assert row["churned_on"] == TODAY.isoformat()
    assert {s for *_, s in _tasks(portfolio, "D-1")} == {"cancelled"}
    assert open_tasks(portfolio, today=TODAY) == []


def test_likelihood_only_for_accounts_that_renew(portfolio: Any, tmp_path: Path) -> None:
    _import(
        portfolio,
        tmp_path,
        "P-1,Prospect Co,prospect,,,\nA-2,Active Co,active,5000,,\nL-1,Pilot Co,pilot,1000,,\n",
    )
    likely = {r["crm_id"]: r["renewal_likelihood"] for r in account_listing(portfolio)}
    assert likely == {"P-1": None, "A-2": 0.5, "L-1": 0.5}


def test_an_edit_applies_only_while_the_field_holds_what_is_expected(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "E-1,Echo,active,1000,,\n")
    account_id = _id(portfolio, "E-1")
    first = edits.set_account_field(portfolio, account_id, "arr", 2000.0)
    assert (first.old, first.new) == (1000.0, 2000.0)
    edits.set_account_field(portfolio, account_id, "arr", 5000.0)  # what happened since
    with pytest.raises(StaleEditError, match="ARR is now 5,000"):
        edits.set_account_field(portfolio, account_id, "arr", first.old, expect=first.new)
    assert account_listing(portfolio)[0]["arr"] == 5000.0


def test_cli_tasks_lists_open_tasks_oldest_first(
    portfolio: Any, db_path: Path, tmp_path: Path, capsys: Any
) -> None:
    soon = dt.date.today() + dt.timedelta(days=19)
    ended = dt.date.today() - dt.timedelta(days=3)
    _import(
        portfolio,
        tmp_path,
        f"A-1,Atlas,active,30000,{soon.isoformat()},\nB-1,Basil,active,100,{ended.isoformat()},\n",
        today=dt.date.today(),
    )
    assert main(["tasks", "--db", str(db_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5
    assert set(rows[0]) == {"account", "crm_id", "type", "title", "due", "status", "overdue"}
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    assert main(["tasks", "--db", str(db_path), "--overdue", "--json"]) == 0
    overdue = json.loads(capsys.readouterr().out)
    assert [(r["account"], r["type"]) for r in overdue] == [
        ("Atlas", "renewal milestone"),  # E−60, 41 days ago
        ("Atlas", "renewal milestone"),  # E−45
        ("Atlas", "renewal milestone"),  # E−30
        ("Basil", "renewal overdue"),  # ended 3 days ago
    ]
    assert all(r["overdue"] and r["status"] == "open" for r in overdue)
    assert main(["tasks", "--db", str(db_path), "--overdue"]) == 0
    text = capsys.readouterr().out
    assert "Basil" in text and text.rstrip().endswith("4 tasks, 4 overdue")
    assert main(["tasks", "--db", str(tmp_path / "missing.db")]) == 2
    assert not (tmp_path / "missing.db").exists()


def test_undoing_a_churn_reopens_its_tasks_and_redoing_keeps_its_date(
    portfolio: Any, tmp_path: Path
) -> None:
    renewal = TODAY + dt.timedelta(days=50)
    _import(portfolio, tmp_path, f"F-1,Foxtrot,active,10000,{renewal.isoformat()},\n")
    account_id = _id(portfolio, "F-1")
    with portfolio.write() as s:  # a milestone the CSM had already done stays done throughout
        done = s.scalars(select(Task).where(Task.account_id == account_id)).first()
        assert done is not None
        done.status = "done"
    before = _tasks(portfolio, "F-1")
    churn = edits.set_account_field(portfolio, account_id, "status", "churned", today=TODAY)
    assert {s for *_, s in _tasks(portfolio, "F-1")} == {"done", "cancelled"}
    later = TODAY + dt.timedelta(days=3)
    # Undo (as the command does: expect what the edit wrote).
    edits.set_account_field(
        portfolio, account_id, "status", churn.old, expect=churn.new, today=later
    )
    assert _tasks(portfolio, "F-1") == before
    assert account_listing(portfolio, today=TODAY)[0]["churned_on"] is None
    # Redo: churned again, on the day it first churned, not the day of the redo.
    edits.set_account_field(
        portfolio, account_id, "status", "churned", expect="active", today=later
    )
    assert account_listing(portfolio, today=TODAY)[0]["churned_on"] == TODAY.isoformat()
    assert {s for *_, s in _tasks(portfolio, "F-1")} == {"done", "cancelled"}
