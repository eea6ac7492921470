"""What the portfolio table shows and asks for: columns, filter values, rows, queries.

Plain data with no database code, so the window can be built before SQLAlchemy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from csdesk.scoring.bands import BAND_ORDER
from csdesk.scoring.lifecycle import STAGE_ORDER
from csdesk.scoring.vocabulary import ACTIVE, CHURNED, PILOT, PROSPECT

__all__ = [
    "BAND_VALUES",
    "COLUMNS",
    "NO_BAND",
    "NO_STAGE",
    "RENEWAL_WINDOWS",
    "STAGE_VALUES",
    "STATUS_VALUES",
    "TREND_DAYS",
    "TREND_DAY_SETTING",
    "Facets",
    "PortfolioRow",
    "TableQuery",
]

TREND_DAYS = 30
"""The trend arrow compares the score with the newest snapshot this many days ago."""
TREND_DAY_SETTING = "trend_baseline"
"""The setting naming the days every account's stored trend baseline holds for:
``start/end``, ISO dates, the end excluded (see :mod:`csdesk.services.trend_base`)."""

NO_STAGE = "No stage"
NO_BAND = "No score"

BAND_VALUES: tuple[str, ...] = (*(b.value for b in BAND_ORDER), NO_BAND)
"""What the band filter offers: band names best first, then :data:`NO_BAND`."""
STAGE_VALUES: tuple[str, ...] = (*(s.value for s in STAGE_ORDER), NO_STAGE)
"""What the stage filter offers: stage names in lifecycle order, then :data:`NO_STAGE`."""
STATUS_VALUES: tuple[str, ...] = (ACTIVE, PILOT, PROSPECT, CHURNED)
"""What the status filter offers: customers first (the statuses of ``csdesk.models``)."""

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Account"),
    ("owner", "Owner"),
    ("status", "Status"),
    ("tier", "Tier"),
    ("arr", "ARR"),
    ("health", "Health"),
    ("trend", "Trend"),
    ("stage", "Stage"),
    ("renewal", "Renewal"),
    ("days_left", "Days left"),
    ("open_tasks", "Open tasks"),
)
"""``(sort key, header)`` of every column of the portfolio table, in display order."""

RENEWAL_WINDOWS: tuple[tuple[str, str], ...] = (
    ("overdue", "Overdue"),
    ("30", "Next 30 days"),
    ("60", "Next 60 days"),
    ("90", "Next 90 days"),
    ("180", "Next 180 days"),
    ("365", "Next 12 months"),
)
"""``(key, label)`` of the renewal-window filter; numbers are days from today."""


class PortfolioRow(NamedTuple):
    """One line of the portfolio table, as plain values."""

    id: int
    name: str
    crm_id: str | None
    owner: str | None
    tier: str | None
    arr: Decimal | None
    health_score: float | None
    health_band: str | None
    overridden: bool
    past_score: float | None
    stage: str | None
    renewal_date: date | None
    days_left: int | None
    renewal_overdue: bool
    open_tasks: int
    status: str


@dataclass(frozen=True)
class TableQuery:
    """What the portfolio view asks for: search text, filters and sort order.

    Attributes:
        search: Words that must each appear in the name, owner or CRM id (any case).
        bands: Bands to keep (``NO_BAND`` keeps accounts without a score); empty keeps all.
        stages: Lifecycle stages to keep (``NO_STAGE`` for none); empty keeps all.
        owners: Owners to keep; empty keeps all.
        tiers: Tiers to keep; empty keeps all.
        statuses: Account statuses to keep; empty keeps all.
        renewal_window: A key of :data:`RENEWAL_WINDOWS`, or None for any renewal date.
        sort_key: A key of :data:`COLUMNS`.
        descending: Sort direction; empty values always sort last.
        today: The day stages, windows and trends are evaluated on (default: today).
    """

    search: str = ""
    bands: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    renewal_window: str | None = None
    sort_key: str = "name"
    descending: bool = False
    today: date = field(default_factory=date.today)

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list."""
        return bool(
            self.search.strip()
            or self.bands
            or self.stages
            or self.owners
            or self.tiers
            or self.statuses
            or self.renewal_window
        )


@dataclass(frozen=True)
class Facets:
    """The values the filters offer, taken from the portfolio.

    Attributes:
        bands: Band names best first, then ``NO_BAND``.
        stages: Stage names in lifecycle order, then ``NO_STAGE``.
        owners: Owners present, sorted case-insensitively.
        tiers: Tiers present, catalog order first.
        renewal_windows: ``(key, label)`` pairs.
        total: Number of accounts in the portfolio.
    """

    bands: tuple[str, ...]
    stages: tuple[str, ...]
    owners: tuple[str, ...]
    tiers: tuple[str, ...]
    renewal_windows: tuple[tuple[str, str], ...]
    total: int
