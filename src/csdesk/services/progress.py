"""Progress for the CLI on stderr; the protocol itself is :mod:`csdesk.progress`.

``Progress``, ``NullProgress`` and ``check_cancel`` are importable from here too, so the use
cases name one module for everything about progress.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from csdesk.progress import NullProgress, Progress, check_cancel

__all__ = ["NullProgress", "Progress", "StderrProgress", "check_cancel"]


class StderrProgress:
    """Progress on stderr: one redrawn line on a terminal, sparse log lines otherwise.

    On a terminal the line is redrawn at most ten times a second. Redirected to a file or a
    pipe, it writes a line when a phase completes and at most one every five seconds between,
    so logs stay readable.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = 0.1 if self.tty else 5.0
        self.label = ""
        self.total = 0
        self._last = 0.0
        self._drawn = False

    def start(self, total: int, label: str) -> None:
        """Begin a phase (shown at once on a terminal)."""
        self.label, self.total = label, total
        self._last = time.monotonic()
        if self.tty:
            self._draw(0)

    def advance(self, done: int) -> None:
        """Show the count if the interval has passed or the phase is complete."""
        complete = done >= self.total > 0
        if complete or time.monotonic() - self._last >= self.interval:
            self._draw(done)

    def cancelled(self) -> bool:
        """The CLI is cancelled with Ctrl+C, which raises on its own."""
        return False

    def finish(self) -> None:
        """End the progress line on a terminal."""
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, done: int) -> None:
        self._last = time.monotonic()
        self._drawn = True
        total = f"/{self.total}" if self.total else ""
        text = f"{self.label}: {done}{total}"
        self.stream.write(f"\r\x1b[K{text}" if self.tty else f"{text}\n")
        self.stream.flush()
