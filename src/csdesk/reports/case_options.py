"""What one export shows: the edition (client or internal) and the sections, in SPEC 4's order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from csdesk.errors import CsdeskError

__all__ = [
    "CLIENT",
    "EDITIONS",
    "INTERNAL",
    "INTERNAL_SECTIONS",
    "SECTIONS",
    "SECTION_TITLES",
    "ExportOptions",
    "parse_edition",
    "parse_sections",
]

CLIENT = "client"
INTERNAL = "internal"
EDITIONS = (CLIENT, INTERNAL)
"""The two editions of every business case; the first is the default."""

SECTION_TITLES: dict[str, str] = {
    "cover": "Cover",
    "agenda": "Agenda",
    "summary": "Executive summary",
    "value": "Value delivered",
    "outcomes": "Outcomes",
    "adoption": "Adoption and usage",
    "support": "Support and satisfaction",
    "wins": "Wins this term",
    "road_ahead": "The road ahead",
    "renewal": "Renewal proposal",
    "contacts": "Contacts and next meeting",
    "health": "Account health",
    "risks": "Risks",
    "forecast": "Renewal forecast",
    "milestones": "Renewal milestones",
    "price_logic": "Price logic",
    "tasks": "Open tasks",
    "recommendations": "Recommended actions",
}
"""Every section key with its heading, in the order the documents show them."""

SECTIONS: tuple[str, ...] = tuple(SECTION_TITLES)
INTERNAL_SECTIONS: frozenset[str] = frozenset(
    ("health", "risks", "forecast", "milestones", "price_logic", "tasks", "recommendations")
)
"""Sections only the internal edition has (SPEC 4)."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """The edition and the chosen sections of one export (default: client, every section)."""

    edition: str = CLIENT
    sections: frozenset[str] = frozenset(SECTIONS)

    @property
    def internal(self) -> bool:
        """Whether this is the internal edition."""
        return self.edition == INTERNAL

    def shows(self, section: str) -> bool:
        """Whether ``section`` is chosen and belongs to this edition."""
        if section in INTERNAL_SECTIONS and not self.internal:
            return False
        return section in self.sections

    def ordered(self) -> tuple[str, ...]:
        """The sections this export shows, in document order."""
        return tuple(s for s in SECTIONS if self.shows(s))


def parse_edition(text: str | None) -> str:
    """Check an edition name (None → ``client``).

    Raises:
        CsdeskError: The name is not an edition.
    """
    value = (text or CLIENT).strip().lower()
    if value not in EDITIONS:
        raise CsdeskError(f"unknown edition {text!r}; known: {', '.join(EDITIONS)}")
    return value


def parse_sections(text: str | Iterable[str] | None) -> frozenset[str]:
    """Read a comma-separated section list (None or empty → every section).

    Raises:
        CsdeskError: A name is not a section; the message lists the known ones.
    """
    if text is None:
        return frozenset(SECTIONS)
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = {n.strip().lower().replace("-", "_") for n in names if n.strip()}
    if not chosen:
        return frozenset(SECTIONS)
    unknown = sorted(chosen - set(SECTIONS))
    if unknown:
        raise CsdeskError(
            f"unknown section {', '.join(unknown)}; known sections: {', '.join(SECTIONS)}"
        )
    return frozenset(chosen)
