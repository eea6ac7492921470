"""The account's Opportunities tab lists the CRM's renewals and expansions as stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from csdesk.services.opportunities import OpportunityRow
from csdesk.views.account.opportunities_tab import OpportunitiesTab


def test_rows_show_type_state_amount_and_probability(qtbot: Any) -> None:
    tab = OpportunitiesTab()
    qtbot.addWidget(tab)
    rows = (
        OpportunityRow("Acme renewal", "renewal", "Negotiation", "open", dt.date(2027, 1, 20),
                       Decimal("120000.00"), Decimal("0.7500")),
        OpportunityRow("Acme seats", "expansion", "Closed Won", "won", dt.date(2026, 6, 1),
                       Decimal("24000.00"), None),
    )  # fmt: skip
    detail: Any = type("Detail", (), {"opportunities": rows})()
    tab.set_detail(detail)
    model = tab.model
    assert model.rowCount() == 2
    cells = [
        [model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole) for c in range(7)]
        for r in range(2)
    ]
    assert cells[0][:5] == ["Acme renewal", "Renewal", "Negotiation", "Open", "2027-01-20"]
    assert cells[0][6] == "75%"
    assert cells[1][1] == "Expansion" and cells[1][3] == "Won" and cells[1][6] == "—"
    assert "120" in cells[0][5]
