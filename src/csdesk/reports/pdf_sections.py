"""The sections of the business-case PDF, each a list of platypus flowables built from the case."""

from __future__ import annotations

from typing import Any

from csdesk.reports import formatting as f
from csdesk.reports.case_options import ExportOptions
from csdesk.reports.case_types import BusinessCase
from csdesk.reports.formatting import Formats
from csdesk.reports.pdf_style import FRAME_WIDTH, Styles, band_hex, table_style
from csdesk.reports.safe_text import para
from csdesk.scoring.rounding import to_decimal

__all__ = ["executive_summary", "health_section", "usage_section", "value_section"]

_SCENARIO_TITLES = {
    "conservative": "Conservative",
    "expected": "Expected",
    "optimistic": "Optimistic",
}


def P(text: str, style: Any, bullet: str | None = None) -> Any:
    """A paragraph of already-escaped markup, optionally with a bullet."""
    from reportlab.platypus import Paragraph

    return Paragraph(text, style, bulletText=bullet)


def table(rows: list[list[Any]], widths: list[float], **style_kw: Any) -> Any:
    """A full-width house-style table (header repeats on a new page)."""
    from reportlab.platypus import Table

    # splitInRow: a row of long data text continues on the next page instead of failing
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    t.setStyle(table_style(len(rows), **style_kw))
    return t


def _tile(label: str, value: str, note: str, s: Styles, colour: str | None = None) -> list[Any]:
    value_markup = f'<font color="{colour}">{value}</font>' if colour else value
    return [P(label.upper(), s.tile_label), P(value_markup, s.tile_value), P(note, s.tile_note)]


def _tiles(tiles: list[list[Any]]) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    from csdesk.reports.fonts import REGULAR

    width = FRAME_WIDTH / len(tiles)
    t = Table([tiles], colWidths=[width] * len(tiles), hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), HexColor("#f3f5f8")),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 9),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ("LINEABOVE", (0, 0), (-1, 0), 2, HexColor("#1f3a5f")),
    ]
    for col in range(1, len(tiles)):
        commands.append(("LINEBEFORE", (col, 0), (col, 0), 3, HexColor("#ffffff")))
    t.setStyle(TableStyle(commands))
    return t


def executive_summary(case: BusinessCase, s: Styles, options: ExportOptions) -> list[Any]:
    """Headline tiles (ROI multiple, net value, payback; health internally) and the summary."""
    fm = case.formats
    from reportlab.platypus import Spacer

    from csdesk.reports.case_text import summary_text

    roi, health = case.roi.result, case.health
    no_roi = "no ROI yet" if not case.roi.has_inputs else (roi.reason or "")
    tiles = [
        _tile(
            "ROI multiple",
            fm.multiple(roi.multiple),
            "value ÷ annual cost" if roi.multiple is not None else no_roi,
            s,
        ),
        _tile(
            "Net value",
            fm.money(roi.net_value),
            "value − cost, per year" if roi.net_value is not None else no_roi,
            s,
        ),
        _tile(
            "Payback",
            fm.months(roi.payback_months).replace(" months", " mo").replace(" month", " mo"),
            "to recover the annual cost" if roi.payback_months is not None else no_roi,
            s,
        ),
    ]
    if options.internal:
        tiles.append(
            _tile(
                "Health",
                para(health.band) if health.band else f.DASH,
                f"score {fm.number(health.score, 1)} / 100"
                if health.score is not None
                else "no score yet",
                s,
                band_hex(health.band) if health.band else None,
            )
        )
    story: list[Any] = [P("Executive summary", s.h1), Spacer(0, 6), _tiles(tiles), Spacer(0, 12)]
    text, drafted = summary_text(case, options)
    for block in text.split("\n\n"):
        if block.strip():
            story.append(P(para(block.strip()), s.lead))
    if drafted and options.internal:
        story.append(P("Drafted from the data: the CSM has not written a summary yet.", s.muted))
    return story


def value_section(case: BusinessCase, s: Styles) -> list[Any]:
    """The value lines under the three scenarios, with the ROI figures and the assumptions."""
    fm = case.formats
    roi = case.roi.result
    story: list[Any] = [P("Value delivered", s.h2)]
    if not roi.lines:
        story.append(
            P(
                "No ROI inputs have been recorded yet. Agree the assumptions with the client — "
                "hours saved, incidents avoided and their cost, revenue protected — to complete "
                "this section.",
                s.muted,
            )
        )
        return story
    scen = roi.scenarios
    head = [P("Value line", s.head)] + [
        P(f"{_SCENARIO_TITLES.get(x.name, x.name.title())} ×{x.factor:g}", s.head_right)
        for x in scen
    ]
    rows: list[list[Any]] = [head]
    for line in roi.lines:
        rows.append(
            [P(para(line.label), s.cell)]
            + [P(fm.money(line.amount * to_decimal(x.factor)), s.cell_right) for x in scen]
        )
    total_row = len(rows)
    rows.append(
        [P("Total value", s.cell_bold)]
        + [P(fm.money(x.total_value), s.cell_bold_right) for x in scen]
    )
    rows.append(
        [P("Annual cost (ARR)", s.cell)] + [P(fm.money(roi.cost), s.cell_right) for _ in scen]
    )
    rows.append(
        [P("Net value", s.cell_bold)] + [P(fm.money(x.net_value), s.cell_bold_right) for x in scen]
    )
    rows.append(
        [P("ROI multiple", s.cell)] + [P(fm.multiple(x.multiple), s.cell_right) for x in scen]
    )
    rows.append(
        [P("Payback", s.cell)] + [P(fm.months(x.payback_months), s.cell_right) for x in scen]
    )
    widths = [FRAME_WIDTH * 0.4] + [FRAME_WIDTH * 0.2] * 3
    story.append(table(rows, widths, total_rows=(total_row,), zebra=False))
    if roi.multiple is None:
        story.append(P(f"No ROI multiple: {para(roi.reason or '')}.", s.muted))
    story.append(P("Assumptions", s.h3))
    story.extend(P(text, s.small) for text in _assumptions(case))
    return story


