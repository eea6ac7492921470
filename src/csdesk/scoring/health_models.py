"""Health models in TOML: reading with validation, the bundled defaults, and the tables to write."""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from csdesk.resources import resource_path
from csdesk.scoring.bands import BandThresholds
from csdesk.scoring.health_defs import KINDS, HealthModel, HealthModelError, Measure, MeasureGroup

__all__ = [
    "DEFAULT_MODEL",
    "KINDS",
    "HealthModel",
    "HealthModelError",
    "Measure",
    "MeasureGroup",
    "default_models",
    "load_model",
    "load_model_dir",
    "model_data",
    "parse_model",
]

DEFAULT_MODEL = "subscription"
"""Name of the model used when an account names none."""

_MEASURE_FIELDS = frozenset(
    {"key", "label", "kind", "metric", "target", "denominator", "step", "weight", "group"}
)
_TOP_FIELDS = frozenset(
    {
        "name",
        "version",
        "description",
        "min_weight_fraction",
        "alerts",
        "bands",
        "groups",
        "measures",
    }
)
_ALERT_FIELDS = frozenset({"at_risk_below", "drop_points", "drop_days"})
_BAND_FIELDS = frozenset({"excellent", "good", "at_risk"})


def _number(table: Mapping[str, Any], name: str, where: str, problems: list[str]) -> float | None:
    value = table.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: {name} must be a number, got {value!r}")
        return None
    return float(value)


def _text(table: Mapping[str, Any], name: str, where: str, problems: list[str]) -> str | None:
    value = table.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{where}: {name} must be text, got {value!r}")
        return None
    return value


def _unknown(table: Mapping[str, Any], allowed: frozenset[str], where: str) -> list[str]:
    return [f"{where}: unknown field {name!r}" for name in table if name not in allowed]


def _table(data: Mapping[str, Any], name: str, problems: list[str]) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}] must be a table")
        return {}
    return value


