"""The business-case charts (health history, usage trend), drawn with matplotlib in one style.

matplotlib is imported on first use with the Agg backend; every chart is a small figure saved
as PNG bytes in memory, so a PDF embeds it without touching the disk.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from csdesk.reports.case_types import HealthPoint, SeriesPoint
from csdesk.reports.formatting import Formats, formats_of
from csdesk.scoring.bands import DEFAULT_THRESHOLDS

__all__ = ["INK", "MUTED", "NAVY", "PALE", "Chart", "health_chart", "usage_chart"]

NAVY = "#1f3a5f"
"""Primary colour of the documents (headings, lines, bars)."""
INK = "#2b2f36"
MUTED = "#6b7280"
PALE = "#e5e7eb"
ACCENT = "#8fa9c7"
DPI = 150
_lock = threading.Lock()
_mpl: Any = None
_STYLE: dict[str, Any] = {
    "font.size": 7.5,
    "axes.edgecolor": PALE,
    "axes.labelcolor": MUTED,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": PALE,
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "legend.frameon": False,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: PNG bytes and its size on the page in points."""

    png: bytes
    width_pt: float
    height_pt: float


def _style() -> Any:
    """A context applying the house style (matplotlib imported once, pyplot never)."""
    global _mpl
    with _lock:
        if _mpl is None:
            import matplotlib
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            from csdesk.reports.fonts import use_in_matplotlib

            _STYLE["font.family"] = use_in_matplotlib()
            _mpl = (matplotlib, Figure, FigureCanvasAgg)
    return _mpl[0].rc_context(_STYLE)


def _figure(width_in: float, height_in: float) -> tuple[Any, Any]:
    """A figure on the Agg canvas, outside pyplot (no global figure registry)."""
    _matplotlib, figure_class, canvas_class = _mpl
    fig = figure_class(figsize=(width_in, height_in), dpi=DPI)
    canvas_class(fig)
    ax = fig.add_axes((0.075, 0.16, 0.9, 0.76))
    return fig, ax


def _finish(fig: Any, width_in: float, height_in: float) -> Chart:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return Chart(buffer.getvalue(), width_in * 72, height_in * 72)


_PLAIN = formats_of("USD", "en_US")


def _short_number(value: float, fm: Formats = _PLAIN) -> str:
    """An axis label in the locale's digits: ``950``, ``48k``, ``1.2M`` (``1,2M`` in de_DE)."""
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        millions = value / 1_000_000
        places = 0 if float(millions).is_integer() else 1
        return f"{fm.number(millions, places)}M"
    if magnitude >= 1_000:
        return f"{fm.number(value / 1_000)}k"
    return fm.number(value)


def _skeleton(day: dt.date, fm: Formats, named: str, numeric: str) -> str:
    """The date by a CLDR skeleton; the numeric one where the month name would be in a script
    the chart font (DejaVu Sans) does not draw, such as Chinese or Japanese."""
    from babel.dates import format_skeleton

    text = str(format_skeleton(named, day, locale=fm.locale))
    if any(ord(ch) >= 0x2E80 for ch in text):
        text = str(format_skeleton(numeric, day, locale=fm.locale))
    if any(ord(ch) >= 0x2E80 for ch in text):
        text = day.isoformat()[: 7 if "d" not in numeric else 10]
    return text


def _month_label(day: dt.date, fm: Formats) -> str:
    """``Mar ’26``-style: the month and short year in the locale (``März 26``)."""
    if fm.locale == "en_US":
        return f"{day:%b ’%y}"
    return _skeleton(day, fm, "yyMMM", "yyMM")


def _day_label(day: dt.date, fm: Formats) -> str:
    """``12 Mar``-style: the day and month in the locale (``12. März``)."""
    if fm.locale == "en_US":
        return f"{day.day} {day:%b}"
    return _skeleton(day, fm, "dMMM", "Md")


