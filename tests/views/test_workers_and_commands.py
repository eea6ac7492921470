"""The writer thread (progress, cancel, errors) and the undo commands on a bare QUndoStack."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from csdesk.db import Portfolio
from csdesk.errors import CancelledError
from csdesk.services.account_detail import load_account_detail
from csdesk.services.progress import check_cancel
from csdesk.views import commands, workers
from csdesk.views.page import AppContext
from csdesk.views.workers import QtProgress, Worker


def test_progress_is_throttled_to_ten_reports_a_second(monkeypatch: Any, qtbot: Any):
    clock = iter([0.0, 0.01, 0.02, 0.15, 0.16, 0.3])
    monkeypatch.setattr(workers.time, "monotonic", lambda: next(clock))
    job = workers.Job("Scoring")
    seen: list[tuple[str, int, int]] = []
    job.progressed.connect(lambda *args: seen.append(args))
    progress = job.progress
    progress.start(100, "Scoring")  # t=0.00
    progress.advance(1)  # 0.01: too soon
    progress.advance(2)  # 0.02: too soon
    progress.advance(3)  # 0.15: reported
    progress.advance(4)  # 0.16: too soon
    progress.advance(100)  # 0.30: the end is always reported
    assert seen == [("Scoring", 0, 100), ("Scoring", 3, 100), ("Scoring", 100, 100)]


def test_jobs_run_off_the_gui_thread_and_report_back(qtbot: Any):
    import threading

    worker = Worker()
    results: list[Any] = []
    gui = threading.get_ident()
    busy: list[bool] = []
    worker.busy_changed.connect(busy.append)
    worker.submit(lambda _p: threading.get_ident(), "Job", on_done=results.append)
    qtbot.waitUntil(lambda: not worker.busy)
    assert results and results[0] != gui
    assert busy == [True, False]


def test_cancel_raises_inside_the_job_and_reaches_the_error_callback(qtbot: Any):
    import threading

    worker = Worker()
    started = threading.Event()
    errors: list[BaseException] = []

    def job(progress: QtProgress) -> None:
        progress.start(0, "Waiting")
        started.set()
        while True:
            check_cancel(progress)
            threading.Event().wait(0.005)

    worker.submit(job, "Cancellable", on_error=errors.append)
    assert started.wait(5)
    worker.cancel_all()
    qtbot.waitUntil(lambda: not worker.busy)
    assert len(errors) == 1 and isinstance(errors[0], CancelledError)


@pytest.fixture
def ctx(settings: Any, demo_portfolio: Portfolio) -> AppContext:
    """An app context on the demo, with its own undo stack."""
    context = AppContext(settings)
    context.portfolio = demo_portfolio
    return context


def test_commands_on_a_bare_undo_stack(ctx: AppContext, demo_portfolio: Portfolio):
    stack = ctx.undo_stack
    start = load_account_detail(demo_portfolio, 1)
    before = start.roi.values["hourly_rate"]
    labels = [line.label for line in start.roi.lines]
    stack.push(commands.SetRoiInputCommand(ctx, 1, "hourly_rate", "Hourly rate", 999.0))
    assert load_account_detail(demo_portfolio, 1).roi.values["hourly_rate"] == 999.0
    stack.push(commands.AddRoiLineCommand(ctx, 1, "Licences retired", 1200.0))
    stack.push(commands.AddTaskCommand(ctx, 1, "Plan QBR", dt.date.today(), "follow-up"))
    assert stack.count() == 3
    stack.undo()
    stack.undo()
    assert [line.label for line in load_account_detail(demo_portfolio, 1).roi.lines] == labels
    stack.undo()
    assert load_account_detail(demo_portfolio, 1).roi.values["hourly_rate"] == before
    stack.redo()
    stack.redo()
    detail = load_account_detail(demo_portfolio, 1)
    assert [line.label for line in detail.roi.lines] == [*labels, "Licences retired"]
    line_id = detail.roi.lines[-1].id
    stack.push(commands.RemoveRoiLineCommand(ctx, line_id, "Licences retired"))
    assert [line.label for line in load_account_detail(demo_portfolio, 1).roi.lines] == labels
    stack.undo()
    stack.redo()
    stack.undo()  # the line came back under a new id; redo/undo still find it
    assert [line.label for line in load_account_detail(demo_portfolio, 1).roi.lines] == [
        *labels,
        "Licences retired",
    ]


def test_refused_and_empty_commands_never_reach_the_stack(ctx: AppContext):
    errors: list[str] = []
    ctx.error_raised.connect(errors.append)
    ctx.undo_stack.push(commands.SetAccountFieldCommand(ctx, 1, "tier", "Platinum"))
    assert ctx.undo_stack.count() == 0
    assert errors and errors[0].startswith("unknown tier 'Platinum'")
    current = load_account_detail(ctx.portfolio, 1).header.owner  # type: ignore[arg-type]
    ctx.undo_stack.push(commands.SetAccountFieldCommand(ctx, 1, "owner", current))
    assert ctx.undo_stack.count() == 0  # nothing changed: nothing to undo
    assert len(errors) == 1
