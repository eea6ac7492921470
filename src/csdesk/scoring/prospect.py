"""Prospect scorecard for pilot selection, and the pilot cohort check (SPEC 2.1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from csdesk.scoring.rounding import exact, exact_weight, is_number, round_fraction_half_up
from csdesk.scoring.vocabulary import SEGMENTS

__all__ = [
    "CRITERIA",
    "CRITERION_KEYS",
    "QUALIFY_AT",
    "CohortCheck",
    "CohortMember",
    "CohortRule",
    "CohortRules",
    "Criterion",
    "ProspectScore",
    "check_cohort",
    "fold_segment",
    "score_prospect",
]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One weighted scorecard criterion.

    Attributes:
        key: Storage key (``strategic_fit``).
        label: Name shown to the user (``Strategic fit``).
        weight: Weight in the total; the defaults sum to 1.
    """

    key: str
    label: str
    weight: float


CRITERIA: tuple[Criterion, ...] = (
    Criterion("strategic_fit", "Strategic fit", 0.25),
    Criterion("technical_readiness", "Technical readiness", 0.20),
    Criterion("revenue_potential", "Revenue potential", 0.20),
    Criterion("reference_value", "Reference value", 0.15),
    Criterion("relationship", "Relationship", 0.10),
    Criterion("conversation_volume", "Conversation volume", 0.10),
)
"""The six default criteria and weights (SPEC 2.1)."""

CRITERION_KEYS = tuple(criterion.key for criterion in CRITERIA)
"""The storage keys of the criteria (the scorecard columns), in order."""

QUALIFY_AT = 3.50
"""A prospect whose score (2 decimals) is at least this qualifies for the pilot."""

MIN_SCORE = 1
MAX_SCORE = 5


@dataclass(frozen=True, slots=True)
class ProspectScore:
    """The result of scoring one scorecard.

    Attributes:
        score: Weighted score 1–5 rounded half-up to 2 decimals; None when incomplete.
        qualified: Whether ``score`` reaches the qualifying mark; None without a score.
        missing: Keys of the criteria with no score, in criterion order.
        reason: Why there is no score (``"incomplete: strategic fit, relationship"``).
    """

    score: float | None
    qualified: bool | None
    missing: tuple[str, ...] = ()
    reason: str | None = None


def _checked(key: str, value: object) -> int:
    """Return a criterion score as an int, or raise ValueError explaining what is wrong."""
    if not is_number(value) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{key}: score must be a whole number 1–5, got {value!r}")
    if value != int(value):
        raise ValueError(f"{key}: score must be a whole number 1–5, got {value!r}")
    number = int(value)
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"{key}: score must be between 1 and 5, got {value!r}")
    return number


def score_prospect(
    scores: Mapping[str, int | None],
    criteria: tuple[Criterion, ...] = CRITERIA,
    qualify_at: float = QUALIFY_AT,
) -> ProspectScore:
    """Score a prospect scorecard.

    Score = Σ weight × criterion score / Σ weight. With the default weights (which sum to
    1) this is the SPEC's plain weighted sum; dividing by the total keeps a custom set of
    weights on the same 1–5 scale. The sum is exact, then rounded half-up to 2 decimals,
    and the qualifying test uses that shown value. Keys not in ``criteria`` are ignored.

    Example: 5, 4, 3, 4, 5, 2 → 3.95, qualified.

    Args:
        scores: Criterion key → integer score 1–5, or None / absent when not scored.
        criteria: The weighted criteria.
        qualify_at: Lowest qualifying score.

    Returns:
        The score, or a null score with ``missing`` and ``reason`` when any criterion is
        unscored (never a zero).

    Raises:
        ValueError: A score is not a whole number from 1 to 5, or the weights are
            negative or sum to zero.
    """
    if any(criterion.weight < 0 for criterion in criteria):
        raise ValueError("criterion weights must not be negative")
    total_weight = sum((exact_weight(c.weight) for c in criteria), Fraction(0))
    if total_weight <= 0:
        raise ValueError("criterion weights must sum to more than zero")
    missing: list[Criterion] = []
    weighted = Fraction(0)
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None:
            missing.append(criterion)
            continue
        weighted += exact_weight(criterion.weight) * exact(_checked(criterion.key, value))
    if missing:
        labels = ", ".join(criterion.label.lower() for criterion in missing)
        return ProspectScore(
            score=None,
            qualified=None,
            missing=tuple(criterion.key for criterion in missing),
            reason=f"incomplete: {labels}",
        )
    score = round_fraction_half_up(weighted / total_weight, 2)
    return ProspectScore(score=score, qualified=exact(score) >= exact(qualify_at))


