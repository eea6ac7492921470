"""Portfolio figures (ARR, forecast, retention, bands) and the portfolio workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from report_builders import TODAY, add_account
from sqlalchemy import delete, select

from csdesk.models import Account, ArrEvent
from csdesk.services.exporter import export_portfolio_workbook
from csdesk.services.portfolio_figures import account_rows, portfolio_figures

LONG_AGO = dt.date(2024, 1, 1)


@pytest.fixture
def book(portfolio: Any) -> Any:
    """Five customers, two churned accounts, a prospect and two ARR changes in the period."""
    rows = [
        ("Alpha", "active", 10000.0, 95.0, "Excellent", TODAY + dt.timedelta(days=30)),
        ("Beta", "active", 20000.0, 75.0, "Good", TODAY + dt.timedelta(days=200)),
        ("Gamma", "pilot", 14000.0, 55.0, "At Risk", TODAY - dt.timedelta(days=3)),
        ("Delta", "active", 30000.0, 40.0, "Critical", TODAY + dt.timedelta(days=60)),
        ("=Epsilon", "active", 6000.0, None, None, None),
    ]
    with portfolio.write() as session:
        for name, status, arr, score, band, renewal in rows:
            add_account(
                session,
                name,
                status=status,
                arr=arr,
                health_score=score,
                health_band=band,
                renewal_date=renewal,
                contract_start=LONG_AGO,
                crm_id=name.strip("="),
            )
        add_account(
            session,
            "Lost",
            status="churned",
            arr=5000.0,
            contract_start=LONG_AGO,
            renewal_date=TODAY - dt.timedelta(days=100),
        )
        add_account(
            session,
            "Old loss",
            status="churned",
            arr=9000.0,
            contract_start=LONG_AGO,
            renewal_date=TODAY - dt.timedelta(days=500),
        )
        add_account(session, "Maybe", status="prospect")
    # ARR changes within the period, as the database trigger records them: Beta grew from
    # 18,000 to 20,000 and Delta shrank from 31,000 to 30,000.
    with portfolio.write() as session:
        for crm_id, old, new in (("Beta", 18000.0, 20000.0), ("Delta", 31000.0, 30000.0)):
            account = session.scalars(select(Account).where(Account.crm_id == crm_id)).one()
            account.arr = old
            session.flush()
            account.arr = new
            session.flush()
        session.execute(delete(ArrEvent).where(ArrEvent.old_arr.in_((20000.0, 30000.0))))
    return portfolio


def test_portfolio_figures(book: Any) -> None:
    with book.read() as session:
        fig = portfolio_figures(session, today=TODAY)
    assert (fig.accounts, fig.customers, fig.prospects, fig.churned) == (8, 5, 1, 2)
    assert fig.total_arr == 80000.0
    # Renewing within 90 days: Alpha (Excellent 0.95) and Delta (Critical 0.30).
    assert fig.renewals_90 == (2, 40000.0, pytest.approx(10000 * 0.95 + 30000 * 0.30))
    assert fig.renewals_365[0] == 3
    assert fig.overdue_renewals == 1
    # Cohort: the five customers and the account lost within the period (not the old loss).
    # Starting ARR is what the cohort had at the period start: Beta 18,000 and Delta 31,000.
    assert fig.start_arr == 84000.0 and fig.churned_arr == 5000.0
    assert (fig.contraction, fig.expansion) == (1000.0, 2000.0)
    assert fig.grr == pytest.approx((84000 - 5000 - 1000) / 84000)
    assert fig.nrr == pytest.approx((84000 - 5000 - 1000 + 2000) / 84000)
    assert fig.logo_churn == pytest.approx(1 / 6)
    assert dict(fig.band_counts) == {
        "Excellent": 1,
        "Good": 1,
        "At Risk": 1,
        "Critical": 1,
        "No score": 1,
    }
    assert dict(fig.arr_by_band)["Critical"] == 30000.0


def test_empty_portfolio_figures(portfolio: Any) -> None:
    with portfolio.read() as session:
        fig = portfolio_figures(session, today=TODAY)
    assert fig.accounts == 0 and fig.grr is None and fig.nrr is None and fig.logo_churn is None


def test_account_rows_add_the_renewal_outlook(book: Any) -> None:
    rows = {r["name"]: r for r in account_rows(book, today=TODAY)}
    assert rows["Alpha"]["days_left"] == 30 and rows["Alpha"]["forecast"] == 9500.0
    assert rows["Gamma"]["renewal_overdue"] is True
    assert rows["=Epsilon"]["likelihood"] == 0.5
    assert rows["Maybe"]["forecast"] is None and rows["Lost"]["likelihood"] is None


def test_portfolio_workbook(book: Any, tmp_path: Path) -> None:
    path = export_portfolio_workbook(book, tmp_path / "portfolio.xlsx", today=TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Portfolio", "Accounts"]
    accounts = wb["Accounts"]
    table = accounts.tables["Accounts"]
    assert table.ref == "A1:S9" and table.autoFilter.ref == "A1:S9"
    assert [c.name for c in table.tableColumns][:2] == ["CRM id", "Account"]
    assert accounts.freeze_panes == "C2"
    header = [c.value for c in accounts[1]]
    assert header[:3] == ["CRM id", "Account", "Owner"]
    for key in (
        "Health score",
        "Health band",
        "Lifecycle stage",
        "Days left",
        "Forecast ARR",
        "ROI multiple",
        "Renewal date",
    ):
        assert key in header
    names = [accounts.cell(row=r, column=2).value for r in range(2, 10)]
    assert "=Epsilon" in names
    epsilon = accounts.cell(row=2 + names.index("=Epsilon"), column=2)
    assert epsilon.data_type == "s"
    alpha = 2 + names.index("Alpha")
    renewal_col = header.index("Renewal date") + 1
    assert accounts.cell(row=alpha, column=renewal_col).value == dt.datetime(2026, 4, 14)
    figures = {row[0].value: row[1].value for row in wb["Portfolio"].iter_rows() if row[0].value}
    assert figures["ARR (active and pilot)"] == 80000
    assert figures["Gross revenue retention (GRR)"] == pytest.approx(78000 / 84000)
    assert figures["Critical"] == 1


def test_portfolio_workbook_of_an_empty_portfolio(portfolio: Any, tmp_path: Path) -> None:
    wb = load_workbook(export_portfolio_workbook(portfolio, tmp_path / "p.xlsx", today=TODAY))
    assert wb["Accounts"].tables["Accounts"].ref == "A1:S2"
