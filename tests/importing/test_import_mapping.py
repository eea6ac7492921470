"""Headers, kinds, the header row, mapping files and saved mappings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from import_support import FIXTURES, SAMPLES

from csdesk.db import Portfolio
from csdesk.importing.headers import detect_kind, fold_header, recognise
from csdesk.importing.mapping import ColumnMapping, lay_out
from csdesk.importing.readers import read_table
from csdesk.importing.summary import ImportFileError
from csdesk.services.importer import (
    delete_mapping,
    list_mappings,
    load_mapping,
    preview_file,
    save_mapping,
)


@pytest.mark.parametrize(
    ("header", "kind", "field"),
    [
        ("Account ID", "accounts", "crm_id"),
        ("Record ID", "accounts", "crm_id"),
        ("Account Name", "accounts", "name"),
        ("Company name", "accounts", "name"),
        ("Account Owner", "accounts", "owner"),
        ("Company owner", "accounts", "owner"),
        ("Contract End Date", "accounts", "renewal_date"),
        ("Renewal Date", "accounts", "renewal_date"),
        ("Annual Revenue", "accounts", "company_revenue"),
        ("ARR", "accounts", "arr"),
        ("Logins (30d)", "accounts", "metric:logins_30d"),
        ("Usage Limit", "accounts", "metric:usage_limit"),
        ("QA Hours Saved per Month", "accounts", "metric:qa_hours_saved_per_month"),
        ("Hourly Rate", "accounts", "roi:hourly_rate"),
        ("Incidents Avoided per Year", "accounts", "roi:incidents_avoided_per_year"),
        ("Id", "tickets", "external_id"),
        ("Organization", "tickets", "name"),
        ("First reply time in minutes", "tickets", "first_reply_minutes"),
        ("NPS Score", "surveys", "nps"),
        ("Strategic Fit", "scorecards", "strategic_fit"),
        ("Number of Employees", "accounts", None),
    ],
)
def test_known_headers(header: str, kind: str, field: str | None) -> None:
    assert recognise(header, kind) == field


def test_header_folding() -> None:
    assert fold_header("Logins (30d)") == "logins_30d"
    assert fold_header("  Usage   Limit ") == "usage_limit"
    assert fold_header("Kunden-ID") == "kunden_id"


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        ("salesforce_accounts.csv", "accounts"),
        ("hubspot_companies.xlsx", "accounts"),
        ("usage_history.csv", "metrics"),
        ("zendesk_tickets.csv", "tickets"),
        ("nps_responses.csv", "surveys"),
        ("prospect_scorecards.xlsx", "scorecards"),
    ],
)
def test_kinds_are_detected_from_the_samples_headers(sample: str, kind: str) -> None:
    table = read_table(SAMPLES / sample)
    assert lay_out(table.rows, None, None).kind == kind


def test_more_kinds_from_headers() -> None:
    assert detect_kind(["Account Name", "First Name", "Last Name", "Email"]) == "contacts"
    assert detect_kind(["Account Name", "As Of", "Usage", "Logins (30d)"]) == "metrics"
    assert detect_kind(["Account Name", "ARR", "Usage"]) == "accounts"


def test_title_rows_above_the_header_are_skipped() -> None:
    table = read_table(FIXTURES / "import" / "salesforce_report.csv")
    layout = lay_out(table.rows, None, None)
    assert layout.header_index == 3
    assert set(layout.fields) == {"crm_id", "name", "arr", "renewal_date", "status"}


def test_the_first_column_for_a_field_wins_and_the_others_are_listed() -> None:
    rows: list[list[object]] = [
        ["Account Name", "Company", "ARR", "Shoe Size"],
        ["A", "B", "1", "9"],
    ]
    layout = lay_out(rows, None, None)
    assert layout.fields["name"] == 0
    assert layout.ignored == ["Company", "Shoe Size"]


def test_essential_columns_are_required() -> None:
    with pytest.raises(ImportFileError, match="needs a column with the date the ticket"):
        lay_out([["Organization", "Priority", "Subject"]], "tickets", None)
    with pytest.raises(ImportFileError, match="expected an ID or a name column"):
        lay_out([["ARR", "Renewal Date"]], "accounts", None)


def test_mapping_file_names_a_column_the_built_ins_do_not_know() -> None:
    mapping = ColumnMapping.from_file(FIXTURES / "import" / "eu_mapping.toml")
    assert mapping.kind == "accounts"
    assert mapping.columns == {"Kunden-ID": "crm_id"}
    table = read_table(SAMPLES / "eu_accounts_cp1252.csv")
    layout = lay_out(table.rows, None, mapping)
    assert layout.fields["crm_id"] == 0
    assert layout.columns[0].status == "mapped"
    assert lay_out(table.rows, None, None).fields.get("crm_id") is None


def test_mapping_toml_round_trip_and_shorthands() -> None:
    text = (
        'kind = "accounts"\ndate_order = "dmy"\n[columns]\n"Nutzung" = "usage"\n'
        '"Satz" = "hourly_rate"\n"X \\"q\\"" = "ignore"\n"Eigene" = "metric:my_score"\n'
    )
    mapping = ColumnMapping.from_toml(text)
    assert mapping.date_order == "DMY"
    assert mapping.columns == {
        "Nutzung": "metric:usage",
        "Satz": "roi:hourly_rate",
        'X "q"': "",
        "Eigene": "metric:my_score",
    }
    assert ColumnMapping.from_toml(mapping.to_toml()) == mapping


@given(
    headers=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=6),
    kind=st.sampled_from([None, "accounts", "metrics"]),
    order=st.sampled_from([None, "DMY", "MDY"]),
)
def test_any_headers_round_trip_through_a_saved_mapping(
    headers: list[str], kind: str | None, order: str | None
) -> None:
    fields = ("name", "crm_id", "", "metric:usage")
    columns = {header: fields[i % len(fields)] for i, header in enumerate(headers)}
    mapping = ColumnMapping(kind, columns, order)
    assert ColumnMapping.from_toml(mapping.to_toml()) == mapping


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("kind = 'planets'", "unknown kind 'planets'"),
        ("date_order = 'YMD'", "date_order must be"),
        ("[columns]\n'A' = 'shoe_size'", "unknown field 'shoe_size' for column 'A'"),
        ("kind = 'tickets'\n[columns]\n'A' = 'arr'", "unknown field 'arr'.*tickets"),
        ("[columns]\n'A' = 3", "must map to a field name"),
        ("not toml at all =", "not a valid mapping file"),
    ],
)
def test_bad_mapping_files_are_refused(text: str, match: str) -> None:
    with pytest.raises(ImportFileError, match=match):
        ColumnMapping.from_toml(text)


def test_saved_mappings(portfolio: Portfolio) -> None:
    mapping = ColumnMapping("accounts", {"Kunden-ID": "crm_id"}, "DMY")
    save_mapping(portfolio, "EU CRM", mapping)
    save_mapping(portfolio, "EU CRM", ColumnMapping("accounts", {"Kunden-ID": "crm_id"}))
    save_mapping(portfolio, "Other", ColumnMapping(None, {"Konto": "name"}))
    saved = list_mappings(portfolio)
    assert [m.name for m in saved] == ["EU CRM", "Other"]
    assert saved[0].mapping == ColumnMapping("accounts", {"Kunden-ID": "crm_id"})
    assert load_mapping(portfolio, "Other") == ColumnMapping(None, {"Konto": "name"})
    assert delete_mapping(portfolio, "Other") is True
    assert delete_mapping(portfolio, "Other") is False
    with pytest.raises(ImportFileError, match="no saved mapping named 'Other'"):
        load_mapping(portfolio, "Other")
    with pytest.raises(ImportFileError, match="needs a name"):
        save_mapping(portfolio, "  ", mapping)


def test_preview_shows_columns_rows_and_problems(tmp_path: Path) -> None:
    preview = preview_file(FIXTURES / "import" / "quirks_accounts.csv", limit=4)
    assert preview.kind == preview.detected_kind == "accounts"
    assert preview.header_row == 1
    assert [c.field for c in preview.recognised] == [
        "crm_id", "name", "arr", "segment", "status", "tier", "contract_start", "renewal_date",
    ]  # fmt: skip
    assert [r.row for r in preview.rows] == [2, 3, 4, 5]
    assert preview.rows[0].problems == ()
    assert preview.rows[0].cells[:2] == ("A-1", "Good One")
    assert "negative" in preview.rows[1].problems[0]
    assert "unknown segment 'medium'" in preview.rows[2].problems[0]
    assert "is not a date" in preview.rows[3].problems[0]
    assert preview.sheets == () and preview.delimiter == ","


def test_preview_of_a_workbook_with_a_saved_mapping(tmp_path: Path, portfolio: Portfolio) -> None:
    save_mapping(portfolio, "hub", ColumnMapping(None, {"Number of Employees": "ignore"}))
    preview = preview_file(SAMPLES / "hubspot_companies.xlsx", mapping="hub", portfolio=portfolio)
    assert preview.sheets == ("companies",) and preview.sheet == "companies"
    assert [c.header for c in preview.unknown] == ["Create Date", "Number of Employees"]
    statuses = {c.header: c.status for c in preview.columns}
    assert statuses["Number of Employees"] == "skipped"
    assert statuses["Create Date"] == "unknown"
    assert statuses["Record ID"] == "recognised"
    assert preview.rows[0].cells[0] == "5550000000"
