"""What the portfolio list does at start: filters that need no query at once, owners and tiers
read on first use, and a start that reports ready only with real rows on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csdesk.services.portfolio_query import BAND_VALUES, STAGE_VALUES
from csdesk.services.portfolio_table import load_facets
from support import run_app_process


def _keys(button: Any) -> list[str]:
    return [action.data() for action in button.menu().actions()]


def test_band_stage_and_renewal_filters_are_offered_before_any_query(window: Any):
    view = window.portfolio_page().list
    assert _keys(view.filters["bands"]) == list(BAND_VALUES)
    assert _keys(view.filters["stages"]) == list(STAGE_VALUES)
    assert "overdue" in _keys(view.filters["renewal"])


def test_owners_and_tiers_are_read_when_their_menu_is_first_needed(window: Any):
    view = window.portfolio_page().list
    owners, tiers = view.filters["owners"], view.filters["tiers"]
    assert owners._pending is not None and tiers._pending is not None
    assert view._facets is None
    facets = load_facets(window.ctx.portfolio)
    assert _keys(owners) == list(facets.owners)  # asking for the menu reads them
    assert tiers._pending is None  # one read fills both menus
    assert _keys(tiers) == list(facets.tiers)


def test_a_chosen_owner_survives_a_reload_and_the_count_names_the_total(window: Any):
    view = window.portfolio_page().list
    owners = view.filters["owners"]
    first = owners.menu().actions()[0]
    key = first.data()
    first.setChecked(True)
    shown = view.model.rowCount()
    assert 0 < shown < 60
    assert view.count_label.text() == f"{shown} of 60 accounts"
    view.reload()  # reads the owners again (the menu is rebuilt) and keeps the choice
    assert owners.selected() == frozenset({key})
    assert view.model.rowCount() == shown
    assert view.count_label.text() == f"{shown} of 60 accounts"


def test_ready_is_reported_once_the_first_page_is_on_screen(demo_path: Path, tmp_path: Path):
    probe = (
        "import sys\n"
        "from csdesk import app\n"
        "from csdesk.views.widgets import itemmodels\n"
        "fetch = itemmodels.PortfolioTableModel.row_data\n"
        "def row_data(self, row):\n"
        "    if self.fetched_pages == 0:\n"
        "        print('first page', flush=True)\n"
        "    return fetch(self, row)\n"
        "itemmodels.PortfolioTableModel.row_data = row_data\n"
        "sys.exit(app.run_app(sys.argv[1]))\n"
    )
    result = run_app_process(["-c", probe, str(demo_path)], tmp_path, CSDESK_QUIT_WHEN_IDLE="1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "first page" in lines
    ready = [i for i, line in enumerate(lines) if line.startswith("csdesk ready ")]
    assert len(ready) == 1 and ready[0] > lines.index("first page")
