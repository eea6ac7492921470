"""The Qt binding must not lose references to None while painting (PySide6 6.12.0 does).

With PySide6-Essentials 6.12.0 on CPython 3.11, every paint through a Python item delegate
drops a reference to ``None``; after a minute of scrolling the interpreter aborts with "Fatal
Python error: none_dealloc". csdesk paints its health chips with such a delegate, so a binding
with this defect must fail the tests rather than crash a user's session.
"""

from __future__ import annotations

import sys
from typing import Any

from csdesk.views.widgets.delegates import BandChipDelegate


def test_painting_the_portfolio_table_keeps_none_alive(window: Any, qtbot: Any) -> None:
    table = window.portfolio_page().list.table
    health = window.portfolio_page().list.model.column_of("health")
    assert isinstance(table.itemDelegateForColumn(health), BandChipDelegate)
    table.viewport().repaint()  # first paint creates caches
    before = sys.getrefcount(None)
    for _ in range(20):
        table.viewport().repaint()
    lost = before - sys.getrefcount(None)
    assert lost <= 0, f"the Qt binding lost {lost} references to None in 20 repaints"
