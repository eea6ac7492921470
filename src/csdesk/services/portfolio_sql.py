"""SQL pieces of the portfolio table: lifecycle stage as date ranges, trend, tasks, search.

Each piece is portable SQL text with ``?`` placeholders and its parameters (:class:`Sql`), run
through a :class:`~csdesk.db.reader.SqlReader` on SQLite or PostgreSQL. Dates are worked out in
Python and passed as parameters: no SQL date function differs between the two. Fixed values
(statuses, from :mod:`csdesk.scoring.vocabulary`) are written into the text, as an index or a
plan may depend on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from csdesk.scoring.lifecycle import DEFAULT_STAGE_BOUNDS, Stage, StageBounds
from csdesk.scoring.renewal import OVERDUE_STATUSES, RENEWING_STATUSES
from csdesk.scoring.vocabulary import CHURNED, NOT_DONE_STATUSES
from csdesk.services.portfolio_query import NO_STAGE, TREND_DAY_SETTING, TREND_DAYS

if TYPE_CHECKING:
    from csdesk.db.reader import SqlReader

__all__ = [
    "COUNTING_DOWN",
    "HAS_STORED_TREND",
    "NO_STAGE",
    "OPEN_TASKS_OF_ACCOUNTS",
    "OPEN_TASK_COUNT",
    "PAST_SCORE",
    "STAGED",
    "STORED_TREND",
    "TREND_DAYS",
    "Sql",
    "in_list",
    "past_score",
    "search_condition",
    "stage_condition",
    "stage_expression",
    "stage_starts",
    "trend_expression",
    "trend_range",
    "trend_range_holds",
    "window_condition",
]


class Sql(NamedTuple):
    """A piece of SQL text with ``?`` placeholders and the values that fill them."""

    text: str
    params: tuple[object, ...] = ()

    @staticmethod
    def join(parts: Iterable[Sql], separator: str) -> Sql:
        """The pieces joined by ``separator`` (each in parentheses), parameters in order."""
        pieces = list(parts)
        return Sql(
            separator.join(f"({p.text})" for p in pieces),
            tuple(value for p in pieces for value in p.params),
        )


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def in_list(column: str, values: Iterable[object]) -> Sql:
    """``column IN (?, …)`` over ``values`` (which must not be empty)."""
    params = tuple(values)
    return Sql(f"{column} IN ({', '.join('?' * len(params))})", params)


STAGED = f"accounts.contract_start IS NOT NULL AND accounts.status != '{CHURNED}'"
"""Accounts that have a lifecycle stage: a contract start, and not churned. The stage sort
walks the partial index ``ix_accounts_stage``, whose condition is this text."""

COUNTING_DOWN = "accounts.renewal_date IS NOT NULL AND ({})".format(
    " OR ".join(f"accounts.status = '{status}'" for status in sorted(RENEWING_STATUSES))
)
"""Accounts with a renewal countdown: a renewal date, and a status that renews (active,
pilot). The days-left sort walks the partial index ``ix_accounts_days_left``, whose condition
is this text."""

OPEN_TASK_COUNT = (
    "(SELECT count(*) FROM tasks WHERE tasks.account_id = accounts.id"
    f" AND tasks.status IN ({_quoted(NOT_DONE_STATUSES)}))"
)
"""Correlated subquery: the account's tasks not done yet, open or snoozed (it walks the
account/status index, so a page costs its own rows only)."""

OPEN_TASKS_OF_ACCOUNTS = (
    f"SELECT tasks.account_id FROM tasks WHERE tasks.status IN ({_quoted(NOT_DONE_STATUSES)})"
)
"""The account of every task not done yet (the open-task sort counts them in Python).

