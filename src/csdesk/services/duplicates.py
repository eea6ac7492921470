"""Possible duplicate accounts: accounts that share a folded name or a website domain (SPEC 3.3).

``csdesk duplicates`` and the app's "Possible duplicates" page both list these groups; merging
is :mod:`csdesk.services.merge`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.models import Account
from csdesk.scoring.ids import company_key
from csdesk.services.accounts import external_ids, sort_key

__all__ = ["DuplicateAccount", "DuplicateGroup", "find_duplicates"]


@dataclass(frozen=True, slots=True)
class DuplicateAccount:
    """One account of a group, with what a user needs to pick the one to keep.

    Attributes:
        account_id: The account.
        crm_id: Its primary id (what lists show), if any.
        name: Its name.
        domain: Its website domain, if any.
        status: Its status.
        arr: Its ARR, if any.
        ids: Its ids by system.
    """

    account_id: int
    crm_id: str | None
    name: str
    domain: str | None
    status: str
    arr: float | None
    ids: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Accounts that may be one company.

    Attributes:
        reason: ``"name"`` (same name without case, spacing or legal suffix) or ``"domain"``.
        key: The shared folded name or domain (the evidence).
        accounts: The accounts, by name.
    """

    reason: str
    key: str
    accounts: tuple[DuplicateAccount, ...]

    @property
    def evidence(self) -> str:
        """The shared value as a user reads it."""
        return f"same website {self.key}" if self.reason == "domain" else f"same name “{self.key}”"

    def to_json(self) -> dict[str, Any]:
        """The group as ``duplicates --json`` prints it (SPEC 5)."""
        return {
            "accounts": [a.crm_id for a in self.accounts],
            "names": [a.name for a in self.accounts],
            "reason": self.reason,
            "key": self.key,
            "account_ids": [a.account_id for a in self.accounts],
        }


def find_duplicates(portfolio: Portfolio) -> list[DuplicateGroup]:
    """Every group of two or more accounts sharing a folded name or a domain.

    Name groups come first, then domain groups, each ordered by their key.
    """
    with portfolio.read() as session:
        rows = session.execute(
            select(
                Account.id,
                Account.crm_id,
                Account.name,
                Account.name_key,
                Account.domain,
                Account.status,
                Account.arr,
            )
        ).all()
        by_name: dict[str, list[Any]] = defaultdict(list)
        by_domain: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_name[company_key(row.name_key)].append(row)
            if row.domain:
                by_domain[row.domain].append(row)
        shared = [
            (reason, key, members)
            for reason, table in (("name", by_name), ("domain", by_domain))
            for key, members in sorted(table.items())
            if len(members) > 1
        ]
        wanted = sorted({row.id for _, _, members in shared for row in members})
        ids = external_ids(session, wanted if len(wanted) < 2000 else None) if wanted else {}
    groups: list[DuplicateGroup] = []
    for reason, key, members in shared:
        members = sorted(members, key=lambda r: (sort_key(r.name), r.id))
        accounts = tuple(
            DuplicateAccount(r.id, r.crm_id, r.name, r.domain, r.status, r.arr, ids.get(r.id, {}))
            for r in members
        )
        groups.append(DuplicateGroup(reason, key, accounts))
    return groups
