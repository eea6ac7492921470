"""Revision 0009: every stored crm_id becomes an account id of its system, from any older file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from reliability_support import connect_ro

from csdesk.db import KNOWN_REVISIONS, SCHEMA_HEAD, open_portfolio
from support import migrate_to

_ACCOUNTS = (
    (1, "0016g00000Xy00QAAR", "Harbor Grocers"),
    (2, "5550000001", "Prospect B Corp"),
    (3, "C-1", "Cedar SaaS Inc."),
    (4, None, "Lumen Parcel"),
)
_EARLIER = list(KNOWN_REVISIONS[: KNOWN_REVISIONS.index("0009")])  # by chain order, not by id


def _fill(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO accounts (id, crm_id, name, name_key, status, annual_prepay, created_at, "
        "updated_at) VALUES (?, ?, ?, lower(?), 'active', 0, '2026-11-22', '2026-11-22')",
        [(i, crm, name, name) for i, crm, name in _ACCOUNTS],
    )
    conn.commit()
    conn.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = connect_ro(path)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


@pytest.mark.parametrize("revision", _EARLIER)
def test_crm_ids_become_account_ids_from_every_earlier_revision(
    tmp_path: Path, revision: str
) -> None:
    path = tmp_path / f"r{revision}.db"
    migrate_to(path, revision)
    _fill(path)
    open_portfolio(path).close()  # the upgrade csdesk runs on opening an older file
    assert _rows(path, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    assert _rows(
        path, "SELECT account_id, system, external_id FROM account_ids ORDER BY account_id"
    ) == [(1, "salesforce", "0016g00000Xy00QAAR"), (2, "crm", "5550000001"), (3, "crm", "C-1")]
    assert _rows(path, "SELECT id, crm_id, domain FROM accounts ORDER BY id") == [
        (i, crm, None) for i, crm, _ in _ACCOUNTS
    ]
    # One (system, id) belongs to one account.
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO account_ids (account_id, system, external_id) VALUES (4, 'crm', 'C-1')"
        )
    conn.close()


def test_downgrade_drops_the_ids_and_keeps_the_primary_ones(tmp_path: Path) -> None:
    path = tmp_path / "down.db"
    migrate_to(path, "0005")
    _fill(path)
    migrate_to(path, "head")
    migrate_to(path, "0005", downgrade=True)
    tables = {r[0] for r in _rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "account_ids" not in tables
    columns = {r[1] for r in _rows(path, "PRAGMA table_info(accounts)")}
    assert "domain" not in columns
    assert _rows(path, "SELECT id, crm_id FROM accounts ORDER BY id") == [
        (i, crm) for i, crm, _ in _ACCOUNTS
    ]
    migrate_to(path, "head")
    assert len(_rows(path, "SELECT * FROM account_ids")) == 3
