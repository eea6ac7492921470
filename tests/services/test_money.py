"""Money is exact on every engine: stored, read back and summed without a float in between."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services_support import TODAY, insert_account
from sqlalchemy import func, insert, select

from csdesk.models import Account, RoiLine
from csdesk.scoring.rounding import money
from csdesk.services.portfolio_figures import portfolio_figures

AMOUNTS = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2, allow_nan=False
)


def test_money_rounds_half_up_to_the_cent_from_the_number_as_written() -> None:
    assert money(2.675) == Decimal("2.68")
    assert money(89.95) == Decimal("89.95")
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(30000) == Decimal("30000.00")


def test_amounts_come_back_exactly_as_decimals(portfolio: Any) -> None:
    values = [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.89"), Decimal("99999999.99")]
    with portfolio.write() as session:
        for i, value in enumerate(values):
            insert_account(session, f"A{i}", status="active", arr=value)
    with portfolio.read() as session:
        stored = session.scalars(select(Account.arr).order_by(Account.name)).all()
    assert stored == values
    assert all(isinstance(v, Decimal) for v in stored)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), sample=st.lists(AMOUNTS, min_size=1, max_size=50))
def test_a_hundred_thousand_amounts_sum_exactly_to_the_cent(
    portfolio: Any, seed: int, sample: list[Decimal]
) -> None:
    # 100,000 amounts: hypothesis picks some, the rest are random cents from its seed.
    rng = random.Random(seed)
    amounts = sample + [
        Decimal(rng.randrange(0, 10_000_000_000)).scaleb(-2) for _ in range(100_000 - len(sample))
    ]
    expected = sum(amounts, Decimal(0))
    with portfolio.write() as session:
        session.query(Account).delete()
        session.execute(
            insert(Account),
            [
                {"name": f"A{i}", "name_key": f"a{i}", "status": "active", "arr": a}
                for i, a in enumerate(amounts)
            ],
        )
    with portfolio.read() as session:
        in_python = sum(session.scalars(select(Account.arr)).all(), Decimal(0))
        in_sql = session.scalar(select(func.sum(Account.arr)))
        figures = portfolio_figures(session, today=TODAY)
    assert in_python == expected
    assert figures.total_arr == expected
    assert in_sql == expected  # SUM over integer cents (SQLite) or NUMERIC: no float either way


def test_a_float_that_is_no_exact_binary_number_is_kept_as_written(portfolio: Any) -> None:
    with portfolio.write() as session:
        account_id = insert_account(session, "A", status="active", arr=0.1 + 0.2)
        session.add(RoiLine(account_id=account_id, label="x", amount=1234.565))
    with portfolio.read() as session:
        assert session.scalar(select(Account.arr)) == Decimal("0.30")
        assert session.scalar(select(RoiLine.amount)) == Decimal("1234.57")