def _assumptions(case: BusinessCase) -> list[str]:
    fm = case.formats
    i = case.roi.inputs
    out: list[str] = []
    if i.qa_hours_saved_per_month is not None and i.hourly_rate is not None:
        out.append(
            f"QA time saved: {fm.number(i.qa_hours_saved_per_month, 1)} hours a month × 12 × "
            f"{fm.money(i.hourly_rate, cents=True)} an hour."
        )
    if i.incidents_avoided_per_year is not None and i.cost_per_incident is not None:
        out.append(
            f"Incidents avoided: {fm.number(i.incidents_avoided_per_year, 1)} a year × "
            f"{fm.money(i.cost_per_incident)} an incident."
        )
    if i.revenue_protected is not None:
        out.append(f"Revenue protected: {fm.money(i.revenue_protected)} a year, as agreed.")
    for label in case.roi.result.incomplete:
        out.append(f"{para(label)}: left out, only part of its inputs is recorded.")
    out.append(
        "Scenarios scale every value line: conservative ×0.6, expected ×1.0, optimistic ×1.4."
    )
    return out


def health_section(case: BusinessCase, s: Styles) -> list[Any]:
    """The health score, its breakdown by measure and its history chart."""
    fm = case.formats
    from reportlab.platypus import Image, KeepTogether

    from csdesk.reports.charts import health_chart

    h = case.health
    story: list[Any] = [P("Account health", s.h2)]
    if h.score is None:
        story.append(P("No health score has been computed for this account yet.", s.muted))
    else:
        colour = band_hex(h.band)
        model = f" using the {para(h.model_name)} model" if h.model_name else ""
        since = f" on {fm.date(h.as_of)}" if h.as_of else ""
        story.append(
            P(
                f'Score <b>{fm.number(h.score, 1)}</b> — <font color="{colour}"><b>'
                f"{para(h.band or '')}</b></font>, measured{since}{model}.",
                s.body,
            )
        )
        if h.override_reason:
            story.append(
                P(
                    f"Set by the CSM (computed {fm.number(h.computed_score, 1)}): "
                    f"{para(h.override_reason)}",
                    s.muted,
                )
            )
    if h.breakdown:
        rows: list[list[Any]] = [
            [P(t, s.head) for t in ("Measure",)]
            + [P(t, s.head_right) for t in ("Weight", "Value", "Attainment", "Points")]
        ]
        for line in h.breakdown:
            no_data = line.attainment is None
            rows.append(
                [
                    P(para(line.label), s.cell),
                    P(fm.percent(line.weight_share), s.cell_right),
                    P(_value(line.value, fm), s.cell_right),
                    P("no data" if no_data else fm.percent(line.attainment), s.cell_right),
                    P(
                        f.DASH if line.contribution is None else fm.number(line.contribution, 1),
                        s.cell_right,
                    ),
                ]
            )
        widths = [FRAME_WIDTH * 0.36] + [FRAME_WIDTH * 0.16] * 4
        story.append(table(rows, widths))
    if len(h.history) >= 1:
        chart = health_chart(h.history, width_in=FRAME_WIDTH / 72, formats=fm)
        image = Image(_stream(chart.png), width=chart.width_pt, height=chart.height_pt)
        story.append(KeepTogether([P("Health score over time", s.h3), image]))
    return story


def _value(value: float | None, fm: Formats) -> str:
    if value is None:
        return f.DASH
    return fm.number(value, 0 if float(value).is_integer() or abs(value) >= 100 else 2)


def usage_section(case: BusinessCase, s: Styles) -> list[Any]:
    """The usage trend chart with the limit, and the usage against the tier's volume."""
    fm = case.formats
    from reportlab.platypus import Image, KeepTogether

    from csdesk.reports.charts import usage_chart

    u = case.usage
    story: list[Any] = [P("Adoption and usage", s.h2)]
    if not u.usage:
        story.append(P("No usage has been recorded for this account yet.", s.muted))
        return story
    limit, label = (
        (u.usage_limit, "Usage limit") if u.usage_limit else (u.included_volume, "Included volume")
    )
    first, last = u.usage[0], u.usage[-1]
    text = f"Monthly usage is {fm.number(last.value)} as of {fm.date(last.as_of)}"
    if len(u.usage) > 1 and first.value:
        change = (last.value - first.value) / first.value
        text += (
            f", {'up' if change >= 0 else 'down'} {fm.percent(abs(change))} since "
            f"{fm.date(first.as_of)}"
        )
    if limit:
        text += f"; that is {fm.percent(last.value / limit)} of the {label.lower()}"
    if u.logins:
        text += f". {fm.number(u.logins[-1].value)} logins in the last 30 days"
    chart = usage_chart(u.usage, limit, label, width_in=FRAME_WIDTH / 72, formats=fm)
    image = Image(_stream(chart.png), width=chart.width_pt, height=chart.height_pt)
    # One block: a heading or a sentence never ends a page apart from its chart.
    return [KeepTogether([*story, P(text + ".", s.body), image])]


def _stream(png: bytes) -> Any:
    import io

    return io.BytesIO(png)
