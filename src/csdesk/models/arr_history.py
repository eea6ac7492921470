"""ARR history: every change of an account's ARR, recorded by a database trigger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base, Money, utcnow


class ArrEvent(Base):
    """One ARR change (old → new) of one account.

    Written by the ``accounts_arr_history`` trigger (migration 0003), so imports, edits and any
    other writer are all recorded; retention figures (GRR, NRR) read a cohort's starting ARR here.
    """

    __tablename__ = "arr_events"
    __table_args__ = (Index("ix_arr_events_account_at", "account_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    old_arr: Mapped[Decimal | None] = mapped_column(Money)
    new_arr: Mapped[Decimal | None] = mapped_column(Money)
