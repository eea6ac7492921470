"""Renewal outcomes are recorded as they happen (SPEC 2.9): churns, renewals that passed and moved
on, and they reach the timeline, the backtest and GRR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from csdesk.models import Account, Activity
from csdesk.services import edits
from csdesk.services.dashboard import load_dashboard
from csdesk.services.importer import import_file
from csdesk.services.outcomes import outcomes_of

TODAY = dt.date(2026, 6, 15)
HEADER = "Account ID,Account Name,Status,ARR,Contract Start Date,Contract End Date,Churn Date\n"


def _import(portfolio: Any, tmp_path: Path, rows: str, today: dt.date = TODAY) -> Any:
    path = tmp_path / f"accounts-{len(list(tmp_path.iterdir()))}.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return import_file(portfolio, path, kind="accounts", today=today)


def _id(portfolio: Any, crm_id: str) -> int:
    with portfolio.read() as s:
        return int(s.scalar(select(Account.id).where(Account.crm_id == crm_id)))


def _timeline(portfolio: Any, account_id: int) -> list[str]:
    with portfolio.read() as s:
        query = select(Activity.summary).where(
            Activity.account_id == account_id, Activity.kind == "outcome"
        )
        return list(s.scalars(query))


def test_a_churn_from_a_file_is_an_outcome_on_its_churn_date(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "Z-1,Zephyr,active,24000,2025-01-01,2026-09-01,\n")
    _import(portfolio, tmp_path, "Z-1,Zephyr,churned,24000,2025-01-01,2026-09-01,2026-06-01\n")
    account_id = _id(portfolio, "Z-1")
    [found] = outcomes_of_account(portfolio, account_id)
    assert (found.outcome, found.on, found.arr_before, found.arr_after) == (
        "churned", dt.date(2026, 6, 1), 24000, 0
    )  # fmt: skip
    assert _timeline(portfolio, account_id) == ["Renewal outcome: churned on 2026-06-01 (import)"]
    _import(portfolio, tmp_path, "Z-1,Zephyr,churned,24000,2025-01-01,2026-09-01,2026-06-01\n")
    assert len(outcomes_of_account(portfolio, account_id)) == 1  # a re-import records nothing


def test_a_passed_renewal_date_that_moves_later_is_a_renewal(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "R-1,Renewer,active,30000,2025-05-01,2026-05-01,\n")
    _import(portfolio, tmp_path, "R-1,Renewer,active,33000,2025-05-01,2027-05-01,\n")
    account_id = _id(portfolio, "R-1")
    [found] = outcomes_of_account(portfolio, account_id)
    assert (found.outcome, found.on, found.arr_before, found.arr_after) == (
        "renewed", dt.date(2026, 5, 1), 30000, 33000
    )  # fmt: skip
    # A renewal date still ahead that moves is a new date, not a renewal.
    _import(portfolio, tmp_path, "R-2,Planner,active,10000,2025-09-01,2026-09-01,\n")
    _import(portfolio, tmp_path, "R-2,Planner,active,10000,2025-09-01,2026-10-01,\n")
    assert outcomes_of_account(portfolio, _id(portfolio, "R-2")) == []


def test_an_edit_to_churned_is_an_outcome_and_its_undo_takes_it_back(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "D-1,Delta,active,10000,2025-09-01,2026-09-01,\n")
    account_id = _id(portfolio, "D-1")
    churn = edits.set_account_field(portfolio, account_id, "status", "churned", today=TODAY)
    assert [o.outcome for o in outcomes_of_account(portfolio, account_id)] == ["churned"]
    assert _timeline(portfolio, account_id) == [f"Renewal outcome: churned on {TODAY} (edit)"]
    edits.set_account_field(
        portfolio, account_id, "status", churn.old, expect=churn.new, today=TODAY
    )
    assert outcomes_of_account(portfolio, account_id) == []


def test_moving_a_passed_renewal_date_in_the_window_is_a_renewal_its_undo_takes_back(
    portfolio: Any, tmp_path: Path
) -> None:
    _import(portfolio, tmp_path, "W-1,Window,active,20000,2025-05-01,2026-05-01,\n")
    account_id = _id(portfolio, "W-1")
    moved = edits.set_account_field(
        portfolio, account_id, "renewal_date", dt.date(2027, 5, 1), today=TODAY
    )
    [found] = outcomes_of_account(portfolio, account_id)
    assert (found.outcome, found.on, found.source) == ("renewed", dt.date(2026, 5, 1), "edit")
    edits.set_account_field(
        portfolio, account_id, "renewal_date", moved.old, expect=moved.new, today=TODAY
    )
    assert outcomes_of_account(portfolio, account_id) == []


def test_gross_retention_counts_a_churn_by_its_outcome_date(portfolio: Any, tmp_path: Path) -> None:
    rows = (
        "G-1,Stayer,active,50000,2024-01-01,2027-01-01,\n"
        "G-2,Leaver,churned,50000,2024-01-01,2025-01-01,2026-03-01\n"
    )
    _import(portfolio, tmp_path, rows)
    figures = load_dashboard(portfolio, today=TODAY).figures
    # The leaver's contract end is before the period, but it left inside it: a lost logo.
    assert figures.grr == 0.5 and figures.logo_churn == 0.5


def outcomes_of_account(portfolio: Any, account_id: int) -> list[Any]:
    with portfolio.read() as s:
        return outcomes_of(s, account_id)
