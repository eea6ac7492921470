"""The built bundle works on its own: every command, the window, updates, and a damaged copy.

These tests need a bundle built by ``python packaging/build.py`` and its folder in
``CSDESK_BUNDLE`` (CI builds one and sets it); without it they are skipped. The bundle runs with
a clean environment in a folder of its own, so nothing of the repository's source is on its path.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support import SAMPLES, migrate_to

BUNDLE = Path(os.environ.get("CSDESK_BUNDLE", "")) if os.environ.get("CSDESK_BUNDLE") else None

pytestmark = pytest.mark.skipif(
    BUNDLE is None or not (BUNDLE / "csdesk").is_file(),
    reason="no bundle: run `python packaging/build.py`, then set CSDESK_BUNDLE=dist/csdesk",
)


def _run(
    args: list[str], home: Path, bundle: Path | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the bundle's csdesk with only a minimal environment (no PYTHONPATH, no venv)."""
    assert BUNDLE is not None
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "share"),
        "CSDESK_DATA_DIR": str(home / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        **extra,
    }
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str((bundle or BUNDLE) / "csdesk"), *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _revision(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_every_command_works_from_the_bundle(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "demo.db"
    version = _run(["--version"], home)
    assert version.returncode == 0 and "csdesk" in version.stdout, version.stderr
    assert _run(["demo", "--db", str(db)], home).returncode == 0
    listed = _run(["accounts", "--db", str(db), "--json"], home)
    assert listed.returncode == 0, listed.stderr
    accounts = json.loads(listed.stdout)
    assert len(accounts) >= 50 and {"crm_id", "health_score"} <= set(accounts[0])
    imported = _run(
        ["import", str(SAMPLES / "salesforce_accounts.csv"), "--db", str(db), "--json"], home
    )
    assert imported.returncode in (0, 1), imported.stderr
    assert "created" in json.loads(imported.stdout)
    assert _run(["recompute", "--db", str(db)], home).returncode == 0
    renews = next(a for a in accounts if a["status"] == "active" and a["renewal_date"])
    out = tmp_path / "case"
    exported = _run(
        ["export", renews["name"], "--db", str(db), "--pdf", f"{out}.pdf", "--xlsx", f"{out}.xlsx"],
        home,
    )
    assert exported.returncode == 0, exported.stderr
    assert Path(f"{out}.pdf").read_bytes()[:5] == b"%PDF-"
    assert Path(f"{out}.xlsx").read_bytes()[:2] == b"PK"
    assert _run(["backup", str(tmp_path / "copy.db"), "--db", str(db)], home).returncode == 0
    for result in (listed, imported, exported):
        assert "Traceback" not in result.stderr


def test_the_backtest_runs_from_the_bundle_on_the_demo(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "demo.db"
    assert _run(["demo", "--db", str(db)], home).returncode == 0
    done = _run(["backtest", "--db", str(db), "--json"], home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcomes"] >= 20 and report["churned"] >= 5
    assert 0.0 <= report["auc"] <= 1.0
    assert {m["measure"] for m in report["measures"]} >= {"usage", "payment"}
    assert any(m["auc"] is not None for m in report["measures"])
    assert "Traceback" not in done.stderr


def test_the_window_opens_offscreen_and_closes_cleanly(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "demo.db"
    assert _run(["demo", "--db", str(db)], home).returncode == 0
    shown = _run(["--db", str(db)], home, CSDESK_QUIT_WHEN_IDLE="1")
    assert shown.returncode == 0, shown.stderr
    assert "csdesk ready" in shown.stdout
    assert "Traceback" not in shown.stderr


def test_an_older_portfolio_is_migrated_after_a_backup_and_a_newer_one_refused(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    old = tmp_path / "old.db"
    migrate_to(old, "0004")
    listed = _run(["accounts", "--db", str(old), "--json"], home)
    assert listed.returncode == 0, listed.stderr
    from csdesk.revisions import SCHEMA_HEAD

    assert _revision(old) == SCHEMA_HEAD
    backups = list((tmp_path / "old-backups").glob("old-*.db"))
    assert backups, "the migration keeps a backup of the older file first"
    assert _revision(backups[0]) == "0004"

    newer = tmp_path / "newer.db"
    migrate_to(newer, "head")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = newer.read_bytes()
    refused = _run(["accounts", "--db", str(newer)], home)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "newer" in refused.stderr
    assert newer.read_bytes() == before


def test_a_bundle_with_a_missing_library_says_which_in_one_line(tmp_path: Path) -> None:
    assert BUNDLE is not None
    damaged = tmp_path / "csdesk"
    shutil.copytree(BUNDLE, damaged, symlinks=True, copy_function=os.link)
    victim = next((damaged / "_internal" / "PySide6").glob("QtWidgets*.so"))
    victim.unlink()
    for args in (["--version"], []):
        result = _run(args, tmp_path / "home", bundle=damaged)
        assert result.returncode == 2
        assert result.stderr.startswith("csdesk: this installation is incomplete (missing ")
        assert victim.name in result.stderr and result.stderr.count("\n") == 1
