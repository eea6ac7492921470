"""The 360's Health tab: the per-measure breakdown, the override controls, the history chart."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.rounding import round_half_up
from csdesk.services.account_detail import AccountDetail, BreakdownLine
from csdesk.views.theme import icon
from csdesk.views.widgets.charts import ChartView, draw_health_history
from csdesk.views.widgets.itemmodels import Column, RecordsModel
from csdesk.views.widgets.record_table import records_table

__all__ = ["BREAKDOWN_COLUMNS", "HealthPanel", "records_table"]


def _attainment(line: BreakdownLine) -> str:
    """The share reached, or why there is none: a usage without a plan limit is unlimited."""
    if line.attainment is not None:
        return f"{line.attainment:.0%}"
    return "no data" if line.value is None else "no limit"


def _value(line: BreakdownLine) -> str:
    if line.value is None:
        return "—"
    return f"{round_half_up(line.value, 2):,.2f}".rstrip("0").rstrip(".")  # as the exports


def _contribution(line: BreakdownLine) -> str:
    """Points added to the score; a measure without data is left out of it."""
    if line.contribution is not None:
        return f"{line.contribution:.1f}"
    return "left out" if line.no_data else "—"


BREAKDOWN_COLUMNS = (
    Column("Measure", lambda b: b.label),
    Column("Value", _value, align_right=True),
    Column(
        "Attainment",
        _attainment,
        align_right=True,
        foreground=lambda b: "muted" if b.no_data else None,
    ),
    Column("Weight", lambda b: f"{b.weight:g}", align_right=True),
    Column(
        "Contribution",
        _contribution,
        align_right=True,
        foreground=lambda b: "muted" if b.no_data else None,
    ),
)


class HealthPanel(QWidget):
    """Breakdown table, override status and buttons, and the history chart.

    Signals:
        override_requested(): the user wants to override the score.
        clear_override_requested(): the user wants the computed score back.
    """

    override_requested = Signal()
    clear_override_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breakdown = RecordsModel(BREAKDOWN_COLUMNS, self)
        self.table = records_table(self.breakdown, "Health breakdown", stretch=0)
        for column, width in ((1, 100), (2, 100), (3, 66), (4, 108)):
            self.table.horizontalHeader().resizeSection(column, width)
        self.table.reserve_width(0, 130)
        self.source = QLabel()
        self.source.setObjectName("muted")
        self.source.setWordWrap(True)
        self.override_button = QPushButton(icon("override"), "Override score…")
        self.override_button.setAccessibleName("Override the health score")
        self.override_button.clicked.connect(self.override_requested)
        self.clear_button = QPushButton("Clear override")
        self.clear_button.setAccessibleName("Clear the health override")
        self.clear_button.clicked.connect(self.clear_override_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Breakdown")
        title.setObjectName("sectionTitle")
        left_layout.addWidget(title)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.source)
        left_layout.addLayout(buttons)

        self.chart = ChartView("Health history chart")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        chart_title = QLabel("History")
        chart_title.setObjectName("sectionTitle")
        right_layout.addWidget(chart_title)
        right_layout.addWidget(self.chart, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([520, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.splitter)

    def set_detail(self, detail: AccountDetail) -> None:
        """Show an account's health."""
        self.breakdown.set_records(detail.breakdown)
        h = detail.header
        where = "last recompute" if detail.breakdown_source == "snapshot" else "current metrics"
        text = f"Model “{detail.model_name}”, from the {where}."
        if h.overridden:
            computed = (
                "no score" if h.health_computed_score is None else f"{h.health_computed_score:.1f}"
            )
            text = (
                f"Manual override {h.health_score:.1f}: “{h.health_override_reason}”. "
                f"The computed score is {computed}. " + text
            )
        elif h.health_score is None:
            text = "No score: the measures with data carry less than half the weight. " + text
        self.source.setText(text)
        self.clear_button.setVisible(h.overridden)
        draw_health_history(self.chart, [(p.as_of, p.score, p.source) for p in detail.history])

    def set_editable(self, editable: bool) -> None:
        """Enable or disable the override buttons."""
        self.override_button.setEnabled(editable)
        self.clear_button.setEnabled(editable)
