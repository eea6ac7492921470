"""Revision 0007: success-plan and branding tables; the stored currency moves into the branding."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reliability_support import connect_ro

from csdesk.db import open_portfolio
from csdesk.reports.case_queries import currency
from csdesk.revisions import KNOWN_REVISIONS
from csdesk.services.branding import load_branding
from support import migrate_to

NEW_TABLES = {"success_goals", "account_narratives", "branding"}
BEFORE = KNOWN_REVISIONS[KNOWN_REVISIONS.index("0007") - 1]
"""The revision 0007 follows (it moves when the revisions are chained)."""


def _tables(path: Path) -> set[str]:
    conn = connect_ro(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def _set_currency(path: Path, code: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('currency', ?)", (code,))
    conn.close()


def _settings(path: Path) -> dict[str, str]:
    conn = connect_ro(path)
    try:
        return dict(conn.execute("SELECT key, value FROM settings").fetchall())
    finally:
        conn.close()


def test_upgrade_moves_the_currency_setting_into_the_branding(db_path: Path) -> None:
    migrate_to(db_path, BEFORE)
    _set_currency(db_path, " eur ")
    migrate_to(db_path, "0007")
    assert _tables(db_path) >= NEW_TABLES
    assert "currency" not in _settings(db_path)
    portfolio = open_portfolio(db_path)
    try:
        with portfolio.read() as s:
            assert currency(s) == "EUR"
            assert load_branding(s).currency == "EUR"
    finally:
        portfolio.close()


def test_downgrade_drops_the_tables_and_puts_a_currency_back(db_path: Path) -> None:
    migrate_to(db_path, BEFORE)
    _set_currency(db_path, "GBP")
    migrate_to(db_path, "0007")
    migrate_to(db_path, BEFORE, downgrade=True)
    assert not NEW_TABLES & _tables(db_path)
    assert _settings(db_path) == {"currency": "GBP"}


def test_a_portfolio_without_a_currency_gets_no_branding_row(db_path: Path) -> None:
    migrate_to(db_path, BEFORE)
    migrate_to(db_path, "0007")
    conn = connect_ro(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM branding").fetchone() == (0,)
    finally:
        conn.close()
    migrate_to(db_path, BEFORE, downgrade=True)
    assert _settings(db_path) == {}
