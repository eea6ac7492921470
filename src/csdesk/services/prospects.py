"""Prospects and pilots: their scorecards, criterion score and note edits, the pilot cohort.

Every edit is one write transaction that logs an ``edit`` entry on the account's timeline and
returns an :class:`~csdesk.services.edits.EditResult` whose ``old`` is what an undo passes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import Account, ProspectScorecard, utcnow
from csdesk.scoring.prospect import (
    CRITERIA,
    CohortCheck,
    CohortMember,
    ProspectScore,
    check_cohort,
    score_prospect,
)
from csdesk.services.changes import Changes
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    check_unchanged,
    fmt_value,
    get_account,
    log_activity,
)

__all__ = [
    "ProspectRow",
    "check_members",
    "criterion_label",
    "list_prospects",
    "prospect_changes",
    "scorecard_for",
    "set_cohort",
    "set_criterion",
    "set_criterion_note",
]

_KEYS = tuple(c.key for c in CRITERIA)
_LABELS = {c.key: c.label for c in CRITERIA}


@dataclass(frozen=True, slots=True)
class ProspectRow:
    """One prospect or pilot with its scorecard.

    Attributes:
        account_id: The account.
        name: Account name.
        status: ``prospect`` or ``pilot``.
        industry: Industry, or None.
        segment: Segment, or None.
        owner: CSM, or None.
        tier: Plan tier, or None.
        arr: ARR, or None.
        scores: Criterion scores in :data:`CRITERIA` order (None = not scored).
        notes: Criterion notes in the same order.
        result: The weighted score, qualified flag, or why there is none.
        in_cohort: Ticked into the pilot cohort.
        pilot_start: When the pilot started, or None.
    """

    account_id: int
    name: str
    status: str
    industry: str | None
    segment: str | None
    owner: str | None
    tier: str | None
    arr: float | None
    scores: tuple[int | None, ...]
    notes: tuple[str | None, ...]
    result: ProspectScore
    in_cohort: bool
    pilot_start: dt.date | None

    def score_of(self, key: str) -> int | None:
        """The score of one criterion."""
        return self.scores[_KEYS.index(key)]

    def note_of(self, key: str) -> str | None:
        """The note of one criterion."""
        return self.notes[_KEYS.index(key)]

    def member(self) -> CohortMember:
        """This account as a proposed cohort member."""
        return CohortMember(self.name, self.industry, self.segment)


def criterion_label(key: str) -> str:
    """The label of a criterion key (``Strategic fit``).

    Raises:
        ValidationError: Not a criterion.
    """
    if key not in _LABELS:
        raise ValidationError(f"unknown scorecard criterion {key!r}")
    return _LABELS[key]


def list_prospects(portfolio: Portfolio) -> list[ProspectRow]:
    """Every prospect and pilot with its scorecard, best score first (incomplete ones last).

    Args:
        portfolio: The open portfolio.

    Returns:
        One row per account whose status is ``prospect`` or ``pilot``.
    """
    card = ProspectScorecard
    columns = [getattr(card, k) for k in _KEYS] + [getattr(card, f"{k}_note") for k in _KEYS]
    query = (
        select(
            Account.id,
            Account.name,
            Account.status,
            Account.industry,
            Account.segment,
            Account.owner,
            Account.tier,
            Account.arr,
            card.in_cohort,
            card.pilot_start,
            *columns,
        )
        .outerjoin(card, card.account_id == Account.id)
        .where(Account.status.in_(("prospect", "pilot")))
    )
    rows: list[ProspectRow] = []
    n = len(_KEYS)
    with portfolio.read() as session:
        for row in session.execute(query):
            values = tuple(row)
            scores = tuple(values[10 : 10 + n])
            rows.append(
                ProspectRow(
                    account_id=values[0],
                    name=values[1],
                    status=values[2],
                    industry=values[3],
                    segment=values[4],
                    owner=values[5],
                    tier=values[6],
                    arr=values[7],
                    scores=scores,
                    notes=tuple(values[10 + n :]),
                    result=score_prospect(dict(zip(_KEYS, scores, strict=True))),
                    in_cohort=bool(values[8]),
                    pilot_start=values[9],
                )
            )
    rows.sort(key=lambda r: (r.result.score is None, -(r.result.score or 0), r.name.casefold()))
    return rows


def check_members(rows: Iterable[ProspectRow]) -> CohortCheck:
    """Check the ticked rows against the SPEC 2.1 cohort rules.

    Args:
        rows: Prospect rows; only those with ``in_cohort`` count.

    Returns:
        Every rule, met or not, with its count.
    """
    return check_cohort(r.member() for r in rows if r.in_cohort)


def scorecard_for(session: Session, account_id: int) -> ProspectScorecard:
    """The account's scorecard, added (empty) when it has none yet."""
    card = session.get(ProspectScorecard, account_id)
    if card is None:
        card = ProspectScorecard(account_id=account_id, in_cohort=False)
        session.add(card)
    return card


