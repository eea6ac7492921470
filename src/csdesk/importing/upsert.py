"""Importing accounts: matching rows to accounts, merging repeats, and bulk writes (SPEC 3.1).

One query reads every account's comparable columns; rows are matched in memory by an id of the
file's system, then by website domain, then by name folded without legal suffixes (SPEC 3.3, with
:mod:`csdesk.importing.matching`); an account found by domain or name adopts the row's id.
Repeated rows for one account are merged (later non-empty cells win); each account's
state after the import is compared with its state before, in storage form, and only new or
changed accounts are written — with one executemany each for inserts and updates. Metric and
ROI-input columns follow in their own bulk writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from csdesk.db.bulk import table_of
from csdesk.importing.context import ImportContext
from csdesk.importing.identity import write_ids
from csdesk.importing.matching import AccountMatcher, match_rows
from csdesk.importing.renewal_outcomes import imply_churns, reject_future_outcomes, stated_outcomes
from csdesk.importing.snapshots import Point, write_points
from csdesk.importing.summary import KindOutcome, Outcome
from csdesk.models import Account, MetricSnapshot, RoiInput
from csdesk.progress import check_cancel
from csdesk.scoring.catalog import fold_name
from csdesk.scoring.renewal import renews
from csdesk.scoring.vocabulary import ACCOUNT_FIELD_NAMES, ROI_KEYS

__all__ = ["import_accounts"]

_ACCOUNTS = table_of(Account)
_ROI = table_of(RoiInput)
_SNAPSHOTS = table_of(MetricSnapshot)
_METRIC_SLICE = 20_000


def _last(column: Sequence[Any], positions: list[int]) -> Any:
    """The last non-empty value among ``positions`` (later rows win)."""
    for position in reversed(positions):
        value = column[position]
        if value is not None:
            return value
    return None


def _merged(column: Sequence[Any], groups: list[list[int]], firsts: list[int] | None) -> list[Any]:
    """Each group's value of a column; ``firsts`` is set when every group is one row."""
    if firsts is not None:
        return list(itemgetter(*firsts)(column)) if len(firsts) > 1 else [column[firsts[0]]]
    return [column[g[0]] if len(g) == 1 else _last(column, g) for g in groups]


def import_accounts(ctx: ImportContext) -> KindOutcome:
    """Create and update accounts (and their metrics and ROI inputs) from the parsed rows."""
    bulk, parsed = ctx.bulk, ctx.parsed
    matcher = AccountMatcher(ctx, ACCOUNT_FIELD_NAMES)
    reject_future_outcomes(ctx)
    groups = match_rows(ctx, matcher)
    check_cancel(ctx.progress)
    imply_churns(ctx, groups)
    stated = stated_outcomes(ctx, groups, matcher.state)
    fields = [f for f in ACCOUNT_FIELD_NAMES if f in parsed.values and f not in ("crm_id", "name")]
    store = {f: bulk.storage(_ACCOUNTS, f, parsed.values[f]) for f in fields}
    keys = list(groups)
    positions = list(groups.values())
    firsts = [g[0] for g in positions] if all(len(g) == 1 for g in positions) else None
    merged = {f: _merged(store[f], positions, firsts) for f in fields} if positions else {}
    names = ctx.column("name")
    outcome = KindOutcome()
    now = bulk.stored(_ACCOUNTS, "updated_at", ctx.now)

    new_index = [i for i, k in enumerate(keys) if k < 0]
    ids = bulk.reserve_ids(_ACCOUNTS, len(new_index))
    real: dict[int, int] = {
        keys[i]: account_id for i, account_id in zip(new_index, ids, strict=True)
    }
    if new_index:
        ctx.progress.start(len(new_index), "Creating accounts")
        new_names = [_last(names, positions[i]) for i in new_index]
        status = merged.get("status")
        statuses = [status[i] if status else None for i in new_index]
        for j, i in enumerate(new_index):
            if statuses[j] is None:
                has_contract = any(
                    f in merged and merged[f][i] is not None
                    for f in ("contract_start", "renewal_date", "arr")
                )
                statuses[j] = "active" if has_contract else "prospect"
        prepay = merged.get("annual_prepay")
        false = bulk.stored(_ACCOUNTS, "annual_prepay", False)
        columns = ["id", "crm_id", "name", "name_key", "status", "annual_prepay", "created_at",
                   "updated_at"]  # fmt: skip
        data: list[list[Any]] = [
            ids,
            [matcher.crm_of[keys[i]] for i in new_index],
            new_names,
            [
                matcher.name_key_of[keys[i]] if len(positions[i]) == 1 else fold_name(name)
                for i, name in zip(new_index, new_names, strict=True)
            ],
            statuses,
            [prepay[i] if prepay and prepay[i] is not None else false for i in new_index],
            [now] * len(new_index),
            [now] * len(new_index),
        ]
        for f in fields:
            if f not in ("status", "annual_prepay"):
                columns.append(f)
                data.append([merged[f][i] for i in new_index])
        scorer = ctx.score_new if len(new_index) == len(keys) else None
        if scorer is not None and firsts is not None:  # a first import: every metric value
            columns += ["health_computed_score", "health_score", "health_band",
                        "health_updated_at"]  # fmt: skip
            health = list(map(scorer, ids, _newest_values(ctx, firsts)))
            scores = [score for score, _ in health]
            # As the recompute would: no score, no update, no time of one.
            updated = [None if score is None else now for score in scores]
            data += [scores, scores, [band for _, band in health], updated]
            del health, scores, updated
        bulk.insert(_ACCOUNTS, columns, list(zip(*data, strict=True)))
        del data  # the metric write, where the import peaks, does not need the columns
        if scorer is not None and firsts is not None:
            scorer.inserted()
        outcome.created = len(new_index)
        outcome.accounts.update(ids)
        ctx.progress.advance(len(new_index))
        check_cancel(ctx.progress)

    changed = _update_existing(
        ctx, matcher, keys, positions, merged, fields, names, now, outcome.outcomes
    )
    del store, merged
    key_to_id = {k: real.get(k, k) for k in keys}
    if stated:  # the file's own word on a renewal replaces the guess from its moved date
        told = {o.account_id for o in stated}
        outcome.outcomes = [o for o in outcome.outcomes if o.account_id not in told]
        outcome.outcomes += [o._replace(account_id=key_to_id[o.account_id]) for o in stated]
    write_ids(bulk, ((key_to_id[k], matcher.system, i) for k, i in matcher.new_ids))
    del matcher  # its maps of every account's ids, names and stored row: not needed from here
    metric_accounts = _write_metrics(ctx, groups, key_to_id, frozenset(ids))
    roi_accounts = _write_roi(ctx, keys, positions, key_to_id)
    existing = [k for k in keys if k > 0]
    touched = changed | metric_accounts | roi_accounts
    outcome.updated = sum(1 for k in existing if k in touched)
    outcome.unchanged = len(existing) - outcome.updated
    outcome.accounts |= {k for k in existing if k in touched}
    outcome.metrics = bool(metric_accounts)
    outcome.roi = bool(roi_accounts)
    return outcome


