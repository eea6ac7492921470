"""The Health model page: does the health score warn of churn? A backtest on the portfolio's
renewal outcomes, its charts, each measure's weight and AUC, and the suggested weights with
"Save as new model"."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.backtest import DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS
from csdesk.services.backtest import (
    BacktestReport,
    MeasureAuc,
    model_choices,
    run_backtest,
    save_suggested_model,
)
from csdesk.services.changes import Changes
from csdesk.views.health_model.charts import draw_band_churn, draw_roc
from csdesk.views.page import AppContext, RefreshingPage
from csdesk.views.widgets.charts import ChartView
from csdesk.views.widgets.itemmodels import Column, RecordsModel
from csdesk.views.widgets.page_widgets import card
from csdesk.views.widgets.record_table import EmptyTextTable

__all__ = ["HealthModelPage", "measure_columns"]


def _auc_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def measure_columns(report: BacktestReport | None) -> tuple[Column, ...]:
    """Measure, current weight, suggested weight (when there is one) and the measure's AUC."""
    total = sum(m.weight for m in report.measures) if report else 0.0
    columns = [
        Column("Measure", lambda m: m.label),
        Column(
            "Weight now",
            lambda m: f"{100 * m.weight / total:.1f}" if total else "—",
            align_right=True,
        ),
    ]
    if report is not None and report.suggested is not None:
        weights = report.suggested.weights
        columns.append(Column("Suggested", lambda m: f"{weights[m.key]:.1f}", align_right=True))
    columns.append(
        Column(
            "Its own AUC",
            lambda m: _auc_text(m.auc),
            align_right=True,
            tooltip=lambda m: f"from {m.cases:,} outcomes with data for this measure",
            foreground=lambda m: None if m.auc is None else ("good" if m.auc >= 0.65 else None),
        )
    )
    return tuple(columns)


