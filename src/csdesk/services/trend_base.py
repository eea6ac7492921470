"""The trend's baseline kept on each account: its score ``TREND_DAYS`` before the day asked.

The portfolio's trend is the health score minus the newest snapshot score at or before
``TREND_DAYS`` ago. ``accounts.trend_base`` holds that older score and ``ix_accounts_trend``
indexes the difference, so the trend sort walks an index instead of looking up 100,000
histories. The baselines are worked out for one day and hold, unchanged, for every later day
until the earliest snapshot newer than that day's cutoff becomes old enough itself (at most
``TREND_DAYS`` later): the ``trend_baseline`` setting names that range as ``start/end`` (ISO
dates, end excluded). The recompute works them out again when its day is outside the range; a
write that moves or adds older snapshots (a merge, its undo, the demo's history) clears the
range. Outside it the table service falls back to the look-up, so a stale baseline is never
shown or sorted by.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from csdesk.db.bulk import Bulk, table_of
from csdesk.models import Account, HealthSnapshot, Setting
from csdesk.services.portfolio_query import TREND_DAY_SETTING, TREND_DAYS
from csdesk.services.portfolio_sql import PAST_SCORE, trend_range

__all__ = ["forget_trend_bases", "keep_trend_bases", "restore_trend_bases", "trend_days"]


def trend_days(session: Session) -> tuple[dt.date, dt.date] | None:
    """The days the stored baselines hold for (start, end excluded), or None."""
    value = session.scalar(select(Setting.value).where(Setting.key == TREND_DAY_SETTING))
    return trend_range(value)


def forget_trend_bases(session: Session) -> str | None:
    """Stop using the stored baselines until the next recompute works them out again.

    For writes that move or add snapshots older than the stored range's start (merging two
    accounts' histories, a demo's history): a baseline may have changed.

    Returns:
        The range the baselines held for (the setting's text), or None.
    """
    held = session.scalar(select(Setting.value).where(Setting.key == TREND_DAY_SETTING))
    session.execute(delete(Setting).where(Setting.key == TREND_DAY_SETTING))
    return held


def restore_trend_bases(session: Session, held: str | None) -> None:
    """Store again a range :func:`forget_trend_bases` returned, once the rows it describes are
    back as they were (the undo of a merge)."""
    if held is not None:
        session.execute(insert(Setting).values(key=TREND_DAY_SETTING, value=held))


def keep_trend_bases(session: Session, today: dt.date) -> int:
    """Make every ``trend_base`` hold for ``today`` (nothing to do while the range does).

    Each account's baseline becomes its newest snapshot score at or before the cutoff
    ``today − TREND_DAYS``; only the rows whose baseline changes are written, and neither their
    ``updated_at`` nor their version moves (a derived value, as the health columns are). The
    range stored runs from ``today`` to ``TREND_DAYS`` after the earliest snapshot newer than
    the cutoff (or after ``today``, if it is earlier): until then no snapshot crosses the cutoff,
    as every later snapshot is dated ``today`` or after.

    Args:
        session: A write session (the caller's transaction).
        today: The day the trend is read on.

    Returns:
        The number of accounts whose baseline changed.
    """
    held = trend_days(session)
    if held is not None and held[0] <= today < held[1]:
        return 0
    bulk = Bulk(session)
    cutoff_day = today - dt.timedelta(days=TREND_DAYS)
    cutoff = bulk.stored(table_of(HealthSnapshot), "as_of", cutoff_day)
    past = PAST_SCORE.replace("?", bulk.marker)
    oldest = f"SELECT 1 FROM health_snapshots WHERE as_of <= {bulk.marker} LIMIT 1"
    if bulk.rows(oldest, [cutoff]):
        rows = bulk.rows(f"SELECT id, trend_base, {past} FROM accounts", [cutoff])
    else:  # No snapshot is old enough (a new portfolio): every baseline is empty.
        rows = bulk.rows("SELECT id, trend_base, NULL FROM accounts WHERE trend_base IS NOT NULL")
    changed = [(base, account_id) for account_id, old, base in rows if base != old]
    bulk.update(table_of(Account), ["trend_base"], "id", changed)
    [(newer,)] = bulk.rows(
        f"SELECT min(as_of) FROM health_snapshots WHERE as_of > {bulk.marker}", [cutoff]
    )
    first = today if newer is None else min(today, _day(newer))
    end = first + dt.timedelta(days=TREND_DAYS)
    forget_trend_bases(session)
    session.execute(
        insert(Setting).values(
            key=TREND_DAY_SETTING, value=f"{today.isoformat()}/{end.isoformat()}"
        )
    )
    return len(changed)


def _day(value: object) -> dt.date:
    """A date read back raw (ISO text from SQLite, a date from PostgreSQL)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
