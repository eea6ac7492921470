"""The PDF sections SPEC 4 added: agenda, outcomes, support, wins, road ahead, contacts, and the
internal edition's risks, forecast, milestones, price logic, tasks and recommendations."""

from __future__ import annotations

from typing import Any

from csdesk.reports import case_text as ct
from csdesk.reports import formatting as f
from csdesk.reports.case_options import SECTION_TITLES, ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.pdf_sections import P, table
from csdesk.reports.pdf_style import FRAME_WIDTH, Styles
from csdesk.reports.safe_text import para

__all__ = ["SECTION_BUILDERS"]

_STATUS = {
    "done": ("Done", "#2e9d5b"),
    "open": ("Open", "#1f3a5f"),
    "overdue": ("Overdue", "#d64545"),
    "planned": ("Planned", "#6b7280"),
    "passed": ("Date passed", "#6b7280"),
}


def _paragraphs(text: str, s: Styles) -> list[Any]:
    return [P(para(block.strip()), s.body) for block in text.split("\n\n") if block.strip()]


def agenda_section(case: BusinessCase, s: Styles, sections: tuple[str, ...]) -> list[Any]:
    """The agenda: the titles of the sections that follow, numbered."""
    story: list[Any] = [P(SECTION_TITLES["agenda"], s.h2)]
    for index, title in enumerate(ct.agenda(sections), start=1):
        story.append(P(para(title), s.bullet, bullet=f"{index}."))
    return story


