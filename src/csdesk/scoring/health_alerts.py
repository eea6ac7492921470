"""Health alerts: at-risk outreach, health-drop detection and score trends (SPEC 2.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from csdesk.scoring.rounding import round_half_up, to_decimal
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES

__all__ = [
    "AT_RISK_STATUSES",
    "DEFAULT_ALERTS",
    "AlertThresholds",
    "DefaultAlerts",
    "HealthDrop",
    "Trend",
    "detect_drop",
    "needs_at_risk_task",
    "trend",
]

AT_RISK_STATUSES = frozenset(CUSTOMER_STATUSES)
"""Statuses for which an at-risk outreach task is opened."""

Trend = Literal["up", "down", "flat"]


class AlertThresholds(Protocol):
    """Anything carrying the alert settings; a ``HealthModel`` qualifies."""

    @property
    def at_risk_below(self) -> float: ...

    @property
    def drop_points(self) -> float: ...

    @property
    def drop_days(self) -> int: ...


@dataclass(frozen=True, slots=True)
class DefaultAlerts:
    """The SPEC's alert thresholds, for callers without a model at hand."""

    at_risk_below: float = 60.0
    drop_points: float = 10.0
    drop_days: int = 7


DEFAULT_ALERTS = DefaultAlerts()


def needs_at_risk_task(
    score: float | None, status: str | None, thresholds: AlertThresholds = DEFAULT_ALERTS
) -> bool:
    """Tell whether an account needs an at-risk outreach task.

    The caller keeps one open task per account: this only says whether one should exist.

    Args:
        score: The (rounded) health score, or None.
        status: Account status; only ``active`` and ``pilot`` accounts get tasks.
        thresholds: Alert settings (a ``HealthModel`` works).

    Returns:
        True when the score is below ``at_risk_below`` on an active or pilot account.
    """
    if score is None or status is None or status.strip().casefold() not in AT_RISK_STATUSES:
        return False
    # Comparing the floats orders them exactly as their shortest decimal forms would (the
    # float → repr mapping is monotone), without a Decimal per account in a recompute.
    return float(score) < float(thresholds.at_risk_below)


@dataclass(frozen=True, slots=True)
class HealthDrop:
    """A health-drop alert.

    Attributes:
        previous_score: The highest score within the window, the one dropped from.
        previous_date: When that score was recorded.
        new_score: The new score.
        points: Size of the drop (previous − new), 1 decimal.
        fallen: Keys of the measures whose attainment fell since ``previous_date``.
    """

    previous_score: float
    previous_date: date
    new_score: float
    points: float
    fallen: tuple[str, ...]

    @property
    def message(self) -> str:
        """Alert text, e.g. ``"Health fell 15.0 points since 2024-05-01 (usage, support)"``."""
        names = f" ({', '.join(self.fallen)})" if self.fallen else ""
        return f"Health fell {self.points:.1f} points since {self.previous_date.isoformat()}{names}"


def detect_drop(
    previous: Sequence[tuple[date, float | None, Mapping[str, float | None]]],
    today: date,
    new_score: float | None,
    new_attainments: Mapping[str, float | None],
    thresholds: AlertThresholds = DEFAULT_ALERTS,
) -> HealthDrop | None:
    """Detect a drop of more than ``drop_points`` within ``drop_days`` days.

    The new score is compared with every earlier score dated within the window
    (``today − drop_days`` to ``today``, both included); the highest one is the reference.
    A measure "fell" when its attainment is lower now than in that reference snapshot
    (a measure with no data now but data then also counts as fallen).

    Args:
        previous: Earlier snapshots as ``(date, score, attainments by measure key)``.
        today: Date of the new score.
        new_score: The new score, or None (no alert without a score).
        new_attainments: Measure key → attainment now.
        thresholds: Alert settings (a ``HealthModel`` works).

    Returns:
        The alert, or None when there is no qualifying drop.
    """
    if new_score is None:
        return None
    window = [
        (day, score, attainments)
        for day, score, attainments in previous
        if score is not None and 0 <= (today - day).days <= thresholds.drop_days
    ]
    if not window:
        return None
    day, score, attainments = max(window, key=lambda item: (item[1], item[0]))
    points = to_decimal(score) - to_decimal(new_score)
    if points <= to_decimal(thresholds.drop_points):
        return None
    fallen: list[str] = []
    for key, before in attainments.items():
        now = new_attainments.get(key)
        if before is not None and (now is None or now < before):
            fallen.append(key)
    return HealthDrop(
        previous_score=float(score),
        previous_date=day,
        new_score=float(new_score),
        points=round_half_up(float(points), 1),
        fallen=tuple(fallen),
    )


def trend(current: float | None, past: float | None, flat_within: float = 1.0) -> Trend | None:
    """Compare a score with an earlier one for a trend arrow.

    Args:
        current: The current score.
        past: The earlier score.
        flat_within: Changes smaller than this many points count as flat.

    Returns:
        ``"up"``, ``"down"`` or ``"flat"``; None when either score is missing.
    """
    if current is None or past is None:
        return None
    change = to_decimal(current) - to_decimal(past)
    if abs(change) < to_decimal(flat_within):
        return "flat"
    return "up" if change > 0 else "down"
