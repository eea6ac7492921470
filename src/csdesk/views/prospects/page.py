"""The Prospects page: the editable pilot-selection scorecard, criterion notes, cohort planner.

Every edit is a command on the app's undo stack calling the prospects services; the page reloads
its rows when a change record says prospects or accounts changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.prospect import CRITERIA
from csdesk.services import pilots
from csdesk.services.changes import Changes
from csdesk.services.prospects import ProspectRow, check_members, list_prospects
from csdesk.views.commands import EditCommand
from csdesk.views.page import AppContext, RefreshingPage
from csdesk.views.prospects import commands as cmd
from csdesk.views.prospects.cohort_planner import CohortPlanner
from csdesk.views.prospects.pilot_dialog import PromoteDialog
from csdesk.views.prospects.scorecard_table import (
    COHORT_COLUMN,
    NAME_COLUMN,
    SCORE_COLUMN,
    SORT_ROLE,
    CriterionDelegate,
    ScorecardModel,
)
from csdesk.views.theme import icon

__all__ = ["NotesEditor", "ProspectsPage"]

_WIDTHS = (58, 180, 80, 184, 76, 86, 76, 80, 92, 100, 56, 130)


class NotesEditor(QFrame):
    """One line per criterion for the selected prospect's notes; each commit is one edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel("Notes")
        self.title.setObjectName("sectionTitle")
        hint = QLabel("◥ marks a criterion with a note in the table")
        hint.setObjectName("muted")
        self.fields: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        for i, criterion in enumerate(CRITERIA):
            field = QLineEdit()
            field.setPlaceholderText("No note")
            field.setAccessibleName(f"Note on {criterion.label.lower()}")
            field.setClearButtonEnabled(True)
            self.fields[criterion.key] = field
            grid.addWidget(QLabel(criterion.label), i, 0)
            grid.addWidget(field, i, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(hint)
        layout.addLayout(head)
        layout.addLayout(grid)
        self.row: ProspectRow | None = None
        self.show_row(None)

    def show_row(self, row: ProspectRow | None) -> None:
        """Show a prospect's notes (or none, disabled)."""
        self.row = row
        self.title.setText(f"Notes — {row.name}" if row else "Notes — select a prospect")
        for key, field in self.fields.items():
            field.setText((row.note_of(key) or "") if row else "")
            field.setCursorPosition(0)
            field.setEnabled(row is not None)


class ProspectsPage(RefreshingPage):
    """Scorecard table, notes of the selected prospect and the cohort planner."""

    title = "Prospects"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Prospects page")
        self.today = dt.date.today()
        heading = QLabel("Prospects")
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Filter prospects by name…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter prospects")
        self.open_button = QPushButton(icon("open"), "Open account")
        self.open_button.setAccessibleName("Open the selected account")
        self.promote_button = QPushButton("Promote to pilot…")
        self.promote_button.setObjectName("primary")
        self.promote_button.setAccessibleName("Promote the selected prospect to pilot")

        self.model = ScorecardModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        # Rows stay put while being edited; a header click (or a reload of new rows) re-sorts.
        self.proxy.setDynamicSortFilter(False)
        self.proxy.setFilterKeyColumn(NAME_COLUMN)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Pilot selection scorecard")
        self.table.setItemDelegate(CriterionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStyleSheet("QHeaderView::section { padding: 6px 4px; }")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(_WIDTHS):
            header.resizeSection(column, width)
        self.table.sortByColumn(SCORE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.notes = NotesEditor()
        self.planner = CohortPlanner()

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(heading)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(self.search)
        top.addWidget(self.open_button)
        top.addWidget(self.promote_button)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        bottom.addWidget(self.notes, 1)
        bottom.addWidget(self.planner, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.model.criterion_edited.connect(self._on_model_criterion_edited)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.promote_button.clicked.connect(self.promote_selected)
        self.model.cohort_toggled.connect(self._on_model_cohort_toggled)
        for key, field in self.notes.fields.items():
            field.editingFinished.connect(lambda k=key: self._on_note_edited(k))
        ctx.worker.busy_changed.connect(self._update_actions)
        self._update_actions()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the prospects again and refresh the table, notes and planner."""
        self._stale = False
        self.today = dt.date.today()
        if self.ctx.portfolio is None:
            rows: list[ProspectRow] = []
        else:
            rows = list_prospects(self.ctx.portfolio)
        selected = self.selected_row()
        self.model.set_rows(rows)
        current = self.selected_row()
        # An in-place update keeps the current cell (and any open editor); only a reset loses it.
        if selected is not None and (current is None or current.account_id != selected.account_id):
            self.select_account(selected.account_id)
        qualified = sum(1 for r in rows if r.result.qualified)
        pilots_count = sum(1 for r in rows if r.status == "pilot")
        self.subtitle.setText(
            f"Pilot selection scorecard · {len(rows) - pilots_count} prospects, "
            f"{pilots_count} pilots · {qualified} qualify (score ≥ 3.50)"
        )
        self.planner.set_rows(rows, check_members(rows))
        self.notes.show_row(self.selected_row())
        self._update_actions()

    def on_portfolio_changed(self) -> None:
        self.model.set_rows([])
        self.refresh_when_visible()

    def on_changes(self, changes: Any) -> None:
        if not isinstance(changes, Changes):
            return
        if changes.everything or changes.prospects or changes.accounts:
            self.refresh_when_visible()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    # -- selection -------------------------------------------------------------------------

    def selected_row(self) -> ProspectRow | None:
        """The prospect of the current table row."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_data(self.proxy.mapToSource(index).row())

    def select_account(self, account_id: int) -> None:
        """Make an account's row current."""
        row = self.model.row_of(account_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)

    def _on_current_row_changed(self, *_args: object) -> None:
        self.notes.show_row(self.selected_row())
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        row = self.selected_row()
        editable = self.ctx.editable
        self.model.editable = editable
        self.open_button.setEnabled(row is not None)
        self.promote_button.setEnabled(editable and row is not None and row.status == "prospect")
        for field in self.notes.fields.values():
            field.setReadOnly(not editable)

    # -- edits -----------------------------------------------------------------------------

    def push(self, command: EditCommand) -> None:
        """Run an edit through the undo stack (refused while a job is writing)."""
        if not self.ctx.editable:
            self.ctx.report("the portfolio is busy with another task; try again in a moment")
            self.reload()
            return
        self.ctx.undo_stack.push(command)

    def _name(self, account_id: int) -> str:
        row = self.model.row_of(account_id)
        data = self.model.row_data(row) if row is not None else None
        return data.name if data else f"account {account_id}"

    def _on_model_criterion_edited(self, account_id: int, key: str, value: int | None) -> None:
        self.push(cmd.SetCriterionCommand(self.ctx, account_id, self._name(account_id), key, value))

    def _on_note_edited(self, key: str) -> None:
        row = self.notes.row
        if row is None:
            return
        text = self.notes.fields[key].text().strip() or None
        if text != row.note_of(key):
            self.push(cmd.SetCriterionNoteCommand(self.ctx, row.account_id, row.name, key, text))

    def _on_model_cohort_toggled(self, account_id: int, ticked: bool) -> None:
        verb = "Add" if ticked else "Remove"
        text = f"{verb} {self._name(account_id)} {'to' if ticked else 'from'} the pilot cohort"
        self.push(cmd.SetCohortCommand(self.ctx, {account_id: ticked}, text))

    def promote_selected(self) -> None:
        """Ask for the pilot terms of the selected prospect and promote it."""
        row = self.selected_row()
        portfolio = self.ctx.portfolio
        if row is None or row.status != "prospect" or portfolio is None:
            return

        def preview(start: dt.date, discount: float) -> pilots.PilotTerms:
            return pilots.pilot_terms(portfolio, row.account_id, start=start, discount=discount)

        dialog = PromoteDialog(row.name, preview, self.today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            start, discount = dialog.values()
            self.push(cmd.PromoteCommand(self.ctx, row.account_id, row.name, start, discount))

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.column() != COHORT_COLUMN and ScorecardModel.criterion_key(index.column()) is None:
            self._on_open_clicked()

    def _on_open_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.ctx.account_requested.emit(row.account_id)
