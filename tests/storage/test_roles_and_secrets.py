"""Who may do what is the server's business; a password in a URL is shown nowhere (SPEC 6)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from csdesk.cli import main
from csdesk.db import open_portfolio
from csdesk.db.dialect import unsupported_server
from csdesk.models import Account, Activity
from csdesk.urls import public_url
from engines import admin, database_url, new_database
from support import SAMPLES

pytestmark = pytest.mark.postgresql


def _login(server: str, role: str, password: str) -> str:
    """A new login in ``role`` (the schema's migration made the roles); its name."""
    with new_database(server):
        pass
    name = f"u_{uuid.uuid4().hex[:10]}"
    admin(f"CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE {role}", server)
    return name


def _as(url: str, user: str, password: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{user}:{password}@{rest.partition('@')[2]}"


def test_a_read_only_user_reads_and_exports_but_every_write_is_one_line_and_exit_2(
    pg_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = _login(pg_server, "csdesk_read", "rpw")
    writer = _login(pg_server, "csdesk_write", "wpw")
    try:
        with new_database(pg_server) as url:
            as_writer, as_reader = _as(url, writer, "wpw"), _as(url, reader, "rpw")
            assert (
                main(["import", str(SAMPLES / "salesforce_accounts.csv"), "--db", as_writer]) == 0
            )
            assert main(["accounts", "--db", as_reader, "--json"]) == 0
            assert '"Harbor Grocers"' in capsys.readouterr().out
            listing = open_portfolio(as_writer)
            try:
                with listing.read() as session:
                    first, second = session.scalars(select(Account.name).limit(2))
            finally:
                listing.close()
            for command in (
                ["import", str(SAMPLES / "usage_history.csv"), "--db", as_reader],
                ["import", str(SAMPLES / "nps_responses.csv"), "--db", as_reader],
                ["recompute", "--db", as_reader],
                ["demo", "--db", as_reader],
                ["merge", first, second, "--db", as_reader],
            ):
                assert main(command) == 2
                err = capsys.readouterr().err
                assert err.count("\n") == 1 and "Traceback" not in err
                assert f"the database user {reader} may only read" in err
            pdf = tmp_path / "case.pdf"
            assert main(["export", "Harbor Grocers", "--db", as_reader, "--pdf", str(pdf)]) == 0
            assert pdf.stat().st_size > 0
            reading, writing = open_portfolio(as_reader), open_portfolio(as_writer)
            try:
                assert (reading.can_write, writing.can_write) == (False, True)  # the window's cue
                with writing.read() as session:  # the timeline names the database user
                    actors = set(session.scalars(select(Activity.actor)))
                assert actors == {writer, reader}  # the import, and the export
            finally:
                reading.close()
                writing.close()
    finally:
        admin(f"DROP ROLE IF EXISTS {reader}", pg_server)
        admin(f"DROP ROLE IF EXISTS {writer}", pg_server)


def test_a_password_in_the_url_appears_in_no_setting_log_timeline_or_message(
    pg_server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = f"Pw{uuid.uuid4().hex[:12]}"
    user = _login(pg_server, "csdesk_write", secret)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    try:
        with new_database(pg_server) as url:
            target = _as(url, user, secret) + "?sslmode=disable"
            bad = (tmp_path / "bad.csv").write_text("Account Name,ARR\nAcme,-5\n") and "bad.csv"
            codes = [
                main(["import", str(SAMPLES / "salesforce_accounts.csv"), "--db", target]),
                main(["import", str(tmp_path / bad), "--db", target]),
                main(["recompute", "--db", target]),
                main(["accounts", "--db", target]),
                main(["accounts", "--db", target.replace(url.rsplit("/", 1)[1], "nosuchdb")]),
                main(["accounts", "--db", _as(url, user, "wrong")]),
            ]
            assert codes == [0, 1, 0, 0, 2, 2]
            from PySide6.QtCore import QSettings

            from csdesk.views.settings import Settings

            for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
                # As a new process would: settings under this test's XDG_CONFIG_HOME, even when
                # an earlier test in this process pointed QSettings elsewhere.
                QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "config"))
            settings = Settings()
            settings.remember_portfolio(target)
            settings.mark_welcomed(target)
            settings.sync()
            assert settings.recent_portfolios() == [public_url(target)]
            portfolio = open_portfolio(target)
            try:
                with portfolio.read() as session:
                    timeline = [
                        (a.actor, a.summary, str(a.details))
                        for a in session.scalars(select(Activity))
                    ]
            finally:
                portfolio.close()
        output = capsys.readouterr()
        assert timeline and secret not in repr(timeline)
        assert secret not in output.out + output.err
        assert "sslmode=disable" in public_url(target) and user in public_url(target)
        written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".db"]
        assert any("config" in p.parts for p in written)  # the settings file is among them
        for path in written:
            assert secret.encode() not in path.read_bytes(), path
    finally:
        admin(f"DROP ROLE IF EXISTS {user}", pg_server)


def test_pgpass_and_pgpassword_supply_the_password(
    pg_server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = f"Pw{uuid.uuid4().hex[:12]}"
    user = _login(pg_server, "csdesk_write", secret)
    try:
        with new_database(pg_server) as url:
            bare = _as(url, user, "").replace(f"{user}:@", f"{user}@")
            monkeypatch.setenv("PGPASSWORD", secret)
            assert main(["accounts", "--db", bare + "?sslmode=prefer"]) == 0
            monkeypatch.delenv("PGPASSWORD")
            pgpass = tmp_path / "pgpass"
            pgpass.write_text(f"*:*:*:{user}:{secret}\n")
            pgpass.chmod(0o600)
            monkeypatch.setenv("PGPASSFILE", str(pgpass))
            assert main(["accounts", "--db", bare]) == 0
            pgpass.write_text(f"*:*:*:{user}:wrong\n")
            assert main(["accounts", "--db", bare]) == 2
            assert "password authentication failed" in capsys.readouterr().err
    finally:
        admin(f"DROP ROLE IF EXISTS {user}", pg_server)


def test_an_unsupported_server_version_is_named() -> None:
    assert unsupported_server((11, 22)) == (
        "PostgreSQL 11.22 is not supported: csdesk needs PostgreSQL 12 or newer"
    )
    assert unsupported_server((15, 18)) is None


def test_database_urls_keep_their_options() -> None:
    assert database_url("x", "postgresql://u:p@h:1/postgres?sslmode=require") == (
        "postgresql://u:p@h:1/x?sslmode=require"
    )
