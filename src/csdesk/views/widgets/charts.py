"""Matplotlib charts of the account 360: health history with band zones, metric trends.

matplotlib is imported only when the first chart is drawn (when a 360 opens), never at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from csdesk.scoring.bands import DEFAULT_THRESHOLDS
from csdesk.views.theme import color

__all__ = ["ChartView", "draw_health_history", "draw_metric", "style_axes"]


class ChartView(QWidget):
    """A widget that holds a matplotlib canvas, created on first use."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._canvas: Any = None
        self._figure: Any = None

    def figure(self) -> Any:
        """The matplotlib Figure, cleared, with the theme's colours."""
        if self._canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self._figure = Figure(figsize=(5, 2.6), dpi=100, layout="constrained")
            self._canvas = FigureCanvasQTAgg(self._figure)  # type: ignore[no-untyped-call]
            self._canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self._layout.addWidget(self._canvas)
        self._figure.clear()
        self._figure.set_facecolor(color("surface"))
        return self._figure

    def draw(self) -> None:
        """Repaint the canvas."""
        if self._canvas is not None:
            self._canvas.draw_idle()


def style_axes(ax: Any) -> None:
    """The house chart style: theme colours, no top/right spines, a light horizontal grid."""
    ax.set_facecolor(color("surface"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(color("border"))
    ax.tick_params(colors=color("muted"), labelsize=8)
    ax.grid(axis="y", color=color("chart_grid"), linewidth=0.6)
    ax.set_axisbelow(True)


def _say_empty(ax: Any, text: str) -> None:
    """Write ``text`` in the middle of an axes that has nothing to plot, without x ticks."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=color("muted"),
    )
    ax.set_xticks([])


def _date_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    # The year the ticks leave out is printed at the axis end: as small as the tick labels.
    ax.xaxis.get_offset_text().set_fontsize(8)
    ax.xaxis.get_offset_text().set_color(color("muted"))


def _number_axis(ax: Any, largest: float) -> None:
    """Thousands separators instead of matplotlib's ``1e6`` offset on large values."""
    from matplotlib.ticker import FuncFormatter

    if largest >= 10_000:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def draw_health_history(
    view: ChartView,
    points: Sequence[tuple[dt.date, float | None, str]],
) -> None:
    """Draw the health score over time on coloured band zones.

    Args:
        view: Where to draw.
        points: ``(date, score, source)``; override points are marked with a diamond.
    """
    fig = view.figure()
    ax = fig.add_subplot()
    style_axes(ax)
    for band, low, high in DEFAULT_THRESHOLDS.zones():
        ax.axhspan(low, high, color=band.color, alpha=0.13, linewidth=0)
        ax.text(
            1.0,
            (low + high) / 2,
            f" {band.value}",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=7.5,
            color=band.color,
        )
    scored = [(d, s, src) for d, s, src in points if s is not None]
    if scored:
        dates = [d for d, _, _ in scored]
        scores = [s for _, s, _ in scored]
        ax.step(dates, scores, where="post", color=color("accent"), linewidth=2)
        ax.plot(dates, scores, "o", color=color("accent"), markersize=3.5)
        overrides = [(d, s) for d, s, src in scored if src == "override"]
        if overrides:
            ax.plot(
                [d for d, _ in overrides],
                [s for _, s in overrides],
                "D",
                color=color("text"),
                markersize=6,
                label="manual override",
            )
            ax.legend(loc="lower left", fontsize=7.5, frameon=False, labelcolor=color("muted"))
        _date_axis(ax)
    else:
        _say_empty(ax, "No health history yet")
    ax.set_ylim(0, 100)
    ax.set_ylabel("Health", color=color("muted"), fontsize=8)
    view.draw()


def draw_metric(
    view: ChartView,
    title: str,
    points: Sequence[tuple[dt.date, float]],
    target: float | None = None,
) -> None:
    """Draw one metric's history, with its target as a dashed line."""
    fig = view.figure()
    ax = fig.add_subplot()
    style_axes(ax)
    if points:
        dates = [d for d, _ in points]
        values = [v for _, v in points]
        ax.plot(dates, values, color=color("accent"), linewidth=2, marker="o", markersize=3.5)
        ax.fill_between(dates, values, min(values), color=color("accent"), alpha=0.08)
        _date_axis(ax)
        _number_axis(ax, max(abs(v) for v in values))
    else:
        _say_empty(ax, "No values recorded yet")
        ax.set_yticks([])
    if target is not None:
        ax.axhline(target, color=color("good"), linestyle="--", linewidth=1.2)
        ax.text(
            0.0,
            target,
            " target",
            transform=ax.get_yaxis_transform(),
            va="bottom",
            fontsize=7.5,
            color=color("good"),
        )
    ax.set_title(title, loc="left", fontsize=9.5, color=color("text"))
    view.draw()
