"""The account 360: header, health, metrics, ROI, plan, people, support, tasks, timeline, details.

The view reads one :class:`~csdesk.services.account_detail.AccountDetail`, hands it to its
tabs, and turns every edit a tab asks for into a command on the shared undo stack; after any
change that touches the account it reloads the detail.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from csdesk.errors import CsdeskError
from csdesk.scoring.vocabulary import TASK_TYPES
from csdesk.services.account_detail import AccountDetail, load_account_detail
from csdesk.services.changes import Changes
from csdesk.services.edits import GoalFields
from csdesk.services.plan_draft import load_plan_editor
from csdesk.views import commands
from csdesk.views.account import plan_commands
from csdesk.views.account.details_form import DetailsTab
from csdesk.views.account.header import AccountHeaderBar
from csdesk.views.account.health_panel import HealthPanel
from csdesk.views.account.opportunities_tab import OpportunitiesTab
from csdesk.views.account.plan_tab import PlanTab
from csdesk.views.account.roi_editor import RoiEditor
from csdesk.views.account.tabs import ContactsTab, MetricsTab, SupportTab, TimelineTab
from csdesk.views.account.task_panel import TasksTab
from csdesk.views.dialogs import AddTaskDialog, OverrideDialog

if TYPE_CHECKING:
    from csdesk.views.page import AppContext

__all__ = ["AccountView"]


class AccountView(QWidget):
    """Everything about one account, editable with undo.

    Signals:
        back_requested(): the user wants the portfolio list again.
    """

    back_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: int | None = None
        self.detail: AccountDetail | None = None
        self._stale = False
        self.setAccessibleName("Account 360")

        self.header = AccountHeaderBar()
        self.header.back_requested.connect(self.back_requested)
        self.health = HealthPanel()
        self.metrics = MetricsTab()
        self.roi = RoiEditor()
        self.plan = PlanTab()
        self.contacts = ContactsTab()
        self.support = SupportTab()
        self.tasks = TasksTab()
        self.timeline = TimelineTab()
        self.details = DetailsTab()
        self.opportunities = OpportunitiesTab()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Account sections")
        self.tabs.setDocumentMode(True)
        for widget, title in (
            (self.health, "Health"),
            (self.metrics, "Metrics"),
            (self.roi, "ROI"),
            (self.plan, "Plan"),
            (self.tasks, "Tasks"),
            (self.support, "Support"),
            (self.contacts, "Contacts"),
            (self.timeline, "Timeline"),
            (self.details, "Details"),
            (self.opportunities, "Opportunities"),
        ):
            self.tabs.addTab(widget, title)
        self.tabs.setCurrentIndex(min(ctx.settings.value("account/tab"), self.tabs.count() - 1))
        self.tabs.currentChanged.connect(lambda i: ctx.settings.set_value("account/tab", i))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)

        escape = QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self)
        escape.activated.connect(self.back_requested)

        self.health.override_requested.connect(self._on_override_requested)
        self.health.clear_override_requested.connect(self._on_clear_override_requested)
        self.roi.input_committed.connect(self._on_roi_input_committed)
        self.roi.line_added.connect(self._on_roi_line_added)
        self.roi.line_updated.connect(self._on_roi_line_updated)
        self.roi.line_removed.connect(self._on_roi_line_removed)
        self.tasks.complete_requested.connect(self._on_task_complete_requested)
        self.tasks.snooze_requested.connect(self._on_task_snooze_requested)
        self.tasks.add_requested.connect(self._on_task_add_requested)
        self.timeline.note_added.connect(self._on_timeline_note_added)
        self.details.field_committed.connect(self._on_details_field_committed)
        self.plan.goal_added.connect(self._on_plan_goal_added)
        self.plan.goal_updated.connect(self._on_plan_goal_updated)
        self.plan.goal_removed.connect(self._on_plan_goal_removed)
        self.plan.goal_moved.connect(self._on_plan_goal_moved)
        self.plan.narrative_committed.connect(self._on_plan_narrative_committed)
        self.plan.meeting_committed.connect(self._on_plan_meeting_committed)
        ctx.changed.connect(self._on_ctx_changed)
        ctx.worker.busy_changed.connect(lambda _busy: self._update_editable())

    # -- loading ---------------------------------------------------------------------------

    def show_account(self, account_id: int) -> bool:
        """Load and show an account; False (with an error reported) if it cannot be read."""
        self.account_id = account_id
        return self.reload()

    def reload(self) -> bool:
        """Re-read the shown account."""
        if self.ctx.portfolio is None or self.account_id is None:
            return False
        try:
            detail = load_account_detail(self.ctx.portfolio, self.account_id)
            plan = load_plan_editor(self.ctx.portfolio, self.account_id)
        except CsdeskError as exc:
            self.ctx.report(exc)
            self.detail = None
            return False
        self.detail = detail
        self._stale = False
        self.header.set_detail(detail)
        for tab in (
            self.health,
            self.metrics,
            self.roi,
            self.contacts,
            self.support,
            self.tasks,
            self.timeline,
            self.details,
            self.opportunities,
        ):
            tab.set_detail(detail)
        self.plan.set_data(plan)
        self._update_editable()
        return True

    def _on_ctx_changed(self, changes: Changes) -> None:
        if self.account_id is None or not changes.touches(self.account_id):
            return
        self.reload_when_visible()

    def reload_when_visible(self) -> None:
        """Re-read the account now if it is on screen, else when it is next shown."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale and self.account_id is not None:
            self.reload()

    def _update_editable(self) -> None:
        editable = self.ctx.editable and self.detail is not None
        for tab in (self.health, self.roi, self.plan, self.tasks, self.timeline, self.details):
            tab.set_editable(editable)

    # -- edits -----------------------------------------------------------------------------

    def push(self, command: commands.EditCommand) -> None:
        """Run an edit through the undo stack (refused while a job is writing)."""
        if not self.ctx.editable:
            self.ctx.report("the portfolio is busy with another task; try again in a moment")
            return
        self.ctx.undo_stack.push(command)

    def _id(self) -> int:
        assert self.account_id is not None
        return self.account_id

    def _on_override_requested(self) -> None:
        if self.detail is None:
            return
        h = self.detail.header
        dialog = OverrideDialog(h.name, h.health_score, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            score, reason = dialog.values()
            self.push(commands.OverrideHealthCommand(self.ctx, self._id(), score, reason))

    def _on_clear_override_requested(self) -> None:
        self.push(commands.ClearOverrideCommand(self.ctx, self._id()))

    def _on_roi_input_committed(self, field: str, label: str, value: float | None) -> None:
        self.push(commands.SetRoiInputCommand(self.ctx, self._id(), field, label, value))

    def _on_roi_line_added(self, label: str, amount: float) -> None:
        self.push(commands.AddRoiLineCommand(self.ctx, self._id(), label, amount))

    def _on_roi_line_updated(self, line_id: int, label: str, amount: float) -> None:
        self.push(commands.UpdateRoiLineCommand(self.ctx, line_id, label, amount))

    def _on_roi_line_removed(self, line_id: int, label: str) -> None:
        self.push(commands.RemoveRoiLineCommand(self.ctx, line_id, label))

    def _on_task_complete_requested(self, task_id: int, title: str) -> None:
        self.push(commands.CompleteTaskCommand(self.ctx, task_id, title))

    def _on_task_snooze_requested(self, task_id: int, title: str, until: dt.date) -> None:
        self.push(commands.SnoozeTaskCommand(self.ctx, task_id, title, until))

    def _on_task_add_requested(self) -> None:
        dialog = AddTaskDialog(TASK_TYPES, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            title, due, kind = dialog.values()
            self.push(commands.AddTaskCommand(self.ctx, self._id(), title, due, kind))

    def _on_timeline_note_added(self, text: str) -> None:
        self.push(commands.AddNoteCommand(self.ctx, self._id(), text))

    def _on_details_field_committed(self, field: str, value: Any) -> None:
        version = self.detail.header.version if self.detail is not None else None
        self.push(commands.SetAccountFieldCommand(self.ctx, self._id(), field, value, version))

    def _on_plan_goal_added(self, fields: GoalFields) -> None:
        self.push(plan_commands.AddGoalCommand(self.ctx, self._id(), fields))

    def _on_plan_goal_updated(self, goal_id: int, fields: GoalFields) -> None:
        self.push(plan_commands.UpdateGoalCommand(self.ctx, goal_id, fields))

    def _on_plan_goal_removed(self, goal_id: int, title: str) -> None:
        self.push(plan_commands.RemoveGoalCommand(self.ctx, goal_id, title))

    def _on_plan_goal_moved(self, goal_id: int, title: str, position: int) -> None:
        self.push(plan_commands.MoveGoalCommand(self.ctx, goal_id, title, position))

    def _on_plan_narrative_committed(self, field: str, text: str, what: str) -> None:
        self.push(plan_commands.SetNarrativeCommand(self.ctx, self._id(), field, text, what=what))

    def _on_plan_meeting_committed(self, day: dt.date | None, note: str) -> None:
        self.push(plan_commands.SetNextMeetingCommand(self.ctx, self._id(), day, note))
