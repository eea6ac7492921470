"""A first import stores exactly the rows it stored before its fast paths: every table, every row.

``tests/data/first_import_rows.json`` holds the rows (timestamps left out) that a first import of
the files below stored when the import still inserted each account and then updated its health
columns in the recompute. A change to how the import builds or writes its rows must leave them
as they are; the pre-scored path is also compared with the path that scores after the insert.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from import_support import count_writes, write_xlsx

from csdesk.db import open_portfolio
from csdesk.services import importer
from csdesk.services.importer import import_file

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "first_import_rows.json"
TODAY = dt.date(2026, 12, 4)
HEADERS = ("Account ID", "Account Name", "Account Owner", "Status", "Industry", "Segment",
           "Billing Country", "ARR", "Tier", "Contract Start Date", "Contract End Date",
           "Usage", "Usage Limit", "Logins (30d)", "Open Tickets", "Payments Current",
           "Features Used")  # fmt: skip


def export_rows(count: int = 60, repeats: bool = False) -> list[list[Any]]:
    """A CRM export with metrics: healthy and at-risk accounts, pilots and churned ones,
    renewals passed, within the milestone horizon and far ahead, and accounts without data."""
    rnd = random.Random(19)
    rows: list[list[Any]] = []
    for i in range(count):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randrange(700))
        status = "Pilot" if i % 10 == 3 else "Churned" if i % 17 == 5 else "Active"
        metrics: list[Any] = [
            float(rnd.randrange(100, 120_000)),
            100_000.0 if i % 2 else 50_000.0,
            float(rnd.randrange(0, 60)),
            float(rnd.randrange(0, 12)),
            bool(i % 5),
            float(rnd.randrange(1, 13)),
        ]
        if i % 11 == 7:
            metrics = [None] * len(metrics)  # insufficient data
        elif i % 7 == 2:
            metrics[0], metrics[2] = 200.0, 0.0  # at risk
        rows.append([
            f"0016g{i:010d}AAA",
            f"Account {i:03d} {rnd.choice(('Foods', 'Parcel', 'Labs'))}",
            rnd.choice(("Jordan Reyes", "Sam Lee", "Priya Nair")),
            status,
            rnd.choice(("SaaS", "Retail", "Fintech")),
            rnd.choice(("small", "mid-market", "enterprise")),
            rnd.choice(("Canada", "France")),
            20_000.0 + 1000.0 * (i % 7) + 0.5 * (i % 3),
            "Starter" if i % 2 else "Professional",
            start,
            start + dt.timedelta(days=365),
            *metrics,
        ])  # fmt: skip
    if repeats:  # the same account twice: later non-empty cells win
        again = list(rows[4])
        again[11], again[7] = 99_000.0, 31_000.0
        rows.append(again)
    return rows


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    """The rows as a Salesforce report writes them (US dates, money with $ and commas)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for row in rows:
            cells = []
            for header, value in zip(HEADERS, row, strict=True):
                if value is None:
                    cells.append("")
                elif isinstance(value, dt.date):
                    cells.append(value.strftime("%m/%d/%Y"))
                elif isinstance(value, bool):
                    cells.append("Yes" if value else "No")
                elif header == "ARR":
                    cells.append(f"${value:,.2f}")
                elif isinstance(value, float):
                    cells.append(f"{value:,.0f}")
                else:
                    cells.append(str(value))
            out.writerow(cells)
    return path


def stored_rows(db: Path) -> dict[str, list[list[Any]]]:
    """Every row of every table but ``alembic_version``, sorted, without timestamp columns."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "alembic_version" and not r[0].startswith("sqlite_")
        ]
        out: dict[str, list[list[Any]]] = {}
        for table in sorted(tables):
            info = conn.execute(f"PRAGMA table_info({table})").fetchall()
            keep = [r[1] for r in info if r[2].upper() not in ("DATETIME", "TIMESTAMP")]
            rows = conn.execute(f"SELECT {', '.join(keep)} FROM {table}").fetchall()
            out[table] = sorted(([*r] for r in rows), key=lambda r: json.dumps(r))
        return out
    finally:
        conn.close()


def first_import(
    source: Path, db: Path, writes: list[str] | None = None
) -> dict[str, list[list[Any]]]:
    """Import ``source`` into a new portfolio at ``db``; its stored rows.

    ``writes`` receives the import's INSERT/UPDATE/DELETE statements.
    """
    portfolio = open_portfolio(db)
    try:
        with count_writes(portfolio) as seen:
            summary = import_file(portfolio, source, today=TODAY)
        if writes is not None:
            writes += seen
    finally:
        portfolio.close()
    assert not summary.rejected
    return stored_rows(db)


def _source(kind: str, tmp: Path) -> Path:
    if kind == "xlsx":
        return write_xlsx(tmp / "first.xlsx", [HEADERS, *export_rows()])
    return write_csv(tmp / "first.csv", export_rows(repeats=kind == "repeats"))


@pytest.fixture(autouse=True)
def _same_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeline's actor is the login name: fixed, so the rows compare."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "csm")


@pytest.mark.parametrize("kind", ["csv", "xlsx", "repeats"])
def test_a_first_import_stores_the_rows_it_always_stored(kind: str, tmp_path: Path) -> None:
    rows = first_import(_source(kind, tmp_path), tmp_path / "p.db")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[kind]
    assert sorted(rows) == sorted(expected)
    for table, want in expected.items():
        assert rows[table] == want, table
    # The file covers what the recompute writes: snapshots, every task type, tier and status.
    assert {r[2] for r in rows["tasks"]} == {"at-risk outreach", "renewal milestone",
                                             "renewal overdue"}  # fmt: skip
    assert 0 < len(rows["health_snapshots"]) < len(rows["accounts"])  # some have no data


def test_scoring_before_the_insert_stores_what_scoring_after_it_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _source("csv", tmp_path)
    once: list[str] = []
    fast = first_import(source, tmp_path / "fast.db", once)
    monkeypatch.setattr(importer, "first_scores", lambda *_: None)
    twice: list[str] = []
    plain = first_import(source, tmp_path / "plain.db", twice)
    assert fast == plain
    # The rows compare without timestamps: an account with no score has no time of one either.
    unscored = "SELECT id FROM accounts WHERE health_score IS NULL AND health_updated_at IS NULL"
    dated = (
        "SELECT id FROM accounts WHERE health_score IS NOT NULL AND health_updated_at IS NOT NULL"
    )
    for query in (unscored, dated):
        found = [
            sqlite3.connect(tmp_path / f"{db}.db").execute(query).fetchall()
            for db in ("fast", "plain")
        ]
        assert found[0] == found[1] != []
    # Each account row is written once: inserted with its health, never updated after.
    health = "UPDATE accounts SET health_computed_score"
    assert not [s for s in once if s.startswith(health)]
    assert [s for s in twice if s.startswith(health)]
