"""Automatic rotating backups, ``backup_to``/``restore_from`` and the backup/restore commands."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from reliability_support import SAMPLES, count, digest, integrity
from sqlalchemy import text

from csdesk.cli import main
from csdesk.config import backups_dir
from csdesk.db import SCHEMA_HEAD, open_portfolio
from csdesk.db.backup import (
    backup_before,
    backup_daily,
    keep_count,
    list_backups,
    parse_backup_name,
    rotate,
)
from csdesk.errors import PortfolioBusyError, PortfolioError
from csdesk.services import backups as backups_service
from csdesk.services.backups import (
    backup_to,
    check_backup,
    list_restore_points,
    restore_from,
    set_backup_keep,
)


def _delete_accounts(path: Path, n: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DELETE FROM accounts WHERE id IN (SELECT id FROM accounts LIMIT ?)", (n,))
    conn.commit()
    conn.close()


def test_backup_before_is_an_intact_copy_named_after_its_reason(demo_db: Path) -> None:
    made = backup_before(demo_db, "Import")
    assert made is not None and made.parent == backups_dir(demo_db)
    assert integrity(made) == "ok"
    assert digest(made) == digest(demo_db)
    found = parse_backup_name(made)
    assert found is not None and found.reason == "import"
    assert abs(found.created - dt.datetime.now()) < dt.timedelta(minutes=1)
    assert backup_before(demo_db.with_name("missing.db"), "import") is None


def test_rotation_keeps_the_newest_and_never_touches_other_files(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSDESK_BACKUPS_KEEP", "3")
    folder = backups_dir(demo_db)
    folder.mkdir()
    mine = folder / "my own copy.db"
    mine.write_bytes(b"not touched")
    made = [backup_before(demo_db, f"step{i}") for i in range(5)]
    left = list_backups(demo_db)
    assert [b.path for b in left] == list(reversed(made[-3:]))
    assert mine.read_bytes() == b"not touched"
    assert rotate(folder, 1) == [made[-2], made[-3]]


def test_keep_count_comes_from_env_then_portfolio_setting(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, no_keep_env: None
) -> None:
    assert keep_count(demo_db) == 10
    portfolio = open_portfolio(demo_db)
    set_backup_keep(portfolio, 2)
    portfolio.close()
    assert keep_count(demo_db) == 2
    for i in range(4):
        backup_before(demo_db, f"n{i}")
    assert len(list_backups(demo_db)) == 2
    monkeypatch.setenv("CSDESK_BACKUPS_KEEP", "7")
    assert keep_count(demo_db) == 7
    monkeypatch.setenv("CSDESK_BACKUPS_KEEP", "zero")
    assert keep_count(demo_db) == 2  # an unreadable value falls back to the setting
    monkeypatch.setenv("CSDESK_BACKUPS_KEEP", "0")
    assert keep_count(demo_db) == 1


def test_daily_backup_on_first_open_of_the_day_only(demo_db: Path) -> None:
    assert list_backups(demo_db) == []
    open_portfolio(demo_db).close()
    first = list_backups(demo_db)
    assert [b.reason for b in first] == ["daily"]
    open_portfolio(demo_db).close()
    assert list_backups(demo_db) == first
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert backup_daily(demo_db, today=tomorrow) is not None
    assert len(list_backups(demo_db)) == 2


def test_new_portfolio_takes_no_backup(db_path: Path) -> None:
    open_portfolio(db_path).close()
    assert list_backups(db_path) == []


def test_backup_to_copies_committed_data_while_a_writer_is_mid_transaction(
    demo_db: Path, tmp_path: Path
) -> None:
    before = digest(demo_db)
    portfolio = open_portfolio(demo_db)
    writer = sqlite3.connect(demo_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM tickets")
    try:
        dest = backup_to(portfolio, tmp_path / "out" / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        portfolio.close()
    assert integrity(dest) == "ok"
    assert digest(dest) == before
    assert count(dest, "tickets") > 0


def test_backup_to_a_folder_and_refusals(demo_db: Path, tmp_path: Path) -> None:
    portfolio = open_portfolio(demo_db)
    try:
        dated = backup_to(portfolio, tmp_path)
        assert dated.parent == tmp_path and dated.name.startswith("portfolio-")
        assert digest(dated) == digest(demo_db)
        with pytest.raises(PortfolioError, match="portfolio itself"):
            backup_to(portfolio, demo_db)
        in_use = tmp_path / "in_use.db"
        other = sqlite3.connect(in_use)
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("CREATE TABLE t(x)")
        other.execute("INSERT INTO t VALUES (1)")
        other.commit()
        try:
            with pytest.raises(PortfolioError, match="in use"):
                backup_to(portfolio, in_use)
        finally:
            other.close()
    finally:
        portfolio.close()


def test_restore_replaces_content_and_keeps_a_copy_of_what_it_replaced(
    demo_db: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.db"
    portfolio = open_portfolio(demo_db)
    backup_to(portfolio, good)
    _delete_accounts(demo_db, 10)
    damaged_state = digest(demo_db)
    kept = restore_from(demo_db, good)
    assert kept is not None and kept.exists()
    assert digest(demo_db) == digest(good)
    assert digest(kept) == damaged_state
    assert integrity(demo_db) == "ok"
    with portfolio.read() as session:  # an engine opened before the restore sees the new data
        assert session.scalar(text("SELECT count(*) FROM accounts")) == count(good, "accounts")
    portfolio.close()
    points = list_restore_points(demo_db)
    assert points[0].path == kept and points[0].label == "Before a restore"
    assert points[0].size == kept.stat().st_size


def test_restore_into_a_new_location(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "portfolio.db"
    assert restore_from(target, demo_db) is None
    assert digest(target) == digest(demo_db)
    open_portfolio(target, create=False).close()


def _junk(tmp_path: Path) -> list[tuple[Path, str]]:
    text_file = tmp_path / "notes.db"
    text_file.write_text("hello")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    return [
        (tmp_path / "missing.db", "no backup"),
        (text_file, "not a SQLite database"),
        (foreign, "not a csdesk portfolio"),
    ]


def test_restore_refuses_what_is_not_an_intact_known_portfolio(
    demo_db: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "newer.db"
    newer.write_bytes(demo_db.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.db"
    raw = bytearray(demo_db.read_bytes())
    raw[4096 * 3 : 4096 * 6] = b"\xa5" * (4096 * 3)  # scribble over a few pages
    damaged.write_bytes(bytes(raw))
    cases = [*_junk(tmp_path), (newer, "newer csdesk"), (damaged, "damaged")]
    before = digest(demo_db)
    for src, reason in cases:
        with pytest.raises(PortfolioError, match=reason):
            restore_from(demo_db, src)
        assert digest(demo_db) == before
    with pytest.raises(PortfolioError, match="portfolio itself"):
        restore_from(demo_db, demo_db)
    assert list_backups(demo_db) == []  # nothing was replaced, so nothing was kept
    assert check_backup(demo_db) == SCHEMA_HEAD


def test_restore_is_refused_while_another_connection_writes(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups_service, "BUSY_TIMEOUT_MS", 200)
    good = tmp_path / "good.db"
    good.write_bytes(demo_db.read_bytes())
    writer = sqlite3.connect(demo_db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM tickets")
    try:
        with pytest.raises(PortfolioBusyError, match="busy"):
            restore_from(demo_db, good)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert digest(demo_db) == digest(good)
    assert list_backups(demo_db) == []


def test_cli_backup_and_restore(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy), "--db", str(demo_db)]) == 0
    assert capsys.readouterr().out.strip() == str(copy)
    original = digest(demo_db)
    _delete_accounts(demo_db, 5)
    assert main(["restore", str(copy), "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "kept as" in out
    assert digest(demo_db) == original
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    assert main(["restore", str(junk), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("csdesk: ") and "not a SQLite database" in err
    assert err.count("\n") == 1
    assert digest(demo_db) == original
    assert main(["backup", str(copy), "--db", str(tmp_path / "none.db")]) == 2
    assert "no portfolio" in capsys.readouterr().err


def test_every_import_is_preceded_by_a_backup_but_a_dry_run_is_not(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(SAMPLES / "salesforce_accounts.csv")
    open_portfolio(demo_db).close()  # today's daily backup
    before = digest(demo_db)
    assert main(["import", sample, "--db", str(demo_db), "--dry-run", "--json"]) in (0, 1)
    assert [b.reason for b in list_backups(demo_db)] == ["daily"]
    assert main(["import", sample, "--db", str(demo_db), "--json"]) in (0, 1)
    capsys.readouterr()
    newest = list_backups(demo_db)[0]
    assert newest.reason == "import"
    assert digest(newest.path) == before != digest(demo_db)


def test_an_import_whose_backup_fails_is_refused_and_changes_nothing(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_portfolio(demo_db).close()
    folder = backups_dir(demo_db)
    for old in folder.iterdir():
        old.unlink()
    folder.rmdir()
    folder.write_text("a file where the backup folder should be")
    before = digest(demo_db)
    sample = str(SAMPLES / "salesforce_accounts.csv")
    assert main(["import", sample, "--db", str(demo_db), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("csdesk: cannot back up portfolio.db before import")
    assert err.count("\n") == 1
    assert digest(demo_db) == before
