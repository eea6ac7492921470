"""How SQLite and PostgreSQL word a fault of the machine, read back into what it is.

:mod:`csdesk.faults` turns every fault (an ``OSError`` or a database error) into one line for the
command line and the window; the engines' own wording — SQLite's messages for a full disk or a
read-only file, a damaged file's, the PostgreSQL driver's for a lost server — is matched here, the
database layer being the one place that knows the engines. Standard library only: the fault
handler runs before SQLAlchemy is imported.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["engine_fault"]

FaultKind = Literal["lost server", "damaged", "cannot write"]

_SQLITE = (
    ("database or disk is full", "the disk is full"),
    ("attempt to write a readonly database", "the portfolio is read-only"),
    ("readonly database", "the portfolio is read-only"),
    ("disk i/o error", "the disk reported an input/output error"),
    ("unable to open database file", "the file or its folder cannot be opened for writing"),
)
_DAMAGED = ("database disk image is malformed", "file is not a database", "malformed")
_SERVER = (
    "connection refused",
    "could not connect",
    "server closed the connection",
    "connection to server",
    "terminating connection",
    "could not translate host name",
    "timeout expired",
    "connection is closed",
    "ssl syscall",
)


def engine_fault(error: BaseException) -> tuple[FaultKind, str] | None:
    """Which fault of the machine a database error reports, and in what words.

    Returns:
        ``("lost server", "")``, ``("damaged", first line of the engine's message)`` or
        ``("cannot write", why)``; None when the error is none of them.
    """
    text = str(error).lower()
    module = type(error).__module__
    # A server that answered with a refusal (a wrong password, a missing database or role) was
    # reached: its own reason is shown, not a lost connection.
    refused = "fatal:" in text and "terminating connection" not in text
    if (
        module.startswith(("psycopg", "sqlalchemy"))
        and not refused
        and any(s in text for s in _SERVER)
    ):
        return "lost server", ""
    if any(s in text for s in _DAMAGED):
        return "damaged", str(error).splitlines()[0]
    for needle, words in _SQLITE:
        if needle in text:
            return "cannot write", words
    return None
