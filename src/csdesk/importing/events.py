"""Importing per-event product exports (Mixpanel, Amplitude, Pendo shapes) as metric snapshots.

Each row is one event of an account: a time, and an event name and/or a user. Events are grouped
per account and day, then summed over the 30 days up to each month end and up to the newest
event's day (SPEC 3.2): ``logins_30d`` counts login events (login, log in, sign in, session
start …) — or, when no event of the file is a login, the distinct active days; ``active_users_30d``
counts distinct users; ``features_used`` counts distinct other event names. The values are written
like any metric, so equal values write no new snapshot.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import compress, repeat
from typing import Any

from csdesk.db.bulk import table_of
from csdesk.importing.context import AccountRefs, ImportContext
from csdesk.importing.metrics_import import write_metric_points
from csdesk.importing.snapshots import Point
from csdesk.importing.summary import KindOutcome
from csdesk.models import MetricSnapshot
from csdesk.progress import check_cancel

__all__ = ["import_events", "is_login", "snapshot_days"]

_SNAPSHOTS = table_of(MetricSnapshot)
_WINDOW = 30
_LOGIN = re.compile(
    r"(?:^|[^a-z])(?:log(?:ged)? ?in|sign(?:ed)? ?in|session ?start(?:ed)?)(?:$|[^a-z])"
)


def is_login(event: str) -> bool:
    """True for an event that is a login: ``Login``, ``User Logged In``, ``sign_in``,
    ``session_start`` …"""
    folded = event.casefold().replace("_", " ").replace("-", " ").replace("$", "")
    return _LOGIN.search(folded) is not None


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def snapshot_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Each month end from ``first``'s month up to ``last``, and ``last`` itself."""
    days: list[dt.date] = []
    end = _month_end(first)
    while end < last:
        days.append(end)
        end = _month_end(end + dt.timedelta(days=1))
    days.append(last)
    return days


def _by_account(
    pairs: Iterable[tuple[int, int]], triples: Iterable[tuple[int, int, object]]
) -> tuple[dict[int, set[int]], dict[int, dict[int, set[object]]]]:
    """Active days per account, and (account → day → set of values) from the triples."""
    days: dict[int, set[int]] = defaultdict(set)
    for account_id, day in pairs:
        days[account_id].add(day)
    values: dict[int, dict[int, set[object]]] = defaultdict(lambda: defaultdict(set))
    for account_id, day, value in triples:
        values[account_id][day].add(value)
    return days, values


def _window_count(per_day: dict[int, set[object]], day: int) -> int:
    found: set[object] = set()
    for d in range(day - _WINDOW + 1, day + 1):
        if d in per_day:
            found |= per_day[d]
    return len(found)


def import_events(ctx: ImportContext) -> KindOutcome:
    """Aggregate the events of existing accounts into metric snapshots; rows of unknown accounts
    are rejected."""
    parsed = ctx.parsed
    refs = AccountRefs(ctx.bulk)
    crm_ids, names = ctx.column("crm_id"), ctx.column("name")
    times: list[Any] = ctx.column("occurred_at")
    events: list[Any] = ctx.column("event")
    people: list[Any] = ctx.column("user")
    has_events, has_users = "event" in parsed.values, "user" in parsed.values
    ctx.progress.start(len(parsed), "Reading events")
    first: dict[tuple[object, object], int] = {}
    for position, key in enumerate(zip(crm_ids, names, strict=True)):
        if key not in first and position not in parsed.errors:
            first[key] = position
    account_of = {key: refs.resolve(ctx, position, *key) for key, position in first.items()}
    accounts: list[Any] = [account_of.get(key) for key in zip(crm_ids, names, strict=True)]
    # Rows of unknown accounts after the first, and rows without a time, are rejected.
    for position in compress(range(len(accounts)), map(operator.is_, accounts, repeat(None))):
        key = (crm_ids[position], names[position])
        if position not in parsed.errors and first.get(key) != position:
            refs.resolve(ctx, position, *key)
    for position in compress(range(len(times)), map(operator.is_, times, repeat(None))):
        if position not in parsed.errors and accounts[position] is not None:
            parsed.reject(position, ctx.header("occurred_at"), "missing", "no event time")
    check_cancel(ctx.progress)
    bad = parsed.errors.keys() | {i for i, a in enumerate(accounts) if a is None}
    if bad:
        keep = [i not in bad for i in range(len(accounts))]
        accounts = list(compress(accounts, keep))
        times, events, people = (list(compress(c, keep)) for c in (times, events, people))
    # Days count from the first one (small numbers share their objects); the times go.
    parsed.values.pop("occurred_at", None)
    base = min(map(dt.datetime.toordinal, times), default=0)
    days = [t.toordinal() - base for t in times]
    del times
    login_of = {e: is_login(e) for e in set(events) if isinstance(e, str)}
    count_logins = any(login_of.values())
    logins = Counter(compress(zip(accounts, days, strict=True), map(login_of.get, events)))
    seen = set(zip(accounts, days, people, strict=True))
    active, users = _by_account(
        set(zip(accounts, days, strict=True)), (t for t in seen if t[2] is not None)
    )
    seen = set(zip(accounts, days, events, strict=True))
    features = _by_account((), (t for t in seen if t[2] is not None and not login_of[t[2]]))[1]
    del seen, days
    points: list[Point] = []
    for account_id in sorted(active):
        on = active[account_id]
        newest = dt.date.fromordinal(base + max(on))
        for day in snapshot_days(dt.date.fromordinal(base + min(on)), newest):
            end = day.toordinal() - base
            window = range(end - _WINDOW + 1, end + 1)
            values = {
                "logins_30d": float(
                    sum(logins.get((account_id, d), 0) for d in window)
                    if count_logins
                    else sum(1 for d in window if d in on)
                )
            }
            if has_users:
                values["active_users_30d"] = float(_window_count(users[account_id], end))
            if has_events:
                values["features_used"] = float(_window_count(features[account_id], end))
            stored = ctx.bulk.stored(_SNAPSHOTS, "as_of", day)
            points += [(account_id, key, stored, value) for key, value in values.items()]
    return write_metric_points(ctx, points)
