"""The writer thread: a single-thread executor, ``run_on_main``, throttled progress and cancel.

The shape of Anki's ``taskman``: every long write (recompute, import, demo, export) runs on the
one thread of a ``ThreadPoolExecutor``, so writes are serialised and the window keeps
repainting; its result or exception comes back to the GUI thread through
:meth:`Worker.run_on_main`. The job's function receives a :class:`QtProgress` (the protocol of
:mod:`csdesk.progress`) whose reports reach the GUI at most ten times a second and whose
``cancelled()`` reads a flag the window sets.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

__all__ = ["Job", "QtProgress", "Worker"]

REPORT_INTERVAL = 0.1


class QtProgress:
    """The ``Progress`` protocol for a job: throttled reports through a signal, a cancel flag.

    Args:
        report: A ``(label, done, total)`` signal of an object living in the GUI thread, so
            its slots run there whatever thread emits.
    """

    def __init__(self, report: SignalInstance) -> None:
        self._report = report
        self._cancel = threading.Event()
        self._label = ""
        self._total = 0
        self._last = 0.0

    def start(self, total: int, label: str) -> None:
        """A new phase: report it at once."""
        self._label, self._total, self._last = label, total, time.monotonic()
        self._report.emit(label, 0, total)

    def advance(self, done: int) -> None:
        """Report progress at most every 100 ms, and always at the end of a phase."""
        now = time.monotonic()
        if now - self._last >= REPORT_INTERVAL or (self._total and done >= self._total):
            self._last = now
            self._report.emit(self._label, done, self._total)

    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop; it raises ``CancelledError`` at its next check and rolls back."""
        self._cancel.set()


class Job(QObject):
    """One function queued on the writer thread, as the window sees it.

    Args:
        label: What the job does, for the status bar.

    Signals:
        progressed(str, int, int): label, steps done, total steps (0 = unknown).
    """

    progressed = Signal(str, int, int)

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.progress = QtProgress(self.progressed)

    def cancel(self) -> None:
        """Ask the job to stop."""
        self.progress.cancel()


class Worker(QObject):
    """The single database-writer thread and the jobs queued on it.

    Callbacks run on the GUI thread: the writer thread hands them over with
    :meth:`run_on_main`.

    Signals:
        busy_changed(bool): True when the first job is queued, False when the last one ended.
        progressed(str, int, int): the running job's label, steps done and total.
    """

    busy_changed = Signal(bool)
    progressed = Signal(str, int, int)
    _on_main = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "csdesk-writer")
        self._jobs: list[Job] = []
        self._last: concurrent.futures.Future[None] | None = None
        # Emitted from the writer thread, delivered (queued) on this object's thread.
        self._on_main.connect(self._call)

    @property
    def busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self._jobs)

    @property
    def current(self) -> Job | None:
        """The oldest unfinished job."""
        return self._jobs[0] if self._jobs else None

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread (callable from any thread)."""
        self._on_main.emit(fn)

    def submit(
        self,
        fn: Callable[[QtProgress], Any],
        label: str,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Queue ``fn`` on the writer thread; the callbacks run on the GUI thread."""
        job = Job(label)
        job.progressed.connect(self.progressed)
        self._jobs.append(job)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)

        def run() -> None:
            try:
                result = fn(job.progress)
            except BaseException as exc:  # every failure must reach the GUI
                error = exc  # ``exc`` is unbound once the except clause ends
                self.run_on_main(lambda: self._settle(job, on_error, error))
            else:
                self.run_on_main(lambda: self._settle(job, on_done, result))

        self._last = self._executor.submit(run)
        return job

    def _call(self, fn: Callable[[], None]) -> None:
        fn()

    def _settle(self, job: Job, callback: Callable[[Any], None] | None, value: Any) -> None:
        self._jobs.remove(job)
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
        if self._last is None:
            return True
        # One thread runs the jobs in order: once the newest is done, every one is.
        _done, pending = concurrent.futures.wait([self._last], None if msecs < 0 else msecs / 1000)
        return not pending
