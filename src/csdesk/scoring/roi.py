"""Return on investment: value lines, ROI multiple, payback and scenarios (SPEC 2.5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from csdesk.scoring.rounding import decimal_or_none, money, round_half_up, to_decimal

__all__ = [
    "INCIDENTS_AVOIDED",
    "QA_TIME_SAVED",
    "REVENUE_PROTECTED",
    "SCENARIOS",
    "RoiInputs",
    "RoiResult",
    "Scenario",
    "ValueLine",
    "compute_roi",
]

QA_TIME_SAVED = "QA time saved"
INCIDENTS_AVOIDED = "Incidents avoided"
REVENUE_PROTECTED = "Revenue protected"

SCENARIOS: tuple[tuple[str, float], ...] = (
    ("conservative", 0.6),
    ("expected", 1.0),
    ("optimistic", 1.4),
)
"""``(name, factor)`` applied to every value line."""

MONTHS = 12


@dataclass(frozen=True, slots=True)
class RoiInputs:
    """The ROI inputs of one account; any may be missing.

    Attributes:
        qa_hours_saved_per_month: QA hours saved per month (newest metric value).
        hourly_rate: Cost of one QA hour.
        incidents_avoided_per_year: Incidents avoided per year.
        cost_per_incident: Cost of one incident.
        revenue_protected: Revenue protected per year, as entered.
        custom_lines: Extra ``(label, annual amount)`` lines.
    """

    qa_hours_saved_per_month: float | None = None
    hourly_rate: Decimal | float | None = None
    incidents_avoided_per_year: float | None = None
    cost_per_incident: Decimal | float | None = None
    revenue_protected: Decimal | float | None = None
    custom_lines: tuple[tuple[str, Decimal | float], ...] = ()


@dataclass(frozen=True, slots=True)
class ValueLine:
    """One annual value line.

    Attributes:
        label: What the value is.
        amount: Annual amount, rounded half-up to the cent.
    """

    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Scenario:
    """The ROI figures with every value line scaled by a factor.

    Attributes:
        name: ``conservative``, ``expected`` or ``optimistic``.
        factor: The scale factor.
        total_value: Scaled total value.
        multiple: total value / cost, 2 decimals, or None without ROI.
        net_value: total value − cost, or None without ROI.
        payback_months: cost / (total value / 12), full precision, or None.
    """

    name: str
    factor: float
    total_value: Decimal
    multiple: float | None
    net_value: Decimal | None
    payback_months: float | None


@dataclass(frozen=True, slots=True)
class RoiResult:
    """The ROI of one account.

    Attributes:
        lines: The value lines present, in a fixed order (QA, incidents, revenue, custom).
        total_value: Σ lines.
        cost: The annual price paid (ARR), or None.
        multiple: total value / cost rounded half-up to 2 decimals, or None.
        net_value: total value − cost, or None.
        payback_months: cost / (total value / 12) at full precision; round it only for
            display (a report shows one decimal). None without ROI.
        scenarios: Conservative, expected and optimistic figures.
        reason: Why there is no ROI, else None.
        incomplete: Lines left out because only part of their inputs is present.
    """

    lines: tuple[ValueLine, ...]
    total_value: Decimal
    cost: Decimal | None
    multiple: float | None
    net_value: Decimal | None
    payback_months: float | None
    scenarios: tuple[Scenario, ...]
    reason: str | None = None
    incomplete: tuple[str, ...] = ()


def _lines(inputs: RoiInputs) -> tuple[list[tuple[str, Decimal]], list[str]]:
    """Build the value lines whose inputs are all present, and note half-filled ones."""
    lines: list[tuple[str, Decimal]] = []
    incomplete: list[str] = []
    pairs = (
        (QA_TIME_SAVED, inputs.qa_hours_saved_per_month, inputs.hourly_rate, MONTHS),
        (INCIDENTS_AVOIDED, inputs.incidents_avoided_per_year, inputs.cost_per_incident, 1),
    )
    for label, quantity_in, rate_in, periods in pairs:
        quantity, rate = decimal_or_none(quantity_in), decimal_or_none(rate_in)
        if quantity is not None and rate is not None:
            lines.append((label, quantity * periods * rate))
        elif quantity is not None or rate is not None:
            incomplete.append(label)
    revenue = decimal_or_none(inputs.revenue_protected)
    if revenue is not None:
        lines.append((REVENUE_PROTECTED, revenue))
    for label, amount_in in inputs.custom_lines:
        amount = decimal_or_none(amount_in)
        if amount is not None:
            lines.append((label, amount))
    return lines, incomplete


def _figures(
    total: Decimal, cost: Decimal | None
) -> tuple[float | None, Decimal | None, float | None]:
    """Return ``(multiple, net value, payback months)``; all None when there is no ROI."""
    if cost is None or cost <= 0 or total == 0:
        return None, None, None
    multiple = round_half_up(float(total / cost), 2)
    net = money(total - cost)
    # A negative total never pays back: no payback figure rather than a negative one.
    payback = float(cost / (total / MONTHS)) if total > 0 else None
    return multiple, net, payback


def _no_roi_reason(has_lines: bool, total: Decimal, cost: Decimal | None) -> str | None:
    if not has_lines:
        return "no value lines"
    if cost is None:
        return "no cost (ARR) recorded"
    if cost <= 0:
        return "cost is zero"
    if total == 0:
        return "total value is zero"
    return None


def compute_roi(
    inputs: RoiInputs,
    cost: Decimal | float | None,
    scenarios: tuple[tuple[str, float], ...] = SCENARIOS,
) -> RoiResult:
    """Compute a year's ROI for one account.

    A value line exists only when all its inputs are present: QA time saved =
    hours/month × 12 × hourly rate; incidents avoided = incidents/year × cost per incident;
    revenue protected as entered; each custom line as entered. Cost zero or missing, no
    value lines, or a zero total value give no ROI: multiple, net value and payback are
    None with a reason (never a division error). Money is summed in ``Decimal``.

    Args:
        inputs: The account's ROI inputs.
        cost: The annual price paid (ARR), or None.
        scenarios: ``(name, factor)`` pairs applied to every value line.

    Returns:
        The value lines, totals, ROI figures and scenarios.
    """
    raw_lines, incomplete = _lines(inputs)
    lines = tuple(ValueLine(label, money(amount)) for label, amount in raw_lines)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    cost_d = decimal_or_none(cost)
    reason = _no_roi_reason(bool(lines), total, cost_d)
    usable_cost = cost_d if lines else None
    multiple, net, payback = _figures(total, usable_cost)
    scenario_results = []
    for name, factor in scenarios:
        scaled = total * to_decimal(factor)
        s_multiple, s_net, s_payback = _figures(scaled, usable_cost)
        scenario_results.append(Scenario(name, factor, money(scaled), s_multiple, s_net, s_payback))
    return RoiResult(
        lines=lines,
        total_value=money(total),
        cost=money(cost_d) if cost_d is not None else None,
        multiple=multiple,
        net_value=net,
        payback_months=payback,
        scenarios=tuple(scenario_results),
        reason=reason,
        incomplete=tuple(incomplete),
    )
