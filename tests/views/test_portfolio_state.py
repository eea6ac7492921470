"""The portfolio list's state belongs to its portfolio; a sort shows the top; menus stay open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from csdesk.services.accounts import account_listing
from csdesk.services.demo import DEMO_ACCOUNTS


def _check(view: Any, filter_name: str, key: str) -> None:
    action = next(a for a in view.filters[filter_name].menu().actions() if a.data() == key)
    action.setChecked(True)


def test_filters_sort_and_selection_belong_to_a_portfolio(
    window: Any, demo_path: Path, tmp_path: Path
) -> None:
    view = window.portfolio_page().list
    _check(view, "bands", "Critical")
    _check(view, "statuses", "active")
    header = view.table.horizontalHeader()
    header.setSortIndicator(view.model.column_of("arr"), Qt.SortOrder.DescendingOrder)
    chosen = view.model.account_id(1)
    view.select_account(chosen)
    filtered = list(view.model.ids)
    assert 0 < len(filtered) < DEMO_ACCOUNTS

    # A new portfolio starts from nothing: no filter follows the user into it.
    assert window.open_portfolio(tmp_path / "new.db", offer_welcome=False)
    assert not any(b.selected() for b in view.filters.values())
    assert view.query().sort_key == "name" and not view.query().filtered
    assert view.count_label.text() == "0 accounts"
    assert header.sortIndicatorSection() == view.model.column_of("name")

    # Back in the demo: its own filters, sort and selection again.
    assert window.open_portfolio(demo_path, offer_welcome=False)
    assert view.filters["bands"].selected() == frozenset({"Critical"})
    assert view.filters["statuses"].selected() == frozenset({"active"})
    assert (view.query().sort_key, view.query().descending) == ("arr", True)
    assert list(view.model.ids) == filtered
    assert view.selected_account() == chosen
    assert view.count_label.text() == f"{len(filtered)} of {DEMO_ACCOUNTS} accounts"


def test_status_column_and_filter(window: Any) -> None:
    view = window.portfolio_page().list
    _check(view, "statuses", "churned")
    _check(view, "statuses", "prospect")
    column = view.model.column_of("status")
    shown = {view.model.index(r, column).data() for r in range(view.model.rowCount())}
    assert shown == {"Churned", "Prospect"}
    listing = account_listing(window.ctx.portfolio)
    assert view.model.rowCount() == sum(r["status"] in ("churned", "prospect") for r in listing)
    # No countdown for an account that does not renew.
    days = view.model.column_of("days_left")
    assert all(view.model.index(r, days).data() == "" for r in range(view.model.rowCount()))


def test_sorting_shows_the_top_of_the_new_order(window: Any, qtbot: Any) -> None:
    view = window.portfolio_page().list
    window.resize(1200, 500)
    last = view.model.account_id(view.model.rowCount() - 1)
    view.select_account(last)
    qtbot.waitUntil(lambda: view.table.verticalScrollBar().value() > 0)
    header = view.table.horizontalHeader()
    header.setSortIndicator(view.model.column_of("health"), Qt.SortOrder.AscendingOrder)
    assert view.table.verticalScrollBar().value() == 0  # the lowest scores are in view
    assert view.selected_account() == last  # still selected, just not scrolled to


# A popup menu asks the offscreen platform for things it cannot do (harmless, not ours).
@pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing the keyboard"
)
def test_band_and_stage_menus_stay_open_for_several_ticks(window: Any, qtbot: Any) -> None:
    view = window.portfolio_page().list
    for name, keys in (("bands", ("Critical", "At Risk")), ("stages", ("Onboarding", "Expansion"))):
        button = view.filters[name]
        menu = button.menu()
        menu.popup(button.mapToGlobal(QPoint(0, button.height())))
        qtbot.waitUntil(menu.isVisible)
        for key in keys:
            action = next(a for a in menu.actions() if a.data() == key)
            QTest.mouseClick(
                menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
            )
            assert menu.isVisible(), f"the {name} menu closed after one tick"
        assert button.selected() == frozenset(keys)
        menu.close()
    # The single-choice Renewal menu closes on its choice, as menus do.
    renewal = view.filters["renewal"].menu()
    renewal.popup(view.filters["renewal"].mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(renewal.isVisible)
    first = renewal.actions()[0]
    QTest.mouseClick(renewal, Qt.MouseButton.LeftButton, pos=renewal.actionGeometry(first).center())
    qtbot.waitUntil(lambda: not renewal.isVisible())


def test_a_churned_account_shows_no_countdown_or_likelihood(window: Any, qtbot: Any) -> None:
    view = window.portfolio_page().list
    _check(view, "statuses", "churned")
    status = view.model.column_of("status")
    shown = {view.model.index(r, status).data() for r in range(view.model.rowCount())}
    assert view.model.rowCount() >= 1  # the lost logo and the former clients
    assert shown == {"Churned"}
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    account = window.portfolio_page().account
    card = account.header.cards["renewal"]
    assert card.value.text() == "Churned"
    assert card.note.text().endswith("· does not renew") and "likely" not in card.note.text()
    assert account.detail.header.churned_on is not None
    assert account.detail.header.renewal_likelihood is None