@dataclass(frozen=True, slots=True)
class CohortMember:
    """A client proposed for the pilot cohort.

    Attributes:
        name: Account name.
        industry: Industry (compared case-insensitively); empty counts as unknown.
        segment: ``small``, ``mid-market`` or ``enterprise`` (case, spaces, hyphens ignored).
    """

    name: str
    industry: str | None
    segment: str | None


@dataclass(frozen=True, slots=True)
class CohortRules:
    """The cohort composition rules; each range is inclusive.

    Attributes:
        size: Number of clients (default 10–15).
        min_industries: Fewest distinct industries (default 3).
        small: Small clients (default 3–5).
        mid_market: Mid-market clients (default 4–6).
        enterprise: Enterprise clients (default 2–4).
    """

    size: tuple[int, int] = (10, 15)
    min_industries: int = 3
    small: tuple[int, int] = (3, 5)
    mid_market: tuple[int, int] = (4, 6)
    enterprise: tuple[int, int] = (2, 4)


@dataclass(frozen=True, slots=True)
class CohortRule:
    """One cohort rule and whether the proposed cohort meets it.

    Attributes:
        name: Rule name (``size``, ``industries``, ``small``, ``mid-market``, ``enterprise``).
        met: Whether the rule is met.
        detail: Human-readable count against the target (``"12 clients (10–15)"``).
    """

    name: str
    met: bool
    detail: str


@dataclass(frozen=True, slots=True)
class CohortCheck:
    """The cohort check result.

    Attributes:
        ok: True when every rule is met.
        rules: Each rule in a fixed order.
    """

    ok: bool
    rules: tuple[CohortRule, ...]

    @property
    def unmet(self) -> tuple[str, ...]:
        """Names of the rules the cohort does not meet."""
        return tuple(rule.name for rule in self.rules if not rule.met)


def fold_segment(segment: str | None) -> str | None:
    """Return the canonical segment name, ignoring case, spaces and hyphens.

    Args:
        segment: A segment as typed (``"Mid Market"``).

    Returns:
        ``small``, ``mid-market`` or ``enterprise``, or None when unknown.
    """
    if segment is None:
        return None
    folded = "".join(ch for ch in segment.casefold() if ch.isalnum())
    return _FOLDED_SEGMENTS.get(folded)


_FOLDED_SEGMENTS = {name.replace("-", ""): name for name in SEGMENTS}


def _range_rule(name: str, count: int, bounds: tuple[int, int], noun: str) -> CohortRule:
    low, high = bounds
    return CohortRule(name, low <= count <= high, f"{count} {noun} ({low}–{high})")


DEFAULT_COHORT_RULES = CohortRules()


def check_cohort(
    members: Iterable[CohortMember], rules: CohortRules = DEFAULT_COHORT_RULES
) -> CohortCheck:
    """Check a proposed pilot cohort against the composition rules.

    Args:
        members: The proposed clients.
        rules: Composition rules (SPEC 2.1 defaults).

    Returns:
        Every rule with whether it is met; ``unmet`` names the failing ones.
    """
    people = tuple(members)
    industries = {" ".join(m.industry.split()).casefold() for m in people if m.industry}
    industries.discard("")
    segments = [fold_segment(m.segment) for m in people]
    checked = (
        _range_rule("size", len(people), rules.size, "clients"),
        CohortRule(
            "industries",
            len(industries) >= rules.min_industries,
            f"{len(industries)} industries (at least {rules.min_industries})",
        ),
        _range_rule("small", segments.count("small"), rules.small, "small"),
        _range_rule("mid-market", segments.count("mid-market"), rules.mid_market, "mid-market"),
        _range_rule("enterprise", segments.count("enterprise"), rules.enterprise, "enterprise"),
    )
    return CohortCheck(ok=all(rule.met for rule in checked), rules=checked)
