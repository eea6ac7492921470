"""The internal edition's deck slides: health, risks and actions, forecast and price, milestones."""

from __future__ import annotations

from collections.abc import Callable

from csdesk.reports import case_text as ct
from csdesk.reports import formatting as f
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.pptx_parts import (
    BODY_TOP_IN,
    MARGIN_IN,
    Deck,
    add_line_chart,
    add_table,
    add_text,
)

__all__ = ["INTERNAL_SLIDES"]

_BODY_W = 13.333 - 2 * MARGIN_IN
_STATUS = {
    "done": "Done",
    "open": "Open",
    "overdue": "Overdue",
    "planned": "Planned",
    "passed": "Date passed",
}


def _health(d: Deck, _o: ExportOptions, _sections: tuple[str, ...]) -> None:
    fm = d.case.formats
    h = d.case.health
    title = (
        f"Health {h.band} at {fm.number(h.score, 1)}"
        if h.score is not None
        else "No health score yet"
    )
    s = d.slide(
        title,
        [
            "Internal: where the account stands and which measures move the score.",
            f"Score and breakdown: the newest health snapshot"
            f"{f' ({h.model_name} model)' if h.model_name else ''}; history: every recompute.",
        ],
    )
    rows = [
        [
            x.label,
            fm.percent(x.weight_share),
            "no data" if x.attainment is None else fm.percent(x.attainment),
            f.DASH if x.contribution is None else fm.number(x.contribution, 1),
        ]
        for x in h.breakdown
    ]
    if h.history:
        add_line_chart(
            s,
            BODY_TOP_IN,
            2.9,
            [fm.month(p.as_of) for p in h.history],
            [("Health score", [p.score for p in h.history])],
            (d.accent,),
            fm.excel_code("0"),
            y_range=(0, 100),
        )
    top = BODY_TOP_IN + (3.0 if h.history else 0)
    if rows:
        add_table(
            s,
            top,
            ("Measure", "Weight", "Attainment", "Points"),
            rows[:6],
            (4, 1, 1, 1),
            d.accent,
            size=11,
        )


def _risks(d: Deck, _o: ExportOptions, sections: tuple[str, ...]) -> None:
    risks = list(ct.risks(d.case)) if "risks" in sections else []
    actions = (
        [x.title for x in d.case.next_steps if x.kind == "action"]
        if "recommendations" in sections
        else []
    )
    title = f"Risk: {risks[0]}" if risks else "Recommended actions before the renewal"
    s = d.slide(
        title[:110],
        [
            "Internal: the weakest measures with their values, and what to do about each.",
            "Values and attainment: the newest health snapshot's breakdown.",
        ],
    )
    top = BODY_TOP_IN
    if risks:
        add_text(s, MARGIN_IN, top, _BODY_W, 2.2, risks, size=16, bullets=True, shrink=True)
        top += 2.4
    if actions:
        add_text(s, MARGIN_IN, top, _BODY_W, 0.4, ["Recommended actions"], size=14, bold=True)
        add_text(
            s, MARGIN_IN, top + 0.45, _BODY_W, 2.4, actions, size=16, bullets=True, shrink=True
        )


def _forecast(d: Deck, _o: ExportOptions, sections: tuple[str, ...]) -> None:
    fm = d.case.formats
    c = d.case
    r, price = c.renewal, c.renewal.price
    title = (
        f"Forecast {fm.money(r.forecast)} of {fm.money(c.account.arr)} "
        f"({fm.percent(r.likelihood)} likelihood)"
        if "forecast" in sections and r.forecast is not None
        else "How the renewal price was reached"
    )
    rows: list[list[str]] = []
    if "price_logic" in sections and price.renewal_price is not None:
        rows += [
            ["Current price", fm.money(price.current_price)],
            ["List price", fm.money(price.list_price)],
        ]
        if price.list_price is not None and price.base_price != price.list_price:
            rows.append(
                ["Current price kept (no price cut at renewal)", fm.money(price.base_price)]
            )
        if price.loyalty_discount:
            rows.append(["Loyalty discount (annual prepayment)", fm.money(-price.loyalty_discount)])
        rows.append(["Proposed renewal price", fm.money(price.renewal_price)])
        if price.change is not None:
            rows.append(["Change against the current price", fm.money(price.change)])
    s = d.slide(
        title,
        [
            "Internal: expected ARR and the price mechanics behind the proposal.",
            "Likelihood by health band; forecast = ARR × likelihood.",
        ],
    )
    if rows:
        add_table(s, BODY_TOP_IN, ("Price logic", "Per year"), rows, (3, 1), d.accent, size=14)


def _milestones(d: Deck, _o: ExportOptions, sections: tuple[str, ...]) -> None:
    fm = d.case.formats
    kinds = {k for k, key in (("milestone", "milestones"), ("task", "tasks")) if key in sections}
    steps = [x for x in d.case.next_steps if x.kind in kinds and x.due is not None]
    missed = sum(1 for x in steps if x.status in ("passed", "overdue"))
    title = (
        f"{missed} of {len(steps)} renewal steps overdue or missed"
        if missed
        else f"{len(steps)} renewal steps on schedule"
    )
    s = d.slide(
        title,
        [
            "Internal: the renewal calendar and open tasks with their status.",
            "Milestones: contract end date minus 60/45/30/15 days; tasks: csdesk.",
        ],
    )
    rows = [[fm.date(x.due), x.title, _STATUS.get(x.status, x.status.title())] for x in steps]
    add_table(s, BODY_TOP_IN, ("Date", "Step", "Status"), rows[:10], (1.4, 5, 1.4), d.accent)


INTERNAL_SLIDES: dict[str, Callable[[Deck, ExportOptions, tuple[str, ...]], None]] = {
    "health": _health,
    "risks": _risks,
    "recommendations": _risks,
    "forecast": _forecast,
    "price_logic": _forecast,
    "milestones": _milestones,
    "tasks": _milestones,
}
