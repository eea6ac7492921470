"""Rendering business-case files, in this process or in a spawned worker process.

A worker opens the portfolio itself by URL once (``init_worker``) and renders a list of account
ids per task (``render_chunk``); everything crossing the process boundary is plain data. Files
are written whole: to a ``.part`` name first, then renamed, so a crash or a cancel never leaves a
half-written document behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import io
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from csdesk.reports.case_options import ExportOptions
from csdesk.scoring.health_models import HealthModel

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "ChunkResult",
    "assemble_for_export",
    "file_stem",
    "init_worker",
    "render_account",
    "render_chunk",
    "unique_stems",
    "write_atomic",
]

FORMATS = ("pdf", "xlsx", "pptx")
DEFAULT_FORMATS = ("pdf", "xlsx")
"""What a batch writes unless told otherwise."""
PART_SUFFIX = ".part"
_UNSAFE = re.compile(r"[^\w]+", re.UNICODE)
_worker: dict[str, Any] = {}


@dataclass
class ChunkResult:
    """What one task rendered: files per account id, and failures as ``(id, message)``."""

    written: dict[int, list[str]] = field(default_factory=dict)
    failed: list[tuple[int, str]] = field(default_factory=list)
    fatal: str | None = None
    """Why nothing more can be written (disk full, read-only): the batch stops."""

    @property
    def documents(self) -> int:
        """Files written plus documents that failed."""
        return sum(len(files) for files in self.written.values()) + len(self.failed)


def file_stem(name: str, crm_id: str | None, account_id: int) -> str:
    """A file name (no extension) that is safe on every platform and unique per account.

    Args:
        name: Account name (may hold any character: ``AT&T <Retail>``).
        crm_id: The account's CRM id, if any.
        account_id: The account's id, used when there is no CRM id.

    Returns:
        E.g. ``AT-T-Retail_0016g00000Dm001AAR``.
    """
    text = unicodedata.normalize("NFC", name)
    slug = _UNSAFE.sub("-", text).strip("-_")[:60] or "account"
    key = _UNSAFE.sub("-", crm_id).strip("-") if crm_id else ""
    return f"{slug}_{key or f'id{account_id}'}"


def unique_stems(items: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """``(account id, stem)`` pairs whose stems are unique even on a case-insensitive disk:
    accounts whose names and ids fold to the same stem (``A/1`` and ``A-1``) get their id."""
    folded: dict[str, int] = {}
    for _account_id, stem in items:
        folded[stem.casefold()] = folded.get(stem.casefold(), 0) + 1
    return [
        (account_id, stem if folded[stem.casefold()] == 1 else f"{stem}-id{account_id}")
        for account_id, stem in items
    ]


_FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
_writing: set[Path] = set()
"""The ``.part`` files this process is writing (removed if the parent dies meanwhile)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole: to ``<name>.part``, then rename over the target."""
    part = path.with_name(path.name + PART_SUFFIX)
    _writing.add(part)
    try:
        part.write_bytes(data)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        _writing.discard(part)


def is_export_part(path: Path) -> bool:
    """True for a half-written export (``<stem>.pdf.part``, ``.xlsx.part``, ``.pptx.part``)."""
    return path.name.endswith(PART_SUFFIX) and path.suffixes[-2:-1] in (
        [".pdf"],
        [".xlsx"],
        [".pptx"],
    )


def _watch_parent(parent: int) -> None:
    """End this worker (removing its half-written file) once the process that started it is
    gone: a killed batch export must not leave workers behind holding the portfolio open."""
    import time

    while os.getppid() == parent:
        time.sleep(0.25)
    for part in list(_writing):
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
    os._exit(3)


def assemble_for_export(
    session: Session, account_id: int, today: dt.date, models: Mapping[str, HealthModel] | None
) -> Any:
    """One account's case with its stored success plan, branding and drafted summary."""
    from csdesk.reports.case_data import assemble_case
    from csdesk.services.branding import load_branding
    from csdesk.services.plan_draft import draft_summary
    from csdesk.services.success_plans import load_success_plan

    case = assemble_case(
        session,
        account_id,
        today=today,
        models=models,
        plan=load_success_plan(session, account_id, today),
        branding=load_branding(session),
    )
    if not case.plan.narrative.executive_summary.strip():
        case = dataclasses.replace(
            case, draft_summary=draft_summary(session, account_id, today, case=case)
        )
    return case


