"""The portfolio view inside the real window on 100,000 accounts (complements view_bench).

``view_bench`` times the services; this runs the window in a child process (Qt offscreen) and
times what the user waits for: a header click (SQL query, model reset, repaint) per column,
type-to-filter and a facet filter; then scrolls the whole table and reports how many 200-row
pages were fetched and the process's peak RSS after all of it (≤ 350 MB).
Run on its own: ``python benchmarks/window_bench.py [--quick]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from common import QUICK, Row, Sizes, absolute_row, child_env, run_child
from portfolio_data import build_portfolio

_WINDOW = r"""
import json, statistics, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from csdesk.views.main_window import MainWindow
from csdesk.views.settings import Settings
from csdesk.services.portfolio_table import COLUMNS
win = MainWindow(Settings(sys.argv[2]))
win.show()
win.open_portfolio(sys.argv[1], offer_welcome=False)
app.processEvents()
view = win.portfolio_page().list
runs = int(sys.argv[3])
def timed(fn):
    times = []
    for _ in range(runs):
        started = time.perf_counter(); fn(); app.processEvents()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
out = {"sort": {}, "filter": {}}
for key, _ in COLUMNS:
    for desc in (False, True):
        out["sort"][f"{key}{' desc' if desc else ''}"] = timed(
            lambda: view._on_model_sort_requested(key, desc))
view._on_model_sort_requested("name", False)
def search(text):
    view.search.setText(text); view.run_query()
out["filter"]["search 'labs 12'"] = timed(lambda: search("labs 12"))
out["filter"]["search 'priya'"] = timed(lambda: search("priya"))
search("")
band = view.filters["bands"]
def toggle_band():
    band.set_selected(frozenset({"Critical", "No score"}))
    band.set_selected(frozenset())
out["filter"]["band on+off (2 queries)"] = timed(toggle_band) / 2
win.action_map["page:portfolio"].trigger()
table = view.table
bar = table.verticalScrollBar()
before = view.model.fetched_pages
for step in range(0, 101, 5):
    bar.setValue(bar.maximum() * step // 100); app.processEvents()
out["pages_fetched_scrolling"] = view.model.fetched_pages - before
out["pages_cached"] = view.model.cached_pages
out["rows"] = view.model.rowCount()
print(json.dumps(out))
win.close()
"""


def measure(sizes: Sizes, tmp: Path) -> list[Row]:
    """Run the window benchmarks on ``sizes.accounts`` accounts; return the table rows."""
    db = build_portfolio(tmp / "views.db", sizes.accounts, scored=True)
    n = f"{sizes.accounts:,}"
    child = run_child(
        [sys.executable, "-c", _WINDOW, str(db), str(tmp / "views.ini"), str(max(3, sizes.runs))],
        child_env(),
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    worst_sort = max(result["sort"].items(), key=lambda item: item[1])
    worst_filter = max(result["filter"].items(), key=lambda item: item[1])
    rows = [
        absolute_row(f"view sort {n}, worst column ({worst_sort[0]})", worst_sort[1], 0.150),
        absolute_row(f"view filter {n}, worst ({worst_filter[0]})", worst_filter[1], 0.150),
        absolute_row(
            f"view pages fetched scrolling {n} (of {result['rows'] // 200 + 1})",
            result["pages_fetched_scrolling"],
            None,
            unit="pages",
        ),
        absolute_row(f"view peak RSS {n}", child.peak_rss_mb, 350, unit="MB"),
    ]
    for key, value in sorted(result["sort"].items()):
        rows.append(absolute_row(f"view sort {key}", value, None))
    return rows


if __name__ == "__main__":
    sizes = QUICK if "--quick" in sys.argv else Sizes(100_000, 0, 0, 3)
    with tempfile.TemporaryDirectory() as folder:
        for row in measure(sizes, Path(folder)):
            verdict = "" if row.passed is None else ("ok" if row.passed else "MISSED")
            print(
                f"{row.goal:60} {row.measured:>10} {row.yardstick:>22} {row.target:>10} {verdict}"
            )
