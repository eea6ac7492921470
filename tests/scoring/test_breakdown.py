"""The stored breakdown: the compact form reads back as the full records, the old form as is."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.scoring.breakdown import (
    breakdown_records,
    compact_breakdown,
    compact_json,
    compact_result,
)
from csdesk.scoring.health import compile_model, compute_health
from csdesk.scoring.health_models import HealthModel, default_models

MODELS = list(default_models().values())
METRICS = sorted({name for model in MODELS for name in model.metrics})
values = st.one_of(
    st.none(), st.floats(allow_nan=True), st.integers(-100, 10**7), st.booleans(), st.just(-0.0)
)
metrics = st.dictionaries(st.sampled_from(METRICS), values)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MODELS), metrics)
def test_the_compact_text_is_what_json_writes_of_the_compact_form(
    model: HealthModel, given_metrics: dict[str, float | None]
) -> None:
    compiled = compile_model(model)
    evaluation = compiled.evaluate(given_metrics)
    assert compact_json(compiled, evaluation) == json.dumps(compact_breakdown(compiled, evaluation))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MODELS), metrics)
def test_compact_form_reads_back_as_the_records(
    model: HealthModel, given_metrics: dict[str, float | None]
) -> None:
    compiled = compile_model(model)
    evaluation = compiled.evaluate(given_metrics)
    stored = json.loads(json.dumps(compact_breakdown(compiled, evaluation)))
    assert breakdown_records(stored, model) == compiled.records(evaluation)
    result = compute_health(model, given_metrics)
    assert json.loads(json.dumps(compact_result(result))) == stored


def test_old_list_form_is_read_as_stored() -> None:
    old = [{"key": "usage", "label": "Usage", "weight": 30, "attainment": 0.5, "no_data": False}]
    assert breakdown_records(old, None) == old
    assert breakdown_records(None, None) == [] and breakdown_records({"v": 99}, None) == []


def test_without_the_model_keys_and_attainments_remain() -> None:
    model = default_models()["subscription"]
    compiled = compile_model(model)
    evaluation = compiled.evaluate({"usage": 5.0, "usage_limit": 10.0})
    records = breakdown_records(compact_breakdown(compiled, evaluation), None)
    assert [r["key"] for r in records] == [line[0] for line in compiled.lines]
    assert records[0]["attainment"] == 0.5 and records[0]["label"] == records[0]["key"]
    assert all(r["contribution"] is None and r["weight"] == 0.0 for r in records)
