"""Undoable success-plan edits: one QUndoCommand per goal or narrative change."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from csdesk.services import edits
from csdesk.services.edits import EditResult, GoalFields, RemovedGoal
from csdesk.services.success_plans import NARRATIVE_FIELDS
from csdesk.views.commands import EditCommand

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = [
    "AddGoalCommand",
    "MoveGoalCommand",
    "RemoveGoalCommand",
    "SetNarrativeCommand",
    "SetNextMeetingCommand",
    "UpdateGoalCommand",
]


class AddGoalCommand(EditCommand):
    """Add a goal (undo removes it; redo puts it back in the same place)."""

    def __init__(self, ctx: AppContext, account_id: int, fields: GoalFields) -> None:
        super().__init__(ctx, f"Add goal {fields.title.strip()!r}")
        self.account_id, self.fields = account_id, fields
        self.goal_id: int | None = None
        self.position: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.add_goal(
            self.portfolio, self.account_id, self.fields, position=self.position
        )
        self.goal_id = result.new_id
        return result

    def revert(self) -> EditResult[Any]:
        assert self.goal_id is not None
        result = edits.remove_goal(self.portfolio, self.goal_id)
        removed: RemovedGoal = result.old
        # Redo restores what was added, its start day included, at the same place.
        self.fields, self.position = removed.fields, removed.position
        return result


class UpdateGoalCommand(EditCommand):
    """Change a goal's fields."""

    def __init__(self, ctx: AppContext, goal_id: int, fields: GoalFields) -> None:
        super().__init__(ctx, f"Edit goal {fields.title.strip()!r}")
        self.goal_id, self.fields = goal_id, fields
        self.old: GoalFields | None = None

    def do(self) -> EditResult[Any]:
        result = edits.update_goal(self.portfolio, self.goal_id, self.fields, expect=self.expect)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return edits.update_goal(self.portfolio, self.goal_id, self.old, expect=self.expect)


class RemoveGoalCommand(EditCommand):
    """Remove a goal (undo puts it back in its place, under a new id)."""

    def __init__(self, ctx: AppContext, goal_id: int, title: str) -> None:
        super().__init__(ctx, f"Remove goal {title!r}")
        self.goal_id = goal_id
        self.old: RemovedGoal | None = None

    def do(self) -> EditResult[Any]:
        result = edits.remove_goal(self.portfolio, self.goal_id)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        result = edits.add_goal(
            self.portfolio, self.old.account_id, self.old.fields, position=self.old.position
        )
        assert result.new_id is not None
        self.goal_id = result.new_id
        return result


class MoveGoalCommand(EditCommand):
    """Move a goal up or down the plan."""

    def __init__(self, ctx: AppContext, goal_id: int, title: str, position: int) -> None:
        super().__init__(ctx, f"Move goal {title!r}")
        self.goal_id, self.position = goal_id, position
        self.old: int | None = None

    def do(self) -> EditResult[Any]:
        result = edits.move_goal(self.portfolio, self.goal_id, self.position, expect=self.expect)
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return edits.move_goal(self.portfolio, self.goal_id, self.old, expect=self.expect)


class SetNarrativeCommand(EditCommand):
    """Set one of the narrative's texts (executive summary, wins, next term's goals)."""

    def __init__(
        self, ctx: AppContext, account_id: int, field: str, text: str, *, what: str = ""
    ) -> None:
        super().__init__(ctx, what or f"Edit {NARRATIVE_FIELDS.get(field, field)}")
        self.account_id, self.field, self.new_text = account_id, field, text
        self.old = ""

    def do(self) -> EditResult[Any]:
        result = edits.set_narrative(
            self.portfolio, self.account_id, self.field, self.new_text, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return edits.set_narrative(
            self.portfolio, self.account_id, self.field, self.old, expect=self.expect
        )


class SetNextMeetingCommand(EditCommand):
    """Book, move or clear the next meeting with the client."""

    def __init__(self, ctx: AppContext, account_id: int, day: dt.date | None, note: str) -> None:
        super().__init__(ctx, "Clear the next meeting" if day is None else "Book the next meeting")
        self.account_id, self.day, self.note = account_id, day, note
        self.old: tuple[dt.date | None, str] = (None, "")

    def do(self) -> EditResult[Any]:
        result = edits.set_next_meeting(
            self.portfolio, self.account_id, self.day, self.note, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return edits.set_next_meeting(
            self.portfolio, self.account_id, self.old[0], self.old[1], expect=self.expect
        )
