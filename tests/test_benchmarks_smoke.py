"""The benchmark suite runs end to end at its quick size and prints its results table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_benchmark_prints_every_goal(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    markdown = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--markdown", str(markdown)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["goal", "csdesk"])
    assert lines[header].split() == ["goal", "csdesk", "yardstick", "ratio", "target", "result"]
    end = lines.index("", header)
    body = lines[header + 2 : end]
    goals = {int(line.split()[0]) for line in body}
    assert goals == set(range(1, 9))
    assert all(line.rstrip().endswith(("pass", "FAIL", "-")) for line in body)
    assert "goal(s) missed" in done.stdout
    table = markdown.read_text(encoding="utf-8")
    assert "| goal | csdesk | yardstick | ratio | target | result |" in table
    assert table.count("\n| ") == len(body) + 1
