"""The change record services return (defined in :mod:`csdesk.changes`, below every layer)."""

from __future__ import annotations

from csdesk.changes import Changes

__all__ = ["Changes"]
