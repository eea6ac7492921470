"""``csdesk --db X`` opens the window in a process of its own and quits cleanly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from csdesk.services.demo import DEMO_ACCOUNTS
from support import run_app_process


def _run(db: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return run_app_process(["-m", "csdesk", "--db", str(db)], home, CSDESK_QUIT_AFTER_MS="1500")


@pytest.mark.parametrize("which", ["demo", "new"])
def test_app_starts_on_a_portfolio_and_remembers_it(
    which: str, demo_path: Path, tmp_path: Path
) -> None:
    db = demo_path if which == "demo" else tmp_path / "fresh" / "new.db"
    result = _run(db, tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    config = tmp_path / "home" / "config" / "csdesk" / "csdesk.conf"
    assert str(db) in config.read_text(encoding="utf-8")
    assert db.exists()


_PROBE = """
import sys
from csdesk import app
from csdesk.views import main_window

ready_line = app._ready_line
def probed_ready_line():
    engine = "csdesk.db.engine" in sys.modules
    print("database layer at ready:", "sqlalchemy" in sys.modules, engine)
    return ready_line()
app._ready_line = probed_ready_line

open_portfolio = main_window.MainWindow.open_portfolio
def probed_open(self, target, **kwargs):
    opened = open_portfolio(self, target, **kwargs)
    print("opened", opened, self.ctx.preview is None, self.pages["portfolio"].list.model.rowCount())
    return opened
main_window.MainWindow.open_portfolio = probed_open
sys.exit(app.run_app(sys.argv[1]))
"""


def _start(db: Path, home: Path) -> list[str]:
    result = run_app_process(["-c", _PROBE, str(db)], home, CSDESK_QUIT_WHEN_IDLE="1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if not line.startswith("csdesk ready")]


def test_a_portfolio_file_is_ready_before_sqlalchemy_is_imported_then_opens(
    demo_path: Path, tmp_path: Path
):
    assert _start(demo_path, tmp_path / "home") == [
        "database layer at ready: False False",
        f"opened True True {DEMO_ACCOUNTS}",
    ]


def test_a_new_portfolio_opens_the_normal_way_before_it_is_ready(tmp_path: Path):
    db = tmp_path / "fresh" / "new.db"
    assert _start(db, tmp_path / "home") == [
        "opened True True 0",
        "database layer at ready: True True",
    ]
    assert db.exists()


_OPEN_WITH = """
import sys
from csdesk import app
from csdesk.views import actions

def probed_import_dialog(window, path=None):
    print("wizard on", path, "portfolio open:", window.ctx.portfolio is not None, flush=True)
actions.import_dialog = probed_import_dialog
sys.exit(app.run_app(sys.argv[1], import_file=sys.argv[2]))
"""


def test_open_with_starts_the_import_wizard_once_the_portfolio_is_open(
    demo_path: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "accounts.csv"
    sample.write_text("Account Name,ARR\nNew Co,1000\n", encoding="utf-8")
    result = run_app_process(
        ["-c", _OPEN_WITH, str(demo_path), str(sample)],
        tmp_path / "home",
        CSDESK_QUIT_AFTER_MS="1500",
    )
    assert result.returncode == 0, result.stderr
    assert f"wizard on {sample} portfolio open: True" in result.stdout
