"""The trend's baseline kept on each account: its score ``TREND_DAYS`` before the trend day.

The portfolio's trend is the health score minus the newest snapshot score at or before
``TREND_DAYS`` ago. ``accounts.trend_base`` holds that older score for the day named by the
``trend_day`` setting, and ``ix_accounts_trend`` indexes the difference, so the trend sort walks
an index instead of looking up 100,000 histories. The recompute refreshes every account once a
day; a write that moves older snapshots (a merge and its undo) refreshes its accounts. When the
setting is not today the table service falls back to the look-up, so a stale value is never
shown or sorted by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from csdesk.db.bulk import Bulk, id_chunks, table_of
from csdesk.models import Account, HealthSnapshot, Setting
from csdesk.services.portfolio_query import TREND_DAY_SETTING, TREND_DAYS
from csdesk.services.portfolio_sql import PAST_SCORE

__all__ = ["keep_trend_bases", "trend_day"]


def trend_day(session: Session) -> dt.date | None:
    """The day the stored baselines hold for, or None when they were never worked out."""
    value = session.scalar(select(Setting.value).where(Setting.key == TREND_DAY_SETTING))
    return dt.date.fromisoformat(value) if value else None


def keep_trend_bases(session: Session, today: dt.date, account_ids: Collection[int] = ()) -> int:
    """Make ``trend_base`` the newest score at or before ``today − TREND_DAYS``.

    Every account is worked out when the stored trend day is not ``today`` (the first
    recompute of a day), and the day is stored; otherwise only ``account_ids``, whose older
    snapshots a write has just moved. Only the rows whose baseline changes are written, and
    neither their ``updated_at`` nor their version moves: it is a derived value, as the health
    columns are.

    Args:
        session: A write session (the caller's transaction).
        today: The day the trend is read on.
        account_ids: Accounts to refresh when the day's baselines are already stored.

    Returns:
        The number of accounts whose baseline changed.
    """
    full = trend_day(session) != today
    if not full and not account_ids:
        return 0
    bulk = Bulk(session)
    cutoff = bulk.stored(table_of(HealthSnapshot), "as_of", today - dt.timedelta(days=TREND_DAYS))
    past = PAST_SCORE.replace("?", bulk.marker)
    if full:
        oldest = f"SELECT 1 FROM health_snapshots WHERE as_of <= {bulk.marker} LIMIT 1"
        if bulk.rows(oldest, [cutoff]):
            rows = bulk.rows(f"SELECT id, trend_base, {past} FROM accounts", [cutoff])
        else:  # No snapshot is old enough (a new portfolio): every baseline is empty.
            rows = bulk.rows(
                "SELECT id, trend_base, NULL FROM accounts WHERE trend_base IS NOT NULL"
            )
    else:
        rows = [
            row
            for ids in id_chunks(account_ids)
            for row in bulk.rows(
                f"SELECT id, trend_base, {past} FROM accounts WHERE id IN ({ids})", [cutoff]
            )
        ]
    changed = [(base, account_id) for account_id, old, base in rows if base != old]
    bulk.update(table_of(Account), ["trend_base"], "id", changed)
    if full:
        session.execute(delete(Setting).where(Setting.key == TREND_DAY_SETTING))
        session.execute(insert(Setting).values(key=TREND_DAY_SETTING, value=today.isoformat()))
    return len(changed)
