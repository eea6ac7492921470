"""The judgements a business case makes: breakdown lines, targets, tier advice and next steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from csdesk.reports.case_types import HealthLine, NextStep, SuccessMetric
from csdesk.reports.formatting import Formats, formats_of
from csdesk.scoring.catalog import Plan
from csdesk.scoring.health import compute_health
from csdesk.scoring.health_models import HealthModel
from csdesk.scoring.renewal import EXPANSION_AT, ExpansionSignal, milestones
from csdesk.scoring.vocabulary import NOT_DONE_STATUSES, RENEWAL_MILESTONE

__all__ = [
    "METRIC_LABELS",
    "health_lines",
    "metric_label",
    "next_steps",
    "recommendation",
    "success_metrics",
]

METRIC_LABELS = {
    "usage": "Monthly usage",
    "usage_limit": "Usage limit",
    "logins_30d": "Logins (30 days)",
    "open_tickets": "Open tickets",
    "payments_current": "Payments current",
    "features_used": "Features used",
    "features_total": "Features available",
    "posts_per_week": "Posts per week",
    "inquiries_per_month": "Inquiries per month",
    "lead_quality": "Lead quality",
    "qa_hours_saved_per_month": "QA hours saved per month",
    "precision": "Precision",
    "recall": "Recall",
    "latency_p95_ms": "Latency p95 (ms)",
    "uptime_pct": "Uptime (%)",
}
_RENEWAL_TASK = RENEWAL_MILESTONE
_OPEN = NOT_DONE_STATUSES
_MAX_TASKS = 5


def metric_label(key: str) -> str:
    """The reader-facing name of a metric key (``logins_30d`` → ``Logins (30 days)``)."""
    return METRIC_LABELS.get(key) or key.replace("_", " ").strip().capitalize()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def health_lines(
    breakdown: Sequence[Mapping[str, Any]] | None,
    model: HealthModel | None,
    latest: Mapping[str, float],
    score: float | None,
) -> tuple[HealthLine, ...]:
    """The breakdown of the current score: as stored with the newest snapshot, else recomputed.

    Args:
        breakdown: The newest snapshot's breakdown (list of dicts), or None.
        model: The account's health model, for a recomputed breakdown.
        latest: The newest value of each metric.
        score: The account's current score (no recomputed breakdown without score or data).

    Returns:
        One line per measure; the weight share is the measure's weight over the model's total.
    """
    lines: list[tuple[str, float, float | None, float | None, float | None]] = []
    if breakdown:
        for item in breakdown:
            no_data = bool(item.get("no_data"))
            lines.append(
                (
                    str(item.get("label") or item.get("key") or ""),
                    _number(item.get("weight")) or 0.0,
                    None if no_data else _number(item.get("attainment")),
                    None if no_data else _number(item.get("contribution")),
                    _number(item.get("value")),
                )
            )
    elif model is not None and (score is not None or latest.keys() & model.metrics):
        result = compute_health(model, latest)
        for m in result.breakdown:
            lines.append((m.label, m.weight, m.attainment, m.contribution, m.value))
    total = sum(weight for _, weight, *_ in lines)
    return tuple(
        HealthLine(label, weight / total if total else 0.0, attainment, contribution, value)
        for label, weight, attainment, contribution, value in lines
    )


def success_metrics(
    agreed: Sequence[tuple[str, float, bool]],
    model: HealthModel | None,
    latest: Mapping[str, float],
) -> tuple[SuccessMetric, ...]:
    """Success metrics against their targets, each target from one source.

    The health model's measures come first, each with the model's own target (a ratio's target
    or its denominator metric's value, zero for a penalty, "yes" for a flag) unless the CSM
    agreed another target for that metric with the client; the agreed targets of metrics the
    model does not measure follow.

    Args:
        agreed: ``(metric, target, higher_is_better)`` rows of the account.
        model: The account's health model.
        latest: The newest value of each metric.

    Returns:
        One line per metric: the model's order, then the other agreed metrics by name.
    """
    by_metric = {metric: (target, better) for metric, target, better in agreed}
    found: list[SuccessMetric] = []
    seen: set[str] = set()
    for measure in model.measures if model else ():
        if measure.metric in seen:
            continue
        seen.add(measure.metric)
        label = METRIC_LABELS.get(measure.metric) or measure.label
        actual = latest.get(measure.metric)
        own = by_metric.get(measure.metric)
        if own is not None:
            found.append(SuccessMetric(measure.metric, label, actual, own[0], own[1], True))
        elif measure.kind == "ratio":
            target = latest.get(measure.denominator) if measure.denominator else measure.target
            if measure.denominator:
                label = f"{label} (of {metric_label(measure.denominator).lower()})"
            found.append(SuccessMetric(measure.metric, label, actual, target, True, False))
        elif measure.kind == "penalty":
            found.append(SuccessMetric(measure.metric, label, actual, 0.0, False, False))
        else:
            found.append(SuccessMetric(measure.metric, label, actual, 1.0, True, False, flag=True))
    for metric, (target, better) in by_metric.items():
        if metric not in seen:
            found.append(
                SuccessMetric(
                    metric, metric_label(metric), latest.get(metric), target, better, True
                )
            )
    return tuple(found)


def recommendation(
    plan: Plan | None,
    expansion: ExpansionSignal | None,
    tier_name: str | None,
    usage: float | None,
    fm: Formats | None = None,
) -> tuple[str | None, str]:
    """The tier to propose at renewal and why, in one sentence.

    Args:
        plan: The account's tier in the catalog, or None.
        expansion: The expansion signal, if usage triggered one.
        tier_name: The tier as stored (for a name missing from the catalog).
        usage: The newest monthly usage.
        fm: The portfolio's number formats (en_US without).

    Returns:
        ``(recommended tier or None, explanation)``.
    """
    fm = fm or formats_of("USD", "en_US")
    if plan is None:
        if tier_name:
            return None, f"The tier {tier_name} is not in the plan catalog; agree the tier first."
        return None, "No tier is recorded for this account; agree the tier before the renewal."
    if expansion is not None:
        share = fm.points(expansion.utilisation * 100)
        volume = fm.number(expansion.included_volume)
        if expansion.suggested_plan is None:
            return plan.name, (
                f"Stay on {plan.name}: usage is {share} of its included volume ({volume} a "
                "month) and no higher tier exists."
            )
        return expansion.suggested_plan.name, (
            f"Upgrade to {expansion.suggested_plan.name}: usage is {share} of the "
            f"{plan.name} tier's included volume ({volume} a month)."
        )
    if plan.included_volume is None:
        return plan.name, f"Stay on {plan.name}: the tier has unlimited volume."
    if usage is None:
        return plan.name, f"Stay on {plan.name}: no usage recorded to suggest a change."
    share = fm.points(usage / plan.included_volume * 100)
    return plan.name, (
        f"Stay on {plan.name}: usage is {share} of the included volume, below the "
        f"{fm.percent(EXPANSION_AT)} upgrade threshold."
    )


def _milestone_status(task: tuple[Any, ...] | None, due: dt.date, today: dt.date) -> str:
    if task is None:
        return "passed" if due < today else "planned"
    status = task[3]
    if status == "done":
        return "done"
    return "overdue" if due < today else "open"


def next_steps(
    *,
    renewal_date: dt.date | None,
    overdue: bool,
    tasks: Sequence[tuple[str, str, dt.date, str, str | None]],
    today: dt.date,
    has_roi: bool,
    band: str | None,
    weakest: Sequence[str],
    upgrade_to: str | None,
) -> tuple[NextStep, ...]:
    """The renewal milestones, the open tasks, then the recommended actions.

    Args:
        renewal_date: The contract end date, or None.
        overdue: Whether the renewal is overdue.
        tasks: ``(type, title, due_on, status, key)`` of the account's tasks.
        today: The day the case is prepared.
        has_roi: Whether an ROI multiple could be computed.
        band: The health band, or None.
        weakest: Labels of measures with attainment under 50%.
        upgrade_to: The tier to propose, when usage suggests an upgrade.

    Returns:
        The steps, dated ones first in date order.
    """
    by_key = {t[4]: t for t in tasks if t[0] == _RENEWAL_TASK and t[4]}
    steps: list[NextStep] = []
    if renewal_date is not None:
        for m in milestones(renewal_date):
            task = by_key.get(f"renewal:{renewal_date.isoformat()}:-{m.offset_days}")
            steps.append(
                NextStep(m.due, m.title, "milestone", _milestone_status(task, m.due, today))
            )
    own = [t for t in tasks if t[0] != _RENEWAL_TASK and t[3] in _OPEN][:_MAX_TASKS]
    for _type, title, due, _status, _key in own:
        steps.append(NextStep(due, title, "task", "overdue" if due < today else "open"))
    steps.sort(key=lambda s: s.due or dt.date.max)
    actions: list[str] = []
    if renewal_date is None:
        actions.append("Confirm the contract end date so the renewal can be planned.")
    elif overdue:
        actions.append("The renewal date has passed: confirm the contract status with the client.")
    if not has_roi:
        actions.append(
            "Agree the ROI assumptions with the client (time saved, incidents avoided, "
            "revenue protected)."
        )
    if band in ("At Risk", "Critical"):
        focus = ", ".join(weakest) if weakest else "the weakest health measures"
        actions.append(f"Agree a recovery plan with the sponsor, starting with: {focus}.")
    if upgrade_to:
        actions.append(f"Propose the {upgrade_to} tier at the renewal call.")
    steps.extend(NextStep(None, text, "action", "suggested") for text in actions)
    return tuple(steps)
