"""The compiled evaluator: one implementation behind compute_health, its records and its cache."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.scoring.health import compile_model, compute_health
from csdesk.scoring.health_models import HealthModel, Measure, default_models

MODELS = list(default_models().values())
METRICS = sorted({name for model in MODELS for name in model.metrics})
values = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-100, 10**7))
metrics = st.dictionaries(st.sampled_from(METRICS), values)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MODELS), metrics)
def test_records_are_the_breakdown_of_compute_health(
    model: HealthModel, given_metrics: dict[str, float | None]
) -> None:
    compiled = compile_model(model)
    evaluation = compiled.evaluate(given_metrics)
    result = compute_health(model, given_metrics)
    assert (evaluation.score, evaluation.band, evaluation.raw_score) == (
        result.score,
        result.band,
        result.raw_score,
    )
    fields = ("key", "label", "weight", "attainment", "contribution", "value", "no_data", "group")
    expected = [{f: getattr(line, f) for f in fields} for line in result.breakdown]
    assert compiled.records(evaluation) == expected


def test_exact_halves_round_up_in_floats() -> None:
    # Thirds of 40 cannot be held by a float; 94.75 must still round to 94.8.
    outcomes = default_models()["outcomes"]
    full = {
        "posts_per_week": 3,
        "logins_30d": 12,
        "features_used": 5,
        "features_total": 5,
        "inquiries_per_month": 3,
        "lead_quality": 7,
        "open_tickets": 0,
    }
    assert compile_model(outcomes).evaluate(full).score == 94.8
    one = HealthModel("t", 1, (Measure("m", "M", "ratio", "x", target=100, weight=1),))
    for value, score in ((89.95, 90.0), (89.94999, 89.9), (0.05, 0.1), (0.04999, 0.0)):
        assert compile_model(one).evaluate({"x": value}).score == score


def test_same_model_object_compiles_once_and_equal_copies_separately() -> None:
    model = MODELS[0]
    assert compile_model(model) is compile_model(model)
    copy = dataclasses.replace(model, description="a copy")
    assert compile_model(copy) is not compile_model(model)
    assert compile_model(copy).model is copy


def test_coverage_is_decided_exactly() -> None:
    # Three equal weights of 1/3 with two of them present: coverage 2/3 >= 2/3 scores.
    model = HealthModel(
        "thirds",
        1,
        tuple(Measure(k, k, "ratio", k, target=1, weight=1 / 3) for k in "abc"),
        min_weight_fraction=2 / 3,
    )
    evaluation = compile_model(model).evaluate({"a": 1.0, "b": 0.5})
    assert evaluation.score == 75.0
    assert compile_model(model).evaluate({"a": 1.0}).score is None
