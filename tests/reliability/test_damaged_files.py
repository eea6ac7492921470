"""A damaged portfolio is found before it is trusted and never spreads into backups; backups
are verified before they count and rotation keeps the newest verified one (SPEC 7)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_support import cli_env, count, digest, integrity

from csdesk.cli import main
from csdesk.config import backups_dir
from csdesk.db import open_portfolio
from csdesk.db.admission import newest_good_backup
from csdesk.db.backup import PART_SUFFIX, backup_before, list_backups, rotate
from csdesk.db.sqlite_file import check_file
from csdesk.errors import DamagedPortfolioError, MachineFaultError
from csdesk.services.backups import restore_from


def damage(path: Path) -> None:
    """Overwrite one page in the middle of the file, as a failing disk would."""
    pages = path.stat().st_size // 4096
    with path.open("r+b") as fh:
        fh.seek((pages // 2) * 4096)
        fh.write(b"\xa5" * 4096)
    assert check_file(path, full=True), "the page written over must break the file"


def _stamped(folder: Path, stem: str, day: int, reason: str) -> Path:
    return folder / f"{stem}-202611{day:02d}-120000-000000-{reason}.db"


def test_a_damaged_portfolio_is_refused_for_writing_and_names_the_newest_good_backup(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = backup_before(demo_db, "import")
    newest = backup_before(demo_db, "daily")
    assert older and newest
    damage(demo_db)
    before = demo_db.read_bytes()
    with pytest.raises(DamagedPortfolioError) as refused:
        open_portfolio(demo_db)
    message = str(refused.value)
    assert f"csdesk restore {newest}" in message and "\n" not in message
    assert newest_good_backup(demo_db) == newest
    for argv in (["recompute"], ["import", str(demo_db)], ["demo"]):
        assert main([*argv, "--db", str(demo_db)]) == 2
        assert "csdesk restore" in capsys.readouterr().err
    assert demo_db.read_bytes() == before
    assert [b.path for b in list_backups(demo_db)] == [newest, older]  # nothing spread


def test_reading_a_damaged_portfolio_still_works(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(demo_db)
    before = demo_db.read_bytes()
    portfolio = open_portfolio(demo_db, create=False, for_writing=False)
    assert portfolio.read_only is not None
    with pytest.raises(DamagedPortfolioError), portfolio.write():
        pass
    portfolio.close()
    code = main(["accounts", "--json", "--db", str(demo_db)])
    captured = capsys.readouterr()
    assert code in (0, 2) and "Traceback" not in captured.err
    if code == 0:
        assert '"crm_id"' in captured.out
        assert "read-only" in captured.err
    assert demo_db.read_bytes() == before


def test_a_damaged_portfolio_never_spreads_into_a_backup(demo_db: Path, tmp_path: Path) -> None:
    good = backup_before(demo_db, "import")
    damage(demo_db)
    with pytest.raises(DamagedPortfolioError):
        backup_before(demo_db, "import")
    with pytest.raises(DamagedPortfolioError):
        backup_before(demo_db, "daily")
    folder = backups_dir(demo_db)
    assert sorted(p.name for p in folder.iterdir()) == [good.name]  # no copy, no .part
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(demo_db)]) == 2
    assert not (tmp_path / "copy.db").exists()


def test_ten_imports_on_a_damaged_file_keep_the_good_backups(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSDESK_BACKUPS_KEEP", "3")
    good = [backup_before(demo_db, "import") for _ in range(3)]
    damage(demo_db)
    sample = Path(__file__).parents[1] / "data" / "samples" / "eu_accounts_cp1252.csv"
    for _ in range(10):
        assert main(["import", str(sample), "--db", str(demo_db)]) == 2
    assert [b.path for b in list_backups(demo_db)] == good[::-1]
    assert all(integrity(p) == "ok" for p in good if p)


def test_rotation_never_deletes_the_newest_verified_backup(demo_db: Path, tmp_path: Path) -> None:
    folder = backups_dir(demo_db)
    folder.mkdir()
    intact = _stamped(folder, demo_db.stem, 1, "import")
    shutil.copyfile(demo_db, intact)
    broken = tmp_path / "broken.db"
    shutil.copyfile(demo_db, broken)
    damage(broken)
    newer = [_stamped(folder, demo_db.stem, day, "daily") for day in (2, 3, 4)]
    for path in newer:  # copies an older csdesk made of a damaged file
        shutil.copyfile(broken, path)
    deleted = rotate(folder, 2)
    assert intact.exists(), "the only verified backup was rotated away"
    assert set(deleted) == {newer[0]}
    assert newest_good_backup(demo_db) == intact


def test_a_backup_is_verified_before_it_counts(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy that fails its check (a disk that corrupts what it writes) is thrown away."""
    import csdesk.db.sqlite_file as file_module

    real = file_module.copy_pages

    def corrupting(source: object, dest: object, **kwargs: object) -> None:
        real(source, dest, **kwargs)  # type: ignore[arg-type]
        dest.execute("PRAGMA writable_schema=ON")  # type: ignore[attr-defined]
        dest.execute(  # type: ignore[attr-defined]
            "UPDATE sqlite_master SET rootpage = rootpage + 1 WHERE name = 'accounts'"
        )
        dest.commit()  # type: ignore[attr-defined]

    monkeypatch.setattr(file_module, "copy_pages", corrupting)
    with pytest.raises(DamagedPortfolioError):
        backup_before(demo_db, "import")
    assert list_backups(demo_db) == []
    assert not list(backups_dir(demo_db).glob(f"*{PART_SUFFIX}"))


