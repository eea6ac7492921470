"""What the service tests share: a fixed "today" and accounts written straight into a portfolio."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from csdesk.models import Account

TODAY = dt.date(2026, 6, 15)
"""The day the service tests pretend it is."""


def insert_account(session: Session, name: str, **columns: Any) -> int:
    """Add an account named ``name`` (name key casefolded) with ``columns``; return its id.

    Args:
        session: An open write session.
        name: The account name.
        **columns: Any other :class:`~csdesk.models.Account` columns.

    Returns:
        The new account's id (flushed, not committed).
    """
    account = Account(name=name, name_key=name.casefold(), **columns)
    session.add(account)
    session.flush()
    return account.id
