"""The success plan of one account: the client's goals and the CSM's texts for the client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["GOAL_STATUSES", "Goal", "Narrative", "SuccessPlan"]

GOAL_STATUSES = ("planned", "on track", "at risk", "achieved", "missed")
"""A goal's status, in the order a plan lists them."""


@dataclass(frozen=True, slots=True)
class Goal:
    """One goal of the client's success plan.

    A goal is either linked to a metric (``metric_key`` set: ``baseline``, ``current`` and
    ``target`` are that metric's values — baseline and current read from the metric history)
    or written as free text (``metric_key`` None, ``text`` says what success looks like).
    """

    id: int | None
    title: str
    owner: str | None
    metric_key: str | None
    baseline: Decimal | None
    current: Decimal | None
    target: Decimal | None
    due: dt.date | None
    status: str
    text: str | None = None
    internal: bool = False
    """Marked internal by the CSM: never shown in the client edition (SPEC 4)."""
    baseline_on: dt.date | None = None
    """The day of the metric value ``baseline`` was read from; None when the CSM entered it."""
    current_on: dt.date | None = None
    """The day of the metric value ``current`` was read from."""
    start_on: dt.date | None = None
    """The day the goal's baseline is measured at (the plan's start for this goal)."""


@dataclass(frozen=True, slots=True)
class Narrative:
    """The three texts the CSM writes for the client (empty text = not written yet) and the
    next meeting booked with the client."""

    executive_summary: str = ""
    wins: str = ""
    next_term_goals: str = ""
    next_meeting: dt.date | None = None
    next_meeting_note: str = ""


@dataclass(frozen=True, slots=True)
class SuccessPlan:
    """An account's goals, oldest first, and the CSM's narrative."""

    goals: tuple[Goal, ...] = ()
    narrative: Narrative = field(default_factory=Narrative)
