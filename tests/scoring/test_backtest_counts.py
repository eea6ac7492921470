"""The pure part of a backtest (SPEC 2.9): scoring cases, churn per band, the at-risk flag, and
when no weights are suggested — with worked examples."""

from __future__ import annotations

import datetime as dt

import pytest

from csdesk.scoring.backtest import (
    BacktestCase,
    band_outcomes,
    flag_quality,
    score_cases,
    suggestion_refusal,
)
from csdesk.scoring.bands import Band
from csdesk.scoring.health import compile_model
from csdesk.scoring.health_models import default_models

DAY = dt.date(2026, 6, 1)
FULL = {
    "usage": 90000.0,
    "usage_limit": 100000.0,
    "logins_30d": 30.0,
    "open_tickets": 0.0,
    "payments_current": 1.0,
    "features_used": 10.0,
    "features_total": 10.0,
}


def _case(churned: bool, **metrics: float | None) -> BacktestCase:
    return BacktestCase(1, DAY, churned, {**FULL, **metrics})


def test_cases_are_scored_by_the_model_and_thin_data_has_no_score() -> None:
    model = compile_model(default_models()["subscription"])
    full, poor, thin = score_cases(
        model,
        [
            _case(False),
            _case(True, usage=10000.0, logins_30d=3.0, payments_current=0.0),
            # Only payment (20) and adoption (10) of 100: under half the weight has data.
            BacktestCase(2, DAY, True, {"payments_current": 1.0, "features_used": 5.0,
                                        "features_total": 10.0}),
        ],
    )  # fmt: skip
    assert full.score == pytest.approx(97.0) and full.band is Band.EXCELLENT
    # usage 0.1 × 30 + logins 0.1 × 20 + support 20 + payment 0 + adoption 10 = 35.
    assert poor.score == pytest.approx(35.0) and poor.band is Band.CRITICAL
    assert thin.score is None and thin.band is None
    assert len(full.attainments) == 5 and full.attainments[0] == pytest.approx(0.9)


def test_churn_rate_per_band_and_the_flags_precision_and_recall() -> None:
    model = compile_model(default_models()["subscription"])
    cases = [
        _case(False),  # Excellent, renewed
        _case(True),  # Excellent, churned: the flag missed it
        _case(False, usage=50000.0, logins_30d=15.0),  # 15 + 10 + 20 + 20 + 10 = 75: Good
        _case(True, usage=10000.0, logins_30d=3.0, payments_current=0.0),  # Critical, churned
        _case(False, usage=20000.0, logins_30d=12.0, features_used=5.0),  # 6+8+20+20+5 = 59
        _case(True, usage=20000.0, logins_30d=12.0, features_used=5.0),  # At Risk, churned
    ]
    scored = score_cases(model, cases)
    bands = {b.band: (b.accounts, b.churned, b.churn_rate) for b in band_outcomes(scored)}
    assert bands == {
        Band.EXCELLENT: (2, 1, 0.5),
        Band.GOOD: (1, 0, 0.0),
        Band.AT_RISK: (2, 1, 0.5),
        Band.CRITICAL: (1, 1, 1.0),
    }
    flag = flag_quality(scored)
    # Flagged: the three At Risk or Critical; two of them churned, of the three churns.
    assert flag.flagged == 3
    assert flag.precision == pytest.approx(2 / 3) and flag.recall == pytest.approx(2 / 3)


def test_nothing_flagged_or_nothing_churned_has_no_precision_or_recall() -> None:
    model = compile_model(default_models()["subscription"])
    flag = flag_quality(score_cases(model, [_case(False), _case(False)]))
    assert (flag.flagged, flag.precision, flag.recall) == (0, None, None)


@pytest.mark.parametrize(
    ("outcomes", "churned", "reason"),
    [
        (29, 10, "only 29 outcomes with a score; a suggestion needs at least 30"),
        (30, 4, "only 4 churned accounts; a suggestion needs at least 5"),
        (30, 30, "every outcome is a churn: nothing to tell churn from renewal"),
        (30, 5, None),
        (20000, 5000, None),
    ],
)
def test_no_suggestion_below_30_outcomes_or_5_churns(
    outcomes: int, churned: int, reason: str | None
) -> None:
    assert suggestion_refusal(outcomes, churned) == reason
