"""Each command of SPEC 5 against each fault of the machine (SPEC 7): a damaged portfolio, a
full disk, a read-only file, folder and file system, a lost PostgreSQL server.

Every run: no traceback on stderr, a one-line reason for a refusal, exit 2 for what the fault
forbids, and the portfolio byte-identical afterwards (restore, the cure for a damaged file,
aside). A read-only portfolio is still listed and exported. Faults the machine cannot stage are
skipped with the reason: a full disk and a read-only file system need ``unshare --mount`` (a
private tmpfs), a read-only file or folder needs a user that ``chmod`` stops (``setpriv`` when
the tests run as root).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import cli_env, integrity

from csdesk.cli import CREATING, WRITING, build_parser
from support import SAMPLES

RUNNER = Path(__file__).with_name("fault_runner.py")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
SAMPLE = SAMPLES / "eu_accounts_cp1252.csv"


def _subcommands() -> set[str]:
    import argparse

    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _commands(out: Path, good: Path, crm_ids: list[str]) -> list[dict[str, object]]:
    """Every command of the parser, with arguments that would succeed on a healthy portfolio;
    ``restore`` (which replaces the portfolio) runs last."""
    known: dict[str, list[str]] = {
        "accounts": ["accounts", "--db", "{db}"],
        "recompute": ["recompute", "--db", "{db}"],
        "import": ["import", str(SAMPLE), "--db", "{db}"],
        "export": ["export", crm_ids[0], "--pdf", str(out / "one.pdf"), "--db", "{db}"],
        "backup": ["backup", str(out / "copy.db"), "--db", "{db}"],
        "doctor": ["doctor", "--db", "{db}"],
        "demo": ["demo", "--db", "{db}"],
        "copy": ["copy", "--to", str(out / "copied.db"), "--db", "{db}"],
        "restore": ["restore", str(good), "--db", "{db}"],
        "merge": ["merge", crm_ids[0], crm_ids[1], "--db", "{db}"],
    }
    commands = [
        {"name": name, "args": known.get(name, [name, "--db", "{db}"])}
        for name in sorted(_subcommands())
        if name != "restore"
    ]
    commands.insert(
        1,
        {
            "name": "export-all",
            "args": ["export", "--all", "--out", str(out / "all"), "--db", "{db}"],
        },
    )
    commands.append({"name": "restore", "args": known["restore"]})
    return commands


def _writes(name: str) -> bool:
    return name in WRITING


@pytest.fixture(scope="module")
def small_portfolio(tmp_path_factory: pytest.TempPathFactory, _demo_template: Path) -> Path:
    """The demo cut to four accounts (the batch export stays quick)."""
    path = tmp_path_factory.mktemp("small") / "portfolio.db"
    shutil.copyfile(_demo_template, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(
        "DELETE FROM accounts WHERE id NOT IN (SELECT id FROM accounts ORDER BY id LIMIT 4)"
    )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return path


@pytest.fixture
def world() -> Iterator[Path]:
    """A folder every user may enter (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="csdesk-faults-"))
    folder.chmod(0o777)
    yield folder
    subprocess.run(["chmod", "-R", "u+rwX", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


def _crm_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT crm_id FROM accounts ORDER BY id LIMIT 2").fetchall()
        return [str(r[0]) for r in rows]
    finally:
        conn.close()


def _can_unshare() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"cannot mount a private tmpfs here ({probe.stderr.decode().strip()[:80]})"
    return None


def _can_drop_user() -> str | None:
    if os.geteuid() != 0:
        return None  # chmod already stops this user
    if shutil.which("setpriv") is None:
        return "running as root without setpriv: chmod does not stop root"
    probe = subprocess.run(
        [*NOBODY, sys.executable, "-c", "import csdesk.db.engine"],  # csdesk and its libraries
        env=cli_env(Path("/tmp")),
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return "a non-root user cannot run this Python and source tree"
    return None


def _nobody_can_spawn() -> bool:
    code = f"import subprocess; subprocess.run([{sys.executable!r}, '-c', 'pass'], check=True)"
    done = subprocess.run([*NOBODY, sys.executable, "-c", code], capture_output=True, check=False)
    return done.returncode == 0


def _run(
    fault: str, source: Path, world: Path, good_source: Path | None = None
) -> tuple[dict[str, dict[str, object]], str | None, Path]:
    """Run every command under ``fault``; the runs by name, the sha before, the file after."""
    out = world / "out"
    out.mkdir()
    out.chmod(0o777)
    data = world / "data"
    data.mkdir()
    data.chmod(0o777)
    good = world / "good.db"
    shutil.copyfile(good_source or source, good)
    good.chmod(0o644)
    commands = _commands(out, good, _crm_ids(source))
    spec: dict[str, object] = {
        "portfolio_src": str(source),
        "workdir": str(world / "work"),
        "python": sys.executable,
        "env": cli_env(data, CSDESK_BACKUPS_KEEP="5"),
        "commands": commands,
        "copy_out": str(world / "after.db"),
        "result": str(world / "result.json"),
    }
    runner = [sys.executable, str(RUNNER)]
    if fault == "disk-full":
        spec["mount"] = "full"
        runner = ["unshare", "--mount", *runner]
    elif fault == "read-only-fs":
        spec["mount"] = "ro"
        runner = ["unshare", "--mount", *runner]
    elif fault in ("read-only-file", "read-only-folder"):
        spec["chmod"] = fault.removeprefix("read-only-")
        if os.geteuid() == 0:
            spec["wrap"] = NOBODY
            if not _nobody_can_spawn():  # this machine's interpreter is private to root
                spec["commands"] = [c for c in commands if c["name"] != "export-all"]
    (world / "spec.json").write_text(json.dumps(spec))
    subprocess.run([*runner, str(world / "spec.json")], check=True, timeout=1800)
    result = json.loads((world / "result.json").read_text())
    return {r["name"]: r for r in result["runs"]}, result["before"], world / "after.db"


def _one_line_reason(run: dict[str, object]) -> None:
    stderr = str(run["stderr"])
    assert "Traceback" not in stderr, (run["name"], stderr)
    if run["rc"] == 2:
        lines = [
            ln for ln in stderr.splitlines() if ln.startswith("csdesk: ") and "note:" not in ln
        ]
        assert len(lines) == 1, (run["name"], stderr)


def _damage(path: Path) -> None:
    """Overwrite one page in the middle of the file with garbage."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek((size // 4096 // 2) * 4096)
        fh.write(b"\xa5" * 4096)
    from csdesk.db.sqlite_file import check_file

    assert check_file(path, full=True)


def test_damaged_portfolio_is_read_but_never_written(small_portfolio: Path, world: Path) -> None:
    from csdesk.db.backup import backup_before

    source = world / "src" / "portfolio.db"
    source.parent.mkdir()
    shutil.copyfile(small_portfolio, source)
    good_backup = backup_before(source, "import")
    assert good_backup is not None
    _damage(source)
    runs, before, after = _run("damaged", source, world, good_backup)
    for name, run in runs.items():
        _one_line_reason(run)
        if name == "restore":
            assert run["rc"] == 0, run
        else:
            assert run["sha"] == before, f"{name} changed the damaged portfolio"
        if _writes(name) and name != "restore":
            assert run["rc"] == 2, run
            assert "csdesk restore" in str(run["stderr"]) and good_backup.name in str(run["stderr"])
    assert runs["backup"]["rc"] == 2 and "damaged" in str(runs["backup"]["stderr"])
    assert runs["doctor"]["rc"] == 2
    assert runs["accounts"]["rc"] == 0 and str(runs["accounts"]["stdout"]).strip()
    assert integrity(after) == "ok"  # the restore cured it


@pytest.mark.parametrize("fault", ["read-only-file", "read-only-folder", "read-only-fs"])
def test_read_only_portfolio_is_listed_and_exported_never_changed(
    fault: str, small_portfolio: Path, world: Path
) -> None:
    reason = _can_unshare() if fault == "read-only-fs" else _can_drop_user()
    if reason:
        pytest.skip(reason)
    runs, before, _after = _run(fault, small_portfolio, world)
    for name, run in runs.items():
        _one_line_reason(run)
        assert run["sha"] == before, f"{name} changed the read-only portfolio"
        if _writes(name) or name == "restore":
            assert run["rc"] == 2, run
            assert "read-only" in str(run["stderr"]), run
        elif name in ("accounts", "export", "export-all", "backup", "doctor"):
            assert run["rc"] == 0, run
    assert runs["accounts"]["stdout"]
    if "export-all" in runs:
        assert len(list((world / "out" / "all").glob("*.pdf"))) == 4
    assert (world / "out" / "one.pdf").stat().st_size > 0


def test_full_disk_refuses_every_write_and_changes_nothing(
    small_portfolio: Path, world: Path
) -> None:
    reason = _can_unshare()
    if reason:
        pytest.skip(reason)
    runs, before, after = _run("disk-full", small_portfolio, world)
    for name, run in runs.items():
        _one_line_reason(run)
        assert run["sha"] == before, f"{name} changed the portfolio on a full disk"
        if _writes(name) or name == "restore":
            assert run["rc"] == 2, run
            assert "full" in str(run["stderr"]), run
    assert integrity(after) == "ok"


def test_lost_server_is_one_line_and_exit_2(world: Path) -> None:
    url = "postgresql://csdesk:secret@127.0.0.1:1/portfolio"
    data = world / "data"
    for command in _commands(world, world / "good.db", ["A-1", "A-2"]):
        args = [a.replace("{db}", url) for a in command["args"]]  # type: ignore[union-attr]
        done = subprocess.run(
            [sys.executable, "-m", "csdesk.cli", *args],
            env=cli_env(data),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        run = {"name": command["name"], "rc": done.returncode, "stderr": done.stderr}
        _one_line_reason(run)
        assert done.returncode == 2, run
        assert "secret" not in done.stderr
        if command["name"] not in ("restore", "demo"):
            assert "server" in done.stderr, run


def test_reading_commands_never_create_a_portfolio(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "portfolio.db"
    for command in sorted(_subcommands() - CREATING):
        args = _commands(tmp_path, tmp_path / "good.db", ["A-1", "A-2"])
        argv = next(c["args"] for c in args if c["name"] == command)
        done = subprocess.run(
            [sys.executable, "-m", "csdesk.cli", *[a.replace("{db}", str(missing)) for a in argv]],  # type: ignore[union-attr]
            env=cli_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr
        assert not missing.exists() and not missing.parent.exists(), command


def test_an_injected_sqlite_full_ends_the_write_with_one_line(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own "database or disk is full" in the middle of a transaction (the file may
    not grow by one page): the import is refused with one line, exit 2, nothing changed."""
    from reliability_support import digest
    from sqlalchemy import event

    import csdesk.db.engine as db_module
    from csdesk.cli import main

    rows = ["Account ID,Account Name,ARR,Renewal Date"]
    rows += [f"FULL-{i:05d},Filler Account {i},{1000 + i},2027-01-01" for i in range(3000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = digest(demo_db)
    real = db_module.make_engine

    def capped(url: str, **kwargs: object) -> object:
        engine = real(url, **kwargs)  # type: ignore[arg-type]

        @event.listens_for(engine, "connect")
        def _cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            count = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {count + 2}")

        return engine

    monkeypatch.setattr(db_module, "make_engine", capped)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["import", str(big), "--db", str(demo_db)])
    message = err.getvalue()
    assert code == 2, message
    lines = [ln for ln in message.splitlines() if ln.startswith("csdesk: ")]
    assert len(lines) == 1 and "the disk is full" in lines[0], message
    assert "Traceback" not in message
    assert integrity(demo_db) == "ok" and digest(demo_db) == before
