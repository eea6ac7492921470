"""Account look-ups and the portfolio listing the CLI prints (``csdesk accounts``)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.db import Portfolio
from csdesk.errors import NotFoundError
from csdesk.models import (
    Account,
    ExternalId,
    MetricLatest,
    ProspectScorecard,
    RoiInput,
    RoiLine,
)
from csdesk.scoring.bands import band_for
from csdesk.scoring.catalog import fold_name
from csdesk.scoring.ids import guess_system, normalise_crm_id
from csdesk.scoring.lifecycle import lifecycle_stage
from csdesk.scoring.prospect import CRITERIA, score_prospect
from csdesk.scoring.renewal import renewal_likelihood
from csdesk.scoring.roi import RoiInputs, compute_roi

__all__ = [
    "account_listing",
    "external_ids",
    "find_account",
    "fold_name",
    "format_table",
    "roi_inputs_by_account",
]


def sort_key(name: str) -> str:
    """A name's place in alphabetical lists: case and accents ignored (Île sorts with I)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_account(session: Session, ref: str) -> int:
    """The id of the account named by ``ref``: any of its ids (crm_id first), else its name.

    Raises:
        NotFoundError: no account matches, or the name matches several.
    """
    ref = ref.strip()
    if not ref:
        raise NotFoundError("no account given")
    crm_id = normalise_crm_id(ref)
    by_id = session.scalar(select(Account.id).where(Account.crm_id == crm_id))
    if by_id is not None:
        return by_id
    holders = sorted(
        set(session.scalars(select(ExternalId.account_id).where(ExternalId.external_id == crm_id)))
    )
    if len(holders) == 1:
        return holders[0]
    if len(holders) > 1:
        raise NotFoundError(f"{ref!r} is an id of {len(holders)} accounts; give the name instead")
    ids = list(session.scalars(select(Account.id).where(Account.name_key == fold_name(ref))))
    if not ids:
        raise NotFoundError(f"unknown account {ref!r} (give its CRM id or its name)")
    if len(ids) > 1:
        raise NotFoundError(f"{ref!r} matches {len(ids)} accounts; give the CRM id instead")
    return ids[0]


