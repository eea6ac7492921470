"""The record of what an operation changed, so each view decides what to refresh.

Anki's ``OpChanges`` shape: a service (an edit, an import, a recompute) returns one, the window
hands it to every page and the account 360, and each reloads only what it shows of it. It
lives below every layer so the importers can fill it in too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Changes"]


@dataclass(frozen=True)
class Changes:
    """What an operation changed.

    Attributes:
        accounts: Accounts were created, or their own fields changed.
        account_ids: The accounts concerned; empty means "any account".
        health: Health scores or bands changed.
        tasks: Tasks were added, completed, snoozed or removed.
        metrics: Usage metrics changed.
        roi: ROI inputs or value lines changed.
        prospects: Scorecards or the pilot cohort changed.
        support: Tickets, survey responses or contacts changed.
        activity: Timeline entries were written.
        plan: A success plan's goals or narrative changed.
        everything: Anything may have changed (a portfolio filled at once): reload all.
        fenced_by: Set by an import, restore, merge or recompute (e.g. "an import"): the edits
            of ``account_ids`` made before it (of every account when empty) can no longer be
            undone.
    """

    accounts: bool = False
    account_ids: frozenset[int] = field(default_factory=frozenset)
    health: bool = False
    tasks: bool = False
    metrics: bool = False
    roi: bool = False
    prospects: bool = False
    support: bool = False
    activity: bool = False
    plan: bool = False
    everything: bool = False
    fenced_by: str = ""

    def touches(self, account_id: int) -> bool:
        """True if this change may affect ``account_id``'s views."""
        return self.everything or not self.account_ids or account_id in self.account_ids

    def merged(self, other: Changes) -> Changes:
        """The union of two change records."""
        return Changes(
            accounts=self.accounts or other.accounts,
            account_ids=self.account_ids | other.account_ids,
            health=self.health or other.health,
            tasks=self.tasks or other.tasks,
            metrics=self.metrics or other.metrics,
            roi=self.roi or other.roi,
            prospects=self.prospects or other.prospects,
            support=self.support or other.support,
            activity=self.activity or other.activity,
            plan=self.plan or other.plan,
            everything=self.everything or other.everything,
            fenced_by=self.fenced_by or other.fenced_by,
        )
