"""The Linux menu entry: a freedesktop ``.desktop`` file, the app icon and the file types it opens.

``csdesk --install-desktop-entry`` writes them for the current user (no root needed) under
``$XDG_DATA_HOME`` (default ``~/.local/share``); ``--uninstall-desktop-entry`` removes exactly
what was written. The entry starts the command that installed it — the bundle's ``csdesk`` or
the virtual environment's — so "Open with csdesk" on a CSV or XLSX file opens the import wizard.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from csdesk.errors import CsdeskError
from csdesk.resources import resource_path

__all__ = [
    "APP_ID",
    "ICON_SIZES",
    "MIME_TYPES",
    "DesktopEntry",
    "desktop_file_text",
    "install_desktop_entry",
    "launch_command",
    "uninstall_desktop_entry",
]

APP_ID = "csdesk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
"""The PNG sizes shipped in ``resources/icons/app`` (the SVG serves every other size)."""
MIME_TYPES = (
    "text/csv",
    "text/tab-separated-values",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
"""The files csdesk offers to open: the exports it imports."""


@dataclass(frozen=True, slots=True)
class DesktopEntry:
    """What an install wrote (or an uninstall removed): the entry file and the icon files."""

    desktop_file: Path
    icons: tuple[Path, ...]

    def describe(self, verb: str) -> str:
        """One line for the command line, e.g. ``installed the menu entry …``."""
        return f"{verb} the menu entry {self.desktop_file} and {len(self.icons)} icons"


def _data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "").strip()
    return Path(value) if value else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """The command that starts this csdesk: the frozen bundle, the console script, or ``-m``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).with_name("csdesk")
    if script.is_file():
        return [str(script.resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "csdesk"]


def desktop_file_text(command: list[str]) -> str:
    """The ``.desktop`` file for ``command`` (Desktop Entry Specification 1.4)."""
    exec_line = " ".join(_exec_quote(part) for part in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.4\n"
        "Name=csdesk\n"
        "GenericName=Account planning for Customer Success\n"
        "Comment=Portfolio health, renewals and renewal business cases, offline\n"
        f"Exec={exec_line} --import %f\n"
        f"TryExec={_exec_quote(command[0])}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Office;Finance;\n"
        f"MimeType={';'.join(MIME_TYPES)};\n"
        "Keywords=CRM;customer success;renewal;health score;\n"
        "StartupWMClass=csdesk\n"
    )


def _exec_quote(arg: str) -> str:
    """Quote one argument for an Exec key (the spec's rules: double quotes, escapes, ``%%``)."""
    arg = arg.replace("%", "%%")
    if not any(ch in arg for ch in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def _paths(data_home: Path) -> DesktopEntry:
    icons = data_home / "icons" / "hicolor"
    pngs = tuple(icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES)
    return DesktopEntry(
        desktop_file=data_home / "applications" / f"{APP_ID}.desktop",
        icons=(icons / "scalable" / "apps" / f"{APP_ID}.svg", *pngs),
    )


def _refresh_caches(data_home: Path) -> None:
    """Tell the desktop about the change where its tools exist (best effort, never fatal)."""
    for tool, target in (
        ("update-desktop-database", data_home / "applications"),
        ("gtk-update-icon-cache", data_home / "icons" / "hicolor"),
    ):
        exe = shutil.which(tool)
        if exe is not None:
            subprocess.run(
                [exe, "-q", str(target)] if tool.startswith("gtk") else [exe, str(target)],
                check=False,
                capture_output=True,
                timeout=30,
            )


def install_desktop_entry(data_home: Path | None = None) -> DesktopEntry:
    """Write the menu entry and icons for the current user.

    Raises:
        CsdeskError: the folder cannot be written (read-only home, full disk).
    """
    home = data_home or _data_home()
    entry = _paths(home)
    sources = [resource_path("icons", "csdesk.svg")] + [
        resource_path("icons", "app", f"csdesk-{n}.png") for n in ICON_SIZES
    ]
    try:
        for source, target in zip(sources, entry.icons, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
        entry.desktop_file.parent.mkdir(parents=True, exist_ok=True)
        part = entry.desktop_file.with_suffix(".desktop.part")
        part.write_text(desktop_file_text(launch_command()), encoding="utf-8")
        part.replace(entry.desktop_file)
    except OSError as exc:
        raise CsdeskError(
            f"cannot write the menu entry under {home}: {exc.strerror or exc}"
        ) from exc
    _refresh_caches(home)
    return entry


def uninstall_desktop_entry(data_home: Path | None = None) -> DesktopEntry:
    """Remove what :func:`install_desktop_entry` wrote; files already gone are fine.

    Raises:
        CsdeskError: a file exists but cannot be removed.
    """
    home = data_home or _data_home()
    entry = _paths(home)
    removed: list[Path] = []
    try:
        for path in (entry.desktop_file, *entry.icons):
            if path.exists():
                path.unlink()
                removed.append(path)
    except OSError as exc:
        raise CsdeskError(f"cannot remove the menu entry: {exc.strerror or exc}") from exc
    _refresh_caches(home)
    icons = tuple(p for p in removed if p != entry.desktop_file)
    return DesktopEntry(desktop_file=entry.desktop_file, icons=icons)