def external_ids(
    session: Session, account_ids: list[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """Each account's ids by system (``{system: [id, …]}``), the primary crm_id included."""
    query = select(ExternalId.account_id, ExternalId.system, ExternalId.external_id).order_by(
        ExternalId.account_id, ExternalId.system, ExternalId.id
    )
    primary = select(Account.id, Account.crm_id).where(Account.crm_id.is_not(None))
    if account_ids is not None:
        query = query.where(ExternalId.account_id.in_(account_ids))
        primary = primary.where(Account.id.in_(account_ids))
    out: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for account_id, system, external_id in session.execute(query):
        out[account_id].setdefault(system, []).append(external_id)
    for account_id, crm_id in session.execute(primary):
        if crm_id is None:
            continue
        systems = out[account_id]
        if not any(crm_id in ids for ids in systems.values()):
            systems.setdefault(guess_system(crm_id), []).insert(0, crm_id)
    return dict(out)


def roi_inputs_by_account(
    session: Session, account_ids: list[int] | None = None
) -> dict[int, RoiInputs]:
    """ROI inputs (entered values, custom lines and the newest QA-hours metric) per account."""
    lines: dict[int, list[tuple[str, float]]] = defaultdict(list)
    q_lines = select(RoiLine.account_id, RoiLine.label, RoiLine.amount).order_by(
        RoiLine.account_id, RoiLine.position, RoiLine.id
    )
    q_inputs = select(RoiInput)
    q_hours = select(MetricLatest.account_id, MetricLatest.value).where(
        MetricLatest.metric == "qa_hours_saved_per_month"
    )
    if account_ids is not None:
        q_lines = q_lines.where(RoiLine.account_id.in_(account_ids))
        q_inputs = q_inputs.where(RoiInput.account_id.in_(account_ids))
        q_hours = q_hours.where(MetricLatest.account_id.in_(account_ids))
    for account_id, label, amount in session.execute(q_lines):
        lines[account_id].append((label, amount))
    hours = {account_id: value for account_id, value in session.execute(q_hours)}
    entered = {row.account_id: row for row in session.scalars(q_inputs)}
    result: dict[int, RoiInputs] = {}
    for account_id in set(lines) | set(hours) | set(entered):
        row = entered.get(account_id)
        result[account_id] = RoiInputs(
            qa_hours_saved_per_month=hours.get(account_id),
            hourly_rate=row.hourly_rate if row else None,
            incidents_avoided_per_year=row.incidents_avoided_per_year if row else None,
            cost_per_incident=row.cost_per_incident if row else None,
            revenue_protected=row.revenue_protected if row else None,
            custom_lines=tuple(lines.get(account_id, ())),
        )
    return result


def account_listing(portfolio: Portfolio, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every account with its scores, ordered by name (SPEC 5 ``accounts --json``)."""
    today = today or dt.date.today()
    keys = [c.key for c in CRITERIA]
    with portfolio.read() as session:
        cards = {
            card.account_id: {k: getattr(card, k) for k in keys}
            for card in session.scalars(select(ProspectScorecard))
        }
        roi = roi_inputs_by_account(session)
        ids = external_ids(session)
        rows = session.execute(
            select(
                Account.id,
                Account.crm_id,
                Account.name,
                Account.owner,
                Account.industry,
                Account.segment,
                Account.status,
                Account.tier,
                Account.arr,
                Account.contract_start,
                Account.renewal_date,
                Account.churned_on,
                Account.health_score,
                Account.health_band,
            )
        ).all()
    rows = sorted(rows, key=lambda r: (sort_key(r.name), r.name, r.id))
    listing: list[dict[str, Any]] = []
    for row in rows:
        stage = lifecycle_stage(row.contract_start, today, row.status)
        card = cards.get(row.id)
        prospect = score_prospect(card) if card is not None else None
        inputs = roi.get(row.id)
        multiple = compute_roi(inputs, row.arr).multiple if inputs is not None else None
        listing.append(
            {
                "crm_id": row.crm_id,
                "name": row.name,
                "owner": row.owner,
                "industry": row.industry,
                "segment": row.segment,
                "status": row.status,
                "tier": row.tier,
                "arr": row.arr,
                "renewal_date": row.renewal_date.isoformat() if row.renewal_date else None,
                "lifecycle_stage": stage.value if stage else None,
                "health_score": row.health_score,
                "health_band": row.health_band,
                "prospect_score": prospect.score if prospect else None,
                "prospect_qualified": prospect.qualified if prospect else None,
                "roi_multiple": multiple,
                "ids": ids.get(row.id, {}),
                "churned_on": row.churned_on.isoformat() if row.churned_on else None,
                # The CRM's open renewal opportunity will pass crm_probability here.
                "renewal_likelihood": renewal_likelihood(row.status, band_for(row.health_score)),
            }
        )
    return listing


_COLUMNS = (
    ("name", "Account", "<"),
    ("owner", "Owner", "<"),
    ("status", "Status", "<"),
    ("tier", "Tier", "<"),
    ("arr", "ARR", ">"),
    ("health_score", "Health", ">"),
    ("health_band", "Band", "<"),
    ("lifecycle_stage", "Stage", "<"),
    ("renewal_date", "Renewal", "<"),
    ("roi_multiple", "ROI", ">"),
)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key == "arr":
        return f"{value:,.0f}"
    if key == "health_score":
        return f"{value:.1f}"
    if key == "roi_multiple":
        return f"{value:.2f}×"
    return str(value)


def format_table(rows: list[dict[str, Any]]) -> str:
    """An aligned plain-text table of the listing, with a count line."""
    if not rows:
        return "no accounts yet — try `csdesk demo` or `csdesk import FILE`\n"
    cells = [[_cell(k, row.get(k)) for k, _, _ in _COLUMNS] for row in rows]
    widths = [
        min(32, max(len(title), *(len(c[i]) for c in cells)))
        for i, (_, title, _) in enumerate(_COLUMNS)
    ]

    def fmt(values: list[str]) -> str:
        parts = []
        for value, width, (_, _, align) in zip(values, widths, _COLUMNS, strict=True):
            value = value if len(value) <= width else value[: width - 1] + "…"
            parts.append(f"{value:{align}{width}}")
        return "  ".join(parts).rstrip()

    lines = [fmt([t for _, t, _ in _COLUMNS]), fmt(["─" * w for w in widths])]
    lines += [fmt(c) for c in cells]
    lines.append(f"{len(rows)} accounts")
    return "\n".join(lines) + "\n"
