"""Task edits: complete, snooze, add, and the restores undo needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Task, utcnow
from csdesk.scoring.vocabulary import FOLLOW_UP, TASK_TYPES
from csdesk.services.changes import Changes
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    account_changes,
    check_unchanged,
    get_account,
    log_activity,
)

__all__ = ["TaskState", "add_task", "complete_task", "remove_task", "restore_task", "snooze_task"]


@dataclass(frozen=True)
class TaskState:
    """The part of a task that completing or snoozing changes."""

    status: str
    due_on: dt.date
    completed_at: dt.datetime | None


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(f"task {task_id} no longer exists")
    return task


def _set_task(
    portfolio: Portfolio, task_id: int, state: TaskState, verb: str, expect: Any = ANY
) -> EditResult[TaskState]:
    with portfolio.write() as session:
        task = _task(session, task_id)
        old = TaskState(task.status, task.due_on, task.completed_at)
        if expect is not ANY and old != expect:
            check_unchanged(old.status, expect.status, f"task {task.title!r}")
            check_unchanged(old.due_on, expect.due_on, f"the due date of {task.title!r}")
        if old == state:
            return EditResult(Changes(), old=old, new=state, changed=False)
        task.status, task.due_on, task.completed_at = state.status, state.due_on, state.completed_at
        log_activity(session, task.account_id, "task", f"Task {verb}: {task.title}")
        return EditResult(account_changes(task.account_id, tasks=True), old=old, new=state)


def complete_task(portfolio: Portfolio, task_id: int) -> EditResult[TaskState]:
    """Mark a task done; ``old`` is its :class:`TaskState`."""
    with portfolio.read() as session:
        due = _task(session, task_id).due_on
    return _set_task(portfolio, task_id, TaskState("done", due, utcnow()), "completed")


def snooze_task(portfolio: Portfolio, task_id: int, until: dt.date) -> EditResult[TaskState]:
    """Snooze a task to a later due date; ``old`` is its :class:`TaskState`."""
    return _set_task(
        portfolio, task_id, TaskState("snoozed", until, None), f"snoozed to {until.isoformat()}"
    )


def restore_task(
    portfolio: Portfolio, task_id: int, state: TaskState, *, expect: Any = ANY
) -> EditResult[TaskState]:
    """Put a task back as it was (what undoing complete or snooze calls).

    ``expect``: the state the task must be in (what the undone edit left), else
    :class:`~csdesk.errors.StaleEditError`.
    """
    verb = "reopened" if state.status == "open" else f"set back to {state.status}"
    return _set_task(portfolio, task_id, state, verb, expect)


def add_task(
    portfolio: Portfolio,
    account_id: int,
    title: str,
    due_on: dt.date,
    *,
    type: str = FOLLOW_UP,
    notes: str | None = None,
) -> EditResult[None]:
    """Add a task to an account; ``new_id`` is its id.

    Raises:
        ValidationError: Empty title or unknown type.
    """
    title = title.strip()
    if not title:
        raise ValidationError("a task needs a title")
    if type not in TASK_TYPES:
        raise ValidationError(f"unknown task type {type!r} (known: {', '.join(TASK_TYPES)})")
    with portfolio.write() as session:
        get_account(session, account_id)
        task = Task(
            account_id=account_id, type=type, title=title, due_on=due_on, status="open", notes=notes
        )
        session.add(task)
        session.flush()
        log_activity(session, account_id, "task", f"Task added: {title} (due {due_on.isoformat()})")
        return EditResult(account_changes(account_id, tasks=True), old=None, new_id=task.id)


@dataclass(frozen=True)
class RemovedTask:
    """A deleted task's own fields."""

    title: str
    due_on: dt.date
    type: str
    notes: str | None


def remove_task(portfolio: Portfolio, task_id: int) -> EditResult[RemovedTask]:
    """Delete a task (what undoing "add task" calls); ``old`` is the :class:`RemovedTask`."""
    with portfolio.write() as session:
        task = _task(session, task_id)
        old = RemovedTask(task.title, task.due_on, task.type, task.notes)
        account_id = task.account_id
        session.delete(task)
        log_activity(session, account_id, "task", f"Task removed: {task.title}")
        return EditResult(account_changes(account_id, tasks=True), old=old)
