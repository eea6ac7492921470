"""Saving each formula's computed value in the workbook file, so readers that do not calculate
(previews, mail clients, openpyxl ``data_only=True``) show the numbers.

Why this and not another writer: openpyxl (which writes the workbook, its styles, defined names
and charts) stores a formula with an empty ``<v/>``; XlsxWriter can store a value
(``write_formula(..., value=)``) but would mean rewriting every sheet in a second library that
cannot read a workbook back. The values are known exactly when the workbook is written — they
are the figures :func:`csdesk.scoring.roi.compute_roi` gives for the same inputs — so the writer
records each formula's value next to it and this module writes it into the saved sheet XML in
one pass (about a millisecond). ``fullCalcOnLoad`` stays on, so Excel and LibreOffice still
recalculate on opening, and a changed assumption flows through as before.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence

__all__ = ["store_cached_values"]

_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*(?:/>|></v>)</c>', re.S)


def _number(value: float) -> bytes:
    if not math.isfinite(value):
        return b""
    return repr(float(value)).encode()


def _patch(xml: bytes, values: Mapping[str, float | str]) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        ref, attrs, body = match.group(1), match.group(2), match.group(3)
        value = values.get(ref.decode())
        if value is None:
            return match.group(0)
        if isinstance(value, str):
            text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            return (
                b'<c r="'
                + ref
                + b'"'
                + attrs
                + b' t="str"><f>'
                + body
                + b"</f><v>"
                + text.encode()
                + b"</v></c>"
            )
        return (
            b'<c r="'
            + ref
            + b'"'
            + attrs
            + b"><f>"
            + body
            + b"</f><v>"
            + _number(value)
            + b"</v></c>"
        )

    return _CELL.sub(replace, xml)


def store_cached_values(
    data: bytes, sheets: Sequence[str], cached: Mapping[tuple[str, str], float | str]
) -> bytes:
    """Write the computed value of each formula cell into a saved openpyxl workbook.

    Args:
        data: The ``.xlsx`` bytes as openpyxl saved them.
        sheets: The sheet titles in workbook order (``sheet1.xml`` is the first).
        cached: Value by ``(sheet title, cell reference)``; ``""`` for an empty result.

    Returns:
        The workbook bytes with the values stored.
    """
    by_file: dict[str, dict[str, float | str]] = {}
    for index, title in enumerate(sheets, start=1):
        values = {ref: v for (sheet, ref), v in cached.items() if sheet == title}
        if values:
            by_file[f"xl/worksheets/sheet{index}.xml"] = values
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in by_file:
                content = _patch(content, by_file[item.filename])
            target.writestr(item, content)
    return out.getvalue()