Not ``GROUP BY``: on PostgreSQL its plan depends on the table's statistics and visibility
map, and right after a large write it hashed 90,000 groups until they spilled to disk
(~120 ms); the plain scan and a ``Counter`` take ~55 ms in any state."""


def stage_starts(today: date, bounds: StageBounds) -> dict[Stage, tuple[date | None, date | None]]:
    """Contract-start date range ``(earliest, latest)`` of each stage on ``today``.

    Day n of a contract started on S is ``today - S + 1``, so "day ≤ k" is "S ≥ today − (k − 1)".
    """
    onb = today - timedelta(days=bounds.onboarding_until - 1)
    val = today - timedelta(days=bounds.value_realization_until - 1)
    opt = today - timedelta(days=bounds.optimization_until - 1)
    day = timedelta(days=1)
    return {
        Stage.PRE_START: (today + day, None),
        Stage.ONBOARDING: (onb, today),
        Stage.VALUE_REALIZATION: (val, onb - day),
        Stage.OPTIMIZATION: (opt, val - day),
        Stage.EXPANSION: (None, opt - day),
    }


def stage_condition(stage: str, today: date, bounds: StageBounds) -> Sql:
    """Accounts in a lifecycle stage on ``today`` (``NO_STAGE``: those without one)."""
    if stage == NO_STAGE:
        return Sql(f"accounts.contract_start IS NULL OR accounts.status = '{CHURNED}'")
    earliest, latest = stage_starts(today, bounds)[Stage(stage)]
    text, params = STAGED, []
    if earliest is not None:
        text += " AND accounts.contract_start >= ?"
        params.append(earliest)
    if latest is not None:
        text += " AND accounts.contract_start <= ?"
        params.append(latest)
    return Sql(text, tuple(params))


def stage_expression(today: date, bounds: StageBounds = DEFAULT_STAGE_BOUNDS) -> Sql:
    """The lifecycle stage name of each account on ``today`` (NULL when it has none)."""
    whens, params = [f"WHEN NOT ({STAGED}) THEN NULL"], []
    for stage, (earliest, _latest) in stage_starts(today, bounds).items():
        if earliest is not None:
            whens.append(f"WHEN accounts.contract_start >= ? THEN '{stage.value}'")
            params.append(earliest)
    return Sql(f"CASE {' '.join(whens)} ELSE '{Stage.EXPANSION.value}' END", tuple(params))


PAST_SCORE = (
    "(SELECT health_snapshots.score FROM health_snapshots"
    " WHERE health_snapshots.account_id = accounts.id AND health_snapshots.as_of <= ?"
    " ORDER BY health_snapshots.as_of DESC LIMIT 1)"
)
"""Correlated subquery: an account's newest snapshot score at or before the day given."""
# as_of alone: a descending walk of the (account_id, as_of, score) index already puts the
# newest row of a day first, and adding id would stop SQLite using it as a covering index.


def past_score(today: date) -> Sql:
    """Correlated subquery: the newest snapshot score at or before ``today − TREND_DAYS``."""
    return Sql(PAST_SCORE, (today - timedelta(days=TREND_DAYS),))


STORED_TREND = "accounts.health_score - accounts.trend_base"
"""The trend from the stored baseline (``ix_accounts_trend`` indexes exactly this)."""

HAS_STORED_TREND = f"accounts.trend_base IS NOT NULL AND ({STORED_TREND}) IS NOT NULL"
"""Accounts with a stored trend. The first term is the condition of ``ix_accounts_trend``,
which holds only the accounts with a baseline; the second is tested on the index's own value
(testing ``health_score`` would read each row: ~120 ms instead of ~20 for 100,000)."""


def trend_range(value: str | None) -> tuple[date, date] | None:
    """The days of the ``trend_baseline`` setting (``start/end``, end excluded), or None."""
    start, _, end = (value or "").partition("/")
    try:
        return date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None


def trend_range_holds(held: tuple[date, date] | None, today: date) -> bool:
    """Whether the stored baselines of the range ``held`` hold on ``today`` (end excluded)."""
    return held is not None and held[0] <= today < held[1]


def trend_expression(reader: SqlReader, today: date) -> Sql:
    """The trend of each account on ``today``: from the stored baseline when it holds for
    that day (the range the recompute stored), else from each account's history."""
    held = trend_range(
        reader.scalar("SELECT value FROM settings WHERE key = ?", (TREND_DAY_SETTING,))
    )
    if trend_range_holds(held, today):
        return Sql(STORED_TREND)
    past = past_score(today)
    return Sql(f"accounts.health_score - {past.text}", past.params)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_SEARCHED = (
    "accounts.name_key LIKE ? ESCAPE '\\'"
    " OR lower(accounts.owner) LIKE ? ESCAPE '\\'"
    " OR lower(accounts.crm_id) LIKE ? ESCAPE '\\'"
)


def search_condition(search: str) -> Sql | None:
    """Every word of ``search`` in the folded name, the owner or the CRM id (None: no words)."""
    words = search.casefold().split()
    if not words:
        return None
    return Sql.join((Sql(_SEARCHED, (_like(w),) * 3) for w in words), " AND ")


def window_condition(window: str, today: date) -> Sql:
    """Accounts renewing in a window of :data:`~csdesk.services.portfolio_query.RENEWAL_WINDOWS`.

    Raises:
        ValueError: An unknown window key.
    """
    if window == "overdue":
        return Sql(
            "accounts.renewal_date < ?"
            f" AND accounts.status IN ({_quoted(sorted(OVERDUE_STATUSES))})",
            (today,),
        )
    try:
        days = int(window)
    except ValueError:
        raise ValueError(f"unknown renewal window {window!r}") from None
    return Sql(
        "accounts.renewal_date >= ? AND accounts.renewal_date <= ?",
        (today, today + timedelta(days=days)),
    )
