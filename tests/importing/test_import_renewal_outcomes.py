"""Renewal outcomes an accounts file states: "Renewal Outcome"/"Renewal Status", "Outcome Date",
"Prior ARR" and "Churn Date" (SPEC 2.9) — recorded once, on the timeline, in GRR and NRR."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from import_support import account, run
from sqlalchemy import select

from csdesk.cli import main
from csdesk.db import Portfolio
from csdesk.importing.mapping import ColumnMapping
from csdesk.models import Account, Activity
from csdesk.services.dashboard import load_dashboard
from csdesk.services.import_values import unknown_values
from csdesk.services.outcomes import outcomes_of

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
RENEWALS = REAL / "salesforce_renewals_report.csv"
TODAY = dt.date(2026, 12, 1)
# The accounts as the CRM knew them before their renewals (a report of a year earlier).
BEFORE = (
    "Account Name,Account ID,Account Owner,ARR,Contract Start Date,Contract End Date,Status\n"
    "Northwind Traders,0015g00000NWTRDAA1,Dana Whitfield,120000,2025-11-01,2026-10-31,active\n"
    "Contoso Pharmaceuticals,0015g00000CNTSOAA2,Dana Whitfield,86400,2025-09-01,2026-08-31,active\n"
    "Fabrikam Logistics,0015g00000FBRKMAA3,Luis Ortega,30000,2025-06-01,2026-05-31,active\n"
    "Adventure Works Cycles,0015g00000ADVWKAA4,Luis Ortega,54000,2024-09-01,2026-08-31,active\n"
    "Tailspin Toys,0015g00000TLSPNAA5,Priya Raman,18500,2026-04-15,2027-04-14,active\n"
    "Wide World Importers,0015g00000WWIMPAA6,Priya Raman,72000,2025-02-01,2027-01-31,active\n"
)
D = dt.date


def _outcomes(portfolio: Portfolio) -> dict[str, list[tuple[Any, ...]]]:
    with portfolio.read() as session:
        names = dict(session.execute(select(Account.id, Account.name)).all())
        found: dict[str, list[tuple[Any, ...]]] = {}
        for o in outcomes_of(session):
            found.setdefault(names[o.account_id], []).append(
                (o.outcome, o.on, o.arr_before, o.arr_after)
            )
    return found


@pytest.fixture
def renewed(portfolio: Portfolio, tmp_path: Path) -> Any:
    before = tmp_path / "accounts_2025.csv"
    before.write_text(BEFORE, encoding="utf-8")
    assert run(portfolio, before, today=D(2025, 12, 1)).created == 6
    return run(portfolio, RENEWALS, today=TODAY)


def test_each_stated_outcome_is_recorded_with_its_day_and_arr(
    portfolio: Portfolio, renewed: Any
) -> None:
    assert renewed.kind == "accounts"  # detected: "Renewal Status" is an account's column
    assert _outcomes(portfolio) == {
        # No outcome date: the stored contract end that passed (and moved on) is the day.
        "Northwind Traders": [("renewed", D(2026, 10, 31), 120000, 120000)],
        # A downgrade is a renewal at a lower ARR, an expansion one at a higher.
        "Contoso Pharmaceuticals": [("renewed", D(2026, 8, 31), 86400, 60000)],
        "Adventure Works Cycles": [("renewed", D(2026, 9, 1), 54000, 70000)],
        # "Closed Lost" is a churn, on the churn date; "Churned" on its outcome date.
        "Fabrikam Logistics": [("churned", D(2026, 5, 31), 30000, 0)],
        "Wide World Importers": [("churned", D(2026, 11, 15), 72000, 0)],
    }  # Tailspin's renewal is pending: no outcome.
    assert account(portfolio, "Fabrikam Logistics", "status", "churned_on") == (
        "churned",
        D(2026, 5, 31),
    )
    # The file gives no status: a churn makes the account churned on the outcome's day.
    assert account(portfolio, "Wide World Importers", "status", "churned_on") == (
        "churned",
        D(2026, 11, 15),
    )
    assert account(portfolio, "Contoso Pharmaceuticals", "status", "arr") == (
        "active",
        Decimal("60000.00"),
    )


def test_bad_outcome_cells_reject_their_rows_and_an_undated_renewal_warns(
    portfolio: Portfolio, renewed: Any
) -> None:
    by_row = {e.row: e.reason for e in renewed.rejected}
    assert set(by_row) == {8, 9}
    assert "unknown renewal outcome 'Verlängert'" in by_row[8]
    assert "renewed, churned, pending" in by_row[8]
    assert "outcome date 2027-01-05 is after today" in by_row[9]
    assert renewed.unknown_values == {"Renewal Status": {"Verlängert": 1}}
    # A. Datum is a new account whose renewal has no day: imported, its outcome not recorded.
    assert renewed.created == 1 and "A. Datum Corporation" not in _outcomes(portfolio)
    assert any(
        row == 10 and "renewal outcome 'renewed' not recorded" in message
        for row, message in renewed.warnings
    )
    # Every existing account changed (ARR, dates, status) but Tailspin, whose renewal is pending.
    assert (renewed.updated, renewed.unchanged) == (5, 1)


def test_an_account_whose_only_news_is_an_outcome_counts_as_updated(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    header = "Account ID,Account Name,ARR,Contract End Date,Renewal Outcome,Outcome Date\n"
    path = tmp_path / "a.csv"
    path.write_text(header + "E-1,Elm Street,10000,2027-03-01,,\n", encoding="utf-8")
    assert run(portfolio, path, today=TODAY).created == 1
    path.write_text(header + "E-1,Elm Street,10000,2027-03-01,Renewed,2026-03-01\n")
    summary = run(portfolio, path, today=TODAY)
    assert (summary.updated, summary.unchanged) == (1, 0)
    assert _outcomes(portfolio) == {"Elm Street": [("renewed", D(2026, 3, 1), 10000, 10000)]}
    again = run(portfolio, path, today=TODAY)
    assert (again.updated, again.unchanged) == (0, 1)


def test_importing_the_same_file_again_records_nothing(portfolio: Portfolio, renewed: Any) -> None:
    first = _outcomes(portfolio)
    again = run(portfolio, RENEWALS, today=TODAY)
    assert (again.created, again.updated) == (0, 0)
    assert _outcomes(portfolio) == first


def test_outcomes_are_on_their_accounts_timelines(portfolio: Portfolio, renewed: Any) -> None:
    with portfolio.read() as session:
        rows = session.execute(
            select(Account.name, Activity.summary)
            .join(Account, Account.id == Activity.account_id)
            .where(Activity.kind == "outcome")
            .order_by(Account.name)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Adventure Works Cycles", "Renewal outcome: renewed on 2026-09-01 (import)"),
        ("Contoso Pharmaceuticals", "Renewal outcome: renewed on 2026-08-31 (import)"),
        ("Fabrikam Logistics", "Renewal outcome: churned on 2026-05-31 (import)"),
        ("Northwind Traders", "Renewal outcome: renewed on 2026-10-31 (import)"),
        ("Wide World Importers", "Renewal outcome: churned on 2026-11-15 (import)"),
    ]


def test_grr_and_nrr_count_the_stated_churns_contraction_and_expansion(
    portfolio: Portfolio, renewed: Any
) -> None:
    figures = load_dashboard(portfolio, today=TODAY).figures
    # Customers a year ago (started by 2025-12-01): Northwind, Contoso, Fabrikam, Adventure
    # Works, Wide World. Lost: Fabrikam and Wide World; Contoso shrank, Adventure Works grew.
    start = 120000 + 86400 + 30000 + 54000 + 72000
    assert figures.start_arr == start
    assert (figures.churned_arr, figures.contraction, figures.expansion) == (102000, 26400, 16000)
    assert figures.grr == pytest.approx((start - 102000 - 26400) / start)
    assert figures.nrr == pytest.approx((start - 102000 - 26400 + 16000) / start)
    assert figures.logo_churn == pytest.approx(2 / 5)


def test_a_mapping_translates_an_unknown_outcome_and_the_wizard_offers_the_choices(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    [found] = unknown_values(RENEWALS, portfolio=portfolio)
    assert (found.header, found.field, found.value) == (
        "Renewal Status",
        "renewal_outcome",
        "Verlängert",
    )
    assert found.choices == ("renewed", "churned", "pending")
    mapping = ColumnMapping.from_toml(
        'kind = "accounts"\n[values.renewal_outcome]\n"Verlängert" = "renewed"\n'
    )
    summary = run(portfolio, RENEWALS, mapping=mapping, today=TODAY)
    assert [e.row for e in summary.rejected] == [9] and summary.unknown_values == {}
    assert _outcomes(portfolio)["Litware Inc."] == [("renewed", D(2026, 3, 31), 25000, 25000)]


def test_an_explicit_status_is_kept_and_a_churn_date_alone_makes_a_churn(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    path = tmp_path / "hubspot.csv"
    path.write_text(
        "Record ID,Company name,Lifecycle Status,Annual Recurring Revenue,Churn Date,"
        "Renewal Outcome,Renewal Outcome Date\n"
        "101,Alpine Ski House,churned,12000,2026-10-01,,\n"
        "102,Bellows College,,8000,2026-09-15,,\n"
        "103,Coho Winery,active,9000,,Churned,2026-07-01\n"
        "104,Duck Pond,,5000,,Open,\n",
        encoding="utf-8",
    )
    summary = run(portfolio, path, today=TODAY)
    assert summary.rejected == [] and summary.created == 4
    statuses = {
        name: account(portfolio, name, "status", "churned_on")
        for name in ("Alpine Ski House", "Bellows College", "Coho Winery", "Duck Pond")
    }
    assert statuses == {
        "Alpine Ski House": ("churned", D(2026, 10, 1)),
        "Bellows College": ("churned", D(2026, 9, 15)),  # no status: the churn date says it
        "Coho Winery": ("active", None),  # the file says active: a churn it came back from
        "Duck Pond": ("active", None),
    }
    found = _outcomes(portfolio)
    assert found["Bellows College"] == [("churned", D(2026, 9, 15), 8000, 0)]
    assert found["Coho Winery"] == [("churned", D(2026, 7, 1), 9000, 0)]
    assert "Duck Pond" not in found


def test_cli_import_json_lists_the_unknown_outcome(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(RENEWALS), "--db", str(db_path), "--json"])
    assert code == 1  # rows rejected
    found = json.loads(capsys.readouterr().out)
    assert found["kind"] == "accounts"
    assert found["unknown_values"] == {"Renewal Status": {"Verlängert": 1}}
    assert "Renewal Status" not in found["ignored_columns"]


def test_a_renewal_history_gives_one_outcome_per_row_and_the_newest_decides(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    path = tmp_path / "renewal_history.csv"
    path.write_text(
        "Account ID,Account Name,Prior ARR,ARR,Renewal Outcome,Outcome Date\n"
        "H-1,Hollow Oak,20000,24000,Expansion,2024-06-30\n"
        "H-1,Hollow Oak,24000,24000,Renewed - Flat,2025-06-30\n"
        "H-1,Hollow Oak,24000,24000,Renewed - Flat,2025-06-30\n"  # the same row twice: once
        "H-1,Hollow Oak,24000,,Churn - Final,2026-06-30\n"
        "H-2,Juniper,9000,9000,Churned,2025-01-31\n"
        "H-2,Juniper,9000,9500,Auto-Renewed,2026-01-31\n",
        encoding="utf-8",
    )
    summary = run(portfolio, path, today=TODAY)
    assert summary.rejected == [] and summary.created == 2
    assert _outcomes(portfolio) == {
        "Hollow Oak": [
            ("renewed", D(2024, 6, 30), 20000, 24000),
            ("renewed", D(2025, 6, 30), 24000, 24000),
            ("churned", D(2026, 6, 30), 24000, 0),
        ],
        "Juniper": [
            ("churned", D(2025, 1, 31), 9000, 0),
            ("renewed", D(2026, 1, 31), 9000, 9500),  # won back: the newest outcome decides
        ],
    }
    assert account(portfolio, "Hollow Oak", "status", "churned_on") == ("churned", D(2026, 6, 30))
    assert account(portfolio, "Juniper", "status", "churned_on") == ("active", None)
