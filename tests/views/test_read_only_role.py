"""A database user with only ``csdesk_read`` gets a window that shows everything and edits
nothing (SPEC 6), on a real server."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from csdesk.cli import main
from engines import admin, new_database

pytestmark = pytest.mark.postgresql

_WRITES = ("import", "recompute", "demo", "branding", "undo", "redo", "restore")
"""The window's actions that write to the portfolio."""


def _as(url: str, user: str, password: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{user}:{password}@{rest.partition('@')[2]}"


def test_a_read_only_database_user_gets_a_window_without_editing(
    pg_server: str, qtbot: Any, settings: Any
) -> None:
    from csdesk.views.main_window import MainWindow

    with new_database(pg_server) as url:
        assert main(["demo", "--db", url]) == 0
        reader = f"u_{uuid.uuid4().hex[:10]}"
        admin(f"CREATE ROLE {reader} LOGIN PASSWORD 'rpw' IN ROLE csdesk_read", pg_server)
        win = MainWindow(settings)
        qtbot.addWidget(win)
        errors: list[str] = []
        win.show_error = errors.append  # type: ignore[method-assign]
        try:
            assert win.open_portfolio(_as(url, reader, "rpw"), offer_welcome=False)
            portfolio = win.ctx.portfolio
            assert portfolio is not None and portfolio.read_only is None
            assert not portfolio.can_write and not win.ctx.editable
            assert [n for n in _WRITES if win.action_map[n].isEnabled()] == []
            assert win.action_map["export"].isEnabled()  # reading and exporting stay open

            page = win.portfolio_page()
            assert page.list.model.rowCount() > 0  # every account is listed
            row = page.list.model.row_data(0)
            assert row is not None
            page.open_account(row.id)
            view = page.account
            assert view.detail is not None and view.account_id == row.id
            fields = [*view.details.edits.values(), *view.details.combos.values()]
            assert fields and not any(w.isEnabled() for w in fields)
            assert not view.tasks.add_button.isEnabled()
            assert not view.health.override_button.isEnabled()
            assert not view.timeline.note.isEnabled()
            assert errors == []
        finally:
            win.close()
            if win.ctx.portfolio is not None:
                win.ctx.portfolio.close()
            admin(f"DROP ROLE IF EXISTS {reader}", pg_server)
