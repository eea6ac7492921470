"""The statistics of a backtest: AUC, the ROC curve, and suggested weights under cross-validation.

NumPy does the statistics (the AUC as Mann–Whitney's U from average ranks; the non-negative
logistic fit by projected Newton steps), imported on the first call, never when csdesk starts.
NumPy is in every csdesk install, the desktop bundle included (SciPy, which gives the same
figures, would add 75–90 MB to a bundle held under 250 MB: ``docs/performance.md``).
Scores follow the health convention: a *lower* score means a *higher* risk of churn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FOLDS", "CrossValidation", "auc", "cross_validate", "fit_weights", "roc_points"]

FOLDS = 5
_SEED = 20261204
_L2 = 1e-3
"""A small ridge on the weights, so a measure that separates the outcomes perfectly still gets
finite weights."""
_MAX_STEPS = 100
_TOLERANCE = 1e-10


def _average_ranks(values: Any) -> Any:
    """1-based ranks of ``values``, tied values sharing their mean rank."""
    import numpy as np

    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)
    return (last - (counts - 1) / 2.0)[inverse]


def auc(scores: Sequence[float], churned: Sequence[bool]) -> float | None:
    """Area under the ROC curve of ``scores`` as a churn predictor (lower = riskier).

    It is the probability that a churned account scored below a renewed one, ties counting
    half: Mann–Whitney's U of the renewed scores over (renewed × churned) pairs, from the
    renewed accounts' rank sum. None without both outcomes.
    """
    import numpy as np

    s = np.asarray(scores, dtype=float)
    y = np.asarray(churned, dtype=bool)
    if s.size != y.size:
        raise ValueError("scores and outcomes differ in length")
    n_lost = int(y.sum())
    n_renewed = int(y.size - n_lost)
    if not n_renewed or not n_lost:
        return None
    rank_sum = float(_average_ranks(s)[~y].sum())
    u = rank_sum - n_renewed * (n_renewed + 1) / 2.0
    return u / (n_renewed * n_lost)


def roc_points(scores: Sequence[float], churned: Sequence[bool]) -> list[tuple[float, float]]:
    """The ROC curve as (false-positive rate, true-positive rate) points from (0, 0) to (1, 1).

    An account is flagged when its score is at or below a threshold; the thresholds are the
    distinct scores, lowest first.
    """
    import numpy as np

    s = np.asarray(scores, dtype=float)
    y = np.asarray(churned, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if not positives or not negatives:
        return []
    order = np.argsort(s, kind="stable")
    s, y = s[order], y[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp = np.cumsum(y)[last_of_tie] / positives
    fp = np.cumsum(~y)[last_of_tie] / negatives
    return [(0.0, 0.0), *zip(fp.tolist(), tp.tolist(), strict=True)]


def _impute(matrix: Any, means: Any) -> Any:
    import numpy as np

    return np.where(np.isnan(matrix), means, matrix)


def _loss(x: Any, y: Any, params: Any) -> tuple[float, Any, Any]:
    """The penalised log-loss of ``P(churn) = σ(b − x·w)``, its gradient and its Hessian."""
    import numpy as np

    n_measures = x.shape[1]
    w, b = params[:n_measures], params[n_measures]
    z = b - x @ w
    # log(1 + e^z) and σ(z) without overflow for large |z|.
    log_one_plus = np.logaddexp(0.0, z)
    p = np.exp(z - log_one_plus)
    value = float(np.mean(log_one_plus - y * z) + _L2 * (w @ w))
    residual = p - y
    grad = np.r_[-(x.T @ residual) / len(y) + 2 * _L2 * w, residual.mean()]
    design = np.c_[-x, np.ones(len(y))]
    hessian = (design.T * (p * (1 - p))) @ design / len(y)
    hessian[np.arange(n_measures), np.arange(n_measures)] += 2 * _L2
    hessian[n_measures, n_measures] += 1e-12
    return value, grad, hessian


def _minimise(x: Any, y: Any) -> Any:
    """Weights ``w ≥ 0`` and intercept minimising :func:`_loss` (projected Newton, Bertsekas).

    The loss is strictly convex, so the minimum is unique: a weight held at its bound (zero)
    where the gradient pushes it below, Newton steps on the others, and an Armijo search along
    the projection arc. Converges in a few steps for the handful of measures a model has.
    """
    import numpy as np

    n_measures = x.shape[1]
    params = np.r_[np.ones(n_measures), 0.0]
    bounded = np.r_[np.ones(n_measures, dtype=bool), False]

    def project(v: Any) -> Any:
        return np.where(bounded, np.maximum(v, 0.0), v)

    value, grad, hessian = _loss(x, y, params)
    for _ in range(_MAX_STEPS):
        gap = params - project(params - grad)
        if np.max(np.abs(gap)) < _TOLERANCE:
            break
        held = bounded & (params <= min(1e-12, float(np.max(np.abs(gap))))) & (grad > 0)
        free = ~held
        direction = np.zeros_like(params)
        try:
            direction[free] = -np.linalg.solve(hessian[np.ix_(free, free)], grad[free])
        except np.linalg.LinAlgError:
            direction[free] = -grad[free]
        step, moved = 1.0, False
        for _ in range(40):
            trial = project(params + step * direction)
            trial_value, trial_grad, trial_hessian = _loss(x, y, trial)
            if trial_value <= value + 1e-4 * float(grad @ (trial - params)):
                moved = True
                break
            step /= 2
        if not moved or value - trial_value < 1e-15 * max(1.0, abs(value)):
            if moved:
                params = trial
            break
        params, value, grad, hessian = trial, trial_value, trial_grad, trial_hessian
    return params


def fit_weights(attainments: Any, churned: Any) -> Any:
    """Non-negative weights (summing to 100) under which a higher score means less churn.

    A logistic model ``P(churn) = σ(b − Σ wᵢ·aᵢ)`` with ``wᵢ ≥ 0`` and a small ridge on the
    weights (:func:`_minimise`); a measure without data for an account takes the measure's mean
    attainment.

    Args:
        attainments: cases × measures array of attainments in [0, 1], NaN without data.
        churned: cases array of booleans.

    Returns:
        The weights as a NumPy array (all zero if no measure helps).
    """
    import numpy as np

    x = np.asarray(attainments, dtype=float)
    y = np.asarray(churned, dtype=float)
    with np.errstate(invalid="ignore"):
        means = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.5, x), axis=0)
    x = _impute(x, np.where(np.isnan(means), 0.5, means))
    params = _minimise(x, y)
    weights = np.clip(params[: x.shape[1]], 0.0, None)
    total = weights.sum()
    return weights * (100.0 / total) if total > 0 else weights


def weighted_scores(attainments: Any, weights: Any) -> Any:
    """Scores 0–100 of each case under ``weights``, renormalised over measures with data
    (NaN where no weighted measure has data), as a health model scores."""
    import numpy as np

    x = np.asarray(attainments, dtype=float)
    has = ~np.isnan(x)
    weight_with_data = has @ weights
    points = np.where(has, x, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight_with_data > 0, 100.0 * points / weight_with_data, np.nan)


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Suggested weights and the AUC of both models on the same held-out folds."""

    weights: tuple[float, ...]
    auc_cv: float
    current_auc_cv: float


