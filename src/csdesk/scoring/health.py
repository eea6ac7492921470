"""Health score computation, at-risk and drop alerts, and score trends (SPEC 2.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal, Protocol

from csdesk.scoring.bands import Band, band_for
from csdesk.scoring.health_models import HealthModel, Measure
from csdesk.scoring.rounding import (
    exact,
    exact_weight,
    is_number,
    round_fraction_half_up,
    round_half_up,
    to_decimal,
)

__all__ = [
    "AT_RISK_STATUSES",
    "AlertThresholds",
    "HealthDrop",
    "HealthResult",
    "MeasureResult",
    "compute_health",
    "detect_drop",
    "needs_at_risk_task",
    "trend",
]

INSUFFICIENT_DATA = "insufficient data"
AT_RISK_STATUSES = frozenset({"active", "pilot"})
"""Statuses for which an at-risk outreach task is opened."""

Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """One line of the health breakdown.

    Attributes:
        key: Measure key.
        label: Measure label.
        weight: The measure's weight in the model.
        attainment: Attainment in [0, 1], or None without data.
        contribution: Points this measure adds to the unrounded score
            (100 × weight × attainment / weight with data); the contributions sum to
            ``raw_score``. None without data or when the model has no score.
        value: The metric value read, or None.
        no_data: True when the measure was left out ("no data" in the breakdown).
        group: The measure's group key, if any.
        reason: Why there is no data (``"no usage_limit"``), else None.
    """

    key: str
    label: str
    weight: float
    attainment: float | None
    contribution: float | None
    value: float | None
    no_data: bool
    group: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class HealthResult:
    """A computed health score with its breakdown.

    Attributes:
        score: Score 0–100 rounded half-up to 1 decimal, or None.
        raw_score: The unrounded score, or None.
        band: Band of the rounded score, or None.
        breakdown: One line per measure, in model order.
        reason: Why there is no score (``"insufficient data"``), else None.
        model_name: Name of the model used.
        model_version: Version of the model used.
        coverage: Share of the model's weight that had data, 0–1.
    """

    score: float | None
    raw_score: float | None
    band: Band | None
    breakdown: tuple[MeasureResult, ...]
    reason: str | None = None
    model_name: str = ""
    model_version: int = 0
    coverage: float = 0.0

    @property
    def attainments(self) -> dict[str, float | None]:
        """Measure key → attainment, the shape ``detect_drop`` compares."""
        return {line.key: line.attainment for line in self.breakdown}


def _clamp(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), value))


def _metric(metrics: Mapping[str, float | None], name: str) -> float | None:
    """Read a metric; missing, empty (None) and non-finite values all count as absent."""
    value = metrics.get(name)
    return float(value) if value is not None and is_number(value) else None


def _attainment(
    measure: Measure, metrics: Mapping[str, float | None]
) -> tuple[float | None, Fraction | None, str | None]:
    """Return ``(value, attainment, reason-for-no-data)`` of one measure."""
    value = _metric(metrics, measure.metric)
    if value is None:
        return None, None, f"no {measure.metric}"
    if measure.kind == "flag":
        return value, Fraction(1 if value != 0 else 0), None
    if measure.kind == "penalty":
        step = exact(measure.step if measure.step is not None else 0.0)
        return value, _clamp(1 - exact(value) * step), None
    if measure.denominator:
        divisor = _metric(metrics, measure.denominator)
        # Zero (or a nonsensical negative) divisor means "no limit set": no data, so an
        # Enterprise account without usage_limit scores on its other measures.
        if divisor is None or divisor <= 0:
            return value, None, f"no {measure.denominator}"
        return value, _clamp(exact(value) / exact(divisor)), None
    target = exact(measure.target if measure.target is not None else 1.0)
    return value, _clamp(exact(value) / target), None


def compute_health(model: HealthModel, metrics: Mapping[str, float | None]) -> HealthResult:
    """Compute the health score of one account.

    Score = 100 × Σ weight × attainment / Σ weight over the measures that have data.
    A measure whose metric is missing, empty or non-finite — or a ratio whose denominator
    metric is missing, empty or zero — is shown as "no data" and the other weights are
    renormalised. If the measures with data carry less than ``min_weight_fraction`` of
    the total weight (or none at all), the score is None with reason "insufficient data".

    The sum is done in exact fractions (weights snapped by ``exact_weight``, values as
    written), so a score that is exactly x.x5 rounds half-up as the SPEC says rather than
    as float noise decides, and the band comes from the rounded score.

    Args:
        model: The health model.
        metrics: Metric key → newest value at or before the as-of date.

    Returns:
        The score, band and per-measure breakdown.
    """
    read = [(measure, *_attainment(measure, metrics)) for measure in model.measures]
    total = sum((exact_weight(m.weight) for m in model.measures), Fraction(0))
    with_data = sum((exact_weight(m.weight) for m, _, a, _ in read if a is not None), Fraction(0))
    coverage = with_data / total if total else Fraction(0)
    scored = with_data > 0 and coverage >= exact(model.min_weight_fraction)
    lines: list[MeasureResult] = []
    raw = Fraction(0)
    for measure, value, attainment, reason in read:
        contribution: Fraction | None = None
        if attainment is not None and scored:
            contribution = 100 * exact_weight(measure.weight) * attainment / with_data
            raw += contribution
        lines.append(
            MeasureResult(
                key=measure.key,
                label=measure.label,
                weight=measure.weight,
                attainment=float(attainment) if attainment is not None else None,
                contribution=float(contribution) if contribution is not None else None,
                value=value,
                no_data=attainment is None,
                group=measure.group,
                reason=reason,
            )
        )
    score = round_fraction_half_up(raw, 1) if scored else None
    return HealthResult(
        score=score,
        raw_score=float(raw) if scored else None,
        band=band_for(score, model.bands),
        breakdown=tuple(lines),
        reason=None if scored else INSUFFICIENT_DATA,
        model_name=model.name,
        model_version=model.version,
        coverage=float(coverage),
    )


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
    return to_decimal(score) < to_decimal(thresholds.at_risk_below)


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
