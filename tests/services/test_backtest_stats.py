"""The backtest's NumPy statistics give SciPy's figures: Mann–Whitney's U and the bounded fit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from csdesk.services.backtest_stats import _loss, auc, cross_validate, fit_weights

scipy_stats = pytest.importorskip("scipy.stats")
scipy_optimize = pytest.importorskip("scipy.optimize")


def _history(seed: int, cases: int = 3000, measures: int = 5) -> tuple[Any, Any]:
    """Attainments (10 % without data) where churn follows the first measure, the rest noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (cases, measures))
    x[rng.uniform(size=x.shape) < 0.1] = np.nan
    signal = np.nan_to_num(x[:, 0], nan=0.5)
    churned = rng.uniform(size=cases) < 1 / (1 + np.exp(-(1 - 4 * signal)))
    return x, churned


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_auc_is_mann_whitneys_u_over_the_pairs_ties_included(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.uniform(0, 100, 2000))  # many ties
    churned = rng.uniform(size=2000) < 0.3
    expected = scipy_stats.mannwhitneyu(
        scores[~churned], scores[churned], alternative="two-sided", method="asymptotic"
    ).statistic / ((~churned).sum() * churned.sum())
    assert auc(scores.tolist(), churned.tolist()) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_the_fitted_weights_are_scipys_bounded_l_bfgs_b_optimum(seed: int) -> None:
    x, churned = _history(seed)
    weights = fit_weights(x, churned)
    means = np.nanmean(x, axis=0)
    filled, y = np.where(np.isnan(x), means, x), churned.astype(float)
    found = scipy_optimize.minimize(
        lambda p: _loss(filled, y, p)[:2],
        np.r_[np.ones(x.shape[1]), 0.0],
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * x.shape[1] + [(None, None)],
        options={"ftol": 1e-15, "gtol": 1e-12},
    )
    reference = np.clip(found.x[: x.shape[1]], 0, None)
    reference *= 100 / reference.sum()
    assert weights == pytest.approx(reference, abs=0.01)
    assert weights.sum() == pytest.approx(100) and (weights >= 0).all()
    assert int(np.argmax(weights)) == 0


def test_a_measure_that_warns_the_wrong_way_gets_no_weight() -> None:
    x, churned = _history(7)
    x[:, 1] = 1 - np.nan_to_num(x[:, 0], nan=0.5)  # high attainment here means churn
    weights = fit_weights(x, churned)
    assert weights[1] == 0 and weights[0] > 50


def test_cross_validation_judges_both_models_on_the_same_folds() -> None:
    x, churned = _history(8)
    current = 100 * np.nanmean(x[:, 1:], axis=1)  # a model that ignores the driver
    found = cross_validate(x, churned.tolist(), current.tolist())
    assert found is not None
    assert found.auc_cv > 0.7 and 0.4 < found.current_auc_cv < 0.6
    assert found.weights == tuple(fit_weights(x, churned).tolist())


def test_numpy_is_imported_only_when_a_backtest_runs() -> None:
    import subprocess
    import sys

    code = (
        "import sys, csdesk.cli, csdesk.services.backtest, csdesk.services.backtest_stats\n"
        "print('numpy' in sys.modules, 'scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
