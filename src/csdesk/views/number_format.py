"""The window's money and number formats: the open portfolio's currency and locale."""

from __future__ import annotations

from csdesk.reports.formatting import Formats

__all__ = ["set_window_formats", "window_formats"]

_current = Formats()


def window_formats() -> Formats:
    """How the window shows money and numbers now (en_US dollars until a portfolio is open)."""
    return _current


def set_window_formats(formats: Formats) -> bool:
    """Show money and numbers in ``formats`` from now on; True if that changed anything."""
    global _current
    changed = formats != _current
    _current = formats
    return changed
