"""``csdesk --db X`` opens the window in a process of its own and quits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(db: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
            "QT_QPA_PLATFORM": "offscreen",
            "CSDESK_QUIT_AFTER_MS": "1500",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "CSDESK_DATA_DIR": str(home / "data"),
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "csdesk", "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
    print("database layer at ready:", "sqlalchemy" in sys.modules, "csdesk.db" in sys.modules)
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
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
            "QT_QPA_PLATFORM": "offscreen",
            "CSDESK_QUIT_WHEN_IDLE": "1",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "CSDESK_DATA_DIR": str(home / "data"),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if not line.startswith("csdesk ready")]


def test_a_portfolio_file_is_ready_before_sqlalchemy_is_imported_then_opens(
    demo_path: Path, tmp_path: Path
):
    assert _start(demo_path, tmp_path / "home") == [
        "database layer at ready: False False",
        "opened True True 60",
    ]


def test_a_new_portfolio_opens_the_normal_way_before_it_is_ready(tmp_path: Path):
    db = tmp_path / "fresh" / "new.db"
    assert _start(db, tmp_path / "home") == [
        "opened True True 0",
        "database layer at ready: True True",
    ]
    assert db.exists()
