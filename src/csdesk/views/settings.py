"""The app's own settings: a defaults dict over QSettings (window layout, portfolios, sort)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["DEFAULTS", "MAX_RECENT", "MAX_VIEW_STATES", "Settings"]

MAX_RECENT = 8
MAX_VIEW_STATES = 30
"""Portfolios whose list state (filters, sort, selection) is kept, most recent first."""

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/page": "portfolio",
    "portfolio/last": "",
    "portfolio/recent": [],
    "portfolio/welcomed": [],
    "portfolio/header": QByteArray(),
    "portfolio/header_columns": "",
    "portfolio/sort_key": "name",
    "portfolio/descending": False,
    "portfolio/views": "",
    "account/tab": 0,
    "account/health_splitter": QByteArray(),
    "import/folder": "",
    "export/folder": "",
}
"""Every setting with its default; the default's type is the type a read returns."""


class Settings:
    """Typed access to the app's QSettings.

    Args:
        path: An INI file to keep the settings in (tests pass a temporary one); by default
            the platform's usual place for organisation and application "csdesk".
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self._qs = QSettings("csdesk", "csdesk")
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def value(self, key: str) -> Any:
        """The stored value of ``key``, converted to its default's type."""
        default = DEFAULTS[key]
        raw = self._qs.value(key, default)
        if raw is None:
            return default
        if isinstance(default, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")
        if isinstance(default, int):
            try:
                return int(raw) if isinstance(raw, int | float) else int(str(raw))
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            # QSettings hands back a lone string for a one-item list and None for an empty one.
            if isinstance(raw, str):
                return [raw] if raw else []
            return [str(item) for item in raw] if isinstance(raw, list | tuple) else default
        if isinstance(default, QByteArray):
            return raw if isinstance(raw, QByteArray) else default
        return str(raw)

    def set_value(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (which must have a default)."""
        if key not in DEFAULTS:
            raise KeyError(f"unknown setting {key!r}")
        self._qs.setValue(key, value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._qs.sync()

    @property
    def file_name(self) -> str:
        """Where the settings are stored."""
        return self._qs.fileName()

    # -- portfolios ------------------------------------------------------------------------

    def recent_portfolios(self) -> list[str]:
        """Recently opened portfolios, newest first."""
        return list(self.value("portfolio/recent"))

    def remember_portfolio(self, target: str) -> None:
        """Record ``target`` as the last and most recent portfolio."""
        recent = [target, *(p for p in self.recent_portfolios() if p != target)]
        self.set_value("portfolio/recent", recent[:MAX_RECENT])
        self.set_value("portfolio/last", target)

    def forget_portfolio(self, target: str) -> None:
        """Drop ``target`` from the recent list (it could not be opened)."""
        self.set_value("portfolio/recent", [p for p in self.recent_portfolios() if p != target])
        if self.value("portfolio/last") == target:
            self.set_value("portfolio/last", "")

    def view_state(self, target: str) -> dict[str, Any]:
        """The portfolio list's filters, sort and selection saved for ``target`` ({} if none).

        A portfolio's list state belongs to it: another portfolio, or a new one, starts from
        its own (a new one from none), never from the last one shown.
        """
        state = self._view_states().get(target)
        return dict(state) if isinstance(state, dict) else {}

    def set_view_state(self, target: str, state: dict[str, Any]) -> None:
        """Save the list state of ``target`` (JSON-able values only)."""
        states = self._view_states()
        states.pop(target, None)
        kept = [(target, state), *list(states.items())[: MAX_VIEW_STATES - 1]]
        self.set_value("portfolio/views", json.dumps(dict(kept), ensure_ascii=False))

    def _view_states(self) -> dict[str, Any]:
        try:
            states = json.loads(self.value("portfolio/views") or "{}")
        except ValueError:
            return {}
        return states if isinstance(states, dict) else {}

    # -- folders ---------------------------------------------------------------------------

    def folder(self, key: str) -> Path | None:
        """The last folder used for ``import`` or ``export``, if it still exists."""
        text = self.value(f"{key}/folder")
        return Path(text) if text and Path(text).is_dir() else None

    def remember_folder(self, key: str, folder: str | Path) -> None:
        """Remember ``folder`` as the last one used for ``import`` or ``export``."""
        self.set_value(f"{key}/folder", str(folder))

    def was_welcomed(self, target: str) -> bool:
        """True once the welcome choices were offered for this (empty) portfolio."""
        return target in self.value("portfolio/welcomed")

    def mark_welcomed(self, target: str) -> None:
        """Do not offer the welcome choices for ``target`` again."""
        welcomed = [target, *(p for p in self.value("portfolio/welcomed") if p != target)]
        self.set_value("portfolio/welcomed", welcomed[:50])
