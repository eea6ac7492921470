"""A corpus of real-shaped exports (tests/data/real), each with its expected result (issue 13).

The files follow the public formats of Salesforce (report and Data Loader: accounts, contacts,
opportunities), HubSpot (companies, contacts), Zendesk tickets, Qualtrics, SurveyMonkey, Delighted,
Mixpanel and Amplitude events, and a German Excel CSV with its mapping. They are imported in
order into one portfolio (accounts first, as a user would); each gives its kind, counts and no
unexpected rejection, and importing it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from import_support import run
from sqlalchemy import text

from csdesk.db import Portfolio
from csdesk.models.base import Money

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
TODAY = dt.date(2026, 12, 1)

# file, kind, created, updated, rejected rows, unknown values
EXPECTED: list[tuple[str, str, int, int, list[int], dict[str, dict[str, int]]]] = [
    ("salesforce_accounts_report.csv", "accounts", 5, 0, [3],
     {"Customer Segment": {"Strategic": 1}}),
    ("salesforce_Account_dataloader.csv", "accounts", 2, 1, [], {}),
    ("hubspot_companies.csv", "accounts", 3, 0, [], {}),
    ("salesforce_Contact_dataloader.csv", "contacts", 3, 0, [], {}),
    ("salesforce_contacts_report.csv", "contacts", 2, 0, [], {}),
    ("hubspot_contacts.csv", "contacts", 3, 0, [], {}),
    ("salesforce_Opportunity_dataloader.csv", "opportunities", 3, 0, [], {}),
    ("salesforce_opportunities_report.csv", "opportunities", 3, 0, [], {}),
    ("zendesk_tickets.csv", "tickets", 5, 0, [], {}),
    ("qualtrics_nps.csv", "surveys", 3, 0, [], {}),
    ("surveymonkey_nps.csv", "surveys", 2, 0, [], {}),
    ("delighted_nps.csv", "surveys", 3, 0, [], {}),
    ("mixpanel_events.csv", "events", 9, 0, [], {}),
    ("amplitude_events.csv", "events", 3, 0, [], {}),
    ("german_accounts.csv", "accounts", 3, 0, [], {}),
]  # fmt: skip


def query(portfolio: Portfolio, sql: str, *money: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql``; the ``money`` columns read as the models read them (``Decimal``)."""
    statement: Any = text(sql)
    if money:
        statement = statement.columns(**dict.fromkeys(money, Money()))
    with portfolio.read() as session:
        return [tuple(r) for r in session.execute(statement)]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    from csdesk.db import open_portfolio

    portfolio = open_portfolio(tmp_path_factory.mktemp("real") / "real.db")
    for name, kind, created, updated, rejected, unknown in EXPECTED:
        mapping = str(REAL / "german_accounts.toml") if name.startswith("german") else None
        summary = run(portfolio, REAL / name, mapping=mapping, today=TODAY)
        got = (summary.kind, summary.created, summary.updated, [e.row for e in summary.rejected])
        assert got == (kind, created, updated, rejected), name
        assert summary.unknown_values == unknown, name
        again = run(portfolio, REAL / name, mapping=mapping, today=TODAY)
        assert (again.created, again.updated) == (0, 0), name
    return portfolio


def test_every_file_gives_its_kind_and_counts(imported: Portfolio) -> None:
    assert query(imported, "SELECT count(*) FROM accounts") == [(13,)]  # 5 + 2 + 3 + 3


