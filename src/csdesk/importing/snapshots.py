"""Writing metric values as snapshots, keeping ``metric_latest`` in step (SPEC 3.1).

A value equal to the newest stored value at or before its date writes nothing; a value on a day
that already has one replaces it; any other value appends a snapshot. ``metric_latest`` follows
whenever the newest snapshot of an (account, metric) changes. Dates travel in storage form, which
sorts like the dates themselves (ISO text on SQLite, dates on PostgreSQL).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from csdesk.db.bulk import Bulk, table_of
from csdesk.models import MetricLatest, MetricSnapshot

__all__ = ["MetricOutcome", "Point", "write_points"]

_SNAPSHOTS = table_of(MetricSnapshot)
_LATEST = table_of(MetricLatest)

#: (account_id, metric, as_of in storage form, value)
Point = tuple[int, str, Any, float]


@dataclass(slots=True)
class MetricOutcome:
    """What writing a batch of metric values did.

    Attributes:
        created: New snapshots.
        updated: Snapshots whose value on that day changed.
        unchanged: Values that wrote nothing.
        accounts: Accounts with at least one snapshot written.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts: set[int] = field(default_factory=set)


def _load_latest(
    bulk: Bulk, accounts: set[int], metrics: set[str]
) -> dict[tuple[int, str], tuple[Any, float]]:
    latest: dict[tuple[int, str], tuple[Any, float]] = {}
    if not accounts:
        return latest
    sql = f"SELECT account_id, as_of, value FROM metric_latest WHERE metric = {bulk.marker}"
    for metric in sorted(metrics):
        for account_id, as_of, value in bulk.rows(sql, (metric,)):
            latest[(account_id, metric)] = (as_of, value)
    return latest


def _write_one_day(
    bulk: Bulk,
    points: list[Point],
    day: Any,
    new_accounts: frozenset[int],
    result: MetricOutcome,
) -> tuple[list[Point], list[Point], list[Point], list[Point]]:
    """Sort values all as of ``day``, one per (account, metric), against ``metric_latest``.

    The stored day is compared in SQL (-1 older, 0 same, 1 newer), so no dates are fetched.

    Returns:
        Snapshots to insert, snapshots to upsert, new ``metric_latest`` rows, and the values
        older than the stored newest one (they need the history).
    """
    m = bulk.marker
    sql = (
        f"SELECT account_id, CASE WHEN as_of < {m} THEN -1 WHEN as_of = {m} THEN 0 ELSE 1 END, "
        f"value FROM metric_latest WHERE metric = {m}"
    )
    stored = {
        metric: {row[0]: row for row in bulk.rows(sql, (day, day, metric))}
        for metric in {p[1] for p in points}
    }
    inserts: list[Point] = []
    upserts: list[Point] = []
    latest_rows: list[Point] = []
    older: list[Point] = []
    for point in points:
        found = stored[point[1]].get(point[0])
        if found is None:
            (inserts if point[0] in new_accounts else upserts).append(point)
            result.created += 1
        elif found[1] == 1:
            older.append(point)
            continue
        elif found[2] == point[3]:
            continue
        else:
            upserts.append(point)
            if found[1] == 0:
                result.updated += 1
            else:
                result.created += 1
        latest_rows.append(point)
        result.accounts.add(point[0])
    return inserts, upserts, latest_rows, older


def _load_history(
    bulk: Bulk, pairs: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[list[Any], list[float]]]:
    wanted = set(pairs)
    accounts = sorted({a for a, _ in wanted})
    history: dict[tuple[int, str], list[tuple[Any, float]]] = defaultdict(list)
    sql = "SELECT account_id, metric, as_of, value FROM metric_snapshots WHERE account_id IN ({in})"
    for account_id, metric, as_of, value in bulk.rows_in(sql, accounts):
        if (account_id, metric) in wanted:
            history[(account_id, metric)].append((as_of, value))
    out: dict[tuple[int, str], tuple[list[Any], list[float]]] = {}
    for key in wanted:
        rows = sorted(history.get(key, []))
        out[key] = ([d for d, _ in rows], [v for _, v in rows])
    return out


