"""A draft executive summary for the client, written in plain words from the account's data.

The draft is what the deck prints and the plan editor offers where the CSM wrote no summary. It
speaks the client's language: value delivered, adoption, the goals agreed together and support.
It never uses internal words — no health score or band names, no risk, likelihood, weights or
recovery — and it leaves out what it has no data for rather than saying "no data".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from csdesk.scoring.success_plan import Goal

__all__ = ["INTERNAL_WORDS", "SummaryFacts", "draft_executive_summary"]

INTERNAL_WORDS = (
    "health score",
    "excellent",
    "good",
    "at risk",
    "critical",
    "risk",
    "likelihood",
    "weight",
    "recovery",
    "band",
    "churn",
    "forecast",
)
"""Words a client-facing draft never contains (case-insensitive; tests check every draft)."""

_SLA_WORTH_SAYING = Decimal(80)
"""SLA attainment the draft mentions (a lower one is for the CSM to put in their own words)."""

Money = Callable[[Decimal], str]
Number = Callable[[Decimal, int], str]


@dataclass(frozen=True, slots=True)
class SummaryFacts:
    """What the draft is written from; None (or empty) wherever the account has no data.

    Attributes:
        client: The client's name.
        vendor: The vendor's name ("" = speak as "we").
        term_start: First day of the period looked back on (the last year, or the start).
        today: The day the summary is written.
        total_value: The value delivered in a year (ROI lines summed), in the portfolio currency.
        roi_multiple: Value over price paid (2 decimals).
        payback_months: Months until the value paid back the price.
        usage_then, usage_now: Monthly usage at the period's start and now.
        users_then, users_now: Logins in the last 30 days, at the period's start and now.
        features_used, features_total: Features in use now, of those available.
        goals: The plan's goals the client sees (internal ones are left out here too).
        tickets_resolved: Support requests resolved in the period.
        sla_percent: Share of requests answered within the agreed times, 0–100.
        nps: Net Promoter Score, −100–100.
        csat_mean: Mean satisfaction, 1–5.
    """

    client: str
    vendor: str = ""
    term_start: dt.date | None = None
    today: dt.date | None = None
    total_value: Decimal | None = None
    roi_multiple: Decimal | None = None
    payback_months: Decimal | None = None
    usage_then: Decimal | None = None
    usage_now: Decimal | None = None
    users_then: Decimal | None = None
    users_now: Decimal | None = None
    features_used: int | None = None
    features_total: int | None = None
    goals: tuple[Goal, ...] = ()
    tickets_resolved: int | None = None
    sla_percent: Decimal | None = None
    nps: Decimal | None = None
    csat_mean: Decimal | None = None


def _plain_number(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"


def _plain_money(value: Decimal) -> str:
    return _plain_number(value, 0)


def _months(start: dt.date | None, today: dt.date | None) -> int | None:
    if start is None or today is None or today <= start:
        return None
    return (today.year - start.year) * 12 + today.month - start.month


def _period(facts: SummaryFacts) -> str:
    months = _months(facts.term_start, facts.today)
    if months is None or months < 1:
        return "So far"
    if months == 1:
        return "Over the past month"
    if months >= 12:
        return "Over the past year" if months < 18 else f"Over the past {months} months"
    return f"Over the past {months} months"


def _value(facts: SummaryFacts, who: str, money: Money, number: Number) -> str | None:
    if facts.total_value is None or facts.total_value <= 0:
        return None
    text = f"{_period(facts)}, {facts.client} gained an estimated {money(facts.total_value)} a year"
    text += f" in value from {who}"
    multiple = facts.roi_multiple
    if multiple is not None and multiple >= 1:
        text += f" — {number(multiple, 2)} times what it pays"
        payback = facts.payback_months
        if payback is not None and payback <= 12:
            text += f", paying for itself in {number(payback, 1)} months"
    return text + "."


def _trend(
    what: str, verb: str, then: Decimal | None, now: Decimal | None, number: Number
) -> str | None:
    if now is None:
        return None
    if then is None or then == now:
        return f"{what} {verb} at {number(now, 0)}"
    moved = "grew" if now > then else "moved"
    return f"{what} {moved} from {number(then, 0)} to {number(now, 0)}"


def _adoption(facts: SummaryFacts, number: Number) -> str | None:
    parts = [
        part
        for part in (
            _trend(
                "logins in the last 30 days", "stand", facts.users_then, facts.users_now, number
            ),
            _trend("monthly usage", "stands", facts.usage_then, facts.usage_now, number),
        )
        if part
    ]
    used, total = facts.features_used, facts.features_total
    if used is not None and total:
        parts.append(f"the team uses {used} of the {total} features available")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _goal_names(goals: Sequence[Goal]) -> str:
    names = [goal.title for goal in goals[:2]]
    more = len(goals) - len(names)
    listed = " and ".join(names) if len(names) <= 2 else ", ".join(names)
    return listed + (f" and {more} more" if more > 0 else "")


def _goals(goals: Sequence[Goal]) -> str | None:
    shown = [goal for goal in goals if not goal.internal]
    if not shown:
        return None
    achieved = [goal for goal in shown if goal.status == "achieved"]
    on_track = [goal for goal in shown if goal.status == "on track"]
    count = len(shown)
    if count == 1:
        title = shown[0].title
        if achieved or on_track:
            return f"The goal we set together, {title}, is {shown[0].status}."
        return f"We set one goal together for this term: {title}."
    if not achieved and not on_track:
        return f"We set {count} goals together for this term."
    parts = []
    if achieved:
        parts.append(f"{len(achieved)} achieved ({_goal_names(achieved)})")
    if on_track:
        parts.append(f"{len(on_track)} on track")
    return f"Of the {count} goals we set together, {' and '.join(parts)}."


def _support(facts: SummaryFacts, number: Number) -> str | None:
    parts = []
    resolved = facts.tickets_resolved
    if resolved:
        request = "request" if resolved == 1 else "requests"
        text = f"Our support team resolved {resolved} {request}"
        if facts.sla_percent is not None and facts.sla_percent >= _SLA_WORTH_SAYING:
            text += f", {number(facts.sla_percent, 0)}% within the agreed response times"
        parts.append(text)
    if facts.nps is not None:
        parts.append(f"your team's Net Promoter Score is {number(facts.nps, 0)}")
    if facts.csat_mean is not None:
        parts.append(f"support is rated {number(facts.csat_mean, 1)} out of 5")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def draft_executive_summary(
    facts: SummaryFacts, *, money: Money = _plain_money, number: Number = _plain_number
) -> str:
    """Write a short executive summary for the client from the account's data.

    Args:
        facts: What is known about the account; missing facts leave their sentence out.
        money: Formats an amount in the portfolio's currency and locale.
        number: Formats a number with the given decimal places in the portfolio's locale.

    Returns:
        One paragraph of up to four sentences (value, adoption, goals, support), followed by a
        closing line about the next term; only the closing line when nothing is known.
    """
    who = facts.vendor.strip() or "us"
    sentences = [
        sentence
        for sentence in (
            _value(facts, who, money, number),
            _adoption(facts, number),
            _goals(facts.goals),
            _support(facts, number),
        )
        if sentence
    ]
    sentences.append(
        f"We look forward to building on this with {facts.client} in the next term."
        if sentences
        else f"We look forward to the next term with {facts.client}."
    )
    return " ".join(sentences)