def test_part_files_of_killed_backups_are_removed_at_the_next_backup(demo_db: Path) -> None:
    folder = backups_dir(demo_db)
    folder.mkdir()
    orphan = folder / f"{demo_db.stem}-20261101-120000-000000-import.db{PART_SUFFIX}"
    orphan.write_bytes(b"\0" * 100_000)
    # A backup another process is writing right now holds its lock: left alone.
    live = folder / f"{demo_db.stem}-20261102-120000-000000-import.db{PART_SUFFIX}"
    live.write_bytes(b"\0" * 10)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR);"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(live) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert backup_before(demo_db, "import") is not None
        assert not orphan.exists()
        assert live.exists()
    finally:
        holder.kill()
        holder.wait()
    backup_before(demo_db, "daily")
    assert not live.exists() and not list(folder.glob("*.lock"))


def test_a_killed_backup_leaves_a_part_file_that_the_next_backup_removes(
    demo_db: Path, tmp_path: Path
) -> None:
    code = (
        "import os, signal, sys\n"
        "import csdesk.db.backup as b, csdesk.db.sqlite_file as f\n"
        "real = f.copy_pages\n"
        "def killed(src, dest, **kw):\n"
        "    real(src, dest, **kw)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "f.copy_pages = killed\n"
        "b.backup_before(__import__('pathlib').Path(sys.argv[1]), 'import')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(demo_db)],
        env=cli_env(tmp_path / "data"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -9
    folder = backups_dir(demo_db)
    assert list(folder.glob(f"*{PART_SUFFIX}")), "the kill should leave a .part file"
    assert backup_before(demo_db, "import") is not None
    assert not list(folder.glob(f"*{PART_SUFFIX}*"))


def test_restore_cures_a_damaged_portfolio_and_sets_its_bytes_aside(
    demo_db: Path, tmp_path: Path
) -> None:
    good = backup_before(demo_db, "import")
    assert good is not None
    expected = digest(good)
    damage(demo_db)
    damaged_bytes = demo_db.read_bytes()
    kept = restore_from(demo_db, good)
    assert kept is not None and kept.suffix == ".damaged"
    assert kept.read_bytes() == damaged_bytes
    assert integrity(demo_db) == "ok" and digest(demo_db) == expected
    assert count(demo_db, "accounts") > 0
    assert good in [b.path for b in list_backups(demo_db)]


def test_restore_refuses_non_sqlite_targets_and_server_urls(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("my notes, not a portfolio")
    assert main(["restore", str(demo_db), "--db", str(junk)]) == 2
    assert "not a csdesk portfolio" in capsys.readouterr().err
    assert junk.read_text() == "my notes, not a portfolio"
    monkeypatch.chdir(tmp_path)
    # A server URL as the source is refused: a backup is a file.
    source = ["restore", "postgresql://me:pw@localhost/csdesk", "--db", str(tmp_path / "n.db")]
    assert main(source) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "csdesk copy" in err
    # A server as the target is restored through a copy (tests/storage/test_copy.py); one that
    # cannot be reached is one line, without the password.
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"postgresql://me:pw@127.0.0.1:{port}/csdesk?connect_timeout=2"
    assert main(["restore", str(demo_db), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "127.0.0.1" in err and ":pw@" not in err
    assert not any("postgresql" in str(p) for p in tmp_path.rglob("*"))
    assert not (tmp_path / "n.db").exists()


def test_restore_into_a_read_only_file_says_so(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csdesk.db.sqlite_file as file_module

    good = backup_before(demo_db, "import")
    assert good is not None
    monkeypatch.setattr(file_module, "write_problem", lambda _p: "the file is read-only")
    before = demo_db.read_bytes()
    with pytest.raises(MachineFaultError, match="read-only"):
        restore_from(demo_db, good)
    assert demo_db.read_bytes() == before


def test_opening_checks_the_file_again_only_when_it_changed(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csdesk.db.sqlite_file as file_module

    checks: list[Path] = []
    real = file_module.check_file

    def counting(path: Path, *, full: bool = False) -> list[str]:
        if not full and path == demo_db:
            checks.append(path)
        return real(path, full=full)

    monkeypatch.setattr(file_module, "check_file", counting)
    for _ in range(2):
        open_portfolio(demo_db, for_writing=False).close()
    assert len(checks) == 1
    damage(demo_db)  # the file changed: checked again, and refused
    with pytest.raises(DamagedPortfolioError):
        open_portfolio(demo_db)
    assert len(checks) == 2
