"""The Possible duplicates page: groups of accounts that share a name or a website, with the
evidence and each account's ids, and the Merge action (one undoable command per merge)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.services.changes import Changes
from csdesk.services.duplicates import DuplicateAccount, DuplicateGroup, find_duplicates
from csdesk.views.duplicates.command import MergeCommand
from csdesk.views.page import AppContext, RefreshingPage
from csdesk.views.widgets.itemmodels import money

__all__ = ["DuplicatesPage"]

HEADERS = ("Account", "Ids", "Website", "Status", "ARR")
_ROLE = Qt.ItemDataRole.UserRole


def _ids_text(account: DuplicateAccount) -> str:
    return " · ".join(f"{system}: {', '.join(ids)}" for system, ids in account.ids.items()) or "—"


def _label(account: DuplicateAccount) -> str:
    return f"'{account.name}' ({account.crm_id})" if account.crm_id else f"'{account.name}'"


class DuplicatesPage(RefreshingPage):
    """Every group of possible duplicates; pick the account to keep and merge the others into it.

    Args:
        ctx: The shared app context.
    """

    title = "Possible duplicates"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.groups: list[DuplicateGroup] = []
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Possible duplicate accounts")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemDoubleClicked.connect(self._on_tree_item_double_clicked)
        self.empty = QLabel("No possible duplicates: no two accounts share a name or a website.")
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel("Select the account to keep.")
        self.hint.setObjectName("muted")
        self.merge_button = QPushButton("Merge into selected…")
        self.merge_button.setToolTip(
            "Move every id, metric, ticket, response, contact, task, note and the timeline of "
            "the group's other accounts to the selected one (Ctrl+Z undoes)"
        )
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.open_button = QPushButton("Open account")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 20)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(bar)
        self._update_buttons()

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        portfolio = self.ctx.portfolio
        try:
            self.groups = find_duplicates(portfolio) if portfolio is not None else []
        except CsdeskError as exc:
            self.groups = []
            self.ctx.report(exc)
        selected = self.selected_account()
        self.tree.clear()
        for group in self.groups:
            heading = group.evidence[0].upper() + group.evidence[1:]
            top = QTreeWidgetItem([f"{heading} · {len(group.accounts)} accounts"])
            top.setFirstColumnSpanned(True)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for account in group.accounts:
                child = QTreeWidgetItem(
                    [account.name, _ids_text(account), account.domain or "—", account.status,
                     money(account.arr) or "—"]
                )  # fmt: skip
                child.setData(0, _ROLE, account.account_id)
                child.setTextAlignment(
                    4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                top.addChild(child)
                if account.account_id == selected:
                    self.tree.setCurrentItem(child)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(True)
        count = len(self.groups)
        self.subtitle.setText(
            f"{count} group{'s' if count != 1 else ''} of accounts that share a name (ignoring "
            "case and legal suffixes such as Inc or GmbH) or a website. Merging moves everything "
            "of the other accounts into the one you keep; its own values win where both have one."
            if count
            else "Accounts that share a name or a website show here."
        )
        self.tree.setVisible(bool(count))
        self.empty.setVisible(not count)
        self._update_buttons()

    def on_changes(self, changes: Any) -> None:
        if isinstance(changes, Changes) and (changes.accounts or changes.everything):
            self.refresh_when_visible()

    # -- selection and actions -------------------------------------------------------------

    def selected_account(self) -> int | None:
        """The account chosen to keep, if an account row is selected."""
        item = self.tree.currentItem()
        value = item.data(0, _ROLE) if item is not None else None
        return int(value) if value is not None else None

    def _group_of(self, account_id: int) -> DuplicateGroup | None:
        return next(
            (g for g in self.groups if any(a.account_id == account_id for a in g.accounts)), None
        )

    def _update_buttons(self) -> None:
        chosen = self.selected_account()
        self.merge_button.setEnabled(chosen is not None and self.ctx.editable)
        self.open_button.setEnabled(chosen is not None)
        if chosen is None:
            self.hint.setText("Select the account to keep, then merge the others into it.")
            return
        group = self._group_of(chosen)
        others = [a for a in group.accounts if a.account_id != chosen] if group else []
        keep = next(a for a in group.accounts if a.account_id == chosen) if group else None
        if keep is not None:
            names = ", ".join(_label(a) for a in others)
            self.hint.setText(f"Keep {_label(keep)}; merge {names} into it.")

    def _on_tree_current_item_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, _ROLE)
        if value is not None:
            self.ctx.account_requested.emit(int(value))

    def _on_open_button_clicked(self) -> None:
        chosen = self.selected_account()
        if chosen is not None:
            self.ctx.account_requested.emit(chosen)

    def _on_merge_button_clicked(self) -> None:
        chosen = self.selected_account()
        group = self._group_of(chosen) if chosen is not None else None
        if chosen is None or group is None:
            return
        keep = next(a for a in group.accounts if a.account_id == chosen)
        others = [a for a in group.accounts if a.account_id != chosen]
        question = (
            f"Merge {', '.join(_label(a) for a in others)} into {_label(keep)}?\n\n"
            "Their ids, metrics, health history, tickets, responses, contacts, tasks, notes, ROI "
            "inputs, scorecards and timeline move to the account you keep; where both have a "
            "value, the kept account's stays. Edit ▸ Undo puts them back."
        )
        answer = QMessageBox.question(self, "Merge accounts", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.merge(chosen, [a.account_id for a in others], keep.name)

    def merge(self, keep: int, others: list[int], keep_name: str) -> None:
        """Merge ``others`` into ``keep`` as one undoable step."""
        stack = self.ctx.undo_stack
        if len(others) > 1:
            stack.beginMacro(f"Merge {len(others)} accounts into '{keep_name}'")
        for other in others:
            stack.push(MergeCommand(self.ctx, keep, other, f"Merge into '{keep_name}'"))
        if len(others) > 1:
            stack.endMacro()
