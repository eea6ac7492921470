"""Merging two accounts as one undoable command (undo puts both accounts back exactly)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from csdesk.errors import CsdeskError
from csdesk.services.merge import MergeSnapshot, merge_accounts, undo_merge

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["MergeCommand"]


class MergeCommand(QUndoCommand):
    """Merge account ``other`` into ``keep``.

    ``redo()`` merges (a new snapshot each time); ``undo()`` restores the snapshot. A first
    merge that fails marks the command obsolete so the stack drops it; every error reaches the
    user through the context.

    Args:
        ctx: The shared app context.
        keep: The account kept.
        other: The account merged into it.
        text: The undo text ("Merge 'Acme' into 'Acme Inc'").
    """

    def __init__(self, ctx: AppContext, keep: int, other: int, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.keep, self.other = keep, other
        self.snapshot: MergeSnapshot | None = None
        self.error: str | None = None

    def redo(self) -> None:
        portfolio = self.ctx.portfolio
        first = self.snapshot is None and self.error is None
        try:
            if portfolio is None:
                raise CsdeskError("no portfolio is open")
            result = merge_accounts(portfolio, self.keep, self.other)
        except CsdeskError as exc:
            self.error = str(exc)
            if first:
                self.setObsolete(True)
            self.ctx.report(exc)
            return
        self.snapshot = result.snapshot
        self.ctx.notify(result.changes)
        self.ctx.status_posted.emit(
            f"{result.summary} · Ctrl+Z to undo" if first else f"Redone: {self.actionText()}"
        )

    def undo(self) -> None:
        portfolio = self.ctx.portfolio
        if portfolio is None or self.snapshot is None:
            return
        try:
            changes = undo_merge(portfolio, self.snapshot)
        except CsdeskError as exc:
            # The merge stays; the stack drops the command so no redo merges a second time.
            self.setObsolete(True)
            self.ctx.report(exc)
            return
        self.snapshot = None
        self.ctx.notify(changes)
        self.ctx.status_posted.emit(f"Undone: {self.actionText()}")
