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
    """A one-line progress display on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.label = ""
        self.total = 0
        self._last = 0.0

    def start(self, total: int, label: str) -> None:
        """Begin a phase and show it."""
        self.label, self.total, self._last = label, total, 0.0
        self._draw(0, force=True)

    def advance(self, done: int) -> None:
        """Redraw if 100 ms have passed or the phase is complete."""
        self._draw(done, force=done >= self.total > 0)

    def cancelled(self) -> bool:
        """The CLI is cancelled with Ctrl+C, which raises on its own."""
        return False

    def finish(self) -> None:
        """End the progress line."""
        if self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        total = f"/{self.total}" if self.total else ""
        end = "\r" if self.stream.isatty() else "\n"
        self.stream.write(f"{self.label}: {done}{total}{end}")
        self.stream.flush()


def check_cancel(progress: Progress) -> None:
    """Raise :class:`CancelledError` if the user asked to stop."""
    if progress.cancelled():
        raise CancelledError("cancelled; nothing was changed")
