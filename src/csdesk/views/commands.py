"""One QUndoCommand per user edit, each calling an edits service (Orange's commands shape).

``redo()`` performs the edit in one transaction and remembers the value before; ``undo()``
calls the service again with that value. A command whose first ``redo()`` fails or changes
nothing marks itself obsolete, so ``QUndoStack.push`` drops it; the error reaches the user
through the context. Every run tells the views what changed.

Undo never overwrites what happened since. Each run remembers what it wrote (the service's
``EditResult.new``); the next undo or redo passes it as ``expect``, and the service refuses
(:class:`~csdesk.errors.StaleEditError`) when the record holds something else — an import, a
recompute or another window changed it. A command an import, restore, merge or recompute
touched is *fenced* (:meth:`EditCommand.fence`). Either way the command is dropped from the
stack with a status message saying why, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from csdesk.errors import CsdeskError, StaleEditError
from csdesk.services import edits
from csdesk.services.edits import ANY, EditResult

if TYPE_CHECKING:
    from csdesk.db import Portfolio
    from csdesk.views.page import AppContext

__all__ = [
    "AddNoteCommand",
    "AddRoiLineCommand",
    "AddTaskCommand",
    "ClearOverrideCommand",
    "CompleteTaskCommand",
    "EditCommand",
    "OverrideHealthCommand",
    "RemoveRoiLineCommand",
    "SetAccountFieldCommand",
    "SetRoiInputCommand",
    "SnoozeTaskCommand",
    "UpdateRoiLineCommand",
]


class EditCommand(QUndoCommand):
    """Base: runs ``do``/``undo`` service calls, reports errors and changes to the context.

    Subclasses pass :attr:`expect` to their service where it can check it: on a first run it
    is ``ANY``; on an undo, what the last redo wrote; on a redo, what the last undo wrote.
    :attr:`touched` collects the accounts its runs changed, so an import or recompute of one
    of them can fence it.
    """

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.done_once = False
        self.error: str | None = None
        self.expect: Any = ANY
        self.touched: frozenset[int] = frozenset()
        self.fenced: str | None = None
        self._after_do: Any = ANY
        self._after_undo: Any = ANY

    def fence(self, why: str) -> None:
        """Forbid undoing or redoing this edit: ``why`` (e.g. "an import changed it since")."""
        self.fenced = why

    @property
    def portfolio(self) -> Portfolio:
        """The open portfolio (edits are disabled while none is open)."""
        assert self.ctx.portfolio is not None
        return self.ctx.portfolio

    def do(self) -> EditResult[Any]:
        """Perform the edit; return the service's result."""
        raise NotImplementedError

    def revert(self) -> EditResult[Any]:
        """Undo the edit; return the service's result."""
        raise NotImplementedError

    def _drop(self, verb: str, why: str) -> None:
        """Leave the stack without writing anything, and say why in the status bar."""
        self.error = why
        self.setObsolete(True)
        self.ctx.status_posted.emit(f"Not {verb}: {self.actionText()} — {why}")

    def _run(
        self, call: Callable[[], EditResult[Any]], *, first: bool, undo: bool, done: str
    ) -> Any:
        verb = "undone" if undo else "redone"
        if self.fenced is not None:
            self._drop(verb, self.fenced)
            return None
        self.expect = ANY if first else (self._after_do if undo else self._after_undo)
        try:
            result = call()
        except StaleEditError as exc:
            self._drop(verb, str(exc))
            return None
        except CsdeskError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            self.ctx.report(exc)
            return None
        finally:
            self.expect = ANY
        if first and not result.changed:
            self.setObsolete(True)
            return None
        self.touched |= result.changes.account_ids
        if undo:
            self._after_undo = result.new
        else:
            self._after_do = result.new
        self.ctx.notify(result.changes)
        self.ctx.status_posted.emit(done)
        return result

    def redo(self) -> None:
        first = not self.done_once
        self.done_once = True
        what = self.actionText()
        done = f"Saved: {what} · Ctrl+Z to undo" if first else f"Redone: {what}"
        self._run(self.do, first=first, undo=False, done=done)

    def undo(self) -> None:
        self._run(self.revert, first=False, undo=True, done=f"Undone: {self.actionText()}")


