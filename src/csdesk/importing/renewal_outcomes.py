"""Renewal outcomes an accounts file states: "Renewal Outcome" and "Churn Date" (SPEC 2.9).

A row may say how its account's renewal ended ("Renewal Outcome": renewed, churned, or a CRM's
word for them — expanded and downgraded are renewals, their ARR before and after tell which) and
when ("Outcome Date"; a churn's "Churn Date"; else the contract end that has passed). Each such
row becomes one outcome, handed back as data for the import service to record (idempotently per
account, day and outcome, so a file imported twice records it once), like the outcomes of
renewal opportunities and of renewal dates that pass and move on.

The account follows what the file says where its own cells are empty: a row whose newest outcome
is a churn, or that has a churn date that has passed, makes its account churned when the row
gives no status; a churn takes the outcome's date as its churn date when the row gives none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from csdesk.importing.bulk import table_of
from csdesk.importing.context import ImportContext
from csdesk.importing.summary import Outcome
from csdesk.models import Account
from csdesk.scoring.vocabulary import ACCOUNT_FIELD_NAMES, CHURNED

__all__ = ["imply_churns", "reject_future_outcomes", "stated_outcomes"]

_ACCOUNTS = table_of(Account)
_SOURCE = "import"
_ZERO = Decimal("0.00")


def _day(value: Any) -> dt.date | None:
    """A stored date (ISO text on SQLite) or a parsed one as a date."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def reject_future_outcomes(ctx: ImportContext) -> None:
    """Reject the rows whose outcome date is after the import day: an outcome has happened."""
    dates = ctx.parsed.values.get("outcome_date")
    if not dates:
        return
    header = ctx.header("outcome_date")
    for position, day in enumerate(dates):
        if day is not None and day > ctx.today:
            ctx.parsed.reject(
                position,
                header,
                "future_outcome",
                f"outcome date {day.isoformat()} is after today: an outcome is what happened",
            )


def _newest_outcome_row(outcomes: Sequence[Any], rows: list[int]) -> int | None:
    """The account's last row stating an outcome (later rows win, as for every cell)."""
    for position in reversed(rows):
        if outcomes[position] is not None:
            return position
    return None


def imply_churns(ctx: ImportContext, groups: dict[int, list[int]]) -> None:
    """Make churned the accounts whose rows say they churned but give no status.

    An account's rows say so when the newest outcome among them is a churn, or when none states
    an outcome and one has a churn date that has passed. A churn's date, where the rows give
    none, is its outcome's date (so the churn and its outcome are one). Cells are filled in the
    parsed columns, so the account import writes them like any other cell.
    """
    values, today = ctx.parsed.values, ctx.today
    outcomes, churn_dates = values.get("renewal_outcome"), values.get("churned_on")
    if outcomes is None and churn_dates is None:
        return
    count = len(ctx.parsed)
    statuses = values.get("status") or [None] * count
    churned_on = churn_dates or [None] * count
    dates = ctx.column("outcome_date")
    filled = False
    for rows in groups.values():
        given = any(statuses[p] is not None for p in rows)
        newest = _newest_outcome_row(outcomes, rows) if outcomes is not None else None
        if newest is not None:
            if outcomes[newest] != CHURNED:  # type: ignore[index]
                continue
            if not given:
                statuses[newest] = CHURNED
            if all(churned_on[p] is None for p in rows) and dates[newest] is not None:
                churned_on[newest] = dates[newest]
            filled = True
        elif not given and any(churned_on[p] is not None and churned_on[p] <= today for p in rows):
            statuses[rows[-1]] = CHURNED
            filled = True
    if filled:
        values["status"] = statuses
        values["churned_on"] = churned_on


def stated_outcomes(ctx: ImportContext, groups: dict[int, list[int]], state: Any) -> list[Outcome]:
    """The outcome of every row that states one, with its day and the ARR around it.

    The day is the row's outcome date; for a churn, its churn date first; else the renewal date
    that ended — the row's when it has passed, else the account's stored one when that has. The
    ARR before is the row's prior ARR, else the account's stored ARR, else the row's ARR; after
    a renewal it is the row's renewed ARR, else its ARR, else the ARR before (a flat renewal);
    after a churn, zero. A renewal outcome without any such day is not recorded, with a warning.

    Args:
        ctx: The import.
        groups: Account key → positions of its rows (keys of new accounts are negative).
        state: Account key → its stored row ``(id, name_key, *ACCOUNT_FIELD_NAMES)`` before the
            import, for the accounts that existed.

    Returns:
        The outcomes, with account *keys* in ``account_id`` (the caller maps new accounts' keys
        to their ids).
    """
    values = ctx.parsed.values
    outcomes = values.get("renewal_outcome")
    if outcomes is None:
        return []
    today = ctx.today

    def column(name: str) -> list[Any]:
        return ctx.column(name)

    dates, churn_dates = column("outcome_date"), column("churned_on")
    renewals = column("renewal_date")
    befores, afters, arrs = column("arr_before"), column("arr_after"), column("arr")
    statuses = column("status")

    def stored(key: int, name: str) -> Any:
        row = state.get(key) if key > 0 else None
        return None if row is None else row[2 + ACCOUNT_FIELD_NAMES.index(name)]

    def passed(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= today else None

    found: list[Outcome] = []
    for key, rows in groups.items():
        stored_arr = ctx.bulk.loaded(_ACCOUNTS, "arr", stored(key, "arr"))
        stored_renewal = passed(_day(stored(key, "renewal_date")))
        for p in rows:
            result = outcomes[p]
            if result is None:
                continue
            churned = result == CHURNED
            candidates = [dates[p], passed(renewals[p]), stored_renewal]
            if churned:
                candidates.insert(0, passed(churn_dates[p]))
                candidates.insert(2, _day(stored(key, "churned_on")))
            day = next((d for d in candidates if d is not None), None)
            if day is None:
                if not (churned and (statuses[p] == CHURNED or stored(key, "status") == CHURNED)):
                    ctx.parsed.warnings.append((
                        ctx.parsed.numbers[p],
                        f"renewal outcome {result!r} not recorded: no outcome date, churn date "
                        "or renewal date that has passed says when",
                    ))  # fmt: skip
                continue  # a churn without a day is dated by the account's churn (today)
            before = next((a for a in (befores[p], stored_arr, arrs[p]) if a is not None), None)
            after = _ZERO if churned else next(
                (a for a in (afters[p], arrs[p], before) if a is not None), None
            )  # fmt: skip
            found.append(Outcome(key, result, day, before, after, _SOURCE))
    return found
