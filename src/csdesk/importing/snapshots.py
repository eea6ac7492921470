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
        outcome: Per point (same order as given): ``created`` / ``updated`` / ``unchanged``.
        accounts: Accounts with at least one snapshot written.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    outcome: list[str] = field(default_factory=list)
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


def write_points(bulk: Bulk, points: list[Point]) -> MetricOutcome:
    """Write metric values; later points for the same account, metric and day win.

    Args:
        bulk: Bulk access inside the import's transaction.
        points: (account_id, metric, as_of in storage form, value), in file order.
    """
    result = MetricOutcome(outcome=["unchanged"] * len(points))
    final: dict[tuple[int, str, Any], int] = {}
    for index, (account_id, metric, as_of, _value) in enumerate(points):
        final[(account_id, metric, as_of)] = index
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (account_id, metric, _as_of), index in final.items():
        groups[(account_id, metric)].append(index)
    latest = _load_latest(bulk, {a for a, _ in groups}, {m for _, m in groups})
    backfill = [
        key
        for key, indices in groups.items()
        if key in latest and min(points[i][2] for i in indices) < latest[key][0]
    ]
    history = _load_history(bulk, backfill) if backfill else {}
    snapshot_rows: list[tuple[int, str, Any, float]] = []
    latest_rows: list[tuple[int, str, Any, float]] = []
    for key, indices in groups.items():
        indices.sort(key=lambda i: points[i][2])
        dates, values = history.get(key, ([], []))
        if key not in history and key in latest:
            dates, values = [latest[key][0]], [latest[key][1]]
        for index in indices:
            as_of, value = points[index][2], points[index][3]
            at = bisect.bisect_right(dates, as_of)
            if at and dates[at - 1] == as_of:
                if values[at - 1] == value:
                    continue
                values[at - 1] = value
                result.outcome[index] = "updated"
            elif at and values[at - 1] == value:
                continue
            else:
                dates.insert(at, as_of)
                values.insert(at, value)
                result.outcome[index] = "created"
            snapshot_rows.append((key[0], key[1], as_of, value))
            result.accounts.add(key[0])
        if dates and latest.get(key) != (dates[-1], values[-1]):
            latest_rows.append((key[0], key[1], dates[-1], values[-1]))
    result.created = result.outcome.count("created")
    result.updated = result.outcome.count("updated")
    result.unchanged = len(final) - result.created - result.updated
    columns = ("account_id", "metric", "as_of", "value")
    bulk.upsert(_SNAPSHOTS, columns, snapshot_rows, ("account_id", "metric", "as_of"))
    bulk.upsert(_LATEST, columns, latest_rows, ("account_id", "metric"))
    return result
