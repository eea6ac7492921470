"""Revision 0008: own ids unique per source, opportunities and renewal outcomes, up and down."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from support import migrate_to

_ACCOUNT = (
    "INSERT INTO accounts (id, name, name_key, status, annual_prepay, created_at, updated_at) "
    "VALUES (1, 'Acme', 'acme', 'active', 0, '2026-11-22', '2026-11-22')"
)
_TICKET = (
    "INSERT INTO tickets (account_id, external_id, priority, opened_at{extra}) "
    "VALUES (1, '297732', 'P2', '2026-11-01 09:00:00'{value})"
)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_0008_keeps_tickets_and_allows_one_id_in_two_sources(db_path: Path) -> None:
    migrate_to(db_path, "0005")
    with sqlite3.connect(db_path) as conn:
        conn.execute(_ACCOUNT)
        conn.execute(_TICKET.format(extra="", value=""))
    migrate_to(db_path, "head")
    assert {"opportunities", "renewal_outcomes"} <= _tables(db_path)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT external_id, source FROM tickets").fetchall() == [
            ("297732", "")
        ]
        conn.execute(_TICKET.format(extra=", source", value=", 'zendesk'"))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(_TICKET.format(extra=", source", value=", 'zendesk'"))
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "ix_tickets_account" in indexes
    conn.close()
    migrate_to(db_path, "0005", downgrade=True)
    assert not {"opportunities", "renewal_outcomes"} & _tables(db_path)
    with sqlite3.connect(db_path) as conn:
        # The id seen twice keeps its first record; the second keeps its row without the id.
        assert conn.execute("SELECT external_id FROM tickets ORDER BY id").fetchall() == [
            ("297732",),
            (None,),
        ]
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(_TICKET.format(extra="", value=""))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
