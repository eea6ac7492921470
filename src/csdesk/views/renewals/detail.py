"""The selected renewal on the Renewals page: milestone task states, price proposal, expansion."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.scoring.renewal import MILESTONES
from csdesk.scoring.vocabulary import CANCELLED
from csdesk.services.renewals import MilestoneState, RenewalProposal, RenewalRow
from csdesk.views.number_format import window_formats
from csdesk.views.theme import color, icon
from csdesk.views.widgets.itemmodels import money

__all__ = ["STATE_LABELS", "RenewalDetail"]

STATE_LABELS = {
    "done": ("✓ done", "good"),
    "open": ("open", "accent"),
    "overdue": ("⚠ overdue", "bad"),
    "snoozed": ("snoozed", "warn"),
    CANCELLED: ("cancelled", "muted"),
    "upcoming": ("upcoming", "muted"),
    "no task": ("no task", "muted"),
    "passed": ("passed", "muted"),
}
"""Text and colour token of each milestone state."""

_PRICE_LINES = (
    ("tier", "Tier"),
    ("current", "Current price"),
    ("list", "List price"),
    ("loyalty", "Loyalty discount"),
    ("renewal", "Renewal price"),
    ("change", "Change"),
    ("lock", "Price lock"),
)


def _state(m: MilestoneState) -> str:
    return STATE_LABELS.get(m.state, (m.state, "muted"))[0]


def _state_tip(m: MilestoneState) -> str | None:
    if m.state == "upcoming":
        return "The task is created when the renewal comes within 90 days"
    if m.state == "passed":
        return "The renewal date has passed: its renewal overdue task stands for the work left"
    if m.state == "no task":
        return (
            "This milestone has passed and has no task yet: Portfolio ▸ Recompute health makes "
            "it an overdue task"
        )
    return None


def _state_colour(m: MilestoneState) -> str:
    return STATE_LABELS.get(m.state, (m.state, "muted"))[1]


class RenewalDetail(QFrame):
    """One renewal: who, the E−60/−45/−30/−15 milestones with their state, the proposal.

    Signals:
        open_requested(int): the user wants the account's 360.
    """

    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setAccessibleName("Selected renewal")
        self.account_id: int | None = None
        self.milestones: tuple[MilestoneState, ...] = ()
        self.name = QLabel("Select a renewal")
        self.name.setObjectName("sectionTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.open_button = QPushButton(icon("open"), "Open account")
        self.open_button.setAccessibleName("Open the account of the selected renewal")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.milestone_labels: list[tuple[QLabel, QLabel, QLabel, QLabel]] = []
        milestones = QGridLayout()
        milestones.setHorizontalSpacing(12)
        milestones.setVerticalSpacing(4)
        for line in range(len(MILESTONES)):
            cells = (QLabel(), QLabel(), QLabel(), QLabel())
            cells[0].setObjectName("muted")
            for column, cell in enumerate(cells):
                milestones.addWidget(cell, line, column)
            self.milestone_labels.append(cells)
        milestones.setColumnStretch(1, 1)
        self.price_values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        for line, (key, label) in enumerate(_PRICE_LINES):
            caption = QLabel(label)
            caption.setObjectName("muted")
            value = QLabel("—")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setAccessibleName(label)
            self.price_values[key] = value
            grid.addWidget(caption, line, 0)
            grid.addWidget(value, line, 1)
        grid.setColumnStretch(2, 1)
        self.price_values["renewal"].setObjectName("figureValue")
        self.notes = QLabel()
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.expansion = QLabel()
        self.expansion.setObjectName("banner")
        self.expansion.setWordWrap(True)
        self.expansion.setAccessibleName("Expansion suggestion")

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.name)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        head.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(_section("Milestone tasks"))
        layout.addLayout(milestones)
        layout.addWidget(_section("Renewal price proposal"))
        layout.addLayout(grid)
        layout.addWidget(self.notes)
        layout.addWidget(self.expansion)
        layout.addStretch(1)
        self.show_renewal(None, (), None)

    def show_renewal(
        self,
        row: RenewalRow | None,
        milestones: Sequence[MilestoneState],
        proposal: RenewalProposal | None,
    ) -> None:
        """Show a renewal (or nothing selected)."""
        self.account_id = row.account_id if row else None
        self.open_button.setEnabled(row is not None)
        self._show_milestones(milestones)
        if row is None:
            self.name.setText("Select a renewal")
            self.subtitle.setText("Its milestones and price proposal show here.")
            self._show_proposal(None)
            return
        self.name.setText(row.name)
        when = (
            f"overdue by {-row.days_left} days"
            if row.overdue
            else ("today" if row.days_left == 0 else f"in {row.days_left} days")
        )
        parts = [f"Renews {row.renewal_date.isoformat()} ({when})", row.status, row.owner]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        self.subtitle.setStyleSheet(f"color: {color('bad')};" if row.overdue else "")
        self._show_proposal(proposal)

    def _show_milestones(self, milestones: Sequence[MilestoneState]) -> None:
        self.milestones = tuple(milestones)
        for line, (offset, title, due, state) in enumerate(self.milestone_labels):
            m = self.milestones[line] if line < len(self.milestones) else None
            offset.setText(f"E−{m.offset_days}" if m else "")
            title.setText(m.title if m else ("No renewal date" if line == 0 else ""))
            due.setText(m.due.isoformat() if m else "")
            state.setText(_state(m) if m else "")
            state.setToolTip((_state_tip(m) or "") if m else "")
            state.setStyleSheet(f"color: {color(_state_colour(m))};" if m else "")

    def _show_proposal(self, proposal: RenewalProposal | None) -> None:
        values = self.price_values
        if proposal is None:
            for label in values.values():
                label.setText("—")
            self.notes.setText("")
            self.expansion.hide()
            return
        price = proposal.price
        values["tier"].setText(proposal.tier or "no tier")
        values["current"].setText(money(price.current_price) or "—")
        values["list"].setText(money(price.list_price) or "—")
        values["loyalty"].setText(
            f"−{money(price.loyalty_discount)}" if price.loyalty_discount else "none"
        )
        values["renewal"].setText(money(price.renewal_price) or price.reason or "—")
        change = price.change
        if change is None:
            values["change"].setText("—")
        else:
            shown = money(abs(change))
            values["change"].setText(
                "no change" if not change else f"+{shown}" if change > 0 else f"−{shown}"
            )
        values["lock"].setText(f"{price.lock_months} months")
        notes = list(price.notes)
        if proposal.status == "pilot" and proposal.pilot_discount:
            notes.insert(0, f"Pilot discount {proposal.pilot_discount:.0%} ends at renewal")
        self.notes.setText("\n".join(f"• {n}" for n in notes))
        signal = proposal.expansion
        if signal is not None:
            self.expansion.setText(f"↗ Expansion: {signal.reason}")
        else:
            self.expansion.setText(f"No expansion signal: {_no_expansion_reason(proposal)}")
        # A suggestion stands out as a banner; the absence of one is a muted note.
        self.expansion.setObjectName("banner" if signal is not None else "muted")
        self.expansion.style().unpolish(self.expansion)
        self.expansion.style().polish(self.expansion)
        self.expansion.show()

    def _on_open_clicked(self) -> None:
        if self.account_id is not None:
            self.open_requested.emit(self.account_id)


def _no_expansion_reason(proposal: RenewalProposal) -> str:
    """Why no next tier is suggested, in the CSM's terms."""
    if proposal.usage is None:
        return "no usage recorded"
    usage = f"usage {window_formats().number(proposal.usage)} a month"
    if proposal.tier is None:
        return f"{usage}, but the account has no tier"
    volume = proposal.included_volume
    if volume is None:
        return f"{usage}; the {proposal.tier} tier's volume is unlimited"
    share = proposal.usage / volume if volume else 0.0
    return (
        f"{usage} is {window_formats().percent(share)} of the "
        f"{window_formats().number(volume)} the {proposal.tier} tier includes "
        "(a next tier is suggested from 80%)"
    )


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label
