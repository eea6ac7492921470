"""Look and feel: light and dark palettes following the system, the style sheet, icons."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from csdesk.resources import read_resource_text, resource_path
from csdesk.scoring.bands import Band

__all__ = [
    "DARK",
    "LIGHT",
    "apply_theme",
    "band_color",
    "color",
    "icon",
    "is_dark",
    "theme_notifier",
]

LIGHT: dict[str, str] = {
    "bg": "#f4f6f9",
    "surface": "#ffffff",
    "surface_alt": "#f7f9fb",
    "sidebar": "#eceff4",
    "text": "#1d2530",
    "muted": "#66717e",
    "border": "#dde2e8",
    "hover": "#e4e9f0",
    "selection": "#dbe6fb",
    "accent": "#2f6fed",
    "accent_hover": "#255ed0",
    "accent_text": "#ffffff",
    "scroll": "#c5ccd5",
    "banner": "#fff6df",
    "banner_border": "#f0d68c",
    "good": "#2e9d5b",
    "bad": "#d64545",
    "warn": "#c77700",
    "chart_grid": "#e3e7ec",
}
DARK: dict[str, str] = {
    "bg": "#1b1e23",
    "surface": "#23272e",
    "surface_alt": "#262b32",
    "sidebar": "#1f2227",
    "text": "#e5e9ee",
    "muted": "#98a2ae",
    "border": "#353b44",
    "hover": "#2c323a",
    "selection": "#2a3b57",
    "accent": "#6b9bff",
    "accent_hover": "#5a88ea",
    "accent_text": "#0f1726",
    "scroll": "#4a525c",
    "banner": "#3a3220",
    "banner_border": "#6b5a2a",
    "good": "#4cc27e",
    "bad": "#ff6b6b",
    "warn": "#f0a030",
    "chart_grid": "#353b44",
}

_current: dict[str, str] = dict(LIGHT)
_TOKEN = re.compile(r"\{\{(\w+)\}\}")


def is_dark() -> bool:
    """True when the system asks for a dark colour scheme."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def color(token: str) -> str:
    """A colour of the current palette (``"accent"``, ``"muted"`` …) as ``#rrggbb``."""
    return _current[token]


def band_color(band: str | None) -> QColor:
    """The colour of a health band (grey without one)."""
    try:
        return QColor(Band(band).color) if band else QColor(_current["muted"])
    except ValueError:
        return QColor(_current["muted"])


def _palette(tokens: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: "bg",
        role.Base: "surface",
        role.AlternateBase: "surface_alt",
        role.WindowText: "text",
        role.Text: "text",
        role.ButtonText: "text",
        role.Button: "surface",
        role.ToolTipBase: "surface",
        role.ToolTipText: "text",
        role.Highlight: "accent",
        role.HighlightedText: "accent_text",
        role.PlaceholderText: "muted",
        role.Link: "accent",
        role.Mid: "border",
    }
    for palette_role, token in pairs.items():
        pal.setColor(palette_role, QColor(tokens[token]))
    for palette_role in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, palette_role, QColor(tokens["muted"]))
    return pal


def style_sheet(tokens: dict[str, str]) -> str:
    """The bundled style sheet with the palette's colours filled in.

    ``{{icons}}`` becomes the folder of the icons drawn for the palette (combo-box chevrons,
    check marks), so the sheet can use ``url({{icons}}/chevron-down.svg)``.
    """
    variant = "dark" if tokens["bg"] == DARK["bg"] else "light"
    values = {**tokens, "icons": Path(str(resource_path("icons", variant))).as_posix()}
    text = read_resource_text("style", "csdesk.qss")
    return _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Style the app for the system's light or dark scheme (or the one given)."""
    global _current
    before = _variant()
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    dark = is_dark() if dark is None else dark
    _current = dict(DARK if dark else LIGHT)
    _use_icon_theme(_variant())
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(_current))
    if _variant() != before:
        theme_notifier().changed.emit()


class ThemeNotifier(QObject):
    """Announces a switch between the light and dark palettes.

    Signals:
        changed(): :func:`apply_theme` switched palettes; charts and labels that were given
            colours of their own should draw again.
    """

    changed = Signal()


_notifier: list[ThemeNotifier] = []


def theme_notifier() -> ThemeNotifier:
    """The app-wide :class:`ThemeNotifier`."""
    if not _notifier:
        _notifier.append(ThemeNotifier())
    return _notifier[0]


def _variant() -> str:
    return "dark" if _current["bg"] == DARK["bg"] else "light"


_icon_theme: list[str] = []
"""The icon theme in use (``light`` or ``dark``) once one is set; empty before."""


def _use_icon_theme(variant: str) -> None:
    """Make ``resources/icons/<variant>`` Qt's icon theme.

    Icons from :func:`icon` are theme icons: when the theme changes (the system switched
    between light and dark), every icon already on screen is drawn in the new variant at its
    next repaint, with no widget having to set it again. The system's own theme stays the
    fallback for the standard icons Qt looks up by name.
    """
    if not _icon_theme:
        system = QIcon.themeName()
        QIcon.setThemeSearchPaths([str(resource_path("icons")), *QIcon.themeSearchPaths()])
        if system and system not in ("light", "dark"):
            QIcon.setFallbackThemeName(system)
        _icon_theme.append(variant)
    _icon_theme[0] = variant
    QIcon.setThemeName(variant)


@cache
def icon(name: str) -> QIcon:
    """A bundled SVG icon, drawn in the variant of the current scheme (and following it)."""
    if resource_path("icons", "light", f"{name}.svg").is_file():
        if not _icon_theme:
            _use_icon_theme(_variant())
        return QIcon.fromTheme(name)
    return QIcon(str(resource_path("icons", f"{name}.svg")))
