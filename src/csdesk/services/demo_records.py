"""The demo portfolio's supporting rows: ARR history, tickets, surveys, people, ROI, scorecards."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from csdesk.models import (
    ArrEvent,
    Contact,
    MetricTarget,
    ProspectScorecard,
    RoiInput,
    RoiLine,
    SurveyResponse,
    Ticket,
)
from csdesk.scoring.prospect import CRITERIA, score_prospect
from csdesk.scoring.rounding import to_decimal
from csdesk.scoring.vocabulary import PRIORITIES

__all__ = ["add_arr_history", "add_roi_and_people", "add_scorecards", "add_support"]

P0, P1, P2 = PRIORITIES


def add_arr_history(
    session: Session, rows: list[dict[str, Any]], ids: dict[str, int], today: dt.date
) -> None:
    """Upsells and downgrades during the last year, so retention figures have something to show."""
    year_ago = today - dt.timedelta(days=365)
    cohort = [
        r
        for r in rows
        if r["status"] == "active" and r.get("contract_start") and r["contract_start"] <= year_ago
    ]
    factors = (0.8, 0.75, 0.9, 0.8, 1.2, 1.1)  # old ARR as a share of today's: 4 up, 2 down
    events = [
        {
            "account_id": ids[row["name"]],
            "old_arr": round(row["arr"] * to_decimal(factor), -2),
            "new_arr": row["arr"],
            "changed_at": dt.datetime.combine(today - dt.timedelta(days=40 + 30 * i), dt.time(10)),
        }
        for i, (row, factor) in enumerate(zip(cohort, factors, strict=False))
    ]
    if events:
        session.execute(insert(ArrEvent), events)


def add_support(
    session: Session,
    rng: random.Random,
    rows: list[dict[str, Any]],
    ids: dict[str, int],
    today: dt.date,
) -> tuple[int, int]:
    """Tickets and survey responses of the scored accounts; returns how many of each."""
    tickets: list[dict[str, Any]] = []
    surveys: list[dict[str, Any]] = []
    nps_by_profile = {"excellent": (9, 10), "good": (7, 9), "at_risk": (5, 8), "critical": (2, 6)}
    for row in rows:
        profile = row["profile"]
        if profile is None:
            continue
        account_id = ids[row["name"]]
        for _ in range(rng.randint(1, 6)):
            opened = dt.datetime.combine(today, dt.time(9)) - dt.timedelta(
                days=rng.randint(0, 120), hours=rng.randint(0, 8)
            )
            priority = rng.choice((P0, P1, P1, P2, P2, P2))
            response = dt.timedelta(minutes=rng.choice((20, 45, 90, 180, 300, 1500)))
            resolved = opened + response + dt.timedelta(hours=rng.choice((2, 3, 10, 20, 30, 72)))
            still_open = resolved > dt.datetime.combine(today, dt.time(9)) or rng.random() < 0.2
            tickets.append(
                {
                    "account_id": account_id,
                    "external_id": f"DM-{len(tickets) + 4000}",
                    "subject": rng.choice(
                        (
                            "Import fails on large file",
                            "SSO login loop",
                            "Dashboard slow",
                            "Invoice question",
                            "API rate limit",
                        )
                    ),
                    "priority": priority,
                    "status": "open" if still_open else "solved",
                    "opened_at": opened,
                    "first_response_at": opened + response,
                    "resolved_at": None if still_open else resolved,
                }
            )
        low, high = nps_by_profile[profile]
        for _ in range(rng.randint(1, 4)):
            surveys.append(
                {
                    "account_id": account_id,
                    "external_id": f"DM-R{len(surveys):04d}",
                    "responded_on": today - dt.timedelta(days=rng.randint(3, 170)),
                    "respondent": f"user{len(surveys)}@example.com",
                    "nps": rng.randint(low, high),
                    "csat": min(5, max(1, (low + high) // 4 + rng.choice((0, 1)))),
                    "comment": rng.choice(
                        (
                            "",
                            "Great support team",
                            "Too slow at month end",
                            "Saves our QA team hours",
                            "Pricing is high",
                        )
                    ),
                }
            )
    session.execute(insert(Ticket), tickets)
    session.execute(insert(SurveyResponse), surveys)
    return len(tickets), len(surveys)


def add_roi_and_people(
    session: Session, rng: random.Random, rows: list[dict[str, Any]], ids: dict[str, int]
) -> None:
    """Contacts of every account; ROI inputs, extra ROI lines and metric targets of most."""
    roi: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    first = ("Alex", "Maria", "Chen", "Fatima", "Tom", "Ingrid", "Ravi", "Chloé", "Jonas", "Aiko")
    last = ("Martin", "Garcia", "Wong", "Haddad", "Smith", "Berg", "Patel", "Dubois", "Weber")
    for index, row in enumerate(rows):
        account_id = ids[row["name"]]
        for n in range(rng.randint(1, 3)):
            person = f"{rng.choice(first)} {rng.choice(last)}"
            contacts.append(
                {
                    "account_id": account_id,
                    "name": person,
                    "email": person.lower().replace(" ", ".").replace("é", "e") + "@example.com",
                    "role": ("VP Customer Experience", "QA Lead", "Head of Support")[n],
                    "executive_sponsor": n == 0,
                }
            )
        if row["profile"] is None or index % 11 == 10:  # a few active accounts lack ROI inputs
            continue
        roi.append(
            {
                "account_id": account_id,
                "hourly_rate": float(rng.choice((45, 60, 75))),
                "incidents_avoided_per_year": float(rng.randint(5, 40)),
                "cost_per_incident": float(rng.choice((500, 1200, 2500))),
                "revenue_protected": float(rng.choice((0, 10000, 25000, 60000))) or None,
            }
        )
        if index % 3 == 0:
            lines.append(
                {
                    "account_id": account_id,
                    "position": 0,
                    "label": "Agent onboarding time saved",
                    "amount": 8000.0,
                }
            )
        targets += [
            {
                "account_id": account_id,
                "metric": "qa_hours_saved_per_month",
                "target": 80.0,
                "higher_is_better": True,
            },
            {
                "account_id": account_id,
                "metric": "precision",
                "target": 0.8,
                "higher_is_better": True,
            },
            {
                "account_id": account_id,
                "metric": "latency_p95_ms",
                "target": 300.0,
                "higher_is_better": False,
            },
        ]
    session.execute(insert(Contact), contacts)
    session.execute(insert(RoiInput), roi)
    if lines:
        session.execute(insert(RoiLine), lines)
    session.execute(insert(MetricTarget), targets)


def add_scorecards(
    session: Session,
    rng: random.Random,
    rows: list[dict[str, Any]],
    ids: dict[str, int],
    today: dt.date,
) -> None:
    """Pilot-selection scorecards of the prospects and pilots (a few left incomplete)."""
    cards: list[dict[str, Any]] = []
    notes = {
        "strategic_fit": "Core industry for the pilot",
        "technical_readiness": "Has an API team; SSO in place",
        "revenue_potential": "Could grow to Enterprise",
        "reference_value": "Well-known brand in the region",
        "relationship": "Warm intro via partner",
        "conversation_volume": "About 40k conversations a month",
    }
    for index, row in enumerate(rows):
        if row["status"] not in ("prospect", "pilot"):
            continue
        scores: dict[str, int | None] = {c.key: rng.randint(2, 5) for c in CRITERIA}
        if index % 7 == 0 and row["status"] == "prospect":
            scores["relationship"] = None  # an incomplete scorecard
        card: dict[str, Any] = {"account_id": ids[row["name"]], **scores}
        card.update({f"{k}_note": v for k, v in notes.items() if rng.random() < 0.5})
        card["score"] = score_prospect(scores).score
        if row["status"] == "pilot":
            card["pilot_start"] = row.get("contract_start")
            card["in_cohort"] = True
        cards.append(card)
    session.execute(insert(ProspectScorecard), cards)
