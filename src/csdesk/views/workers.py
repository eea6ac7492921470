"""Database writes off the GUI thread: one serial worker, throttled progress and a cancel flag.

Every long write (recompute, import, demo) runs as a :class:`Job` on a ``QThreadPool`` with one
thread, so writes are serialised and the window keeps repainting. The job's function receives a
:class:`QtProgress` (the ``Progress`` protocol of ``csdesk.services.progress``) whose reports
reach the GUI at most ten times a second and whose ``cancelled()`` reads a flag the window sets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["Job", "QtProgress", "Worker"]

REPORT_INTERVAL = 0.1

_Callback = Callable[[Any], None] | None


class JobSignals(QObject):
    """Signals of a job, living in the GUI thread so slots run there.

    Signals:
        progressed(str, int, int): label, steps done, total steps (0 = unknown).
        finished(object): the job function's return value.
        failed(object): the exception the job raised.
    """

    progressed = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(object)


class QtProgress:
    """The ``Progress`` protocol for a job: throttled Qt signals and a cancel flag."""

    def __init__(self, signals: JobSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self._label = ""
        self._total = 0
        self._last = 0.0

    def start(self, total: int, label: str) -> None:
        """A new phase: report it at once."""
        self._label, self._total, self._last = label, total, time.monotonic()
        self._signals.progressed.emit(label, 0, total)

    def advance(self, done: int) -> None:
        """Report progress at most every 100 ms, and always at the end of a phase."""
        now = time.monotonic()
        if now - self._last >= REPORT_INTERVAL or (self._total and done >= self._total):
            self._last = now
            self._signals.progressed.emit(self._label, done, self._total)

    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop; it raises ``CancelledError`` at its next check and rolls back."""
        self._cancel.set()


class Job(QRunnable):
    """One function run on the worker thread.

    Args:
        fn: Called with the job's :class:`QtProgress`; its result goes to ``finished``.
        label: What the job does, for the status bar.
    """

    def __init__(self, fn: Callable[[QtProgress], Any], label: str) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.label = label
        self.signals = JobSignals()
        self.progress = QtProgress(self.signals)

    def run(self) -> None:
        """Run ``fn`` and report its result or exception (never raise into Qt)."""
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # every failure must reach the GUI
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def cancel(self) -> None:
        """Ask the job to stop."""
        self.progress.cancel()


class Worker(QObject):
    """The single database-writer thread and the jobs queued on it.

    Job signals are connected to this object's own slots, so every callback runs on the GUI
    thread whatever thread emitted.

    Signals:
        busy_changed(bool): True when the first job is queued, False when the last one ended.
        progressed(str, int, int): the running job's label, steps done and total.
    """

    busy_changed = Signal(bool)
    progressed = Signal(str, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs: list[Job] = []
        self._callbacks: dict[JobSignals, tuple[Job, _Callback, _Callback]] = {}
        self._retired: list[Job] = []

    @property
    def busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self._jobs)

    @property
    def current(self) -> Job | None:
        """The oldest unfinished job."""
        return self._jobs[0] if self._jobs else None

    def submit(
        self,
        fn: Callable[[QtProgress], Any],
        label: str,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Queue ``fn`` on the writer thread; the callbacks run on the GUI thread."""
        job = Job(fn, label)
        self._callbacks[job.signals] = (job, on_done, on_error)
        job.signals.progressed.connect(self.progressed)
        job.signals.finished.connect(self._on_job_finished)
        job.signals.failed.connect(self._on_job_failed)
        self._jobs.append(job)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._pool.start(job)
        return job

    def _on_job_finished(self, result: object) -> None:
        self._settle(self.sender(), 1, result)

    def _on_job_failed(self, exc: object) -> None:
        self._settle(self.sender(), 2, exc)

    def _settle(self, signals: QObject, which: int, value: Any) -> None:
        entry = self._callbacks.pop(signals, None)  # type: ignore[call-overload]
        if entry is None:
            return
        job = entry[0]
        callback = entry[which]
        if job in self._jobs:
            self._jobs.remove(job)
        # The pool thread may still be returning from run(): keep the last jobs alive a while
        # (with one thread, a job two submissions back has certainly left run()).
        self._retired = [*self._retired[-2:], job]
        try:
            if callback is not None:
                callback(value)
        finally:
            if not self._jobs:
                self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        """Ask every queued or running job to stop."""
        for job in self._jobs:
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the thread is idle (at shutdown, or in tests); True if it is."""
        return self._pool.waitForDone(msecs)
