"""Charts of the Health model page: churn rate per band (with counts) and the ROC curve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csdesk.scoring.backtest import BandOutcomes
from csdesk.views.theme import color
from csdesk.views.widgets.charts import ChartView, style_axes

__all__ = ["draw_band_churn", "draw_roc"]


def _axes(view: ChartView) -> Any:
    ax = view.figure().add_subplot()
    style_axes(ax)
    return ax


def _say(ax: Any, view: ChartView, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=color("muted"))
    ax.set_xticks([])
    ax.set_yticks([])
    view.draw()


def draw_band_churn(view: ChartView, bands: Sequence[BandOutcomes]) -> None:
    """Share of each band's accounts (as scored before the outcome) that churned."""
    from matplotlib.ticker import PercentFormatter

    ax = _axes(view)
    if not any(b.accounts for b in bands):
        _say(ax, view, "No scored outcomes yet")
        return
    positions = list(range(len(bands)))
    rates = [100 * (b.churn_rate or 0.0) for b in bands]
    ax.bar(positions, rates, width=0.62, color=[b.band.color for b in bands])
    for x, band, rate in zip(positions, bands, rates, strict=True):
        label = f"{band.churned} of {band.accounts}" if band.accounts else "none"
        ax.text(x, rate, label, ha="center", va="bottom", fontsize=8, color=color("text"))
    ax.set_xticks(positions, [b.band.value for b in bands])
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.margins(y=0.18)
    view.draw()


def draw_roc(view: ChartView, points: Sequence[tuple[float, float]], auc: float | None) -> None:
    """The ROC curve of the score as a churn warning, with the chance diagonal."""
    ax = _axes(view)
    if not points:
        _say(ax, view, "Needs both renewals and churns")
        return
    ax.plot([0, 1], [0, 1], linestyle="--", linewidth=1, color=color("border"), label="Chance")
    ax.plot(
        [p[0] for p in points],
        [p[1] for p in points],
        linewidth=2,
        color=color("accent"),
        label=f"Health score (AUC {auc:.2f})" if auc is not None else "Health score",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Renewed accounts flagged", fontsize=8, color=color("muted"))
    ax.set_ylabel("Churned accounts flagged", fontsize=8, color=color("muted"))
    ax.legend(loc="lower right", fontsize=7.5, frameon=False, labelcolor=color("muted"))
    view.draw()
