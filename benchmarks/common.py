"""Shared pieces of the benchmark suite: result rows, medians, child processes with peak RSS."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
BENCH = ROOT / "benchmarks"


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs.

    Attributes:
        accounts: Accounts in the generated portfolio (recompute, views, cold start).
        rows: Rows of the generated import file.
        batch: Accounts in the business-case batch.
        runs: Timed repetitions per measurement (the median is reported).
        quick: A smoke test: skip warm-ups and extra repetitions.
    """

    accounts: int
    rows: int
    batch: int
    runs: int
    quick: bool = False


FULL = Sizes(accounts=100_000, rows=100_000, batch=500, runs=5)
QUICK = Sizes(accounts=1_000, rows=1_000, batch=4, runs=1, quick=True)


@dataclass(frozen=True)
class Row:
    """One line of the results table.

    Attributes:
        goal: Goal number and name, e.g. ``"4 recompute (no change)"``.
        measured: csdesk's median, formatted.
        yardstick: The floor or rival tool and its median, formatted (empty for absolute goals).
        ratio: csdesk / yardstick, or None for absolute goals.
        target: The goal, formatted (``"<= 1.00x"``, ``"<= 1.00 s"``).
        passed: Whether the goal is met; None for figures reported without a goal.
    """

    goal: str
    measured: str
    yardstick: str
    ratio: float | None
    target: str
    passed: bool | None


def seconds(value: float) -> str:
    """A duration for the table: ms below one second, else seconds."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio_row(goal: str, ours: float, base: float, base_label: str, limit: float | None) -> Row:
    """A goal held as a ratio to a yardstick measured in the same run."""
    ratio = ours / base if base > 0 else float("inf")
    return Row(
        goal=goal,
        measured=seconds(ours),
        yardstick=f"{base_label} {seconds(base)}",
        ratio=ratio,
        target=f"<= {limit:.2f}x" if limit is not None else "",
        passed=None if limit is None else ratio <= limit,
    )


def absolute_row(goal: str, value: float, limit: float | None, unit: str = "s") -> Row:
    """A goal held as an absolute figure (seconds, milliseconds or MB)."""
    if unit == "s":
        shown, target = seconds(value), f"<= {seconds(limit)}" if limit is not None else ""
    else:
        shown, target = f"{value:.0f} {unit}", f"<= {limit:.0f} {unit}" if limit else ""
    return Row(goal, shown, "", None, target, None if limit is None else value <= limit)


def median_time(
    work: Callable[[], object], runs: int, *, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of ``work`` over ``runs`` calls (``setup`` runs untimed before each)."""
    times: list[float] = []
    for _ in range(max(1, runs)):
        if setup is not None:
            setup()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@contextmanager
def busy_core() -> Iterator[None]:
    """Keep one other core busy while the block runs: a child process spinning in Python.

    On a two-core laptop the other core is rarely idle (a browser, an indexer, a second
    csdesk); a goal "with the other core busy" is timed inside this block.
    """
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)  # let it start spinning
        yield
    finally:
        spinner.kill()
        spinner.wait()


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: csdesk importable from ``src``, Qt offscreen."""
    env = dict(os.environ)
    paths = [str(SRC), str(BENCH), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


@dataclass(frozen=True)
class ChildRun:
    """A finished child process.

    Attributes:
        wall: Seconds from start to exit.
        stdout: What it printed.
        peak_rss_mb: Its own peak resident set size (MB), from ``wait4``.
        cpu: User + system CPU seconds it used.
        started_at: Epoch seconds just before it was started.
    """

    wall: float
    stdout: str
    peak_rss_mb: float
    cpu: float
    started_at: float


def run_child(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 900
) -> ChildRun:
    """Run a process to completion and report its time, output, CPU and peak RSS.

    The process is started by ``launcher.py``, which measures it with ``os.wait4``: the usage
    of exactly that child, its peak RSS not inherited from this (large) benchmark process.

    Raises:
        RuntimeError: The process failed or timed out (its stderr is in the message).
    """
    with tempfile.TemporaryDirectory(prefix="csdesk-child-") as folder:
        report = Path(folder) / "usage.json"
        out_path, err_path = Path(folder) / "out.txt", Path(folder) / "err.txt"
        with out_path.open("w") as out, err_path.open("w") as err:
            done = subprocess.run(
                [sys.executable, str(BENCH / "launcher.py"), str(report), *argv],
                env=env or child_env(),
                stdout=out,
                stderr=err,
                timeout=timeout,
                check=False,
            )
        stdout = out_path.read_text(errors="replace")
        stderr = err_path.read_text(errors="replace")
        if done.returncode != 0 or not report.exists():
            raise RuntimeError(f"{' '.join(argv[:4])} failed ({done.returncode}): {stderr[-2000:]}")
        usage = json.loads(report.read_text())
    return ChildRun(
        wall=usage["wall"],
        stdout=stdout,
        peak_rss_mb=usage["peak_rss_kb"] / 1024,
        cpu=usage["cpu"],
        started_at=usage["started_at"],
    )


def python_child(code: str, timeout: float = 900, **env: str) -> ChildRun:
    """Run ``code`` in a fresh interpreter (csdesk and the benchmarks importable)."""
    return run_child([sys.executable, "-c", code], child_env(**env), timeout)
