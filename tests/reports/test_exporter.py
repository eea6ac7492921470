"""Export services and the CLI: one case, a batch with progress and cancel, timeline entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from report_builders import TODAY, add_account, build_full_account
from sqlalchemy import select, update

from csdesk.cli import main
from csdesk.errors import CsdeskError, NotFoundError
from csdesk.models import Account, Activity
from csdesk.services.export_worker import file_stem
from csdesk.services.exporter import export_all, export_case, suggested_stem
from support import FakeProgress


def _exports(portfolio: Any) -> list[tuple[int | None, str, Any]]:
    with portfolio.read() as session:
        rows = session.execute(
            select(Activity.account_id, Activity.summary, Activity.details).where(
                Activity.kind == "export"
            )
        )
        return [tuple(r) for r in rows]


def test_export_case_by_crm_id_and_by_name(case_portfolio: Any, tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "case.pdf", tmp_path / "case.xlsx"
    written = export_case(case_portfolio, "ACC-1", pdf=pdf, xlsx=xlsx, today=TODAY)
    assert written == [pdf, xlsx]
    assert "Müller & Søn" in PdfReader(pdf).pages[0].extract_text()
    assert xlsx.stat().st_size > 5000
    export_case(case_portfolio, "  müller  &  SØN ", pdf=None, xlsx=tmp_path / "b.xlsx")
    logged = _exports(case_portfolio)
    assert [(a, s) for a, s, _ in logged] == [
        (case_portfolio.full_id, "Business case exported (PDF, Excel)"),
        (case_portfolio.full_id, "Business case exported (Excel)"),
    ]
    assert logged[0][2] == {"files": ["case.pdf", "case.xlsx"]}
    assert not list(tmp_path.glob("*.part"))


def test_export_case_refuses_unknown_ambiguous_and_bad_targets(
    case_portfolio: Any, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError):
        export_case(case_portfolio, "nobody", pdf=tmp_path / "x.pdf", xlsx=None)
    with case_portfolio.write() as session:
        add_account(session, "Twin")
        add_account(session, "twin")
    with pytest.raises(NotFoundError, match="2 accounts"):
        export_case(case_portfolio, "Twin", pdf=tmp_path / "x.pdf", xlsx=None)
    with pytest.raises(CsdeskError, match="does not exist"):
        export_case(case_portfolio, "ACC-1", pdf=tmp_path / "missing" / "x.pdf", xlsx=None)
    with pytest.raises(CsdeskError, match="at least one"):
        export_case(case_portfolio, "ACC-1", pdf=None, xlsx=None)
    assert not list(tmp_path.glob("*.pdf")) and _exports(case_portfolio) == []


def test_file_stems_are_safe_and_unique() -> None:
    assert file_stem("AT&T <Retail>", "0016g00000Dm001AAR", 3) == "AT-T-Retail_0016g00000Dm001AAR"
    assert file_stem("Müller & Søn", None, 7) == "Müller-Søn_id7"
    assert file_stem('<>:"/\\|?*', "a/b", 1) == "account_a-b"


def test_batch_in_process_reports_each_document(portfolio: Any, tmp_path: Path) -> None:
    with portfolio.write() as session:
        ids = [build_full_account(session, f"Client {i}", f"C-{i}") for i in range(3)]
        ids.append(add_account(session, "Ωmega", status="prospect"))
    progress = FakeProgress()
    result = export_all(portfolio, tmp_path / "out", progress, workers=1, today=TODAY)
    # The prospect does not renew: it is skipped and counted, never given a business case.
    assert progress.phases == [("Exporting business cases", 6)]
    assert progress.advances == [1, 2, 3, 4, 5, 6]  # one step per finished document
    assert len(result.written) == 6 and not result.failed and not result.cancelled
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in result.written
    )
    assert "exported 3 of 3 business cases (6 files)" in result.describe()
    assert "skipped 1: no business case (churned, prospect)" in result.describe()
    assert sorted(a for a, _, _ in _exports(portfolio)) == sorted(ids[:3])
    assert result.changes.activity and result.changes.account_ids == frozenset(ids[:3])


def test_batch_cancel_stops_and_leaves_no_partial_file(portfolio: Any, tmp_path: Path) -> None:
    with portfolio.write() as session:
        for i in range(4):
            build_full_account(session, f"Client {i}", f"C-{i}")
    progress = FakeProgress(cancel_after=3)
    out = tmp_path / "out"
    result = export_all(portfolio, out, progress, formats=("pdf",), workers=1, today=TODAY)
    assert result.cancelled and len(result.written) == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)
    assert len(_exports(portfolio)) == 3
    assert "cancelled" in result.describe()


def test_batch_uses_worker_processes(portfolio: Any, tmp_path: Path) -> None:
    with portfolio.write() as session:
        for i in range(8):
            build_full_account(session, f"Client {i}", f"C-{i}")
    progress = FakeProgress()
    result = export_all(portfolio, tmp_path / "o", progress, formats=("xlsx",), workers=2)
    assert len(result.written) == 8 and not result.failed
    assert progress.advances[-1] == 8 and progress.advances == sorted(progress.advances)
    assert len(_exports(portfolio)) == 8


def test_batch_with_workers_honours_cancel(portfolio: Any, tmp_path: Path) -> None:
    with portfolio.write() as session:
        for i in range(24):
            build_full_account(session, f"Client {i}", f"C-{i}")
    progress = FakeProgress(cancel_after=1)
    out = tmp_path / "out"
    result = export_all(portfolio, out, progress, formats=("xlsx",), workers=2, today=TODAY)
    assert result.cancelled and 0 < len(result.written) < 24
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)


def test_suggested_stem(case_portfolio: Any) -> None:
    assert suggested_stem(case_portfolio, case_portfolio.full_id) == "Müller-Søn_ACC-1"
    with pytest.raises(NotFoundError):
        suggested_stem(case_portfolio, 999)


def test_cli_export(case_portfolio: Any, db_path: Path, tmp_path: Path, capsys: Any) -> None:
    pdf = tmp_path / "c.pdf"
    assert main(["export", "ACC-1", "--db", str(db_path), "--pdf", str(pdf)]) == 0
    assert capsys.readouterr().out.strip() == str(pdf)
    assert main(["export", "nobody", "--db", str(db_path), "--pdf", str(pdf)]) == 2
    assert "unknown account" in capsys.readouterr().err
    out = tmp_path / "all"
    assert main(["export", "--all", "--out", str(out), "--db", str(db_path)]) == 0
    captured = capsys.readouterr()
    assert "exported 1 of 1 business cases (2 files)" in captured.out
    assert "skipped 1: no business case (churned, prospect)" in captured.out
    assert "Exporting business cases" in captured.err
    assert len(list(out.iterdir())) == 2


def test_cli_export_refuses_an_account_that_does_not_renew(
    case_portfolio: Any, db_path: Path, tmp_path: Path, capsys: Any
) -> None:
    pdf = tmp_path / "c.pdf"
    assert main(["export", "Ωmega", "--db", str(db_path), "--pdf", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is prospect" in err and "no business case" in err
    with case_portfolio.write() as session:
        session.execute(update(Account).values(status="churned"))
    assert main(["export", "ACC-1", "--db", str(db_path), "--pdf", str(pdf)]) == 2
    assert "is churned: a churned account does not renew" in capsys.readouterr().err
    assert not pdf.exists() and _exports(case_portfolio) == []


def test_demo_account_renders(portfolio: Any, tmp_path: Path) -> None:
    from csdesk.services.accounts import account_listing
    from csdesk.services.demo import build_demo

    build_demo(portfolio, today=dt.date(2026, 3, 15))
    listing = account_listing(portfolio, today=dt.date(2026, 3, 15))
    row = next(r for r in listing if r["roi_multiple"] is not None and r["status"] == "active")
    pdf = tmp_path / "demo.pdf"
    export_case(portfolio, row["crm_id"], pdf=pdf, xlsx=tmp_path / "demo.xlsx", today=TODAY)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert row["name"] in text and f"{row['roi_multiple']:.2f}×" in text
