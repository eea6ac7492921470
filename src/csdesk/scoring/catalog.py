"""Plan catalog: tiers with their list price and included monthly volume."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "DEFAULT_PLANS",
    "DEFAULT_PLAN_NAMES",
    "Plan",
    "catalog_or_default",
    "find_plan",
    "fold_name",
    "next_tier",
    "sorted_plans",
    "validate_plans",
]


@dataclass(frozen=True, slots=True)
class Plan:
    """One tier of the plan catalog.

    Attributes:
        name: Canonical tier name ("Professional").
        list_price: Annual list price in the portfolio currency.
        included_volume: Included monthly volume, or None for unlimited.
    """

    name: str
    list_price: Decimal
    included_volume: float | None

    @property
    def unlimited(self) -> bool:
        """True when the plan has no volume limit."""
        return self.included_volume is None


DEFAULT_PLANS: tuple[Plan, ...] = (
    Plan("Starter", Decimal("20000.00"), 100000.0),
    Plan("Professional", Decimal("30000.00"), 500000.0),
    Plan("Enterprise", Decimal("50000.00"), None),
)
"""The default catalog (SPEC 2.7), cheapest first."""

DEFAULT_PLAN_NAMES = tuple(plan.name for plan in DEFAULT_PLANS)
"""The tier names of the default catalog."""


def catalog_or_default(
    rows: Iterable[tuple[str, Decimal, float | None]],
) -> tuple[Plan, ...]:
    """The portfolio's catalog from its stored ``(name, list price, volume)`` rows, or the
    default catalog when none is stored (SPEC 2.7).

    Every reader of the catalog (the business case, the import's tier check, the edits, the
    portfolio table's tier filter) goes through this, so "else the defaults" is written once.
    """
    plans = tuple(Plan(name, price, volume) for name, price, volume in rows)
    return plans or DEFAULT_PLANS


def fold_name(name: str) -> str:
    """Fold a tier name for comparison: case-insensitive, whitespace collapsed.

    Args:
        name: A tier name as typed or imported.

    Returns:
        The folded name.
    """
    return " ".join(name.split()).casefold()


def find_plan(plans: Iterable[Plan], name: str | None) -> Plan | None:
    """Find a plan by name, ignoring case and surrounding or repeated whitespace.

    Args:
        plans: The catalog.
        name: A tier name such as ``"professional"``; None finds nothing.

    Returns:
        The matching plan, or None.
    """
    if name is None:
        return None
    wanted = fold_name(name)
    if not wanted:
        return None
    for plan in plans:
        if fold_name(plan.name) == wanted:
            return plan
    return None


def sorted_plans(plans: Iterable[Plan]) -> tuple[Plan, ...]:
    """Order plans from cheapest to dearest; equal prices keep catalog order.

    Args:
        plans: The catalog.

    Returns:
        The plans by ascending list price.
    """
    return tuple(sorted(plans, key=lambda plan: plan.list_price))


def next_tier(plans: Sequence[Plan], name: str | None) -> Plan | None:
    """Return the tier one step up from ``name``.

    "Up" means the next plan by list price, so a catalog listed in any order works.

    Args:
        plans: The catalog.
        name: The current tier name (case-insensitive).

    Returns:
        The next plan up, or None when ``name`` is unknown or already the top tier.
    """
    current = find_plan(plans, name)
    if current is None:
        return None
    ordered = sorted_plans(plans)
    index = ordered.index(current)
    return ordered[index + 1] if index + 1 < len(ordered) else None


def validate_plans(plans: Iterable[Plan]) -> list[str]:
    """List what is wrong with a catalog the user edited.

    Args:
        plans: The catalog.

    Returns:
        One message per problem (empty name, duplicate name, negative or non-finite price,
        non-positive volume); an empty list when the catalog is usable.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for plan in plans:
        folded = fold_name(plan.name)
        if not folded:
            problems.append("a plan has no name")
            continue
        if folded in seen:
            problems.append(f"plan {plan.name!r} appears twice")
        seen.add(folded)
        if not Decimal(plan.list_price).is_finite() or plan.list_price < 0:
            problems.append(f"plan {plan.name!r}: list price must be 0 or more")
        volume = plan.included_volume
        if volume is not None and (not math.isfinite(volume) or volume <= 0):
            problems.append(
                f"plan {plan.name!r}: included volume must be positive (or empty for unlimited)"
            )
    return problems
