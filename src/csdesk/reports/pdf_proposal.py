"""The business-case PDF's renewal proposal, price logic (internal) and success metrics."""

from __future__ import annotations

from typing import Any

from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_text import met_text, metric_value, target_text
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.pdf_sections import P, table
from csdesk.reports.pdf_style import FRAME_WIDTH, Styles
from csdesk.reports.safe_text import para
from csdesk.scoring.renewal import PREPAY_DISCOUNT

__all__ = ["metrics_section", "price_table", "renewal_section"]

_GOOD, _SHORT = "#2e9d5b", "#d64545"


def renewal_section(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """The proposal: contract end, term, proposed price with its lock, tier recommendation.

    The client edition states the proposal only; how the price was reached (list price, kept
    price, discounts) is the internal edition's price-logic section.
    """
    fm = case.formats
    r, price, acc = case.renewal, case.renewal.price, case.account
    story: list[Any] = [P("Renewal proposal", s.h2)]
    if r.renewal_date is not None and options.internal and r.overdue:
        story.append(
            P(
                f'<font color="{_SHORT}"><b>Renewal overdue:</b></font> the contract end date '
                f"{fm.date(r.renewal_date)} has passed.",
                s.body,
            )
        )
    elif r.renewal_date is not None:
        left = (
            f" ({r.days_left} days from {fm.date(case.prepared_on)})"
            if (r.days_left is not None and r.days_left >= 0)
            else ""
        )
        story.append(P(f"Contract end date: <b>{fm.date(r.renewal_date)}</b>{left}.", s.body))
    if price.renewal_price is None:
        if options.internal:
            story.append(
                P(f"No renewal price can be proposed: {para(price.reason or '')}.", s.muted)
            )
    else:
        tier = para(r.recommended_tier or acc.tier or "")
        rows: list[list[Any]] = [[P("Proposal", s.head), P("", s.head_right)]]
        if tier:
            rows.append([P("Tier", s.cell), P(tier, s.cell_right)])
        rows.append(
            [
                P("Renewal price per year", s.cell_bold),
                P(fm.money(price.renewal_price), s.cell_bold_right),
            ]
        )
        rows.append([P("Price fixed for", s.cell), P(f"{price.lock_months} months", s.cell_right)])
        story.append(table(rows, [FRAME_WIDTH * 0.7, FRAME_WIDTH * 0.3], zebra=False))
    story.append(P("Tier recommendation", s.h3))
    story.append(P(para(r.recommendation), s.body))
    return story


def price_table(case: BusinessCase, s: Styles) -> Any:
    """Current price, list price, kept price, discounts, proposed price and lock (internal)."""
    fm = case.formats
    price, acc = case.renewal.price, case.account
    if price.renewal_price is None:
        return P(f"No renewal price can be proposed: {para(price.reason or '')}.", s.muted)
    tier = f" ({para(acc.tier)})" if acc.tier else ""
    rows: list[list[Any]] = [[P("Item", s.head), P("Amount per year", s.head_right)]]
    current = "Current price"
    if acc.status == "pilot":
        share = acc.pilot_discount if acc.pilot_discount is not None else 0.30
        current = f"Current price (pilot, {fm.percent(share)} below list until renewal)"
    rows.append([P(current, s.cell), P(fm.money(price.current_price), s.cell_right)])
    rows.append([P(f"List price{tier}", s.cell), P(fm.money(price.list_price), s.cell_right)])
    if price.list_price is not None and price.base_price != price.list_price:
        rows.append(
            [
                P("Current price kept (no price cut at renewal)", s.cell),
                P(fm.money(price.base_price), s.cell_right),
            ]
        )
    if price.loyalty_discount:
        rows.append(
            [
                P(
                    f"Loyalty discount for annual prepayment ({fm.percent(PREPAY_DISCOUNT)})",
                    s.cell,
                ),
                P(fm.money(-price.loyalty_discount), s.cell_right),
            ]
        )
    total = len(rows)
    rows.append(
        [
            P("Proposed renewal price", s.cell_bold),
            P(fm.money(price.renewal_price), s.cell_bold_right),
        ]
    )
    change = price.change
    if change is not None:
        word = "increase" if change > 0 else "saving" if change < 0 else "no change"
        rows.append(
            [
                P(f"Change against the current price ({word})", s.cell),
                P(fm.money(change), s.cell_right),
            ]
        )
    rows.append([P("Price lock", s.cell), P(f"{price.lock_months} months", s.cell_right)])
    return table(rows, [FRAME_WIDTH * 0.7, FRAME_WIDTH * 0.3], total_rows=(total,), zebra=False)


def metrics_section(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """Each success metric's target, actual and whether it is met."""
    story: list[Any] = [P("Success metrics", s.h3)]
    fm = case.formats
    metrics = case.success_metrics
    if not metrics or all(m.actual is None for m in metrics):
        return []
    source = (
        "Targets agreed with the client where set; the others are the service's standard targets."
        if any(m.agreed for m in metrics)
        else "The service's standard targets."
    )
    story.append(P(source, s.muted))
    rows: list[list[Any]] = [
        [
            P("Metric", s.head),
            P("Target", s.head_right),
            P("Actual", s.head_right),
            P("Status", s.head),
        ]
    ]
    for m in metrics:
        if m.met is None:
            status = met_text(m)
        elif m.met:
            status = f'<font color="{_GOOD}">●</font> On target'
        else:
            status = f'<font color="{_SHORT}">●</font> Off target'
        target = metric_value(m, m.target, fm) if m.target is not None else target_text(m, fm)
        if m.target is not None and not m.flag:
            target = ("≥ " if m.higher_is_better else "≤ ") + target
        rows.append(
            [
                P(para(m.label), s.cell),
                P(target, s.cell_right),
                P(metric_value(m, m.actual, fm), s.cell_right),
                P(status, s.cell),
            ]
        )
    story.append(
        table(rows, [FRAME_WIDTH * 0.46, FRAME_WIDTH * 0.17, FRAME_WIDTH * 0.17, FRAME_WIDTH * 0.2])
    )
    return story
