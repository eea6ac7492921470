"""The closing sections of the business-case PDF: renewal proposal, success metrics, next steps."""

from __future__ import annotations

from typing import Any

from csdesk.reports import formatting as f
from csdesk.reports.case_types import BusinessCase, SuccessMetric
from csdesk.reports.pdf_sections import P, table
from csdesk.reports.pdf_style import FRAME_WIDTH, Styles
from csdesk.reports.safe_text import para

__all__ = ["metrics_section", "next_steps_section", "renewal_section"]

_GOOD, _SHORT = "#2e9d5b", "#d64545"
_STATUS = {
    "done": ("Done", "#2e9d5b"),
    "open": ("Open", "#1f3a5f"),
    "overdue": ("Overdue", "#d64545"),
    "planned": ("Planned", "#6b7280"),
    "passed": ("Date passed", "#6b7280"),
}


def renewal_section(case: BusinessCase, s: Styles) -> list[Any]:
    """Current price, list price, discounts, proposed price with its lock, and the tier advice."""
    r, price, cur, acc = case.renewal, case.renewal.price, case.currency, case.account
    story: list[Any] = [P("Renewal proposal", s.h2)]
    if r.renewal_date is None:
        story.append(P("No renewal date is recorded for this account.", s.muted))
    elif r.overdue:
        story.append(
            P(
                f'<font color="{_SHORT}"><b>Renewal overdue:</b></font> the contract end date '
                f"{f.date_text(r.renewal_date)} has passed.",
                s.body,
            )
        )
    else:
        left = (
            f" ({r.days_left} days from {f.date_text(case.prepared_on)})"
            if (r.days_left is not None and r.days_left >= 0)
            else ""
        )
        story.append(P(f"Contract end date: <b>{f.date_text(r.renewal_date)}</b>{left}.", s.body))
    if price.renewal_price is None:
        story.append(P(f"No renewal price can be proposed: {para(price.reason or '')}.", s.muted))
    else:
        tier = f" ({para(acc.tier)})" if acc.tier else ""
        rows: list[list[Any]] = [[P("Item", s.head), P("Amount per year", s.head_right)]]
        current = "Current price"
        if acc.status == "pilot":
            share = acc.pilot_discount if acc.pilot_discount is not None else 0.30
            current = f"Current price (pilot, {f.percent(share)} below list until renewal)"
        rows.append([P(current, s.cell), P(f.money(price.current_price, cur), s.cell_right)])
        rows.append(
            [P(f"List price{tier}", s.cell), P(f.money(price.list_price, cur), s.cell_right)]
        )
        if price.list_price is not None and price.base_price != price.list_price:
            rows.append(
                [
                    P("Current price kept (no price cut at renewal)", s.cell),
                    P(f.money(price.base_price, cur), s.cell_right),
                ]
            )
        if price.loyalty_discount:
            rows.append(
                [
                    P("Loyalty discount for annual prepayment (10%)", s.cell),
                    P(f.money(-price.loyalty_discount, cur), s.cell_right),
                ]
            )
        total = len(rows)
        rows.append(
            [
                P("Proposed renewal price", s.cell_bold),
                P(f.money(price.renewal_price, cur), s.cell_bold_right),
            ]
        )
        change = price.change
        if change is not None:
            word = "increase" if change > 0 else "saving" if change < 0 else "no change"
            rows.append(
                [
                    P(f"Change against the current price ({word})", s.cell),
                    P(f.money(change, cur), s.cell_right),
                ]
            )
        rows.append([P("Price lock", s.cell), P(f"{price.lock_months} months", s.cell_right)])
        story.append(
            table(rows, [FRAME_WIDTH * 0.7, FRAME_WIDTH * 0.3], total_rows=(total,), zebra=False)
        )
    story.append(P("Tier recommendation", s.h3))
    story.append(P(para(r.recommendation), s.body))
    return story


def _metric_value(metric: SuccessMetric, value: float | None) -> str:
    if value is None:
        return f.DASH
    if metric.flag:
        return "Yes" if value else "No"
    return f.number(value, 0 if float(value).is_integer() or abs(value) >= 100 else 2)


def metrics_section(case: BusinessCase, s: Styles) -> list[Any]:
    """Each success metric's target, actual and whether it is met."""
    story: list[Any] = [P("Success metrics", s.h2)]
    metrics = case.success_metrics
    if not metrics or all(m.actual is None for m in metrics):
        story.append(P("No success metrics have been recorded for this account yet.", s.muted))
        return story
    source = (
        "Targets agreed with the client."
        if any(m.agreed for m in metrics)
        else "No targets have been agreed yet; the health model's targets are shown."
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
            status = f.DASH
        elif m.met:
            status = f'<font color="{_GOOD}">●</font> On target'
        else:
            status = f'<font color="{_SHORT}">●</font> Off target'
        target = _metric_value(m, m.target)
        if m.target is not None and not m.flag:
            target = ("≥ " if m.higher_is_better else "≤ ") + target
        rows.append(
            [
                P(para(m.label), s.cell),
                P(target, s.cell_right),
                P(_metric_value(m, m.actual), s.cell_right),
                P(status, s.cell),
            ]
        )
    story.append(
        table(rows, [FRAME_WIDTH * 0.46, FRAME_WIDTH * 0.17, FRAME_WIDTH * 0.17, FRAME_WIDTH * 0.2])
    )
    return story


def next_steps_section(case: BusinessCase, s: Styles) -> list[Any]:
    """The renewal milestones and open tasks by date, then the recommended actions."""
    story: list[Any] = [P("Next steps", s.h2)]
    dated = [step for step in case.next_steps if step.due is not None]
    actions = [step for step in case.next_steps if step.due is None]
    if dated:
        rows: list[list[Any]] = [[P("Date", s.head), P("Step", s.head), P("Status", s.head)]]
        for step in dated:
            label, colour = _STATUS.get(step.status, (step.status.title(), "#6b7280"))
            kind = " (renewal milestone)" if step.kind == "milestone" else ""
            rows.append(
                [
                    P(f.date_text(step.due), s.cell),
                    P(para(step.title) + f'<font color="#6b7280">{kind}</font>', s.cell),
                    P(f'<font color="{colour}">{label}</font>', s.cell),
                ]
            )
        story.append(table(rows, [FRAME_WIDTH * 0.18, FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.2]))
    elif case.renewal.renewal_date is None:
        story.append(P("No renewal milestones: the contract end date is not recorded.", s.muted))
    if actions:
        story.append(P("Recommended actions", s.h3))
        story.extend(P(para(step.title), s.bullet, bullet="•") for step in actions)
    return story
