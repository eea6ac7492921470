"""Property-based invariants of the health score."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.scoring.health import compute_health
from csdesk.scoring.health_models import HealthModel, default_models

MODELS = list(default_models().values())
METRICS = sorted({name for model in MODELS for name in model.metrics})

any_value = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 10**9),
)
metrics_strategy = st.dictionaries(st.sampled_from(METRICS), any_value)
present_value = st.floats(0, 10**6, allow_nan=False)
full_metrics = st.fixed_dictionaries({name: present_value for name in METRICS})


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MODELS), metrics_strategy)
def test_score_within_range(model: HealthModel, metrics: dict[str, float | None]) -> None:
    result = compute_health(model, metrics)
    if result.score is None:
        assert result.reason == "insufficient data"
    else:
        assert 0.0 <= result.score <= 100.0
        assert result.raw_score is not None and 0.0 <= result.raw_score <= 100.0
        assert result.band is not None
    for line in result.breakdown:
        assert line.no_data == (line.attainment is None)
        assert line.attainment is None or 0.0 <= line.attainment <= 1.0


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(MODELS),
    full_metrics,
    st.sampled_from(
        [
            "usage",
            "logins_30d",
            "features_used",
            "posts_per_week",
            "lead_quality",
            "inquiries_per_month",
        ]
    ),
    st.floats(0, 10**6, allow_nan=False),
)
def test_monotone_in_each_ratio_value(
    model: HealthModel, metrics: dict[str, float], name: str, extra: float
) -> None:
    before = compute_health(model, metrics)
    after = compute_health(model, {**metrics, name: metrics[name] + extra})
    assert before.raw_score is not None and after.raw_score is not None
    assert after.raw_score >= before.raw_score
    assert after.score is not None and before.score is not None
    assert after.score >= before.score


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(MODELS),
    metrics_strategy,
    st.one_of(st.integers(1, 1000), st.sampled_from([0.5, 0.25, 0.1, 2.5, 0.01])),
)
def test_scaling_weights_changes_nothing(
    model: HealthModel, metrics: dict[str, float | None], factor: float
) -> None:
    scaled = dataclasses.replace(
        model,
        measures=tuple(dataclasses.replace(m, weight=m.weight * factor) for m in model.measures),
    )
    original = compute_health(model, metrics)
    rescaled = compute_health(scaled, metrics)
    assert rescaled.score == original.score
    assert rescaled.band == original.band
    assert rescaled.reason == original.reason
