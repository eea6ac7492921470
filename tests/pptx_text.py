"""Reading a deck back for the tests: slide titles, all text (notes included) and chart series."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation

from csdesk.reports.pptx_parts import TITLE_NAME


def load(data: bytes) -> Any:
    """The presentation from PPTX bytes."""
    return Presentation(io.BytesIO(data))


def titles(prs: Any) -> list[str]:
    """Each slide's message (its title shape)."""
    return [
        shape.text_frame.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.name == TITLE_NAME
    ]


def all_text(prs: Any, *, notes: bool = True) -> str:
    """Every text of the deck: text boxes, table cells, chart names and speaker notes."""
    parts: list[str] = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                for plot in shape.chart.plots:
                    parts += [str(c) for c in plot.categories]
                    parts += [s.name for s in plot.series]
        if notes and slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def chart_series(prs: Any) -> dict[str, list[float | None]]:
    """Every chart series of the deck by name (values as stored in the chart)."""
    found: dict[str, list[float | None]] = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                for plot in shape.chart.plots:
                    for s in plot.series:
                        found[s.name] = list(s.values)
    return found
