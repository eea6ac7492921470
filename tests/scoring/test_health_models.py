"""Tests for loading, validating and writing health model TOML files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.resources import resource_path
from csdesk.scoring.health_models import (
    HealthModel,
    HealthModelError,
    Measure,
    default_models,
    load_model,
    load_model_dir,
    parse_model,
)
from csdesk.services.health_models import dump_model

MINIMAL = """
name = "mini"
version = 2

[[measures]]
key = "logins"
kind = "ratio"
metric = "logins_30d"
target = 30
weight = 1
"""


def test_default_models_are_bundled() -> None:
    models = default_models()
    assert set(models) == {"subscription", "outcomes"}
    assert models is not default_models()  # a fresh dict each call
    assert resource_path("health_models", "subscription.toml").is_file()


def test_parse_text_and_load_a_file(tmp_path: Path) -> None:
    model = parse_model(MINIMAL)
    assert (model.name, model.version) == ("mini", 2)
    assert model.measures[0].label == "Logins"  # label defaults from the key
    file = tmp_path / "mini.toml"
    file.write_text(MINIMAL, encoding="utf-8")
    assert load_model(file) == model


def test_text_naming_a_file_is_text_not_a_path(tmp_path: Path) -> None:
    file = tmp_path / "mini.toml"
    file.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(HealthModelError, match="invalid TOML"):
        parse_model(str(file))  # no guessing: a string is always TOML text


@pytest.mark.parametrize("model", list(default_models().values()), ids=lambda m: m.name)
def test_dump_round_trips(model: HealthModel) -> None:
    assert parse_model(dump_model(model)) == model


# Any text a user may type, newlines, quotes, backslashes and control characters included
# (TOML cannot hold lone surrogates).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(name=_TEXT.filter(bool), description=_TEXT, label=_TEXT.filter(bool))
def test_any_names_and_texts_round_trip(name: str, description: str, label: str) -> None:
    model = default_models()["subscription"]
    measures = (dataclasses.replace(model.measures[0], label=label), *model.measures[1:])
    edited = dataclasses.replace(model, name=name, description=description, measures=measures)
    assert parse_model(dump_model(edited)) == edited


def test_a_description_with_a_newline_is_valid_toml() -> None:
    model = dataclasses.replace(default_models()["outcomes"], description='two\nlines "quoted"')
    assert parse_model(dump_model(model)).description == 'two\nlines "quoted"'


def _with_measure(body: str) -> str:
    return 'name = "bad"\nversion = 1\n\n[[measures]]\n' + body


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name = \n", "invalid TOML"),
        (
            _with_measure('key = "a"\nkind = "ratoi"\nmetric = "x"\ntarget = 1\nweight = 1'),
            "unknown kind 'ratoi'",
        ),
        (_with_measure('key = "a"\nkind = "flag"\nweight = 1'), "missing metric"),
        (
            _with_measure('key = "a"\nkind = "flag"\nmetric = "x"\nweight = -3'),
            "negative weight -3",
        ),
        (
            _with_measure('key = "a"\nkind = "ratio"\nmetric = "x"\nweight = 1'),
            "needs a target or a denominator",
        ),
        (
            _with_measure(
                'key = "a"\nkind = "ratio"\nmetric = "x"\ntarget = 2\ndenominator = "y"\nweight = 1'
            ),
            "not both",
        ),
        (
            _with_measure('key = "a"\nkind = "ratio"\nmetric = "x"\ntarget = 0\nweight = 1'),
            "target must be a positive number",
        ),
        (
            _with_measure('key = "a"\nkind = "penalty"\nmetric = "x"\nweight = 1'),
            "a penalty needs a step",
        ),
        (
            _with_measure('key = "a"\nkind = "flag"\nmetric = "x"\nweight = "heavy"'),
            "weight must be a number",
        ),
        (
            _with_measure('key = "a"\nkind = "flag"\nmetric = "x"\nwieght = 1'),
            "unknown field 'wieght'",
        ),
        (_with_measure('key = "a"\nkind = "flag"\nmetric = "x"'), "missing weight"),
        (
            _with_measure('key = "a"\nkind = "flag"\nmetric = "x"\nweight = 0'),
            "weights sum to zero",
        ),
        ('name = "bad"\nversion = 1\n', "no measures"),
        (
            'version = 1\n[[measures]]\nkey = "a"\nkind = "flag"\nmetric = "x"\nweight = 1',
            "missing name",
        ),
        (
            'name = "x"\nversion = "one"\n[[measures]]\nkey = "a"\nkind = "flag"\n'
            'metric = "x"\nweight = 1',
            "version must be a whole number",
        ),
        ('name = "x"\nversion = 1\n[[groups]]\nkey = "g"\nweight = 10\n', "group 'g' has no"),
        (
            'name = "x"\nversion = 1\n[bands]\nexcellent = 50\n[[measures]]\nkey = "a"\n'
            'kind = "flag"\nmetric = "x"\nweight = 1',
            "[bands]",
        ),
    ],
)
def test_malformed_model_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    file = tmp_path / "broken.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(HealthModelError) as caught:
        load_model(file)
    message = str(caught.value)
    assert message.startswith(str(file) + ": ")
    assert problem in message
    assert caught.value.source == str(file)
    assert isinstance(caught.value, ValueError)


def test_every_problem_is_reported() -> None:
    text = _with_measure('key = "a"\nkind = "ratio"\nmetric = "x"\nweight = -1\nstep = 2')
    with pytest.raises(HealthModelError) as caught:
        parse_model(text, source="user.toml")
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("user.toml: measure 'a': ")


def test_grouped_measure_with_own_weight_is_refused() -> None:
    text = (
        'name = "x"\nversion = 1\n[[groups]]\nkey = "g"\nweight = 10\n'
        '[[measures]]\nkey = "a"\nkind = "flag"\nmetric = "x"\ngroup = "g"\nweight = 3\n'
    )
    with pytest.raises(HealthModelError, match="group's weight is shared"):
        parse_model(text)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(HealthModelError, match=r"missing\.toml: cannot read"):
        load_model(tmp_path / "missing.toml")


def test_load_model_dir_returns_errors_as_data(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bad.toml").write_text("name = ", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    models, errors = load_model_dir(tmp_path)
    assert list(models) == ["mini"]
    assert len(errors) == 1 and "bad.toml" in errors[0]
    assert load_model_dir(tmp_path / "absent") == ({}, [])


def test_models_validate_when_built_in_code() -> None:
    with pytest.raises(HealthModelError, match="unknown kind"):
        Measure("a", "A", "ratios", "x", target=1)
    with pytest.raises(HealthModelError, match="used twice"):
        m = Measure("a", "A", "flag", "x")
        HealthModel("x", 1, (m, m))
    with pytest.raises(HealthModelError, match="min_weight_fraction"):
        HealthModel("x", 1, (Measure("a", "A", "flag", "x"),), min_weight_fraction=1.5)
