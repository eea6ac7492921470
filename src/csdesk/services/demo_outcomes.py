"""The demo's past: a second year of metric history, former clients, and renewal outcomes.

So the Health model page shows a real picture on first launch: clients who renewed at their
past anniversaries, former clients whose usage and logins fell before they left (and one who
left while looking healthy, as happens), each with two years of monthly metrics. Drawn from an
RNG of its own, so the rest of the demo — and every current score — is the same with or without
this history.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from csdesk.models import Account, MetricSnapshot, RenewalOutcome
from csdesk.scoring.catalog import DEFAULT_PLANS, fold_name
from csdesk.scoring.renewal import renews
from csdesk.scoring.vocabulary import CHURNED, SEGMENTS

__all__ = ["FORMER_CLIENTS", "add_demo_past"]

PAST_SEED = 20261204
FORMER_CLIENTS = (  # name, tier, months a client, months since they left, fell before leaving
    ("Beacon Rentals", "Starter", 26, 3, True),
    ("Copperline Media", "Professional", 25, 6, True),
    ("Driftwell Resorts", "Professional", 27, 8, True),
    ("Fjord Analytics", "Enterprise", 25, 11, False),
    ("Granite Works", "Starter", 26, 14, True),
    ("Larkspur Clinics", "Enterprise", 28, 17, True),
)
_HEALTHY = (0.9, 27, 1, 1.0, 0.85)  # usage share, logins, open tickets, paid, adoption
_FALLING = (0.22, 5, 6, 0.0, 0.25)


def _point(rng: random.Random, mix: tuple[float, ...], limit: int | None) -> dict[str, float]:
    noise = rng.uniform(0.93, 1.07)
    volume = limit or 2_000_000
    values = {
        "usage": float(round(volume * min(1.05, mix[0] * noise))),
        "logins_30d": float(round(min(30, mix[1] * noise))),
        "open_tickets": float(max(0, round(mix[2] + rng.choice((-1, 0, 0, 1))))),
        "payments_current": 1.0 if mix[3] >= 0.5 else 0.0,
        "features_used": float(round(12 * min(1.0, mix[4] * noise))),
        "features_total": 12.0,
    }
    if limit:
        values["usage_limit"] = float(limit)
    return values


def _blend(a: tuple[float, ...], b: tuple[float, ...], w: float) -> tuple[float, ...]:
    return tuple(x * (1 - w) + y * w for x, y in zip(a, b, strict=True))


def _limit(tier: str) -> int | None:
    volume = next(p.included_volume for p in DEFAULT_PLANS if p.name == tier)
    return None if volume is None else int(volume)


def _list_price(tier: str) -> float:
    return float(next(p.list_price for p in DEFAULT_PLANS if p.name == tier))


def _older_history(
    rng: random.Random, row: dict[str, Any], account_id: int, today: dt.date
) -> list[dict[str, Any]]:
    """Months 13–24 before today for a client whose contract began that long ago."""
    points = []
    for k in range(24, 12, -1):
        as_of = today - dt.timedelta(days=30 * k + 1)
        if as_of < row["contract_start"]:
            continue
        mix = _blend(_HEALTHY, (0.78, 23, 2, 1.0, 0.72), rng.random())
        for metric, value in _point(rng, mix, _limit(row["tier"])).items():
            points.append(
                {"account_id": account_id, "as_of": as_of, "metric": metric, "value": value}
            )
    return points


def _former_client(
    rng: random.Random, index: int, spec: tuple[str, str, int, int, bool], today: dt.date
) -> tuple[dict[str, Any], list[tuple[dt.date, dict[str, float]]], dt.date, list[dt.date]]:
    name, tier, months, gone, fell = spec
    left = today - dt.timedelta(days=30 * gone + 3)
    start = left - dt.timedelta(days=30 * months)
    arr = round(_list_price(tier) * rng.choice((1.0, 1.0, 1.1)), -2)
    account = {
        "crm_id": f"0016g00000Dx{index:03d}AAR"[:18],
        "name": name,
        "name_key": fold_name(name),
        "industry": ("Hospitality", "Media", "FoodTech", "Legal", "SaaS")[index % 5],
        "segment": SEGMENTS[index % len(SEGMENTS)],
        "country": ("United States", "Canada", "United Kingdom", "Germany")[index % 4],
        "owner": ("Jordan Reyes", "Priya Natarajan", "Sam Okafor", "Lena Hoffmann")[index % 4],
        "status": CHURNED,
        "tier": tier,
        "arr": arr,
        "contract_start": start,
        "renewal_date": left,
        "churned_on": left,
        "annual_prepay": False,
    }
    series = []
    for k in range(min(24, months), -1, -1):
        as_of = left - dt.timedelta(days=30 * k + 1)
        # The last half-year before leaving: usage, logins and payment fall for most.
        w = max(0.0, (6 - k) / 6) if fell else 0.0
        series.append((as_of, _point(rng, _blend(_HEALTHY, _FALLING, w), _limit(tier))))
    renewals = []
    anniversary = start + dt.timedelta(days=365)
    while anniversary < left:
        renewals.append(anniversary)
        anniversary += dt.timedelta(days=365)
    return account, series, left, renewals


def add_demo_past(
    session: Session, rows: list[dict[str, Any]], ids: dict[str, int], today: dt.date
) -> int:
    """Write the second year of history, the former clients and every past outcome.

    Args:
        session: The demo's write session.
        rows: The demo's account rows (with ``contract_start``, ``status`` …).
        ids: Account id by name.
        today: The demo's today.

    Returns:
        The number of outcomes recorded.
    """
    rng = random.Random(PAST_SEED)
    snapshots: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    for row in rows:
        start = row.get("contract_start")
        if start is None or row["name"] not in ids:
            continue
        account_id = ids[row["name"]]
        snapshots += _older_history(rng, row, account_id, today)
        left = None
        if row["status"] == CHURNED:
            left = row.get("churned_on") or (
                min(row.get("renewal_date") or today, today) - dt.timedelta(days=1)
            )
        elif not renews(row["status"]):
            continue
        anniversary = start + dt.timedelta(days=365)
        while anniversary < (left or today):
            outcomes.append(_outcome(account_id, "renewed", anniversary, row["arr"], row["arr"]))
            anniversary += dt.timedelta(days=365)
        if left is not None:
            outcomes.append(_outcome(account_id, "churned", left, row["arr"], 0))
    for index, spec in enumerate(FORMER_CLIENTS):
        account, series, left, renewals = _former_client(rng, index, spec, today)
        account_id = session.scalars(insert(Account).values(account).returning(Account.id)).one()
        for as_of, values in series:
            snapshots += [
                {"account_id": account_id, "as_of": as_of, "metric": m, "value": v}
                for m, v in values.items()
            ]
        outcomes += [
            _outcome(account_id, "renewed", day, account["arr"], account["arr"]) for day in renewals
        ]
        outcomes.append(_outcome(account_id, "churned", left, account["arr"], 0))
    session.execute(insert(MetricSnapshot), snapshots)
    session.execute(insert(RenewalOutcome), outcomes)
    return len(outcomes)


def _outcome(
    account_id: int, outcome: str, on: dt.date, before: float | None, after: float | None
) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "outcome": outcome,
        "on_date": on,
        "arr_before": before,
        "arr_after": after,
        "source": "demo",
    }
