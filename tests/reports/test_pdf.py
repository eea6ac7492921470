"""The business-case PDF: sections, page numbers, embedded font, text printed as written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from report_builders import TODAY, UNICODE_NAMES, add_account, build_full_account

from csdesk.reports.case_data import assemble_case
from csdesk.reports.case_options import ExportOptions, parse_sections
from csdesk.reports.pdf import render_case_pdf

INTERNAL = ExportOptions(edition="internal")


def _pdf(portfolio: Any, account_id: int, options: ExportOptions = INTERNAL) -> PdfReader:
    with portfolio.read() as session:
        case = assemble_case(session, account_id, today=TODAY)
    buffer = io.BytesIO()
    render_case_pdf(case, buffer, options)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_full_case_has_every_section_and_numbered_pages(case_portfolio: Any) -> None:
    reader = _pdf(case_portfolio, case_portfolio.full_id)
    pages = _text(reader)
    everything = "\n".join(pages)
    for heading in (
        "RENEWAL BUSINESS CASE",
        "Executive summary",
        "Value delivered",
        "Account health",
        "Health score over time",
        "Adoption and usage",
        "Renewal proposal",
        "Tier recommendation",
        "Success metrics",
        "Renewal milestones",
        "Price logic",
    ):
        assert heading in everything, heading
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    assert "Page 1 of" not in pages[0]  # the cover carries no page number
    # Figures as computed: ROI multiple, net value, payback, renewal price and lock.
    for figure in ("2.45×", "$34,901", "4.9 months", "$21,600", "24 months", "-$2,400"):
        assert figure in everything, figure
    assert "Upgrade to Professional" in everything
    assert reader.metadata.title == "Renewal business case — Müller & Søn"


def test_charts_are_embedded_as_images(case_portfolio: Any) -> None:
    reader = _pdf(case_portfolio, case_portfolio.full_id)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2  # health history and usage trend


def test_only_the_bundled_font_is_used_and_it_is_embedded(case_portfolio: Any) -> None:
    reader = _pdf(case_portfolio, case_portfolio.full_id)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_names_print_exactly_as_written(portfolio: Any, name: str) -> None:
    with portfolio.write() as session:
        account_id = add_account(session, name, status="active", owner="Zoë <CSM> & Co")
    text = "\n".join(_text(_pdf(portfolio, account_id)))
    assert name in text
    assert "Zoë <CSM> & Co" in text
    assert "&amp;" not in text and "&lt;" not in text


def test_markup_in_data_text_is_not_interpreted(portfolio: Any) -> None:
    with portfolio.write() as session:
        account_id = build_full_account(session, name="<b>Bold</b> & <font size=40>Co", crm_id="X")
    text = "\n".join(_text(_pdf(portfolio, account_id)))
    assert "<b>Bold</b> & <font size=40>Co" in text
    assert "Send <usage> review & agenda" in text
    assert "=Faster onboarding" in text


def test_missing_data_is_said_plainly(case_portfolio: Any) -> None:
    text = "\n".join(_text(_pdf(case_portfolio, case_portfolio.bare_id)))
    # Sections without data are left out, not printed empty.
    for absent in ("Value delivered", "Adoption and usage", "Renewal proposal", "Account health"):
        assert absent not in text, absent
    assert "Confirm the contract end date" in text  # the internal recommendation says what to do
    assert "None" not in text and "nan" not in text


def test_client_edition_has_no_internal_material(case_portfolio: Any) -> None:
    text = "\n".join(_text(_pdf(case_portfolio, case_portfolio.full_id, ExportOptions())))
    for term in ("Account health", "Weight", "likelihood", "Date passed", "no price cut"):
        assert term not in text, term
    assert "2.45×" in text and "$21,600" in text  # the value and the proposal stay


def test_sections_left_out_are_absent(case_portfolio: Any) -> None:
    options = ExportOptions(edition="internal", sections=parse_sections("cover,summary,health"))
    text = "\n".join(_text(_pdf(case_portfolio, case_portfolio.full_id, options)))
    assert "Executive summary" in text and "Account health" in text
    assert "Value delivered" not in text and "Renewal proposal" not in text


def test_pilot_renews_from_its_discounted_price_to_list(portfolio: Any) -> None:
    with portfolio.write() as session:
        account_id = add_account(
            session,
            "Pilot Co",
            status="pilot",
            tier="Professional",
            arr=21000.0,
            pilot_discount=0.3,
        )
    text = "\n".join(_text(_pdf(portfolio, account_id)))
    assert "Current price (pilot, 30% below list until renewal)" in text
    assert "$30,000" in text and "$9,000" in text  # list price and the increase


def test_branding_names_the_vendor_and_footer(case_portfolio: Any) -> None:
    import dataclasses

    from csdesk.scoring.branding import Branding

    with case_portfolio.read() as session:
        case = assemble_case(session, case_portfolio.full_id, today=TODAY)
    brand = Branding(vendor_name="Northwind <Analytics>", accent="#0F766E", footer="Confidential")
    buffer = io.BytesIO()
    render_case_pdf(dataclasses.replace(case, branding=brand), buffer)
    pages = _text(PdfReader(io.BytesIO(buffer.getvalue())))
    assert "Northwind <Analytics> · Prepared" in pages[0]
    assert all("Confidential · Prepared" in page for page in pages[1:])


@pytest.mark.parametrize(
    ("locale", "size"),
    [
        ("en_US", (612, 792)),
        ("en_CA", (612, 792)),
        ("es_MX", (612, 792)),
        ("fil_PH", (612, 792)),
        ("de_DE", (595, 842)),
        ("en_GB", (595, 842)),
        ("fr_FR", (595, 842)),
        ("ja_JP", (595, 842)),
    ],
)
def test_paper_follows_the_locale(case_portfolio: Any, locale: str, size: tuple[int, int]) -> None:
    """US Letter where CLDR says so (US, Canada, Mexico, the Philippines …), else A4."""
    from csdesk.scoring.branding import Branding

    with case_portfolio.read() as session:
        case = assemble_case(
            session, case_portfolio.full_id, today=TODAY, branding=Branding(locale=locale)
        )
    buffer = io.BytesIO()
    render_case_pdf(case, buffer, INTERNAL)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
    # The text keeps its width on both papers: nothing runs past the side margins.
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Renewal business case" in text and "Page 2 of" in text
