"""Lifecycle stage from the days since the contract started (SPEC 2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from csdesk.scoring.vocabulary import CHURNED

__all__ = [
    "DEFAULT_STAGE_BOUNDS",
    "STAGE_ORDER",
    "Stage",
    "StageBounds",
    "days_in_contract",
    "days_to_next_stage",
    "lifecycle_stage",
]


class Stage(StrEnum):
    """A lifecycle stage; the value is the name shown to the user."""

    PRE_START = "Pre-start"
    ONBOARDING = "Onboarding"
    VALUE_REALIZATION = "Value Realization"
    OPTIMIZATION = "Optimization"
    EXPANSION = "Expansion"


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
"""The stages in the order an account moves through them."""


@dataclass(frozen=True, slots=True)
class StageBounds:
    """Last contract day of each bounded stage; Expansion follows the last one.

    Attributes:
        onboarding_until: Last day of Onboarding (default 30).
        value_realization_until: Last day of Value Realization (default 90).
        optimization_until: Last day of Optimization (default 180).
    """

    onboarding_until: int = 30
    value_realization_until: int = 90
    optimization_until: int = 180

    def __post_init__(self) -> None:
        """Reject bounds that are not strictly increasing from day 1."""
        if not 1 <= self.onboarding_until < self.value_realization_until < self.optimization_until:
            raise ValueError(
                "stage bounds must satisfy 1 <= onboarding < value realization < optimization"
            )

    def ends(self) -> tuple[tuple[int, Stage], ...]:
        """``(last day, stage)`` of the three bounded stages, in order."""
        return (
            (self.onboarding_until, Stage.ONBOARDING),
            (self.value_realization_until, Stage.VALUE_REALIZATION),
            (self.optimization_until, Stage.OPTIMIZATION),
        )


DEFAULT_STAGE_BOUNDS = StageBounds()


def days_in_contract(contract_start: date | None, today: date) -> int | None:
    """Return the contract day number of ``today``, the start day being day 1.

    Args:
        contract_start: First day of the contract, or None.
        today: The day to evaluate.

    Returns:
        1 on the start day, 0 the day before, negative earlier; None without a start.
    """
    if contract_start is None:
        return None
    return (today - contract_start).days + 1


def _is_churned(status: str | None) -> bool:
    return status is not None and status.strip().casefold() == CHURNED


def lifecycle_stage(
    contract_start: date | None,
    today: date,
    status: str | None,
    bounds: StageBounds = DEFAULT_STAGE_BOUNDS,
) -> Stage | None:
    """Return the lifecycle stage of an account.

    Days 1–30 Onboarding, 31–90 Value Realization, 91–180 Optimization, 181+ Expansion;
    before the start day, Pre-start.

    Args:
        contract_start: First day of the contract, or None.
        today: The day to evaluate.
        status: Account status (compared case-insensitively).
        bounds: Last day of each bounded stage.

    Returns:
        The stage, or None for a churned account or one without a start date.
    """
    if _is_churned(status):
        return None
    day = days_in_contract(contract_start, today)
    if day is None:
        return None
    if day < 1:
        return Stage.PRE_START
    for last_day, stage in bounds.ends():
        if day <= last_day:
            return stage
    return Stage.EXPANSION


def days_to_next_stage(
    contract_start: date | None,
    today: date,
    status: str | None,
    bounds: StageBounds = DEFAULT_STAGE_BOUNDS,
) -> int | None:
    """Return how many days remain until the account enters its next stage.

    Args:
        contract_start: First day of the contract, or None.
        today: The day to evaluate.
        status: Account status.
        bounds: Last day of each bounded stage.

    Returns:
        Days until the next stage starts (1 on a stage's last day); None in Expansion,
        for a churned account or without a start date.
    """
    stage = lifecycle_stage(contract_start, today, status, bounds)
    day = days_in_contract(contract_start, today)
    if stage is None or day is None or stage is Stage.EXPANSION:
        return None
    if stage is Stage.PRE_START:
        return 1 - day
    last_day = next(last for last, s in bounds.ends() if s is stage)
    return last_day + 1 - day
