"""Domain rules of csdesk as pure functions over frozen dataclasses (no Qt, no database).

Modules: ``prospect`` (scorecard, cohort), ``health_models`` (TOML models), ``health``
(score, alerts, trend), ``bands``, ``lifecycle``, ``renewal``, ``roi``, ``kpis``,
``catalog`` (plans) and ``rounding``. The most used names are re-exported here.
"""

from csdesk.scoring.bands import Band, BandThresholds, band_for
from csdesk.scoring.catalog import DEFAULT_PLANS, Plan, find_plan, next_tier
from csdesk.scoring.health import (
    HealthDrop,
    HealthResult,
    MeasureResult,
    compute_health,
    detect_drop,
    needs_at_risk_task,
    trend,
)
from csdesk.scoring.health_models import (
    HealthModel,
    HealthModelError,
    Measure,
    default_models,
    load_model,
    parse_model,
)
from csdesk.scoring.lifecycle import Stage, lifecycle_stage
from csdesk.scoring.prospect import CRITERIA, QUALIFY_AT, ProspectScore, score_prospect
from csdesk.scoring.renewal import (
    RenewalPrice,
    expansion_signal,
    forecast_arr,
    is_overdue,
    likelihood,
    milestones,
    renewal_price,
)
from csdesk.scoring.roi import RoiInputs, RoiResult, compute_roi
from csdesk.scoring.rounding import round_half_up

__all__ = [
    "CRITERIA",
    "DEFAULT_PLANS",
    "QUALIFY_AT",
    "Band",
    "BandThresholds",
    "HealthDrop",
    "HealthModel",
    "HealthModelError",
    "HealthResult",
    "Measure",
    "MeasureResult",
    "Plan",
    "ProspectScore",
    "RenewalPrice",
    "RoiInputs",
    "RoiResult",
    "Stage",
    "band_for",
    "compute_health",
    "compute_roi",
    "default_models",
    "detect_drop",
    "expansion_signal",
    "find_plan",
    "forecast_arr",
    "is_overdue",
    "lifecycle_stage",
    "likelihood",
    "load_model",
    "milestones",
    "needs_at_risk_task",
    "next_tier",
    "parse_model",
    "renewal_price",
    "round_half_up",
    "score_prospect",
    "trend",
]
