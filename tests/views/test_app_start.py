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
