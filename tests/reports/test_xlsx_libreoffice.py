"""The case workbook recalculated by LibreOffice gives the values the export saved."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from report_builders import TODAY

from csdesk.reports.case_data import assemble_case
from csdesk.reports.xlsx import write_case_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def _without_values(data: bytes) -> bytes:
    """The same workbook with every formula's saved value removed (LibreOffice must compute)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v></v>", content)
                content = content.replace(b' t="str"><f>', b"><f>")
            target.writestr(item, content)
    return out.getvalue()


def test_libreoffice_recalculates_to_the_saved_values(case_portfolio: Any, tmp_path: Path) -> None:
    with case_portfolio.read() as session:
        case = assemble_case(session, case_portfolio.full_id, today=TODAY)
    buffer = io.BytesIO()
    write_case_workbook(case, buffer)
    saved = tmp_path / "saved.xlsx"
    saved.write_bytes(buffer.getvalue())
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(_without_values(buffer.getvalue()))
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(blank),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    ours = load_workbook(saved, data_only=True)
    formulas_wb = load_workbook(saved)
    theirs = load_workbook(out / "blank.xlsx", data_only=True)
    compared = 0
    for ws in formulas_wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                mine = ours[ws.title][cell.coordinate].value
                recalculated = theirs[ws.title][cell.coordinate].value
                if mine == "":
                    assert recalculated in ("", None), (ws.title, cell.coordinate)
                else:
                    assert recalculated == pytest.approx(mine), (ws.title, cell.coordinate)
                    compared += 1
    assert compared >= 10