def write_points(
    bulk: Bulk,
    points: list[Point],
    new_accounts: frozenset[int] = frozenset(),
    *,
    unique: bool = False,
) -> MetricOutcome:
    """Write metric values; later points for the same account, metric and day win.

    Args:
        bulk: Bulk access inside the import's transaction.
        points: (account_id, metric, as_of in storage form, value), in file order.
        new_accounts: Accounts created by this import (they have no stored metrics).
        unique: The caller knows no (account, metric) occurs twice (one row per account).
    """
    result = MetricOutcome()
    single: list[Point] = points
    groups: dict[tuple[int, str], list[Point]] = {}
    if not unique:
        single, groups = _grouped(points)
    counted = len(single) + sum(len(g) for g in groups.values())
    old_accounts = {p[0] for p in points} - new_accounts
    days = {p[2] for p in single} if unique and old_accounts else set()
    if len(days) == 1:
        inserts, upserts, latest_rows, older = _write_one_day(
            bulk, single, days.pop(), new_accounts, result
        )
        if older:
            _backfill(bulk, result, {(p[0], p[1]): [p] for p in older}, upserts, latest_rows)
        result.unchanged = counted - result.created - result.updated
        _flush(bulk, inserts, upserts, latest_rows, upsert_latest=True)
        return result
    latest = _load_latest(bulk, old_accounts, {p[1] for p in points}) if old_accounts else {}
    inserts = []
    upserts = []
    latest_rows = []
    if not latest and not groups and not old_accounts and _contiguous(new_accounts):
        # A first import: snapshots go in as they are and metric_latest is copied from them
        # inside the database (the new ids are one unbroken range under the write lock).
        columns = ("account_id", "metric", "as_of", "value")
        bulk.insert(_SNAPSHOTS, columns, single)
        first_and_last = (min(new_accounts), max(new_accounts))
        bulk.copy_range(_SNAPSHOTS, "metric_latest", columns, first_and_last)
        result.created = len(single)
        result.accounts = {p[0] for p in single}
        return result
    if not latest:
        # Nothing stored for these accounts: every single value is new.
        for point in single:
            (inserts if point[0] in new_accounts else upserts).append(point)
        latest_rows = list(single)
        result.created = len(single)
        result.accounts = {p[0] for p in single}
        single = []
    for point in single:
        key = (point[0], point[1])
        stored = latest.get(key)
        if stored is None:
            (inserts if key[0] in new_accounts else upserts).append(point)
            result.created += 1
        elif point[2] < stored[0]:
            groups[key] = [point]
            continue
        elif point[3] == stored[1]:
            continue
        else:
            upserts.append(point)
            if point[2] == stored[0]:
                result.updated += 1
            else:
                result.created += 1
        latest_rows.append(point)
        result.accounts.add(key[0])
    backfill: list[tuple[int, str]] = []
    for key, group in groups.items():
        stored = latest.get(key)
        if stored is not None and min(p[2] for p in group) < stored[0]:
            backfill.append(key)
        else:
            dates, values = ([stored[0]], [stored[1]]) if stored else ([], [])
            _merge(result, key, group, dates, values, upserts, latest_rows, stored)
    if backfill:
        history = _load_history(bulk, backfill)
        for key in backfill:
            dates, values = history[key]
            _merge(result, key, groups[key], dates, values, upserts, latest_rows, latest[key])
    result.unchanged = counted - result.created - result.updated
    _flush(bulk, inserts, upserts, latest_rows, upsert_latest=bool(latest))
    return result


def _flush(
    bulk: Bulk,
    inserts: list[Point],
    upserts: list[Point],
    latest_rows: list[Point],
    *,
    upsert_latest: bool,
) -> None:
    columns = ("account_id", "metric", "as_of", "value")
    bulk.insert(_SNAPSHOTS, columns, inserts)
    bulk.upsert(_SNAPSHOTS, columns, upserts, ("account_id", "metric", "as_of"))
    if upsert_latest:
        bulk.upsert(_LATEST, columns, latest_rows, ("account_id", "metric"))
    else:
        bulk.insert(_LATEST, columns, latest_rows)


def _backfill(
    bulk: Bulk,
    result: MetricOutcome,
    groups: dict[tuple[int, str], list[Point]],
    upserts: list[Point],
    latest_rows: list[Point],
) -> None:
    """Fold values older than the stored newest one into the history (``metric_latest`` stays)."""
    history = _load_history(bulk, groups)
    for key, group in groups.items():
        dates, values = history[key]
        newest = (dates[-1], values[-1]) if dates else None
        _merge(result, key, group, dates, values, upserts, latest_rows, newest)


def _contiguous(ids: frozenset[int]) -> bool:
    return bool(ids) and max(ids) - min(ids) + 1 == len(ids)


def _grouped(points: list[Point]) -> tuple[list[Point], dict[tuple[int, str], list[Point]]]:
    """Points alone for their (account, metric), and the groups of several (later day wins)."""
    final: dict[tuple[int, str, Any], int] = {}
    for index, (account_id, metric, as_of, _value) in enumerate(points):
        final[(account_id, metric, as_of)] = index
    if len(final) < len(points):
        points = [points[i] for i in sorted(final.values())]
    single: dict[tuple[int, str], Point] = {}
    groups: dict[tuple[int, str], list[Point]] = {}
    for point in points:
        key = (point[0], point[1])
        if key in groups:
            groups[key].append(point)
        elif key in single:
            groups[key] = [single.pop(key), point]
        else:
            single[key] = point
    return list(single.values()), groups


def _merge(
    result: MetricOutcome,
    key: tuple[int, str],
    group: list[Point],
    dates: list[Any],
    values: list[float],
    upserts: list[Point],
    latest_rows: list[Point],
    stored: tuple[Any, float] | None,
) -> None:
    """Fold one (account, metric)'s new points into its history, oldest first."""
    for point in sorted(group, key=lambda p: p[2]):
        as_of, value = point[2], point[3]
        at = bisect.bisect_right(dates, as_of)
        if at and dates[at - 1] == as_of:
            if values[at - 1] == value:
                continue
            values[at - 1] = value
            result.updated += 1
        elif at and values[at - 1] == value:
            continue
        else:
            dates.insert(at, as_of)
            values.insert(at, value)
            result.created += 1
        upserts.append(point)
        result.accounts.add(key[0])
    if dates and stored != (dates[-1], values[-1]):
        latest_rows.append((key[0], key[1], dates[-1], values[-1]))
