"""CLI: demo, accounts (table and JSON), recompute, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdesk.cli import main


def test_demo_then_accounts_json_has_spec_shape(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["accounts", "--db", str(db_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    keys = {
        "crm_id",
        "name",
        "status",
        "tier",
        "arr",
        "renewal_date",
        "lifecycle_stage",
        "health_score",
        "health_band",
        "prospect_score",
        "prospect_qualified",
        "roi_multiple",
    }
    assert all(keys <= set(r) for r in rows)
    names = [r["name"] for r in rows]
    assert names.index("Île de Saveurs") < names.index("Ironclad Ledger")  # accents ignored
    for r in rows:
        if r["health_score"] is not None:
            assert round(r["health_score"], 1) == r["health_score"]
        if r["prospect_score"] is not None:
            assert round(r["prospect_score"], 2) == r["prospect_score"]


def test_accounts_table_is_aligned(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--db", str(db_path)])
    capsys.readouterr()
    assert main(["--db", str(db_path), "accounts"]) == 0  # --db before the command works too
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Account") and lines[-1].endswith("accounts")
    header_pos = lines[0].index("Health")
    assert all(len(line) >= header_pos for line in lines[2:-1])


def test_demo_twice_exits_2_with_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["demo", "--db", str(db_path)])
    capsys.readouterr()
    assert main(["demo", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err


def test_recompute_reports_counts(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--db", str(db_path)])
    capsys.readouterr()
    assert main(["recompute", "--db", str(db_path)]) == 0
    assert "recomputed 60 accounts: 0 changed" in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2


def test_newer_portfolio_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    db = tmp_path / "new.db"
    main(["accounts", "--db", str(db)])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    capsys.readouterr()
    assert main(["accounts", "--db", str(db)]) == 2
    assert "newer csdesk" in capsys.readouterr().err


def test_not_a_portfolio_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 10)
    assert main(["accounts", "--db", str(junk)]) == 2
    assert "not a csdesk portfolio" in capsys.readouterr().err
    assert junk.read_bytes() == b"this is not sqlite" * 10


def test_no_command_opens_the_app_and_demo_builds_once(tmp_path: Path) -> None:
    opened: list[str | None] = []

    def fake_app(db: str | None, import_file: str | None) -> int:
        assert import_file is None
        opened.append(db)
        return 0

    db = tmp_path / "demo.db"
    assert main(["--demo", "--db", str(db)], open_app=fake_app) == 0
    assert main(["--demo", "--db", str(db)], open_app=fake_app) == 0  # second run reuses it
    assert opened == [str(db), str(db)]
    assert main(["--db", str(db)], open_app=fake_app) == 0
    assert opened[-1] == str(db)


def test_no_command_without_an_app_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "desktop app" in capsys.readouterr().err


def test_broken_user_health_model_is_named_and_skipped(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csdesk.config import health_models_dir

    folder = health_models_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\nversion = 1\n[[measures]\nkey = 1\n')
    main(["demo", "--db", str(db_path)])
    capsys.readouterr()
    assert main(["recompute", "--db", str(db_path)]) == 0
    captured = capsys.readouterr()
    assert "health model skipped" in captured.err and "mine.toml" in captured.err
    assert "0 changed" in captured.out  # the shipped model still scores every account
