"""Kind detection that knows real exports and refuses to guess; mappings find their header."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import run

from csdesk.cli import main
from csdesk.db import Portfolio
from csdesk.importing.kinds import kind_candidates

ZENDESK = [
    "Id", "Requester", "Organization", "Subject", "Status", "Priority", "Created at", "Solved at",
    "Satisfaction Score",
]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (ZENDESK, ["tickets"]),  # "Satisfaction Score" is the ticket's rating, not CSAT
        (["Record ID", "First Name", "Last Name", "Email", "Associated Company"], ["contacts"]),
        (["Id", "AccountId", "FirstName", "LastName", "Email", "Title"], ["contacts"]),
        (["Opportunity Name", "Account Name", "Stage", "Close Date", "Amount"], ["opportunities"]),
        (["Id", "AccountId", "Name", "StageName", "CloseDate", "Amount", "IsWon"],
         ["opportunities"]),
        (["Id", "Name", "AnnualRevenue", "Industry", "BillingCountry", "OwnerId"], ["accounts"]),
        (["event", "time", "distinct_id", "company_id"], ["events"]),
        (["Account Name", "ARR", "Usage"], ["accounts"]),
        (["Account Name", "Usage", "Logins (30d)"], ["metrics"]),
        (["Account Name", "Priority", "NPS"], ["tickets", "surveys"]),
        (["Account Name", "Created Date", "Favourite Colour"], []),
        (["Company", "Email", "ARR", "Renewal Date"], ["accounts", "contacts"]),
    ],
)  # fmt: skip
def test_candidates(headers: list[str], expected: list[str]) -> None:
    assert kind_candidates(headers) == expected


def test_two_kinds_or_none_are_refused_naming_them(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = tmp_path / "both.csv"
    both.write_text("Account Name,Priority,NPS\nAcme,high,9\n")
    assert main(["import", str(both), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "tickets and surveys" in err and "--kind tickets" in err and "--kind surveys" in err
    none = tmp_path / "none.csv"
    none.write_text("Account Name,Created Date,Favourite Colour\nAcme,2026-11-01,blue\n")
    assert main(["import", str(none), "--db", str(db_path)]) == 2
    assert "--kind" in capsys.readouterr().err


def test_a_mapping_finds_its_header_by_one_account_key(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "accounts"\n[columns]\n"Kunden-ID" = "crm_id"\n"Intern" = "ignore"\n'
        '"Name des Kunden" = "name"\n'
    )
    path = tmp_path / "export.csv"
    path.write_text(
        "Kundenliste November\nErstellt am 01.12.2026\n"
        "Kunden-ID,Name des Kunden,Intern\nK-1,Alpha,x\nK-2,Beta,y\n"
    )
    summary = run(portfolio, path, mapping=str(mapping))
    assert (summary.header_row, summary.created, summary.mapping) == (3, 2, "m.toml")
    only_ignore = tmp_path / "o.toml"
    only_ignore.write_text('[columns]\n"Intern" = "ignore"\n"Kunden-ID" = "crm_id"\n')
    again = run(portfolio, path, mapping=str(only_ignore), kind="accounts")
    assert (again.header_row, again.unchanged) == (3, 2)
