"""Renewal outcomes: recording that an account renewed or churned on a day (SPEC 1, 2.9).

:func:`record_outcome` is idempotent per account, day and outcome: recording the same outcome
again changes nothing, and a second recording with other ARR figures or another source updates
the one row. Imports (won and lost renewal opportunities), the churn of an account and the
backtest's data all come through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.errors import ValidationError
from csdesk.models import OUTCOMES, Activity, RenewalOutcome

__all__ = ["OutcomeRow", "forget_outcome", "outcomes_of", "record_outcome"]

_CENT = Decimal("0.01")


def _cents(value: Decimal | float | int | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(str(value)).quantize(_CENT)
    if amount < 0:
        raise ValidationError(f"an ARR cannot be negative (got {amount})")
    return amount


def record_outcome(
    session: Session,
    *,
    account_id: int,
    outcome: str,
    on: dt.date,
    arr_before: Decimal | float | int | None = None,
    arr_after: Decimal | float | int | None = None,
    source: str = "",
) -> bool:
    """Record that ``account_id`` renewed or churned on ``on``, inside the caller's transaction,
    with an entry on the account's timeline when a row was written or changed.

    Args:
        session: A session of the caller's write transaction.
        account_id: The account.
        outcome: ``renewed`` or ``churned``.
        on: The day it happened.
        arr_before: ARR before the renewal date (None when unknown).
        arr_after: ARR after it (0 for a churn; None when unknown).
        source: Where the outcome comes from (``salesforce``, ``manual`` …).

    Returns:
        True when a row was written or changed; False when it was already recorded as given.

    Raises:
        ValidationError: an unknown outcome or a negative ARR.
    """
    if outcome not in OUTCOMES:
        raise ValidationError(f"unknown outcome {outcome!r} (expected {' or '.join(OUTCOMES)})")
    before, after = _cents(arr_before), _cents(arr_after)
    found = session.execute(
        select(
            RenewalOutcome.id,
            RenewalOutcome.arr_before,
            RenewalOutcome.arr_after,
            RenewalOutcome.source,
        ).where(
            RenewalOutcome.account_id == account_id,
            RenewalOutcome.on_date == on,
            RenewalOutcome.outcome == outcome,
        )
    ).first()
    if found is None:
        session.execute(
            insert(RenewalOutcome).values(
                account_id=account_id,
                outcome=outcome,
                on_date=on,
                arr_before=before,
                arr_after=after,
                source=source,
            )
        )
        _log_outcome(session, account_id, outcome, on, source)
        return True
    wanted = (
        before if before is not None else _cents(found.arr_before),
        after if after is not None else _cents(found.arr_after),
        source or found.source,
    )
    if wanted == (_cents(found.arr_before), _cents(found.arr_after), found.source):
        return False
    session.execute(
        update(RenewalOutcome)
        .where(RenewalOutcome.id == found.id)
        .values(arr_before=wanted[0], arr_after=wanted[1], source=wanted[2])
    )
    _log_outcome(session, account_id, outcome, on, source)
    return True


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One recorded renewal outcome."""

    account_id: int
    outcome: str
    on: dt.date
    arr_before: Decimal | None
    arr_after: Decimal | None
    source: str


def outcomes_of(session: Session, account_id: int | None = None) -> list[OutcomeRow]:
    """The recorded outcomes (of one account, or all), oldest first."""
    query = select(
        RenewalOutcome.account_id,
        RenewalOutcome.outcome,
        RenewalOutcome.on_date,
        RenewalOutcome.arr_before,
        RenewalOutcome.arr_after,
        RenewalOutcome.source,
    ).order_by(RenewalOutcome.on_date, RenewalOutcome.id)
    if account_id is not None:
        query = query.where(RenewalOutcome.account_id == account_id)
    return [
        OutcomeRow(r[0], r[1], r[2], _cents(r[3]), _cents(r[4]), r[5])
        for r in session.execute(query)
    ]


def _log_outcome(
    session: Session, account_id: int, outcome: str, on: dt.date, source: str = ""
) -> None:
    """Put an outcome on the account's timeline (the backtest and GRR/NRR read the table)."""
    how = {"renewed": "Renewed", "churned": "Churned"}.get(outcome, outcome)
    summary = f"Renewal outcome: {how.lower()} on {on.isoformat()}"
    if source:
        summary += f" ({source})"
    session.execute(
        insert(Activity).values(
            account_id=account_id,
            actor=current_user(),
            kind="outcome",
            summary=summary,
            details={"outcome": outcome, "on": on.isoformat(), "source": source},
        )
    )


def forget_outcome(
    session: Session, account_id: int, outcome: str, on: dt.date, source: str
) -> bool:
    """Remove an outcome an undone edit recorded (only that source's row); True if removed."""
    done = session.execute(
        delete(RenewalOutcome).where(
            RenewalOutcome.account_id == account_id,
            RenewalOutcome.outcome == outcome,
            RenewalOutcome.on_date == on,
            RenewalOutcome.source == source,
        )
    )
    return bool(getattr(done, "rowcount", 0))
