"""Health bands: the four named score ranges, their colours and thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from csdesk.scoring.rounding import round_half_up

__all__ = ["BAND_ORDER", "DEFAULT_THRESHOLDS", "Band", "BandThresholds", "band_for"]

_COLORS = {
    "Excellent": "#2e9d5b",
    "Good": "#e0b400",
    "At Risk": "#f08c00",
    "Critical": "#d64545",
}


class Band(StrEnum):
    """A named health range; the value is the name shown to the user."""

    EXCELLENT = "Excellent"
    GOOD = "Good"
    AT_RISK = "At Risk"
    CRITICAL = "Critical"

    @property
    def color(self) -> str:
        """The band's colour as a ``#rrggbb`` hex string (green, yellow, orange, red)."""
        return _COLORS[self.value]

    @property
    def rank(self) -> int:
        """0 for Excellent up to 3 for Critical: sort key, best first."""
        return BAND_ORDER.index(self)


BAND_ORDER: tuple[Band, ...] = (Band.EXCELLENT, Band.GOOD, Band.AT_RISK, Band.CRITICAL)
"""The bands from best to worst."""


@dataclass(frozen=True, slots=True)
class BandThresholds:
    """Lowest score of each band; anything below ``at_risk`` is Critical.

    Attributes:
        excellent: Lowest Excellent score (default 90).
        good: Lowest Good score (default 70).
        at_risk: Lowest At Risk score (default 50).
    """

    excellent: float = 90.0
    good: float = 70.0
    at_risk: float = 50.0

    def __post_init__(self) -> None:
        """Reject thresholds that are not strictly descending within 0–100."""
        if not 0.0 <= self.at_risk < self.good < self.excellent <= 100.0:
            raise ValueError(
                "band thresholds must satisfy 0 <= at_risk < good < excellent <= 100, got "
                f"excellent={self.excellent}, good={self.good}, at_risk={self.at_risk}"
            )

    def zones(self) -> tuple[tuple[Band, float, float], ...]:
        """Each band with the score range it covers, ``(band, low, high)``, best first."""
        floors = (self.excellent, self.good, self.at_risk, 0.0)
        highs = (100.0, *floors[:-1])
        return tuple(zip(BAND_ORDER, floors, highs, strict=True))


DEFAULT_THRESHOLDS = BandThresholds()


def band_for(score: float | None, thresholds: BandThresholds = DEFAULT_THRESHOLDS) -> Band | None:
    """Return the band of a health score.

    The band is taken from the score rounded half-up to one decimal, the way it is shown,
    so a displayed 90.0 (from 89.95) is always Excellent and 89.9 is Good.

    Args:
        score: A health score 0–100, or None when there is no score.
        thresholds: The lowest score of each band.

    Returns:
        The band, or None when ``score`` is None.
    """
    if score is None:
        return None
    shown = round_half_up(score, 1)
    if shown >= thresholds.excellent:
        return Band.EXCELLENT
    if shown >= thresholds.good:
        return Band.GOOD
    if shown >= thresholds.at_risk:
        return Band.AT_RISK
    return Band.CRITICAL
