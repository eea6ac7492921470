"""Prospects and pilots services: listing, criterion and note edits, cohort, promotion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from services_support import TODAY, insert_account
from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError, StaleEditError, ValidationError
from csdesk.models import Account, Activity, ProspectScorecard
from csdesk.scoring.prospect import CRITERIA
from csdesk.services import pilots, prospects
from csdesk.services.demo import build_demo

KEYS = [c.key for c in CRITERIA]


def _add(
    portfolio: Portfolio,
    name: str,
    *,
    status: str = "prospect",
    segment: str | None = "small",
    industry: str | None = "Retail",
    tier: str | None = "Professional",
    arr: float | None = None,
    scores: tuple[int | None, ...] | None = None,
    in_cohort: bool = False,
) -> int:
    with portfolio.write() as s:
        account_id = insert_account(
            s, name, status=status, segment=segment, industry=industry, tier=tier, arr=arr
        )
        if scores is not None:
            s.add(
                ProspectScorecard(
                    account_id=account_id,
                    in_cohort=in_cohort,
                    **dict(zip(KEYS, scores, strict=True)),
                )
            )
        return account_id


def _timeline(portfolio: Portfolio, account_id: int) -> list[str]:
    with portfolio.read() as s:
        return list(
            s.scalars(
                select(Activity.summary)
                .where(Activity.account_id == account_id)
                .order_by(Activity.id)
            )
        )


def _row(portfolio: Portfolio, account_id: int) -> prospects.ProspectRow:
    return next(r for r in prospects.list_prospects(portfolio) if r.account_id == account_id)


def test_list_scores_sorts_best_first_and_leaves_out_customers(portfolio: Portfolio):
    low = _add(portfolio, "Low", scores=(2, 2, 2, 2, 2, 2))
    spec = _add(portfolio, "Spec example", scores=(5, 4, 3, 4, 5, 2))
    partial = _add(portfolio, "Partial", scores=(5, 5, None, 5, None, 5))
    bare = _add(portfolio, "No card")
    _add(portfolio, "Customer", status="active", scores=(5, 5, 5, 5, 5, 5))
    rows = prospects.list_prospects(portfolio)
    assert [r.account_id for r in rows[:2]] == [spec, low]
    assert {r.account_id for r in rows[2:]} == {partial, bare}
    top = rows[0]
    assert (top.result.score, top.result.qualified) == (3.95, True)
    assert (rows[1].result.score, rows[1].result.qualified) == (2.0, False)
    part = _row(portfolio, partial)
    assert part.result.score is None
    assert part.result.reason == "incomplete: revenue potential, relationship"
    assert _row(portfolio, bare).scores == (None,) * 6


@pytest.mark.parametrize(
    ("start", "value", "score", "qualified"),
    [
        ((5, 4, 3, 4, 5, 2), 1, 2.95, False),  # strategic fit 5 → 1 loses 4 × 0.25
        ((3, 3, 3, 3, 3, 3), 5, 3.50, True),  # 3.50 exactly qualifies
        ((5, 4, 3, 4, 5, None), None, None, None),
    ],
)
def test_set_criterion_rescores_logs_and_undoes(
    portfolio: Portfolio, start: tuple[Any, ...], value: int | None, score: Any, qualified: Any
):
    account_id = _add(portfolio, "Acme", scores=start)
    result = prospects.set_criterion(portfolio, account_id, "strategic_fit", value)
    assert result.changed and result.old == start[0]
    assert result.changes.prospects and account_id in result.changes.account_ids
    row = _row(portfolio, account_id)
    assert (row.result.score, row.result.qualified) == (score, qualified)
    with portfolio.read() as s:
        assert s.get(ProspectScorecard, account_id).score == score
    assert _timeline(portfolio, account_id)[-1] == (
        f"Scorecard strategic fit: {start[0]} → {value if value is not None else '(empty)'}"
    )
    prospects.set_criterion(portfolio, account_id, "strategic_fit", result.old)
    assert _row(portfolio, account_id).scores == start


def test_a_scorecard_undo_never_overwrites_what_changed_since(portfolio: Portfolio):
    account_id = _add(portfolio, "Acme", scores=(3, 3, 3, 3, 3, 3))
    edit = prospects.set_criterion(portfolio, account_id, "strategic_fit", 4)
    assert edit.new == 4
    prospects.set_criterion(portfolio, account_id, "strategic_fit", 5)  # an import, say
    with pytest.raises(StaleEditError, match="changed since this edit"):
        prospects.set_criterion(portfolio, account_id, "strategic_fit", edit.old, expect=edit.new)
    assert _row(portfolio, account_id).scores[0] == 5
    note = prospects.set_criterion_note(portfolio, account_id, "strategic_fit", "fits")
    prospects.set_criterion_note(portfolio, account_id, "strategic_fit", "fits well")
    with pytest.raises(StaleEditError):
        prospects.set_criterion_note(
            portfolio, account_id, "strategic_fit", note.old, expect=note.new
        )


def test_set_criterion_creates_a_scorecard_and_reports_no_change(portfolio: Portfolio):
    account_id = _add(portfolio, "Bare")
    result = prospects.set_criterion(portfolio, account_id, "relationship", 4)
    assert result.old is None
    assert _row(portfolio, account_id).score_of("relationship") == 4
    again = prospects.set_criterion(portfolio, account_id, "relationship", 4)
    assert not again.changed
    assert len(_timeline(portfolio, account_id)) == 1


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("strategic_fit", 6, "Strategic fit: score must be a whole number 1–5, got 6"),
        ("strategic_fit", 0, "got 0"),
        ("relationship", True, "got True"),
        ("charm", 3, "unknown scorecard criterion 'charm'"),
    ],
)
def test_set_criterion_rejects_bad_values(portfolio: Portfolio, key: str, value: Any, message: str):
    account_id = _add(portfolio, "Acme", scores=(3, 3, 3, 3, 3, 3))
    with pytest.raises(ValidationError, match=message):
        prospects.set_criterion(portfolio, account_id, key, value)
    assert _row(portfolio, account_id).scores == (3,) * 6


def test_unknown_account_is_not_found(portfolio: Portfolio):
    with pytest.raises(NotFoundError):
        prospects.set_criterion(portfolio, 999, "relationship", 3)


def test_note_edit_strips_clears_and_returns_the_old_note(portfolio: Portfolio):
    account_id = _add(portfolio, "Acme", scores=(3, 3, 3, 3, 3, 3))
    first = prospects.set_criterion_note(portfolio, account_id, "reference_value", "  Big logo ")
    assert first.old is None
    assert _row(portfolio, account_id).note_of("reference_value") == "Big logo"
    cleared = prospects.set_criterion_note(portfolio, account_id, "reference_value", "   ")
    assert cleared.old == "Big logo"
    assert _row(portfolio, account_id).note_of("reference_value") is None
    assert _timeline(portfolio, account_id) == [
        "Scorecard note on reference value edited",
        "Scorecard note on reference value cleared",
    ]


def test_cohort_membership_and_rules(portfolio: Portfolio):
    segments = ["small"] * 3 + ["mid-market"] * 4 + ["enterprise"] * 2 + [None]
    industries = ["Retail", "Health", "Logistics", "Retail", "Health"] * 2
    ids = [
        _add(portfolio, f"P{i}", segment=seg, industry=ind, scores=(3,) * 6)
        for i, (seg, ind) in enumerate(zip(segments, industries, strict=True))
    ]
    check = prospects.check_members(prospects.list_prospects(portfolio))
    assert check.unmet == ("size", "industries", "small", "mid-market", "enterprise")
    result = prospects.set_cohort(portfolio, dict.fromkeys(ids, True))
    assert result.old == dict.fromkeys(ids, False)
    check = prospects.check_members(prospects.list_prospects(portfolio))
    assert check.ok, check.rules
    assert check.rules[0].detail == "10 clients (10–15)"
    prospects.set_cohort(portfolio, {ids[0]: False})
    check = prospects.check_members(prospects.list_prospects(portfolio))
    assert check.unmet == ("size", "small")
    assert not prospects.set_cohort(portfolio, {ids[1]: True}).changed
    assert _timeline(portfolio, ids[0]) == [
        "Added to the pilot cohort",
        "Removed from the pilot cohort",
    ]


@pytest.mark.parametrize(
    ("tier", "arr", "discount", "start", "expected_arr", "renewal"),
    [
        ("Professional", None, 0.30, dt.date(2026, 7, 1), 21000.0, dt.date(2027, 1, 1)),
        ("Starter", None, 0.25, dt.date(2026, 8, 31), 15000.0, dt.date(2027, 2, 28)),
        ("Enterprise", 12000.0, 0.30, dt.date(2026, 6, 15), 12000.0, dt.date(2026, 12, 15)),
        (None, None, 0.30, dt.date(2026, 6, 15), None, dt.date(2026, 12, 15)),
    ],
)
def test_promote_to_pilot_and_undo(
    portfolio: Portfolio,
    tier: str | None,
    arr: float | None,
    discount: float,
    start: dt.date,
    expected_arr: float | None,
    renewal: dt.date,
):
    account_id = _add(portfolio, "Acme", tier=tier, arr=arr, scores=(4,) * 6)
    result = pilots.promote_to_pilot(portfolio, account_id, start=start, discount=discount)
    assert result.changes.accounts and result.changes.prospects
    with portfolio.read() as s:
        acc = s.get(Account, account_id)
        assert (acc.status, acc.pilot_discount, acc.contract_start) == ("pilot", discount, start)
        assert (acc.arr, acc.renewal_date) == (expected_arr, renewal)
        assert s.get(ProspectScorecard, account_id).pilot_start == start
    assert _timeline(portfolio, account_id)[-1].startswith(
        f"Promoted to pilot: {discount:.0%} discount, starts {start.isoformat()}"
    )
    pilots.restore_promotion(portfolio, account_id, result.old)
    with portfolio.read() as s:
        acc = s.get(Account, account_id)
        assert (acc.status, acc.arr, acc.contract_start, acc.renewal_date) == (
            "prospect",
            arr,
            None,
            None,
        )
        assert s.get(ProspectScorecard, account_id).pilot_start is None


def test_promote_refuses_non_prospects_and_bad_discounts(portfolio: Portfolio):
    pilot = _add(portfolio, "Already", status="pilot")
    with pytest.raises(ValidationError, match="Already is pilot, not a prospect"):
        pilots.promote_to_pilot(portfolio, pilot, start=TODAY)
    prospect = _add(portfolio, "Fresh")
    for bad in (1.0, -0.1):
        with pytest.raises(ValidationError, match="pilot discount must be from 0"):
            pilots.promote_to_pilot(portfolio, prospect, start=TODAY, discount=bad)
    with portfolio.read() as s:
        assert s.get(Account, prospect).status == "prospect"


def test_undo_of_a_promotion_without_a_scorecard_removes_the_one_it_made(portfolio: Portfolio):
    account_id = _add(portfolio, "Bare")
    result = pilots.promote_to_pilot(portfolio, account_id, start=TODAY)
    pilots.restore_promotion(portfolio, account_id, result.old)
    with portfolio.read() as s:
        assert s.get(ProspectScorecard, account_id) is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), 6, dt.date(2027, 6, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: dt.date, months: int, expected: dt.date):
    assert pilots.add_months(day, months) == expected


def test_demo_lists_its_prospects_and_pilots(portfolio: Portfolio):
    build_demo(portfolio, today=TODAY)
    rows = prospects.list_prospects(portfolio)
    with portfolio.read() as s:
        statuses = list(s.scalars(select(Account.status)))
    assert len(rows) == statuses.count("prospect") + statuses.count("pilot")
    scored = [r.result.score for r in rows if r.result.score is not None]
    assert scored == sorted(scored, reverse=True)
    assert any(r.result.reason and r.result.reason.startswith("incomplete") for r in rows)
    assert all(r.in_cohort for r in rows if r.status == "pilot")


def test_pilot_terms_preview_what_promotion_sets(portfolio: Portfolio):
    account_id = _add(portfolio, "Acme", tier="Enterprise")
    terms = pilots.pilot_terms(portfolio, account_id, start=TODAY, discount=0.2)
    assert (terms.list_price, terms.arr, terms.arr_recorded) == (50000.0, 40000.0, False)
    assert terms.renewal_date == dt.date(2026, 12, 15)
    pilots.promote_to_pilot(portfolio, account_id, start=TODAY, discount=0.2)
    with portfolio.read() as s:
        acc = s.get(Account, account_id)
        assert (acc.arr, acc.renewal_date) == (terms.arr, terms.renewal_date)
    with pytest.raises(ValidationError):
        pilots.pilot_terms(portfolio, account_id, start=TODAY, discount=1.5)
