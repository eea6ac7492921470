"""A believable demo portfolio: about 70 accounts with two years of history, in one transaction.

Everything is generated from a fixed seed relative to today, so the demo always shows every band,
every lifecycle stage, renewals due in the next 90 days, health drops, prospects and pilots.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.errors import CsdeskError
from csdesk.models import (
    Account,
    Activity,
    ExternalId,
    HealthSnapshot,
    MetricSnapshot,
    PlanRow,
    utcnow,
)
from csdesk.scoring.breakdown import compact_result
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES, DEFAULT_PLANS, fold_name
from csdesk.scoring.health import compute_health
from csdesk.scoring.health_models import default_models
from csdesk.scoring.vocabulary import CHURNED, CUSTOMER_STATUSES, SEGMENTS
from csdesk.services.demo_outcomes import FORMER_CLIENTS, add_demo_past
from csdesk.services.demo_plans import add_brand, add_success_plans
from csdesk.services.demo_records import (
    add_arr_history,
    add_roi_and_people,
    add_scorecards,
    add_support,
)
from csdesk.services.metric_store import rebuild_metric_latest
from csdesk.services.recompute import recompute_accounts
from csdesk.services.trend_base import forget_trend_bases

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
DEMO_ACCOUNTS = len(NAMES) + len(FORMER_CLIENTS)
"""Accounts the demo creates: today's clients and prospects, and the former clients."""
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
    outcomes: int = 0

    def __str__(self) -> str:
        return (
            f"{self.accounts} accounts, {self.snapshots} metric points, "
            f"{self.tickets} tickets, {self.surveys} survey responses, "
            f"{self.outcomes} renewal outcomes"
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
        segment = SEGMENTS[index % 3]
        tier = DEFAULT_PLAN_NAMES[(index + index // 3) % 3]
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
            factor = "0.7" if status == "pilot" else rng.choice(("1.0", "1.0", "1.1", "1.2"))
            arr = list_price * Decimal(factor)
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
    rows[14]["status"] = CHURNED  # a lost logo, for retention figures
    rows[14]["churned_on"] = today - dt.timedelta(days=40)
    rows[9]["renewal_date"] = today - dt.timedelta(days=6)  # an overdue renewal
    for i in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28):  # renewals due within 90 days
        if rows[i]["status"] in CUSTOMER_STATUSES:
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
    session.execute(
        insert(ExternalId),
        [
            {"account_id": ids[r["name"]], "system": "salesforce", "external_id": r["crm_id"]}
            for r in rows
        ],
    )
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
    outcomes = add_demo_past(session, rows, ids, today)
    if snapshot_rows:
        session.execute(insert(HealthSnapshot), snapshot_rows)
    rebuild_metric_latest(session)
    add_arr_history(session, rows, ids, today)
    tickets, surveys = add_support(session, rng, rows, ids, today)
    add_roi_and_people(session, rng, rows, ids)
    add_scorecards(session, rng, rows, ids, today)
    add_success_plans(session, rows, ids, today)
    add_brand(session)
    forget_trend_bases(session)  # the history above is older than any stored range
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
    snapshots = session.scalar(select(func.count()).select_from(MetricSnapshot)) or 0
    return DemoSummary(DEMO_ACCOUNTS, snapshots, tickets, surveys, outcomes)
