"""Health model value types: measures, groups and models, each validated on creation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from csdesk.scoring.bands import BandThresholds

__all__ = ["KINDS", "HealthModel", "HealthModelError", "Measure", "MeasureGroup"]

KINDS = ("ratio", "penalty", "flag")
"""The measure kinds: value / target, 1 − value × step, truthy flag."""


class HealthModelError(ValueError):
    """A health model that cannot be used; the message names the file and every problem.

    Attributes:
        source: The file (or ``<text>``) the model came from, if known.
        problems: One message per problem found.
    """

    def __init__(self, problems: list[str] | str, source: str | None = None) -> None:
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        self.source = source
        text = "; ".join(self.problems)
        super().__init__(f"{source}: {text}" if source else text)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@dataclass(frozen=True, slots=True)
class Measure:
    """One weighted measure of a health model.

    Attributes:
        key: Unique key within the model (``usage``).
        label: Name shown in the breakdown (``Usage``).
        kind: ``ratio`` (value / target or value / denominator metric), ``penalty``
            (1 − value × step) or ``flag`` (1 when the value is non-zero).
        metric: The metric key read for the value.
        target: Fixed divisor of a ratio.
        denominator: Metric key used as the divisor of a ratio instead of ``target``.
        step: Attainment lost per unit of a penalty's value.
        weight: Weight in the model (any non-negative scale).
        group: Group key, when the measure takes an equal share of a group's weight.
    """

    key: str
    label: str
    kind: str
    metric: str
    target: float | None = None
    denominator: str | None = None
    step: float | None = None
    weight: float = 1.0
    group: str | None = None

    def __post_init__(self) -> None:
        """Validate the measure; raise HealthModelError listing every problem."""
        problems = self.problems()
        if problems:
            raise HealthModelError([f"measure {self.key!r}: {p}" for p in problems])

    def problems(self) -> list[str]:
        """List what is wrong with this measure (empty when valid)."""
        found: list[str] = []
        if not self.key.strip():
            found.append("empty key")
        if self.kind not in KINDS:
            found.append(f"unknown kind {self.kind!r} (expected ratio, penalty or flag)")
        if not self.metric.strip():
            found.append("missing metric")
        if not math.isfinite(self.weight):
            found.append("weight must be a finite number")
        elif self.weight < 0:
            found.append(f"negative weight {self.weight:g}")
        if self.kind == "ratio":
            if self.target is None and not self.denominator:
                found.append("a ratio needs a target or a denominator metric")
            elif self.target is not None and self.denominator:
                found.append("a ratio takes a target or a denominator metric, not both")
            elif self.target is not None and not (_finite(self.target) and self.target > 0):
                found.append(f"target must be a positive number, got {self.target!r}")
            if self.step is not None:
                found.append("step applies to penalty measures only")
        elif self.kind == "penalty":
            if self.step is None:
                found.append("a penalty needs a step")
            elif not (_finite(self.step) and self.step > 0):
                found.append(f"step must be a positive number, got {self.step!r}")
            if self.target is not None or self.denominator:
                found.append("a penalty takes no target or denominator")
        elif self.kind == "flag" and (
            self.target is not None or self.denominator or self.step is not None
        ):
            found.append("a flag takes no target, denominator or step")
        return found


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    """A group whose weight is split equally over its measures (``outcomes`` model).

    Attributes:
        key: Group key referenced by ``Measure.group``.
        label: Name shown in the breakdown (``Product usage``).
        weight: The group's total weight.
    """

    key: str
    label: str
    weight: float


@dataclass(frozen=True, slots=True)
class HealthModel:
    """A named, versioned set of weighted measures with its alert settings.

    Attributes:
        name: Model name (``subscription``).
        version: Version number, stored with each snapshot.
        measures: The measures, in display order.
        min_weight_fraction: Least share of the total weight that must have data for a
            score (0.5: less than half gives "insufficient data").
        at_risk_below: A score below this opens an at-risk outreach task.
        drop_points: A fall of more than this many points raises a health-drop alert…
        drop_days: …when measured against any score from the last this-many days.
        description: Free text shown in the model editor.
        groups: Groups declared by the model, for display and equal-share weights.
        bands: Band thresholds used with this model.
    """

    name: str
    version: int
    measures: tuple[Measure, ...]
    min_weight_fraction: float = 0.5
    at_risk_below: float = 60.0
    drop_points: float = 10.0
    drop_days: int = 7
    description: str = ""
    groups: tuple[MeasureGroup, ...] = ()
    bands: BandThresholds = field(default_factory=BandThresholds)

    def __post_init__(self) -> None:
        """Validate the model; raise HealthModelError listing every problem."""
        problems = self.problems()
        if problems:
            raise HealthModelError(problems)

    def problems(self) -> list[str]:
        """List what is wrong with the model as a whole (empty when valid)."""
        found: list[str] = []
        if not self.name.strip():
            found.append("the model has no name")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            found.append(f"version must be a whole number of 1 or more, got {self.version!r}")
        if not self.measures:
            found.append("the model has no measures")
        keys = [measure.key for measure in self.measures]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            found.append(f"measure key {key!r} is used twice")
        if self.measures and self.total_weight <= 0:
            found.append("the measures' weights sum to zero")
        if not 0.0 <= self.min_weight_fraction <= 1.0:
            found.append("min_weight_fraction must be between 0 and 1")
        if not 0.0 <= self.at_risk_below <= 100.0:
            found.append("at_risk_below must be between 0 and 100")
        if not (math.isfinite(self.drop_points) and self.drop_points >= 0):
            found.append("drop_points must be 0 or more")
        if isinstance(self.drop_days, bool) or not isinstance(self.drop_days, int):
            found.append("drop_days must be a whole number")
        elif self.drop_days < 0:
            found.append("drop_days must be 0 or more")
        return found

    @property
    def total_weight(self) -> float:
        """Sum of all measure weights."""
        return math.fsum(measure.weight for measure in self.measures)

    @property
    def metrics(self) -> frozenset[str]:
        """Every metric key the model reads (values and denominators)."""
        names = {measure.metric for measure in self.measures}
        names.update(m.denominator for m in self.measures if m.denominator)
        return frozenset(names)

    def group_label(self, key: str | None) -> str | None:
        """Return the label of a group key (the key itself when undeclared)."""
        if key is None:
            return None
        return next((g.label for g in self.groups if g.key == key), key)
