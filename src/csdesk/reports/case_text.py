"""The words of a business case shared by the PDF, the deck and the workbook, per edition.

Which sections have data, the headline message of each, the client's goals, the steps still
ahead, the risks with their values and the draft summary are decided here once, so the three
formats say the same thing and the client edition never gets internal wording.
"""

from __future__ import annotations

import datetime as dt

from csdesk.reports import formatting as f
from csdesk.reports.case_options import SECTION_TITLES, ExportOptions
from csdesk.reports.case_types import BusinessCase, NextStep, SuccessMetric
from csdesk.reports.formatting import Formats, formats_of
from csdesk.scoring.success_plan import Goal

__all__ = [
    "agenda",
    "goal_progress",
    "goals",
    "meeting_text",
    "met_text",
    "metric_value",
    "next_meeting",
    "present_sections",
    "risks",
    "steps_ahead",
    "summary_text",
    "target_text",
    "value_message",
]

_PLAIN = formats_of("USD", "en_US")
"""The formats of a caller that has no case at hand."""
_WEAK = 0.5
_UNMEASURED = {
    "usage_limit": "not measured for unlimited plans",
}


def metric_value(metric: SuccessMetric, value: float | None, fm: Formats = _PLAIN) -> str:
    """A metric's value as shown (``Yes``/``No`` for a flag), or why it has none, in words."""
    if value is None:
        return _UNMEASURED.get(metric.metric, "not measured yet")
    if metric.flag:
        return "Yes" if value else "No"
    return fm.number(value, 0 if float(value).is_integer() or abs(value) >= 100 else 2)


def target_text(metric: SuccessMetric, fm: Formats = _PLAIN) -> str:
    """``target 30`` (``≥``/``≤`` implied by the metric), or why there is none, in words."""
    if metric.target is not None:
        return f"target {metric_value(metric, metric.target, fm)}"
    if metric.metric == "usage":
        return "no limit: not measured for unlimited plans"
    return "no target set yet"


def met_text(metric: SuccessMetric) -> str:
    """``On target`` / ``Off target``, or why it cannot be said."""
    if metric.met is None:
        return "not measured yet" if metric.actual is None else "no target"
    return "On target" if metric.met else "Off target"


def goals(case: BusinessCase, options: ExportOptions) -> tuple[Goal, ...]:
    """The success-plan goals this edition shows (goals marked internal only internally)."""
    return tuple(g for g in case.plan.goals if options.internal or not g.internal)


def goal_progress(goal: Goal, fm: Formats = _PLAIN) -> str:
    """``baseline → now → target`` of a metric goal, or the goal's own text."""
    if goal.metric_key is None:
        return goal.text or ""
    parts = [
        fm.number(float(v), 0 if float(v).is_integer() else 2) if v is not None else f.DASH
        for v in (goal.baseline, goal.current, goal.target)
    ]
    return " → ".join(parts)


def steps_ahead(case: BusinessCase, options: ExportOptions) -> tuple[NextStep, ...]:
    """Dated steps: the client sees only milestones still ahead; internally, every dated step."""
    dated = [s for s in case.next_steps if s.due is not None]
    if options.internal:
        return tuple(dated)
    today = case.prepared_on
    return tuple(
        s
        for s in dated
        if s.kind == "milestone" and s.status != "done" and s.due is not None and s.due >= today
    )


def risks(case: BusinessCase) -> tuple[str, ...]:
    """The weakest health measures with their values and attainment (internal edition)."""
    fm = case.formats
    found: list[str] = []
    for line in sorted(
        (x for x in case.health.breakdown if x.attainment is not None and x.attainment < _WEAK),
        key=lambda x: x.attainment or 0.0,
    ):
        value = (
            f.DASH
            if line.value is None
            else fm.number(line.value, 0 if float(line.value).is_integer() else 2)
        )
        found.append(f"{line.label}: value {value}, {fm.percent(line.attainment)} of target")
    if case.renewal.overdue:
        found.append(f"Contract end date {fm.date(case.renewal.renewal_date)} has passed.")
    return tuple(found)


def value_message(case: BusinessCase) -> str:
    """The one-line message of the value section (the deck's slide title)."""
    fm = case.formats
    roi = case.roi.result
    if roi.multiple is not None:
        return (
            f"{fm.multiple(roi.multiple)} return: {fm.money(roi.total_value)} of value "
            f"for {fm.money(roi.cost)} a year"
        )
    return f"{fm.money(roi.total_value)} of value delivered a year"


