"""Faults of the machine, in words: disk full, read-only file or file system, damaged file,
lost server — one line each, for the command line and the window (SPEC 7). The engines' own
wording is read by :mod:`csdesk.db.faults`."""

from __future__ import annotations

import errno

from csdesk.db.faults import engine_fault
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


def fault_message(exc: BaseException, where: object = "the portfolio") -> str | None:
    """One line saying which fault of the machine ``exc`` is, or None when it is none of them."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.errno in _ERRNO:
        target = orig.filename or where
        return f"cannot write {target}: {_ERRNO[orig.errno]}; nothing was changed"
    found = engine_fault(orig)
    if found is None:
        return None
    kind, words = found
    if kind == "lost server":
        return (
            f"lost the connection to the PostgreSQL server of {where}; "
            "nothing was changed — check the server and try again"
        )
    if kind == "damaged":
        return f"{where} is damaged ({words}); nothing was changed"
    return f"cannot write {where}: {words}; nothing was changed"


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
