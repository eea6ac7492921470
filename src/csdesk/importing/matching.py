"""Matching the rows of an accounts import to existing or new accounts, across systems (SPEC 3.1,
3.3): by an id of the file's system, then the website domain, then the name folded without legal
suffixes; an account found by domain or name adopts the row's id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from csdesk.importing.context import PROGRESS_EVERY, ImportContext
from csdesk.importing.identity import describe_accounts, file_system, load_ids
from csdesk.scoring.catalog import fold_name
from csdesk.scoring.ids import company_key

__all__ = ["AccountMatcher", "match_rows"]

_REJECTED = object()


class AccountMatcher:
    """Sequential matching of rows to existing or new accounts (negative keys are new).

    A row with an id of the file's system matches the account holding it; else the one account
    with its website domain, else with its name folded without legal suffixes, that has no id of
    that system yet (it adopts the row's id); else a new account (SPEC 3.3).
    """

    def __init__(self, ctx: ImportContext, fields: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.system = file_system(ctx.layout, ctx.column("crm_id"))
        # id → (id, name_key, *fields) as stored
        self.state: dict[int, tuple[Any, ...]] = {}
        self.by_crm, self.clashes, self.holders = load_ids(ctx.bulk, self.system)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_domain: dict[str, list[int]] = defaultdict(list)
        self.crm_of: dict[int, str | None] = {}
        self.adopted: set[int] = set()
        self.by_id: set[int] = set()  # positions matched through the account's primary id
        self.new_ids: list[tuple[int, str]] = []  # (account key, id of the file's system)
        self.new_keys = 0
        self.name_key_of: dict[int, str] = {}  # new accounts' folded names
        self.names: dict[int, str] = {}
        columns = ", ".join(("id", "name_key", *fields))
        # Places in a stored row, which is (id, name_key, *fields).
        name_slot, domain_slot = 2 + fields.index("name"), 2 + fields.index("domain")
        for row in ctx.bulk.rows(f"SELECT {columns} FROM accounts"):
            account_id, name_key, crm_id = row[0], row[1], row[2]
            self.state[account_id] = row
            if crm_id:
                self.by_crm.setdefault(crm_id, account_id)
            self.crm_of[account_id] = crm_id
            self.by_name[company_key(name_key)].append(account_id)
            if row[domain_slot]:
                self.by_domain[row[domain_slot]].append(account_id)
            self.names[account_id] = row[name_slot]
        self.primaries = {crm for crm in self.crm_of.values() if crm}

    def _new(
        self, crm_id: str | None, name_key: str, company: str, domain: str | None, name: str
    ) -> int:
        self.new_keys -= 1
        key = self.new_keys
        self.name_key_of[key] = name_key
        self.names[key] = name
        # The first id is the primary one, unless another system's account already shows it.
        self.crm_of[key] = crm_id if crm_id not in self.primaries else None
        if crm_id:
            self.primaries.add(crm_id)
            self._adopt(key, crm_id)
        self.by_name[company].append(key)
        if domain:
            self.by_domain[domain].append(key)
        return key

    def _adopt(self, key: int, crm_id: str) -> None:
        self.by_crm[crm_id] = key
        self.holders.add(key)
        self.new_ids.append((key, crm_id))

    def _fit(
        self, position: int, domain: str | None, name_key: str | None, free: bool
    ) -> int | object | None:
        """The one account a row fits by domain, else by ``name_key`` (a :func:`company_key`),
        only those without an id of the file's system when ``free``; None when none fits,
        ``_REJECTED`` when several do.
        """
        for field, pool in (
            ("domain", self.by_domain.get(domain) if domain else None),
            ("name", self.by_name.get(name_key) if name_key else None),
        ):
            if not pool:
                continue
            fits = [k for k in pool if k not in self.holders] if free else pool
            if len(fits) == 1:
                return fits[0]
            if fits:
                who = describe_accounts(self.names, self.crm_of, fits)
                hint = "without an ID of this system" if free else "; add the account ID"
                self.ctx.parsed.reject(
                    position, self.ctx.header(field), "ambiguous",
                    f"the {field} matches {len(fits)} accounts {hint}: {who}",
                )  # fmt: skip
                return _REJECTED
        return None

    def match(
        self, position: int, crm_id: str | None, name_key: str | None, domain: str | None
    ) -> int | None:
        """The account key of a row, or None after rejecting or skipping it."""
        parsed, ctx = self.ctx.parsed, self.ctx
        company = company_key(name_key) if name_key is not None else None
        if crm_id is not None:
            key = self.by_crm.get(crm_id)
            if key is not None:
                if self.crm_of[key] == crm_id:
                    self.by_id.add(position)
                return key
            if crm_id in self.clashes:
                who = describe_accounts(self.names, self.crm_of, self.clashes[crm_id])
                parsed.reject(
                    position, ctx.header("crm_id"), "ambiguous",
                    f"{crm_id!r} is an ID of several accounts: {who}; name the system in the "
                    "mapping",
                )  # fmt: skip
                return None
            fit = self._fit(position, domain, company, free=True)
            if fit is _REJECTED:
                return None
            if isinstance(fit, int):
                key = fit
                self._adopt(key, crm_id)
                if self.crm_of[key] is None and crm_id not in self.primaries:
                    self.crm_of[key] = crm_id
                    self.primaries.add(crm_id)
                if key > 0:
                    self.adopted.add(key)
                return key
            if name_key is None:
                parsed.reject(
                    position, ctx.header("crm_id"), "no_name",
                    f"no account {crm_id!r} yet, and a new account needs a name",
                )  # fmt: skip
                return None
            return self._new(crm_id, name_key, company, domain, ctx.column("name")[position])  # type: ignore[arg-type]
        if name_key is not None or domain is not None:
            fit = self._fit(position, domain, company, free=False)
            if fit is _REJECTED:
                return None
            if isinstance(fit, int):
                return fit
            if name_key is None:
                parsed.reject(
                    position, ctx.header("domain"), "no_name",
                    f"no account with the domain {domain!r} yet, and a new account needs a name",
                )  # fmt: skip
                return None
            return self._new(None, name_key, company, domain, ctx.column("name")[position])  # type: ignore[arg-type]
        ctx.skip_or_reject_keyless(position, "account ID or name")
        return None


def match_rows(ctx: ImportContext, matcher: AccountMatcher) -> dict[int, list[int]]:
    parsed = ctx.parsed
    crm_ids = ctx.column("crm_id")
    names = ctx.column("name")
    domains = ctx.column("domain")
    errors = parsed.errors
    groups: dict[int, list[int]] = {}
    known, by_id, primary = matcher.by_crm, matcher.by_id, matcher.crm_of
    ctx.progress.start(len(parsed), "Matching accounts")
    for position, (crm_id, name) in enumerate(zip(crm_ids, names, strict=True)):
        if position % PROGRESS_EVERY == 0:
            ctx.tick(position)
        if position in errors:
            continue
        key = known.get(crm_id) if isinstance(crm_id, str) else None
        if key is not None:  # the common case of a re-import, inline
            if primary[key] == crm_id:
                by_id.add(position)
        else:
            name_key = fold_name(name) if name else None  # type: ignore[arg-type]
            key = matcher.match(position, crm_id, name_key, domains[position])  # type: ignore[arg-type]
            if key is None:
                continue
        if key in groups:
            groups[key].append(position)
        else:
            groups[key] = [position]
    ctx.progress.advance(len(parsed))
    return groups
