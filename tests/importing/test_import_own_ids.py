"""Records with their own id stay apart (SPEC 3.2); Zendesk tickets; placeholders; odd times."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import run
from sqlalchemy import text

from csdesk.db import Portfolio

ZENDESK_HEADER = (
    "Id,Requester,Organization,Subject,Status,Priority,Created at,Solved at,"
    "First reply time in minutes,Satisfaction Score\n"
)


def rows_of(portfolio: Portfolio, sql: str) -> list[tuple[object, ...]]:
    with portfolio.read() as session:
        return [tuple(r) for r in session.execute(text(sql))]


@pytest.fixture
def acme(tmp_path: Path, portfolio: Portfolio) -> Portfolio:
    path = tmp_path / "accounts.csv"
    path.write_text("Account Name,ARR\nAcme Foods,1000\nBeta Labs,2000\n", encoding="utf-8")
    run(portfolio, path)
    return portfolio


def test_n_distinct_ticket_ids_give_n_tickets(tmp_path: Path, acme: Portfolio) -> None:
    body = ZENDESK_HEADER + "".join(
        # 297732 and 297733: same organisation, same minute, same subject.
        f"{ticket},a@acme.test,Acme Foods,Login fails,open,high,2026-11-03 09:15,,,Offered\n"
        for ticket in (297732, 297733)
    )
    body += "".join(
        f"{300000 + n},b@beta.test,Beta Labs,Question {n % 3},solved,normal,"
        f"2026-11-0{1 + n % 5} 10:00,2026-11-09 10:00,30,Good\n"
        for n in range(40)
    )
    path = tmp_path / "zendesk.csv"
    path.write_text(body, encoding="utf-8")
    summary = run(acme, path)
    assert summary.kind == "tickets" and summary.rejected == []
    assert summary.created == 42
    assert rows_of(acme, "SELECT count(*), count(DISTINCT external_id) FROM tickets") == [(42, 42)]
    assert rows_of(acme, "SELECT DISTINCT source FROM tickets") == [("zendesk",)]
    assert rows_of(acme, "SELECT satisfaction FROM tickets WHERE external_id = '297732'") == [
        ("Offered",)
    ]
    again = run(acme, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 42)
    # A re-import updates by id.
    path.write_text(
        body.replace(
            "297733,a@acme.test,Acme Foods,Login fails,open",
            "297733,a@acme.test,Acme Foods,Login fails,solved",
        ),
        encoding="utf-8",
    )
    third = run(acme, path)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 41)
    assert rows_of(acme, "SELECT status FROM tickets WHERE external_id = '297733'") == [("solved",)]


def test_rows_without_an_id_still_merge_exact_repeats(tmp_path: Path, acme: Portfolio) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Organization,Subject,Priority,Created at\n"
        "Acme Foods,Down,urgent,2026-11-03 09:15\nAcme Foods,Down,urgent,2026-11-03 09:15\n",
        encoding="utf-8",
    )
    assert run(acme, path).created == 1


def test_distinct_response_ids_on_one_day_stay_apart(tmp_path: Path, acme: Portfolio) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Response ID,Account Name,Date,Email,NPS\n"
        "R_1,Acme Foods,2026-11-02,,9\nR_2,Acme Foods,2026-11-02,,9\n",
        encoding="utf-8",
    )
    summary = run(acme, path)
    assert (summary.kind, summary.created) == ("surveys", 2)


def test_zendesk_placeholders_and_impossible_times(tmp_path: Path, acme: Portfolio) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(
        ZENDESK_HEADER
        + "1,a@acme.test,Acme Foods,Unsolved,open,med,2026-11-03 09:15,1900-01-01,,Unoffered\n"
        + "2,a@acme.test,Acme Foods,Odd,solved,low,2026-11-03 09:15,2026-11-02 08:00,,Bad\n"
        + "3,a@acme.test,Acme Foods,Fine,solved,urgent,2026-11-03 09:15,N/A,-,Good\n",
        encoding="utf-8",
    )
    summary = run(acme, path)
    assert summary.rejected == [] and summary.created == 3
    assert rows_of(acme, "SELECT external_id, priority, resolved_at FROM tickets ORDER BY 1") == [
        ("1", "P2", None),
        ("2", "P2", None),
        ("3", "P0", None),
    ]
    assert summary.warnings == [(3, "resolution before the ticket was opened; left empty")]
    json = summary.to_json()
    assert json["warnings"] == [
        {"row": 3, "message": "resolution before the ticket was opened; left empty"}
    ]


def test_placeholders_never_clear_or_reject(tmp_path: Path, portfolio: Portfolio) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Account Name,ARR,Renewal Date,Segment\n"
        "Acme Foods,#N/A,0000-00-00,SMB\nBeta Labs,null,1899-12-30,Strategic\n",
        encoding="utf-8",
    )
    summary = run(portfolio, path)
    assert summary.created == 1
    assert summary.unknown_values == {"Segment": {"Strategic": 1}}
    assert rows_of(portfolio, "SELECT name, arr, renewal_date, segment FROM accounts") == [
        ("Acme Foods", None, None, "small")
    ]