def outcomes_section(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """The success-plan goals (baseline → now → target, status) and the success metrics."""
    fm = case.formats
    from csdesk.reports.pdf_proposal import metrics_section

    story: list[Any] = [P(SECTION_TITLES["outcomes"], s.h2)]
    goals = ct.goals(case, options)
    if goals:
        rows: list[list[Any]] = [
            [P(t, s.head) for t in ("Goal", "Owner", "Baseline → now → target", "Due", "Status")]
        ]
        for g in goals:
            rows.append(
                [
                    P(para(g.title), s.cell),
                    P(para(g.owner or f.DASH), s.cell),
                    P(para(ct.goal_progress(g, fm)), s.cell),
                    P(fm.date(g.due), s.cell),
                    P(para(g.status.capitalize()), s.cell),
                ]
            )
        w = FRAME_WIDTH
        story.append(table(rows, [w * 0.3, w * 0.16, w * 0.26, w * 0.14, w * 0.14]))
    story += metrics_section(case, s, options)
    return story


def support_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """Tickets by priority, SLA attainment, NPS and CSAT."""
    fm = case.formats
    sup = case.support
    if sup is None:
        return []
    rows: list[list[Any]] = [[P("Measure", s.head), P("Figure", s.head_right)]]
    for priority, count in sup.tickets_by_priority:
        rows.append([P(f"Tickets {priority}", s.cell), P(fm.number(count), s.cell_right)])
    sla = fm.points(sup.sla_attainment, 1) if sup.sla_attainment is not None else None
    for label, value in (
        ("Tickets within the service level (SLA)", sla or "no decided tickets yet"),
        ("Net Promoter Score (NPS)", fm.number(sup.nps) if sup.nps is not None else None),
        ("Satisfaction (CSAT, 1–5)", fm.number(sup.csat, 2) if sup.csat is not None else None),
        ("Survey responses", fm.number(sup.responses)),
    ):
        rows.append([P(label, s.cell), P(value or "no survey answers yet", s.cell_right)])
    return [
        P(SECTION_TITLES["support"], s.h2),
        table(rows, [FRAME_WIDTH * 0.7, FRAME_WIDTH * 0.3]),
    ]


def wins_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """The wins of the term, as the CSM wrote them."""
    return [P(SECTION_TITLES["wins"], s.h2), *_paragraphs(case.plan.narrative.wins, s)]


def road_ahead_section(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """Next term's goals (the CSM's text) and the steps still ahead, with dates."""
    fm = case.formats
    story: list[Any] = [P(SECTION_TITLES["road_ahead"], s.h2)]
    story += _paragraphs(case.plan.narrative.next_term_goals, s)
    ahead = ct.steps_ahead(case, options.__class__())  # the client's view: only steps ahead
    if ahead:
        rows: list[list[Any]] = [[P("Date", s.head), P("Step", s.head)]]
        rows += [[P(fm.date(x.due), s.cell), P(para(x.title), s.cell)] for x in ahead]
        story.append(table(rows, [FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.8]))
    return story


def contacts_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """The client's contacts, the executive sponsor first, and the next meeting."""
    meeting = ct.meeting_text(case)
    story: list[Any] = [P(SECTION_TITLES["contacts"] if meeting else "Contacts", s.h2)]
    if meeting:
        story.append(P(f"<b>{para(meeting)}</b>", s.body))
    if not case.contacts:
        return story
    rows: list[list[Any]] = [[P(t, s.head) for t in ("Name", "Role", "Email")]]
    for c in case.contacts:
        role = (c.role or "") + (" — executive sponsor" if c.sponsor else "")
        rows.append(
            [
                P(para(c.name), s.cell),
                P(para(role or f.DASH), s.cell),
                P(para(c.email or ""), s.cell),
            ]
        )
    w = FRAME_WIDTH
    return [*story, table(rows, [w * 0.3, w * 0.35, w * 0.35])]


def risks_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """The weakest health measures named with their values (internal)."""
    story: list[Any] = [P(SECTION_TITLES["risks"], s.h2)]
    story += [P(para(text), s.bullet, bullet="•") for text in ct.risks(case)]
    return story


def forecast_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """Renewal likelihood from the band and the forecast ARR (internal)."""
    fm = case.formats
    r = case.renewal
    text = (
        f"Renewal likelihood <b>{fm.percent(r.likelihood)}</b> "
        f"({para(case.health.band or 'no health score')}); forecast ARR "
        f"<b>{fm.money(r.forecast)}</b> of {fm.money(case.account.arr)}."
    )
    return [P(SECTION_TITLES["forecast"], s.h2), P(text, s.body)]


def _dated(case: BusinessCase, s: Styles, kind: str, title: str) -> list[Any]:
    fm = case.formats
    steps = [x for x in case.next_steps if x.kind == kind and x.due is not None]
    rows: list[list[Any]] = [[P("Date", s.head), P("Step", s.head), P("Status", s.head)]]
    for step in steps:
        label, colour = _STATUS.get(step.status, (step.status.title(), "#6b7280"))
        rows.append(
            [
                P(fm.date(step.due), s.cell),
                P(para(step.title), s.cell),
                P(f'<font color="{colour}">{label}</font>', s.cell),
            ]
        )
    widths = [FRAME_WIDTH * 0.18, FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.2]
    return [P(title, s.h2), table(rows, widths)]


def milestones_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """Every renewal milestone with its status, missed ones too (internal)."""
    return _dated(case, s, "milestone", SECTION_TITLES["milestones"])


def tasks_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """The account's open tasks (internal)."""
    return _dated(case, s, "task", SECTION_TITLES["tasks"])


def recommendations_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """Recommended actions naming the measures and numbers (internal)."""
    story: list[Any] = [P(SECTION_TITLES["recommendations"], s.h2)]
    story += [P(para(x.title), s.bullet, bullet="•") for x in case.next_steps if x.kind == "action"]
    return story


def price_logic_section(case: BusinessCase, s: Styles, _options: ExportOptions) -> list[Any]:
    """How the renewal price was reached: list, current, kept price, discounts (internal)."""
    from csdesk.reports.pdf_proposal import price_table

    return [P(SECTION_TITLES["price_logic"], s.h2), price_table(case, s)]


SECTION_BUILDERS = {
    "outcomes": outcomes_section,
    "support": support_section,
    "wins": wins_section,
    "road_ahead": road_ahead_section,
    "contacts": contacts_section,
    "risks": risks_section,
    "forecast": forecast_section,
    "milestones": milestones_section,
    "price_logic": price_logic_section,
    "tasks": tasks_section,
    "recommendations": recommendations_section,
}
"""Section key → builder ``(case, styles, options) -> flowables``."""
