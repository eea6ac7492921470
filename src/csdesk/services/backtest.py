"""Backtest a health model against the portfolio's renewal outcomes (SPEC 2.9, ``csdesk backtest``).

Each recorded outcome is scored from the account's metric history as of the outcome date minus
the horizon — the newest value of each metric at or before that day, read from the snapshots,
never from stored health scores — so any model, shipped or the user's, is tested on the same
history. The report carries what SPEC 5's ``backtest --json`` prints, plus the ROC curve the
Health model page draws. A suggested model can be saved as a TOML model the recompute uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import Session

from csdesk.config import health_models_dir
from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import MetricSnapshot, RenewalOutcome
from csdesk.scoring.backtest import (
    DEFAULT_HORIZON_DAYS,
    MAX_HORIZON_DAYS,
    BacktestCase,
    BandOutcomes,
    FlagQuality,
    ScoredCase,
    band_outcomes,
    flag_quality,
    score_cases,
    suggestion_refusal,
)
from csdesk.scoring.health import compile_model
from csdesk.scoring.health_models import HealthModel
from csdesk.services.health_models import available_models, dump_model, portfolio_model_name

__all__ = [
    "BacktestReport",
    "MeasureAuc",
    "Suggestion",
    "model_choices",
    "run_backtest",
    "save_suggested_model",
]


@dataclass(frozen=True, slots=True)
class MeasureAuc:
    """One measure's own AUC as a churn predictor (None without both outcomes among its data)."""

    key: str
    label: str
    weight: float
    auc: float | None
    cases: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Fitted non-negative weights (per measure key, summing to 100) and both models' CV AUC."""

    weights: dict[str, float]
    auc_cv: float
    current_auc_cv: float


@dataclass(frozen=True, slots=True)
class BacktestReport:
    """What a backtest found; :meth:`to_json` is SPEC 5's ``backtest --json`` object."""

    model: str
    horizon_days: int
    outcomes: int
    churned: int
    insufficient_data: int
    auc: float | None
    bands: list[BandOutcomes]
    flag: FlagQuality
    measures: list[MeasureAuc]
    suggested: Suggestion | None
    reason: str | None
    roc: list[tuple[float, float]]

    def to_json(self) -> dict[str, Any]:
        """The SPEC 5 object (numbers rounded: AUCs and rates to 3 places, weights to 1)."""
        return {
            "model": self.model,
            "horizon_days": self.horizon_days,
            "outcomes": self.outcomes,
            "churned": self.churned,
            "insufficient_data": self.insufficient_data,
            "auc": _r3(self.auc),
            "bands": [
                {
                    "band": b.band.value,
                    "accounts": b.accounts,
                    "churned": b.churned,
                    "churn_rate": _r3(b.churn_rate),
                }
                for b in self.bands
            ],
            "flag": {"precision": _r3(self.flag.precision), "recall": _r3(self.flag.recall)},
            "measures": [{"measure": m.key, "auc": _r3(m.auc)} for m in self.measures],
            "suggested": None
            if self.suggested is None
            else {
                "weights": {k: round(w, 1) for k, w in self.suggested.weights.items()},
                "auc_cv": _r3(self.suggested.auc_cv),
                "current_auc_cv": _r3(self.suggested.current_auc_cv),
            },
            "reason": self.reason,
        }

    def verdict(self) -> str:
        """One plain sentence on what the AUC says."""
        if self.auc is None:
            return self.reason or "no outcomes to judge the model by"
        if self.auc >= 0.7:
            return f"the score warned of churn well (AUC {self.auc:.2f})"
        if self.auc >= 0.6:
            return f"the score warned of churn somewhat (AUC {self.auc:.2f})"
        if self.auc > 0.4:
            return f"the score did not tell churn from renewal (AUC {self.auc:.2f}, 0.5 is chance)"
        return (
            f"the score pointed the wrong way (AUC {self.auc:.2f}: churned accounts scored higher)"
        )


def _r3(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 3)


def _model_named(name: str | None, session: Session) -> HealthModel:
    models = available_models()
    wanted = portfolio_model_name(session) if name is None else name.strip()
    if wanted not in models:
        raise ValidationError(
            f"unknown health model {wanted!r} (known: {', '.join(sorted(models))})"
        )
    return models[wanted]


def model_choices(portfolio: Portfolio) -> tuple[list[str], str]:
    """The health models a backtest can test, by name, and the portfolio's own model."""
    with portfolio.read() as session:
        current = portfolio_model_name(session)
    return sorted(available_models()), current


def _cases(session: Session, model: HealthModel, horizon_days: int) -> list[BacktestCase]:
    """Every outcome with its account's metric values as of the outcome date − horizon.

    One statement per distinct outcome date (two years hold at most ~730), each reading, per
    outcome of that day and per metric, the newest snapshot at or before the cutoff: an
    index seek on the clustered ``(account, metric, day)`` key, never a scan of the history.
    """
    keys = sorted(
        {m.metric for m in model.measures}
        | {m.denominator for m in model.measures if m.denominator}
    )
    cutoff = bindparam("cutoff", type_=Date)
    newest = [
        select(MetricSnapshot.value)
        .where(
            MetricSnapshot.account_id == RenewalOutcome.account_id,
            MetricSnapshot.metric == key,
            MetricSnapshot.as_of <= cutoff,
        )
        .order_by(MetricSnapshot.as_of.desc())
        .limit(1)
        .scalar_subquery()
        .label(f"m{i}")
        for i, key in enumerate(keys)
    ]
    query = (
        select(RenewalOutcome.account_id, RenewalOutcome.outcome, *newest)
        .where(RenewalOutcome.on_date == bindparam("on", type_=Date))
        .order_by(RenewalOutcome.id)
    )
    days = session.scalars(
        select(RenewalOutcome.on_date).distinct().order_by(RenewalOutcome.on_date)
    ).all()
    shift = dt.timedelta(days=horizon_days)
    cases = []
    for day in days:
        for row in session.execute(query, {"on": day, "cutoff": day - shift}):
            metrics = {
                key: None if value is None else float(value)
                for key, value in zip(keys, row[2:], strict=True)
            }
            cases.append(BacktestCase(row[0], day, row[1] == "churned", metrics))
    return cases


