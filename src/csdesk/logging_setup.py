"""The log: a rotating ``csdesk.log`` in the data folder, and the exception hook that writes
every unexpected error there with its traceback before the user is told in one line."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "LOG_NAME",
    "install_excepthook",
    "log_path",
    "setup_logging",
    "unexpected_error_line",
]

LOG_NAME = "csdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"
_handler: logging.Handler | None = None


def log_path() -> Path:
    """``csdesk.log`` in the user data folder."""
    from csdesk.config import data_dir

    return data_dir() / LOG_NAME


class _LazyHandler(RotatingFileHandler):
    """Creates the data folder and the log only when there is something to log, and never
    lets a log that cannot be written (read-only or full disk) disturb the user."""

    def _open(self) -> Any:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging() -> Path:
    """Send csdesk's log to the rotating ``csdesk.log`` (1 MB, 3 old files kept).

    Nothing is written until something is logged. A data folder that cannot be written
    loses the log, never the command.

    Returns:
        The log file.
    """
    global _handler
    path = log_path()
    if _handler is not None:
        return path
    handler = _LazyHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger = logging.getLogger("csdesk")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _handler = handler
    return path


def details(exc: BaseException) -> str:
    """The traceback of ``exc`` as text (what "Copy details" copies)."""
    from csdesk import __version__

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"csdesk {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{text}"


def unexpected_error_line(exc: BaseException) -> str:
    """One line for an exception nothing else handled: the fault of the machine it is, or
    "unexpected error" with where the traceback was logged."""
    from csdesk.faults import fault_message

    fault = fault_message(exc)
    where = setup_logging()
    logging.getLogger("csdesk").error("%s", details(exc).rstrip())
    if fault is not None:
        return fault
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return f"unexpected error ({summary}); details in {where}"


Report = Callable[[str, str], None]


def install_excepthook(report: Report) -> None:
    """Log every uncaught exception (any thread) and hand ``(summary, details)`` to ``report``.

    ``report`` runs on the thread that failed; the window's reporter posts to the GUI thread.
    """
    setup_logging()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        line = unexpected_error_line(exc)
        try:
            report(line, details(exc))
        except Exception:  # the reporter itself failed: the log has it
            logging.getLogger("csdesk").exception("reporting an error failed")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
