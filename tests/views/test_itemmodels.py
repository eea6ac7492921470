"""Item models: Qt's model checks, on-demand pages, bounded cache, records tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert

from csdesk.db import Portfolio, open_portfolio
from csdesk.models import Account
from csdesk.services.demo import DEMO_ACCOUNTS
from csdesk.services.portfolio_table import TableQuery, fetch_rows, ordered_ids
from csdesk.views.account.health_panel import BREAKDOWN_COLUMNS
from csdesk.views.widgets.itemmodels import (
    MAX_PAGES,
    PAGE_SIZE,
    PortfolioTableModel,
    RecordsModel,
)

TODAY = dt.date.today()


@pytest.fixture
def big_portfolio(tmp_path: Path) -> Any:
    """5,000 accounts, written in one bulk insert."""
    portfolio = open_portfolio(tmp_path / "big.db")
    rows = [
        {
            "name": f"Account {i:05d}",
            "name_key": f"account {i:05d}",
            "status": "active",
            "arr": float(i),
            "health_score": float(i % 100),
            "health_band": "Good",
            "renewal_date": TODAY + dt.timedelta(days=i % 400),
        }
        for i in range(5000)
    ]
    with portfolio.write() as s:
        s.execute(insert(Account), rows)
    yield portfolio
    portfolio.close()


def _model(portfolio: Portfolio, calls: list[int] | None = None) -> PortfolioTableModel:
    def fetch(ids: Any) -> Any:
        if calls is not None:
            calls.append(len(ids))
        return fetch_rows(portfolio, ids, TODAY)

    model = PortfolioTableModel(fetch)
    model.set_ids(ordered_ids(portfolio, TableQuery(today=TODAY)))
    return model


def test_portfolio_model_passes_qt_model_checks(qtmodeltester: Any, demo_portfolio: Portfolio):
    model = _model(demo_portfolio)
    assert model.rowCount() == DEMO_ACCOUNTS
    qtmodeltester.check(model, force_py=True)


def test_records_model_passes_qt_model_checks(qtmodeltester: Any, demo_portfolio: Portfolio):
    from csdesk.services.account_detail import load_account_detail

    detail = load_account_detail(demo_portfolio, 1)
    model = RecordsModel(BREAKDOWN_COLUMNS)
    model.set_records(detail.breakdown)
    assert model.rowCount() == len(detail.breakdown) > 0
    qtmodeltester.check(model, force_py=True)


def test_only_the_pages_shown_are_fetched_and_the_cache_is_bounded(big_portfolio: Portfolio):
    calls: list[int] = []
    model = _model(big_portfolio, calls)
    assert model.rowCount() == 5000 and calls == []
    model.flags(model.index(4999, 0))
    model.rowCount()
    assert calls == []  # counting and flags never fetch
    assert model.data(model.index(0, 0)) == "Account 00000"
    arr = model.data(model.index(PAGE_SIZE - 1, model.column_of("arr")))
    assert arr == f"${PAGE_SIZE - 1:,}"  # in the portfolio currency (USD by default)
    assert calls == [PAGE_SIZE]
    assert model.data(model.index(4321, 0)) == "Account 04321"
    assert calls == [PAGE_SIZE, PAGE_SIZE]
    for row in range(0, 5000, PAGE_SIZE):
        model.data(model.index(row, 0))
    assert model.cached_pages <= MAX_PAGES
    row = model.row_data(10)
    assert row.name == "Account 00010" and row.days_left == 10


def test_sort_is_requested_from_sql_not_done_in_the_model(big_portfolio: Portfolio):
    model = _model(big_portfolio)
    requested: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, desc: requested.append((key, desc)))
    model.sort(model.column_of("arr"), Qt.SortOrder.DescendingOrder)
    assert requested == [("arr", True)]
    assert model.account_id(0) == model.ids[0]


def test_rows_of_removed_accounts_show_a_placeholder(demo_portfolio: Portfolio):
    model = PortfolioTableModel(lambda ids: fetch_rows(demo_portfolio, ids, TODAY))
    model.set_ids([1, 999_999])
    assert model.data(model.index(1, 0)) == "…"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) is None
    assert model.row_of(999_999) == 1 and model.row_of(5) is None