def _date_axis(ax: Any, dates: Sequence[dt.date], fm: Formats = _PLAIN) -> None:
    import matplotlib.dates
    import matplotlib.ticker as mticker

    mdates: Any = matplotlib.dates
    span = (max(dates) - min(dates)).days if dates else 0
    if span > 90:
        # At most ~7 month labels: a year of monthly ticks overlaps on a page-wide chart.
        months = -(-span // 30)
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // 7))))
        ax.xaxis.set_major_formatter(
            mticker.FuncFormatter(lambda x, _p: _month_label(mdates.num2date(x).date(), fm))
        )
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
        ax.xaxis.set_major_formatter(
            mticker.FuncFormatter(lambda x, _p: _day_label(mdates.num2date(x).date(), fm))
        )
    if len(dates) == 1:
        only = dates[0]
        ax.set_xlim(only - dt.timedelta(days=20), only + dt.timedelta(days=20))


def health_chart(
    history: Sequence[HealthPoint],
    width_in: float = 6.6,
    height_in: float = 2.1,
    *,
    formats: Formats = _PLAIN,
) -> Chart:
    """A line of the health score over time on the four band zones.

    Args:
        history: Scored snapshots, oldest first (at least one).
        width_in: Figure width in inches.
        height_in: Figure height in inches.
        formats: The locale's numbers and month names for the labels.

    Returns:
        The chart.
    """
    with _style():
        return _health(history, width_in, height_in, formats)


def _health(
    history: Sequence[HealthPoint], width_in: float, height_in: float, fm: Formats
) -> Chart:
    from csdesk.scoring.bands import band_for

    fig, ax = _figure(width_in, height_in)
    for band, floor, top in DEFAULT_THRESHOLDS.zones():
        ax.axhspan(floor, top, color=band.color, alpha=0.10, linewidth=0)
        ax.text(
            1.0,
            (floor + top) / 2,
            f" {band.value}",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=6.5,
            color=band.color,
            clip_on=False,
        )
    dates = [p.as_of for p in history]
    scores = [p.score for p in history]
    ax.plot(dates, scores, color=NAVY, linewidth=1.6, zorder=3)
    colors = [point.color if (point := band_for(s)) else NAVY for s in scores]
    ax.scatter(dates, scores, s=16, c=colors, edgecolors="white", linewidths=0.8, zorder=4)
    ax.annotate(
        fm.number(scores[-1], 1),
        (dates[-1], scores[-1]),
        xytext=(0, 7),
        textcoords="offset points",
        ha="center",
        fontsize=7.5,
        color=NAVY,
        fontweight="bold",
    )
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 70, 90, 100])
    ax.grid(False)
    _date_axis(ax, dates, fm)
    ax.set_position((0.06, 0.16, 0.84, 0.76))
    return _finish(fig, width_in, height_in)


def _bar_labels(dates: Sequence[dt.date], fm: Formats) -> list[str]:
    """One label per bar: the month, or the day and month when a month has several points."""
    months = [(d.year, d.month) for d in dates]
    if len(set(months)) == len(months):
        return [_month_label(d, fm) for d in dates]
    return [_day_label(d, fm) for d in dates]


def usage_chart(
    usage: Sequence[SeriesPoint],
    limit: float | None,
    limit_label: str,
    width_in: float = 6.6,
    height_in: float = 2.1,
    *,
    formats: Formats = _PLAIN,
) -> Chart:
    """Monthly usage as bars, with the usage limit or included volume as a dashed line.

    Args:
        usage: Usage points, oldest first (at least one).
        limit: The limit to draw, or None.
        limit_label: Legend text of the limit line.
        width_in: Figure width in inches.
        height_in: Figure height in inches.
        formats: The locale's numbers and month names for the labels.

    Returns:
        The chart.
    """
    with _style():
        return _usage(usage, limit, limit_label, width_in, height_in, formats)


def _usage(
    usage: Sequence[SeriesPoint],
    limit: float | None,
    limit_label: str,
    width_in: float,
    height_in: float,
    fm: Formats,
) -> Chart:
    import matplotlib.ticker as mticker

    fig, ax = _figure(width_in, height_in)
    values = [p.value for p in usage]
    colors = [ACCENT] * (len(values) - 1) + [NAVY]
    positions = range(len(values))
    ax.bar(positions, values, width=0.62, color=colors, zorder=2, label="Usage")
    top = max(values + ([limit] if limit else []))
    if limit:
        ax.axhline(limit, color="#b45309", linestyle=(0, (4, 3)), linewidth=1.1, zorder=3)
        ax.annotate(
            f"{limit_label} {_short_number(limit, fm)}",
            (1.0, limit),
            xycoords=ax.get_yaxis_transform(),
            xytext=(0, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=6.5,
            color="#b45309",
        )
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _p: _short_number(v, fm)))
    if top > 0:
        ax.set_ylim(0, top * 1.18)
        ax.yaxis.set_major_locator(mticker.MaxNLocator(4, integer=True))
    else:
        ax.set_ylim(0, 1)
        ax.set_yticks([0])
    labels = _bar_labels([p.as_of for p in usage], fm)
    step = 1 if len(labels) <= 13 else 2
    ax.set_xticks(list(positions)[::-step][::-1], labels[::-step][::-1])
    ax.set_xlim(-0.6, len(values) - 0.4)
    ax.grid(axis="x", visible=False)
    ax.set_position((0.075, 0.16, 0.9, 0.76))
    return _finish(fig, width_in, height_in)
