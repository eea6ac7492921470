"""The progress/cancel protocol long operations report through.

The CLI implements it on stderr, the app with a throttled Qt signal adapter, tests with
:class:`FakeProgress`. Cancel is a flag the operation polls; :func:`check_cancel` raises
:class:`~csdesk.errors.CancelledError` inside the transaction, so everything rolls back.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from csdesk.errors import CancelledError


class Progress(Protocol):
    """What a long operation reports to and asks of its caller."""

    def start(self, total: int, label: str) -> None:
        """A new phase of ``total`` steps begins (0 = unknown)."""

    def advance(self, done: int) -> None:
        """``done`` steps of the current phase are complete."""

    def cancelled(self) -> bool:
        """True once the user asked to stop."""


class NullProgress:
    """Reports nowhere and never cancels."""

    def start(self, total: int, label: str) -> None:
        """Ignore."""

    def advance(self, done: int) -> None:
        """Ignore."""

    def cancelled(self) -> bool:
        """Never."""
        return False


class FakeProgress:
    """Records every call; cancels once ``advance`` has been called ``cancel_after`` times."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.cancel_after = cancel_after
        self.phases: list[tuple[str, int]] = []
        self.advances: list[int] = []

    def start(self, total: int, label: str) -> None:
        """Record the phase."""
        self.phases.append((label, total))

    def advance(self, done: int) -> None:
        """Record the step count."""
        self.advances.append(done)

    def cancelled(self) -> bool:
        """True after ``cancel_after`` advances."""
        return self.cancel_after is not None and len(self.advances) >= self.cancel_after


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


def check_cancel(progress: Progress) -> None:
    """Raise :class:`CancelledError` if the user asked to stop."""
    if progress.cancelled():
        raise CancelledError("cancelled; nothing was changed")
