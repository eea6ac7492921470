"""Several csdesk at once on one PostgreSQL portfolio (SPEC 6), each in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from csdesk.db import SCHEMA_HEAD, open_portfolio
from csdesk.errors import ConflictError
from csdesk.services.account_detail import load_account_detail
from csdesk.services.edits import set_account_field
from engines import new_database
from support import SAMPLES, SRC

pytestmark = pytest.mark.postgresql


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    """``python -m csdesk ARGS`` in a process of its own (settings and data in ``home``)."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        CSDESK_DATA_DIR=str(home / "data"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "csdesk", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _together(home: Path, *commands: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """Start every command at once; their exit codes, outputs and error outputs."""
    running = [_start(home, *c) for c in commands]
    done = []
    for process in running:
        out, err = process.communicate(timeout=300)
        done.append((process.returncode, out, err))
    return done


def _listing(url: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "csdesk", "accounts", "--db", url, "--json"],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_csdesk_instances_opening_one_empty_database_create_the_schema_once(
    tmp_path: Path, pg_server: str
) -> None:
    with new_database(pg_server, migrated=False) as url:
        results = _together(tmp_path, *[("accounts", "--db", url, "--json")] * 5)
        assert [(code, err) for code, _, err in results] == [(0, "")] * 5
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
                (SCHEMA_HEAD,)
            ]
        engine.dispose()


def test_two_imports_of_the_same_new_accounts_both_finish(tmp_path: Path, pg_server: str) -> None:
    sample = str(SAMPLES / "salesforce_accounts.csv")
    with new_database(pg_server) as url:
        results = _together(tmp_path, *[("import", sample, "--db", url, "--json")] * 2)
        assert [code for code, _, _ in results] == [0, 0], results
        assert all("Traceback" not in err for _, _, err in results)
        summaries = sorted(
            (json.loads(out)["created"], json.loads(out)["updated"]) for _, out, _ in results
        )
        assert summaries[1][0] == 20  # one of them created the accounts …
        assert summaries[0][0] == 0  # … the other found them there
        assert len(_listing(url)) == 20


def test_an_import_during_a_recompute_neither_deadlocks_nor_fails(
    tmp_path: Path, pg_server: str
) -> None:
    with new_database(pg_server) as url:
        assert _together(tmp_path, ("demo", "--db", url))[0][0] == 0
        results = _together(
            tmp_path,
            ("recompute", "--db", url),
            ("import", str(SAMPLES / "salesforce_accounts.csv"), "--db", url, "--json"),
            ("recompute", "--db", url),
        )
        assert [code for code, _, _ in results] == [0, 0, 0], results
        assert all("Traceback" not in err and "deadlock" not in err for _, _, err in results)


def test_imports_of_different_columns_at_once_leave_the_scores_of_running_them_in_turn(
    tmp_path: Path, pg_server: str
) -> None:
    files = [
        str(SAMPLES / n) for n in ("usage_history.csv", "nps_responses.csv", "zendesk_tickets.csv")
    ]
    accounts = str(SAMPLES / "salesforce_accounts.csv")
    with new_database(pg_server) as together, new_database(pg_server) as in_turn:
        for url in (together, in_turn):
            assert _together(tmp_path, ("import", accounts, "--db", url))[0][0] == 0
        results = _together(tmp_path, *[("import", f, "--db", together) for f in files])
        assert [code for code, _, _ in results] == [0] * len(files), results
        for f in files:
            assert _together(tmp_path, ("import", f, "--db", in_turn))[0][0] == 0
        after_both = _listing(together)
        assert after_both == _listing(in_turn)
        assert any(row["health_score"] is not None for row in after_both)
        # Nothing stale: a recompute now has nothing to change.
        assert _together(tmp_path, ("recompute", "--db", together))[0][0] == 0
        assert _listing(together) == after_both


def test_an_edit_on_an_account_changed_since_it_was_read_is_refused_naming_who_and_when(
    pg_server: str,
) -> None:
    with new_database(pg_server) as url:
        mine, theirs = open_portfolio(url), open_portfolio(url)
        try:
            from csdesk.services.demo import build_demo

            build_demo(mine)
            with mine.read() as session:
                account_id = session.execute(text("SELECT min(id) FROM accounts")).scalar_one()
            read = load_account_detail(mine, account_id).header  # the window shows the account
            set_account_field(theirs, account_id, "owner", "Kim", read_version=read.version)
            with pytest.raises(ConflictError, match=r"changed by .+ at \d{4}-\d\d-\d\d \d\d:\d\d"):
                set_account_field(mine, account_id, "owner", "Lee", read_version=read.version)
            assert load_account_detail(mine, account_id).header.owner == "Kim"
            fresh = load_account_detail(mine, account_id).header  # reloaded: the edit goes in
            set_account_field(mine, account_id, "owner", "Lee", read_version=fresh.version)
            assert load_account_detail(theirs, account_id).header.owner == "Lee"
        finally:
            mine.close()
            theirs.close()


def test_a_server_lost_mid_import_is_one_line_and_nothing_is_half_written(
    tmp_path: Path, pg_server: str
) -> None:
    import time

    import psycopg

    big = tmp_path / "big.csv"
    rows = "".join(f"A{i:06d},Account {i},{1000 + i}\n" for i in range(60_000))
    big.write_text("Account ID,Account Name,ARR\n" + rows)
    with new_database(pg_server) as url:
        name = url.rsplit("/", 1)[1]
        process = _start(tmp_path, "import", str(big), "--db", url)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            for _ in range(600):  # until the import's transaction holds the write lock
                held = admin.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND d.datname = %s",
                    (name,),
                ).fetchone()
                if held and held[0]:
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        out, err = process.communicate(timeout=300)
        assert process.returncode == 2, (out, err)
        problems = [line for line in err.splitlines() if line.startswith("csdesk:")]
        assert len(problems) == 1 and "lost the connection" in problems[0], err
        assert "Traceback" not in err
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 0
        engine.dispose()
