"""The Health model page offscreen: the demo's backtest, its charts and table, saving a model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from csdesk.services.backtest import run_backtest
from csdesk.services.health_models import available_models


def _shown(window: Any, qtbot: Any) -> Any:
    page = window.show_page("health_model")
    qtbot.waitUntil(lambda: page.report is not None, timeout=30000)
    return page


def test_the_page_shows_the_demo_backtest_as_the_service_computes_it(
    window: Any, qtbot: Any
) -> None:
    page = _shown(window, qtbot)
    expected = run_backtest(window.ctx.portfolio)
    report = page.report
    assert report.to_json() == expected.to_json()
    assert report.outcomes >= 30 and report.churned >= 5, "the demo carries real outcomes"
    assert report.suggested is not None and page.save_button.isEnabled()
    assert page.verdict.text().startswith("The score warned of churn")
    assert f"{report.outcomes:,} outcomes scored 90 days before" in page.detail.text()
    # A suggestion that does no better on held-out outcomes says so.
    better = report.suggested.auc_cv > report.suggested.current_auc_cv
    assert ("the current weights do as well or better" in page.detail.text()) is not better
    model = page.measures_model
    assert model.rowCount() == len(report.measures)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Measure", "Weight now", "Suggested", "Its own AUC"]
    usage = next(r for r in range(model.rowCount()) if page.measure_record(r).key == "usage")
    assert model.index(usage, 3).data() == f"{report.measures[usage].auc:.2f}"
    weights = [float(model.index(r, 1).data()) for r in range(model.rowCount())]
    assert sum(weights) == 100.0
    for chart in (page.band_chart, page.roc_chart):
        assert chart._figure is not None and chart._figure.axes


def test_a_shorter_horizon_runs_again_and_saving_adds_a_model(window: Any, qtbot: Any) -> None:
    page = _shown(window, qtbot)
    page.horizon.setValue(30)
    page.report = None
    page.run_button.click()
    qtbot.waitUntil(lambda: page.report is not None, timeout=30000)
    assert page.report.horizon_days == 30
    page.save_as("demo-fitted")
    assert "demo-fitted" in available_models()
    assert page.model_box.findText("demo-fitted") >= 0
    assert window.statusBar().currentMessage().startswith("Saved health model demo-fitted")