class HealthModelPage(RefreshingPage):
    """A backtest of a chosen health model, run off the GUI thread when the page is shown."""

    title = "Health model"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Health model page")
        self.report: BacktestReport | None = None
        heading = QLabel("Health model")
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel(
            "Does the health score warn of churn? Each renewal outcome is scored from the "
            "metrics as they were before it."
        )
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.model_box = QComboBox()
        self.model_box.setAccessibleName("Health model to test")
        self.model_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_box.setMinimumContentsLength(14)
        self.horizon = QSpinBox()
        self.horizon.setRange(1, MAX_HORIZON_DAYS)
        self.horizon.setValue(DEFAULT_HORIZON_DAYS)
        self.horizon.setSuffix(" days before")
        self.horizon.setAccessibleName("Horizon in days")
        self.run_button = QPushButton("Run backtest")
        self.save_button = QPushButton("Save as new model…")
        self.save_button.setEnabled(False)
        self.verdict = QLabel()
        self.verdict.setObjectName("sectionTitle")
        self.verdict.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.band_chart = ChartView("Churn rate per band chart")
        self.roc_chart = ChartView("ROC curve chart")
        self.measures_model = RecordsModel(measure_columns(None), self)
        self.measures = EmptyTextTable()
        self.measures.setModel(self.measures_model)
        self.measures.make_read_only(28).setStretchLastSection(True)
        self._size_columns()
        self.measures.setAccessibleName("Measures, weights and AUC")
        self.measures.set_empty_text("Run a backtest to see each measure")

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Model"))
        controls.addWidget(self.model_box)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Scored"))
        controls.addWidget(self.horizon)
        controls.addWidget(self.run_button)
        controls.addStretch(1)
        controls.addWidget(self.save_button)
        charts = QHBoxLayout()
        charts.setSpacing(12)
        charts.addWidget(card("Churned, by band before the outcome", self.band_chart), 1)
        charts.addWidget(card("ROC curve: how early warnings trade off", self.roc_chart), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle)
        layout.addLayout(controls)
        layout.addWidget(self.verdict)
        layout.addWidget(self.detail)
        layout.addLayout(charts, 5)
        layout.addWidget(card("Measures", self.measures), 4)

        self.run_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def _size_columns(self) -> None:
        for column, width in enumerate((200, 110, 110)):
            self.measures.setColumnWidth(column, width)

    def _fill_models(self, *, keep_choice: bool = True) -> None:
        """List the models; select the one chosen before, else the portfolio's own."""
        chosen = self.model_box.currentText() if keep_choice else ""
        portfolio = self.ctx.portfolio
        names, current = model_choices(portfolio) if portfolio is not None else ([], "")
        self.model_box.clear()
        self.model_box.addItems(names)
        self.model_box.setCurrentText(chosen or current)

    def reload(self) -> None:
        """Run the backtest of the chosen model on the worker thread and show it."""
        self._stale = False
        portfolio = self.ctx.portfolio
        if portfolio is None:
            self.show_report(None)
            return
        if not self.model_box.count():
            self._fill_models()
        model = self.model_box.currentText() or None
        horizon = self.horizon.value()
        self.run_button.setEnabled(False)
        self.verdict.setText("Scoring the outcomes…")
        self.ctx.worker.submit(
            lambda _progress: run_backtest(portfolio, model=model, horizon_days=horizon),
            "Backtesting the health model",
            on_done=self.show_report,
            on_error=self._on_failed,
        )

    def _on_failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.verdict.setText("The backtest could not run.")
        self.ctx.report(exc)

    def show_report(self, report: BacktestReport | None) -> None:
        """Show ``report`` (None: no portfolio)."""
        self.report = report
        self.run_button.setEnabled(True)
        self.save_button.setEnabled(report is not None and report.suggested is not None)
        self.measures_model = RecordsModel(measure_columns(report), self)
        self.measures.setModel(self.measures_model)
        self._size_columns()
        if report is None:
            self.verdict.setText("No portfolio open")
            self.detail.clear()
            return
        self.measures_model.set_records(report.measures)
        verdict = report.verdict()
        self.verdict.setText(verdict[:1].upper() + verdict[1:])
        self.detail.setText(self._detail(report))
        draw_band_churn(self.band_chart, report.bands)
        draw_roc(self.roc_chart, report.roc, report.auc)

    @staticmethod
    def _detail(report: BacktestReport) -> str:
        parts = [
            f"{report.outcomes:,} outcomes scored {report.horizon_days} days before "
            f"({report.churned:,} churned)"
        ]
        if report.insufficient_data:
            parts.append(f"{report.insufficient_data:,} had too little history then")
        flag = report.flag
        if flag.precision is not None and flag.recall is not None:
            parts.append(
                f"At Risk or Critical caught {flag.recall:.0%} of churns; "
                f"{flag.precision:.0%} of those flagged churned"
            )
        if report.suggested is not None:
            fitted, current = report.suggested.auc_cv, report.suggested.current_auc_cv
            parts.append(
                f"suggested weights: cross-validated AUC {fitted:.2f} "
                f"against {current:.2f} for the current weights"
                + ("" if fitted > current else " (the current weights do as well or better)")
            )
        elif report.reason:
            parts.append(f"no suggested weights: {report.reason}")
        return " · ".join(parts)

    def measure_record(self, row: int) -> MeasureAuc | None:
        """The measure on ``row``."""
        record = self.measures_model.record(row)
        return record if isinstance(record, MeasureAuc) else None

    def _on_save_button_clicked(self) -> None:
        report = self.report
        if report is None or report.suggested is None:
            return
        name, ok = QInputDialog.getText(
            self, "Save as new model", "Name of the new model:", text=f"{report.model}-fitted"
        )
        if ok and name.strip():
            self.save_as(name)

    def save_as(self, name: str) -> None:
        """Save the suggestion as a new TOML model named ``name``."""
        if self.report is None or self.ctx.portfolio is None:
            return
        try:
            model = save_suggested_model(self.ctx.portfolio, self.report, name)
        except Exception as exc:  # a bad name or a full disk: said in the window
            self.ctx.report(exc)
            return
        self._fill_models()
        self.ctx.status_posted.emit(
            f"Saved health model {model.name}; choose it in Settings to use it for recompute"
        )
        self.ctx.notify(Changes(activity=True))

    def on_portfolio_changed(self) -> None:
        self._fill_models(keep_choice=False)
        super().on_portfolio_changed()

    def on_changes(self, changes: Any) -> None:
        if isinstance(changes, Changes) and (changes.everything or changes.metrics):
            self.refresh_when_visible()
