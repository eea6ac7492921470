"""What every kind importer works with: the parsed rows, bulk access, the clock and progress
(finding the account a row belongs to is :class:`csdesk.importing.identity.AccountRefs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from csdesk.db.bulk import Bulk
from csdesk.importing.columns import ParsedRows
from csdesk.importing.identity import AccountRefs
from csdesk.importing.mapping import Layout
from csdesk.progress import Progress, check_cancel

__all__ = ["AccountRefs", "ImportContext", "Scorer"]

PROGRESS_EVERY = 5000


class Scorer(Protocol):
    """Scores the accounts a first import creates, before their rows are inserted."""

    def __call__(self, account_id: int, metrics: Mapping[str, float]) -> tuple[Any, Any]:
        """A new account's health score and band (value) from its id and newest metrics."""

    def inserted(self) -> None:
        """The rows of the accounts scored so far are in: store what goes with their scores."""


@dataclass(slots=True)
class ImportContext:
    """The state one import shares between its steps.

    Attributes:
        bulk: Bulk SQL inside the import's transaction.
        parsed: The typed data rows.
        layout: The columns of the file.
        today: The as-of day of metrics without an "As Of" column.
        now: The timestamp of created/updated rows.
        progress: Progress and cancel.
        score_new: Scores the accounts a first import creates, so that their rows are
            inserted with their health and their snapshots (None: the recompute scores them
            after the insert).
    """

    bulk: Bulk
    parsed: ParsedRows
    layout: Layout
    today: dt.date
    now: dt.datetime
    progress: Progress
    score_new: Scorer | None = None

    def header(self, name: str) -> str | None:
        """The header of the column feeding ``name`` (None if the file has none)."""
        return self.layout.header_of(name) if name in self.layout.fields else None

    def tick(self, done: int) -> None:
        """Report progress every few thousand rows and honour cancel."""
        if done % PROGRESS_EVERY == 0:
            self.progress.advance(done)
            check_cancel(self.progress)

    def column(self, name: str) -> list[object]:
        """The parsed values of ``name``, or Nones when the file has no such column."""
        return self.parsed.values.get(name) or [None] * len(self.parsed)

    def skip_or_reject_keyless(self, position: int, what: str) -> None:
        """A row without a key: skipped when blank, else rejected."""
        if position in self.parsed.blank:
            self.parsed.skipped += 1
        else:
            self.parsed.reject(position, None, "no_key", f"no {what}")
