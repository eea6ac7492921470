"""Importing metric tables: long (account, date, metric, value) and wide (one column per metric).

Every row must name an existing account; each value becomes a snapshot unless it equals the newest
stored value at or before its date (see :mod:`csdesk.importing.snapshots`).
"""

from __future__ import annotations

from csdesk.db.bulk import table_of
from csdesk.importing.context import AccountRefs, ImportContext
from csdesk.importing.snapshots import Point, write_points
from csdesk.importing.summary import KindOutcome
from csdesk.models import MetricSnapshot
from csdesk.progress import check_cancel

__all__ = ["import_metrics", "write_metric_points"]

_SNAPSHOTS = table_of(MetricSnapshot)


def import_metrics(ctx: ImportContext) -> KindOutcome:
    """Write the metric values of a metrics file; rows for unknown accounts are rejected."""
    parsed, bulk = ctx.parsed, ctx.bulk
    refs = AccountRefs(bulk)
    crm_ids, names = ctx.column("crm_id"), ctx.column("name")
    as_of_values = parsed.values.get("as_of")
    as_of = bulk.storage(_SNAPSHOTS, "as_of", as_of_values) if as_of_values else None
    today = bulk.stored(_SNAPSHOTS, "as_of", ctx.today)
    long_metric, long_value = parsed.values.get("metric"), parsed.values.get("value")
    wide = [(f[7:], parsed.values[f]) for f in parsed.values if f.startswith("metric:")]
    points: list[Point] = []
    ctx.progress.start(len(parsed), "Matching accounts")
    for position in range(len(parsed)):
        ctx.tick(position + 1)
        if position in parsed.errors:
            continue
        row_points: list[tuple[str, float]] = []
        if long_metric is not None and long_value is not None:
            metric, value = long_metric[position], long_value[position]
            if value is not None and metric is None:
                parsed.reject(position, ctx.header("metric"), "no_metric", "no metric name")
                continue
            if value is not None:
                row_points.append((metric, value))
        row_points += [
            (key, column[position]) for key, column in wide if column[position] is not None
        ]
        account_id = refs.resolve(ctx, position, crm_ids[position], names[position])
        if account_id is None:
            continue
        if not row_points:
            parsed.skipped += 1
            continue
        day = as_of[position] if as_of and as_of[position] is not None else today
        points += [(account_id, key, day, value) for key, value in row_points]
    check_cancel(ctx.progress)
    return write_metric_points(ctx, points)


def write_metric_points(ctx: ImportContext, points: list[Point]) -> KindOutcome:
    """Write a metrics or events file's points as snapshots, with progress, and count them."""
    ctx.progress.start(len(points), "Writing metrics")
    result = write_points(ctx.bulk, points)
    ctx.progress.advance(len(points))
    check_cancel(ctx.progress)
    return KindOutcome(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        accounts=result.accounts,
        metrics=bool(result.accounts),
    )
