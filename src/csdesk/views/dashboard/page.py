"""The Dashboard page: portfolio KPIs, health distribution and ARR by band, at-risk accounts and
overdue tasks, each opening the account 360."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from csdesk.services.changes import Changes
from csdesk.services.dashboard import AtRiskAccount, Dashboard, OverdueTask, load_dashboard
from csdesk.views.dashboard.kpi_tiles import KpiStrip
from csdesk.views.page import AppContext, RefreshingPage
from csdesk.views.widgets.charts import ChartView
from csdesk.views.widgets.itemmodels import Column, RecordsModel, money
from csdesk.views.widgets.page_widgets import AccountList, RecordBandDelegate
from csdesk.views.widgets.portfolio_charts import draw_arr_by_band, draw_band_counts

__all__ = ["AT_RISK_COLUMNS", "OVERDUE_COLUMNS", "DashboardPage"]

AT_RISK_COLUMNS = (
    Column("Account", lambda a: a.name, tooltip=lambda a: f"CSM {a.owner or '—'}"),
    Column("Health", lambda a: f"{a.health_score:.1f}"),
    Column("ARR", lambda a: money(a.arr) or "—", align_right=True),
    Column("Renewal", lambda a: a.renewal_date.isoformat() if a.renewal_date else "—"),
    Column(
        "Open tasks",
        lambda a: str(a.open_tasks) if a.open_tasks else "–",
        align_right=True,
        foreground=lambda a: None if a.open_tasks else "muted",
    ),
)
OVERDUE_COLUMNS = (
    Column("Due", lambda t: t.due_on.isoformat()),
    Column("Late", lambda t: f"{t.days_overdue} d", align_right=True, foreground=lambda t: "bad"),
    Column("Account", lambda t: t.account_name),
    Column("Task", lambda t: t.title, tooltip=lambda t: f"{t.title} ({t.type})"),
)


def _card(title: str, body: QWidget, note: QLabel | None = None) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    heading = QLabel(title)
    heading.setObjectName("sectionTitle")
    head = QHBoxLayout()
    head.addWidget(heading, 1)
    if note is not None:
        note.setObjectName("muted")
        head.addWidget(note)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(6)
    layout.addLayout(head)
    layout.addWidget(body, 1)
    return card


class DashboardPage(RefreshingPage):
    """KPI tiles, the two band charts, and the at-risk and overdue lists."""

    title = "Dashboard"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Dashboard page")
        self.board: Dashboard | None = None
        heading = QLabel("Dashboard")
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.kpis = KpiStrip()
        self.band_chart = ChartView("Health distribution chart")
        self.arr_chart = ChartView("ARR by band chart")
        self.at_risk_model = RecordsModel(AT_RISK_COLUMNS, self)
        self.at_risk = AccountList(
            self.at_risk_model, "At-risk accounts", (150, 120, 92, 102, 90), stretch=0
        )
        self.at_risk.setItemDelegateForColumn(1, RecordBandDelegate(self.at_risk))
        self.at_risk_count = QLabel()
        self.overdue_model = RecordsModel(OVERDUE_COLUMNS, self)
        self.overdue = AccountList(self.overdue_model, "Overdue tasks", (96, 56, 170))
        self.overdue_count = QLabel()
        self.at_risk.set_empty_text("No active or pilot account is At Risk or Critical")
        self.overdue.set_empty_text("No overdue tasks")

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(heading)
        titles.addWidget(self.subtitle)
        charts = QHBoxLayout()
        charts.setSpacing(12)
        charts.addWidget(_card("Health distribution", self.band_chart), 1)
        charts.addWidget(_card("ARR by band", self.arr_chart), 1)
        lists = QHBoxLayout()
        lists.setSpacing(12)
        lists.addWidget(_card("At-risk accounts", self.at_risk, self.at_risk_count), 1)
        lists.addWidget(_card("Overdue tasks", self.overdue, self.overdue_count), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(titles)
        layout.addWidget(self.kpis)
        layout.addLayout(charts, 4)
        layout.addLayout(lists, 5)

        self.at_risk.account_activated.connect(self.ctx.account_requested)
        self.overdue.account_activated.connect(self.ctx.account_requested)

    def reload(self) -> None:
        """Read the dashboard again and redraw it."""
        self._stale = False
        portfolio = self.ctx.portfolio
        if portfolio is None:
            self.board = None
            self.subtitle.setText("No portfolio open")
            self.at_risk_model.set_records([])
            self.overdue_model.set_records([])
            return
        board = load_dashboard(portfolio, today=dt.date.today())
        self.board = board
        self.subtitle.setText(
            f"As of {board.as_of.isoformat()} · NPS, CSAT and SLA over the last 90 days "
            f"(since {board.kpi_start.isoformat()}) · retention over the trailing 12 months · "
            "double-click an account or task to open it"
        )
        self.kpis.show_dashboard(board)
        draw_band_counts(self.band_chart, board.figures.band_counts)
        draw_arr_by_band(self.arr_chart, board.figures.arr_by_band)
        self.at_risk_model.set_records(board.at_risk)
        self.overdue_model.set_records(board.overdue_tasks)
        self.at_risk_count.setText(self._count(len(board.at_risk), board.at_risk_total))
        self.overdue_count.setText(self._count(len(board.overdue_tasks), board.overdue_total))

    @staticmethod
    def _count(shown: int, total: int) -> str:
        return f"{total:,}" if shown == total else f"{shown:,} of {total:,}"

    def at_risk_record(self, row: int) -> AtRiskAccount | None:
        """The at-risk account on ``row``."""
        record = self.at_risk_model.record(row)
        return record if isinstance(record, AtRiskAccount) else None

    def overdue_record(self, row: int) -> OverdueTask | None:
        """The overdue task on ``row``."""
        record = self.overdue_model.record(row)
        return record if isinstance(record, OverdueTask) else None

    def on_changes(self, changes: Any) -> None:
        if not isinstance(changes, Changes):
            return
        relevant = changes.everything or changes.accounts or changes.health or changes.tasks
        if relevant or changes.metrics or changes.support:
            self.refresh_when_visible()