def test_salesforce_values(imported: Portfolio) -> None:
    assert query(
        imported,
        "SELECT arr, company_revenue, segment, renewal_date, owner FROM accounts "
        "WHERE crm_id = '0015g00000NWTRDAA1'",
        "arr",
        "company_revenue",
    ) == [
        (
            Decimal("120000.00"),
            Decimal("45000000.00"),
            "enterprise",
            "2027-01-14",
            "0055g00000DWHITAA1",
        )
    ]
    # SMB and MM are built-in synonyms.
    assert query(
        imported, "SELECT segment FROM accounts WHERE name IN ('Fabrikam Logistics', "
        "'Wide World Importers') ORDER BY name",
    ) == [("small",), ("mid-market",)]  # fmt: skip
    assert query(imported, "SELECT outcome, on_date FROM renewal_outcomes ORDER BY on_date") == [
        ("renewed", "2026-02-28"),
        ("churned", "2026-05-31"),
    ]
    assert query(
        imported, "SELECT type, state, probability FROM opportunities WHERE name LIKE 'Tailspin%'"
    ) == [("renewal", "open", 0.4)]


def test_contacts_belong_to_their_company(imported: Portfolio) -> None:
    rows = query(
        imported,
        "SELECT a.name, c.email FROM contacts c JOIN accounts a ON a.id = c.account_id "
        "WHERE c.email LIKE '%blueyonder%' OR c.email LIKE '%northwind%' ORDER BY c.email",
    )
    assert rows == [
        ("Northwind Traders", "avery.lindqvist@northwind.example"),
        ("Northwind Traders", "jordan.baptiste@northwind.example"),
        ("Blue Yonder Airlines", "riley@blueyonder.example"),
    ]


def test_zendesk_tickets(imported: Portfolio) -> None:
    rows = query(
        imported,
        "SELECT external_id, priority, resolved_at IS NULL, satisfaction, source FROM tickets "
        "ORDER BY external_id",
    )
    assert rows == [
        ("297732", "P1", 0, "Good", "zendesk"),
        ("297733", "P1", 1, "Offered", "zendesk"),  # same minute, same organisation
        ("297740", "P0", 1, "Unoffered", "zendesk"),
        ("297741", "P2", 0, "Bad", "zendesk"),
        ("297750", "P2", 0, "Offered", "zendesk"),
    ]


def test_surveys(imported: Portfolio) -> None:
    rows = query(
        imported,
        "SELECT source, external_id, nps, responded_on, comment FROM survey_responses "
        "WHERE external_id IN ('R_0aQ1wS2eD3rF4tG', '114233587613', '84103321') ORDER BY 1",
    )
    assert rows == [
        ("delighted", "84103321", 10, "2026-11-06", "Très bon service, merci !"),
        ("qualtrics", "R_0aQ1wS2eD3rF4tG", 4, "2026-11-04", "Too many outages this quarter."),
        ("surveymonkey", "114233587613", 6, "2026-11-03", "Reports are slow in harvest season."),
    ]


def test_events(imported: Portfolio) -> None:
    rows = query(
        imported,
        "SELECT a.name, s.metric, s.as_of, s.value FROM metric_snapshots s "
        "JOIN accounts a ON a.id = s.account_id ORDER BY 1, 2, 3",
    )
    assert ("Northwind Traders", "logins_30d", "2026-10-31", 1.0) in rows
    assert ("Northwind Traders", "active_users_30d", "2026-11-12", 2.0) in rows
    assert ("Coho Winery", "logins_30d", "2026-11-02", 2.0) in rows  # active days: no logins


def test_german_excel_csv(imported: Portfolio) -> None:
    assert query(
        imported,
        "SELECT name, arr, contract_start, renewal_date, segment FROM accounts "
        "WHERE crm_id = 'DE-1001'",
        "arr",
    ) == [("Müller & Söhne GmbH", Decimal("20000.00"), "2026-01-01", "2026-12-31", "enterprise")]


def test_a_value_map_fixes_the_rejected_segment(imported: Portfolio, tmp_path: Path) -> None:
    mapping = tmp_path / "sf.toml"
    mapping.write_text('[values."Customer Segment"]\n"Strategic" = "enterprise"\n')
    summary = run(imported, REAL / "salesforce_accounts_report.csv", mapping=str(mapping))
    assert summary.rejected == [] and summary.mapping == "sf.toml"
    assert query(imported, "SELECT segment FROM accounts WHERE crm_id = '0015g00000CNTSOAA2'") == [
        ("enterprise",)
    ]
