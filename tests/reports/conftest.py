"""Fixtures of the export tests: a portfolio with one full account and one bare prospect."""

from __future__ import annotations

from typing import Any

import pytest
from report_builders import add_account, build_full_account


@pytest.fixture
def case_portfolio(portfolio: Any) -> Any:
    """A portfolio with one full account (id in ``.full_id``) and one bare prospect."""
    with portfolio.write() as session:
        portfolio.full_id = build_full_account(session)
        portfolio.bare_id = add_account(session, "Ωmega", status="prospect")
    return portfolio
