"""One company, several systems (SPEC 3.3): ids per system, domains, names without suffixes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from import_support import SAMPLES, accounts, run, snapshot, write_xlsx

from csdesk.db import Portfolio
from csdesk.importing.mapping import ColumnMapping
from csdesk.services.accounts import account_listing
from csdesk.services.duplicates import find_duplicates

TODAY = dt.date(2026, 11, 22)
HUBSPOT_HEADER = ("Record ID", "Company name", "Company owner", "Company Domain Name", "Industry")


def _salesforce_rows() -> list[dict[str, str]]:
    with (SAMPLES / "salesforce_accounts.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _hubspot_of_salesforce(path: Path) -> Path:
    """A HubSpot company export of the Salesforce sample's companies: other ids, other spellings
    (legal suffixes dropped or added, case changed)."""
    rows: list[tuple[object, ...]] = [HUBSPOT_HEADER]
    for index, row in enumerate(_salesforce_rows()):
        name = row["Account Name"]
        if name.endswith(" Inc."):
            name = name[: -len(" Inc.")]  # "Cedar SaaS Inc." is "Cedar SaaS" in HubSpot
        elif index % 3 == 0:
            name = f"{name.upper()}, LLC"
        slug = "".join(ch for ch in name.casefold() if ch.isalnum())
        rows.append((9_100_000 + index, name, "Jordan Reyes", f"{slug}.example", "RETAIL"))
    return write_xlsx(path, rows)


def _ids(portfolio: Portfolio) -> dict[str, dict[str, list[str]]]:
    return {row["name"]: row["ids"] for row in account_listing(portfolio, today=TODAY)}


def test_a_hubspot_export_of_the_salesforce_companies_adopts_their_ids(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    before = accounts(portfolio, "id", "crm_id", "name")
    summary = run(portfolio, _hubspot_of_salesforce(tmp_path / "hubspot.xlsx"), today=TODAY)
    assert (summary.created, summary.updated, summary.rejected) == (0, 20, [])
    assert accounts(portfolio, "id", "crm_id", "name") == before  # same accounts, same primaries
    assert find_duplicates(portfolio) == []
    ids = _ids(portfolio)
    assert len(ids) == 20
    assert ids["Cedar SaaS Inc."] == {
        "hubspot": ["9100002"],
        "salesforce": ["0016g00000Xy02QAAR"],
    }
    assert all(set(v) == {"salesforce", "hubspot"} for v in ids.values())
    # The domains were learnt; a second run changes nothing.
    assert ("cedarsaas.example",) in accounts(portfolio, "domain")
    again = run(portfolio, tmp_path / "hubspot.xlsx", today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)


def test_the_project_samples_import_side_by_side_without_duplicates(portfolio: Portfolio) -> None:
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    summary = run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    assert (summary.created, summary.rejected) == (15, [])
    assert find_duplicates(portfolio) == []
    ids = _ids(portfolio)
    assert ids["Prospect A Corp"] == {"hubspot": ["5550000000"]}
    assert ids["Harbor Grocers"] == {"salesforce": ["0016g00000Xy00QAAR"]}


def test_the_website_domain_matches_before_the_name(portfolio: Portfolio, tmp_path: Path) -> None:
    first = tmp_path / "sf.csv"
    first.write_text(
        "Account ID,Account Name,Website,ARR\n"
        "0016g00000Ab01QAAR,Acme Holdings,https://www.Acme.com/about,1000\n",
        encoding="utf-8",
    )
    run(portfolio, first, today=TODAY)
    second = write_xlsx(
        tmp_path / "hs.xlsx",
        [("Record ID", "Company name", "Website URL"), (42, "Acme (EMEA)", "acme.com")],
    )
    summary = run(portfolio, second, today=TODAY)
    assert (summary.created, summary.updated) == (0, 1)
    assert accounts(portfolio, "name", "domain", "crm_id") == [
        ("Acme Holdings", "acme.com", "0016g00000Ab01QAAR")
    ]
    assert _ids(portfolio)["Acme Holdings"] == {
        "hubspot": ["42"],
        "salesforce": ["0016g00000Ab01QAAR"],
    }


def test_an_account_with_an_id_of_that_system_is_not_taken_over(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    # Two Salesforce records of one name are two records: the second creates an account (and the
    # pair shows as a possible duplicate) rather than stealing the first one's place.
    path = tmp_path / "sf.csv"
    path.write_text(
        "Account ID,Account Name\n0016g00000Ab01QAAR,Acme\n0016g00000Ab02QAAR,Acme Inc\n",
        encoding="utf-8",
    )
    summary = run(portfolio, path, today=TODAY)
    assert summary.created == 2
    groups = find_duplicates(portfolio)
    assert [(g.reason, g.key, [a.crm_id for a in g.accounts]) for g in groups] == [
        ("name", "acme", ["0016g00000Ab01QAAR", "0016g00000Ab02QAAR"])
    ]


def test_an_ambiguous_row_names_its_candidates(portfolio: Portfolio, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Account Name,ARR\nAcme Inc,100\nACME,200\n", encoding="utf-8")
    run(portfolio, path, today=TODAY, kind="accounts")
    # Both rows are one account (later cells win): a name without an id creates once.
    assert len(accounts(portfolio, "id")) == 1
    other = tmp_path / "other.csv"
    other.write_text("Account ID,Account Name\nC-9,Acme Ltd\n", encoding="utf-8")
    run(portfolio, other, today=TODAY)  # adopts C-9: the account had no id yet
    third = tmp_path / "third.csv"
    third.write_text("Account ID,Account Name\nC-10,Acme\n", encoding="utf-8")
    run(portfolio, third, today=TODAY)  # has a crm id now: a second Acme
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Id,Subject,Organization,Priority,Created at\n7,Login,acme,high,2026-11-01 10:00\n",
        encoding="utf-8",
    )
    summary = run(portfolio, tickets, today=TODAY)
    assert [(e.row, e.code) for e in summary.rejected] == [(2, "ambiguous")]
    reason = summary.rejected[0].reason
    assert "matches 2 accounts" in reason
    assert "'ACME' (C-9)" in reason and "'Acme' (C-10)" in reason


def test_tickets_surveys_and_contacts_find_their_account_by_any_id_or_domain(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    run(portfolio, _hubspot_of_salesforce(tmp_path / "hubspot.xlsx"), today=TODAY)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Id,Subject,Account ID,Priority,Created at\n"
        "1,By Salesforce id,0016g00000Xy01QAAR,high,2026-11-01 10:00\n"
        "2,By HubSpot id,9100001,low,2026-11-02 10:00\n",
        encoding="utf-8",
    )
    summary = run(portfolio, tickets, today=TODAY)
    assert (summary.created, summary.rejected) == (2, [])
    surveys = tmp_path / "surveys.csv"
    surveys.write_text(
        "Response ID,Website,NPS Score,Date\nR1,https://lumenparcel.example/x,9,2026-11-03\n",
        encoding="utf-8",
    )
    summary = run(portfolio, surveys, today=TODAY)
    assert (summary.created, summary.rejected) == (1, [])
    contacts = write_xlsx(
        tmp_path / "contacts.xlsx",
        [("Email", "First Name", "Last Name", "Company Domain Name"),
         ("ana@lumenparcel.example", "Ana", "Lima", "www.lumenparcel.example")],
    )  # fmt: skip
    summary = run(portfolio, contacts, today=TODAY)
    assert (summary.kind, summary.created, summary.rejected) == ("contacts", 1, [])
    data = snapshot(portfolio)
    lumen = next(r[0] for r in data["accounts"] if r[2] == "Lumen Parcel")
    assert {r[1] for r in data["tickets"]} == {lumen}
    assert {r[1] for r in data["survey_responses"]} == {lumen}
    assert {r[1] for r in data["contacts"]} == {lumen}


def test_a_mapping_names_the_system(portfolio: Portfolio, tmp_path: Path) -> None:
    mapping = tmp_path / "billing.toml"
    mapping.write_text(
        'kind = "accounts"\nsystem = "Chargebee"\n\n[columns]\n"Customer Id" = "crm_id"\n'
        '"Company" = "name"\n',
        encoding="utf-8",
    )
    assert ColumnMapping.from_file(mapping).system == "chargebee"
    assert 'system = "chargebee"' in ColumnMapping.from_file(mapping).to_toml()
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    billing = tmp_path / "billing.csv"
    billing.write_text("Customer Id,Company\ncb_1,Harbor Grocers\n", encoding="utf-8")
    summary = run(portfolio, billing, today=TODAY, mapping=str(mapping))
    assert (summary.created, summary.updated) == (0, 1)
    assert _ids(portfolio)["Harbor Grocers"] == {
        "chargebee": ["cb_1"],
        "salesforce": ["0016g00000Xy00QAAR"],
    }


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.acme.com/about", "acme.com"),
        ("HTTP://Acme.com:8080", "acme.com"),
        ("www.acme.co.uk/", "acme.co.uk"),
        ("acme.com?ref=1", "acme.com"),
        ("not a website", None),
    ],
)
def test_websites_compare_as_bare_domains(website: str, domain: str | None) -> None:
    from csdesk.scoring.ids import normalise_domain

    assert normalise_domain(website) == domain


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Cedar SaaS Inc.", "cedar saas"),
        ("ACME, LLC", "acme"),
        ("Acme Pty Ltd", "acme"),
        ("Pine & Co Retail", "pine & co retail"),
        ("Globex S.A.", "globex"),
        ("Co", "co"),
    ],
)
def test_names_fold_without_legal_suffixes(name: str, key: str) -> None:
    from csdesk.scoring.ids import company_key

    assert company_key(name) == key


def test_a_website_entered_by_hand_is_kept_as_its_domain_and_matches(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    from csdesk.errors import ValidationError
    from csdesk.services.edits import set_account_field

    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    (harbor,) = [a[0] for a in accounts(portfolio, "id", "name") if a[1] == "Harbor Grocers"]
    with pytest.raises(ValidationError, match="not a website"):
        set_account_field(portfolio, harbor, "domain", "harbor grocers")
    set_account_field(portfolio, harbor, "domain", "https://www.HarborGrocers.ca/shop")
    assert ("harborgrocers.ca",) in accounts(portfolio, "domain")
    hubspot = write_xlsx(
        tmp_path / "hs.xlsx",
        [("Record ID", "Company name", "Company Domain Name"),
         (77, "Harbour Grocery", "harborgrocers.ca")],
    )  # fmt: skip
    summary = run(portfolio, hubspot, today=TODAY)
    assert (summary.created, summary.updated) == (0, 1)
    assert _ids(portfolio)["Harbor Grocers"]["hubspot"] == ["77"]
