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

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from csdesk.db.bulk import Bulk, table_of
from csdesk.models import Account, HealthSnapshot, Setting
from csdesk.services.portfolio_query import TREND_DAY_SETTING, TREND_DAYS
from csdesk.services.portfolio_sql import PAST_SCORE, trend_range, trend_range_holds

__all__ = [
    "forget_trend_bases",
    "keep_trend_bases",
    "restore_trend_bases",
    "snapshot_written",
    "trend_days",
]


def trend_days(session: Session) -> tuple[dt.date, dt.date] | None:
    """The days the stored baselines hold for (start, end excluded), or None."""
    value = session.scalar(select(Setting.value).where(Setting.key == TREND_DAY_SETTING))
    return trend_range(value)


def _replace(session: Session, value: str | None) -> str | None:
    """Put ``value`` in the setting's place (None: leave it empty); what it held before."""
    held = session.scalar(select(Setting.value).where(Setting.key == TREND_DAY_SETTING))
    session.execute(delete(Setting).where(Setting.key == TREND_DAY_SETTING))
    if value is not None:
        session.execute(insert(Setting).values(key=TREND_DAY_SETTING, value=value))
    return held


def forget_trend_bases(session: Session, mark: str | None = None) -> str | None:
    """Stop using the stored baselines until the next recompute works them out again.

    For writes that move, add or remove snapshots older than the stored range's start
    (merging two accounts' histories, an override dated before it, a demo's history): a
    baseline may have changed.

    Args:
        session: A write session.
        mark: Left in the setting's place, for :func:`restore_trend_bases` to recognise that
            nothing has set the baselines aside (or worked them out) since. It is not a range:
            the baselines stay unused meanwhile.

    Returns:
        What the setting held (a range, a mark, or None).
    """
    return _replace(session, mark)


def restore_trend_bases(session: Session, mark: str, held: str | None) -> None:
    """Store ``held`` again once the rows it describes are back as they were (the undo of a
    merge) — only if the setting still holds ``mark``, the merge's own: another merge or a
    recompute since may have left baselines ``held`` no longer describes."""
    if _replace(session, None) == mark:
        _replace(session, held)


def snapshot_written(session: Session, day: dt.date) -> None:
    """A snapshot dated ``day`` was written or removed outside a recompute (an override, its
    withdrawal): set the baselines aside if it is older than their range's start.

    The range assumes every snapshot written after it was worked out is dated on or after its
    start; a client whose date is behind the one that recomputed, or a clock set back, may
    write one before it.
    """
    held = trend_days(session)
    if held is not None and day < held[0]:
        forget_trend_bases(session)


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
    if trend_range_holds(trend_days(session), today):
        return 0
    cutoff = today - dt.timedelta(days=TREND_DAYS)
    as_of = HealthSnapshot.as_of
    bulk = Bulk(session)
    if session.scalar(select(HealthSnapshot.id).where(as_of <= cutoff).limit(1)) is not None:
        past = PAST_SCORE.replace("?", bulk.marker)
        stored_cutoff = bulk.stored(table_of(HealthSnapshot), "as_of", cutoff)
        rows = bulk.rows(f"SELECT id, trend_base, {past} FROM accounts", [stored_cutoff])
    else:  # No snapshot is old enough (a new portfolio): every baseline is empty.
        rows = bulk.rows("SELECT id, trend_base, NULL FROM accounts WHERE trend_base IS NOT NULL")
    changed = [(base, account_id) for account_id, old, base in rows if base != old]
    bulk.update(table_of(Account), ["trend_base"], "id", changed)
    newer = session.scalar(select(func.min(as_of)).where(as_of > cutoff))
    end = min(today, newer or today) + dt.timedelta(days=TREND_DAYS)
    _replace(session, f"{today.isoformat()}/{end.isoformat()}")
    return len(changed)
