"""The Renewals page: renewals due in a 30/60/90/180-day window, the selected one's milestones and
price proposal, and the renewal forecast by month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from csdesk.errors import CsdeskError
from csdesk.services.changes import Changes
from csdesk.services.renewals import (
    WINDOWS,
    RenewalRow,
    RenewalWindow,
    forecast_by_month,
    milestone_states,
    renewal_proposal,
    renewals_due,
)
from csdesk.views.page import AppContext, RefreshingPage
from csdesk.views.renewals.detail import RenewalDetail
from csdesk.views.widgets.charts import ChartView
from csdesk.views.widgets.itemmodels import Column, RecordsModel, money
from csdesk.views.widgets.page_widgets import AccountList, RecordBandDelegate, SegmentedChoice
from csdesk.views.widgets.portfolio_charts import draw_forecast

__all__ = ["DEFAULT_WINDOW", "FORECAST_MONTHS", "RenewalsPage"]

DEFAULT_WINDOW = 90
FORECAST_MONTHS = 12
HEALTH_COLUMN = 4


def _days(r: RenewalRow) -> str:
    if r.overdue:
        return f"{-r.days_left} d overdue"
    return "today" if r.days_left == 0 else f"{r.days_left} d"


def _days_colour(r: RenewalRow) -> str | None:
    if r.overdue:
        return "bad"
    return "warn" if r.days_left <= 30 else None


def _name_tip(r: RenewalRow) -> str:
    return f"{r.name} · {r.status} · {r.tier or 'no tier'} · CSM {r.owner or '—'}"


COLUMNS = (
    Column(
        "Account",
        lambda r: r.name + ("  (pilot)" if r.status == "pilot" else ""),
        tooltip=_name_tip,
    ),
    Column("Renewal", lambda r: r.renewal_date.isoformat()),
    Column(
        "Days left",
        _days,
        align_right=True,
        foreground=_days_colour,
        tooltip=lambda r: "Renewal overdue" if r.overdue else None,
    ),
    Column("ARR", lambda r: money(r.arr) or "—", align_right=True),
    Column("Health", lambda r: "" if r.health_score is None else f"{r.health_score:.1f}"),
    Column("Likelihood", lambda r: f"{r.likelihood:.0%}", align_right=True),
    Column(
        "Forecast ARR",
        lambda r: money(r.forecast) or "—",
        align_right=True,
        tooltip=lambda r: "ARR × likelihood by health band",
    ),
)


class RenewalsPage(RefreshingPage):
    """Window selector, the due renewals, the selected renewal and the monthly forecast."""

    title = "Renewals"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Renewals page")
        self.today = dt.date.today()
        self.current: RenewalWindow | None = None
        heading = QLabel("Renewals")
        heading.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("subtitle")
        self.summary.setAccessibleName("Renewal window summary")
        self.window_choice = SegmentedChoice(
            [(days, f"{days} days") for days in WINDOWS], "Renewal window"
        )
        self.model = RecordsModel(COLUMNS, self)
        self.table = AccountList(
            self.model, "Renewals due", (150, 94, 108, 96, 130, 92, 104), stretch=0
        )
        self.table.setItemDelegateForColumn(HEALTH_COLUMN, RecordBandDelegate(self.table))
        self.detail = RenewalDetail()
        self.detail.setMinimumWidth(420)
        self.chart = ChartView("Renewal forecast by month")
        self.chart.setMinimumHeight(230)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(heading)
        titles.addWidget(self.summary)
        top.addLayout(titles, 1)
        top.addWidget(QLabel("Due in the next"))
        top.addWidget(self.window_choice)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.chart)
        left.setSizes([470, 260])
        left.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(self.detail)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([760, 430])
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(body, 1)

        self.window_choice.set_value(DEFAULT_WINDOW)
        self.window_choice.chosen.connect(self._on_window_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.account_activated.connect(self.ctx.account_requested)
        self.detail.open_requested.connect(self.ctx.account_requested)

    # -- loading ---------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """The window shown, in days."""
        return self.window_choice.value()

    def set_window(self, days: int) -> None:
        """Show the renewals due in the next ``days`` days (30, 60, 90 or 180)."""
        self.window_choice.set_value(days)

    def _on_window_chosen(self, _days: int) -> None:
        self.reload(chart=False)

    def reload(self, *, chart: bool = True) -> None:
        """Read the window's renewals (and the forecast chart) again."""
        self._stale = False
        self.today = dt.date.today()
        portfolio = self.ctx.portfolio
        selected = self.table.current_record()
        if portfolio is None:
            self.current = None
            self.model.set_records([])
            self.summary.setText("No portfolio open")
            self._show_selected()
            return
        self.current = renewals_due(portfolio, today=self.today, days=self.days)
        self.model.set_records(self.current.rows)
        self.summary.setText(self._summary(self.current))
        keep = next(
            (
                i
                for i, r in enumerate(self.current.rows)
                if selected and r.account_id == selected.account_id
            ),
            0 if self.current.rows else None,
        )
        if keep is not None:
            self.table.setCurrentIndex(self.model.index(keep, 0))
        self._show_selected()
        if chart:
            draw_forecast(
                self.chart, forecast_by_month(portfolio, today=self.today, months=FORECAST_MONTHS)
            )

    @staticmethod
    def _summary(window: RenewalWindow) -> str:
        noun = "renewal" if window.due_count == 1 else "renewals"
        text = (
            f"{window.due_count} {noun} due in the next {window.days} days · "
            f"ARR {money(window.due_arr)} · forecast ARR {money(window.forecast)}"
        )
        if window.overdue_count:
            text += f" · {window.overdue_count} overdue (listed first)"
        return text

    def _show_selected(self) -> None:
        row = self.table.current_record()
        portfolio = self.ctx.portfolio
        if not isinstance(row, RenewalRow) or portfolio is None:
            self.detail.show_renewal(None, (), None)
            return
        try:
            states = milestone_states(portfolio, row.account_id, today=self.today)
            proposal = renewal_proposal(portfolio, row.account_id)
        except CsdeskError as exc:  # removed meanwhile
            self.ctx.report(exc)
            self.detail.show_renewal(None, (), None)
            return
        self.detail.show_renewal(row, states, proposal)

    def _on_current_row_changed(self, *_args: object) -> None:
        self._show_selected()

    # -- page hooks ------------------------------------------------------------------------

    def on_changes(self, changes: Any) -> None:
        if not isinstance(changes, Changes):
            return
        touched = changes.accounts or changes.health or changes.tasks
        if changes.everything or touched or changes.metrics:  # usage drives expansion
            self.refresh_when_visible()
