"""A batch export: no worker outlives a killed export, no half-written file, one file name per
account, and a full or read-only folder stops the batch with the reason (SPEC 7)."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_support import cli_env

from csdesk.db import open_portfolio
from csdesk.services.export_worker import file_stem, is_export_part, unique_stems
from csdesk.services.exporter import export_all


def _children(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_killed_batch_export_leaves_no_worker_and_no_half_written_file(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code = (
        "import sys; from pathlib import Path\n"
        "from csdesk.db import open_portfolio\n"
        "from csdesk.services.exporter import export_all\n"
        "export_all(open_portfolio(sys.argv[1]), Path(sys.argv[2]), workers=2)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code, str(demo_db), str(out)],
        env=cli_env(tmp_path / "data"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(out.glob("*.pdf")):
            time.sleep(0.1)
        assert list(out.glob("*.pdf")), "the batch never started writing"
        workers = _children(parent.pid)
        assert len(workers) >= 2, "the batch should run in worker processes"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        time.sleep(5)
        survivors = {pid for pid in workers if _alive(pid)}
        assert not survivors, f"worker processes outlived the killed export: {survivors}"
        assert not [p for p in out.iterdir() if is_export_part(p)]
    finally:
        for pid in workers | {parent.pid}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_accounts_whose_names_fold_together_get_their_own_files(
    demo_db: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(demo_db)
    ids = [r[0] for r in conn.execute("SELECT id FROM accounts ORDER BY id LIMIT 3")]
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DELETE FROM accounts WHERE id NOT IN (?, ?, ?)", ids)
    for account_id, crm_id in zip(ids, ("A/1", "A-1", "a-1"), strict=True):
        conn.execute(
            "UPDATE accounts SET name = 'Same Name', crm_id = ? WHERE id = ?", (crm_id, account_id)
        )
    conn.commit()
    conn.close()
    portfolio = open_portfolio(demo_db)
    try:
        result = export_all(portfolio, tmp_path / "out", formats=("xlsx",), workers=1)
    finally:
        portfolio.close()
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 3 and len(result.written) == 3 and not result.failed
    assert len({name.casefold() for name in files}) == 3
    assert "exported 3 of 3" in result.describe()


def test_unique_stems_add_the_id_only_where_names_collide() -> None:
    stems = [(1, file_stem("A", "A/1", 1)), (2, file_stem("A", "A-1", 2)), (3, "B_x")]
    assert unique_stems(stems) == [(1, "A_A-1-id1"), (2, "A_A-1-id2"), (3, "B_x")]


def test_a_full_disk_stops_the_batch_with_the_reason(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import csdesk.services.export_worker as worker

    written: list[Path] = []

    def full(path: Path, data: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(path) + ".part")
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(worker, "write_atomic", full)
    portfolio = open_portfolio(demo_db)
    try:
        result = export_all(portfolio, tmp_path / "out", formats=("xlsx",), workers=1)
    finally:
        portfolio.close()
    assert result.stopped and "disk is full" in result.stopped
    assert len(result.failed) == 1 and len(result.written) == 1
    assert "disk is full" in result.describe()


def test_cli_batch_export_exit_codes(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csdesk.cli import main

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    assert main(["export", "--all", "--out", str(blocked), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
