"""The account's CRM opportunities: renewals with their probability, expansion and upsell."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from csdesk.services.account_detail import AccountDetail
from csdesk.views.widgets.itemmodels import Column, RecordsModel, money
from csdesk.views.widgets.record_table import records_table

__all__ = ["OPPORTUNITY_COLUMNS", "OpportunitiesTab"]

_TYPES = {"renewal": "Renewal", "expansion": "Expansion", "new": "New business", "other": "Other"}
_STATES = {"open": "Open", "won": "Won", "lost": "Lost"}

OPPORTUNITY_COLUMNS = (
    Column("Opportunity", lambda o: o.name or ""),
    Column("Type", lambda o: _TYPES.get(o.type, o.type)),
    Column("Stage", lambda o: o.stage or ""),
    Column("State", lambda o: _STATES.get(o.state, o.state),
           foreground=lambda o: {"won": "good", "lost": "bad"}.get(o.state)),
    Column("Close date", lambda o: o.close_date.isoformat() if o.close_date else ""),
    Column("Amount", lambda o: money(float(o.amount)) if o.amount is not None else "—",
           align_right=True),
    Column("Probability", lambda o: f"{float(o.probability):.0%}" if o.probability is not None
           else "—", align_right=True),
)  # fmt: skip


class OpportunitiesTab(QWidget):
    """The CRM's renewal and expansion opportunities of the account, open ones first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(OPPORTUNITY_COLUMNS, self)
        self.table = records_table(
            self.model,
            "Opportunities",
            empty_text="No CRM opportunities for this account. Import an opportunities export "
            "(Ctrl+I): an open renewal gives the renewal date and the CRM's likelihood, and "
            "expansion opportunities count in the forecast.",
        )
        self.table.horizontalHeader().resizeSection(0, 260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.table)

    def set_detail(self, detail: AccountDetail) -> None:
        """Show the account's opportunities."""
        self.model.set_records(detail.opportunities)