def _array(data: Mapping[str, Any], name: str, problems: list[str]) -> list[Mapping[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(f"{name} must be an array of tables ([[{name}]])")
        return []
    return value


def _groups(data: Mapping[str, Any], problems: list[str]) -> dict[str, MeasureGroup]:
    groups: dict[str, MeasureGroup] = {}
    for index, table in enumerate(_array(data, "groups", problems)):
        where = f"groups[{index}]"
        problems.extend(_unknown(table, frozenset({"key", "label", "weight"}), where))
        key = _text(table, "key", where, problems)
        weight = _number(table, "weight", where, problems)
        if not key:
            problems.append(f"{where}: missing key")
            continue
        if weight is None or not math.isfinite(weight) or weight < 0:
            problems.append(f"group {key!r}: weight must be a number of 0 or more")
            continue
        label = _text(table, "label", where, problems) or key.replace("_", " ").capitalize()
        groups[key] = MeasureGroup(key, label, weight)
    return groups


def _measures(
    data: Mapping[str, Any], groups: Mapping[str, MeasureGroup], problems: list[str]
) -> list[Measure]:
    tables = _array(data, "measures", problems)
    members: dict[str, int] = {}
    for table in tables:
        declared = table.get("group")
        if isinstance(declared, str) and declared in groups:
            members[declared] = members.get(declared, 0) + 1
    for group_key in groups:
        if group_key not in members:
            problems.append(f"group {group_key!r} has no measures")
    measures: list[Measure] = []
    for index, table in enumerate(tables):
        key = _text(table, "key", f"measures[{index}]", problems)
        where = f"measure {key!r}" if key else f"measures[{index}]"
        if not key:
            problems.append(f"{where}: missing key")
            continue
        found: list[str] = _unknown(table, _MEASURE_FIELDS, where)
        kind = _text(table, "kind", where, found)
        metric = _text(table, "metric", where, found)
        group = _text(table, "group", where, found)
        weight = _number(table, "weight", where, found)
        if kind is None:
            found.append(f"{where}: missing kind")
        if metric is None:
            found.append(f"{where}: missing metric")
        if group is not None and group in groups:
            if weight is not None:
                found.append(f"{where}: has its own weight but its group's weight is shared")
            weight = groups[group].weight / members[group]
        elif weight is None:
            found.append(f"{where}: missing weight")
        if found:
            problems.extend(found)
            continue
        try:
            measures.append(
                Measure(
                    key=key,
                    label=_text(table, "label", where, problems)
                    or key.replace("_", " ").capitalize(),
                    kind=kind or "",
                    metric=metric or "",
                    target=_number(table, "target", where, problems),
                    denominator=_text(table, "denominator", where, problems),
                    step=_number(table, "step", where, problems),
                    weight=weight if weight is not None else 0.0,
                    group=group,
                )
            )
        except HealthModelError as error:
            problems.extend(error.problems)
    return measures


def _build(data: Mapping[str, Any]) -> HealthModel:
    problems: list[str] = _unknown(data, _TOP_FIELDS, "top level")
    name = _text(data, "name", "top level", problems)
    version = data.get("version")
    if name is None:
        problems.append("missing name")
    if version is None:
        problems.append("missing version")
    alerts = _table(data, "alerts", problems)
    problems.extend(_unknown(alerts, _ALERT_FIELDS, "[alerts]"))
    band_table = _table(data, "bands", problems)
    problems.extend(_unknown(band_table, _BAND_FIELDS, "[bands]"))
    groups = _groups(data, problems)
    measures = _measures(data, groups, problems)
    settings = {
        "min_weight_fraction": _number(data, "min_weight_fraction", "top level", problems),
        "at_risk_below": _number(alerts, "at_risk_below", "[alerts]", problems),
        "drop_points": _number(alerts, "drop_points", "[alerts]", problems),
    }
    bands_given = {k: _number(band_table, k, "[bands]", problems) for k in _BAND_FIELDS}
    description = _text(data, "description", "top level", problems) or ""
    if problems:
        raise HealthModelError(problems)
    try:
        bands = BandThresholds(**{k: v for k, v in bands_given.items() if v is not None})
    except ValueError as error:
        raise HealthModelError(f"[bands]: {error}") from None
    return HealthModel(
        name=name or "",
        version=version,  # type: ignore[arg-type]  # validated by HealthModel
        measures=tuple(measures),
        drop_days=alerts.get("drop_days", 7),
        description=description,
        groups=tuple(groups.values()),
        bands=bands,
        **{k: v for k, v in settings.items() if v is not None},
    )


def parse_model(text: str, source: str = "<text>") -> HealthModel:
    """Read and validate a health model from TOML text.

    Args:
        text: The TOML text.
        source: Name used in error messages.

    Returns:
        The validated model.

    Raises:
        HealthModelError: The text is not valid TOML or describes an invalid model; the message
            names ``source`` and every problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise HealthModelError(f"invalid TOML: {error}", source) from None
    try:
        return _build(data)
    except HealthModelError as error:
        raise HealthModelError(list(error.problems), source) from None


def load_model(file: Path | Traversable, *, source: str | None = None) -> HealthModel:
    """Read and validate a health model file.

    Args:
        file: The file (a path, or a bundled resource).
        source: Name used in error messages (defaults to the file path).

    Returns:
        The validated model.

    Raises:
        HealthModelError: The file cannot be read, is not valid TOML, or describes an
            invalid model; the message names the file and every problem found.
    """
    label = source or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HealthModelError(f"cannot read the file: {error}", label) from None
    return parse_model(text, label)


def load_model_dir(folder: Path | Traversable) -> tuple[dict[str, HealthModel], list[str]]:
    """Load every ``*.toml`` model in a folder, returning bad files as data.

    Args:
        folder: A folder of model files (the user's data folder or the bundled one).

    Returns:
        ``(models by name, error messages)``; a later file with the same model name
        replaces an earlier one (files are read in name order).
    """
    models: dict[str, HealthModel] = {}
    errors: list[str] = []
    if not folder.is_dir():
        return models, errors
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".toml") or not file.is_file():
            continue
        try:
            model = load_model(file, source=str(file) if isinstance(file, Path) else file.name)
        except HealthModelError as error:
            errors.append(str(error))
            continue
        models[model.name] = model
    return models, errors


@functools.cache
def _bundled() -> tuple[HealthModel, ...]:
    models, errors = load_model_dir(resource_path("health_models"))
    if errors:
        raise HealthModelError(errors, "bundled health models")
    return tuple(models.values())


def default_models() -> dict[str, HealthModel]:
    """Return the shipped health models (``subscription``, ``outcomes``) by name.

    Returns:
        A fresh dict on each call; the models themselves are immutable.

    Raises:
        HealthModelError: A bundled model file is broken (a packaging bug).
    """
    return {model.name: model for model in _bundled()}


def model_data(model: HealthModel) -> dict[str, Any]:
    """A model as the plain tables of its TOML file (what :func:`parse_model` reads back).

    Args:
        model: The model to write (e.g. a user copy saved to the data folder).

    Returns:
        Nested dicts and lists of str/int/float only; a TOML writer turns them into text.
    """
    data: dict[str, Any] = {"name": model.name, "version": model.version}
    if model.description:
        data["description"] = model.description
    data["min_weight_fraction"] = model.min_weight_fraction
    data["alerts"] = {
        "at_risk_below": model.at_risk_below,
        "drop_points": model.drop_points,
        "drop_days": model.drop_days,
    }
    data["bands"] = {name: getattr(model.bands, name) for name in sorted(_BAND_FIELDS)}
    if model.groups:
        data["groups"] = [
            {"key": group.key, "label": group.label, "weight": group.weight}
            for group in model.groups
        ]
    declared = {group.key for group in model.groups}
    measures = []
    for measure in model.measures:
        table = {
            name: getattr(measure, name)
            for name in ("key", "label", "kind", "metric", "target", "denominator", "step", "group")
            if getattr(measure, name) is not None
        }
        if measure.group not in declared:
            table["weight"] = measure.weight
        measures.append(table)
    data["measures"] = measures
    return data