class SetRoiInputCommand(EditCommand):
    """Set one ROI input (None clears it)."""

    def __init__(
        self, ctx: AppContext, account_id: int, field: str, label: str, value: float | None
    ) -> None:
        super().__init__(ctx, f"Edit ROI {label.lower()}")
        self.account_id, self.field, self.value = account_id, field, value
        self.old: float | None = None

    def do(self) -> EditResult[Any]:
        result = edits.set_roi_input(
            self.portfolio, self.account_id, self.field, self.value, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return edits.set_roi_input(
            self.portfolio, self.account_id, self.field, self.old, expect=self.expect
        )


class AddRoiLineCommand(EditCommand):
    """Add a custom value line."""

    def __init__(self, ctx: AppContext, account_id: int, label: str, amount: float) -> None:
        super().__init__(ctx, f"Add value line {label!r}")
        self.account_id, self.label, self.amount = account_id, label, amount
        self.line_id: int | None = None
        self.position: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.add_roi_line(
            self.portfolio, self.account_id, self.label, self.amount, position=self.position
        )
        self.line_id = result.new_id
        return result

    def revert(self) -> EditResult[Any]:
        assert self.line_id is not None
        result = edits.remove_roi_line(self.portfolio, self.line_id)
        self.position = result.old[3]
        return result


class UpdateRoiLineCommand(EditCommand):
    """Change a custom value line's label or amount."""

    def __init__(self, ctx: AppContext, line_id: int, label: str, amount: float) -> None:
        super().__init__(ctx, f"Edit value line {label!r}")
        self.line_id, self.label, self.amount = line_id, label, amount
        self.old: tuple[str, float] = ("", 0.0)

    def do(self) -> EditResult[Any]:
        result = edits.update_roi_line(
            self.portfolio, self.line_id, self.label, self.amount, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return edits.update_roi_line(self.portfolio, self.line_id, *self.old, expect=self.expect)


class RemoveRoiLineCommand(EditCommand):
    """Remove a custom value line (undo puts it back in its place, under a new id)."""

    def __init__(self, ctx: AppContext, line_id: int, label: str) -> None:
        super().__init__(ctx, f"Remove value line {label!r}")
        self.line_id = line_id
        self.old: tuple[int, str, float, int] | None = None

    def do(self) -> EditResult[Any]:
        result = edits.remove_roi_line(self.portfolio, self.line_id)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        account_id, label, amount, position = self.old
        result = edits.add_roi_line(self.portfolio, account_id, label, amount, position=position)
        assert result.new_id is not None
        self.line_id = result.new_id
        return result


class SetAccountFieldCommand(EditCommand):
    """Change one account field."""

    def __init__(self, ctx: AppContext, account_id: int, field: str, value: Any) -> None:
        label = edits.ACCOUNT_FIELDS.get(field, field)
        super().__init__(ctx, f"Edit {label}")
        self.account_id, self.field, self.value = account_id, field, value
        self.old: Any = None

    def do(self) -> EditResult[Any]:
        result = edits.set_account_field(
            self.portfolio, self.account_id, self.field, self.value, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return edits.set_account_field(
            self.portfolio, self.account_id, self.field, self.old, expect=self.expect
        )


class OverrideHealthCommand(EditCommand):
    """Override the health score with a reason."""

    def __init__(self, ctx: AppContext, account_id: int, score: float, reason: str) -> None:
        super().__init__(ctx, f"Override health to {score:.1f}")
        self.account_id, self.score, self.reason = account_id, score, reason
        self.old: edits.HealthState | None = None
        self.snapshot_id: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.override_health(
            self.portfolio, self.account_id, self.score, self.reason, expect=self.expect
        )
        self.old, self.snapshot_id = result.old, result.new_id
        return result

    def revert(self) -> EditResult[Any]:
        # An undone override never happened: its snapshot goes, so no chart or list shows it.
        assert self.old is not None
        return edits.withdraw_override(
            self.portfolio, self.account_id, self.snapshot_id, self.old, expect=self.expect
        )


class ClearOverrideCommand(EditCommand):
    """Clear a manual health override."""

    def __init__(self, ctx: AppContext, account_id: int) -> None:
        super().__init__(ctx, "Clear health override")
        self.account_id = account_id
        self.old: edits.HealthState | None = None

    def do(self) -> EditResult[Any]:
        result = edits.clear_health_override(self.portfolio, self.account_id, expect=self.expect)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return edits.restore_health(self.portfolio, self.account_id, self.old, expect=self.expect)


class _TaskStateCommand(EditCommand):
    def __init__(self, ctx: AppContext, task_id: int, text: str) -> None:
        super().__init__(ctx, text)
        self.task_id = task_id
        self.old: edits.TaskState | None = None

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return edits.restore_task(self.portfolio, self.task_id, self.old, expect=self.expect)


class CompleteTaskCommand(_TaskStateCommand):
    """Mark a task done."""

    def __init__(self, ctx: AppContext, task_id: int, title: str) -> None:
        super().__init__(ctx, task_id, f"Complete task {title!r}")

    def do(self) -> EditResult[Any]:
        result = edits.complete_task(self.portfolio, self.task_id)
        self.old = result.old
        return result


class SnoozeTaskCommand(_TaskStateCommand):
    """Snooze a task to a later day."""

    def __init__(self, ctx: AppContext, task_id: int, title: str, until: dt.date) -> None:
        super().__init__(ctx, task_id, f"Snooze task {title!r}")
        self.until = until

    def do(self) -> EditResult[Any]:
        result = edits.snooze_task(self.portfolio, self.task_id, self.until)
        self.old = result.old
        return result


class AddTaskCommand(EditCommand):
    """Add a task (undo deletes it)."""

    def __init__(
        self, ctx: AppContext, account_id: int, title: str, due_on: dt.date, type: str
    ) -> None:
        super().__init__(ctx, f"Add task {title!r}")
        self.account_id, self.title, self.due_on, self.type = account_id, title, due_on, type
        self.task_id: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.add_task(
            self.portfolio, self.account_id, self.title, self.due_on, type=self.type
        )
        self.task_id = result.new_id
        return result

    def revert(self) -> EditResult[Any]:
        assert self.task_id is not None
        return edits.remove_task(self.portfolio, self.task_id)


class AddNoteCommand(EditCommand):
    """Add a note to the timeline (undo removes it)."""

    def __init__(self, ctx: AppContext, account_id: int, text: str) -> None:
        super().__init__(ctx, "Add note")
        self.account_id, self.note = account_id, text
        self.note_id: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.add_note(self.portfolio, self.account_id, self.note)
        self.note_id = result.new_id
        return result

    def revert(self) -> EditResult[Any]:
        assert self.note_id is not None
        return edits.remove_note(self.portfolio, self.note_id)
