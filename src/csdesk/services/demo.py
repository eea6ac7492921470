"""A believable demo portfolio: about 60 accounts with a year of history, built in one transaction.

Everything is generated from a fixed seed relative to today, so the demo always shows every band,
every lifecycle stage, renewals due in the next 90 days, health drops, prospects and pilots.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.errors import CsdeskError
from csdesk.models import (
    Account,
    Activity,
    ArrEvent,
    Contact,
    HealthSnapshot,
    MetricSnapshot,
    MetricTarget,
    PlanRow,
    ProspectScorecard,
    RoiInput,
    RoiLine,
    SurveyResponse,
    Ticket,
    utcnow,
)
from csdesk.scoring.breakdown import compact_result
from csdesk.scoring.catalog import DEFAULT_PLANS, fold_name
from csdesk.scoring.health import compute_health
from csdesk.scoring.health_models import default_models
from csdesk.scoring.prospect import CRITERIA, score_prospect
from csdesk.services.metric_store import rebuild_metric_latest
from csdesk.services.recompute import recompute_accounts

SEED = 20261122
OWNERS = ("Jordan Reyes", "Priya Natarajan", "Sam Okafor", "Lena Hoffmann")
INDUSTRIES = ("FoodTech", "Logistics", "Retail", "SaaS", "Wellness", "FinTech", "HealthTech")
COUNTRIES = ("United States", "Canada", "Germany", "France", "United Kingdom", "Norway", "Spain")
NAMES = (
    "Harbor Grocers",
    "Lumen Parcel",
    "Cedar SaaS Inc.",
    "Velo Couriers",
    "Bistro Box",
    "Quartz Analytics",
    "Pine & Co Retail",
    "Orbit Freight",
    "Saffron Kitchens",
    "Nimbus Helpdesk",
    "Tidewater Foods",
    "Kestrel Logistics",
    "Brio Commerce",
    "Atlas Wellness",
    "Zephyr Transit",
    "Copper Spoon",
    "Vantage CRM",
    "Île de Saveurs",
    "Sørlandet Shipping",
    "Müller & Søn",
    "Ωmega Systems",
    "AT&T <Retail>",
    "Northwind Traders",
    "Bluebird Clinics",
    "Granite Pay",
    "Juniper Health",
    "Marigold Markets",
    "Ironclad Ledger",
    "Solstice Yoga",
    "Beacon Freight",
    "Fjord Fintech",
    "Tandem Retail",
    "Larkspur Meals",
    "Halcyon Spa",
    "Keystone Cargo",
    "Mosaic Apparel",
    "Pioneer Payroll",
    "Riverbend Pharmacy",
    "Summit Ledger",
    "Tesselate Labs",
    "Umbra Security",
    "Verdant Farms",
    "Willow Care",
    "Xeno Robotics",
    "Yellowfin Fisheries",
    "Zenith Bank",
    "Alder Outfitters",
    "Basil & Thyme",
    "Cobalt Couriers",
    "Driftwood Hotels",
    "Ember Coffee",
    "Foxglove Florals",
    "Glacier Water Co",
    "Hearth Bakery",
    "Indigo Insurance",
    "Jasper Dental",
    "Kiln Ceramics",
    "Lighthouse Legal",
    "Meridian Health",
    "Nova Learning",
)
PROFILES = {  # usage ratio, logins, open tickets, payments current, adoption ratio
    "excellent": (0.95, 29, 0, 1, 0.95),
    "good": (0.78, 23, 2, 1, 0.72),
    "at_risk": (0.52, 15, 4, 1, 0.5),
    "critical": (0.25, 6, 7, 0, 0.3),
}


@dataclass(frozen=True)
class DemoSummary:
    """Counts of what the demo created."""

    accounts: int
    snapshots: int
    tickets: int
    surveys: int

    def __str__(self) -> str:
        return (
            f"{self.accounts} accounts, {self.snapshots} metric points, "
            f"{self.tickets} tickets, {self.surveys} survey responses"
        )


def _plan(tier: str) -> Any:
    return next(p for p in DEFAULT_PLANS if p.name == tier)


def _account_rows(rng: random.Random, today: dt.date) -> list[dict[str, Any]]:
    """Accounts with status, tier, dates and a target health profile."""
    profiles = ["excellent"] * 12 + ["good"] * 16 + ["at_risk"] * 10 + ["critical"] * 6
    rng.shuffle(profiles)
    # Start offsets (days ago) that land in every lifecycle stage; negative = starts later.
    starts = [12, 25, 45, 70, 85, 120, 150, 170, 200, 260, 300, 380, 420, 450, 500, 540, 600, -14]
    rows: list[dict[str, Any]] = []
    for index, name in enumerate(NAMES):
        segment = ("small", "mid-market", "enterprise")[index % 3]
        tier = ("Starter", "Professional", "Enterprise")[(index + index // 3) % 3]
        row: dict[str, Any] = {
            "crm_id": f"0016g00000Dm{index:03d}AAR"[:18],
            "name": name,
            "name_key": fold_name(name),
            "industry": INDUSTRIES[index % len(INDUSTRIES)],
            "segment": segment,
            "country": COUNTRIES[(index * 3) % len(COUNTRIES)],
            "owner": OWNERS[(index + index // 4) % len(OWNERS)],
            "tier": tier,
            "company_revenue": float(rng.randrange(20, 2000) * 1_000_000),
            "annual_prepay": index % 4 == 0,
        }
        if index >= 48:  # prospects with scorecards, no contract yet
            row.update(status="prospect", arr=None, profile=None)
        else:
            status = "pilot" if index % 8 == 3 else "active"
            pilot_starts = (12, 45, 85, 120, 150, -14)
            offset = pilot_starts[index // 8] if status == "pilot" else starts[index % len(starts)]
            start = today - dt.timedelta(days=offset)
            list_price = _plan(tier).list_price
            arr = list_price * (0.7 if status == "pilot" else rng.choice((1.0, 1.0, 1.1, 1.2)))
            renewal = start + dt.timedelta(days=182 if status == "pilot" else 365)
            while renewal < today - dt.timedelta(days=20):
                renewal += dt.timedelta(days=365)
            row.update(
                status=status,
                arr=round(arr, -2),
                contract_start=start,
                renewal_date=renewal,
                pilot_discount=0.30 if status == "pilot" else None,
                profile=profiles[index % len(profiles)],
            )
        rows.append(row)
    rows[14]["status"] = "churned"  # a lost logo, for retention figures
    rows[9]["renewal_date"] = today - dt.timedelta(days=6)  # an overdue renewal
    for i in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28):  # renewals due within 90 days
        if rows[i]["status"] in ("active", "pilot"):
            rows[i]["renewal_date"] = today + dt.timedelta(days=8 + (i * 7) % 80)
    return rows


def _metrics(
    rng: random.Random, account: dict[str, Any], today: dt.date, drop: bool
) -> list[tuple[dt.date, str, float]]:
    """Thirteen monthly points per metric, drifting towards the account's profile."""
    profile = PROFILES[account["profile"]]
    tier = account["tier"]
    limit = _plan(tier).included_volume
    start_profile = PROFILES["good"] if account["profile"] != "good" else PROFILES["excellent"]
    points: list[tuple[dt.date, str, float]] = []
    for k in range(12, -1, -1):
        as_of = today - dt.timedelta(days=30 * k + 1)
        if as_of < account["contract_start"]:
            continue
        w = (12 - k) / 12
        blend = [a * (1 - w) + b * w for a, b in zip(start_profile, profile, strict=True)]
        if drop and k == 0:
            blend = list(PROFILES["critical"])
        elif drop and k == 1:
            as_of = today - dt.timedelta(days=5)
            blend = list(PROFILES["excellent"])
        noise = rng.uniform(0.95, 1.05)
        volume = limit or 2_000_000
        values = {
            "usage": round(volume * min(1.05, blend[0] * noise)),
            "logins_30d": round(min(30, blend[1] * noise)),
            "open_tickets": round(max(0, blend[2] + rng.choice((-1, 0, 0, 1)))),
            "payments_current": 1.0 if blend[3] >= 0.5 else 0.0,
            "features_used": round(12 * min(1.0, blend[4] * noise)),
            "features_total": 12.0,
            "qa_hours_saved_per_month": round(40 + 100 * blend[0] * noise),
            "precision": round(min(0.99, 0.7 + 0.25 * blend[0] * noise), 3),
            "uptime_pct": round(min(100.0, 99.0 + 0.95 * blend[4]), 2),
            "latency_p95_ms": round(420 - 200 * blend[0] * noise),
        }
        if limit:
            values["usage_limit"] = float(limit)
        points.extend((as_of, key, float(value)) for key, value in values.items())
    return points


