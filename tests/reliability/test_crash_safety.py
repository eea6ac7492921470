"""SIGKILL at any moment of an import, a recompute or the demo build leaves the portfolio intact.

Each action runs in a real ``csdesk`` process that is killed at fractions of the action's own
measured duration and again once it has started writing (its write-ahead log grows). After each
kill the file must pass ``PRAGMA integrity_check`` and hold exactly the rows it held before; only
a kill that lands after the commit may find the action's complete result instead.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import cli_command, cli_env, digest

pytestmark = pytest.mark.slow

ROWS = 20_000
HEADER = [
    "Account ID",
    "Account Name",
    "Account Owner",
    "Status",
    "Industry",
    "Segment",
    "Billing Country",
    "ARR",
    "Tier",
    "Contract Start Date",
    "Contract End Date",
    "Usage",
    "Usage Limit",
    "Logins (30d)",
    "Open Tickets",
    "Payments Current",
    "Features Used",
    "Features Total",
]
TABLES = ("accounts", "metric_snapshots", "metric_latest", "health_snapshots", "tasks", "alerts")


def _write_big_csv(path: Path) -> None:
    rng = random.Random(6)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(ROWS):
            out.writerow(
                [
                    f"CRASH{i:07d}",
                    f"Crash Test Account {i}",
                    f"Owner {i % 9}",
                    rng.choice(("Active", "Pilot", "Prospect")),
                    rng.choice(("Retail", "Logistics", "SaaS")),
                    rng.choice(("small", "mid-market", "enterprise")),
                    "Canada",
                    f"${rng.randint(10, 90) * 1000:,}.00",
                    rng.choice(("Starter", "Professional", "Enterprise")),
                    "01/15/2026",
                    "01/14/2027",
                    f"{rng.randint(1000, 90000):,}",
                    "100,000",
                    rng.randint(0, 30),
                    rng.randint(0, 9),
                    rng.choice(("Yes", "No")),
                    rng.randint(1, 12),
                    12,
                ]
            )


def _settle(db: Path) -> str:
    """Open the file as the next csdesk would (recovering its log) and check it."""
    conn = sqlite3.connect(db)
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()  # the last connection checkpoints and removes the write-ahead log


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def _tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def _wal_size(db: Path) -> int:
    try:
        return db.with_name(db.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


class Runner:
    """Starts csdesk processes on one portfolio and kills them on cue.

    The cues are the progress phases the command prints on stderr ("Matching accounts: 0/20000")
    and the growth of the portfolio's write-ahead log, so they do not depend on machine speed.
    """

    def __init__(self, db: Path, data: Path) -> None:
        self.db = db
        self.env = cli_env(data)
        self.lines: list[str] = []

    def start(self, *args: str) -> subprocess.Popen[str]:
        self.lines = lines = []
        proc = subprocess.Popen(
            cli_command(*args, "--db", str(self.db)),
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        stream = proc.stderr
        assert stream is not None
        threading.Thread(target=lambda: lines.extend(stream), daemon=True).start()
        return proc

    def run_to_end(self, *args: str) -> list[str]:
        """Run to completion; return the phases it went through."""
        proc = self.start(*args)
        assert proc.wait(timeout=300) == 0, "".join(self.lines)
        return [line.split(":")[0] for line in self.lines]

    def kill_when(self, proc: subprocess.Popen[str], cue: Callable[[], bool]) -> bool:
        """SIGKILL ``proc`` as soon as ``cue()`` holds; True if it was still running then."""
        while proc.poll() is None and not cue():
            time.sleep(0.001)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return running

    def kill_in_phase(self, proc: subprocess.Popen[str], label: str, share: float = 0.0) -> bool:
        """Kill once the phase ``label`` has reached ``share`` of its steps."""

        def reached() -> bool:
            for line in reversed(self.lines):
                name, _, done = line.partition(": ")
                if name == label:
                    count, _, total = done.strip().partition("/")
                    return int(count) >= share * int(total or 0)
            return False

        return self.kill_when(proc, reached)

    def kill_once_writing(self, proc: subprocess.Popen[str]) -> int:
        """Kill once the log has grown; return the size it had then (0: the process ended)."""
        seen = [0]

        def grown() -> bool:
            seen[0] = _wal_size(self.db)
            return seen[0] > 0

        return seen[0] if self.kill_when(proc, grown) else 0


def _outcome(db: Path, before: str, after_counts: dict[str, int]) -> str:
    """``before`` when nothing changed, ``after`` when the whole action committed."""
    assert _settle(db) == "ok"
    if digest(db) == before:
        return "before"
    assert _counts(db) == after_counts, "a killed action left part of its changes"
    return "after"


def _phases(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(line.split(":")[0] for line in lines))


def _kill_in_every_phase(
    runner: Runner, args: tuple[str, ...], phases: list[str], after: dict[str, int]
) -> None:
    before = digest(runner.db)
    for phase in phases:
        proc = runner.start(*args)
        assert runner.kill_in_phase(proc, phase, 0.5), f"ended before {phase!r} was half done"
        assert _outcome(runner.db, before, after) == "before", phase


def _kill_while_committing(
    runner: Runner, args: tuple[str, ...], after: dict[str, int], pristine: Path
) -> None:
    """Kill as the log starts to grow; retry if the commit won the race."""
    before = digest(runner.db)
    for _attempt in range(3):
        proc = runner.start(*args)
        log_bytes = runner.kill_once_writing(proc)
        assert log_bytes > 0, "the action ended without the log ever growing"
        if _outcome(runner.db, before, after) == "before":
            return
        shutil.copyfile(pristine, runner.db)
    pytest.fail("every kill landed after the commit")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def start_state(work: Path, _demo_template: Path) -> Path:
    """The demo portfolio, already migrated and backed up today, so kills hit only the action."""
    path = work / "start.db"
    shutil.copyfile(_demo_template, path)
    Runner(path, work / "data").run_to_end("accounts")
    assert _settle(path) == "ok"
    return path


@pytest.fixture(scope="module")
def big_csv(work: Path) -> Path:
    path = work / "big_accounts.csv"
    _write_big_csv(path)
    return path


@pytest.fixture(scope="module")
def imported(work: Path, start_state: Path, big_csv: Path) -> tuple[Path, list[str]]:
    """The start state after a complete import of the big file, and the import's phases."""
    path = work / "imported.db"
    shutil.copyfile(start_state, path)
    lines = Runner(path, work / "data").run_to_end("import", str(big_csv))
    assert _settle(path) == "ok"
    assert _counts(path)["accounts"] == _counts(start_state)["accounts"] + ROWS
    return path, _phases(lines)


