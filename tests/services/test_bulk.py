"""Bulk helpers: plain reads, id chunks, the paused collector and the bulk writer's mapping rows."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from csdesk.db.bulk import Bulk, id_chunks, plain_rows, table_of
from csdesk.models import Account, HealthSnapshot
from csdesk.services.bulk import paused_gc


def test_id_chunks_sorts_dedupes_and_splits() -> None:
    assert list(id_chunks([5, 3, 3, 1, 9], size=2)) == ["1,3", "5,9"]
    assert list(id_chunks([])) == []


def test_paused_gc_restores_the_previous_state() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_mapping_rows_store_what_the_orm_reads_back(portfolio: Any) -> None:
    now = dt.datetime(2026, 5, 4, 3, 2, 1, 123456)
    with portfolio.write() as s:
        ids = [
            s.execute(insert(Account).values(name=n, name_key=n.lower())).inserted_primary_key[0]
            for n in ("A", "B")
        ]
        breakdown = [{"key": "usage", "attainment": 0.5, "group": None}]
        Bulk(s).insert_rows(
            table_of(HealthSnapshot),
            [
                {
                    "account_id": i,
                    "as_of": dt.date(2026, 5, 4),
                    "score": 50.0 + i,
                    "band": "At Risk",
                    "model_name": "subscription",
                    "model_version": 1,
                    "breakdown": breakdown,
                    "source": "computed",
                    "created_at": now,
                }
                for i in ids
            ],
        )
        Bulk(s).update_rows(
            table_of(Account),
            "id",
            [
                {"id": i, "health_score": 50.0 + i, "health_updated_at": now, "updated_at": now}
                for i in ids
            ],
        )
    with portfolio.read() as s:
        snaps = s.scalars(select(HealthSnapshot).order_by(HealthSnapshot.account_id)).all()
        assert [(x.account_id, x.as_of, x.created_at, x.breakdown) for x in snaps] == [
            (i, dt.date(2026, 5, 4), now, breakdown) for i in ids
        ]
        accounts = s.scalars(select(Account).order_by(Account.id)).all()
        assert [(a.health_score, a.health_updated_at) for a in accounts] == [
            (50.0 + i, now) for i in ids
        ]
        assert list(plain_rows(s, "SELECT id FROM accounts ORDER BY id")) == [(i,) for i in ids]


def test_mapping_rows_refuse_rows_that_need_a_column_default(portfolio: Any) -> None:
    with portfolio.write() as s, pytest.raises(ValueError, match="updated_at"):
        Bulk(s).update_rows(table_of(Account), "id", [{"id": 1, "health_score": 1.0}])
    with portfolio.write() as s, pytest.raises(ValueError, match="created_at"):
        Bulk(s).insert_rows(table_of(Account), [{"name": "A", "name_key": "a"}])


def test_mapping_rows_write_dates_in_the_dialects_text_form(portfolio: Any) -> None:
    on_the_second = dt.datetime(2026, 5, 4, 3, 2, 1)
    with portfolio.write() as s:
        [account_id] = s.execute(
            insert(Account).values(name="A", name_key="a", created_at=on_the_second)
        ).inserted_primary_key
        Bulk(s).update_rows(
            table_of(Account), "id", [{"id": account_id, "updated_at": on_the_second}]
        )
        rows = list(plain_rows(s, "SELECT created_at, updated_at FROM accounts"))
    if portfolio.path is None:  # PostgreSQL stores timestamps natively
        assert rows == [(on_the_second, on_the_second)]
        return
    # The same text the ORM writes, microseconds included (not the driver's own adapter).
    assert rows == [("2026-05-04 03:02:01.000000", "2026-05-04 03:02:01.000000")]


def test_many_rows_store_exactly_what_few_rows_do(portfolio: Any) -> None:
    """Enough rows to stream (``COPY`` on PostgreSQL): awkward text, money, dates, JSON, None
    and the row version come back as the ORM wrote them, inserted and then updated."""
    from decimal import Decimal

    from csdesk.models import utcnow

    n = 700
    now = dt.datetime(2026, 5, 4, 3, 2, 1, 654321)
    awkward = ["Tab\there", "Line\nbreak", "Back\\slash", "Quote \"'", "Ünïcødé ✓", "\\N", ""]

    def account(i: int) -> dict[str, Any]:
        return {
            "id": i + 1,
            "name": f"{awkward[i % len(awkward)]} {i}",
            "name_key": f"k{i:04d}",
            "status": "active",
            "arr": None if i % 5 == 0 else Decimal(i) + Decimal("0.07"),
            "renewal_date": None if i % 3 == 0 else dt.date(2027, 1, 1) + dt.timedelta(days=i),
            "annual_prepay": i % 2 == 0,
            "notes": None if i % 4 else awkward[i % len(awkward)],
            "created_at": now,
            "updated_at": now,
        }

    breakdown = [{"key": "usage", "label": "Ünïcødé \\ \t", "attainment": 0.5, "group": None}]
    with portfolio.write() as s:
        bulk = Bulk(s)
        bulk.insert_rows(table_of(Account), [account(i) for i in range(n)])
        snapshots = [
            {
                "account_id": i + 1,
                "as_of": dt.date(2026, 5, 4),
                "score": 40.5 + i % 50,
                "band": "At Risk",
                "model_name": "subscription",
                "model_version": 1,
                "breakdown": breakdown,
                "source": "computed",
                "created_at": now,
            }
            for i in range(n)
        ]
        bulk.insert_rows(table_of(HealthSnapshot), snapshots)
        later = utcnow()
        bulk.update(
            table_of(Account),
            ["notes", "arr"],
            "id",
            [
                (f"note {i}\t\\", bulk.stored(table_of(Account), "arr", Decimal("1.10")), i + 1)
                for i in range(0, n, 2)
            ],
            increment=["version"],
        )
        bulk.update_rows(
            table_of(Account), "id", [{"id": i + 1, "updated_at": later} for i in range(n)]
        )
    with portfolio.read() as s:
        accounts = s.scalars(select(Account).order_by(Account.id)).all()
        snaps = s.scalars(select(HealthSnapshot).order_by(HealthSnapshot.account_id)).all()
    assert len(accounts) == n and len(snaps) == n
    for i, a in enumerate(accounts):
        want = account(i)
        if i % 2 == 0:
            want |= {"notes": f"note {i}\t\\", "arr": Decimal("1.10")}
        got = {k: getattr(a, k) for k in want if k != "updated_at"}
        assert got == {k: v for k, v in want.items() if k != "updated_at"}, i
        assert a.updated_at == later and a.version == (2 if i % 2 == 0 else 1)
    assert {(x.breakdown[0]["label"], x.as_of) for x in snaps} == {
        ("Ünïcødé \\ \t", dt.date(2026, 5, 4))
    }


def _statistics(portfolio: Any, table: str) -> int:
    with portfolio.read() as s:
        return int(
            s.execute(
                text("SELECT count(*) FROM pg_stats WHERE tablename = :t"), {"t": table}
            ).scalar_one()
        )


def test_a_large_bulk_write_leaves_the_tables_statistics_fresh(portfolio: Any) -> None:
    """PostgreSQL: 10,000 rows copied in one transaction are analyzed before the commit (the
    view's sorts are planned for the table's real size); a few hundred are left to autovacuum."""
    if portfolio.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans these reads without statistics")
    now = dt.datetime(2026, 5, 4, 3, 2, 1)

    def accounts(first: int, count: int) -> list[dict[str, Any]]:
        return [
            {"id": i, "name": f"A {i}", "name_key": f"a {i:06d}", "status": "active",
             "annual_prepay": False, "created_at": now, "updated_at": now}
            for i in range(first, first + count)
        ]  # fmt: skip

    with portfolio.write() as s:
        Bulk(s).insert_rows(table_of(Account), accounts(1, 600))
    assert _statistics(portfolio, "accounts") == 0
    with portfolio.write() as s:
        Bulk(s).insert_rows(table_of(Account), accounts(1000, 10_000))
    assert _statistics(portfolio, "accounts") > 0
