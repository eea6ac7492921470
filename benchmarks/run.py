"""Run the csdesk benchmark suite and print one table: goal, medians, ratio, target, pass/fail.

Every goal of issue 8 is measured against its yardstick in the same run, on data generated in a
temporary folder. ``--quick`` runs tiny sizes in seconds (the CI smoke test); the full size is
100,000 accounts.

Usage::

    python -m benchmarks [--quick] [--only 4,6] [--runs N] [--markdown FILE]
    python benchmarks/run.py --quick
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
try:
    import csdesk  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(BENCH.parent / "src"))

from common import FULL, QUICK, Row, Sizes  # noqa: E402

GOALS = (1, 2, 3, 4, 5, 6, 7, 8)


def machine() -> str:
    """CPU model, core count, OS and Python, for the report."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def _load() -> str:
    """The system load average: other work on the machine makes every figure slower."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def format_table(rows: Sequence[Row], markdown: bool = False) -> str:
    """The results as an aligned text table, or a Markdown table."""
    header = ("goal", "csdesk", "yardstick", "ratio", "target", "result")
    cells = [
        (
            r.goal,
            r.measured,
            r.yardstick,
            f"{r.ratio:.2f}x" if r.ratio is not None else "",
            r.target,
            {True: "pass", False: "FAIL", None: "-"}[r.passed],
        )
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines)
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*c) for c in cells)])


def _steps(sizes: Sizes, tmp: Path, goals: set[int]) -> list[tuple[str, Callable[[], list[Row]]]]:
    """The benchmarks to run for the chosen goals, in order, as ``(name, thunk)``."""
    steps: list[tuple[str, Callable[[], list[Row]]]] = []
    if goals & {1, 2, 3, 8}:
        import import_goals

        steps.append(("imports", lambda: import_goals.measure(sizes, tmp)))
    if 4 in goals:
        import recompute_bench

        steps.append(("recompute", lambda: recompute_bench.measure(sizes, tmp)))
    if goals & {5, 6}:
        from portfolio_data import build_portfolio

        scored: list[Path] = []

        def portfolio() -> Path:
            if not scored:
                scored.append(build_portfolio(tmp / "scored.db", sizes.accounts, scored=True))
            return scored[0]

        if 6 in goals:
            import view_bench

            steps.append(("portfolio view", lambda: view_bench.measure(sizes, portfolio())))
        import startup_bench

        steps.append(
            ("cold start", lambda: startup_bench.measure(sizes, portfolio(), tmp / "home"))
        )
    if 7 in goals:
        import export_goals

        steps.append(("business case", lambda: export_goals.measure(sizes, tmp)))
    return steps


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; exit 0 when every benchmark ran (a missed goal is reported, not an error).

    A benchmark that raises is reported as a failed row and the others still run; the exit
    code is then 1.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--only", default="", help="comma-separated goal numbers, e.g. 4,6")
    parser.add_argument("--runs", type=int, default=None, help="repetitions per median")
    parser.add_argument("--accounts", type=int, default=None, help="portfolio and file size")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = dataclasses.replace(sizes, runs=args.runs)
    if args.accounts:
        sizes = dataclasses.replace(sizes, accounts=args.accounts, rows=args.accounts)
    goals = {int(g) for g in args.only.split(",") if g.strip()} or set(GOALS)
    command = "python -m benchmarks " + shlex.join(sys.argv[1:] if argv is None else argv)
    intro = [
        f"csdesk benchmarks, {dt.datetime.now().isoformat(timespec='minutes')}",
        f"machine: {machine()}",
        f"command: {command.strip()}",
        f"sizes: {sizes.accounts:,} accounts, {sizes.rows:,} import rows, "
        f"batch of {sizes.batch}, median of {sizes.runs} run(s)",
        f"load average (1/5/15 min) at the start: {_load()}",
    ]
    print("\n".join(intro), flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "home").mkdir()
        os.environ["CSDESK_DATA_DIR"] = str(tmp / "home")
        for name, step in _steps(sizes, tmp, goals):
            started = time.perf_counter()
            print(f"... {name}", end="", flush=True)
            try:
                found = step()
            except Exception as exc:  # one broken benchmark must not lose the others
                found = [
                    Row(
                        f"{name}: could not run",
                        type(exc).__name__,
                        str(exc)[:200],
                        None,
                        "",
                        False,
                    )
                ]
            rows.extend(found)
            print(f" ({time.perf_counter() - started:.0f} s)", flush=True)
            for row in found:
                print(f"    {row.goal}: {row.measured} {row.yardstick}".rstrip(), flush=True)
    table = format_table(rows)
    intro.append(f"load average (1/5/15 min) at the end: {_load()}")
    print()
    print(table)
    print()
    print(intro[-1])
    missed = [r.goal for r in rows if r.passed is False]
    print(f"{len(missed)} goal(s) missed" + (f": {'; '.join(missed)}" if missed else ""))
    if args.markdown:
        text = "\n".join(intro) + "\n\n" + format_table(rows, markdown=True) + "\n"
        args.markdown.write_text(text, encoding="utf-8")
    return 1 if any(r.goal.endswith("could not run") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
