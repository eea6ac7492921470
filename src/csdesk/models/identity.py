"""The ids an account has in each source system (SPEC 1, External ids)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class ExternalId(Base):
    """One id of an account in one system (``salesforce``, ``hubspot``, ``zendesk``, …).

    An account may hold several ids of one system after a merge; each (system, id) belongs to
    one account. ``Account.crm_id`` repeats the first id the account was known by.
    """

    __tablename__ = "account_ids"
    __table_args__ = (
        UniqueConstraint("system", "external_id", name="uq_account_ids_system_external_id"),
        Index("ix_account_ids_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(64))
