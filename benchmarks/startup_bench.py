"""Goal 5 (and 6's memory): cold start of csdesk on a big portfolio against a bare Qt table.

Both are whole processes under the offscreen platform, timed from spawn to the moment they print
"ready" (window shown, the table's first page of real rows read and painted, event loop idle):
csdesk with ``CSDESK_QUIT_WHEN_IDLE=1`` on the generated portfolio, the yardstick
``bare_table.py`` over as many in-memory rows. csdesk quits only once the portfolio itself is
open, so the peak RSS of its process is the memory "with 100,000 accounts open". A separate
``-X importtime`` run of the same start lists any heavy library imported on the way.

csdesk's modules are byte-compiled first, as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set (as on some development machines) every start would otherwise
compile the source of each module again, which no installed copy does.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
from pathlib import Path

from common import BENCH, SRC, ChildRun, Row, Sizes, absolute_row, child_env, ratio_row, run_child

HEAVY = ("matplotlib", "reportlab", "openpyxl", "python_calamine", "pandas", "numpy", "PIL")


def _ready_after(run: ChildRun, marker: str) -> float:
    for line in run.stdout.splitlines():
        if line.startswith(marker):
            return float(line.split()[-1]) - run.started_at
    raise RuntimeError(f"no {marker!r} line in: {run.stdout[-500:]}")


def _app_argv(portfolio: Path, *extra: str) -> list[str]:
    return [sys.executable, *extra, "-m", "csdesk", "--db", str(portfolio)]


def heavy_imports(portfolio: Path, home: Path) -> list[str]:
    """Heavy top-level packages imported while the app starts on ``portfolio``."""
    env = child_env(CSDESK_QUIT_WHEN_IDLE="1", CSDESK_DATA_DIR=str(home), XDG_CONFIG_HOME=str(home))
    proc = subprocess.run(
        _app_argv(portfolio, "-X", "importtime"),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[-1].strip()
            if name.split(".")[0] in HEAVY:
                found.add(name.split(".")[0])
    return sorted(found)


def measure(sizes: Sizes, portfolio: Path, home: Path) -> list[Row]:
    """Time cold starts of the app and of the bare table; return the table rows."""
    env = child_env(CSDESK_QUIT_WHEN_IDLE="1", CSDESK_DATA_DIR=str(home), XDG_CONFIG_HOME=str(home))
    compileall.compile_dir(SRC / "csdesk", quiet=1)
    bare_argv = [sys.executable, str(BENCH / "bare_table.py"), str(sizes.accounts)]
    app_argv = _app_argv(portfolio)
    if not sizes.quick:
        run_child(app_argv, env)  # warm-up: first-open work and the OS file cache
        run_child(bare_argv, env)
    app_runs: list[ChildRun] = []
    bare_times: list[float] = []
    for _ in range(sizes.runs if sizes.quick else max(3, sizes.runs)):
        app_runs.append(run_child(app_argv, env))
        bare_times.append(_ready_after(run_child(bare_argv, env), "bare ready"))
    app = statistics.median(_ready_after(r, "csdesk ready") for r in app_runs)
    bare = statistics.median(bare_times)
    rss = max(r.peak_rss_mb for r in app_runs)
    heavy = heavy_imports(portfolio, home)
    n = f"{sizes.accounts:,}"
    return [
        ratio_row(f"5 cold start on {n} accounts", app, bare, "bare QTableView", 2.0),
        Row(
            "5 heavy libraries imported at start",
            ", ".join(heavy) or "none",
            "",
            None,
            "none",
            not heavy,
        ),
        absolute_row(f"6 peak RSS, app with {n} open", rss, 350, unit="MB"),
    ]
