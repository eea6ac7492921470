"""The dashboard's KPI tiles: a row of cards, each a caption, a big figure and a note."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QWidget

from csdesk.services.dashboard import Dashboard
from csdesk.views.theme import color
from csdesk.views.widgets.itemmodels import money
from csdesk.views.widgets.page_widgets import FigureCard

__all__ = ["KPI_KEYS", "KpiStrip", "KpiTile", "kpi_texts"]

KPI_KEYS: tuple[tuple[str, str], ...] = (
    ("arr", "ARR"),
    ("forecast", "Forecast ARR · 90 days"),
    ("grr", "GRR"),
    ("nrr", "NRR"),
    ("nps", "NPS"),
    ("csat", "CSAT"),
    ("sla", "SLA attainment"),
)
"""Tile keys and captions, in display order."""


class KpiTile(FigureCard):
    """A figure card whose note wraps and whose value is tinted by a theme colour token."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(caption, parent, wrap_note=True, stretch=True)

    def set(self, value: str, note: str = "", tone: str | None = None) -> None:
        """Show a value and its note; ``tone`` is a colour token for the value."""
        super().set(value, note, color(tone) if tone else None)


def _pct(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def kpi_texts(board: Dashboard) -> dict[str, tuple[str, str, str | None]]:
    """Each tile's ``(value, note, colour token)`` for a dashboard."""
    f = board.figures
    count, due_arr, forecast = f.renewals_90
    retention = f"trailing 12 months · {_count(f.customers, 'customer')}"
    if f.grr is None:
        retention = "no customers a year ago"
    nps = "—" if board.nps is None else f"{board.nps:+.0f}"
    nps_tone = None if board.nps is None else ("good" if board.nps > 0 else "bad")
    csat = board.csat
    return {
        "arr": (money(f.total_arr), _count(f.customers, "active or pilot account"), None),
        "forecast": (money(forecast), f"{_count(count, 'renewal')} · ARR {money(due_arr)}", None),
        "grr": (_pct(f.grr), retention, None),
        "nrr": (
            _pct(f.nrr),
            f"expansion {money(f.expansion)} · churn {money(f.churned_arr)}",
            None,
        ),
        "nps": (nps, f"{_count(board.nps_answers, 'answer')} · last 90 days", nps_tone),
        "csat": (
            "—" if csat is None else f"{csat.mean:.2f} / 5",
            "no answers" if csat is None else f"{csat.pct_satisfied:.0f}% satisfied (4–5)",
            None,
        ),
        "sla": (
            "—" if board.sla_attainment is None else f"{board.sla_attainment:.1f}%",
            f"{_count(board.sla_tickets, 'ticket')} · last 90 days",
            None,
        ),
    }


class KpiStrip(QWidget):
    """The row of KPI tiles."""

    def __init__(self, keys: Sequence[tuple[str, str]] = KPI_KEYS, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Portfolio figures")
        self.tiles = {key: KpiTile(caption) for key, caption in keys}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for tile in self.tiles.values():
            layout.addWidget(tile, 1)

    def show_dashboard(self, board: Dashboard) -> None:
        """Fill every tile."""
        for key, (value, note, tone) in kpi_texts(board).items():
            if key in self.tiles:
                self.tiles[key].set(value, note, tone)
