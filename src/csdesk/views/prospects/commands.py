"""Undoable edits of the Prospects page: criterion scores and notes, cohort ticks, promotion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from csdesk.services import pilots, prospects
from csdesk.services.edits import EditResult
from csdesk.views.commands import EditCommand

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = [
    "PromoteCommand",
    "SetCohortCommand",
    "SetCriterionCommand",
    "SetCriterionNoteCommand",
]


class SetCriterionCommand(EditCommand):
    """Set one criterion score of a prospect's scorecard (None clears it)."""

    def __init__(
        self, ctx: AppContext, account_id: int, name: str, key: str, value: int | None
    ) -> None:
        label = prospects.criterion_label(key)
        super().__init__(ctx, f"Score {label.lower()} of {name}")
        self.account_id, self.key, self.value = account_id, key, value
        self.old: int | None = None

    def do(self) -> EditResult[Any]:
        result = prospects.set_criterion(
            self.portfolio, self.account_id, self.key, self.value, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return prospects.set_criterion(
            self.portfolio, self.account_id, self.key, self.old, expect=self.expect
        )


class SetCriterionNoteCommand(EditCommand):
    """Set the note of one criterion (blank clears it)."""

    def __init__(
        self, ctx: AppContext, account_id: int, name: str, key: str, text: str | None
    ) -> None:
        label = prospects.criterion_label(key)
        super().__init__(ctx, f"Note on {label.lower()} of {name}")
        self.account_id, self.key, self.note = account_id, key, text
        self.old: str | None = None

    def do(self) -> EditResult[Any]:
        result = prospects.set_criterion_note(
            self.portfolio, self.account_id, self.key, self.note, expect=self.expect
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        return prospects.set_criterion_note(
            self.portfolio, self.account_id, self.key, self.old, expect=self.expect
        )


class SetCohortCommand(EditCommand):
    """Tick accounts into or out of the pilot cohort."""

    def __init__(self, ctx: AppContext, membership: Mapping[int, bool], text: str) -> None:
        super().__init__(ctx, text)
        self.membership = dict(membership)
        self.old: dict[int, bool] = {}

    def do(self) -> EditResult[Any]:
        result = prospects.set_cohort(self.portfolio, self.membership)
        self.old = dict(result.old)
        return result

    def revert(self) -> EditResult[Any]:
        return prospects.set_cohort(self.portfolio, self.old)


class PromoteCommand(EditCommand):
    """Promote a prospect to pilot (undo puts its status, dates and ARR back)."""

    def __init__(
        self, ctx: AppContext, account_id: int, name: str, start: dt.date, discount: float
    ) -> None:
        super().__init__(ctx, f"Promote {name} to pilot")
        self.account_id, self.start, self.discount = account_id, start, discount
        self.old: pilots.PromoteState | None = None

    def do(self) -> EditResult[Any]:
        result = pilots.promote_to_pilot(
            self.portfolio, self.account_id, start=self.start, discount=self.discount
        )
        self.old = result.old
        return result

    def revert(self) -> EditResult[Any]:
        assert self.old is not None
        return pilots.restore_promotion(self.portfolio, self.account_id, self.old)
