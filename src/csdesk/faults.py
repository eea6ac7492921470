"""Faults of the machine, in words: disk full, read-only file or file system, damaged file,
lost server — one line each, for the command line and the window (SPEC 7)."""

from __future__ import annotations

import errno

from csdesk.errors import CsdeskError, DamagedPortfolioError, MachineFaultError

__all__ = ["as_fault", "fault_message", "shown_url"]

_ERRNO = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "the disk reported an input/output error",
}
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


def fault_message(exc: BaseException, where: object = "the portfolio") -> str | None:
    """One line saying which fault of the machine ``exc`` is, or None when it is none of them."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.errno in _ERRNO:
        target = orig.filename or where
        return f"cannot write {target}: {_ERRNO[orig.errno]}; nothing was changed"
    text = str(orig).lower()
    module = type(orig).__module__
    # A server that answered with a refusal (a wrong password, a missing database or role) was
    # reached: its own reason is shown, not a lost connection.
    refused = "fatal:" in text and "terminating connection" not in text
    if (
        module.startswith(("psycopg", "sqlalchemy"))
        and not refused
        and any(s in text for s in _SERVER)
    ):
        return (
            f"lost the connection to the PostgreSQL server of {where}; "
            "nothing was changed — check the server and try again"
        )
    if any(s in text for s in _DAMAGED):
        return f"{where} is damaged ({str(orig).splitlines()[0]}); nothing was changed"
    for needle, words in _SQLITE:
        if needle in text:
            return f"cannot write {where}: {words}; nothing was changed"
    return None


def as_fault(exc: BaseException, where: object = "the portfolio") -> CsdeskError | None:
    """The user-facing error for a machine fault (None when ``exc`` is not one)."""
    message = fault_message(exc, where)
    if message is None:
        return None
    if "is damaged" in message:
        return DamagedPortfolioError(message)
    return MachineFaultError(message)


def shown_url(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    from sqlalchemy import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse: print it as given
        return url
