"""Run one command and write its wall time, CPU and peak RSS as JSON (used by ``common``).

Usage: ``python launcher.py REPORT.json COMMAND [ARGS...]``. The command's output passes
through. Measuring from this small process matters: Linux carries a process's peak RSS across
``fork``/``exec``, so a child started straight from a big benchmark process would report the
benchmark's own peak; started from here it starts from this process's few megabytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    """Start the command, wait for it, write the report; exit with its exit code."""
    report, argv = sys.argv[1], sys.argv[2:]
    started_at = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(argv)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "started_at": started_at,
                "wall": wall,
                "peak_rss_kb": usage.ru_maxrss,
                "cpu": usage.ru_utime + usage.ru_stime,
            },
            fh,
        )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
