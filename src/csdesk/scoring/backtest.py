"""Does a health model warn of churn? Scoring past outcomes and counting what the bands said.

A backtest (SPEC 2.9) takes each renewal outcome — an account that renewed or churned on a
date — and scores the account with a health model from its metric values as of the outcome
date minus a horizon. This module holds the pure part: the cases, their scores and
attainments, and the counts (churn rate per band, the at-risk flag's precision and recall).
The statistics that need a library (AUC, the ROC curve, fitting suggested weights under
cross-validation) live in ``csdesk.services.backtest_stats``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from csdesk.scoring.bands import Band
from csdesk.scoring.health import CompiledModel

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "FLAG_BANDS",
    "MAX_HORIZON_DAYS",
    "MIN_CHURNS",
    "MIN_OUTCOMES",
    "BacktestCase",
    "BandOutcomes",
    "FlagQuality",
    "ScoredCase",
    "band_outcomes",
    "flag_quality",
    "score_cases",
    "suggestion_refusal",
]

DEFAULT_HORIZON_DAYS = 90
MAX_HORIZON_DAYS = 730
MIN_OUTCOMES = 30
MIN_CHURNS = 5
FLAG_BANDS = (Band.AT_RISK, Band.CRITICAL)
"""The bands that flag an account as likely to churn."""


@dataclass(frozen=True, slots=True)
class BacktestCase:
    """One outcome with the account's metrics as of the outcome date minus the horizon.

    Attributes:
        account_id: The account.
        on: The outcome's date.
        churned: True for a churned outcome, False for a renewal.
        metrics: Metric key → newest value at or before ``on − horizon``.
    """

    account_id: int
    on: dt.date
    churned: bool
    metrics: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class ScoredCase:
    """A case scored by a model: score and band (None: insufficient data), attainments."""

    case: BacktestCase
    score: float | None
    band: Band | None
    attainments: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class BandOutcomes:
    """How the accounts of one band (as scored before the outcome) ended."""

    band: Band
    accounts: int
    churned: int

    @property
    def churn_rate(self) -> float | None:
        """Churned / accounts (None for an empty band)."""
        return self.churned / self.accounts if self.accounts else None


@dataclass(frozen=True, slots=True)
class FlagQuality:
    """The at-risk flag (At Risk or Critical) judged as a churn predictor.

    Attributes:
        flagged: Scored cases the flag raised.
        precision: Share of flagged cases that churned (None when nothing was flagged).
        recall: Share of churned cases that were flagged (None when nothing churned).
    """

    flagged: int
    precision: float | None
    recall: float | None


def score_cases(model: CompiledModel, cases: Iterable[BacktestCase]) -> list[ScoredCase]:
    """Score every case with ``model`` (renormalised over the measures with data)."""
    scored = []
    for case in cases:
        evaluation = model.evaluate(case.metrics)
        scored.append(ScoredCase(case, evaluation.score, evaluation.band, evaluation.attainments))
    return scored


def band_outcomes(scored: Sequence[ScoredCase]) -> list[BandOutcomes]:
    """Accounts and churns per band, best band first; cases without a score are left out."""
    counts = {band: [0, 0] for band in Band}
    for item in scored:
        if item.band is not None:
            counts[item.band][0] += 1
            counts[item.band][1] += item.case.churned
    return [BandOutcomes(band, n, churned) for band, (n, churned) in counts.items()]


def flag_quality(scored: Sequence[ScoredCase]) -> FlagQuality:
    """Precision and recall of "At Risk or Critical" as a churn flag, over scored cases."""
    with_score = [s for s in scored if s.band is not None]
    flagged = [s for s in with_score if s.band in FLAG_BANDS]
    churned = sum(s.case.churned for s in with_score)
    hits = sum(s.case.churned for s in flagged)
    return FlagQuality(
        flagged=len(flagged),
        precision=hits / len(flagged) if flagged else None,
        recall=hits / churned if churned else None,
    )


def suggestion_refusal(outcomes: int, churned: int) -> str | None:
    """Why no weights are suggested for so few outcomes (None: enough to fit)."""
    if outcomes < MIN_OUTCOMES:
        return f"only {outcomes} outcomes with a score; a suggestion needs at least {MIN_OUTCOMES}"
    if churned < MIN_CHURNS:
        return f"only {churned} churned accounts; a suggestion needs at least {MIN_CHURNS}"
    if churned == outcomes:
        return "every outcome is a churn: nothing to tell churn from renewal"
    return None
