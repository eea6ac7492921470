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

from csdesk.importing.bulk import Bulk
from csdesk.models import MetricLatest, MetricSnapshot

__all__ = ["MetricOutcome", "Point", "write_points"]

_SNAPSHOTS = MetricSnapshot.__table__
_LATEST = MetricLatest.__table__

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
    marks = ", ".join(bulk.marker for _ in metrics)
    sql = f"SELECT account_id, metric, as_of, value FROM metric_latest WHERE metric IN ({marks})"
    for account_id, metric, as_of, value in bulk.rows(sql, sorted(metrics)):
        if account_id in accounts:
            latest[(account_id, metric)] = (as_of, value)
    return latest


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
    latest = _load_latest(bulk, old_accounts, {p[1] for p in points}) if old_accounts else {}
    inserts: list[Point] = []
    upserts: list[Point] = []
    latest_rows: list[Point] = []
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
    columns = ("account_id", "metric", "as_of", "value")
    bulk.insert(_SNAPSHOTS, columns, inserts)
    bulk.upsert(_SNAPSHOTS, columns, upserts, ("account_id", "metric", "as_of"))
    if latest:
        bulk.upsert(_LATEST, columns, latest_rows, ("account_id", "metric"))
    else:
        bulk.insert(_LATEST, columns, latest_rows)
    return result


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