def _newest_values(ctx: ImportContext, positions: list[int]) -> Iterator[dict[str, float]]:
    """Each new account's metric values in a first import (every row a new account), one at a
    time: they are all its metrics, so the newest."""
    columns = [(f[7:], ctx.parsed.values[f]) for f in ctx.parsed.values if f.startswith("metric:")]
    for p in positions:
        yield {metric: column[p] for metric, column in columns if column[p] is not None}


def _renewal_mover(
    ctx: ImportContext, fields: list[str]
) -> Callable[[int, Sequence[Any], tuple[Any, ...]], Outcome | None]:
    """A check of one account's update: a passed renewal date moved later is a renewal."""
    at = {f: i for i, f in enumerate(fields)}

    def stored_field(stored: Sequence[Any], name: str) -> Any:
        # Stored rows are (id, name_key, *ACCOUNT_FIELD_NAMES).
        return stored[2 + ACCOUNT_FIELD_NAMES.index(name)]

    def after(stored: Sequence[Any], final: tuple[Any, ...], name: str) -> Any:
        return final[at[name]] if name in at else stored_field(stored, name)

    def day(value: Any) -> dt.date | None:  # stored rows hold ISO text, parsed cells dates
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    def check(key: int, stored: Sequence[Any], final: tuple[Any, ...]) -> Outcome | None:
        old_date = day(stored_field(stored, "renewal_date"))
        new_date = day(final[at["renewal_date"]])
        if old_date is None or new_date is None or not old_date < new_date:
            return None
        if old_date > ctx.today or not renews(after(stored, final, "status")):
            return None
        # Both ARRs are in storage form (cents on SQLite): an outcome holds amounts.
        arr_before = ctx.bulk.loaded(_ACCOUNTS, "arr", stored_field(stored, "arr"))
        arr_after = ctx.bulk.loaded(_ACCOUNTS, "arr", after(stored, final, "arr"))
        return Outcome(key, "renewed", old_date, arr_before, arr_after, "import")

    return check


