"""``csdesk copy`` both ways, checked; backup and restore of a server portfolio go through it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from csdesk.cli import main
from csdesk.db import open_portfolio
from csdesk.services.copying import table_digests
from csdesk.services.demo import build_demo
from engines import new_database


def _digests(target: str | Path) -> dict[str, tuple[int, str]]:
    portfolio = open_portfolio(target, create=False)
    try:
        with portfolio.engine.connect() as conn:
            return table_digests(conn)
    finally:
        portfolio.close()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    portfolio = open_portfolio(path)
    build_demo(portfolio)
    portfolio.close()
    return path


def test_a_copy_between_files_keeps_every_row_of_every_table(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert main(["copy", "--db", str(demo), "--to", str(copy)]) == 0
    assert "row counts and checksums match" in capsys.readouterr().out
    digests = _digests(demo)
    assert _digests(copy) == digests
    assert all(digests[t][0] for t in ("accounts", "arr_events", "tasks", "health_snapshots"))


def test_a_copy_into_a_portfolio_that_holds_anything_is_refused(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digests(demo)
    assert main(["copy", "--db", str(tmp_path / "copy.db"), "--to", str(demo)]) == 2
    assert main(["copy", "--db", str(demo), "--to", str(demo)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert _digests(demo) == before


@pytest.mark.postgresql
def test_sqlite_to_postgresql_and_back_is_the_same_portfolio(
    demo: Path, tmp_path: Path, pg_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    back = tmp_path / "back.db"
    with new_database(pg_server, migrated=False) as url:
        assert main(["copy", "--db", str(demo), "--to", url]) == 0
        assert main(["copy", "--db", url, "--to", str(back)]) == 0
        on_server = _digests(url)
        server = open_portfolio(url)
        try:  # new rows after the copied ids: the sequences moved on
            with server.write() as session:
                session.execute(
                    text(
                        "INSERT INTO accounts (name, name_key, status, annual_prepay, created_at, "
                        "updated_at) VALUES ('New', 'new', 'active', false, now(), now())"
                    )
                )
        finally:
            server.close()
    assert _digests(demo) == on_server == _digests(back)
    capsys.readouterr()
    listings = []
    for target in (demo, back):
        assert main(["accounts", "--db", str(target), "--json"]) == 0
        listings.append(capsys.readouterr().out)
    assert listings[0] == listings[1]


@pytest.mark.postgresql
def test_backup_and_restore_of_a_server_portfolio_go_through_a_file(
    demo: Path, tmp_path: Path, pg_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.db"
    with new_database(pg_server, migrated=False) as url:
        assert main(["copy", "--db", str(demo), "--to", url]) == 0
        assert main(["backup", str(saved), "--db", url]) == 0
        assert _digests(saved) == _digests(demo)
        server = open_portfolio(url)
        with server.write() as session:
            session.execute(text("DELETE FROM tasks"))
            session.execute(text("UPDATE accounts SET owner = 'Someone else'"))
        server.close()
        assert main(["backup", str(saved), "--db", url]) == 2  # never over an existing file
        assert main(["restore", str(saved), "--db", url]) == 0
        assert _digests(url) == _digests(demo)
        assert main(["restore", str(tmp_path / "missing.db"), "--db", url]) == 2
        assert _digests(url) == _digests(demo)
