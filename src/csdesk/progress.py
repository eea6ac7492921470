"""The progress/cancel protocol every long operation reports through, below every layer.

Importers, recompute and exports take a :class:`Progress`; the CLI implements it on stderr
(``csdesk.services.progress.StderrProgress``), the window with a throttled Qt signal adapter
(``csdesk.views.workers.QtProgress``), the tests with a recording fake. Cancel is a flag the
operation polls: :func:`check_cancel` raises :class:`~csdesk.errors.CancelledError` inside the
transaction, so everything rolls back.
"""

from __future__ import annotations

from typing import Protocol

from csdesk.errors import CancelledError

__all__ = ["NullProgress", "Progress", "check_cancel"]


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


def check_cancel(progress: Progress) -> None:
    """Raise :class:`CancelledError` (rolling the transaction back) if the user asked to stop."""
    if progress.cancelled():
        raise CancelledError("cancelled; nothing was changed")