def _update_existing(
    ctx: ImportContext,
    matcher: AccountMatcher,
    keys: list[int],
    positions: list[list[int]],
    merged: dict[str, list[Any]],
    fields: list[str],
    names: list[Any],
    now: Any,
    outcomes: list[Outcome],
) -> set[int]:
    """Write the existing accounts whose state changes; returns their ids.

    A renewal date that has passed and moves later while the account still renews is a renewal
    that happened (SPEC 2.9): it is added to ``outcomes`` as renewed on the old date.
    """
    index = [i for i, k in enumerate(keys) if k > 0]
    if not index:
        return set()
    # Stored rows are (id, name_key, *ACCOUNT_FIELD_NAMES).
    slots = [2 + ACCOUNT_FIELD_NAMES.index(f) for f in fields]
    old_of = itemgetter(*slots) if len(slots) > 1 else (lambda row: (row[slots[0]],))
    name_slot = 2 + ACCOUNT_FIELD_NAMES.index("name")
    news = list(zip(*(merged[f] for f in fields), strict=True)) if fields else [()] * len(keys)
    state, adopted, by_id = matcher.state, matcher.adopted, matcher.by_id
    moved = _renewal_mover(ctx, fields) if "renewal_date" in fields else None
    rows: list[tuple[Any, ...]] = []
    ids: set[int] = set()
    for i in index:
        key = keys[i]
        stored = state[key]
        old = old_of(stored) if slots else ()
        new = news[i]
        changed = key in adopted
        if new != old:
            final = tuple(o if n is None else n for n, o in zip(new, old, strict=True))
            changed = changed or final != old
        else:
            final = old
        # A row matched by the account's primary id renames it; a row matched by another
        # system's id, or by domain or name, does not (each system spells names its own way).
        name = stored[name_slot]
        rows_of = positions[i]
        if len(rows_of) == 1:
            renamed = names[rows_of[0]] if rows_of[0] in by_id else None
        else:
            renamed = _last(names, [p for p in rows_of if p in by_id])
        if renamed is not None and renamed != name:
            name, changed = renamed, True
        if changed:
            ids.add(key)
            rows.append((matcher.crm_of[key], name, fold_name(name), *final, now, key))
            if moved is not None:
                renewed = moved(key, stored, final)
                if renewed is not None:
                    outcomes.append(renewed)
    ctx.progress.start(len(rows), "Updating accounts")
    ctx.bulk.update(
        _ACCOUNTS,
        ["crm_id", "name", "name_key", *fields, "updated_at"],
        "id",
        rows,
        increment=["version"],  # an edit opened before this import is refused, not lost
    )
    ctx.progress.advance(len(rows))
    check_cancel(ctx.progress)
    return ids


def _write_metrics(
    ctx: ImportContext,
    groups: dict[int, list[int]],
    key_to_id: dict[int, int],
    new_accounts: frozenset[int],
) -> set[int]:
    """Write the metric columns as snapshots; returns the accounts whose metrics changed."""
    metric_fields = [f for f in ctx.parsed.values if f.startswith("metric:")]
    if not metric_fields:
        return set()
    bulk = ctx.bulk
    as_of_column = ctx.parsed.values.get("as_of")
    today = bulk.stored(_SNAPSHOTS, "as_of", ctx.today)
    as_of = bulk.storage(_SNAPSHOTS, "as_of", as_of_column) if as_of_column else None
    unique = all(len(rows) == 1 for rows in groups.values())
    # A first import of many accounts writes its values in slices of accounts (each slice's new
    # ids are one range), so that they never all sit in memory; otherwise in one go.
    first = unique and all(k < 0 for k in groups)
    slices = list(groups.items())
    step = _METRIC_SLICE if first else max(len(slices), 1)
    columns = [(f[7:], ctx.parsed.values[f]) for f in metric_fields]
    ctx.progress.start(len(slices), "Writing metrics")
    changed: set[int] = set()
    for start in range(0, len(slices), step):
        part = slices[start : start + step]
        owner: list[tuple[int, int]] = sorted(
            (position, key_to_id[key]) for key, rows in part for position in rows
        )
        # Account by account, so that the snapshot indexes grow at their end.
        points: list[Point] = []
        append = points.append
        for position, account_id in owner:
            day = as_of[position] if as_of and as_of[position] is not None else today
            for metric, column in columns:
                value = column[position]
                if value is not None:
                    append((account_id, metric, day, value))
        ids = frozenset(key_to_id[key] for key, _ in part) & new_accounts if first else new_accounts
        changed |= write_points(bulk, points, ids, unique=unique).accounts
        del points, owner
        ctx.progress.advance(min(start + step, len(slices)))
        check_cancel(ctx.progress)
    return changed


def _write_roi(
    ctx: ImportContext, keys: list[int], positions: list[list[int]], key_to_id: dict[int, int]
) -> set[int]:
    fields = [f for f in ROI_KEYS if f"roi:{f}" in ctx.parsed.values]
    if not fields:
        return set()
    bulk = ctx.bulk
    stored = {
        row[0]: row[1:]
        for row in bulk.rows(f"SELECT account_id, {', '.join(ROI_KEYS)} FROM roi_inputs")
    }
    rows: list[tuple[Any, ...]] = []
    changed: set[int] = set()
    for key, rows_of in zip(keys, positions, strict=True):
        account_id = key_to_id[key]
        old = stored.get(account_id, (None,) * len(ROI_KEYS))
        new = list(old)
        for f in fields:
            value = _last(ctx.parsed.values[f"roi:{f}"], rows_of)
            if value is not None:
                new[ROI_KEYS.index(f)] = bulk.stored(_ROI, f, value)
        if account_id not in stored and all(v is None for v in new):
            continue
        if tuple(new) != tuple(old) or account_id not in stored:
            rows.append((account_id, *new))
            changed.add(account_id)
    bulk.upsert(_ROI, ("account_id", *ROI_KEYS), rows, ("account_id",))
    return changed
