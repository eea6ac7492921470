"""Charts of the Renewals and Dashboard pages: forecast by month, accounts and ARR by band.

Drawn on :class:`~csdesk.views.widgets.charts.ChartView` (matplotlib is imported when the first
chart is drawn), in the same style as the account 360's charts: no top/right spines, light grid,
theme colours, band colours for bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from csdesk.scoring.bands import Band
from csdesk.services.renewals import MonthForecast
from csdesk.views.number_format import window_formats
from csdesk.views.theme import color
from csdesk.views.widgets.charts import ChartView, style_axes

__all__ = ["band_colour", "draw_arr_by_band", "draw_band_counts", "draw_forecast"]


def band_colour(name: str) -> str:
    """The colour of a band name (grey for "No score")."""
    try:
        return Band(name).color
    except ValueError:
        return color("muted")


def _axes(view: ChartView) -> Any:
    fig = view.figure()
    ax = fig.add_subplot()
    style_axes(ax)
    return ax


def _money_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    formats = window_formats()
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: formats.money_compact(value)))


def _title(ax: Any, text: str) -> None:
    ax.set_title(text, loc="left", fontsize=9.5, color=color("text"))


def draw_forecast(view: ChartView, months: Sequence[MonthForecast]) -> None:
    """Renewing ARR per month as light bars, the forecast (ARR × likelihood) as solid bars."""
    ax = _axes(view)
    labels = [m.month.strftime("%b %y") for m in months]
    positions = list(range(len(months)))
    ax.bar(
        positions,
        [m.arr for m in months],
        width=0.7,
        color=color("accent"),
        alpha=0.22,
        label="ARR due",
    )
    ax.bar(
        positions,
        [m.forecast for m in months],
        width=0.42,
        color=color("accent"),
        label="Forecast ARR",
    )
    for x, month in zip(positions, months, strict=True):
        if month.count:
            ax.text(
                x,
                month.arr,
                str(month.count),
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=color("muted"),
            )
    ax.set_xticks(positions, labels)
    _money_axis(ax)
    ax.margins(y=0.12)
    ax.legend(loc="upper right", fontsize=7.5, frameon=False, labelcolor=color("muted"))
    _title(ax, "Renewals by month — ARR due, forecast, and how many")
    view.draw()


def _band_bars(
    view: ChartView, items: Sequence[tuple[str, float]], title: str | None, *, money: bool
) -> None:
    ax = _axes(view)
    names = [name for name, _ in items]
    values = [value for _, value in items]
    positions = list(range(len(items)))
    ax.bar(positions, values, width=0.62, color=[band_colour(n) for n in names])
    for x, value in zip(positions, values, strict=True):
        shown = window_formats().money_compact(value) if money else window_formats().number(value)
        ax.text(x, value, shown, ha="center", va="bottom", fontsize=8, color=color("text"))
    ax.set_xticks(positions, names)
    if money:
        _money_axis(ax)
    else:
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.15)
    if title:
        _title(ax, title)
    view.draw()


def draw_band_counts(
    view: ChartView, counts: Sequence[tuple[str, int]], title: str | None = None
) -> None:
    """Active and pilot accounts per health band, in band colours."""
    _band_bars(view, [(n, float(c)) for n, c in counts], title, money=False)


def draw_arr_by_band(
    view: ChartView, totals: Sequence[tuple[str, Decimal | float]], title: str | None = None
) -> None:
    """ARR per health band, in band colours."""
    _band_bars(view, [(n, float(v)) for n, v in totals], title, money=True)
