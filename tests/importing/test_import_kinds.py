"""Importing metrics (long and wide), tickets, survey responses, contacts and scorecards."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from import_support import FIXTURES, SAMPLES, account, count_writes, run, snapshot
from sqlalchemy import select, text

from csdesk.db import Portfolio
from csdesk.models import Account, Contact, MetricLatest, ProspectScorecard, SurveyResponse, Ticket

TODAY = dt.date(2026, 11, 22)


def rows_of(portfolio: Portfolio, sql: str) -> list[tuple[object, ...]]:
    with portfolio.read() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def csv_file(tmp_path: Path, body: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def expected_new_values(path: Path) -> int:
    """Values of a long metrics file differing from the previous value of their series."""
    series: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            series[(row["account_id"], row["metric"])].append((row["as_of"], float(row["value"])))
    count = 0
    for points in series.values():
        previous = None
        for _day, value in sorted(points):
            count += value != previous
            previous = value
    return count


@pytest.fixture
def crm(portfolio: Portfolio) -> Portfolio:
    """A portfolio holding the Salesforce sample's 20 accounts."""
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    return portfolio


def test_long_usage_history(crm: Portfolio) -> None:
    path = SAMPLES / "usage_history.csv"
    summary = run(crm, path, today=TODAY)
    assert summary.kind == "metrics" and summary.rejected == []
    assert summary.created == expected_new_values(path)
    assert summary.created + summary.unchanged == 520
    history = rows_of(
        crm,
        "SELECT count(*), min(as_of), max(as_of) FROM metric_snapshots s JOIN accounts a "
        "ON a.id = s.account_id WHERE a.crm_id = '0016g00000Xy00QAAR' AND s.metric = 'usage'",
    )
    assert history == [(14, "2025-11-06", "2026-11-22")]
    with crm.read() as session:
        latest = session.execute(
            select(MetricLatest.as_of, MetricLatest.value)
            .join(Account, Account.id == MetricLatest.account_id)
            .where(Account.crm_id == "0016g00000Xy00QAAR", MetricLatest.metric == "usage")
        ).one()
    assert tuple(latest) == (TODAY, 13851.0)
    before = snapshot(crm)
    with count_writes(crm) as writes:
        again = run(crm, path, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 520)
    assert writes == [] and snapshot(crm) == before


def test_wide_metrics_with_as_of_dates(tmp_path: Path, portfolio: Portfolio) -> None:
    run(portfolio, csv_file(tmp_path, "Account Name,ARR\nAcme Foods,1\nBeta Labs,2\n", "a.csv"))
    summary = run(portfolio, FIXTURES / "import" / "usage_wide.csv", today=TODAY)
    assert summary.kind == "metrics"
    assert [(e.row, e.code) for e in summary.rejected] == [(5, "unknown_account")]
    assert (summary.created, summary.updated, summary.unchanged) == (8, 0, 1)
    latest = rows_of(
        portfolio,
        "SELECT a.name, l.metric, l.as_of, l.value FROM metric_latest l JOIN accounts a "
        "ON a.id = l.account_id ORDER BY 1, 2",
    )
    assert latest == [
        ("Acme Foods", "logins_30d", "2026-09-01", 12.0),
        ("Acme Foods", "uptime_pct", "2026-10-01", 99.9),
        ("Acme Foods", "usage", "2026-10-01", 1200.0),
        ("Beta Labs", "logins_30d", "2026-10-01", 4.0),
        ("Beta Labs", "uptime_pct", "2026-10-01", 98.0),
        ("Beta Labs", "usage", "2026-10-01", 300.0),
    ]


def test_same_day_changes_and_backfills(tmp_path: Path, portfolio: Portfolio) -> None:
    run(portfolio, csv_file(tmp_path, "Account Name,ARR\nAcme,1\n", "a.csv"))
    first = "Account Name,As Of,Usage\nAcme,2026-10-01,100\n"
    run(portfolio, csv_file(tmp_path, first, "m1.csv"))
    changed = run(
        portfolio, csv_file(tmp_path, "Account Name,As Of,Usage\nAcme,2026-10-01,150\n", "m2.csv")
    )
    assert (changed.created, changed.updated) == (0, 1)
    older = (
        "Account Name,As Of,Usage\nAcme,2026-08-01,90\nAcme,2026-09-01,90\nAcme,2026-12-01,150\n"
    )
    backfill = run(portfolio, csv_file(tmp_path, older, "m3.csv"))
    assert (backfill.created, backfill.updated, backfill.unchanged) == (1, 0, 2)
    assert rows_of(portfolio, "SELECT as_of, value FROM metric_snapshots ORDER BY as_of") == [
        ("2026-08-01", 90.0), ("2026-10-01", 150.0),
    ]  # fmt: skip
    assert rows_of(portfolio, "SELECT as_of, value FROM metric_latest") == [("2026-10-01", 150.0)]


