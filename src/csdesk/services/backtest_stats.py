"""The statistics of a backtest: AUC, the ROC curve, and suggested weights under cross-validation.

SciPy does the statistics (Mann–Whitney U for the AUC, bounded L-BFGS-B for the fit) and NumPy
the arrays; both are imported on the first call, never when csdesk starts. Scores follow the
health convention: a *lower* score means a *higher* risk of churn.
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


def auc(scores: Sequence[float], churned: Sequence[bool]) -> float | None:
    """Area under the ROC curve of ``scores`` as a churn predictor (lower = riskier).

    It is the probability that a churned account scored below a renewed one, ties counting
    half: Mann–Whitney's U over (renewed × churned) pairs. None without both outcomes.
    """
    from scipy.stats import mannwhitneyu

    renewed = [s for s, c in zip(scores, churned, strict=True) if not c]
    lost = [s for s, c in zip(scores, churned, strict=True) if c]
    if not renewed or not lost:
        return None
    u = mannwhitneyu(renewed, lost, alternative="two-sided", method="asymptotic").statistic
    return float(u) / (len(renewed) * len(lost))


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


def fit_weights(attainments: Any, churned: Any) -> Any:
    """Non-negative weights (summing to 100) under which a higher score means less churn.

    A logistic model ``P(churn) = σ(b − Σ wᵢ·aᵢ)`` with ``wᵢ ≥ 0``, fitted by bounded L-BFGS-B;
    a measure without data for an account takes the measure's mean attainment.

    Args:
        attainments: cases × measures array of attainments in [0, 1], NaN without data.
        churned: cases array of booleans.

    Returns:
        The weights as a NumPy array (all zero if no measure helps).
    """
    import numpy as np
    from scipy.optimize import minimize

    x = np.asarray(attainments, dtype=float)
    y = np.asarray(churned, dtype=float)
    means = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.5, x), axis=0)
    x = _impute(x, np.where(np.isnan(means), 0.5, means))
    n_measures = x.shape[1]

    def loss(params: Any) -> tuple[float, Any]:
        w, b = params[:n_measures], params[n_measures]
        z = b - x @ w
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + _L2 * w @ w
        residual = p - y
        grad_w = -(x.T @ residual) / len(y) + 2 * _L2 * w
        grad_b = residual.mean()
        return float(value), np.r_[grad_w, grad_b]

    start = np.r_[np.ones(n_measures), 0.0]
    bounds = [(0.0, None)] * n_measures + [(None, None)]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    weights = np.clip(result.x[:n_measures], 0.0, None)
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
