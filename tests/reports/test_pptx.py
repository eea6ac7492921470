"""The business-case deck: 16:9, message titles, order, native charts, notes, branding, text."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from pptx.util import Inches
from report_builders import TODAY, UNICODE_NAMES, add_account, build_full_account

from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions, parse_sections
from csdesk.reports.pptx_deck import MAX_SLIDES, render_case_pptx, slide_titles
from csdesk.scoring.branding import Branding
from csdesk.scoring.success_plan import Goal, Narrative, SuccessPlan
from pptx_text import all_text, chart_series, load, titles

INTERNAL = ExportOptions(edition="internal")
PLAN = SuccessPlan(
    goals=(
        Goal(
            1,
            "Cut QA review time",
            "Maria",
            "qa_hours_saved_per_month",
            None,
            None,
            None,
            TODAY.replace(year=2027),
            "on track",
        ),
        Goal(
            2,
            "Secret upsell",
            "CSM",
            None,
            None,
            None,
            None,
            None,
            "planned",
            text="x",
            internal=True,
        ),
    ),
    narrative=Narrative(wins="EMEA live\nZero P0 incidents", next_term_goals="Extend to APAC."),
)
BRAND = Branding(vendor_name="Northwind", accent="#0F766E", footer="Confidential")


def _case(portfolio: Any, account_id: int) -> Any:
    with portfolio.read() as session:
        return assemble_case(session, account_id, today=TODAY, plan=PLAN, branding=BRAND)


def _deck(case: Any, options: ExportOptions | None = None) -> Any:
    buffer = io.BytesIO()
    render_case_pptx(case, buffer, options)
    return load(buffer.getvalue())


@pytest.mark.parametrize("options", [ExportOptions(), INTERNAL], ids=["client", "internal"])
def test_deck_shape_order_and_notes(case_portfolio: Any, options: ExportOptions) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    prs = _deck(case, options)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    names = titles(prs)
    assert len(names) == len(prs.slides) <= MAX_SLIDES
    assert names == slide_titles(case, options)
    value = next(i for i, t in enumerate(names) if "return" in t)
    assert 1 <= value <= 3  # within the first three slides after the cover
    assert names[value].startswith("2.45× return")
    road = next(i for i, t in enumerate(names) if t.startswith("Next term"))
    renew = next(i for i, t in enumerate(names) if t.startswith(("Renew on", "Renew at")))
    assert road < renew
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes.splitlines()) >= 2, notes
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "Confidential · Prepared for" in texts  # the branded footer
        assert not [s for s in slide.shapes if s.shape_type == 13]  # no pictures (no logo set)


def test_charts_are_native_and_carry_the_real_series(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    series = chart_series(_deck(case, INTERNAL))
    assert series["Monthly usage"] == [p.value for p in case.usage.usage]
    assert series["Health score"] == [p.score for p in case.health.history]
    # Exact amounts go to the chart as floats (a chart's numbers are floats).
    assert series["Total value"] == [float(s.total_value) for s in case.roi.result.scenarios]
    assert "Health score" not in chart_series(_deck(case))  # client edition: no health chart


def test_client_deck_has_no_internal_material(case_portfolio: Any) -> None:
    text = all_text(_deck(_case(case_portfolio, case_portfolio.full_id)))
    for term in ("Secret upsell", "weight", "Weight", "likelihood", "Date passed", "no price cut"):
        assert term not in text, term
    assert "Cut QA review time" in text and "EMEA live" in text


def test_internal_deck_names_the_weak_measures_and_price_logic(case_portfolio: Any) -> None:
    text = all_text(_deck(_case(case_portfolio, case_portfolio.full_id), INTERNAL))
    assert "Secret upsell" in text and "likelihood" in text
    assert "Weight" in text and "Price logic" in text


def test_sections_left_out_or_empty_have_no_slide(case_portfolio: Any) -> None:
    case = _case(case_portfolio, case_portfolio.full_id)
    names = titles(_deck(case, ExportOptions(sections=parse_sections("cover,value,renewal"))))
    assert len(names) == 3 and names[1].startswith("2.45×")
    bare = _case(case_portfolio, case_portfolio.bare_id)
    bare = dataclasses.replace(bare, plan=SuccessPlan())
    names = titles(_deck(bare))
    assert not any("return" in t or t.startswith("Next term") for t in names)


def test_logo_is_placed_on_every_slide(case_portfolio: Any) -> None:
    from csdesk.reports.charts import health_chart

    png = health_chart(_case(case_portfolio, case_portfolio.full_id).health.history, 2).png
    case = dataclasses.replace(
        _case(case_portfolio, case_portfolio.full_id),
        branding=dataclasses.replace(BRAND, logo=png, logo_kind="png"),
    )
    prs = _deck(case)
    assert all([s for s in slide.shapes if s.shape_type == 13] for slide in prs.slides)


@pytest.mark.parametrize("name", [*UNICODE_NAMES, '=HYPERLINK("http://x","y")'])
def test_names_print_as_written(portfolio: Any, name: str) -> None:
    with portfolio.write() as session:
        account_id = build_full_account(session, name=name, crm_id="H-1")
        add_account(session, "Other")
    text = all_text(_deck(_case(portfolio, account_id)))
    assert name in text
    assert "&amp;" not in text and "&lt;" not in text