def test_a_killed_import_leaves_the_portfolio_exactly_as_before(
    work: Path, start_state: Path, big_csv: Path, imported: tuple[Path, list[str]], tmp_path: Path
) -> None:
    reference, phases = imported
    assert len(phases) >= 3  # reading, matching/writing, recomputing …
    db = tmp_path / "portfolio.db"
    shutil.copyfile(start_state, db)
    runner = Runner(db, work / "data")
    args = ("import", str(big_csv))
    after = _counts(reference)
    _kill_in_every_phase(runner, args, phases, after)
    _kill_while_committing(runner, args, after, start_state)


def test_a_killed_recompute_leaves_the_portfolio_exactly_as_before(
    work: Path, imported: tuple[Path, list[str]], tmp_path: Path
) -> None:
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(imported[0], pristine)
    conn = sqlite3.connect(pristine)  # every account's usage fell by two thirds
    conn.execute("UPDATE metric_latest SET value = value / 3 WHERE metric = 'usage'")
    conn.commit()
    conn.close()
    reference = tmp_path / "recomputed.db"
    shutil.copyfile(pristine, reference)
    phases = _phases(Runner(reference, work / "data").run_to_end("recompute"))
    assert _settle(reference) == "ok"
    after = _counts(reference)
    assert after["health_snapshots"] > _counts(pristine)["health_snapshots"] + ROWS // 2
    db = tmp_path / "portfolio.db"
    shutil.copyfile(pristine, db)
    runner = Runner(db, work / "data")
    _kill_in_every_phase(runner, ("recompute",), phases, after)
    _kill_while_committing(runner, ("recompute",), after, pristine)


def test_a_killed_demo_build_leaves_an_empty_portfolio_or_none(work: Path) -> None:
    data = work / "data"
    reference = work / "demo_reference.db"
    began = time.monotonic()
    Runner(reference, data).run_to_end("demo")
    duration = time.monotonic() - began
    full = _counts(reference)["accounts"]
    for i, share in enumerate((None, 0.5, 0.75, 0.9)):  # None: as the schema is being written
        db = work / f"demo{i}.db"
        runner = Runner(db, data)
        proc = runner.start("demo")
        if share is None:
            runner.kill_once_writing(proc)
        else:
            deadline = time.monotonic() + share * duration
            runner.kill_when(proc, lambda d=deadline: time.monotonic() >= d)
        if db.exists() and os.path.getsize(db):
            assert _settle(db) == "ok"
            if _tables(db):  # killed before the schema was committed: no tables at all
                assert _counts(db)["accounts"] in (0, full)
        result = subprocess.run(
            cli_command("demo", "--db", str(db)), env=runner.env, capture_output=True, text=True
        )
        finished_before = result.returncode == 2 and "not empty" in result.stderr
        assert result.returncode == 0 or finished_before, result.stderr
        assert _counts(db)["accounts"] == full
