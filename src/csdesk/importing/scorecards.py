"""Importing prospect scorecards; a scorecard for an unknown company creates it as a prospect."""

from __future__ import annotations

from typing import Any

from csdesk.db.bulk import table_of
from csdesk.importing.context import AccountRefs, ImportContext
from csdesk.importing.identity import file_system, write_ids
from csdesk.importing.summary import KindOutcome
from csdesk.models import CRITERION_KEYS, Account, ProspectScorecard
from csdesk.progress import check_cancel
from csdesk.scoring.catalog import fold_name
from csdesk.scoring.prospect import score_prospect

__all__ = ["import_scorecards"]

_ACCOUNTS = table_of(Account)
_CARDS = table_of(ProspectScorecard)
_COLUMNS = (
    *CRITERION_KEYS,
    *(f"{key}_note" for key in CRITERION_KEYS),
    "pilot_start",
    "in_cohort",
    "score",
)


def _accounts_for_rows(ctx: ImportContext, refs: AccountRefs) -> dict[int, list[int]]:
    """Account id → the positions of its rows; unknown companies become new prospects."""
    crm_ids, names = ctx.column("crm_id"), ctx.column("name")
    parsed = ctx.parsed
    by_account: dict[int, list[int]] = {}
    pending: dict[str, tuple[int, str | None, str]] = {}
    ctx.progress.start(len(parsed), "Matching companies")
    for position in range(len(parsed)):
        ctx.tick(position + 1)
        if position in parsed.errors:
            continue
        crm_id, name = crm_ids[position], names[position]
        account_id = refs.by_crm.get(crm_id) if isinstance(crm_id, str) else None
        if account_id is None and isinstance(name, str):
            found = refs.named(name)
            if len(found) > 1:
                detail = f"{name!r} matches {len(found)} accounts; add the account ID"
                parsed.reject(position, ctx.header("name"), "ambiguous", detail)
                continue
            account_id = found[0] if found else None
        if account_id is None:
            if not isinstance(name, str):
                if crm_id is None:
                    ctx.skip_or_reject_keyless(position, "company ID or name")
                else:
                    detail = f"no account {crm_id!r} yet, and a new prospect needs a name"
                    parsed.reject(position, ctx.header("crm_id"), "no_name", detail)
                continue
            key = fold_name(name)
            if key not in pending:
                pending[key] = (
                    -len(pending) - 1,
                    crm_id if isinstance(crm_id, str) else None,
                    name,
                )
            account_id = pending[key][0]
        by_account.setdefault(account_id, []).append(position)
    check_cancel(ctx.progress)
    if pending:
        bulk = ctx.bulk
        ids = bulk.reserve_ids(_ACCOUNTS, len(pending))
        now = bulk.stored(_ACCOUNTS, "created_at", ctx.now)
        false = bulk.stored(_ACCOUNTS, "annual_prepay", False)
        rows: list[tuple[Any, ...]] = []
        for new_id, (placeholder, crm_id, name) in zip(ids, pending.values(), strict=True):
            rows.append((new_id, crm_id, name, fold_name(name), "prospect", false, now, now))
            by_account[new_id] = by_account.pop(placeholder)
            refs.add(new_id, crm_id, name)
        columns = ("id", "crm_id", "name", "name_key", "status", "annual_prepay", "created_at",
                   "updated_at")  # fmt: skip
        bulk.insert(_ACCOUNTS, columns, rows)
        system = file_system(ctx.layout, crm_ids)
        write_ids(bulk, ((row[0], system, row[1]) for row in rows if row[1]))
    return by_account


def import_scorecards(ctx: ImportContext) -> KindOutcome:
    """Create or update one scorecard per company, with its score recomputed."""
    bulk = ctx.bulk
    refs = AccountRefs(bulk)
    known = set(refs.names)
    by_account = _accounts_for_rows(ctx, refs)
    stored = {
        row[0]: row[1:]
        for row in bulk.rows(f"SELECT account_id, {', '.join(_COLUMNS)} FROM prospect_scorecards")
    }
    values = {c: ctx.parsed.values[c] for c in _COLUMNS if c in ctx.parsed.values}
    storage = {c: bulk.storage(_CARDS, c, v) for c, v in values.items()}
    false = bulk.stored(_CARDS, "in_cohort", False)
    now = bulk.stored(_CARDS, "updated_at", ctx.now)
    outcome = KindOutcome(prospects=True)
    rows: list[tuple[Any, ...]] = []
    for account_id, positions in by_account.items():
        old = stored.get(account_id)
        new = list(old) if old is not None else [None] * (len(_COLUMNS) - 2) + [false, None]
        for index, column in enumerate(_COLUMNS[:-1]):
            if column in storage:
                for position in positions:
                    if storage[column][position] is not None:
                        new[index] = storage[column][position]
        scores = {key: new[i] for i, key in enumerate(CRITERION_KEYS)}
        new[-1] = score_prospect(scores).score
        if old is not None and tuple(new) == tuple(old):
            outcome.unchanged += 1
            continue
        rows.append((account_id, *new, now))
        outcome.accounts.add(account_id)
        if old is None:
            outcome.created += 1
        else:
            outcome.updated += 1
    outcome.accounts |= set(by_account) - known
    bulk.upsert(_CARDS, ("account_id", *_COLUMNS, "updated_at"), rows, ("account_id",))
    return outcome
