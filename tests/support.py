"""Helpers several test folders share: run the app in a process of its own, migrate a file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
"""CRM-style sample exports the project ships for its tests (Salesforce, HubSpot, Zendesk, …)."""


def run_app_process(
    args: list[str], home: Path, **env_vars: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` offscreen with csdesk on the path and settings and data in ``home``.

    Args:
        args: The interpreter's arguments (``["-m", "csdesk", "--db", …]``, ``["-c", code, …]``).
        home: The folder standing in for the user's home, config and data folders.
        **env_vars: More environment variables (``CSDESK_QUIT_WHEN_IDLE="1"`` …).

    Returns:
        The finished process, its output as text.
    """
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "CSDESK_DATA_DIR": str(home / "data"),
            **env_vars,
        }
    )
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def migrate_to(
    path: Path,
    revision: str,
    *,
    downgrade: bool = False,
    on_connect: Callable[[Any, Any], None] | None = None,
) -> None:
    """Bring the portfolio file at ``path`` to ``revision`` with csdesk's migration scripts.

    Args:
        path: The portfolio file.
        revision: The target revision (``"head"`` for the newest).
        downgrade: Go down to ``revision`` instead of up.
        on_connect: Called with each new DB-API connection (e.g. to set an authorizer).
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import event

    from csdesk.db import make_engine, to_url

    engine = make_engine(to_url(path))
    if on_connect is not None:
        event.listen(engine, "connect", on_connect)
    config = Config()
    config.set_main_option("script_location", "csdesk:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(config, revision)
    engine.dispose()


class FakeProgress:
    """The progress protocol for tests: records every call; cancels once ``advance`` has been
    called ``cancel_after`` times."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.cancel_after = cancel_after
        self.phases: list[tuple[str, int]] = []
        self.advances: list[int] = []

    def start(self, total: int, label: str) -> None:
        """Record the phase."""
        self.phases.append((label, total))

    def advance(self, done: int) -> None:
        """Record the step count."""
        self.advances.append(done)

    def cancelled(self) -> bool:
        """True after ``cancel_after`` advances."""
        return self.cancel_after is not None and len(self.advances) >= self.cancel_after
