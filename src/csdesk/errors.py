"""Errors a user can cause and fix; the CLI prints them on one line and the app in a dialog."""

from __future__ import annotations


class CsdeskError(Exception):
    """A request that could not be done (CLI exit code 2); nothing stored was changed."""


class PortfolioError(CsdeskError):
    """The portfolio cannot be opened or is of a newer version than this csdesk."""


class PortfolioBusyError(CsdeskError):
    """Another csdesk process is writing to the portfolio."""


class NotFoundError(CsdeskError):
    """An account (or other record) named by the user does not exist or is ambiguous."""


class ValidationError(CsdeskError):
    """A value entered by the user is not acceptable (negative ARR, unknown tier …)."""


class CancelledError(CsdeskError):
    """The user cancelled a long operation; its transaction was rolled back."""


class StaleEditError(CsdeskError):
    """An undo or redo would overwrite a value changed since its edit; nothing was written."""


class NoBusinessCaseError(CsdeskError):
    """The account does not renew (churned, prospect), so it has no renewal business case."""
