"""The support, satisfaction and contact figures of a business case (SPEC 2.6, 4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from csdesk.models import Contact, SurveyResponse, Ticket
from csdesk.reports.case_types import ContactLine, SupportSection
from csdesk.scoring.kpis import csat, nps, sla_attainment, ticket_sla
from csdesk.scoring.vocabulary import PRIORITIES

__all__ = ["contacts", "support"]

_MAX_CONTACTS = 6


def support(session: Session, account_id: int, today: dt.date) -> SupportSection | None:
    """Tickets by priority, SLA attainment, NPS and CSAT; None when nothing is recorded.

    Args:
        session: An open session.
        account_id: The account.
        today: Open tickets are judged against their SLA at the end of this day.

    Returns:
        The section, or None without tickets and survey answers.
    """
    now = dt.datetime.combine(today, dt.time.max)
    tickets = session.execute(
        select(Ticket.priority, Ticket.opened_at, Ticket.first_response_at, Ticket.resolved_at)
        .where(Ticket.account_id == account_id)
        .order_by(Ticket.id)
    ).all()
    surveys = session.execute(
        select(SurveyResponse.nps, SurveyResponse.csat).where(
            SurveyResponse.account_id == account_id
        )
    ).all()
    if not tickets and not surveys:
        return None
    counts = {p: 0 for p in PRIORITIES}
    statuses = []
    for priority, opened, responded, resolved in tickets:
        key = (priority or "").strip().upper()
        if key not in counts:
            continue
        counts[key] += 1
        statuses.append(ticket_sla(key, opened, responded, resolved, now=now))
    satisfaction = csat(s.csat for s in surveys)
    return SupportSection(
        tickets_by_priority=tuple(counts.items()),
        sla_attainment=sla_attainment(statuses),
        nps=nps(s.nps for s in surveys),
        csat=satisfaction.mean if satisfaction else None,
        csat_satisfied=satisfaction.pct_satisfied if satisfaction else None,
        responses=len(surveys),
    )


def contacts(session: Session, account_id: int) -> tuple[ContactLine, ...]:
    """The account's contacts, the executive sponsor first."""
    rows = session.execute(
        select(Contact.name, Contact.role, Contact.email, Contact.executive_sponsor)
        .where(Contact.account_id == account_id)
        .order_by(Contact.executive_sponsor.desc(), Contact.id)
        .limit(_MAX_CONTACTS)
    )
    return tuple(ContactLine(r.name, r.role, r.email, bool(r.executive_sponsor)) for r in rows)
