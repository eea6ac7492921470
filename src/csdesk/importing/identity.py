"""Which account a row means, across systems (SPEC 3.3): the file's source system, and finding
an account by any of its ids, its website domain, or its name folded without legal suffixes.

Accounts imports match through :mod:`csdesk.importing.matching` with the same indexes; rows of
other kinds (tickets, surveys, contacts, metrics, scorecards, …) resolve their account through
:class:`AccountRefs`, which never creates one and names the candidates of an ambiguous row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from csdesk.db.bulk import Bulk, table_of
from csdesk.importing.headers import fold_header
from csdesk.models import ExternalId
from csdesk.scoring.ids import GENERIC_SYSTEM, company_key, is_salesforce_id

if TYPE_CHECKING:
    from csdesk.importing.columns import ParsedRows
    from csdesk.importing.mapping import Layout

__all__ = [
    "AccountRefs",
    "RowContext",
    "describe_accounts",
    "file_system",
    "load_ids",
    "write_ids",
]

EXTERNAL_IDS = table_of(ExternalId)
_SAMPLE = 200
# Id columns whose header alone tells the system.
_ID_HEADERS = {
    "record_id": "hubspot",
    "hubspot_id": "hubspot",
    "record_id_company": "hubspot",
    "associated_company_id": "hubspot",
    "hubspot_company_id": "hubspot",
    "salesforce_id": "salesforce",
    "sfdc_id": "salesforce",
    "accountid": "salesforce",
    "account_id_18": "salesforce",
    "account_18_id": "salesforce",
    "organization_id": "zendesk",
    "zendesk_organization_id": "zendesk",
}
_ZENDESK_NAMES = ("organization", "organization_name", "organisation")


def file_system(layout: Layout, ids: Sequence[object]) -> str:
    """The system the ids of a file come from.

    The mapping's ``system`` wins; else the id column's header (HubSpot "Record ID", Salesforce
    "Salesforce ID"/``AccountId``); else the ids themselves (Salesforce's 15/18-character shape);
    else a Zendesk "Organization" column; else the generic ``crm``.
    """
    if layout.system:
        return layout.system
    if "crm_id" in layout.fields:
        known = _ID_HEADERS.get(fold_header(layout.header_of("crm_id")))
        if known:
            return known
    sample = [v for v in ids[: _SAMPLE * 10] if isinstance(v, str)][:_SAMPLE]
    if sample and all(map(is_salesforce_id, sample)):
        return "salesforce"
    if "name" in layout.fields and fold_header(layout.header_of("name")) in _ZENDESK_NAMES:
        return "zendesk"
    return GENERIC_SYSTEM


def load_ids(bulk: Bulk, system: str) -> tuple[dict[str, int], dict[str, list[int]], set[int]]:
    """The portfolio's ids as a row of ``system`` sees them.

    Returns:
        ``by_id``: id → account, the system's own ids first, then ids of the generic system
        (and of every system when ``system`` is the generic one) where one account holds them;
        ``clashes``: ids the generic look-up finds on several accounts; ``holders``: the
        accounts that already have an id of ``system``.
    """
    own: dict[str, int] = {}
    others: dict[str, int] = {}
    clashes: dict[str, list[int]] = {}
    holders: set[int] = set()
    generic = system == GENERIC_SYSTEM
    sql = "SELECT account_id, system, external_id FROM account_ids"
    params: tuple[str, ...] = ()
    if not generic:
        # Other systems' ids are of no use to this file: the unique (system, id) index finds
        # just these two systems' rows, so more systems cost nothing here.
        sql += f" WHERE system = {bulk.marker} OR system = {bulk.marker}"
        params = (system, GENERIC_SYSTEM)
    for account_id, id_system, external_id in bulk.rows(sql, params):
        if id_system == system:
            own[external_id] = account_id
            holders.add(account_id)
        elif generic or id_system == GENERIC_SYSTEM:
            held = others.setdefault(external_id, account_id)
            if held != account_id:
                clashes.setdefault(external_id, [held]).append(account_id)
    for external_id in clashes:
        del others[external_id]
    others.update(own)
    return others, {k: v for k, v in clashes.items() if k not in own}, holders


def write_ids(bulk: Bulk, rows: Iterable[tuple[int, str, str]]) -> None:
    """Insert (account id, system, external id) rows."""
    bulk.insert(EXTERNAL_IDS, ("account_id", "system", "external_id"), list(rows))


def describe_accounts(names: dict[int, str], primary: dict[int, Any], ids: Sequence[int]) -> str:
    """The candidates of an ambiguous row, as a user reads them: ``'Acme' (001…), 'Acme Inc'``."""
    shown = [f"{names[i]!r} ({primary[i]})" if primary.get(i) else repr(names[i]) for i in ids[:5]]
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return ", ".join(shown) + more


class RowContext(Protocol):
    """What resolving a row's account needs of the import (an ``ImportContext``)."""

    @property
    def parsed(self) -> ParsedRows:
        """The typed data rows."""
        ...

    def header(self, name: str) -> str | None:
        """The header of the column feeding ``name``."""
        ...

    def skip_or_reject_keyless(self, position: int, what: str) -> None:
        """Skip a blank row without a key, reject any other."""
        ...


class AccountRefs:
    """The accounts of the portfolio by id, domain and folded name, for rows that refer to one.

    Args:
        bulk: Bulk access inside the import's transaction.
        system: The system the file's ids come from (see :func:`file_system`).
    """

    def __init__(self, bulk: Bulk, system: str = GENERIC_SYSTEM) -> None:
        self.system = system
        self.by_crm, self.clashes, self.holders = load_ids(bulk, system)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_domain: dict[str, list[int]] = defaultdict(list)
        self.names: dict[int, str] = {}
        self.primary: dict[int, str | None] = {}
        self._domains: list[Any] | None = None
        for account_id, crm_id, name, name_key, domain in bulk.rows(
            "SELECT id, crm_id, name, name_key, domain FROM accounts"
        ):
            if crm_id:
                self.by_crm.setdefault(crm_id, account_id)
            self.by_name[company_key(name_key)].append(account_id)
            if domain:
                self.by_domain[domain].append(account_id)
            self.names[account_id] = name
            self.primary[account_id] = crm_id

    def add(self, account_id: int, crm_id: str | None, name: str) -> None:
        """Register an account created during the import."""
        if crm_id:
            self.by_crm[crm_id] = account_id
            self.holders.add(account_id)
        self.by_name[company_key(name)].append(account_id)
        self.names[account_id] = name
        self.primary[account_id] = crm_id

    def named(self, name: str) -> list[int]:
        """The accounts whose name folds like ``name`` (legal suffixes dropped)."""
        return self.by_name.get(company_key(name), [])

    def resolve(self, ctx: RowContext, position: int, crm_id: object, name: object) -> int | None:
        """The account a row refers to, or None after rejecting (or skipping) the row.

        Any of the account's ids is tried first, then the website domain (when the file has one),
        then the name folded without legal suffixes; an unknown reference, or one that fits
        several accounts, rejects the row naming the candidates.
        """
        if isinstance(crm_id, str):
            found = self.by_crm.get(crm_id)
            if found is not None:
                return found
            if crm_id in self.clashes:
                self._ambiguous(ctx, position, "crm_id", crm_id, self.clashes[crm_id])
                return None
        if self._domains is None:
            self._domains = ctx.parsed.values.get("domain") or []
        domain = self._domains[position] if self._domains else None
        if isinstance(domain, str):
            owners = self.by_domain.get(domain, [])
            if len(owners) == 1:
                return owners[0]
            if owners:
                self._ambiguous(ctx, position, "domain", domain, owners)
                return None
        if isinstance(name, str):
            found_names = self.named(name)
            if len(found_names) == 1:
                return found_names[0]
            if found_names:
                self._ambiguous(ctx, position, "name", name, found_names)
                return None
        if crm_id is None and name is None and domain is None:
            ctx.skip_or_reject_keyless(position, "account ID or name")
            return None
        field = "crm_id" if crm_id is not None else "name" if name is not None else "domain"
        ref = crm_id if crm_id is not None else name if name is not None else domain
        ctx.parsed.reject(
            position, ctx.header(field), "unknown_account", f"no account {ref!r} in the portfolio"
        )
        return None

    def _ambiguous(
        self, ctx: RowContext, position: int, field: str, ref: str, ids: list[int]
    ) -> None:
        who = describe_accounts(self.names, self.primary, ids)
        ctx.parsed.reject(
            position,
            ctx.header(field),
            "ambiguous",
            f"{ref!r} matches {len(ids)} accounts: {who}; add the account ID or merge them",
        )
