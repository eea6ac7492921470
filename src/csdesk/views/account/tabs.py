"""Read-mostly tabs of the 360: metric trends, contacts, support and surveys, the timeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csdesk.services.account_detail import AccountDetail, MetricSeries, TicketRow
from csdesk.views.widgets.charts import ChartView, draw_metric
from csdesk.views.widgets.itemmodels import Column, RecordsModel
from csdesk.views.widgets.record_table import records_table

__all__ = ["ContactsTab", "MetricsTab", "SupportTab", "TimelineTab", "metric_label"]


METRIC_LABELS = {
    "usage": "Usage",
    "usage_limit": "Usage limit",
    "logins_30d": "Logins (30 days)",
    "open_tickets": "Open tickets",
    "payments_current": "Payments current",
    "features_used": "Features used",
    "features_total": "Features total",
    "posts_per_week": "Posts / week",
    "inquiries_per_month": "Inquiries / month",
    "lead_quality": "Lead quality",
    "qa_hours_saved_per_month": "QA hours saved / month",
    "precision": "Precision",
    "recall": "Recall",
    "latency_p95_ms": "Latency p95 (ms)",
    "uptime_pct": "Uptime %",
}


def metric_label(key: str) -> str:
    """A metric's display name: ``logins_30d`` → ``Logins (30 days)``, others spaced out."""
    if key in METRIC_LABELS:
        return METRIC_LABELS[key]
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _vs_target(series: MetricSeries) -> str | None:
    if series.target is None or series.latest is None:
        return None
    met = (
        series.latest >= series.target
        if series.higher_is_better
        else (series.latest <= series.target)
    )
    return "good" if met else "bad"


METRIC_COLUMNS = (
    Column("Metric", lambda m: metric_label(m.metric)),
    Column("Latest", lambda m: _num(m.latest), align_right=True, foreground=_vs_target),
    Column("Target", lambda m: _num(m.target), align_right=True),
    Column("Points", lambda m: str(len(m.points)), align_right=True),
)
CONTACT_COLUMNS = (
    Column(
        "Name",
        lambda c: c.name + ("  ★" if c.executive_sponsor else ""),
        tooltip=lambda c: "Executive sponsor" if c.executive_sponsor else None,
    ),
    Column("Role", lambda c: c.role or ""),
    Column("Email", lambda c: c.email or ""),
)


def _sla_text(t: TicketRow) -> str:
    if t.sla.met is True:
        return "Met"
    if t.sla.met is False:
        return f"Breached ({t.sla.reason.replace(' breached', '')})" if t.sla.reason else "Breached"
    return "Pending"