def build_demo(portfolio: Portfolio, *, today: dt.date | None = None) -> DemoSummary:
    """Fill an empty portfolio with the demo (one transaction).

    Raises:
        CsdeskError: the portfolio already has accounts.
    """
    today = today or dt.date.today()
    rng = random.Random(SEED)
    with portfolio.write() as session:
        if session.scalar(select(func.count(Account.id))):
            raise CsdeskError(
                f"{portfolio.display_name} is not empty; the demo goes into a new portfolio"
            )
        return _fill(session, rng, today)


def _fill(session: Session, rng: random.Random, today: dt.date) -> DemoSummary:
    if not session.scalar(select(func.count()).select_from(PlanRow)):
        session.execute(
            insert(PlanRow),
            [
                {
                    "name": p.name,
                    "position": i,
                    "list_price": p.list_price,
                    "included_volume": p.included_volume,
                }
                for i, p in enumerate(DEFAULT_PLANS)
            ],
        )
    rows = _account_rows(rng, today)
    for row in rows:
        session.execute(insert(Account).values({k: v for k, v in row.items() if k != "profile"}))
    ids = {name: id_ for name, id_ in session.execute(select(Account.name, Account.id))}
    model = default_models()["subscription"]
    metric_rows: list[dict[str, Any]] = []
    snapshot_rows: list[dict[str, Any]] = []
    drops = {"Orbit Freight", "Brio Commerce", "Juniper Health"}
    for row in rows:
        account_id = ids[row["name"]]
        if row["profile"] is None:
            continue
        points = _metrics(rng, row, today, row["name"] in drops)
        metric_rows += [
            {"account_id": account_id, "as_of": d, "metric": m, "value": v} for d, m, v in points
        ]
        last_score: float | None = None
        for as_of in sorted({d for d, _, _ in points})[
            :-1
        ]:  # history; today's comes from recompute
            health = compute_health(model, {m: v for d, m, v in points if d == as_of})
            if health.score is not None and health.score != last_score:
                last_score = health.score
                snapshot_rows.append(
                    {
                        "account_id": account_id,
                        "as_of": as_of,
                        "score": health.score,
                        "band": health.band.value if health.band else None,
                        "model_name": model.name,
                        "model_version": model.version,
                        "breakdown": compact_result(health),
                        "source": "computed",
                    }
                )
                session.execute(
                    update(Account)
                    .where(Account.id == account_id)
                    .values(
                        health_computed_score=health.score,
                        health_score=health.score,
                        health_band=health.band.value if health.band else None,
                    )
                )
    session.execute(insert(MetricSnapshot), metric_rows)
    if snapshot_rows:
        session.execute(insert(HealthSnapshot), snapshot_rows)
    rebuild_metric_latest(session)
    _arr_history(session, rows, ids, today)
    tickets, surveys = _support(session, rng, rows, ids, today)
    _roi_and_people(session, rng, rows, ids)
    _scorecards(session, rng, rows, ids, today)
    recompute_accounts(session, today=today)
    session.execute(
        insert(Activity).values(
            account_id=None,
            actor=current_user(),
            kind="import",
            at=utcnow(),
            summary=f"Demo portfolio created: {len(rows)} accounts",
        )
    )
    return DemoSummary(len(rows), len(metric_rows), tickets, surveys)


def _arr_history(
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
            "old_arr": round(row["arr"] * factor, -2),
            "new_arr": row["arr"],
            "changed_at": dt.datetime.combine(today - dt.timedelta(days=40 + 30 * i), dt.time(10)),
        }
        for i, (row, factor) in enumerate(zip(cohort, factors, strict=False))
    ]
    if events:
        session.execute(insert(ArrEvent), events)


def _support(
    session: Session,
    rng: random.Random,
    rows: list[dict[str, Any]],
    ids: dict[str, int],
    today: dt.date,
) -> tuple[int, int]:
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
            priority = rng.choice(("P0", "P1", "P1", "P2", "P2", "P2"))
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


def _roi_and_people(
    session: Session, rng: random.Random, rows: list[dict[str, Any]], ids: dict[str, int]
) -> None:
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
                "metric": "logins_30d",
                "target": 20.0,
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


def _scorecards(
    session: Session,
    rng: random.Random,
    rows: list[dict[str, Any]],
    ids: dict[str, int],
    today: dt.date,
) -> None:
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
