"""Runs csdesk commands against a portfolio under one fault of the machine and reports them.

A stand-alone script (standard library only) so that it can run inside ``unshare --mount`` (a
small tmpfs, filled up or remounted read-only, visible to this process alone) or wrap every
command in ``setpriv`` (a user that ``chmod`` stops). Usage: ``python fault_runner.py SPEC.json``;
the spec names the portfolio, the fault and the commands; the result is written as JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as fh:
        block = b"\0" * 65536
        while True:
            fh.write(block)
            fh.flush()
    with contextlib.suppress(OSError), (folder / "filler2").open("wb") as fh:
        while True:
            fh.write(b"\0")
            fh.flush()


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    work = Path(spec["workdir"])
    work.mkdir(parents=True, exist_ok=True)
    source = Path(spec["portfolio_src"])
    mount = spec.get("mount")
    if mount:
        size = source.stat().st_size + 64 * 1024
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(work)], check=True
        )
    db = work / "portfolio.db"
    shutil.copyfile(source, db)
    backups = source.parent / f"{source.stem}-backups"
    if backups.is_dir() and not mount:
        shutil.copytree(backups, work / "portfolio-backups")
    chmod = spec.get("chmod")
    if chmod == "file":
        os.chmod(work, 0o777)
        os.chmod(db, 0o444)
    elif chmod == "folder":
        os.chmod(db, 0o666)
        os.chmod(work, 0o555)
    if mount == "full":
        _fill(work)
    elif mount == "ro":
        subprocess.run(["mount", "-o", "remount,ro", str(work)], check=True)
    results = {"before": _sha(db), "runs": []}
    env = dict(os.environ, **spec["env"])
    for command in spec["commands"]:
        args = [a.replace("{db}", str(db)) for a in command["args"]]
        done = subprocess.run(
            [*spec.get("wrap", []), spec["python"], "-m", "csdesk.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        results["runs"].append(
            {
                "name": command["name"],
                "rc": done.returncode,
                "stdout": done.stdout[-4000:],
                "stderr": done.stderr[-4000:],
                "sha": _sha(db),
            }
        )
    out = Path(spec["copy_out"])
    shutil.copyfile(db, out)
    Path(spec["result"]).write_text(json.dumps(results))
    if chmod == "folder":
        os.chmod(work, 0o755)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
