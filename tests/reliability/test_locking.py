"""One writer at a time across real processes; a crashed writer's lock never blocks anyone."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability_support import cli_env, count, digest, integrity, run_cli

Holder = Callable[[Path, float], "subprocess.Popen[str]"]

#: Deletes every ticket inside one write transaction, says so, then sleeps holding the lock.
HOLDER = """
import sys, time
from sqlalchemy import text
from csdesk.db import open_portfolio
portfolio = open_portfolio(sys.argv[1])
with portfolio.write() as session:
    session.execute(text("DELETE FROM tickets"))
    session.flush()
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("committed", flush=True)
"""

#: Appends N timeline entries, one write transaction each.
APPENDER = """
import sys
from sqlalchemy import insert
from csdesk.db import open_portfolio
from csdesk.models import Activity
portfolio = open_portfolio(sys.argv[1])
for i in range(int(sys.argv[2])):
    with portfolio.write() as session:
        session.execute(insert(Activity).values(actor=sys.argv[3], kind="note", summary=str(i)))
"""


def _wait_for_line(proc: subprocess.Popen[str], expected: str, timeout: float = 30) -> None:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"the helper process never printed {expected!r}"
    assert proc.stdout.readline().strip() == expected


@pytest.fixture
def start_holder(tmp_path: Path) -> Iterator[Holder]:
    """Start a process that holds the portfolio's write lock for ``seconds``."""
    started: list[subprocess.Popen[str]] = []

    def start(db: Path, seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db), str(seconds)],
            env=cli_env(tmp_path / "data"),
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        _wait_for_line(proc, "locked")
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_second_writer_waits_for_the_first(
    demo_db: Path, tmp_path: Path, start_holder: Holder
) -> None:
    holder = start_holder(demo_db, 2.5)
    result = run_cli(["recompute", "--db", str(demo_db)], tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert holder.wait(timeout=30) == 0
    assert count(demo_db, "tickets") == 0  # the first writer's commit landed, nothing lost
    assert integrity(demo_db) == "ok"


def test_a_busy_portfolio_fails_writes_clearly_but_never_blocks_readers(
    demo_db: Path, tmp_path: Path, start_holder: Holder
) -> None:
    before = digest(demo_db)
    good = tmp_path / "good.db"
    good.write_bytes(demo_db.read_bytes())
    holder = start_holder(demo_db, 60)
    quick = {"CSDESK_BUSY_TIMEOUT_MS": "300"}
    data = tmp_path / "data"
    for args in (["recompute"], ["restore", str(good)]):
        result = run_cli([*args, "--db", str(demo_db)], data, **quick)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("csdesk: portfolio is busy")
        assert result.stderr.count("\n") == 1
    listing = run_cli(["accounts", "--json", "--db", str(demo_db)], data, **quick)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count('"crm_id"') == count(demo_db, "accounts")
    holder.kill()
    holder.wait()
    assert digest(demo_db) == before
    assert integrity(demo_db) == "ok"


def test_a_lock_held_by_a_killed_process_is_released_at_once(
    demo_db: Path, tmp_path: Path, start_holder: Holder
) -> None:
    tickets = count(demo_db, "tickets")
    holder = start_holder(demo_db, 3600)
    holder.send_signal(signal.SIGKILL)
    assert holder.wait(timeout=30) == -signal.SIGKILL
    assert count(demo_db, "tickets") == tickets  # its uncommitted delete is gone
    result = run_cli(
        ["recompute", "--db", str(demo_db)], tmp_path / "data", CSDESK_BUSY_TIMEOUT_MS="300"
    )
    assert result.returncode == 0, result.stderr
    assert integrity(demo_db) == "ok"


def test_concurrent_writers_lose_nothing(demo_db: Path, tmp_path: Path) -> None:
    before = count(demo_db, "activities")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(demo_db), "60", f"writer{i}"],
            env=cli_env(tmp_path / "data"),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert count(demo_db, "activities") == before + 120
    assert integrity(demo_db) == "ok"


def test_busy_timeout_setting_is_read_from_the_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from csdesk.db import BUSY_TIMEOUT_MS; print(BUSY_TIMEOUT_MS)"],
        env=cli_env(tmp_path, CSDESK_BUSY_TIMEOUT_MS="1234"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "1234"


def test_the_window_writer_thread_reports_a_busy_portfolio(
    qtbot: Any, demo_db: Path, start_holder: Holder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csdesk import db
    from csdesk.db import dialect, engine
    from csdesk.errors import PortfolioBusyError
    from csdesk.services.recompute import recompute_health
    from csdesk.views.workers import Worker

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(dialect, "BUSY_TIMEOUT_MS", 300)
    portfolio = db.open_portfolio(demo_db)
    holder = start_holder(demo_db, 60)
    worker = Worker()
    errors: list[BaseException] = []
    worker.submit(
        lambda progress: recompute_health(portfolio, progress=progress),
        "Recompute",
        on_error=errors.append,
    )
    qtbot.waitUntil(lambda: not worker.busy, timeout=30_000)
    assert len(errors) == 1 and isinstance(errors[0], PortfolioBusyError)
    assert str(errors[0]).startswith("portfolio is busy")
    holder.kill()
    holder.wait()
    done: list[object] = []
    worker.submit(
        lambda progress: recompute_health(portfolio, progress=progress),
        "Recompute",
        on_done=done.append,
    )
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)  # the lock died with its process
    worker.wait()
    portfolio.close()
    assert integrity(demo_db) == "ok"
