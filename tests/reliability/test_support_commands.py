"""No display, ``--version``, ``doctor`` and the command line's last line of defence: one line,
exit 2, nothing written (SPEC 5, 7)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from reliability_support import cli_env, run_cli

from csdesk import __version__
from csdesk.cli import main
from csdesk.db.backup import backup_before
from csdesk.display import display_problem


def _no_display_env(data: Path, **extra: str) -> dict[str, str]:
    env = cli_env(data)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    env.update(extra)
    return env


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always has a display")
def test_no_display_is_one_line_and_exit_2_before_the_demo_is_built(tmp_path: Path) -> None:
    import subprocess

    data = tmp_path / "data"
    demo = tmp_path / "demo.db"
    for env, words in (
        (_no_display_env(data), "no display"),
        (_no_display_env(data, DISPLAY=":93"), "does not answer"),
        (_no_display_env(data, QT_QPA_PLATFORM="wayland"), "Wayland"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "csdesk", "--demo", "--db", str(demo)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0]
        assert "every command works without a window" in lines[0]
        assert "libxcb-cursor0" not in lines[0]
    assert not demo.exists() and not data.exists()


def test_display_problem_reads_the_environment() -> None:
    if sys.platform in ("win32", "darwin"):
        assert display_problem({}) is None
        return
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert "no display" in (display_problem({}) or "")
    assert "does not answer" in (display_problem({"DISPLAY": "localhost:93"}) or "")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"csdesk {__version__}"


def test_doctor_reports_versions_paths_schema_integrity_and_backups(
    demo_db: Path, tmp_path: Path
) -> None:
    good = backup_before(demo_db, "import")
    assert good is not None
    broken = good.with_name(good.name.replace("-import", "-daily"))
    shutil.copyfile(good, broken)
    with broken.open("r+b") as fh:
        fh.seek(4096 * 20)
        fh.write(b"\xa5" * 4096)
    (good.parent / (good.name + ".part")).write_bytes(b"half")
    done = run_cli(["doctor", "--json", "--db", str(demo_db)], tmp_path / "data")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["versions"]["csdesk"] and report["versions"]["sqlite"]
    assert report["paths"]["portfolio"] == str(demo_db)
    assert report["paths"]["log"].endswith("csdesk.log")
    assert report["portfolio"]["schema"] == report["portfolio"]["schema_head"]
    assert report["portfolio"]["integrity"] == "ok" and report["problem"] is None
    states = {Path(b["file"]).name: b["state"] for b in report["backups"]["files"]}
    assert states == {good.name: "ok", broken.name: "damaged"}
    assert report["backups"]["part_files"]
    text = run_cli(["doctor", "--db", str(demo_db)], tmp_path / "data")
    assert text.returncode == 0 and "integrity      ok" in text.stdout and "damaged" in text.stdout


def test_doctor_on_a_damaged_file_exits_2_naming_the_backup(demo_db: Path, tmp_path: Path) -> None:
    good = backup_before(demo_db, "import")
    with demo_db.open("r+b") as fh:
        fh.seek((demo_db.stat().st_size // 8192) * 4096)
        fh.write(b"\xa5" * 4096)
    before = demo_db.read_bytes()
    done = run_cli(["doctor", "--db", str(demo_db)], tmp_path / "data")
    assert done.returncode == 2
    assert f"csdesk restore {good}" in done.stderr and "Traceback" not in done.stderr
    assert demo_db.read_bytes() == before


def test_an_unexpected_error_is_one_line_and_logged(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    code = (
        "import sys, csdesk.services.accounts as a\n"
        "def broken(*_a, **_k): raise KeyError('no such column')\n"
        "a.account_listing = broken\n"
        "from csdesk.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-c", code, "accounts", "--db", str(demo_db)],
        env=cli_env(data),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "unexpected error (KeyError" in done.stderr and "csdesk.log" in done.stderr
    logged = (data / "csdesk.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and "no such column" in logged
