"""Builders of test portfolios for the export tests, with the ORM: a full account, a bare one."""

from __future__ import annotations

import datetime as dt
from typing import Any

TODAY = dt.date(2026, 3, 15)
UNICODE_NAMES = ("AT&T <Retail>", "Müller & Søn", "Ωmega", "Île de Saveurs")


def add_account(session: Any, name: str, **fields: Any) -> int:
    """Add an account with ``fields`` and return its id."""
    from csdesk.models import Account

    account = Account(name=name, name_key=" ".join(name.split()).casefold(), **fields)
    session.add(account)
    session.flush()
    return account.id


def add_metrics(session: Any, account_id: int, metric: str, points: list[tuple[dt.date, float]]):
    """Add a metric series and keep ``metric_latest`` in step."""
    from csdesk.models import MetricLatest, MetricSnapshot

    for as_of, value in points:
        session.add(MetricSnapshot(account_id=account_id, metric=metric, as_of=as_of, value=value))
    as_of, value = max(points)
    session.merge(MetricLatest(account_id=account_id, metric=metric, as_of=as_of, value=value))


def monthly(start: dt.date, values: list[float]) -> list[tuple[dt.date, float]]:
    """One point per month from ``start``."""
    points = []
    for index, value in enumerate(values):
        month = start.month - 1 + index
        points.append((dt.date(start.year + month // 12, month % 12 + 1, 1), value))
    return points


def build_full_account(session: Any, name: str = "Müller & Søn", crm_id: str = "ACC-1") -> int:
    """An active Starter account with a year of history, ROI inputs, targets and tasks."""
    from csdesk.models import (
        Contact,
        HealthSnapshot,
        MetricTarget,
        RoiInput,
        RoiLine,
        Task,
    )

    account_id = add_account(
        session,
        name,
        crm_id=crm_id,
        industry="Retail",
        segment="mid-market",
        country="Germany",
        owner="Dana Whitfield",
        status="active",
        tier="Starter",
        arr=24000.0,
        contract_start=dt.date(2025, 5, 1),
        renewal_date=dt.date(2026, 4, 30),
        annual_prepay=True,
        health_model="subscription",
        health_score=78.5,
        health_band="Good",
        health_computed_score=78.5,
    )
    start = dt.date(2025, 4, 1)
    usage = [52000, 56000, 61000, 60000, 66000, 70000, 73000, 78000, 80500, 83000, 85000, 86000]
    add_metrics(session, account_id, "usage", monthly(start, usage))
    add_metrics(session, account_id, "usage_limit", [(start, 100000.0)])
    add_metrics(session, account_id, "logins_30d", monthly(start, [12 + i for i in range(12)]))
    add_metrics(session, account_id, "open_tickets", [(dt.date(2026, 3, 1), 2.0)])
    add_metrics(session, account_id, "payments_current", [(dt.date(2026, 3, 1), 1.0)])
    add_metrics(session, account_id, "features_used", [(dt.date(2026, 3, 1), 6.0)])
    add_metrics(session, account_id, "features_total", [(dt.date(2026, 3, 1), 10.0)])
    add_metrics(session, account_id, "qa_hours_saved_per_month", [(dt.date(2026, 3, 1), 40.0)])
    session.add(
        RoiInput(
            account_id=account_id,
            hourly_rate=55.0,
            incidents_avoided_per_year=6.0,
            cost_per_incident=2500.0,
            revenue_protected=12000.0,
        )
    )
    session.add(RoiLine(account_id=account_id, position=0, label="=Faster onboarding", amount=4000))
    session.add(RoiLine(account_id=account_id, position=1, label="Licence savings", amount=1500.5))
    for index, score in enumerate([62.0, 66.5, 71.0, 69.0, 74.5, 78.5]):
        as_of = dt.date(2025, 10 + index, 1) if index < 3 else dt.date(2026, index - 2, 1)
        band = "Good" if score >= 70 else "At Risk"
        session.add(
            HealthSnapshot(
                account_id=account_id,
                as_of=as_of,
                score=score,
                band=band,
                model_name="subscription",
                model_version=1,
                breakdown=_breakdown() if index == 5 else None,
            )
        )
    session.add(MetricTarget(account_id=account_id, metric="logins_30d", target=25.0))
    session.add(
        MetricTarget(account_id=account_id, metric="open_tickets", target=1, higher_is_better=False)
    )
    session.add(
        Contact(account_id=account_id, name="Jörg Äpfel", role="CFO", executive_sponsor=True)
    )
    session.add(
        Task(
            account_id=account_id,
            type="renewal milestone",
            title="Open renewal discussion",
            due_on=dt.date(2026, 3, 1),
            status="done",
            key="renewal:2026-04-30:-60",
        )
    )
    session.add(
        Task(
            account_id=account_id,
            type="follow-up",
            title="Send <usage> review & agenda",
            due_on=dt.date(2026, 3, 20),
            status="open",
        )
    )
    session.flush()
    return account_id


def _breakdown() -> list[dict[str, Any]]:
    rows = [
        ("usage", "Usage", 30, 0.86, 25.8, 86000.0),
        ("engagement", "Engagement", 20, 0.7667, 15.33, 23.0),
        ("support", "Support", 20, 0.8, 16.0, 2.0),
        ("payment", "Payment", 20, 1.0, 20.0, 1.0),
        ("adoption", "Adoption", 10, 0.6, 6.0, 6.0),
    ]
    return [
        {
            "key": k,
            "label": label,
            "weight": w,
            "attainment": a,
            "contribution": c,
            "value": v,
            "no_data": False,
            "group": None,
        }
        for k, label, w, a, c, v in rows
    ]
