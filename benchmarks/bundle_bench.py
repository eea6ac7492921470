"""Issue 20's start goal: the bundle's cold start on the demo portfolio within 1.3x the venv's.

Both are whole processes under the offscreen platform, timed from spawn to the "ready" line
(window shown, the first page of the portfolio table read and painted, event loop idle): the
bundle's ``csdesk`` with a minimal environment, and ``python -m csdesk`` from the source tree
(byte-compiled first, as an installed package is). The unpacked size is reported beside it.

Usage::

    python packaging/build.py            # builds dist/csdesk
    python benchmarks/bundle_bench.py [--bundle dist/csdesk] [--runs 5] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from common import SRC, Row, absolute_row, child_env, ratio_row, run_child  # noqa: E402
from run import format_table  # noqa: E402
from startup_bench import _ready_after  # noqa: E402

MAX_MB = 250
MAX_RATIO = 1.3


def _bundle_env(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "CSDESK_DATA_DIR": str(home / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "CSDESK_QUIT_WHEN_IDLE": "1",
    }


def measure(bundle: Path, runs: int) -> list[Row]:
    """Cold starts of the bundle and of the source tree on one demo portfolio."""
    with tempfile.TemporaryDirectory(prefix="csdesk-bundle-bench-") as folder:
        home = Path(folder)
        demo = home / "demo.db"
        run_child([str(bundle / "csdesk"), "demo", "--db", str(demo)], _bundle_env(home))
        compileall.compile_dir(SRC / "csdesk", quiet=1)
        venv_env = child_env(
            CSDESK_QUIT_WHEN_IDLE="1",
            CSDESK_DATA_DIR=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
        )
        bundle_argv = [str(bundle / "csdesk"), "--db", str(demo)]
        venv_argv = [sys.executable, "-m", "csdesk", "--db", str(demo)]
        run_child(bundle_argv, _bundle_env(home))  # warm-up: the OS file cache for both
        run_child(venv_argv, venv_env)
        ours, base = [], []
        for _ in range(runs):
            ours.append(_ready_after(run_child(bundle_argv, _bundle_env(home)), "csdesk ready"))
            base.append(_ready_after(run_child(venv_argv, venv_env), "csdesk ready"))
    size_mb = sum(p.lstat().st_size for p in bundle.rglob("*") if p.is_file()) / 1e6
    return [
        ratio_row(
            "20 cold start, bundle (demo)",
            statistics.median(ours),
            statistics.median(base),
            "venv",
            MAX_RATIO,
        ),
        absolute_row("20 bundle size unpacked", size_mb, MAX_MB, unit="MB"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=BENCH.parent / "dist" / "csdesk")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    if not (args.bundle / "csdesk").is_file():
        print(f"no bundle at {args.bundle}: run `python packaging/build.py` first")
        return 2
    rows = measure(args.bundle.resolve(), args.runs)
    print(format_table(rows))
    if args.markdown:
        args.markdown.write_text(format_table(rows, markdown=True) + "\n", encoding="utf-8")
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
