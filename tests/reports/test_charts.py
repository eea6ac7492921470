"""Report charts: date axes stay legible however long the history is."""

from __future__ import annotations

import datetime as dt

import pytest

from csdesk.reports.charts import _date_axis, _figure, _style


@pytest.mark.parametrize(("days", "most"), [(120, 5), (395, 7), (730, 7), (1500, 7)])
def test_month_labels_of_a_long_history_do_not_crowd_the_axis(days: int, most: int) -> None:
    start = dt.date(2025, 11, 26)
    dates = [start + dt.timedelta(days=d) for d in range(0, days + 1, 30)]
    with _style():
        fig, ax = _figure(6.6, 2.0)
        ax.plot(dates, [50.0] * len(dates))
        _date_axis(ax, dates)
        fig.canvas.draw()
    low, high = ax.get_xlim()
    shown = [t for t in ax.get_xticks() if low <= t <= high]
    assert 3 <= len(shown) <= most
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("’" in label for label in labels)  # month and year, e.g. Dec ’25