def _rescore(card: ProspectScorecard) -> None:
    card.score = score_prospect({k: getattr(card, k) for k in _KEYS}).score


def set_criterion(
    portfolio: Portfolio, account_id: int, key: str, value: int | None, *, expect: Any = ANY
) -> EditResult[int | None]:
    """Set one criterion score (1–5, None clears it); ``old`` is the score before, ``new`` after.

    ``expect`` (what undo and redo pass): the score the criterion must hold for the edit to
    apply, else :class:`~csdesk.errors.StaleEditError` and nothing is written.

    Raises:
        ValidationError: Unknown criterion, or a score that is not a whole number 1–5.
        NotFoundError: The account does not exist.
    """
    label = criterion_label(key)
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
    ):
        raise ValidationError(f"{label}: score must be a whole number 1–5, got {value!r}")
    with portfolio.write() as session:
        account = get_account(session, account_id)
        card = scorecard_for(session, account_id)
        old = getattr(card, key)
        check_unchanged(old, expect, f"the {label.lower()} score")
        if old == value:
            return EditResult(Changes(), old=old, new=old, changed=False)
        setattr(card, key, value)
        _rescore(card)
        card.updated_at = utcnow()
        summary = f"Scorecard {label.lower()}: {fmt_value(old)} → {fmt_value(value)}"
        details = {"field": f"scorecard.{key}", "old": old, "new": value}
        log_activity(session, account.id, "edit", summary, details)
    return EditResult(prospect_changes(account_id), old=old, new=value)


def set_criterion_note(
    portfolio: Portfolio, account_id: int, key: str, text: str | None, *, expect: Any = ANY
) -> EditResult[str | None]:
    """Set the note of one criterion (blank clears it); ``old`` is the note before, ``new`` after.

    ``expect``: the note the criterion must hold for the edit to apply (undo and redo).

    Raises:
        ValidationError: Unknown criterion.
        NotFoundError: The account does not exist.
    """
    label = criterion_label(key)
    new = (text or "").strip() or None
    with portfolio.write() as session:
        get_account(session, account_id)
        card = scorecard_for(session, account_id)
        field = f"{key}_note"
        old = getattr(card, field)
        check_unchanged(old, expect, f"the note on {label.lower()}")
        if old == new:
            return EditResult(Changes(), old=old, new=old, changed=False)
        setattr(card, field, new)
        card.updated_at = utcnow()
        summary = f"Scorecard note on {label.lower()} " + ("cleared" if new is None else "edited")
        log_activity(session, account_id, "edit", summary, {"field": f"scorecard.{field}"})
    return EditResult(prospect_changes(account_id), old=old, new=new)


def set_cohort(portfolio: Portfolio, membership: Mapping[int, bool]) -> EditResult[dict[int, bool]]:
    """Tick accounts into (True) or out of (False) the pilot cohort.

    Args:
        portfolio: The open portfolio.
        membership: Account id → in the cohort.

    Returns:
        ``old`` maps each account that changed to its membership before.

    Raises:
        NotFoundError: An account does not exist.
    """
    old: dict[int, bool] = {}
    with portfolio.write() as session:
        for account_id, wanted in membership.items():
            account = get_account(session, account_id)
            card = scorecard_for(session, account_id)
            before = bool(card.in_cohort)
            if before == bool(wanted):
                continue
            card.in_cohort = bool(wanted)
            card.updated_at = utcnow()
            old[account_id] = before
            verb = "added to" if wanted else "removed from"
            log_activity(
                session,
                account.id,
                "edit",
                f"{verb.capitalize()} the pilot cohort",
                {"field": "scorecard.in_cohort", "old": before, "new": bool(wanted)},
            )
    if not old:
        return EditResult(Changes(), old=old, changed=False)
    return EditResult(Changes(account_ids=frozenset(old), prospects=True, activity=True), old=old)


def prospect_changes(account_id: int, *, accounts: bool = False) -> Changes:
    """The change record of an edit to one prospect (``accounts`` when account fields moved)."""
    return Changes(
        account_ids=frozenset({account_id}), prospects=True, activity=True, accounts=accounts
    )
