"""The "Promote to pilot" dialog: pilot discount and contract start, with a preview of the terms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.scoring.renewal import PILOT_DISCOUNT
from csdesk.services.pilots import PILOT_MONTHS, PilotTerms
from csdesk.views.widgets.itemmodels import money

__all__ = ["PromoteDialog"]

Preview = Callable[[dt.date, float], PilotTerms]


def describe_terms(terms: PilotTerms, discount: float) -> str:
    """The preview text of a promotion's terms (rich text)."""
    if terms.arr is None:
        arr = "no ARR (no tier to price from: set it on the account)"
    elif terms.arr_recorded:
        arr = f"<b>{money(terms.arr)}</b> (the ARR already recorded is kept)"
    else:
        arr = (
            f"<b>{money(terms.arr)}</b> ({terms.tier} list {money(terms.list_price)} "
            f"− {discount:.0%})"
        )
    return (
        f"Status becomes <b>pilot</b>.<br>ARR: {arr}<br>"
        f"Renewal date: <b>{terms.renewal_date.isoformat()}</b> ({PILOT_MONTHS} months after "
        "the start)"
    )


class PromoteDialog(QDialog):
    """Ask for the pilot discount and the contract start date.

    Args:
        account_name: Who is promoted.
        preview: Returns the terms for a start date and discount (a service call).
        today: The default start date.
    """

    def __init__(
        self,
        account_name: str,
        preview: Preview,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Promote {account_name} to pilot")
        self._preview = preview
        self.discount = QDoubleSpinBox()
        self.discount.setRange(0.0, 95.0)
        self.discount.setDecimals(1)
        self.discount.setSingleStep(5.0)
        self.discount.setSuffix(" %")
        self.discount.setValue(PILOT_DISCOUNT * 100)
        self.discount.setAccessibleName("Pilot discount")
        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setAccessibleName("Contract start date")
        self.terms = QLabel()
        self.terms.setObjectName("banner")
        self.terms.setWordWrap(True)
        self.terms.setAccessibleName("Pilot terms")
        intro = QLabel(f"<b>{account_name}</b> joins the pilot programme at a discount.")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Pilot discount", self.discount)
        form.addRow("Contract start", self.start)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Promote")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.terms)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.discount.valueChanged.connect(self._update_terms)
        self.start.dateChanged.connect(self._update_terms)
        self._update_terms()

    def values(self) -> tuple[dt.date, float]:
        """The start date and the discount as a fraction."""
        start = self.start.date().toPython()
        assert isinstance(start, dt.date)
        return start, round(self.discount.value() / 100, 4)

    def _update_terms(self) -> None:
        start, discount = self.values()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            terms = self._preview(start, discount)
        except CsdeskError as exc:
            self.terms.setText(str(exc))
            ok.setEnabled(False)
            return
        self.terms.setText(describe_terms(terms, discount))
        ok.setEnabled(True)
