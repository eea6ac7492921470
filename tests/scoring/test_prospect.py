"""Tests for the prospect scorecard and the pilot cohort check (SPEC 2.1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.scoring.prospect import (
    CRITERIA,
    QUALIFY_AT,
    CohortMember,
    Criterion,
    check_cohort,
    score_prospect,
)

KEYS = [c.key for c in CRITERIA]


def card(*values: int | None) -> dict[str, int | None]:
    return dict(zip(KEYS, values, strict=True))


def test_criteria_match_spec() -> None:
    assert [(c.key, c.weight) for c in CRITERIA] == [
        ("strategic_fit", 0.25),
        ("technical_readiness", 0.20),
        ("revenue_potential", 0.20),
        ("reference_value", 0.15),
        ("relationship", 0.10),
        ("conversation_volume", 0.10),
    ]
    assert QUALIFY_AT == 3.50


@pytest.mark.parametrize(
    ("values", "score", "qualified"),
    [
        ((5, 4, 3, 4, 5, 2), 3.95, True),  # the SPEC's worked example
        ((1, 1, 1, 1, 1, 1), 1.0, False),
        ((5, 5, 5, 5, 5, 5), 5.0, True),
        ((4, 3, 3, 4, 3, 3), 3.4, False),
        ((2, 4, 4, 4, 4, 4), 3.5, True),  # exactly on the mark qualifies
        ((4, 4, 3, 3, 3, 3), 3.45, False),
        ((2, 5, 5, 2, 1, 5), 3.4, False),
    ],
)
def test_score_prospect(values: tuple[int, ...], score: float, qualified: bool) -> None:
    result = score_prospect(card(*values))
    assert result.score == score
    assert result.qualified is qualified
    assert result.missing == ()
    assert result.reason is None


def test_integral_floats_are_accepted() -> None:
    assert score_prospect(card(5.0, 4, 3, 4, 5, 2)).score == 3.95  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "missing", "reason"),
    [
        (
            (None, 4, 3, 4, None, 2),
            ("strategic_fit", "relationship"),
            "incomplete: strategic fit, relationship",
        ),
        ((5, 4, 3, 4, 5, None), ("conversation_volume",), "incomplete: conversation volume"),
    ],
)
def test_incomplete_scorecard_has_no_score(
    values: tuple[int | None, ...], missing: tuple[str, ...], reason: str
) -> None:
    result = score_prospect(card(*values))
    assert result.score is None
    assert result.qualified is None
    assert result.missing == missing
    assert result.reason == reason


def test_absent_keys_count_as_missing() -> None:
    result = score_prospect({"strategic_fit": 5})
    assert result.score is None
    assert len(result.missing) == 5


@pytest.mark.parametrize("bad", [0, 6, -1, 3.5, "4", True, float("nan"), float("inf")])
def test_out_of_range_or_non_integer_raises(bad: object) -> None:
    with pytest.raises(ValueError, match="strategic_fit"):
        score_prospect({**card(5, 4, 3, 4, 5, 2), "strategic_fit": bad})  # type: ignore[dict-item]


def test_custom_weights_are_normalised() -> None:
    criteria = (Criterion("a", "A", 2), Criterion("b", "B", 2))
    assert score_prospect({"a": 5, "b": 2}, criteria).score == 3.5


def test_custom_qualify_mark() -> None:
    assert score_prospect(card(5, 4, 3, 4, 5, 2), qualify_at=4.0).qualified is False


@given(st.lists(st.integers(1, 5), min_size=6, max_size=6))
def test_prospect_score_within_scale(values: list[int]) -> None:
    result = score_prospect(card(*values))
    assert result.score is not None
    assert 1.0 <= result.score <= 5.0


def member(i: int, industry: str, segment: str) -> CohortMember:
    return CohortMember(f"Client {i}", industry, segment)


def cohort(small: int, mid: int, ent: int, industries: int = 3) -> list[CohortMember]:
    segments = ["small"] * small + ["mid-market"] * mid + ["enterprise"] * ent
    return [member(i, f"Industry {i % industries}", s) for i, s in enumerate(segments)]


def test_valid_cohort() -> None:
    result = check_cohort(cohort(4, 5, 3))
    assert result.ok
    assert result.unmet == ()
    assert [r.name for r in result.rules] == [
        "size",
        "industries",
        "small",
        "mid-market",
        "enterprise",
    ]
    assert result.rules[0].detail == "12 clients (10–15)"


@pytest.mark.parametrize(
    ("members", "unmet"),
    [
        (cohort(3, 4, 2), ("size",)),  # 9 clients
        (cohort(5, 6, 4, industries=2), ("industries",)),
        (cohort(2, 6, 4), ("small",)),
        (cohort(5, 7, 3), ("mid-market",)),
        (cohort(5, 5, 1), ("enterprise",)),
        (cohort(5, 5, 5), ("enterprise",)),
        (cohort(6, 6, 4), ("size", "small")),
        ([], ("size", "industries", "small", "mid-market", "enterprise")),
    ],
)
def test_cohort_rules_reported_by_name(members: list[CohortMember], unmet: tuple[str, ...]) -> None:
    result = check_cohort(members)
    assert not result.ok
    assert result.unmet == unmet


def test_cohort_folds_segment_and_industry_spelling() -> None:
    members = cohort(4, 5, 3)
    members[4] = CohortMember("x", "industry 0", "Mid Market")
    assert check_cohort(members).ok
    same_industry = [CohortMember(m.name, "Retail ", m.segment) for m in members[:-1]]
    same_industry.append(CohortMember("y", "retail", "enterprise"))
    assert check_cohort(same_industry).unmet == ("industries",)
