"""The backtest finds what drives churn in generated histories with a known answer (SPEC 2.9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from backtest_support import build_history, usage_drives_churn, usage_is_noise

from csdesk.cli import main
from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.scoring.health_models import load_model
from csdesk.services.backtest import run_backtest, save_suggested_model
from csdesk.services.backtest_stats import auc, roc_points


def test_auc_counts_ties_half_and_lower_scores_as_riskier() -> None:
    assert auc([10, 20, 80, 90], [True, True, False, False]) == 1.0
    assert auc([80, 90, 10, 20], [True, True, False, False]) == 0.0
    assert auc([50, 50], [True, False]) == 0.5
    assert auc([1, 2], [True, True]) is None
    points = roc_points([10, 20, 80, 90], [True, False, True, False])
    assert points[0] == (0.0, 0.0) and points[-1] == (1.0, 1.0)
    assert [tpr for _fpr, tpr in points] == sorted(tpr for _fpr, tpr in points)


def test_usage_driven_churn_is_found_and_usage_gets_the_largest_weight(
    portfolio: Portfolio,
) -> None:
    outcomes, churned = build_history(
        portfolio, accounts=400, churn_share=0.25, usage=usage_drives_churn
    )
    report = run_backtest(portfolio, model="subscription", horizon_days=90)
    assert (report.outcomes, report.churned) == (outcomes, churned)
    assert report.insufficient_data == 0
    by_measure = {m.key: m.auc for m in report.measures}
    assert by_measure["usage"] is not None and by_measure["usage"] > 0.85
    for noise in ("engagement", "support", "adoption"):
        assert 0.4 < by_measure[noise] < 0.6, (noise, by_measure[noise])
    assert report.auc is not None and report.auc > 0.7
    assert report.suggested is not None and report.reason is None
    weights = report.suggested.weights
    assert max(weights, key=weights.__getitem__) == "usage"
    assert sum(weights.values()) == pytest.approx(100.0)
    assert all(w >= 0 for w in weights.values())
    assert report.suggested.auc_cv > report.suggested.current_auc_cv
    churn_rate = {b.band.value: b.churn_rate for b in report.bands if b.accounts}
    assert churn_rate["Critical"] is None or churn_rate["Critical"] > churn_rate["Excellent"]
    assert report.flag.recall is not None and report.flag.recall > 0.5


def test_a_score_unrelated_to_churn_is_near_chance_and_says_so(portfolio: Portfolio) -> None:
    build_history(portfolio, accounts=400, churn_share=0.3, usage=usage_is_noise, seed=11)
    report = run_backtest(portfolio, model="subscription")
    assert report.auc is not None and 0.4 < report.auc < 0.6
    assert "did not tell churn from renewal" in report.verdict()


def test_too_few_outcomes_give_no_suggestion_with_the_reason(portfolio: Portfolio) -> None:
    build_history(portfolio, accounts=20, churn_share=0.3, usage=usage_drives_churn)
    report = run_backtest(portfolio)
    assert report.suggested is None
    assert report.reason is not None and "at least 30" in report.reason


def test_a_long_horizon_leaves_outcomes_without_history_counted_apart(
    portfolio: Portfolio,
) -> None:
    outcomes, _ = build_history(portfolio, accounts=60, churn_share=0.3, usage=usage_drives_churn)
    report = run_backtest(portfolio, horizon_days=700)
    assert report.insufficient_data > 0
    assert report.outcomes + report.insufficient_data == outcomes


def test_a_saved_suggestion_is_a_valid_model_the_recompute_can_load(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    build_history(portfolio, accounts=300, churn_share=0.25, usage=usage_drives_churn)
    report = run_backtest(portfolio)
    model = save_suggested_model(portfolio, report, "fitted")
    from csdesk.config import health_models_dir

    again = load_model(health_models_dir() / "fitted.toml")
    assert again.name == "fitted" and again.measures == model.measures
    assert {m.key: m.weight for m in again.measures}["usage"] == max(
        m.weight for m in again.measures
    )
    assert run_backtest(portfolio, model="fitted").auc is not None
    with pytest.raises(ValidationError, match="exists already"):
        save_suggested_model(portfolio, report, "fitted")
    from sqlalchemy import select

    from csdesk.models import Activity, HealthSnapshot
    from csdesk.services.health_models import set_portfolio_model
    from csdesk.services.importer import import_file
    from csdesk.services.recompute import recompute_health

    with portfolio.read() as session:
        logged = session.scalars(select(Activity.summary).where(Activity.kind == "health")).all()
    assert "health model fitted saved from a backtest of subscription" in logged
    # The recompute scores with the saved model once the portfolio uses it.
    with portfolio.write() as session:
        set_portfolio_model(session, "fitted")
    path = tmp_path / "scored.csv"
    path.write_text(
        "Account ID,Account Name,Status,Usage,Usage Limit,Logins (30d),Open Tickets,"
        "Payments Current,Features Used,Features Total\n"
        "S-1,Scored,active,50000,100000,20,1,1,5,10\n",
        encoding="utf-8",
    )
    import_file(portfolio, path)
    recompute_health(portfolio)
    with portfolio.read() as session:
        used = set(session.scalars(select(HealthSnapshot.model_name)).all())
    assert used == {"fitted"}


def test_cli_backtest_json_has_the_spec_shape(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csdesk.db import open_portfolio

    portfolio = open_portfolio(db_path)
    build_history(portfolio, accounts=120, churn_share=0.25, usage=usage_drives_churn)
    portfolio.close()
    assert main(["backtest", "--db", str(db_path), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert set(found) == {
        "model", "horizon_days", "outcomes", "churned", "insufficient_data", "auc", "bands",
        "flag", "measures", "suggested", "reason",
    }  # fmt: skip
    assert found["horizon_days"] == 90 and found["outcomes"] == 120
    assert [b["band"] for b in found["bands"]] == ["Excellent", "Good", "At Risk", "Critical"]
    assert set(found["flag"]) == {"precision", "recall"}
    assert set(found["suggested"]) == {"weights", "auc_cv", "current_auc_cv"}

    assert main(["backtest", "--db", str(db_path)]) == 0
    assert "AUC" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nope"], "unknown health model 'nope'"),
        (["--model", ""], "unknown health model ''"),
        (["--horizon", "0"], "horizon must be 1 to 730 days"),
        (["--horizon", "731"], "horizon must be 1 to 730 days"),
    ],
)
def test_cli_backtest_bad_input_is_one_line_and_exit_2(
    portfolio: Portfolio,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = str(portfolio.path or portfolio.url)  # the file, or the server's database
    assert main(["backtest", "--db", target, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_backtest_without_outcomes_is_exit_0_with_the_reason(
    portfolio: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backtest", "--db", str(portfolio.path or portfolio.url), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["outcomes"] == 0 and found["suggested"] is None
    assert found["reason"] == "no renewal outcomes recorded yet"


def test_the_backtest_needs_no_scipy(portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desktop bundle leaves SciPy out: the backtest runs on NumPy alone."""
    import sys

    for name in [m for m in sys.modules if m == "scipy" or m.startswith("scipy.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "scipy", None)  # any import of it now fails
    build_history(portfolio, accounts=120, churn_share=0.25, usage=usage_drives_churn)
    report = run_backtest(portfolio)
    assert report.auc is not None and report.auc > 0.7 and report.suggested is not None


def test_each_outcome_is_scored_from_the_newest_values_at_or_before_its_cutoff(
    portfolio: Portfolio,
) -> None:
    """Outcome day − horizon is the cutoff: a value of that very day counts, the next day's not."""
    import datetime as dt

    from sqlalchemy import insert

    from csdesk.models import Account, MetricSnapshot, RenewalOutcome

    on = dt.date(2026, 6, 1)
    cutoff = on - dt.timedelta(days=90)
    rows = []
    steady = {"usage_limit": 100000.0, "logins_30d": 30.0, "open_tickets": 0.0,
              "payments_current": 1.0, "features_used": 10.0, "features_total": 10.0}  # fmt: skip
    for n, usage_then, usage_after in ((1, 10000.0, 100000.0), (2, 100000.0, 100000.0)):
        for key, value in {**steady, "usage": usage_then}.items():
            rows.append({"account_id": n, "metric": key, "as_of": cutoff, "value": value})
        rows.append(
            {"account_id": n, "metric": "usage", "as_of": cutoff + dt.timedelta(days=1),
             "value": usage_after}
        )  # fmt: skip
    with portfolio.write() as session:
        session.execute(
            insert(Account),
            [{"id": n, "name": f"A{n}", "name_key": f"a{n}", "status": "active"} for n in (1, 2)],
        )
        session.execute(insert(MetricSnapshot), rows)
        session.execute(
            insert(RenewalOutcome),
            [
                {"account_id": 1, "outcome": "churned", "on_date": on, "source": "test"},
                {"account_id": 2, "outcome": "renewed", "on_date": on, "source": "test"},
            ],
        )
    at_cutoff = run_backtest(portfolio, model="subscription", horizon_days=90)
    assert at_cutoff.auc == 1.0  # the churned account's usage was 10 % on the cutoff day
    a_day_later = run_backtest(portfolio, model="subscription", horizon_days=89)
    assert a_day_later.auc == 0.5  # both at 100 %: a tie counts half
    too_early = run_backtest(portfolio, model="subscription", horizon_days=91)
    assert (too_early.outcomes, too_early.insufficient_data, too_early.auc) == (0, 2, None)
    assert (
        too_early.reason == "no outcome had enough metric history before the horizon to be scored"
    )
