"""The ``csdesk`` command: the desktop app without a subcommand, the command line with one."""

from __future__ import annotations

from collections.abc import Sequence


def _open_app(db: str | None, import_file: str | None) -> int:
    from csdesk.app import run_app

    return run_app(db, import_file=import_file)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``csdesk`` console script; returns the exit code."""
    from csdesk.cli import main as cli_main

    return cli_main(argv, open_app=_open_app)