def _measure_aucs(model: HealthModel, scored: Sequence[ScoredCase]) -> list[MeasureAuc]:
    from csdesk.services.backtest_stats import auc

    found = []
    for i, measure in enumerate(model.measures):
        pairs = [(s.attainments[i], s.case.churned) for s in scored if s.attainments[i] is not None]
        found.append(
            MeasureAuc(
                key=measure.key,
                label=measure.label,
                weight=measure.weight,
                auc=auc([float(a) for a, _ in pairs], [c for _, c in pairs]) if pairs else None,  # type: ignore[arg-type]
                cases=len(pairs),
            )
        )
    return found


def run_backtest(
    portfolio: Portfolio, *, model: str | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> BacktestReport:
    """Backtest ``model`` (default: the portfolio's) on every recorded outcome.

    Raises:
        ValidationError: an unknown model, or a horizon outside 1–730 days.
    """
    if not 0 < horizon_days <= MAX_HORIZON_DAYS:
        raise ValidationError(
            f"the horizon must be 1 to {MAX_HORIZON_DAYS} days (got {horizon_days})"
        )
    with portfolio.read() as session:
        health_model = _model_named(model, session)
        cases = _cases(session, health_model, horizon_days)
    compiled = compile_model(health_model)
    scored = score_cases(compiled, cases)
    with_score = [s for s in scored if s.score is not None]
    churned = sum(s.case.churned for s in with_score)
    reason = None if cases else "no renewal outcomes recorded yet"
    overall = roc = None
    suggested = None
    if with_score:
        from csdesk.services.backtest_stats import auc, roc_points

        scores = [float(s.score) for s in with_score]  # type: ignore[arg-type]
        labels = [s.case.churned for s in with_score]
        overall = auc(scores, labels)
        roc = roc_points(scores, labels)
        reason = suggestion_refusal(len(with_score), churned)
        if reason is None:
            suggested, reason = _suggest(health_model, with_score, scores, labels)
    elif cases:
        reason = "no outcome had enough metric history before the horizon to be scored"
    return BacktestReport(
        model=health_model.name,
        horizon_days=horizon_days,
        outcomes=len(with_score),
        churned=churned,
        insufficient_data=len(scored) - len(with_score),
        auc=overall,
        bands=band_outcomes(scored),
        flag=flag_quality(scored),
        measures=_measure_aucs(health_model, with_score),
        suggested=suggested,
        reason=reason,
        roc=roc or [],
    )


def _suggest(
    model: HealthModel, scored: Sequence[ScoredCase], scores: list[float], labels: list[bool]
) -> tuple[Suggestion | None, str | None]:
    import numpy as np

    from csdesk.services.backtest_stats import cross_validate

    matrix = np.array(
        [[np.nan if a is None else a for a in s.attainments] for s in scored], dtype=float
    )
    result = cross_validate(matrix, labels, scores)
    if result is None:
        return None, "too few churned accounts to hold some out in each of the 5 folds"
    weights = {m.key: w for m, w in zip(model.measures, result.weights, strict=True)}
    return Suggestion(weights, result.auc_cv, result.current_auc_cv), None


def save_suggested_model(portfolio: Portfolio, report: BacktestReport, name: str) -> HealthModel:
    """Write the suggestion as a new TOML health model in the user's models folder.

    The new model keeps the backtested model's measures, targets and alert settings with the
    fitted weights (each measure weighted on its own: groups' equal shares no longer apply),
    and the save is recorded in the portfolio's timeline.

    Raises:
        ValidationError: no suggestion, a bad name, or a model of that name exists.
    """
    from csdesk.services.edits.base import log_activity

    if report.suggested is None:
        raise ValidationError("this backtest has no suggested model to save")
    name = name.strip()
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
        raise ValidationError("a model name uses letters, digits, '-' and '_' only")
    if name in available_models():
        raise ValidationError(f"a health model named {name!r} exists already")
    base = available_models()[report.model]
    measures = tuple(
        dataclasses.replace(m, weight=round(report.suggested.weights[m.key], 1), group=None)
        for m in base.measures
    )
    model = dataclasses.replace(
        base,
        name=name,
        version=1,
        measures=measures,
        groups=(),
        description=(
            f"Fitted by a backtest of {report.model} on {report.outcomes} outcomes "
            f"({report.churned} churned), horizon {report.horizon_days} days: cross-validated "
            f"AUC {report.suggested.auc_cv:.3f} against {report.suggested.current_auc_cv:.3f}."
        ),
    )
    folder = health_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.toml"
    part = target.with_suffix(".toml.part")
    part.write_text(dump_model(model), encoding="utf-8")
    part.replace(target)
    with portfolio.write() as session:
        log_activity(
            session,
            None,
            "health",
            f"health model {name} saved from a backtest of {report.model}",
            {"weights": report.suggested.weights, "auc_cv": report.suggested.auc_cv},
        )
    return model