def _draft(case: BusinessCase, options: ExportOptions) -> str:
    fm = case.formats
    roi, name = case.roi.result, case.account.name
    sentences: list[str] = []
    if roi.multiple is not None:
        sentences.append(
            f"Over a year, {name} receives an estimated {fm.money(roi.total_value)} of value "
            f"for an annual cost of {fm.money(roi.cost)}: a return of "
            f"{fm.multiple(roi.multiple)}, paying back in {fm.months(roi.payback_months)}."
        )
    elif case.roi.has_inputs and roi.total_value:
        sentences.append(
            f"The value delivered to {name} is estimated at {fm.money(roi.total_value)} a year."
        )
    usage = case.usage.usage
    if len(usage) > 1 and usage[0].value:
        change = (usage[-1].value - usage[0].value) / usage[0].value
        if change > 0 or options.internal:
            word = "grew" if change >= 0 else "fell"
            sentences.append(
                f"Monthly usage {word} by {fm.percent(abs(change))} since "
                f"{fm.date(usage[0].as_of)}."
            )
    achieved = [g for g in goals(case, options) if g.status == "achieved"]
    if achieved:
        sentences.append(f"{len(achieved)} of the agreed goals are achieved.")
    if options.internal and case.health.score is not None:
        sentences.append(
            f"Account health is {case.health.band or ''} at {fm.number(case.health.score, 1)}."
        )
    r = case.renewal
    if r.renewal_date is not None and r.days_left is not None and r.days_left >= 0:
        sentences.append(f"The current term ends on {fm.date(r.renewal_date)}.")
    if r.price.renewal_price is not None:
        sentences.append(
            f"We propose to continue at {fm.money(r.price.renewal_price)} a year, "
            f"with the price fixed for {r.price.lock_months} months."
        )
    return " ".join(sentences) or f"A review of the term with {name}."


def summary_text(case: BusinessCase, options: ExportOptions) -> tuple[str, bool]:
    """The executive summary: the CSM's text, else a draft from the data.

    Returns:
        ``(text, drafted)`` — drafted is True when the CSM wrote nothing.
    """
    written = case.plan.narrative.executive_summary.strip()
    if written:
        return written, False
    if case.draft_summary.strip():
        return case.draft_summary.strip(), True
    return _draft(case, options), True


def next_meeting(case: BusinessCase) -> tuple[dt.date, str] | None:
    """The next meeting booked with the client and what it is for; None when none is booked
    on or after the day the case is prepared (a past meeting is not the next one)."""
    n = case.plan.narrative
    if n.next_meeting is None or n.next_meeting < case.prepared_on:
        return None
    return n.next_meeting, n.next_meeting_note


def meeting_text(case: BusinessCase) -> str | None:
    """``Next meeting: 12.03.2026 — Renewal call with the sponsor`` in the case's locale."""
    meeting = next_meeting(case)
    if meeting is None:
        return None
    day, note = meeting
    return f"Next meeting: {case.formats.date(day)}" + (f" — {note}" if note else "")


def present_sections(case: BusinessCase, options: ExportOptions) -> tuple[str, ...]:
    """The sections this export shows that have data, in document order."""
    r, n = case.renewal, case.plan.narrative
    has = {
        "cover": True,
        "agenda": True,
        "summary": True,
        "value": bool(case.roi.result.lines),
        "outcomes": bool(goals(case, options))
        or any(m.actual is not None for m in case.success_metrics),
        "adoption": bool(case.usage.usage or case.usage.logins),
        "support": case.support is not None,
        "wins": bool(n.wins.strip()),
        "road_ahead": bool(n.next_term_goals.strip()) or bool(steps_ahead(case, ExportOptions())),
        "renewal": r.renewal_date is not None or r.price.renewal_price is not None,
        "contacts": bool(case.contacts) or next_meeting(case) is not None,
        "health": case.health.score is not None or bool(case.health.breakdown),
        "risks": bool(risks(case)),
        "forecast": r.renewal_date is not None and r.forecast is not None,
        "milestones": any(s.kind == "milestone" for s in case.next_steps),
        "price_logic": r.price.renewal_price is not None,
        "tasks": any(s.kind == "task" for s in case.next_steps),
        "recommendations": any(s.kind == "action" for s in case.next_steps),
    }
    shown = [s for s in options.ordered() if has.get(s, False)]
    body = [s for s in shown if s not in ("cover", "agenda")]
    if "agenda" in shown and len(body) < 3:
        shown.remove("agenda")
    return tuple(shown)


def agenda(sections: tuple[str, ...]) -> tuple[str, ...]:
    """The agenda's lines: the titles of the sections after the cover and agenda."""
    return tuple(SECTION_TITLES[s] for s in sections if s not in ("cover", "agenda"))


def days_text(today: dt.date, day: dt.date | None) -> str:
    """``in 46 days`` / ``today`` / ``46 days ago`` for a date."""
    if day is None:
        return f.DASH
    n = (day - today).days
    return "today" if n == 0 else f"in {n} days" if n > 0 else f"{-n} days ago"
