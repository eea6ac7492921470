"""``csdesk doctor``: versions, paths, schema revision, integrity and backups, for a support
request (SPEC 5). Everything is read through read-only connections; nothing is written."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from csdesk.errors import PortfolioError

__all__ = ["diagnose", "format_report"]

_PACKAGES = ("csdesk", "SQLAlchemy", "alembic", "PySide6", "reportlab", "openpyxl", "psycopg")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        if package == "csdesk":
            from csdesk import __version__

            return __version__
        return None


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {p: _version(p) for p in _PACKAGES}
    found["python"] = sys.version.split()[0]
    from csdesk.db.sqlite_file import SQLITE_VERSION

    found["sqlite"] = SQLITE_VERSION
    found["platform"] = platform.platform()
    return found


def _paths(portfolio: str) -> dict[str, str | None]:
    from csdesk.config import data_dir, health_models_dir
    from csdesk.logging_setup import log_path

    return {
        "data_dir": str(data_dir()),
        "portfolio": portfolio,
        "log": str(log_path()),
        "health_models": str(health_models_dir()),
    }


def _file_state(path: Path) -> dict[str, Any]:
    """Size, schema revision, writability and the full integrity check of a portfolio file."""
    from csdesk.db import KNOWN_REVISIONS, SCHEMA_HEAD, file_schema
    from csdesk.db.sqlite_file import FileDatabaseError, check_file, write_problem

    state: dict[str, Any] = {"size": path.stat().st_size, "schema_head": SCHEMA_HEAD}
    state["writable"] = write_problem(path) is None
    state["read_only_because"] = write_problem(path)
    try:
        _tables, revision = file_schema(path)
        state["schema"] = revision
        state["schema_known"] = revision in KNOWN_REVISIONS
    except FileDatabaseError as exc:
        state["schema"] = None
        state["schema_known"] = False
        state["schema_error"] = str(exc)
    try:
        problems = check_file(path, full=True)
    except FileDatabaseError as exc:
        problems = [str(exc)]
    state["integrity"] = "ok" if not problems else "; ".join(problems)
    return state


def _backups(path: Path) -> dict[str, Any]:
    from csdesk.config import backups_dir
    from csdesk.db.backup import keep_count, list_backups
    from csdesk.db.sqlite_file import is_intact

    folder = backups_dir(path)
    listed = []
    for found in list_backups(path):
        try:
            size = found.path.stat().st_size
        except OSError:
            continue
        listed.append(
            {
                "file": str(found.path),
                "created": found.created.isoformat(timespec="seconds"),
                "reason": found.reason,
                "size": size,
                "state": "ok" if is_intact(found.path) else "damaged",
            }
        )
    parts = sorted(str(p) for p in folder.glob("*.part")) if folder.is_dir() else []
    return {"folder": str(folder), "keep": keep_count(path), "files": listed, "part_files": parts}


def diagnose(target: str) -> dict[str, Any]:
    """The doctor's report on the portfolio at ``target`` (a path or URL).

    Raises:
        PortfolioError: there is no portfolio at ``target`` (nothing is created).
    """
    from csdesk.db import sqlite_path, to_url

    url = to_url(target)
    path = sqlite_path(url)
    report: dict[str, Any] = {
        "versions": _versions(),
        "paths": _paths(str(path) if path else url),
        "portfolio": None,
        "backups": None,
        "problem": None,
    }
    if path is None:
        report["portfolio"] = _server_state(url)
        report["problem"] = report["portfolio"].get("error")
        return report
    if not path.is_file():
        raise PortfolioError(f"no portfolio at {path} (check the path; nothing was created)")
    state = _file_state(path)
    report["portfolio"] = state
    report["backups"] = _backups(path)
    if state["integrity"] != "ok":
        from csdesk.db.admission import damaged_error

        report["problem"] = str(damaged_error(path, state["integrity"]))
    elif not state["schema_known"]:
        report["problem"] = f"{path.name} has schema {state['schema']}, unknown to this csdesk"
    return report


def _server_state(url: str) -> dict[str, Any]:
    from csdesk.db import open_portfolio, stored_revision
    from csdesk.errors import CsdeskError

    shown = url.split("@")[-1]  # never print a password
    try:
        portfolio = open_portfolio(url, create=False, for_writing=False)
    except CsdeskError as exc:
        return {"server": shown, "error": " ".join(str(exc).split())}
    try:
        return {"server": shown, "schema": stored_revision(portfolio.engine)}
    finally:
        portfolio.close()


def format_report(report: dict[str, Any]) -> str:
    """The report as aligned text for a terminal or a support e-mail."""
    lines = ["versions"]
    lines += [f"  {k:<14} {v or '-'}" for k, v in report["versions"].items()]
    lines.append("paths")
    lines += [f"  {k:<14} {v}" for k, v in report["paths"].items()]
    state = report["portfolio"] or {}
    lines.append("portfolio")
    for key in ("server", "size", "schema", "schema_head", "writable", "read_only_because"):
        if key in state and state[key] is not None:
            lines.append(f"  {key:<14} {state[key]}")
    if "integrity" in state:
        lines.append(f"  {'integrity':<14} {state['integrity']}")
    if state.get("error"):
        lines.append(f"  {'error':<14} {state['error']}")
    backups = report["backups"]
    if backups is not None:
        lines.append(f"backups ({backups['folder']}, keep {backups['keep']})")
        for b in backups["files"]:
            lines.append(f"  {b['created']}  {b['reason']:<22} {b['size']:>12,}  {b['state']}")
        if not backups["files"]:
            lines.append("  none")
        for part in backups["part_files"]:
            lines.append(f"  half-written (removed at the next backup): {part}")
    return "\n".join(lines) + "\n"