TICKET_COLUMNS = (
    Column("Ticket", lambda t: t.external_id or f"#{t.id}"),
    Column("Subject", lambda t: t.subject or ""),
    Column("Priority", lambda t: t.priority),
    Column("Status", lambda t: t.status or ("resolved" if t.resolved_at else "open")),
    Column("Opened", lambda t: _when(t.opened_at)),
    Column("First response", lambda t: _when(t.first_response_at)),
    Column("Resolved", lambda t: _when(t.resolved_at)),
    Column(
        "SLA", _sla_text, foreground=lambda t: {True: "good", False: "bad"}.get(t.sla.met, "warn")
    ),
)
SURVEY_COLUMNS = (
    Column("Date", lambda s: s.responded_on.isoformat()),
    Column("Respondent", lambda s: s.respondent or ""),
    Column(
        "NPS",
        lambda s: "" if s.nps is None else str(s.nps),
        align_right=True,
        foreground=lambda s: (
            None if s.nps is None else ("good" if s.nps >= 9 else "bad" if s.nps <= 6 else "muted")
        ),
    ),
    Column("CSAT", lambda s: "" if s.csat is None else str(s.csat), align_right=True),
    Column("Comment", lambda s: s.comment or ""),
)
ACTIVITY_COLUMNS = (
    Column("When", lambda a: a.at.strftime("%Y-%m-%d %H:%M")),
    Column("Who", lambda a: a.actor),
    Column("What", lambda a: a.kind),
    Column("Summary", lambda a: a.summary, tooltip=lambda a: a.summary),
)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class MetricsTab(QWidget):
    """Metric list with latest value against target, and the selected metric's trend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(METRIC_COLUMNS, self)
        self.table = records_table(
            self.model,
            "Metrics",
            stretch=0,
            empty_text="No metric values for this account yet. Import a metrics file, or an "
            "accounts file with metric columns (Ctrl+I).",
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        for column, width in ((1, 90), (2, 80), (3, 64)):
            self.table.horizontalHeader().resizeSection(column, width)
        self.table.reserve_width(0, 180)
        self.chart = ChartView("Metric trend chart")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([420, 780])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(splitter)
        self._current = ""

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's metrics, keeping the selected metric if it is still there."""
        keep = self._current
        self.model.set_records(detail.metrics)
        keys = [m.metric for m in detail.metrics]
        row = keys.index(keep) if keep in keys else (keys.index("usage") if "usage" in keys else 0)
        if keys:
            self.table.selectRow(row)
            self._draw(detail.metrics[row])
        else:
            self._current = ""
            draw_metric(self.chart, "", [], None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        series = self.model.record(current.row())
        if isinstance(series, MetricSeries):
            self._draw(series)

    def _draw(self, series: MetricSeries) -> None:
        self._current = series.metric
        draw_metric(self.chart, metric_label(series.metric), series.points, series.target)


class ContactsTab(QWidget):
    """The people at the account (executive sponsors first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(CONTACT_COLUMNS, self)
        self.table = records_table(
            self.model,
            "Contacts",
            empty_text="No contacts for this account yet. Import a contacts file (Ctrl+I) to "
            "see the people you work with and the executive sponsor.",
        )
        for col, width in enumerate((220, 200)):
            self.table.horizontalHeader().resizeSection(col, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.table)

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's contacts."""
        self.model.set_records(detail.contacts)


class SupportTab(QWidget):
    """Tickets with their SLA status, and survey answers with NPS and CSAT."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tickets = RecordsModel(TICKET_COLUMNS, self)
        self.ticket_table = records_table(
            self.tickets,
            "Support tickets",
            stretch=1,
            empty_text="No support tickets for this account. Import a tickets export from your "
            "help desk (Ctrl+I) to see them with their SLA status.",
        )
        for col, width in enumerate((90, 260, 70, 90, 150, 150, 150, 170)):
            self.ticket_table.horizontalHeader().resizeSection(col, width)
        self.ticket_summary = QLabel()
        self.ticket_summary.setObjectName("muted")
        self.surveys = RecordsModel(SURVEY_COLUMNS, self)
        self.survey_table = records_table(
            self.surveys,
            "Survey responses",
            empty_text="No survey answers from this account yet. Import NPS or CSAT "
            "responses (Ctrl+I).",
        )
        for col, width in enumerate((100, 200, 60, 60)):
            self.survey_table.horizontalHeader().resizeSection(col, width)
        self.survey_summary = QLabel()
        self.survey_summary.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        head = QHBoxLayout()
        head.addWidget(_title("Tickets"))
        head.addStretch(1)
        head.addWidget(self.ticket_summary)
        layout.addLayout(head)
        layout.addWidget(self.ticket_table, 3)
        head = QHBoxLayout()
        head.addWidget(_title("Surveys"))
        head.addStretch(1)
        head.addWidget(self.survey_summary)
        layout.addLayout(head)
        layout.addWidget(self.survey_table, 2)

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's tickets and survey answers."""
        self.tickets.set_records(detail.tickets)
        decided = [t for t in detail.tickets if t.sla.met is not None]
        met = sum(1 for t in decided if t.sla.met)
        open_count = sum(1 for t in detail.tickets if t.resolved_at is None)
        if detail.tickets:
            self.ticket_summary.setText(
                f"{_count(len(detail.tickets), 'ticket')} · {open_count} open · "
                + (f"SLA met on {met} of {len(decided)}" if decided else "no SLA decided yet")
            )
        else:
            self.ticket_summary.setText("No tickets")
        self.surveys.set_records(detail.surveys)
        nps = "—" if detail.nps is None else f"{detail.nps:+.0f}"
        csat = (
            "—"
            if detail.csat is None
            else f"{detail.csat.mean:.2f} ({detail.csat.pct_satisfied:.0f}% satisfied)"
        )
        answers = _count(len(detail.surveys), "answer")
        self.survey_summary.setText(
            f"NPS {nps}  ·  CSAT {csat}  ·  {answers}" if detail.surveys else "No answers"
        )


class TimelineTab(QWidget):
    """Add a note; the activity timeline, newest first.

    Signals:
        note_added(str): the user wrote a note.
    """

    note_added = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Write a note about a call, a meeting, a decision…")
        self.note.setAccessibleName("New note")
        self.note.setFixedHeight(64)
        self.add_button = QPushButton("Add note")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self._on_add)
        self.note.textChanged.connect(
            lambda: self.add_button.setEnabled(bool(self.note.toPlainText().strip()))
        )
        self.add_button.setEnabled(False)
        self.model = RecordsModel(ACTIVITY_COLUMNS, self)
        self.table = records_table(
            self.model,
            "Activity timeline",
            empty_text="Nothing on the timeline yet. Imports, edits, exports and your notes "
            "about this account appear here, newest first.",
        )
        for col, width in enumerate((130, 110, 70)):
            self.table.horizontalHeader().resizeSection(col, width)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def _on_add(self) -> None:
        text = self.note.toPlainText().strip()
        if text:
            self.note_added.emit(text)
            self.note.clear()

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's timeline."""
        self.model.set_records(detail.activity)

    def set_editable(self, editable: bool) -> None:
        """Enable or disable adding notes."""
        self.note.setEnabled(editable)