def cross_validate(
    attainments: Any, churned: Sequence[bool], current_scores: Sequence[float]
) -> CrossValidation | None:
    """Fit weights on all cases; AUCs of fitted and current models over 5 stratified folds.

    Each fold's weights are fitted on the other four folds and judged on the fold held out;
    the current model's scores are judged on the same folds. The AUCs are the folds' mean.
    None when a fold would lack either outcome.
    """
    import numpy as np

    x = np.asarray(attainments, dtype=float)
    y = np.asarray(churned, dtype=bool)
    current = np.asarray(current_scores, dtype=float)
    rng = np.random.default_rng(_SEED)
    fold_of = np.empty(len(y), dtype=int)
    for label in (True, False):  # stratified: each fold gets its share of churns
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        fold_of[members] = np.arange(members.size) % FOLDS
    fitted_aucs, current_aucs = [], []
    for fold in range(FOLDS):
        test = fold_of == fold
        if y[test].all() or not y[test].any() or y[~test].all() or not y[~test].any():
            return None
        weights = fit_weights(x[~test], y[~test])
        scores = weighted_scores(x[test], weights)
        scored = ~np.isnan(scores)
        fitted = auc(scores[scored].tolist(), y[test][scored].tolist())
        held = auc(current[test].tolist(), y[test].tolist())
        if fitted is None or held is None:
            return None
        fitted_aucs.append(fitted)
        current_aucs.append(held)
    final = fit_weights(x, y)
    return CrossValidation(
        weights=tuple(float(w) for w in final),
        auc_cv=float(np.mean(fitted_aucs)),
        current_auc_cv=float(np.mean(current_aucs)),
    )
