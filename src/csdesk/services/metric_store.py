"""Keeps ``metric_latest`` (newest value per account and metric) in step with the history."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from csdesk.models import MetricLatest

_REBUILD = """
INSERT INTO metric_latest (account_id, metric, as_of, value)
SELECT s.account_id, s.metric, s.as_of, s.value
FROM metric_snapshots AS s
JOIN (
    SELECT account_id, metric, MAX(as_of) AS as_of
    FROM metric_snapshots {where}
    GROUP BY account_id, metric
) AS newest
  ON newest.account_id = s.account_id AND newest.metric = s.metric AND newest.as_of = s.as_of
"""


def rebuild_metric_latest(session: Session, account_ids: Collection[int] | None = None) -> None:
    """Recompute ``metric_latest`` from ``metric_snapshots`` (all accounts, or the given ones)."""
    if account_ids is None:
        session.execute(delete(MetricLatest))
        session.execute(text(_REBUILD.format(where="")))
        return
    ids = list(account_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        session.execute(delete(MetricLatest).where(MetricLatest.account_id.in_(chunk)))
        placeholders = ",".join(str(int(i)) for i in chunk)
        session.execute(text(_REBUILD.format(where=f"WHERE account_id IN ({placeholders})")))
