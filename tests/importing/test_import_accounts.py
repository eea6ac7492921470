"""Importing accounts: the samples, matching, merging, rejections, re-imports, dry runs, cancel."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from import_support import (
    FIXTURES,
    SAMPLES,
    account,
    accounts,
    count_writes,
    run,
    snapshot,
    write_xlsx,
)
from sqlalchemy import text

from csdesk.db import Portfolio
from csdesk.errors import CancelledError
from support import FakeProgress

TODAY = dt.date(2026, 11, 22)


def csv_file(tmp_path: Path, body: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def query(portfolio: Portfolio, sql: str) -> list[tuple[object, ...]]:
    with portfolio.read() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def test_salesforce_sample(portfolio: Portfolio) -> None:
    summary = run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    assert (summary.created, summary.updated, summary.unchanged) == (20, 0, 0)
    assert summary.rejected == [] and summary.ignored_columns == []
    row = account(
        portfolio, "Harbor Grocers", "crm_id", "owner", "status", "industry", "segment",
        "country", "company_revenue", "arr", "tier", "contract_start", "renewal_date",
    )  # fmt: skip
    assert row == (
        "0016g00000Xy00QAAR", "Jordan Reyes", "pilot", "FoodTech", "small", "Canada",
        1_677_000_000.0, 14000.0, "Starter", dt.date(2026, 6, 28), dt.date(2026, 12, 27),
    )  # fmt: skip
    metrics = dict(
        query(
            portfolio,
            "SELECT l.metric, l.value FROM metric_latest l JOIN accounts a ON a.id = l.account_id "
            "WHERE a.name = 'Harbor Grocers'",
        )
    )
    assert metrics == {
        "usage": 13851.0, "usage_limit": 100000.0, "logins_30d": 28.0, "open_tickets": 0.0,
        "payments_current": 0.0, "features_used": 11.0, "features_total": 12.0,
        "qa_hours_saved_per_month": 90.0,
    }  # fmt: skip
    assert query(portfolio, "SELECT DISTINCT as_of FROM metric_snapshots") == [("2026-11-22",)]
    roi = query(
        portfolio,
        "SELECT hourly_rate, incidents_avoided_per_year, cost_per_incident FROM roi_inputs r "
        "JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Harbor Grocers'",
    )
    assert roi == [(45.0, 25.0, 1200.0)]
    scored = query(portfolio, "SELECT count(*) FROM accounts WHERE health_score IS NOT NULL")
    assert scored == [(20,)]
    logged = query(portfolio, "SELECT summary FROM activities WHERE kind = 'import'")
    assert logged == [("Imported salesforce_accounts.csv: 20 created",)]
    ids = {row[0] for row in query(portfolio, "SELECT id FROM accounts")}
    changes = summary.changes
    assert changes.accounts and changes.health and changes.account_ids == ids
    assert not changes.everything and not changes.support


def test_reimporting_the_same_file_changes_nothing_and_writes_nothing(portfolio: Portfolio) -> None:
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    before = snapshot(portfolio)
    with count_writes(portfolio) as writes:
        summary = run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 20)
    assert writes == []
    assert snapshot(portfolio) == before
    assert summary.changes.account_ids == frozenset() and not summary.changes.accounts


def test_hubspot_sample_keeps_numeric_ids_and_spells_industries(portfolio: Portfolio) -> None:
    summary = run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    assert (summary.created, len(summary.rejected)) == (15, 0)
    assert summary.ignored_columns == ["Create Date", "Number of Employees"]
    assert account(portfolio, "Prospect A Corp", "crm_id", "industry", "status", "owner",
                   "company_revenue", "country", "arr") == (
        "5550000000", "Food Production", "prospect", "Jordan Reyes", 21_000_000.0, "Germany", None,
    )  # fmt: skip
    assert account(portfolio, "Prospect G Corp", "industry") == ("Logistics and Supply Chain",)
    again = run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)


def test_european_sample_needs_its_mapping(portfolio: Portfolio) -> None:
    mapping = str(FIXTURES / "import" / "eu_mapping.toml")
    summary = run(portfolio, SAMPLES / "eu_accounts_cp1252.csv", mapping=mapping, today=TODAY)
    assert (summary.created, len(summary.rejected)) == (4, 0)
    assert account(portfolio, "Bäckerei Müller", "crm_id", "arr", "renewal_date", "contract_start",
                   "tier", "status") == (
        "EU-000", 20000.0, dt.date(2026, 12, 1), dt.date(2026, 4, 15), "Starter", "active",
    )  # fmt: skip
    assert account(portfolio, "Größe Logistik", "arr") == (50000.0,)
    assert account(portfolio, "Café Léon", "renewal_date") == (dt.date(2026, 12, 31),)


def test_fifteen_character_ids_match_the_eighteen_character_ones(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    path = csv_file(tmp_path, "Account ID,ARR\n0016g00000Xy00Q,15000\n0016g00000Xy01QAAR,30000\n")
    summary = run(portfolio, path, today=TODAY)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert account(portfolio, "Harbor Grocers", "arr") == (15000.0,)


def test_a_row_with_an_id_adopts_an_account_of_the_same_name_without_one(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    run(portfolio, csv_file(tmp_path, "Account Name,ARR\nAcme  FOODS,100\n", "a.csv"))
    summary = run(
        portfolio, csv_file(tmp_path, "Account ID,Account Name\nX-1,acme foods\n", "b.csv")
    )
    assert (summary.created, summary.updated) == (0, 1)
    assert accounts(portfolio, "crm_id", "name", "arr") == [("X-1", "Acme  FOODS", 100.0)]


def test_a_row_matched_by_id_renames_the_account(tmp_path: Path, portfolio: Portfolio) -> None:
    run(portfolio, csv_file(tmp_path, "Account ID,Account Name\nX-1,Acme\n", "a.csv"))
    summary = run(
        portfolio, csv_file(tmp_path, "Account ID,Account Name\nX-1,Acme Foods Ltd\n", "b.csv")
    )
    assert summary.updated == 1
    assert accounts(portfolio, "name", "name_key") == [("Acme Foods Ltd", "acme foods ltd")]


def test_a_name_matching_several_accounts_is_ambiguous(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    run(portfolio, csv_file(tmp_path, "Account ID,Account Name\nX-1,Acme\nX-2,ACME\n", "a.csv"))
    summary = run(portfolio, csv_file(tmp_path, "Account Name,ARR\nacme,5\n", "b.csv"))
    assert [(e.row, e.code) for e in summary.rejected] == [(2, "ambiguous")]
    assert "matches 2 accounts" in summary.rejected[0].reason


def test_repeated_rows_are_merged_later_non_empty_cells_winning(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    body = "Account ID,Account Name,ARR,Tier\nX-1,Acme,100,\nX-1,,,Starter\nX-1,Acme,200,\n"
    summary = run(portfolio, csv_file(tmp_path, body))
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 0)
    assert accounts(portfolio, "crm_id", "name", "arr", "tier") == [
        ("X-1", "Acme", 200.0, "Starter")
    ]


def test_bad_rows_are_rejected_with_row_numbers_and_good_rows_imported(
    portfolio: Portfolio,
) -> None:
    summary = run(portfolio, FIXTURES / "import" / "quirks_accounts.csv")
    rejected = {e.row: (e.code, e.reason) for e in summary.rejected}
    assert sorted(rejected) == [3, 4, 5, 6, 8, 9]
    assert rejected[3] == ("negative", "ARR: '-5000' is negative (must be 0 or more)")
    assert rejected[4][0] == "unknown_value" and "unknown segment 'medium'" in rejected[4][1]
    assert rejected[5] == (
        "bad_date",
        "Contract Start Date: '13/45/2026' is not a date (read day/month as MDY)",
    )
    assert rejected[6] == ("bad_number", "ARR: 'lots' is not an amount")
    assert rejected[8] == ("no_key", "no account ID or name")
    assert "unknown tier 'Platinum'" in rejected[9][1]
    assert summary.created == 1
    assert accounts(portfolio, "crm_id", "arr", "segment", "status", "tier", "contract_start") == [
        ("A-1", 30000.0, "mid-market", "active", "Professional", dt.date(2026, 1, 15))
    ]


def test_report_title_rows_and_salesforce_footers_are_not_data(portfolio: Portfolio) -> None:
    summary = run(portfolio, FIXTURES / "import" / "salesforce_report.csv")
    assert (summary.created, summary.rejected) == (2, [])
    assert summary.skipped == 5
    assert accounts(portfolio, "crm_id", "name", "arr") == [
        ("001A000001abcDEIAY", "Acme Foods", 12500.0),
        ("001A000001abcDFIAY", "Beta Labs", 8000.0),
    ]


def test_empty_cells_never_clear_and_status_defaults(tmp_path: Path, portfolio: Portfolio) -> None:
    body = "Account ID,Account Name,ARR,Renewal Date\nX-1,Acme,100,2027-01-31\nX-2,Beta,,\n"
    run(portfolio, csv_file(tmp_path, body, "a.csv"))
    assert accounts(portfolio, "crm_id", "status") == [("X-1", "active"), ("X-2", "prospect")]
    body = "Account ID,Account Name,ARR,Renewal Date\nX-1,Acme,,\n"
    summary = run(portfolio, csv_file(tmp_path, body, "b.csv"))
    assert (summary.updated, summary.unchanged) == (0, 1)
    assert account(portfolio, "Acme", "arr", "renewal_date") == (100.0, dt.date(2027, 1, 31))


@pytest.mark.parametrize(
    ("dates", "order", "expected"),
    [
        (("03/04/2026", "25/04/2026"), None, dt.date(2026, 4, 3)),
        (("03/04/2026", "04/25/2026"), None, dt.date(2026, 3, 4)),
        (("03/04/2026", "05/06/2026"), None, dt.date(2026, 3, 4)),
        (("03/04/2026", "05/06/2026"), "DMY", dt.date(2026, 4, 3)),
        (("03.04.2026", "05.06.2026"), None, dt.date(2026, 4, 3)),
    ],
)
def test_the_day_month_order_is_decided_once_per_file(
    tmp_path: Path,
    portfolio: Portfolio,
    dates: tuple[str, str],
    order: str | None,
    expected: dt.date,
) -> None:
    body = f"Account Name,Contract Start Date,Renewal Date\nAcme,{dates[0]},{dates[1]}\n"
    run(portfolio, csv_file(tmp_path, body), date_order=order)
    assert account(portfolio, "Acme", "contract_start") == (expected,)


def test_a_date_impossible_in_the_files_order_rejects_its_row(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    body = "Account Name,Renewal Date\nA,25/04/2026\nB,26/04/2026\nC,04/27/2026\n"
    summary = run(portfolio, csv_file(tmp_path, body))
    assert [(e.row, e.code) for e in summary.rejected] == [(4, "bad_date")]
    assert "DMY" in summary.rejected[0].reason


def test_money_formats_and_the_decimal_mark_per_column(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    body = (
        "Account Name;ARR;Annual Revenue\n"
        "A;$30,000.00;1.234\n"
        "B;USD 30,000;2.500,5\n"
        "C;30000;7\n"
        "D;30.000,00 €;8\n"
    )
    summary = run(portfolio, csv_file(tmp_path, body))
    assert [e.row for e in summary.rejected] == [5]
    assert accounts(portfolio, "name", "arr", "company_revenue") == [
        ("A", 30000.0, 1234.0), ("B", 30000.0, 2500.5), ("C", 30000.0, 7.0),
    ]  # fmt: skip


def test_a_workbook_with_a_title_row_numeric_ids_and_date_cells(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            ["Customer list"],
            ["Record ID", "Company name", "Renewal Date", "ARR"],
            [9876543210, "Acme", dt.datetime(2027, 3, 31), 30000],
            [9876543211, "Beta", "not a date", 5],
            [9876543212, "Gamma", 46500, None],
        ],
    )
    summary = run(portfolio, path)
    assert [(e.row, e.code) for e in summary.rejected] == [(4, "bad_date")]
    assert accounts(portfolio, "crm_id", "name", "renewal_date", "arr") == [
        ("9876543210", "Acme", dt.date(2027, 3, 31), 30000.0),
        ("9876543212", "Gamma", dt.date(2027, 4, 23), None),
    ]


def test_metrics_in_an_account_file_are_as_of_their_column(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    body = "Account Name,ARR,As Of,Usage,Logins (30d)\nAcme,1,2026-10-01,100,5\nBeta,,,7,\n"
    run(portfolio, csv_file(tmp_path, body), today=TODAY)
    assert query(portfolio, "SELECT a.name, s.metric, s.as_of, s.value FROM metric_snapshots s "
                 "JOIN accounts a ON a.id = s.account_id ORDER BY 1, 2") == [
        ("Acme", "logins_30d", "2026-10-01", 5.0),
        ("Acme", "usage", "2026-10-01", 100.0),
        ("Beta", "usage", "2026-11-22", 7.0),
    ]  # fmt: skip


def test_dry_run_reports_what_a_real_run_does_and_writes_nothing(portfolio: Portfolio) -> None:
    run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    before = snapshot(portfolio)
    path = SAMPLES / "salesforce_accounts.csv"
    dry = run(portfolio, path, dry_run=True, today=TODAY)
    assert dry.dry_run and dry.created == 20
    assert dry.changes == type(dry.changes)()  # nothing written, nothing for the views
    assert snapshot(portfolio) == before
    real = run(portfolio, path, today=TODAY)
    assert dry.to_json() == real.to_json()
    assert "Dry run" in dry.describe()


def test_cancel_at_any_point_leaves_the_portfolio_as_it_was(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    from csdesk.db import open_portfolio

    counting = FakeProgress()
    scratch = open_portfolio(tmp_path / "scratch.db")
    run(scratch, SAMPLES / "salesforce_accounts.csv", progress=counting, today=TODAY)
    scratch.close()
    points = len(counting.advances)
    assert points >= 4
    run(portfolio, SAMPLES / "hubspot_companies.xlsx", today=TODAY)
    before = snapshot(portfolio)
    for cancel_after in range(1, points + 1):
        progress = FakeProgress(cancel_after=cancel_after)
        with pytest.raises(CancelledError):
            run(portfolio, SAMPLES / "salesforce_accounts.csv", progress=progress, today=TODAY)
        assert snapshot(portfolio) == before, f"cancelled after {cancel_after} steps"


def test_progress_reports_phases_and_rows(portfolio: Portfolio) -> None:
    progress = FakeProgress()
    run(portfolio, SAMPLES / "salesforce_accounts.csv", progress=progress, today=TODAY)
    labels = [label for label, _ in progress.phases]
    assert labels[0] == "Reading salesforce_accounts.csv"
    assert ("Matching accounts", 20) in progress.phases
    assert 20 in progress.advances


def test_account_file_metrics_against_stored_history(tmp_path: Path, portfolio: Portfolio) -> None:
    def usage(day: str, value: int, name: str) -> tuple[int, int, int]:
        body = f"Account Name,ARR,As Of,Usage\nAcme,1,{day},{value}\n"
        summary = run(portfolio, csv_file(tmp_path, body, name))
        return summary.created, summary.updated, summary.unchanged

    assert usage("2026-10-01", 100, "a.csv") == (1, 0, 0)
    assert usage("2026-10-01", 150, "b.csv") == (0, 1, 0)
    assert usage("2026-09-01", 90, "c.csv") == (0, 1, 0)
    assert usage("2026-09-15", 90, "d.csv") == (0, 0, 1)
    assert usage("2026-12-01", 150, "e.csv") == (0, 0, 1)
    assert usage("2026-12-02", 160, "f.csv") == (0, 1, 0)
    assert query(portfolio, "SELECT as_of, value FROM metric_snapshots ORDER BY as_of") == [
        ("2026-09-01", 90.0),
        ("2026-10-01", 150.0),
        ("2026-12-02", 160.0),
    ]
    assert query(portfolio, "SELECT as_of, value FROM metric_latest") == [("2026-12-02", 160.0)]


def test_a_first_import_writes_metrics_in_slices_of_accounts(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csdesk.importing.upsert as upsert

    monkeypatch.setattr(upsert, "_METRIC_SLICE", 3)
    progress = FakeProgress()
    run(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY, progress=progress)
    assert ("Writing metrics", 20) in progress.phases
    counts = query(
        portfolio,
        "SELECT (SELECT count(*) FROM metric_snapshots), (SELECT count(*) FROM metric_latest), "
        "(SELECT count(*) FROM metric_snapshots s JOIN metric_latest l USING (account_id, metric) "
        "WHERE s.as_of = l.as_of AND s.value = l.value)",
    )
    with (SAMPLES / "salesforce_accounts.csv").open(encoding="utf-8-sig", newline="") as fh:
        metric_headers = ("Usage", "Usage Limit", "Logins (30d)", "Open Tickets",
                          "Payments Current", "Features Used", "Features Total",
                          "QA Hours Saved per Month")  # fmt: skip
        cells = sum(1 for row in csv.DictReader(fh) for h in metric_headers if row[h].strip())
    assert counts == [(cells, cells, cells)]
    assert query(
        portfolio,
        "SELECT l.value FROM metric_latest l JOIN accounts a ON a.id = l.account_id "
        "WHERE a.name = 'Sørlandet Shipping' AND l.metric = 'usage'",
    ) == [(435201.0,)]
