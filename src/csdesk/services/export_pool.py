"""The batch-export loop: worker processes, bounded submission, progress and cancel.

Only a few tasks are in flight at a time (two per worker), so a cancel takes effect within a
task or two: nothing more is submitted, the queued tasks are dropped and the running ones finish
their current files, which are written whole.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from csdesk.db import Portfolio
from csdesk.errors import CsdeskError
from csdesk.reports.case_options import ExportOptions
from csdesk.services.export_worker import ChunkResult, init_worker, render_accounts, render_chunk
from csdesk.services.progress import Progress

__all__ = ["CHUNK", "run_pool"]

CHUNK = 2
"""Accounts per task: small, so progress is fine-grained and a cancel is quick."""
_IN_FLIGHT_PER_WORKER = 2
_POLL_SECONDS = 0.1


def _merge(into: ChunkResult, part: ChunkResult) -> None:
    into.written.update(part.written)
    into.failed.extend(part.failed)
    into.fatal = into.fatal or part.fatal


def _in_process(
    portfolio: Portfolio,
    items: Sequence[tuple[int, str]],
    out_dir: Path,
    formats: tuple[str, ...],
    today: dt.date,
    progress: Progress,
    into: ChunkResult,
    options: ExportOptions | None = None,
) -> None:
    from csdesk.services.health_models import available_models

    models = available_models()
    documents = into.documents

    def finished(_path: Path) -> None:
        nonlocal documents
        documents += 1
        progress.advance(documents)

    for index in range(len(items)):
        if progress.cancelled() or into.fatal:
            return
        part = render_accounts(
            portfolio,
            items[index : index + 1],
            str(out_dir),
            formats,
            today,
            models,
            finished,
            options,
        )
        _merge(into, part)
        if part.failed:  # a failed document counts as done too
            documents = into.documents
            progress.advance(documents)


def run_pool(
    portfolio: Portfolio,
    items: Sequence[tuple[int, str]],
    out_dir: Path,
    formats: tuple[str, ...],
    today: dt.date,
    workers: int,
    progress: Progress,
    into: ChunkResult,
    options: ExportOptions | None = None,
) -> None:
    """Render ``items`` into ``out_dir``, collecting files and failures in ``into``.

    Args:
        portfolio: The open portfolio (workers reopen it by its URL).
        items: ``(account id, file stem)`` pairs.
        out_dir: Folder the files go to.
        formats: Formats to write.
        today: The day the cases are prepared.
        workers: Worker processes; 1 renders in this process.
        progress: Advanced once per finished document; polled for cancel.
        into: Receives the results as they arrive (also when this raises).
        options: Edition and sections of every document.

    Raises:
        CsdeskError: A worker process died.
    """
    if workers <= 1 or len(items) <= 1:
        _in_process(portfolio, items, out_dir, formats, today, progress, into, options)
        return
    import multiprocessing

    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=init_worker,
        initargs=(portfolio.url, os.getpid()),
    )
    pending: set[Future[ChunkResult]] = set()
    next_chunk = 0
    try:
        while True:
            cancelled = progress.cancelled() or into.fatal is not None  # disk full: stop
            while (
                not cancelled
                and next_chunk < len(chunks)
                and len(pending) < (workers * _IN_FLIGHT_PER_WORKER)
            ):
                pending.add(
                    pool.submit(
                        render_chunk, chunks[next_chunk], str(out_dir), formats, today, options
                    )
                )
                next_chunk += 1
            if cancelled:
                for future in pending:
                    future.cancel()
                pending = {f for f in pending if not f.cancelled()}
            if not pending:
                break
            done, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                _merge(into, future.result())
            if done:
                progress.advance(into.documents)
    except BrokenProcessPool as exc:
        raise CsdeskError("an export worker process stopped unexpectedly; try again") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
