"""Single edits made in the app: one transaction each, logged on the timeline, undoable.

Every function opens one write transaction, writes an Activity row (kind ``edit``, ``task``,
``note`` or ``health``) and returns an :class:`EditResult` carrying what changed and the value
before, so an undo command can call the same service with the old value to restore it.
Removing a note (what undoing "add note" does) deletes its timeline entry and logs nothing.
"""

from __future__ import annotations

from csdesk.services.edits.accounts import ACCOUNT_FIELDS, add_note, remove_note, set_account_field
from csdesk.services.edits.base import ANY, EditResult, check_unchanged
from csdesk.services.edits.health import (
    HealthState,
    clear_health_override,
    override_health,
    restore_health,
    withdraw_override,
)
from csdesk.services.edits.plans import (
    GoalFields,
    RemovedGoal,
    add_goal,
    move_goal,
    remove_goal,
    set_narrative,
    set_next_meeting,
    update_goal,
)
from csdesk.services.edits.roi import add_roi_line, remove_roi_line, set_roi_input, update_roi_line
from csdesk.services.edits.tasks import (
    TaskState,
    add_task,
    complete_task,
    remove_task,
    restore_task,
    snooze_task,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "ANY",
    "EditResult",
    "GoalFields",
    "HealthState",
    "RemovedGoal",
    "TaskState",
    "add_goal",
    "add_note",
    "add_roi_line",
    "add_task",
    "check_unchanged",
    "clear_health_override",
    "complete_task",
    "move_goal",
    "override_health",
    "remove_goal",
    "remove_note",
    "remove_roi_line",
    "remove_task",
    "restore_health",
    "restore_task",
    "set_account_field",
    "set_narrative",
    "set_next_meeting",
    "set_roi_input",
    "snooze_task",
    "update_goal",
    "update_roi_line",
    "withdraw_override",
]
