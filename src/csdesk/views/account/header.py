"""The account 360's header: name, who/what line and the key-figure cards."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.rounding import round_half_up
from csdesk.scoring.vocabulary import CHURNED, PROSPECT
from csdesk.services.account_detail import AccountDetail
from csdesk.views.number_format import window_formats
from csdesk.views.theme import band_color, color, icon
from csdesk.views.widgets.itemmodels import money
from csdesk.views.widgets.page_widgets import FigureCard

__all__ = ["AccountHeaderBar"]


class AccountHeaderBar(QWidget):
    """Back button, account name, a line of who/what, and the key figures.

    Signals:
        back_requested(): the user wants the portfolio list again.
    """

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.back = QPushButton(icon("back"), "Portfolio")
        self.back.setToolTip("Back to the portfolio (Esc)")
        self.back.setAccessibleName("Back to the portfolio")
        self.back.clicked.connect(self.back_requested)
        self.name = QLabel()
        self.name.setObjectName("accountName")
        self.name.setAccessibleName("Account name")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.cards = {
            "health": FigureCard("Health"),
            "arr": FigureCard("ARR"),
            "stage": FigureCard("Stage"),
            "renewal": FigureCard("Renewal"),
            "roi": FigureCard("ROI"),
            "nps": FigureCard("NPS"),
            "tasks": FigureCard("Open tasks"),
        }
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.name)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        row = QHBoxLayout()
        row.setSpacing(10)
        for card in self.cards.values():
            row.addWidget(card, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(row)

    def set_detail(self, detail: AccountDetail) -> None:
        """Fill the header from an account's detail."""
        h = detail.header
        self.name.setText(h.name)
        parts = [
            h.crm_id,
            h.industry,
            h.segment,
            h.country,
            f"CSM {h.owner}" if h.owner else None,
            h.status.capitalize(),
        ]
        self.subtitle.setText("  ·  ".join(p for p in parts if p))
        self._set_health(detail)
        self.cards["arr"].set(money(h.arr), h.tier or "no tier")
        start = h.contract_start.isoformat() if h.contract_start else "no contract start"
        self.cards["stage"].set(h.stage or "—", f"since {start}" if h.contract_start else start)
        self._set_renewal(detail)
        roi = detail.roi_result
        if roi.multiple is not None:
            payback = (
                f"payback {round_half_up(roi.payback_months, 1):.1f} months"
                if roi.payback_months
                else "no payback"
            )
            self.cards["roi"].set(f"{roi.multiple:.2f}×", payback)
        else:
            self.cards["roi"].set("—", roi.reason or "")
        if detail.csat:
            csat = f"CSAT {detail.csat.mean:.2f}"
        else:
            csat = "no CSAT answers" if detail.surveys else "no survey answers"
        nps_text = f"{round_half_up(detail.nps, 0):+.0f}" if detail.nps is not None else "—"
        self.cards["nps"].set(nps_text, csat)
        open_tasks = detail.open_tasks
        due = min((t.due_on for t in open_tasks), default=None)
        self.cards["tasks"].set(
            str(len(open_tasks)), f"next due {due.isoformat()}" if due else "nothing due"
        )
        alerts = "  ".join(f"⚠ {a}" for a in detail.alerts[:2])
        self.banner.setText(alerts)
        self.banner.setVisible(bool(alerts))

    def _set_health(self, detail: AccountDetail) -> None:
        h = detail.header
        card = self.cards["health"]
        if h.health_score is None:
            card.set("—", "no score (insufficient data)")
            return
        note = h.health_band or ""
        if h.overridden:
            computed = (
                "no score"
                if h.health_computed_score is None
                else window_formats().number(h.health_computed_score, 1)
            )
            note = f"{note} · override (computed {computed})"
        card.set(window_formats().number(h.health_score, 1), note, band_color(h.health_band).name())

    def _set_renewal(self, detail: AccountDetail) -> None:
        h = detail.header
        card = self.cards["renewal"]
        if h.status == CHURNED:
            when = h.churned_on.isoformat() if h.churned_on else "date not known"
            card.set("Churned", f"on {when} · does not renew", color("muted"))
            return
        if h.status == PROSPECT:
            card.set("—", "a prospect does not renew yet")
            return
        if h.renewal_date is None or h.days_left is None:
            card.set("—", "no renewal date")
            return
        likely = f"{h.renewal_likelihood:.0%} likely" if h.renewal_likelihood is not None else "—"
        if h.renewal_likelihood is not None and h.likelihood_source == "CRM":
            likely += " (CRM)"
        if h.renewal_overdue:
            card.set(
                h.renewal_date.isoformat(),
                f"overdue by {-h.days_left} days · {likely}",
                color("bad"),
            )
        elif h.days_left >= 0:
            card.set(h.renewal_date.isoformat(), f"in {h.days_left} days · {likely}")
        else:
            card.set(h.renewal_date.isoformat(), f"{-h.days_left} days ago")
