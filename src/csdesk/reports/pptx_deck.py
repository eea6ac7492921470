"""The renewal business case as a PPTX deck: one message per slide, in SPEC 4's section order.

At most 15 slides: the internal sections come in pairs (risks with recommendations, forecast
with price logic, milestones with tasks). The value slide is at most the third after the
cover, and the road ahead (next term's commitments) comes before the renewal proposal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.reports import case_text as ct
from csdesk.reports import formatting as f
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.formatting import Formats
from csdesk.reports.pptx_parts import (
    BODY_TOP_IN,
    MARGIN_IN,
    MUTED,
    TITLE_NAME,
    Deck,
    add_bar_chart,
    add_line_chart,
    add_table,
    add_text,
    add_tiles,
    contacts_slide,
)

__all__ = ["MAX_SLIDES", "render_case_pptx", "slide_titles"]

MAX_SLIDES = 15
_BODY_W = 13.333 - 2 * MARGIN_IN
_PAIRS = {"recommendations": "risks", "price_logic": "forecast", "tasks": "milestones"}


def _cover(d: Deck, o: ExportOptions) -> None:
    fm = d.case.formats
    c, b = d.case, d.case.branding
    edition = "Account review (internal)" if o.internal else "Renewal review"
    s = d.slide(
        f"{edition}: {c.account.name}",
        [
            f"Opening: thank the client for the term with {b.vendor_name or 'us'}.",
            f"Prepared on {fm.date(c.prepared_on)} from the csdesk portfolio.",
        ],
    )
    if b.vendor_name:
        add_text(s, MARGIN_IN, 2.8, _BODY_W, 1.0, [b.vendor_name], size=32, bold=True)
    lines = [x for x in (c.account.owner and f"Your CSM: {c.account.owner}",) if x]
    lines.append(f"Prepared {fm.date(c.prepared_on)}")
    add_text(s, MARGIN_IN, 4.0, _BODY_W, 2.0, lines, size=20, colour=MUTED)


def _agenda(d: Deck, sections: tuple[str, ...]) -> None:
    items = ct.agenda(sections)
    s = d.slide(
        "What we will cover today",
        ["Walk through the agenda; invite the client to add topics.", "No figures on this slide."],
    )
    half = (len(items) + 1) // 2 if len(items) > 7 else len(items)
    for column, chunk in enumerate((items[:half], items[half:])):
        if chunk:
            left = MARGIN_IN + column * _BODY_W / 2
            add_text(s, left, BODY_TOP_IN, _BODY_W / 2, 5.0, chunk, size=20, bullets=True)


def _summary(d: Deck, o: ExportOptions) -> None:
    text, drafted = ct.summary_text(d.case, o)
    first = text.split(". ")[0].rstrip(".")
    title = first if len(first) <= 90 else f"The term in brief for {d.case.account.name}"
    source = (
        "Drafted from the portfolio data (ROI inputs, usage history, renewal terms)."
        if drafted
        else "Written by the CSM in the success plan."
    )
    s = d.slide(title, ["Summarise the term in two sentences, then open the floor.", source])
    add_text(s, MARGIN_IN, BODY_TOP_IN, _BODY_W, 5.0, text.split("\n\n"), size=22, shrink=True)


def _value(d: Deck, _o: ExportOptions) -> None:
    c = d.case
    fm = c.formats
    roi = c.roi.result
    s = d.slide(
        ct.value_message(c),
        [
            "Lead with the return, then the net value and the payback.",
            f"ROI multiple {fm.multiple(roi.multiple)} = total value {fm.money(roi.total_value)}"
            f" ÷ annual cost (ARR) {fm.money(roi.cost)}, expected scenario.",
            f"Net value {fm.money(roi.net_value)} = value − cost; payback "
            f"{fm.months(roi.payback_months)} = cost ÷ monthly value.",
            "Sources: the ROI inputs agreed with the client (ROI sheet of the workbook); "
            "scenarios scale every value line ×0.6, ×1.0 and ×1.4.",
        ],
    )
    add_tiles(
        s,
        BODY_TOP_IN,
        [
            ("ROI multiple", fm.multiple(roi.multiple), "value ÷ annual cost"),
            ("Net value", fm.money(roi.net_value), "value − cost, per year"),
            ("Payback", fm.months(roi.payback_months), "to recover the annual cost"),
        ],
        d.accent,
    )
    add_bar_chart(
        s,
        3.75,
        3.2,
        [x.name.capitalize() for x in roi.scenarios],
        [
            ("Total value", [float(x.total_value) for x in roi.scenarios]),
            ("Annual cost", [None if roi.cost is None else float(roi.cost) for _ in roi.scenarios]),
        ],
        (d.accent, "#B0B7C3"),
        fm.excel_code(fm.excel_money()),
    )


def _outcomes(d: Deck, o: ExportOptions) -> None:
    c = d.case
    fm = c.formats
    goals = ct.goals(c, o)
    rows = [
        [g.title, g.owner or f.DASH, ct.goal_progress(g, fm), fm.date(g.due), g.status.capitalize()]
        for g in goals
    ]
    metrics = [m for m in c.success_metrics if m.actual is not None or m.agreed]
    met = sum(1 for m in metrics if m.met)
    rows += [
        [
            m.label,
            "",
            f"now {ct.metric_value(m, m.actual, fm)} · {ct.target_text(m, fm)}",
            "",
            ct.met_text(m),
        ]
        for m in metrics
    ][: max(0, 9 - len(rows))]
    achieved = sum(1 for g in goals if g.status == "achieved")
    title = (
        f"{achieved} of {len(goals)} goals achieved this term"
        if goals
        else f"{met} of {len(metrics)} success metrics on target"
    )
    s = d.slide(
        title,
        [
            "Go through each goal: where it started, where it is, where it is going.",
            "Goals and status: the success plan kept with the CSM; baseline and now from the "
            "metric history; targets agreed with the client, else the service's standard target.",
        ],
    )
    add_table(
        s,
        BODY_TOP_IN,
        ("Goal / metric", "Owner", "Baseline → now → target", "Due", "Status"),
        rows,
        (3.2, 1.6, 3.0, 1.4, 1.4),
        d.accent,
    )


def _series_labels(points: Any, fm: Formats) -> list[str]:
    return [fm.month(p.as_of) for p in points]


def _adoption(d: Deck, _o: ExportOptions) -> None:
    fm = d.case.formats
    u = d.case.usage
    points = u.usage or u.logins
    name = "Monthly usage" if u.usage else "Logins (30 days)"
    first, last = points[0], points[-1]
    if len(points) > 1 and first.value:
        change = (last.value - first.value) / first.value
        title = (
            f"{name} {'up' if change >= 0 else 'down'} {fm.percent(abs(change))} since "
            f"{fm.date(first.as_of)}"
        )
    else:
        title = f"{name} at {fm.number(last.value)} in {fm.month(last.as_of)}"
    limit = u.usage_limit or u.included_volume
    series: list[tuple[str, list[float | None]]] = [(name, [p.value for p in points])]
    if u.usage and limit:
        label = "Usage limit" if u.usage_limit else "Included volume"
        series.append((label, [limit for _ in points]))
    notes = [
        "Frame usage as adoption: how much of the service the team relies on.",
        f"{name}: the metric history, {len(points)} monthly values, newest "
        f"{fm.number(last.value)} on {fm.date(last.as_of)}.",
    ]
    if u.logins:
        notes.append(f"Logins in the last 30 days: {fm.number(u.logins[-1].value)}.")
    s = d.slide(title, notes)
    labels, colours = _series_labels(points, fm), (d.accent, "#B45309")
    counts = fm.excel_code("#,##0")
    if len(points) >= 3:
        add_line_chart(s, BODY_TOP_IN, 5.1, labels, series, colours, counts, y_range=(0, None))
    else:  # a line needs a few points; a limit drawn as a bar would read as usage
        add_bar_chart(s, BODY_TOP_IN, 5.1, labels, series[:1], colours, counts)


def _support(d: Deck, _o: ExportOptions) -> None:
    fm = d.case.formats
    sup = d.case.support
    assert sup is not None
    parts = []
    if sup.nps is not None:
        parts.append(f"NPS {fm.number(sup.nps)}")
    if sup.sla_attainment is not None:
        parts.append(f"{fm.points(sup.sla_attainment, 1)} of tickets within SLA")
    title = " and ".join(parts) if parts else "Support and satisfaction this term"
    rows = [[f"Tickets {p}", fm.number(n)] for p, n in sup.tickets_by_priority]
    rows.append(
        [
            "Within the service level (SLA)",
            fm.points(sup.sla_attainment, 1)
            if sup.sla_attainment is not None
            else "no decided tickets yet",
        ]
    )
    rows.append(
        [
            "Net Promoter Score (NPS)",
            fm.number(sup.nps) if sup.nps is not None else "no survey answers yet",
        ]
    )
    rows.append(
        [
            "Satisfaction (CSAT, 1–5)",
            fm.number(sup.csat, 2) if sup.csat is not None else "no survey answers yet",
        ]
    )
    s = d.slide(
        title,
        [
            "Show that support kept its promises; mention a resolved escalation if any.",
            "Tickets and SLA: the support tool's tickets, judged against the P0/P1/P2 targets. "
            f"NPS and CSAT: {sup.responses} survey answers.",
        ],
    )
    add_table(s, BODY_TOP_IN, ("Measure", "Figure"), rows, (3, 1), d.accent, size=14)


def _text_slide(d: Deck, title: str, text: str, notes: list[str]) -> None:
    s = d.slide(title, notes)
    lines = [x.strip(" -•") for x in text.splitlines() if x.strip()]
    add_text(s, MARGIN_IN, BODY_TOP_IN, _BODY_W, 5.0, lines, size=18, bullets=len(lines) > 1)


def _wins(d: Deck, _o: ExportOptions) -> None:
    _text_slide(
        d,
        "What we achieved together this term",
        d.case.plan.narrative.wins,
        ["Let the client tell the wins in their words.", "Written by the CSM."],
    )


def _road_ahead(d: Deck, o: ExportOptions) -> None:
    c = d.case
    fm = c.formats
    ahead = ct.steps_ahead(c, ExportOptions())
    commitments = [
        g
        for g in ct.goals(c, o)
        if g.status not in ("achieved", "missed") and (g.due is None or g.due >= c.prepared_on)
    ]
    dated = sorted(
        [(g.due, g.title, g.owner or f.DASH) for g in commitments if g.due is not None]
        + [(x.due, x.title, c.account.owner or f.DASH) for x in ahead if x.due is not None]
    )
    undated = [(g.title, g.owner or f.DASH) for g in commitments if g.due is None]
    rows = [[t, owner, fm.date(due)] for due, t, owner in dated]
    rows += [[t, owner, "this term"] for t, owner in undated]
    title = (
        f"Next term: {len(rows)} commitments, the first by {fm.date(dated[0][0])}"
        if len(rows) > 1 and dated
        else f"Next term: {rows[0][0]} by {fm.date(dated[0][0])}"
        if dated
        else "Next term: what we commit to"
    )
    s = d.slide(
        title,
        [
            "Agree owners and dates for each commitment.",
            "Goals from the success plan; dates from the renewal calendar.",
        ],
    )
    top = BODY_TOP_IN
    text = c.plan.narrative.next_term_goals.strip()
    if text:
        add_text(s, MARGIN_IN, top, _BODY_W, 1.2, [text], size=16, shrink=True)
        top += 1.3
    if rows:
        add_table(s, top, ("Commitment", "Owner", "By"), rows[:8], (5, 2, 1.5), d.accent)


def _renewal(d: Deck, _o: ExportOptions) -> None:
    c = d.case
    fm = c.formats
    r, price = c.renewal, c.renewal.price
    tier = r.recommended_tier or c.account.tier
    if price.renewal_price is not None:
        title = (
            f"Renew{f' on {tier}' if tier else ''} at {fm.money(price.renewal_price)} "
            f"a year, fixed for {price.lock_months} months"
        )
    else:
        title = f"Renewal on {fm.date(r.renewal_date)}"
    rows = [["Current term ends", fm.date(r.renewal_date)]]
    if tier:
        rows.append(["Tier", tier])
    if price.renewal_price is not None:
        rows.append(["Price per year", fm.money(price.renewal_price)])
        rows.append(["Price fixed for", f"{price.lock_months} months"])
    s = d.slide(
        title,
        [
            "Propose the renewal; pause for questions.",
            "Price: the renewal price rules over the current price and the "
            "plan catalog; tier from usage against the included volume.",
        ],
    )
    add_table(s, BODY_TOP_IN, ("Proposal", ""), rows, (2, 2), d.accent, size=16)
    add_text(
        s,
        MARGIN_IN,
        BODY_TOP_IN + 0.45 * (len(rows) + 1) + 0.4,
        _BODY_W,
        1.2,
        [r.recommendation],
        size=16,
    )


SlideBuilder = Callable[[Deck, ExportOptions], None]
CLIENT_SLIDES: dict[str, SlideBuilder] = {
    "cover": _cover,
    "summary": _summary,
    "value": _value,
    "outcomes": _outcomes,
    "adoption": _adoption,
    "support": _support,
    "wins": _wins,
    "road_ahead": _road_ahead,
    "renewal": _renewal,
    "contacts": contacts_slide,
}


def _build(case: BusinessCase, options: ExportOptions) -> Deck:
    from csdesk.reports.pptx_internal import INTERNAL_SLIDES

    deck = Deck(case)
    sections = ct.present_sections(case, options)
    for key in sections:
        if key == "agenda":
            _agenda(deck, sections)
        elif key in CLIENT_SLIDES:
            CLIENT_SLIDES[key](deck, options)
        elif key in _PAIRS and _PAIRS[key] in sections:
            continue  # drawn on its pair's slide
        elif key in INTERNAL_SLIDES:
            INTERNAL_SLIDES[key](deck, options, sections)
    return deck


def slide_titles(case: BusinessCase, options: ExportOptions | None = None) -> list[str]:
    """The titles of the deck's slides (for a preview), in order."""
    deck = _build(case, options or ExportOptions())
    return [
        shape.text_frame.text
        for slide in deck.prs.slides
        for shape in slide.shapes
        if shape.name == TITLE_NAME
    ]


def render_case_pptx(
    case: BusinessCase, target: Path | BinaryIO, options: ExportOptions | None = None
) -> None:
    """Lay out a business case as a 16:9 deck.

    Args:
        case: The assembled case.
        target: A file path or a binary stream.
        options: Edition and sections (default: the client edition, every section).
    """
    data = _build(case, options or ExportOptions()).save()
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
