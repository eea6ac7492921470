"""Whether the window can open: a display to draw on and the libraries Qt's X11 plugin needs.

Checked before the app (or ``--demo``) writes anything, without importing Qt: Qt itself aborts
the process with a core dump and a hint about ``libxcb-cursor0`` that is wrong when the library
is there and the display is missing (SPEC 7).
"""

from __future__ import annotations

import ctypes.util
import os
import socket
import sys

__all__ = ["display_problem"]

_NO_WINDOW_NEEDED = (
    "offscreen",
    "minimal",
    "minimalegl",
    "vnc",
    "eglfs",
    "linuxfb",
    "vkkhrdisplay",
)
_EVERY_COMMAND = "every command works without a window (see csdesk --help)"


def _x_socket_answers(display: str) -> bool:
    """True when an X server accepts a connection for ``display`` (":0", "host:10.0")."""
    host, _, rest = display.rpartition(":")
    try:
        number = int(rest.split(".")[0])
    except ValueError:
        return False
    if host.startswith("/"):  # a socket path (XQuartz: /private/tmp/…/org.xquartz:0)
        return os.path.exists(display)
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        for address in (path, "\0" + path):  # the file, then Linux's abstract socket
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2.0)
                try:
                    sock.connect(address)
                    return True
                except OSError:
                    continue
        return False
    try:
        with socket.create_connection((host, 6000 + number), timeout=2.0):
            return True
    except OSError:
        return False


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """What stops the window from opening, in one line; None when it can open."""
    env = os.environ if environ is None else environ
    if sys.platform in ("win32", "darwin"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if platform in _NO_WINDOW_NEEDED:
        return None
    wayland = env.get("WAYLAND_DISPLAY")
    if platform == "wayland" or (not platform and wayland):
        runtime = env.get("XDG_RUNTIME_DIR", "")
        target = wayland or "wayland-0"
        path = target if target.startswith("/") else os.path.join(runtime, target)
        if os.path.exists(path):
            return None
        if platform == "wayland":
            return f"cannot open the window: no Wayland display at {path}; {_EVERY_COMMAND}"
    display = env.get("DISPLAY")
    if not display:
        return (
            "cannot open the window: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            + _EVERY_COMMAND
        )
    if not _x_socket_answers(display):
        return f"cannot open the window: the display {display} does not answer; " + _EVERY_COMMAND
    if ctypes.util.find_library("xcb-cursor") is None:
        return (
            "cannot open the window: the system library libxcb-cursor0 (xcb-cursor) is "
            f"missing — install it; {_EVERY_COMMAND}"
        )
    return None
