"""Manual health overrides with a reason; the computed score stays in history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import ValidationError
from csdesk.models import Account, HealthSnapshot, utcnow
from csdesk.scoring.bands import band_for
from csdesk.scoring.rounding import round_half_up
from csdesk.services.changes import Changes
from csdesk.services.edits.base import (
    ANY,
    EditResult,
    account_changes,
    check_unchanged,
    checked_number,
    get_account,
    log_activity,
)
from csdesk.services.trend_base import snapshot_written

__all__ = [
    "HealthState",
    "clear_health_override",
    "override_health",
    "restore_health",
    "withdraw_override",
]


@dataclass(frozen=True)
class HealthState:
    """The displayed health of an account: override reason None means computed."""

    score: float | None
    band: str | None
    override_reason: str | None


def _state(account: Account) -> HealthState:
    return HealthState(account.health_score, account.health_band, account.health_override_reason)


def _check_state(account: Account, expect: Any) -> None:
    """Refuse an undo/redo when the displayed health is no longer what its edit left."""
    if expect is ANY:
        return
    now = _state(account)
    if now.override_reason != expect.override_reason:
        check_unchanged(
            "overridden" if now.override_reason else "computed",
            "overridden" if expect.override_reason else "computed",
            "the health score",
        )
    check_unchanged(now.score, expect.score, "the health score")


def _snapshot(
    session: Session,
    account: Account,
    today: dt.date,
    score: float | None,
    source: str,
    reason: str,
) -> int:
    model = session.execute(
        select(HealthSnapshot.model_name, HealthSnapshot.model_version)
        .where(HealthSnapshot.account_id == account.id)
        .order_by(HealthSnapshot.as_of.desc(), HealthSnapshot.id.desc())
        .limit(1)
    ).first()
    band = band_for(score)
    snapshot = HealthSnapshot(
        account_id=account.id,
        as_of=today,
        score=score,
        band=band.value if band else None,
        model_name=model[0] if model else (account.health_model or "manual"),
        model_version=model[1] if model else 0,
        breakdown=None,
        source=source,
        reason=reason,
    )
    session.add(snapshot)
    session.flush()
    snapshot_written(session, today)
    return snapshot.id


def override_health(
    portfolio: Portfolio,
    account_id: int,
    score: float,
    reason: str,
    *,
    today: dt.date | None = None,
    expect: Any = ANY,
) -> EditResult[HealthState]:
    """Override an account's health score with a reason; ``old`` is its :class:`HealthState`.

    ``new`` is the state written and ``new_id`` the "override" snapshot (which undo removes).
    ``expect``: the state the account must show for the edit to apply (undo/redo).

    The computed score stays in ``health_computed_score`` and in history; an "override"
    snapshot records the new score and the reason.

    Raises:
        ValidationError: A score outside 0–100 or an empty reason.
    """
    checked = checked_number(score, "health score")
    if checked is None or checked > 100:
        raise ValidationError(f"a health score must be between 0 and 100 (got {score!r})")
    reason = reason.strip()
    if not reason:
        raise ValidationError("a health override needs a reason")
    shown = round_half_up(checked, 1)
    today = today or dt.date.today()
    with portfolio.write() as session:
        account = get_account(session, account_id)
        _check_state(account, expect)
        old = _state(account)
        if old.override_reason == reason and old.score == shown:
            return EditResult(Changes(), old=old, new=old, changed=False)
        band = band_for(shown)
        account.health_score = shown
        account.health_band = band.value if band else None
        account.health_override_reason = reason
        account.health_updated_at = utcnow()
        snapshot_id = _snapshot(session, account, today, shown, "override", reason)
        before = "no score" if old.score is None else f"{old.score:.1f}"
        log_activity(
            session, account_id, "health", f"Health overridden {before} → {shown:.1f}: {reason}"
        )
        new = _state(account)
    return EditResult(
        account_changes(account_id, accounts=True, health=True),
        old=old,
        new=new,
        new_id=snapshot_id,
    )


def withdraw_override(
    portfolio: Portfolio,
    account_id: int,
    snapshot_id: int | None,
    state: HealthState,
    *,
    expect: Any = ANY,
) -> EditResult[HealthState]:
    """Undo an override: its snapshot is removed and the health shown before comes back.

    Unlike :func:`clear_health_override` (a new decision, kept in history), an undone override
    leaves no trace in the history chart or lists: it never happened.

    Args:
        portfolio: The open portfolio.
        account_id: The account.
        snapshot_id: The override's snapshot (``new_id`` of :func:`override_health`).
        state: The health the account showed before the override.
        expect: The state the override left (else :class:`StaleEditError`).
    """
    with portfolio.write() as session:
        account = get_account(session, account_id)
        _check_state(account, expect)
        old = _state(account)
        if snapshot_id is not None:
            day = session.scalar(
                delete(HealthSnapshot)
                .where(
                    HealthSnapshot.id == snapshot_id,
                    HealthSnapshot.account_id == account_id,
                    HealthSnapshot.source == "override",
                )
                .returning(HealthSnapshot.as_of)
            )
            if day is not None:
                snapshot_written(session, day)
        account.health_score = state.score
        account.health_band = state.band
        account.health_override_reason = state.override_reason
        account.health_updated_at = utcnow()
        log_activity(session, account_id, "health", "Health override undone")
    return EditResult(account_changes(account_id, accounts=True, health=True), old=old, new=state)


def clear_health_override(
    portfolio: Portfolio, account_id: int, *, today: dt.date | None = None, expect: Any = ANY
) -> EditResult[HealthState]:
    """Remove a manual override: the computed score shows again; ``old`` is the HealthState.

    Raises:
        ValidationError: The account has no override.
    """
    today = today or dt.date.today()
    with portfolio.write() as session:
        account = get_account(session, account_id)
        _check_state(account, expect)
        old = _state(account)
        if old.override_reason is None:
            raise ValidationError(f"{account.name} has no health override to clear")
        computed = account.health_computed_score
        band = band_for(computed)
        account.health_score = computed
        account.health_band = band.value if band else None
        account.health_override_reason = None
        account.health_updated_at = utcnow()
        _snapshot(session, account, today, computed, "computed", "override cleared")
        after = "no score" if computed is None else f"{computed:.1f}"
        log_activity(session, account_id, "health", f"Health override cleared: back to {after}")
        new = _state(account)
    return EditResult(account_changes(account_id, accounts=True, health=True), old=old, new=new)


def restore_health(
    portfolio: Portfolio,
    account_id: int,
    state: HealthState,
    *,
    today: dt.date | None = None,
    expect: Any = ANY,
) -> EditResult[HealthState]:
    """Put back a health state a clear replaced (what undoing a clear calls)."""
    if state.override_reason is None:
        return clear_health_override(portfolio, account_id, today=today, expect=expect)
    assert state.score is not None
    return override_health(
        portfolio, account_id, state.score, state.override_reason, today=today, expect=expect
    )