def render_account(
    session: Session,
    account_id: int,
    targets: Mapping[str, Path],
    *,
    today: dt.date,
    models: Mapping[str, HealthModel] | None,
    on_file: Callable[[Path], None] | None = None,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Assemble one account's case and write it in each requested format.

    Args:
        session: An open session.
        account_id: The account.
        targets: Output path by format (``pdf``, ``xlsx``, ``pptx``).
        today: The day the case is prepared.
        models: Health models by name.
        on_file: Called with each file once it is written.
        options: Edition and sections (default: client edition, every section).

    Returns:
        The files written, in the order PDF, Excel, deck.
    """
    options = options or ExportOptions()
    case = assemble_for_export(session, account_id, today, models)
    written: list[Path] = []
    for kind in FORMATS:
        path = targets.get(kind)
        if path is None:
            continue
        buffer = io.BytesIO()
        if kind == "pdf":
            from csdesk.reports.pdf import render_case_pdf

            render_case_pdf(case, buffer, options)
        elif kind == "pptx":
            from csdesk.reports.pptx_deck import render_case_pptx

            render_case_pptx(case, buffer, options)
        else:
            from csdesk.reports.xlsx import write_case_workbook

            write_case_workbook(case, buffer, options)
        write_atomic(path, buffer.getvalue())
        written.append(path)
        if on_file is not None:
            on_file(path)
    return written


def init_worker(url: str, parent: int | None = None) -> None:
    """Open the portfolio in a worker process and load what every case needs once.

    Args:
        url: The portfolio.
        parent: The pid of the exporting process; the worker ends itself when it is gone.
    """
    import threading

    from csdesk.db import open_portfolio
    from csdesk.services.health_models import available_models

    if parent is not None and os.name == "posix":
        threading.Thread(
            target=_watch_parent, args=(parent,), name="csdesk-parent-watch", daemon=True
        ).start()
    _worker["portfolio"] = open_portfolio(url, create=False, for_writing=False, daily_backup=False)
    _worker["models"] = available_models()


def render_chunk(
    accounts: Sequence[tuple[int, str]],
    out_dir: str,
    formats: Sequence[str],
    today: dt.date,
    options: ExportOptions | None = None,
) -> ChunkResult:
    """Render the cases of some accounts (runs in a worker set up by :func:`init_worker`).

    Args:
        accounts: ``(account id, file stem)`` pairs.
        out_dir: Folder the files go to.
        formats: Formats to write (``pdf``, ``xlsx``).
        today: The day the cases are prepared.
        options: Edition and sections.

    Returns:
        The files written per account and the failures, as plain data.
    """
    return render_accounts(
        _worker["portfolio"], accounts, out_dir, formats, today, _worker["models"], None, options
    )


def render_accounts(
    portfolio: Any,
    accounts: Sequence[tuple[int, str]],
    out_dir: str,
    formats: Sequence[str],
    today: dt.date,
    models: Mapping[str, HealthModel] | None,
    on_file: Callable[[Path], None] | None = None,
    options: ExportOptions | None = None,
) -> ChunkResult:
    """Render the cases of some accounts with an open portfolio (in any process)."""
    from sqlalchemy.exc import DBAPIError

    from csdesk.errors import CsdeskError

    result = ChunkResult()
    folder = Path(out_dir)
    with portfolio.read() as session:
        for account_id, stem in accounts:
            targets = {kind: folder / f"{stem}.{kind}" for kind in formats}
            try:
                files = render_account(
                    session,
                    account_id,
                    targets,
                    today=today,
                    models=models,
                    on_file=on_file,
                    options=options,
                )
            except (CsdeskError, OSError, ValueError, DBAPIError) as exc:
                result.failed.append((account_id, _reason(exc)))
                if isinstance(exc, OSError) and exc.errno in _FATAL_ERRNOS:
                    result.fatal = _reason(exc)
                    break
                continue
            result.written[account_id] = [str(p) for p in files]
    return result


def _reason(exc: BaseException) -> str:
    """Why a document failed, in one line (the machine fault it is, if it is one)."""
    from csdesk.faults import fault_message

    return fault_message(exc, "the export") or " ".join(str(exc).split()) or type(exc).__name__