def test_zendesk_tickets(crm: Portfolio) -> None:
    summary = run(crm, SAMPLES / "zendesk_tickets.csv", today=TODAY)
    assert (summary.kind, summary.created, summary.rejected) == ("tickets", 120, [])
    with crm.read() as session:
        tickets = {
            t.external_id: t
            for t in session.scalars(select(Ticket).where(Ticket.external_id.in_(["4000", "4002"])))
        }
        owner = session.scalar(select(Account.name).where(Account.id == tickets["4000"].account_id))
    low, urgent = tickets["4000"], tickets["4002"]
    assert (owner, low.priority, low.status) == ("Pine & Co Retail", "P2", "open")
    assert low.opened_at == dt.datetime(2026, 10, 15, 1, 11)
    assert low.first_response_at == dt.datetime(2026, 10, 15, 11, 11)
    assert low.resolved_at is None
    assert urgent.priority == "P0" and urgent.resolved_at == dt.datetime(2026, 10, 9, 4, 32)
    priorities = dict(rows_of(crm, "SELECT priority, count(*) FROM tickets GROUP BY priority"))
    assert set(priorities) <= {"P0", "P1", "P2"} and sum(priorities.values()) == 120
    assert summary.outcome is None  # the importer's own record stays inside the service
    changes = summary.changes
    assert changes.support and changes.activity
    assert not (changes.everything or changes.accounts or changes.prospects or changes.roi)
    again = run(crm, SAMPLES / "zendesk_tickets.csv", today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 120)
    assert not again.changes.support


def test_tickets_for_unknown_organizations_and_bad_priorities(
    tmp_path: Path, crm: Portfolio
) -> None:
    body = (
        "Id,Subject,Organization,Priority,Created at\n"
        "1,a,Nobody Ltd,high,2026-10-01 10:00\n"
        "2,b,Bistro Box,extreme,2026-10-01 10:00\n"
        "3,c,Bistro Box,,2026-10-01 10:00\n"
        "4,d,Bistro Box,P1,2026-10-01 10:00\n"
    )
    summary = run(crm, csv_file(tmp_path, body))
    assert [(e.row, e.code) for e in summary.rejected] == [
        (2, "unknown_account"), (3, "unknown_value"), (4, "missing"),
    ]  # fmt: skip
    assert summary.created == 1
    updated = run(crm, csv_file(tmp_path, body.replace("4,d,Bistro Box,P1", "4,d,Bistro Box,P0")))
    assert (updated.updated, updated.created) == (1, 0)


def test_nps_responses(tmp_path: Path, crm: Portfolio) -> None:
    summary = run(crm, SAMPLES / "nps_responses.csv", today=TODAY)
    assert (summary.kind, summary.created, summary.rejected) == ("surveys", 200, [])
    with crm.read() as session:
        first = session.scalars(
            select(SurveyResponse).where(SurveyResponse.external_id == "R0000")
        ).one()
    assert (first.responded_on, first.nps, first.csat, first.respondent) == (
        dt.date(2026, 6, 27), 6, 5, "user0@example.com",
    )  # fmt: skip
    assert first.comment == "Too slow; pricing, too high"
    bad = (
        "Response ID,Company,NPS Score,CSAT,Date\n"
        "X1,Bistro Box,11,,2026-10-01\nX2,Bistro Box,,0,2026-10-01\nX3,Bistro Box,,,2026-10-01\n"
        "X4,Bistro Box,9.5,,2026-10-01\nX5,Bistro Box,9,4,\n"
    )
    rejected = run(crm, csv_file(tmp_path, bad)).rejected
    assert [(e.row, e.code) for e in rejected] == [
        (2, "out_of_range"),
        (3, "out_of_range"),
        (4, "missing"),
        (5, "out_of_range"),
        (6, "missing"),
    ]


def test_contacts(tmp_path: Path, portfolio: Portfolio) -> None:
    run(portfolio, csv_file(tmp_path, "Account Name,ARR\nAcme Foods,1\nBeta Labs,2\n", "a.csv"))
    summary = run(portfolio, FIXTURES / "import" / "contacts.csv")
    assert summary.kind == "contacts"
    assert [(e.row, e.code) for e in summary.rejected] == [(5, "unknown_account")]
    assert summary.created == 3
    with portfolio.read() as session:
        people = session.execute(
            select(Contact.name, Contact.email, Contact.role, Contact.executive_sponsor).order_by(
                Contact.name
            )
        ).all()
    assert [tuple(p) for p in people] == [
        ("Ana Lima", "ana@acme.example", "VP Operations", True),
        ("Ben Ode", None, "CTO", False),
        ("cara@beta.example", "cara@beta.example", None, False),
    ]
    body = (
        "Account Name,Full Name,Email\nAcme Foods,Ben Ode,ben@acme.example\nAcme Foods,Ana Lima,\n"
    )
    again = run(portfolio, csv_file(tmp_path, body, "b.csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)


def test_prospect_scorecards(tmp_path: Path, portfolio: Portfolio) -> None:
    run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    summary = run(portfolio, SAMPLES / "prospect_scorecards.xlsx", today=TODAY)
    assert (summary.kind, summary.created, summary.rejected) == ("scorecards", 16, [])
    assert account(portfolio, "Prospect Z Corp", "status", "crm_id") == ("prospect", None)
    with portfolio.read() as session:
        cards = dict(
            session.execute(
                select(Account.name, ProspectScorecard.score).join(
                    ProspectScorecard, ProspectScorecard.account_id == Account.id
                )
            ).all()
        )
    assert cards["Prospect A Corp"] == 3.3
    assert cards["Prospect Z Corp"] is None
    again = run(portfolio, SAMPLES / "prospect_scorecards.xlsx", today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 16)
    body = (
        "Company name,Strategic Fit,Technical Readiness\nProspect A Corp,6,3\nProspect B Corp,5,5\n"
    )
    edited = run(portfolio, csv_file(tmp_path, body))
    assert [(e.row, e.code) for e in edited.rejected] == [(2, "out_of_range")]
    assert (edited.updated, edited.created) == (1, 0)
