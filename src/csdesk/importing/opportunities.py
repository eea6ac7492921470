"""Importing CRM opportunities: renewal dates, likelihoods and outcomes, expansion (SPEC 3.2).

Each row is one opportunity of an existing account (opportunities never create accounts), kept by
its own id. An open renewal sets its account's renewal date from its close date (the earliest open
renewal, where there are several); its probability is the renewal's likelihood (read by the
renewal services from the stored opportunity). A won renewal is a renewed outcome, a lost one a
churned outcome, on the close date — handed back as data for the import service to record.
Expansion and upsell opportunities are stored and listed on the account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from csdesk.db.bulk import table_of
from csdesk.importing.context import AccountRefs, ImportContext
from csdesk.importing.records import RecordSet, own_id_index, own_id_keys
from csdesk.importing.summary import KindOutcome, Outcome
from csdesk.models import Account, Opportunity
from csdesk.scoring.catalog import fold_name

__all__ = ["import_opportunities", "opportunity_state", "opportunity_type"]

_ACCOUNTS = table_of(Account)
_EXPANSION_WORDS = ("expansion", "upsell", "up-sell", "upgrade", "cross-sell", "add-on", "addon")
_CENT = Decimal("0.01")
_TEN_THOUSANDTH = Decimal("0.0001")


def opportunity_type(kind: str | None, name: str | None) -> str:
    """``renewal``, ``expansion``, ``new`` or ``other`` from the CRM's type and the name."""
    text = (kind or "").casefold()
    if "renew" in text or (not text and "renewal" in (name or "").casefold()):
        return "renewal"
    if any(word in text for word in _EXPANSION_WORDS):
        return "expansion"
    if "new" in text:
        return "new"
    if not text and any(w in (name or "").casefold() for w in _EXPANSION_WORDS):
        return "expansion"
    return "other"


def opportunity_state(
    stage: str | None, won: bool | None, closed: bool | None, probability: float | None
) -> str:
    """``open``, ``won`` or ``lost``: from IsWon/IsClosed where the file has them, else the
    stage ("Closed Won", "closedlost" …)."""
    if closed is not None or won is not None:
        if won:
            return "won"
        if closed:
            return "lost"
        if closed is False:
            return "open"
    folded = (stage or "").casefold().replace(" ", "").replace("-", "").replace("_", "")
    if "closedwon" in folded or folded == "won":
        return "won"
    if "closedlost" in folded or folded == "lost":
        return "lost"
    if closed is None and won is False and probability == 0:
        return "lost"
    return "open"


def _money(value: Any, step: Decimal) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(step)


def import_opportunities(ctx: ImportContext) -> KindOutcome:
    """Opportunities of existing accounts, the renewal dates they set and the outcomes they show."""
    columns = ("account_id", "external_id", "source", "name", "type", "stage", "state",
               "close_date", "amount", "probability")  # fmt: skip
    records = RecordSet(ctx, table_of(Opportunity), columns)
    own_id_index(records, 1, lambda row: ("k", row[0], fold_name(row[3] or ""), row[7]))

    def col(name: str) -> list[Any]:
        return ctx.column(name)

    ids, names, kinds, stages = (
        col(n) for n in ("external_id", "opportunity_name", "opportunity_type", "stage")
    )
    closes, amounts, chances = col("close_date"), col("amount"), col("probability")
    won, closed = col("is_won"), col("is_closed")
    stored_close = records.column("close_date")
    refs = AccountRefs(ctx.bulk)
    crm_ids, account_names = col("crm_id"), col("name")
    ctx.progress.start(len(ctx.parsed), "Matching opportunities")
    renewals: dict[int, dt.date] = {}
    results: dict[tuple[int, dt.date, str], Decimal | None] = {}
    for position in range(len(ctx.parsed)):
        ctx.tick(position + 1)
        if position in ctx.parsed.errors:
            continue
        account_id = refs.resolve(ctx, position, crm_ids[position], account_names[position])
        if account_id is None:
            continue
        close = closes[position]
        kind = opportunity_type(kinds[position], names[position])
        state = opportunity_state(stages[position], won[position], closed[position],
                                  chances[position])  # fmt: skip
        if close is None and (state != "open" or kind == "renewal"):
            ctx.parsed.reject(position, ctx.header("close_date"), "missing", "no close date")
            continue
        amount = _money(amounts[position], _CENT)
        natural: Hashable = ("k", account_id, fold_name(str(names[position] or "")),
                             stored_close[position])  # fmt: skip
        values = {"account_id": account_id, "external_id": ids[position],
                  "source": ctx.layout.source, "name": names[position], "type": kind,
                  "stage": stages[position], "state": state,
                  "close_date": stored_close[position],
                  "amount": records.storage("amount", amount),
                  "probability": records.storage(
                      "probability", _money(chances[position], _TEN_THOUSANDTH))}  # fmt: skip
        records.add(own_id_keys(ctx, ids[position], natural), values)
        if kind == "renewal" and close is not None:
            if state == "open":
                renewals[account_id] = min(close, renewals.get(account_id, close))
            else:
                results[(account_id, close, "renewed" if state == "won" else "churned")] = amount
    outcome = records.write({"source": ctx.layout.source})
    outcome.opportunities = bool(outcome.created or outcome.updated)
    outcome.accounts |= _set_renewal_dates(ctx, renewals)
    outcome.outcomes = _outcomes(ctx, results)
    return outcome


def _set_renewal_dates(ctx: ImportContext, renewals: dict[int, dt.date]) -> set[int]:
    """Give each account its open renewal's close date; returns the accounts changed."""
    if not renewals:
        return set()
    bulk = ctx.bulk
    stored = {
        account_id: bulk.stored(_ACCOUNTS, "renewal_date", day)
        for account_id, day in renewals.items()
    }
    current = dict(
        bulk.rows_in("SELECT id, renewal_date FROM accounts WHERE id IN ({in})", sorted(renewals))
    )
    now = bulk.stored(_ACCOUNTS, "updated_at", ctx.now)
    rows = [(day, now, a) for a, day in stored.items() if current.get(a) != day]
    bulk.update(_ACCOUNTS, ["renewal_date", "updated_at"], "id", rows)
    return {row[2] for row in rows}


def _outcomes(
    ctx: ImportContext, results: dict[tuple[int, dt.date, str], Decimal | None]
) -> list[Outcome]:
    """Won and lost renewals as outcomes, with the account's ARR before them."""
    if not results:
        return []
    accounts = sorted({key[0] for key in results})
    arr = dict(ctx.bulk.rows_in("SELECT id, arr FROM accounts WHERE id IN ({in})", accounts))
    out: list[Outcome] = []
    for (account_id, day, result), amount in results.items():
        before = ctx.bulk.loaded(_ACCOUNTS, "arr", arr.get(account_id))  # cents on SQLite
        after = (
            Decimal("0.00") if result == "churned" else (amount if amount is not None else before)
        )
        out.append(Outcome(account_id, result, day, before, after, ctx.layout.source))
    return out
