"""The draft executive summary: plain client words from the data, nothing internal, no gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.scoring.narrative import INTERNAL_WORDS, SummaryFacts, draft_executive_summary
from csdesk.scoring.success_plan import GOAL_STATUSES, Goal


def goal(title: str, status: str, *, internal: bool = False) -> Goal:
    return Goal(None, title, None, None, None, None, None, None, status, internal=internal)


FULL = SummaryFacts(
    client="Harbor Grocers",
    vendor="Northwind Cloud",
    term_start=dt.date(2026, 1, 10),
    today=dt.date(2026, 11, 20),
    total_value=Decimal("96000"),
    roi_multiple=Decimal("2.4"),
    payback_months=Decimal("5.04"),
    usage_then=Decimal("1200000"),
    usage_now=Decimal("1500000"),
    users_then=Decimal("23"),
    users_now=Decimal("29"),
    features_used=11,
    features_total=12,
    goals=(
        goal("Weekly users at 30", "achieved"),
        goal("Tickets under 2", "on track"),
        goal("Launch in Spain", "at risk"),
        goal("Renegotiate price", "planned", internal=True),
    ),
    tickets_resolved=14,
    sla_percent=Decimal("96.4"),
    nps=Decimal("45"),
    csat_mean=Decimal("4.55"),
)


def test_a_full_draft_speaks_of_value_adoption_goals_and_support() -> None:
    text = draft_executive_summary(FULL)
    assert text == (
        "Over the past 10 months, Harbor Grocers gained an estimated 96,000 a year in value from "
        "Northwind Cloud — 2.40 times what it pays, paying for itself in 5.0 months. "
        "Logins in the last 30 days grew from 23 to 29; monthly usage grew from 1,200,000 to "
        "1,500,000; the team uses 11 of the 12 features available. "
        "Of the 3 goals we set together, 1 achieved (Weekly users at 30) and 1 on track. "
        "Our support team resolved 14 requests, 96% within the agreed response times; your "
        "team's Net Promoter Score is 45; support is rated 4.6 out of 5. "
        "We look forward to building on this with Harbor Grocers in the next term."
    )


def test_the_portfolio_formats_are_used_for_money_and_numbers() -> None:
    text = draft_executive_summary(
        FULL,
        money=lambda v: f"£{v:,.0f}",
        number=lambda v, places: f"{v:.{places}f}".replace(".", ","),
    )
    assert "£96,000 a year" in text and "2,40 times" in text and "4,6 out of 5" in text


def test_missing_facts_leave_their_sentence_out() -> None:
    assert draft_executive_summary(SummaryFacts(client="Ωmega Systems")) == (
        "We look forward to the next term with Ωmega Systems."
    )
    only_goals = SummaryFacts(client="A", goals=(goal("G", "planned"),))
    assert draft_executive_summary(only_goals).startswith(
        "We set one goal together for this term: G."
    )
    # A value below the price is stated without a multiple; a falling trend is stated plainly.
    low = SummaryFacts(
        client="A",
        vendor="",
        total_value=Decimal(5000),
        roi_multiple=Decimal("0.5"),
        users_then=Decimal(20),
        users_now=Decimal(12),
    )
    text = draft_executive_summary(low)
    assert "5,000 a year in value from us." in text and "times" not in text
    assert "Logins in the last 30 days moved from 20 to 12." in text
    # A weak SLA is left for the CSM to word; the requests resolved are still said.
    weak = SummaryFacts(client="A", tickets_resolved=4, sla_percent=Decimal(50))
    assert draft_executive_summary(weak).startswith("Our support team resolved 4 requests. ")


@given(
    statuses=st.lists(st.sampled_from(GOAL_STATUSES), max_size=6),
    internal=st.lists(st.booleans(), min_size=6, max_size=6),
    value=st.one_of(st.none(), st.decimals(-1e6, 1e7, places=2)),
    multiple=st.one_of(st.none(), st.decimals(0, 20, places=2)),
    nps=st.one_of(st.none(), st.decimals(-100, 100, places=1)),
    users=st.tuples(
        st.one_of(st.none(), st.decimals(0, 500, places=0)),
        st.one_of(st.none(), st.decimals(0, 500, places=0)),
    ),
)
def test_no_draft_contains_an_internal_word(
    statuses: list[str],
    internal: list[bool],
    value: Decimal | None,
    multiple: Decimal | None,
    nps: Decimal | None,
    users: tuple[Decimal | None, Decimal | None],
) -> None:
    goals = tuple(
        goal(f"Goal {i}", status, internal=internal[i]) for i, status in enumerate(statuses)
    )
    facts = SummaryFacts(
        client="Client",
        total_value=value,
        roi_multiple=multiple,
        nps=nps,
        users_then=users[0],
        users_now=users[1],
        goals=goals,
        tickets_resolved=3,
    )
    text = draft_executive_summary(facts).casefold()
    assert not [word for word in INTERNAL_WORDS if word in text]
    assert "no data" not in text and "none" not in text


@pytest.mark.parametrize(
    ("start", "today", "opening"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 20), "So far"),
        (dt.date(2026, 1, 1), dt.date(2026, 2, 20), "Over the past month"),
        (dt.date(2025, 1, 1), dt.date(2026, 1, 20), "Over the past year"),
        (dt.date(2024, 1, 1), dt.date(2026, 1, 20), "Over the past 24 months"),
    ],
)
def test_the_period_is_said_in_words(start: dt.date, today: dt.date, opening: str) -> None:
    facts = SummaryFacts(client="A", term_start=start, today=today, total_value=Decimal(10))
    assert draft_executive_summary(facts).startswith(opening + ", A gained")
