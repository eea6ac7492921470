"""The next meeting with the client: booked, moved and cleared in one transaction each, with a
timeline entry; checks give one line."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, StaleEditError, ValidationError
from csdesk.models import Account, Activity
from csdesk.services.edits import set_narrative, set_next_meeting
from csdesk.services.success_plans import load_narrative

DAY = dt.date(2027, 3, 12)


def _account(portfolio: Portfolio) -> int:
    with portfolio.write() as session:
        account = Account(name="Müller & Søn", name_key="müller & søn", status="active")
        session.add(account)
        session.flush()
        return account.id


def _timeline(portfolio: Portfolio, account_id: int) -> list[str]:
    with portfolio.read() as session:
        return list(
            session.scalars(
                select(Activity.summary)
                .where(Activity.account_id == account_id)
                .order_by(Activity.id)
            )
        )


def test_book_move_and_clear(portfolio: Portfolio) -> None:
    account_id = _account(portfolio)
    booked = set_next_meeting(portfolio, account_id, DAY, "  Renewal   call ")
    assert booked.old == (None, "") and booked.new == (DAY, "Renewal call")
    moved = set_next_meeting(portfolio, account_id, DAY + dt.timedelta(days=2), "Renewal call")
    assert moved.old == (DAY, "Renewal call")
    same = set_next_meeting(portfolio, account_id, DAY + dt.timedelta(days=2), "Renewal call")
    assert not same.changed
    cleared = set_next_meeting(portfolio, account_id, None, "ignored without a day")
    assert cleared.new == (None, "")
    with portfolio.read() as session:
        narrative = load_narrative(session, account_id)
    assert (narrative.next_meeting, narrative.next_meeting_note) == (None, "")
    assert _timeline(portfolio, account_id) == [
        "Next meeting booked: 2027-03-12 — Renewal call",
        "Next meeting moved: 2027-03-14 — Renewal call",
        "Next meeting cleared",
    ]


def test_the_meeting_and_the_texts_share_one_row(portfolio: Portfolio) -> None:
    account_id = _account(portfolio)
    set_next_meeting(portfolio, account_id, DAY, "Quarterly review")
    set_narrative(portfolio, account_id, "wins", "Live in three plants")
    with portfolio.read() as session:
        narrative = load_narrative(session, account_id)
    assert narrative.wins == "Live in three plants" and narrative.next_meeting == DAY


def test_checks_give_one_line(portfolio: Portfolio) -> None:
    account_id = _account(portfolio)
    with pytest.raises(ValidationError, match="longer than 300"):
        set_next_meeting(portfolio, account_id, DAY, "x" * 301)
    with pytest.raises(NotFoundError):
        set_next_meeting(portfolio, account_id + 99, DAY, "")
    set_next_meeting(portfolio, account_id, DAY, "Review")
    with pytest.raises(StaleEditError):  # an undo that would overwrite a later change
        set_next_meeting(portfolio, account_id, None, "", expect=(DAY, "Other"))
    assert _timeline(portfolio, account_id) == ["Next meeting booked: 2027-03-12 — Review"]
