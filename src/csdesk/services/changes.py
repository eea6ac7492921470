"""The record of what an operation changed, so each view decides what to refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What an operation changed (Anki's ``OpChanges`` shape)."""

    accounts: bool = False
    account_ids: frozenset[int] = field(default_factory=frozenset)
    health: bool = False
    tasks: bool = False
    metrics: bool = False
    roi: bool = False
    prospects: bool = False
    activity: bool = False
    plan: bool = False
    everything: bool = False

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
            activity=self.activity or other.activity,
            plan=self.plan or other.plan,
            everything=self.everything or other.everything,
        )
