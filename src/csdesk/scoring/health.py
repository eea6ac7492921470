"""Health score computation with a per-model compiled evaluator (SPEC 2.2).

Alerts and trends live in ``health_alerts`` and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from csdesk.scoring.bands import Band
from csdesk.scoring.health_alerts import (
    AT_RISK_STATUSES,
    DEFAULT_ALERTS,
    AlertThresholds,
    DefaultAlerts,
    HealthDrop,
    Trend,
    detect_drop,
    needs_at_risk_task,
    trend,
)
from csdesk.scoring.health_models import HealthModel
from csdesk.scoring.rounding import exact, exact_weight, is_number

__all__ = [
    "AT_RISK_STATUSES",
    "DEFAULT_ALERTS",
    "AlertThresholds",
    "CompiledModel",
    "DefaultAlerts",
    "HealthDrop",
    "HealthEvaluation",
    "HealthResult",
    "MeasureResult",
    "Trend",
    "compile_model",
    "compute_health",
    "detect_drop",
    "needs_at_risk_task",
    "trend",
]

INSUFFICIENT_DATA = "insufficient data"


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


_RATIO, _RATIO_OF, _PENALTY, _FLAG = range(4)
# Float sums of the weighted attainments carry noise around 1e-13 on a 0–100 score; a nudge
# far above that noise and far below any meaningful difference makes an exact x.x5 (94.75
# from thirds, 89.95) round half-up as the SPEC says instead of as the last binary digit says.
_HALF_UP = 0.5 + 1e-9


def _number(value: object) -> float | None:
    """A metric value as a float; missing, empty (None) and non-finite values are absent."""
    return float(value) if value is not None and is_number(value) else None  # type: ignore[arg-type]


class HealthEvaluation(NamedTuple):
    """The numbers of one account's score, before any breakdown is built.

    Attributes:
        score: Score 0–100 rounded half-up to 1 decimal, or None.
        raw_score: The unrounded score, or None.
        band: Band of the rounded score, or None.
        values: The value read per measure (None when missing), in model order.
        attainments: Attainment per measure in [0, 1], None without data.
        coverage: Share of the model's weight that had data, 0–1.
        points_per_weight: Score points per unit of weight with data (100 / that weight);
            0 when there is no score.
    """

    score: float | None
    raw_score: float | None
    band: Band | None
    values: tuple[float | None, ...]
    attainments: tuple[float | None, ...]
    coverage: float
    points_per_weight: float


class CompiledModel:
    """A health model turned into a flat list of steps, scored in floats.

    The weights that decide coverage and renormalisation are exact fractions (``exact_weight``),
    worked out once per pattern of measures with data and cached; each account then costs one
    pass over its metrics.
    """

    __slots__ = ("_exact_weights", "_lines", "_min", "_plans", "_steps", "_total", "model")

    def __init__(self, model: HealthModel) -> None:
        """Compile ``model``.

        Args:
            model: A validated health model.
        """
        self.model = model
        steps: list[tuple[int, str, float | str, float]] = []
        for measure in model.measures:
            weight = float(exact_weight(measure.weight))
            if measure.kind == "flag":
                steps.append((_FLAG, measure.metric, 0.0, weight))
            elif measure.kind == "penalty":
                step = measure.step if measure.step is not None else 0.0
                steps.append((_PENALTY, measure.metric, float(step), weight))
            elif measure.denominator:
                steps.append((_RATIO_OF, measure.metric, measure.denominator, weight))
            else:
                target = measure.target if measure.target is not None else 1.0
                steps.append((_RATIO, measure.metric, float(target), weight))
        self._steps = tuple(steps)
        self._lines = tuple(
            (m.key, m.label, m.weight, m.group, step[3])
            for m, step in zip(model.measures, steps, strict=True)
        )
        self._exact_weights = tuple(exact_weight(m.weight) for m in model.measures)
        self._total = sum(self._exact_weights, Fraction(0))
        self._min = exact(model.min_weight_fraction)
        self._plans: dict[int, tuple[float, float]] = {}

    def _plan(self, mask: int) -> tuple[float, float]:
        """``(points per unit of weight or 0 when unscored, coverage)`` for a data pattern."""
        with_data = sum(
            (w for i, w in enumerate(self._exact_weights) if mask >> i & 1), Fraction(0)
        )
        coverage = with_data / self._total if self._total else Fraction(0)
        scored = with_data > 0 and coverage >= self._min
        plan = (float(100 / with_data) if scored else 0.0, float(coverage))
        self._plans[mask] = plan
        return plan

    def evaluate(self, metrics: Mapping[str, float | None]) -> HealthEvaluation:
        """Score one account.

        Args:
            metrics: Metric key → newest value at or before the as-of date.

        Returns:
            The score, band, values and attainments.
        """
        get = metrics.get
        values: list[float | None] = []
        attainments: list[float | None] = []
        mask, bit = 0, 1
        weighted = 0.0
        for kind, metric, param, weight in self._steps:
            value = get(metric)
            if value.__class__ is not float or value - value != 0.0:
                value = _number(value)
            values.append(value)
            if value is None:
                attainments.append(None)
                bit <<= 1
                continue
            if kind == _RATIO:
                attainment = value / param  # type: ignore[operator]
            elif kind == _PENALTY:
                attainment = 1.0 - value * param  # type: ignore[operator]
            elif kind == _FLAG:
                attainment = 1.0 if value != 0 else 0.0
            else:
                divisor = get(param)  # type: ignore[arg-type]
                if divisor.__class__ is not float or divisor - divisor != 0.0:
                    divisor = _number(divisor)
                # Zero (or a nonsensical negative) divisor means "no limit set": no data, so
                # an Enterprise account without usage_limit scores on its other measures.
                if divisor is None or divisor <= 0:
                    attainments.append(None)
                    bit <<= 1
                    continue
                attainment = value / divisor
            if attainment > 1.0:
                attainment = 1.0
            elif not attainment > 0.0:
                attainment = 0.0
            attainments.append(attainment)
            weighted += weight * attainment
            mask |= bit
            bit <<= 1
        scale, coverage = self._plans.get(mask) or self._plan(mask)
        if not scale:
            return HealthEvaluation(
                None, None, None, tuple(values), tuple(attainments), coverage, 0.0
            )
        raw = min(weighted * scale, 100.0)
        score = math.floor(raw * 10.0 + _HALF_UP) / 10.0
        bands = self.model.bands
        if score >= bands.excellent:
            band = Band.EXCELLENT
        elif score >= bands.good:
            band = Band.GOOD
        elif score >= bands.at_risk:
            band = Band.AT_RISK
        else:
            band = Band.CRITICAL
        return HealthEvaluation(
            score, raw, band, tuple(values), tuple(attainments), coverage, scale
        )

    @property
    def lines(self) -> tuple[tuple[str, str, float, str | None, float], ...]:
        """Per measure, in model order: key, label, weight, group, snapped float weight."""
        return self._lines

    def points_per_weight(self, attainments: tuple[float | None, ...]) -> float:
        """Score points per unit of weight when the measures with an attainment have data.

        Args:
            attainments: One per measure in model order, None without data.

        Returns:
            100 / the weight with data, or 0 when that pattern gives no score.
        """
        mask = sum(1 << i for i, a in enumerate(attainments) if a is not None)
        return (self._plans.get(mask) or self._plan(mask))[0]

    def records(self, evaluation: HealthEvaluation) -> list[dict[str, Any]]:
        """The breakdown as plain records: the shape a health snapshot stores.

        Built straight from the evaluation, without a ``MeasureResult`` per line, because a
        first recompute of 100,000 accounts writes one per account.

        Args:
            evaluation: What ``evaluate`` returned for this model.

        Returns:
            One dict per measure with the ``MeasureResult`` fields key, label, weight,
            attainment, contribution, value, no_data and group.
        """
        scale = evaluation.points_per_weight
        return [
            {
                "key": key,
                "label": label,
                "weight": weight,
                "attainment": attainment,
                "contribution": points * attainment * scale
                if attainment is not None and scale
                else None,
                "value": value,
                "no_data": attainment is None,
                "group": group,
            }
            for (key, label, weight, group, points), value, attainment in zip(
                self._lines, evaluation.values, evaluation.attainments, strict=True
            )
        ]

    def explain(self, evaluation: HealthEvaluation) -> HealthResult:
        """Build the full result with its per-measure breakdown from an evaluation.

        Args:
            evaluation: What ``evaluate`` returned for this model.

        Returns:
            The health result.
        """
        lines: list[MeasureResult] = []
        for measure, record in zip(self.model.measures, self.records(evaluation), strict=True):
            reason = None
            if record["no_data"]:
                missing = measure.metric if record["value"] is None else measure.denominator
                reason = f"no {missing}"
            lines.append(MeasureResult(**record, reason=reason))
        scale = evaluation.points_per_weight
        return HealthResult(
            score=evaluation.score,
            raw_score=evaluation.raw_score,
            band=evaluation.band,
            breakdown=tuple(lines),
            reason=None if scale else INSUFFICIENT_DATA,
            model_name=self.model.name,
            model_version=self.model.version,
            coverage=evaluation.coverage,
        )


_COMPILED: dict[int, CompiledModel] = {}
_COMPILED_LIMIT = 64


def compile_model(model: HealthModel) -> CompiledModel:
    """Return the compiled form of a model, cached per model object.

    Args:
        model: A health model.

    Returns:
        Its compiled evaluator (the same object for the same model while cached).
    """
    compiled = _COMPILED.get(id(model))
    # The cache holds the model alive, so its id cannot be reused by another object.
    if compiled is None or compiled.model is not model:
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.clear()
        compiled = _COMPILED[id(model)] = CompiledModel(model)
    return compiled


def compute_health(model: HealthModel, metrics: Mapping[str, float | None]) -> HealthResult:
    """Compute the health score of one account.

    Score = 100 × Σ weight × attainment / Σ weight over the measures that have data.
    A measure whose metric is missing, empty or non-finite — or a ratio whose denominator
    metric is missing, empty or zero — is shown as "no data" and the other weights are
    renormalised. If the measures with data carry less than ``min_weight_fraction`` of
    the total weight (or none at all), the score is None with reason "insufficient data".

    Coverage is decided on exact fractions (weights snapped by ``exact_weight``); the sum is
    done in floats and rounded half-up to 1 decimal with a nudge that sheds float noise, so
    a score that is exactly x.x5 rounds up as the SPEC says. The band comes from the
    rounded score.

    Args:
        model: The health model.
        metrics: Metric key → newest value at or before the as-of date.

    Returns:
        The score, band and per-measure breakdown.
    """
    compiled = compile_model(model)
    return compiled.explain(compiled.evaluate(metrics))
