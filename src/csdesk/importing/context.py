"""What every kind importer works with: the parsed rows, bulk access, the clock, progress, and
finding the account a row of tickets, surveys, contacts or metrics belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from csdesk.importing.bulk import Bulk
from csdesk.importing.columns import ParsedRows
from csdesk.importing.mapping import Layout
from csdesk.progress import Progress, check_cancel
from csdesk.scoring.catalog import fold_name

__all__ = ["AccountRefs", "ImportContext"]

PROGRESS_EVERY = 5000


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
    """

    bulk: Bulk
    parsed: ParsedRows
    layout: Layout
    today: dt.date
    now: dt.datetime
    progress: Progress

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


class AccountRefs:
    """The accounts of the portfolio by crm_id and folded name, for rows that refer to one."""

    def __init__(self, bulk: Bulk) -> None:
        self.by_crm: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.names: dict[int, str] = {}
        for account_id, crm_id, name, name_key in bulk.rows(
            "SELECT id, crm_id, name, name_key FROM accounts"
        ):
            if crm_id:
                self.by_crm[crm_id] = account_id
            self.by_name[name_key].append(account_id)
            self.names[account_id] = name

    def add(self, account_id: int, crm_id: str | None, name: str) -> None:
        """Register an account created during the import."""
        if crm_id:
            self.by_crm[crm_id] = account_id
        self.by_name[fold_name(name)].append(account_id)
        self.names[account_id] = name

    def resolve(
        self, ctx: ImportContext, position: int, crm_id: object, name: object
    ) -> int | None:
        """The account a row refers to, or None after rejecting (or skipping) the row.

        The crm_id is tried first, then the folded name; an unknown or ambiguous reference rejects
        the row.
        """
        if isinstance(crm_id, str) and crm_id in self.by_crm:
            return self.by_crm[crm_id]
        if isinstance(name, str):
            found = self.by_name.get(fold_name(name), [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                ctx.parsed.reject(
                    position,
                    ctx.header("name"),
                    "ambiguous",
                    f"{name!r} matches {len(found)} accounts; add the account ID",
                )
                return None
        if crm_id is None and name is None:
            ctx.skip_or_reject_keyless(position, "account ID or name")
            return None
        ref = crm_id if crm_id is not None else name
        column = ctx.header("crm_id") if crm_id is not None else ctx.header("name")
        ctx.parsed.reject(
            position, column, "unknown_account", f"no account {ref!r} in the portfolio"
        )
        return None
