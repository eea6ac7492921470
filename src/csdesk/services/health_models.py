"""Which health models a portfolio uses: the shipped defaults plus the user's own TOML files."""

from __future__ import annotations

import tomli_w
from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.config import health_models_dir
from csdesk.errors import ValidationError
from csdesk.models import Setting
from csdesk.scoring.health_models import (
    DEFAULT_MODEL,
    HealthModel,
    default_models,
    load_model_dir,
    model_data,
)

MODEL_SETTING = "health_model"


def dump_model(model: HealthModel) -> str:
    """A model as TOML text that ``parse_model`` reads back to an equal model."""
    return tomli_w.dumps(model_data(model))


def available_models() -> dict[str, HealthModel]:
    """Shipped models, overridden by same-named user models in the data folder.

    A broken user file is skipped here (the model editor reports it); it never breaks a recompute.
    """
    models = default_models()
    user_models, _errors = load_model_dir(health_models_dir())
    models.update(user_models)
    return models


def user_model_errors() -> list[str]:
    """Problems found in the user's health-model files, one message per file."""
    return load_model_dir(health_models_dir())[1]


def portfolio_model_name(session: Session) -> str:
    """The portfolio's default health model (setting ``health_model``, else ``subscription``)."""
    value = session.scalar(select(Setting.value).where(Setting.key == MODEL_SETTING))
    return value or DEFAULT_MODEL


def model_named(models: dict[str, HealthModel], name: str) -> HealthModel:
    """The model called ``name``, else the first available (a user model since removed)."""
    return models.get(name) or next(iter(models.values()))


def portfolio_models(session: Session) -> tuple[dict[str, HealthModel], HealthModel]:
    """The available models and, among them, the portfolio's default."""
    models = available_models()
    return models, model_named(models, portfolio_model_name(session))


def set_portfolio_model(session: Session, name: str) -> None:
    """Make ``name`` the portfolio's default health model.

    Raises:
        ValidationError: no model of that name exists.
    """
    models = available_models()
    if name not in models:
        known = ", ".join(sorted(models))
        raise ValidationError(f"unknown health model {name!r} (known: {known})")
    setting = session.get(Setting, MODEL_SETTING)
    if setting is None:
        session.add(Setting(key=MODEL_SETTING, value=name))
    else:
        setting.value = name
