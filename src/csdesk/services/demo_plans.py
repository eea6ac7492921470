"""The demo's success plans, narratives and sample brand, so the first exported deck is a good one.

Goals link to the metrics the demo records, with the health model's own targets (logins 30 a
month, the plan's usage limit, every feature, no open tickets); their status follows the data
(met → achieved, moving the right way → on track, the wrong way → at risk, past due → missed).
About half of the accounts get the CSM's narrative; the others are left empty so the drafted
summary shows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from csdesk.models import (
    BRANDING_ROW_ID,
    AccountNarrative,
    BrandingRow,
    Contact,
    MetricSnapshot,
    SuccessGoal,
)
from csdesk.resources import resource_path
from csdesk.scoring.rounding import to_decimal
from csdesk.scoring.vocabulary import CUSTOMER_STATUSES
from csdesk.services.plan_draft import review_start

__all__ = ["DEMO_BRAND", "add_brand", "add_success_plans"]

SEED = 20261204
DEMO_BRAND = {
    "vendor_name": "Lumio CX",
    "accent": "#0F766E",
    "footer": "Lumio CX · Customer Success · Prepared for our client",
    "currency": "USD",
    "locale": "en_US",
}
_LOGO = ("brand", "demo_logo.png")

# (title, metric, target or None for "from the account", lower is better, owner side)
_METRIC_GOALS: tuple[tuple[str, str, float | None, bool, str], ...] = (
    ("Every licensed agent active each month", "logins_30d", 30.0, False, "client"),
    ("Put the full plan volume to work", "usage", None, False, "csm"),
    ("All 12 features in daily use", "features_used", 12.0, False, "client"),
    ("No support tickets left open", "open_tickets", 0.0, True, "csm"),
    ("150 QA hours saved a month", "qa_hours_saved_per_month", 150.0, False, "client"),
)
_TEXT_GOALS = (
    ("Roll out to the second region", "Live in the second region with its own team leads"),
    ("Quarterly business reviews with the sponsor", "Four reviews held, agenda agreed in advance"),
    ("Connect the CRM", "Tickets and accounts synced both ways, no manual export"),
)
_INTERNAL_GOAL = (
    "Prepare the Enterprise upgrade conversation",
    "Usage is close to the plan limit: bring the expansion offer to the renewal call",
)
_MEETINGS = (
    "Renewal call with the executive sponsor",
    "Quarterly business review",
    "Roll-out planning for the next term",
)
_WINS = (
    "Went live with the second support team; first replies now come in under an hour.",
    "Automated QA review across all queues, freeing two days a week for coaching.",
    "Rolled out the knowledge base to customers; repeat questions fell by a quarter.",
)
_NEXT = (
    "Extend to the returns team and add the chat channel before the peak season.",
    "Connect the CRM so account managers see open tickets in their own tool.",
    "Train new team leads on the reporting dashboards in the first quarter.",
)


def _status(
    series: list[tuple[dt.date, float]],
    start: dt.date,
    target: float,
    lower: bool,
    due: dt.date,
    today: dt.date,
) -> str:
    known = [(d, v) for d, v in series if d <= today]
    if not known:
        return "planned"
    before = [v for d, v in known if d <= start]
    base, now = (before[-1] if before else known[0][1]), known[-1][1]
    met = now <= target if lower else now >= target
    if met:
        return "achieved"
    if due < today:
        return "missed"
    # Close to the target, or moving towards it: on track; clearly away from it: at risk.
    gap_then, gap_now = abs(target - base), abs(target - now)
    if gap_now <= 0.1 * max(abs(target), 1.0) or gap_now < gap_then:
        return "on track"
    return "at risk" if gap_now > gap_then * 1.05 else "on track"


def add_success_plans(
    session: Session, rows: list[dict[str, Any]], ids: dict[str, int], today: dt.date
) -> int:
    """Goals for every active or pilot account and narratives for about half; return goals."""
    rng = random.Random(SEED)
    live = [row for row in rows if row["status"] in CUSTOMER_STATUSES and row["profile"]]
    live_ids = [ids[row["name"]] for row in live]
    history: dict[tuple[int, str], list[tuple[dt.date, float]]] = defaultdict(list)
    for account_id, metric, as_of, value in session.execute(
        select(
            MetricSnapshot.account_id,
            MetricSnapshot.metric,
            MetricSnapshot.as_of,
            MetricSnapshot.value,
        )
        .where(MetricSnapshot.account_id.in_(live_ids))
        .order_by(MetricSnapshot.as_of)
    ):
        history[(account_id, metric)].append((as_of, value))
    sponsors = dict(
        session.execute(
            select(Contact.account_id, Contact.name).where(
                Contact.account_id.in_(live_ids), Contact.executive_sponsor.is_(True)
            )
        ).all()
    )
    goals: list[dict[str, Any]] = []
    narratives: list[dict[str, Any]] = []
    for index, row in enumerate(live):
        account_id = ids[row["name"]]
        start = review_start(row["contract_start"], today)
        # A month before the renewal call, not sooner than 90 days into the plan, and never
        # after the renewal itself.
        renewal = row["renewal_date"]
        due = min(renewal, max(renewal - dt.timedelta(days=30), start + dt.timedelta(days=90)))
        # A contract that has not started yet has no history: its goals are planned ones.
        chosen = [g for g in _METRIC_GOALS if history.get((account_id, g[1]))] or [
            g for g in _METRIC_GOALS if g[2] is not None
        ]
        rng.shuffle(chosen)
        picked: list[dict[str, Any]] = []
        # 3–5 goals: 2–4 linked ones (one fewer beside an internal goal) and one written.
        linked = rng.randint(2, 4) - (1 if index % 4 == 1 else 0)
        for title, metric, target, lower, side in chosen:
            if len(picked) >= max(2, linked):
                break
            if target is None:
                limit = history.get((account_id, "usage_limit"))
                if not limit:
                    continue  # an unlimited plan has no volume to fill
                target = limit[-1][1]
            series = history.get((account_id, metric), [])
            picked.append(
                {
                    "title": title,
                    "owner": sponsors.get(account_id) if side == "client" else row["owner"],
                    "metric": metric,
                    "target": to_decimal(target),
                    "status": _status(series, start, target, lower, due, today),
                }
            )
        text_title, text = _TEXT_GOALS[index % len(_TEXT_GOALS)]
        picked.append(
            {
                "title": text_title,
                "owner": row["owner"],
                "text": text,
                "status": ("planned", "on track", "achieved")[index % 3],
            }
        )
        if index % 4 == 1:
            title, text = _INTERNAL_GOAL
            picked.append({"title": title, "owner": row["owner"], "text": text, "internal": True})
        for position, goal in enumerate(picked):
            goals.append(
                {
                    "account_id": account_id,
                    "position": position,
                    "owner": None,
                    "metric": None,
                    "text": None,
                    "baseline": None,
                    "target": None,
                    "status": "planned",
                    "internal": False,
                    **goal,
                    "start_on": start,
                    "due_on": due,
                }
            )
        if index % 2 == 0:
            narratives.append(_narrative(account_id, row, index, today))
    if goals:
        session.execute(insert(SuccessGoal), goals)
    if narratives:
        session.execute(insert(AccountNarrative), narratives)
    return len(goals)


def _narrative(account_id: int, row: dict[str, Any], index: int, today: dt.date) -> dict[str, Any]:
    """The CSM's texts for one account (every fourth has wins but no summary yet) and, for
    two in three, the next meeting booked one to four weeks ahead."""
    summary = (
        ""
        if index % 4 == 2
        else (
            f"{row['name']} has made the platform part of how its support team works every day. "
            "This term the team went live across its main queues, and the value it reports "
            "already covers the subscription. Next term we want to widen the roll-out and "
            "measure the time saved together."
        )
    )
    return {
        "account_id": account_id,
        "executive_summary": summary,
        "wins": _WINS[index % len(_WINS)],
        "next_term_goals": _NEXT[index % len(_NEXT)],
        "next_meeting_on": today + dt.timedelta(days=7 + 3 * (index % 8)) if index % 3 else None,
        "next_meeting_note": _MEETINGS[index % len(_MEETINGS)] if index % 3 else None,
    }


def add_brand(session: Session) -> None:
    """The sample vendor: name, logo, accent colour and footer (USD, en_US).

    A portfolio whose branding was already set keeps it.
    """
    if session.get(BrandingRow, BRANDING_ROW_ID) is not None:
        return
    logo = resource_path(*_LOGO)
    session.execute(
        insert(BrandingRow).values(
            id=BRANDING_ROW_ID,
            logo=logo.read_bytes() if logo.is_file() else None,
            logo_kind="png" if logo.is_file() else None,
            **DEMO_BRAND,
        )
    )
