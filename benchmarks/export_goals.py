"""Goal 7: one business case as PDF, XLSX and PPTX deck, and batches on worker processes.

The portfolio (accounts with a year of metrics, health history, ROI inputs) comes from
``export_bench``. Single documents are timed in this process after one warm-up render, so
imports and font registration are not counted; the batch is ``export_all`` with one worker per
core against the same PDFs with one worker. The CPU both used is reported too: the wall-clock
ratio needs two free cores, the CPU ratio shows what the worker processes cost on top.
"""

from __future__ import annotations

import io
import resource
import time
from pathlib import Path
from typing import Any

import export_bench
from common import Row, Sizes, absolute_row, median_time, ratio_row


def measure(sizes: Sizes, tmp: Path) -> list[Row]:
    """Time one PDF, one XLSX and the batch; return the table rows."""
    from csdesk.reports.case_data import assemble_case
    from csdesk.reports.case_options import ExportOptions
    from csdesk.reports.pdf import render_case_pdf
    from csdesk.reports.pptx_deck import render_case_pptx
    from csdesk.reports.xlsx import write_case_workbook
    from csdesk.services.exporter import export_all
    from csdesk.services.health_models import available_models

    count = sizes.batch
    today = export_bench.TODAY
    portfolio = export_bench.build_portfolio(tmp / "export.db", count)
    try:
        models = available_models()
        sample = list(range(1, min(count, 20) + 1))
        repeats = len(sample) if not sizes.quick else 1
        with portfolio.read() as session:

            def case(account_id: int) -> Any:
                return assemble_case(session, account_id, today=today, models=models)

            def each(render: Any) -> float:
                ids = iter(sample * 10)
                return median_time(lambda: render(case(next(ids)), io.BytesIO()), repeats)

            internal = ExportOptions(edition="internal")  # the larger edition: every section

            def deck_of(c: Any, out: Any) -> None:
                render_case_pptx(c, out, internal)

            render_case_pdf(case(1), io.BytesIO())  # warm-up
            write_case_workbook(case(1), io.BytesIO())
            deck_of(case(1), io.BytesIO())
            pdf = each(render_case_pdf)
            xlsx = each(write_case_workbook)
            deck = each(deck_of)
        started, cpu_before = time.perf_counter(), _cpu()
        batch = export_all(portfolio, tmp / "batch", formats=("pdf",), today=today)
        parallel = time.perf_counter() - started
        workers_cpu = _cpu() - cpu_before
        started, cpu_before = time.perf_counter(), _cpu()
        one = export_all(portfolio, tmp / "seq", formats=("pdf",), workers=1, today=today)
        sequential = time.perf_counter() - started
        sequential_cpu = _cpu() - cpu_before
        if len(batch.written) != count or len(one.written) != count:
            raise RuntimeError(f"batch wrote {len(batch.written)}/{count}: {batch.describe()}")
        started = time.perf_counter()
        decks = export_all(portfolio, tmp / "decks", formats=("pptx",), today=today)
        decks_parallel = time.perf_counter() - started
        started = time.perf_counter()
        decks_one = export_all(portfolio, tmp / "decks1", formats=("pptx",), workers=1, today=today)
        decks_sequential = time.perf_counter() - started
        if len(decks.written) != count or len(decks_one.written) != count:
            raise RuntimeError(f"deck batch wrote {len(decks.written)}/{count}")
    finally:
        portfolio.close()
    return [
        absolute_row("7 business case PDF (2 charts)", pdf, 0.35),
        absolute_row("7 business case XLSX", xlsx, 0.1),
        absolute_row("7 business case deck (PPTX, internal)", deck, 0.5),
        ratio_row(
            f"7 batch of {count} decks, worker processes",
            decks_parallel,
            decks_sequential,
            "one worker",
            0.6,
        ),
        ratio_row(
            f"7 batch of {count} PDFs, worker processes",
            parallel,
            sequential,
            "one worker",
            0.6,
        ),
        Row(
            "7 batch CPU: worker processes / one worker",
            f"{workers_cpu:.1f} s",
            f"one worker {sequential_cpu:.1f} s",
            workers_cpu / sequential_cpu if sequential_cpu else None,
            "",
            None,
        ),
    ]


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
