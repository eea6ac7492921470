"""The Renewals page offscreen: window choice filters rows, the selected renewal, open on Enter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from csdesk.services.renewals import milestone_states, renewal_proposal, renewals_due
from csdesk.views.renewals.detail import STATE_LABELS
from csdesk.views.widgets.itemmodels import money


def _page(window: Any) -> Any:
    return window.show_page("renewals")


def _rows(page: Any) -> list[Any]:
    return page.model.records


def test_opens_on_90_days_with_the_services_rows(window: Any):
    page = _page(window)
    assert page.days == 90
    expected = renewals_due(window.ctx.portfolio, today=dt.date.today(), days=90)
    assert [r.account_id for r in _rows(page)] == [r.account_id for r in expected.rows]
    assert page.summary.text().startswith(f"{expected.due_count} renewals due in the next 90 days")
    assert f"forecast ARR {money(expected.forecast)}" in page.summary.text()
    overdue = [r for r in _rows(page) if r.overdue]
    assert overdue and _rows(page)[: len(overdue)] == overdue
    days_cell = page.model.index(0, 2)
    assert days_cell.data().endswith("d overdue")
    assert days_cell.data(Qt.ItemDataRole.ToolTipRole) == "Renewal overdue"


def test_window_choice_filters_rows(window: Any):
    page = _page(window)
    counts = {90: len(_rows(page))}
    for days in (30, 60, 180):
        page.window_choice.buttons[days].click()
        assert page.days == days
        rows = _rows(page)
        assert all(r.overdue or 0 <= r.days_left <= days for r in rows)
        expected = renewals_due(window.ctx.portfolio, today=dt.date.today(), days=days)
        assert [r.account_id for r in rows] == [r.account_id for r in expected.rows]
        assert f"in the next {days} days" in page.summary.text()
        counts[days] = len(rows)
    assert counts[30] < counts[60] < counts[90] < counts[180]


def test_selected_renewal_shows_milestones_and_proposal(window: Any):
    page = _page(window)
    page.set_window(180)
    portfolio = window.ctx.portfolio
    today = dt.date.today()
    target_row = next(
        i
        for i, r in enumerate(_rows(page))
        if any(m.state == "open" for m in milestone_states(portfolio, r.account_id, today=today))
    )
    page.table.setCurrentIndex(page.model.index(target_row, 0))
    row = _rows(page)[target_row]
    detail = page.detail
    assert detail.account_id == row.account_id
    assert detail.name.text() == row.name
    states = milestone_states(portfolio, row.account_id, today=today)
    assert detail.milestones == states
    shown = [(o.text(), t.text(), d.text(), s.text()) for o, t, d, s in detail.milestone_labels]
    assert shown == [
        (f"E−{m.offset_days}", m.title, m.due.isoformat(), STATE_LABELS[m.state][0]) for m in states
    ]
    proposal = renewal_proposal(portfolio, row.account_id)
    assert detail.price_values["renewal"].text() == money(proposal.price.renewal_price)
    assert detail.price_values["list"].text() == money(proposal.price.list_price)
    assert detail.price_values["lock"].text() == "24 months"
    assert detail.expansion.text().startswith("↗ Expansion" if proposal.expansion else "No expan")


def test_a_pilot_renews_to_list_price(window: Any):
    page = _page(window)
    page.set_window(180)
    index = next((i for i, r in enumerate(_rows(page)) if r.status == "pilot"), None)
    assert index is not None
    page.table.setCurrentIndex(page.model.index(index, 0))
    proposal = renewal_proposal(window.ctx.portfolio, _rows(page)[index].account_id)
    assert proposal.price.renewal_price is not None
    assert proposal.price.current_price is not None
    assert proposal.price.renewal_price >= proposal.price.current_price
    assert "Pilot discount" in page.detail.notes.text()


def test_enter_and_the_open_button_open_the_account(window: Any, qtbot: Any):
    page = _page(window)
    row = _rows(page)[1]
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    portfolio = window.portfolio_page()
    assert window.stack.currentWidget() is portfolio
    assert portfolio.account.account_id == row.account_id
    window.show_page("renewals")
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.detail.open_button.click()
    assert portfolio.account.account_id == _rows(page)[0].account_id


def test_refreshes_after_an_edit_elsewhere(window: Any):
    from csdesk.services.changes import Changes
    from csdesk.services.edits import set_account_field

    page = _page(window)
    row = next(r for r in _rows(page) if not r.overdue)
    result = set_account_field(
        window.ctx.portfolio,
        row.account_id,
        "renewal_date",
        dt.date.today() + dt.timedelta(days=400),
    )
    window.ctx.notify(result.changes)
    assert row.account_id not in [r.account_id for r in _rows(page)]
    window.ctx.notify(Changes(everything=True))
    assert page.summary.text()


def test_no_expansion_says_why_for_an_unlimited_and_a_limited_tier(window: Any):
    page = _page(window)
    portfolio = window.ctx.portfolio
    seen = set()
    for index, row in enumerate(_rows(page)):
        proposal = renewal_proposal(portfolio, row.account_id)
        if proposal.expansion is not None or proposal.usage is None:
            continue
        page.table.setCurrentIndex(page.model.index(index, 0))
        text = page.detail.expansion.text()
        if proposal.included_volume is None:
            assert text.endswith(f"the {proposal.tier} tier's volume is unlimited")
            seen.add("unlimited")
        else:
            share = proposal.usage / proposal.included_volume
            assert f"is {share:.0%} of the {money(proposal.included_volume)}" in text
            seen.add("limited")
        assert page.detail.expansion.objectName() == "muted"
    assert "unlimited" in seen
