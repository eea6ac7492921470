"""Export use cases: one account's business case, every account's (in parallel), the portfolio.

Each exported case is logged on the account's timeline (kind ``export``) in one short write
transaction after the files are written. A batch renders in worker processes ("spawn"-safe: each
worker opens the portfolio by URL itself), reports progress per finished document and honours
cancel: nothing more is started, pending work is dropped and no partial file is left behind.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.errors import (
    CsdeskError,
    DamagedPortfolioError,
    MachineFaultError,
    NoBusinessCaseError,
    NotFoundError,
    PortfolioBusyError,
)
from csdesk.models import Account, Activity
from csdesk.reports.case_options import ExportOptions
from csdesk.scoring.renewal import renews
from csdesk.scoring.vocabulary import CHURNED
from csdesk.services.changes import Changes
from csdesk.services.export_worker import (
    DEFAULT_FORMATS,
    FORMATS,
    PART_SUFFIX,
    ChunkResult,
    file_stem,
    is_export_part,
    render_account,
    unique_stems,
    write_atomic,
)
from csdesk.services.health_models import available_models
from csdesk.services.progress import NullProgress, Progress

__all__ = [
    "BatchResult",
    "CasePreview",
    "export_all",
    "export_case",
    "export_case_by_id",
    "export_portfolio_workbook",
    "preview_case",
    "refuse_without_case",
    "suggested_stem",
]

_LABELS = {"pdf": "PDF", "xlsx": "Excel", "pptx": "deck"}


@dataclass
class BatchResult:
    """What a batch export did."""

    out_dir: Path
    accounts: int = 0
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    account_ids: frozenset[int] = frozenset()
    skipped: int = 0
    stopped: str | None = None
    """Why the batch stopped before the end (the disk is full or read-only), or None."""
    not_logged: str | None = None
    """Why the exports are missing from the timeline (a read-only portfolio), or None."""

    @property
    def changes(self) -> Changes:
        """The change record: timeline entries were added for the exported accounts."""
        return Changes(activity=bool(self.account_ids), account_ids=self.account_ids)

    def describe(self) -> str:
        """One line for the CLI and the status bar."""
        done = len({p.stem for p in self.written})
        text = f"exported {done} of {self.accounts} business cases ({len(self.written)} files) "
        text += f"to {self.out_dir} in {self.seconds:.1f} s"
        if self.failed:
            names = ", ".join(name for name, _ in self.failed[:3])
            text += f"; {len(self.failed)} failed ({names}{', …' if len(self.failed) > 3 else ''})"
            text += f": {self.failed[0][1]}"
        if self.skipped:
            text += f"; skipped {self.skipped}: no business case (churned, prospect)"
        if self.stopped:
            text += "; stopped early"
        if self.not_logged and self.account_ids:
            text += "; not logged on the timeline (the portfolio is read-only)"
        if self.cancelled:
            text += "; cancelled"
        return text


def _targets(pdf: Path | None, xlsx: Path | None, pptx: Path | None = None) -> dict[str, Path]:
    pairs = (("pdf", pdf), ("xlsx", xlsx), ("pptx", pptx))
    targets = {kind: path for kind, path in pairs if path is not None}
    if not targets:
        raise CsdeskError("export needs at least one of a PDF, an Excel file and a deck")
    for path in targets.values():
        if not path.parent.is_dir():
            raise CsdeskError(f"cannot write {path}: the folder {path.parent} does not exist")
    return targets


def _probe(out_dir: Path) -> None:
    """Raise OSError at once when nothing can be written in ``out_dir`` (read-only, full)."""
    import tempfile

    with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".csdesk-", suffix=".probe") as probe:
        probe.write(b"\0" * 4096)
        probe.flush()
        os.fsync(probe.fileno())


def _remove_half_written(out_dir: Path) -> None:
    for leftover in out_dir.glob(f"*{PART_SUFFIX}"):
        if is_export_part(leftover):
            leftover.unlink(missing_ok=True)


def _log_exports(portfolio: Portfolio, written: dict[int, list[str]]) -> str | None:
    """Log the exports on the accounts' timelines; why they were not logged, or None.

    The files are written whatever happens here: a read-only or full portfolio keeps its
    timeline as it was.
    """
    if not written:
        return None
    if portfolio.read_only is not None:
        return portfolio.read_only
    actor, now = current_user(), dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for account_id, files in written.items():
        kinds = [_LABELS[Path(f).suffix.lstrip(".")] for f in files]
        rows.append(
            {
                "account_id": account_id,
                "at": now,
                "actor": actor,
                "kind": "export",
                "summary": f"Business case exported ({', '.join(kinds)})",
                "details": {"files": [Path(f).name for f in files]},
            }
        )
    try:
        with portfolio.write() as session:
            session.execute(insert(Activity), rows)
    except (MachineFaultError, DamagedPortfolioError, PortfolioBusyError) as exc:
        logging.getLogger(__name__).warning("exports not logged on the timeline: %s", exc)
        return str(exc)
    return None


def export_case_by_id(
    portfolio: Portfolio,
    account_id: int,
    *,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    pptx: Path | None = None,
    today: dt.date | None = None,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Write one account's business case as PDF, Excel and/or deck and log it on the timeline.

    Raises:
        NotFoundError: The account does not exist.
        NoBusinessCaseError: The account does not renew (churned, prospect).
        CsdeskError: No file was asked for, or a target folder does not exist.
    """
    targets = _targets(pdf, xlsx, pptx)
    today = today or dt.date.today()
    with portfolio.read() as session:
        refuse_without_case(session, account_id)
        try:
            written = render_account(
                session,
                account_id,
                targets,
                today=today,
                models=available_models(),
                options=options,
            )
        except PermissionError as exc:
            raise CsdeskError(f"cannot write {exc.filename}: permission denied") from exc
        except OSError as exc:
            from csdesk.faults import as_fault

            fault = as_fault(exc, exc.filename or "the export")
            if fault is None:
                raise
            raise fault from exc
    _log_exports(portfolio, {account_id: [str(p) for p in written]})
    return written


def refuse_without_case(session: Session, account_id: int) -> None:
    """Raise when the account has no renewal business case (only active and pilot renew).

    Raises:
        NotFoundError: The account does not exist.
        NoBusinessCaseError: It is churned or a prospect.
    """
    row = session.execute(
        select(Account.name, Account.status).where(Account.id == account_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no account with id {account_id}")
    if not renews(row.status):
        what = "a churned account" if row.status == CHURNED else "a prospect"
        raise NoBusinessCaseError(
            f"{row.name} is {row.status}: {what} does not renew, so it has no business case"
        )


def export_case(
    portfolio: Portfolio,
    ref: str,
    *,
    pdf: Path | None,
    xlsx: Path | None,
    pptx: Path | None = None,
    today: dt.date | None = None,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Write the business case of the account named by ``ref`` (CRM id or name).

    Raises:
        NotFoundError: No account, or several, match ``ref``.
        CsdeskError: No file was asked for, or a target folder does not exist.
    """
    from csdesk.services.accounts import find_account

    _targets(pdf, xlsx, pptx)
    with portfolio.read() as session:
        account_id = find_account(session, ref)
    return export_case_by_id(
        portfolio, account_id, pdf=pdf, xlsx=xlsx, pptx=pptx, today=today, options=options
    )


def suggested_stem(portfolio: Portfolio, account_id: int) -> str:
    """A safe file name (no extension) for an account's export, for the save dialog."""
    with portfolio.read() as session:
        row = session.execute(
            select(Account.name, Account.crm_id).where(Account.id == account_id)
        ).first()
    if row is None:
        raise NotFoundError(f"no account with id {account_id}")
    return file_stem(row.name, row.crm_id, account_id)


def _workers(requested: int | None, accounts: int, portfolio: Portfolio) -> int:
    if portfolio.in_memory:
        return 1  # an in-memory database cannot be opened by another process
    wanted = requested if requested is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, accounts // 4 or 1))


def export_all(
    portfolio: Portfolio,
    out_dir: Path,
    progress: Progress | None = None,
    *,
    account_ids: Collection[int] | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    workers: int | None = None,
    today: dt.date | None = None,
    options: ExportOptions | None = None,
) -> BatchResult:
    """Write the business case of every account (or of ``account_ids``) into a folder.

    Args:
        portfolio: The open portfolio.
        out_dir: The folder (created if missing).
        progress: Receives one step per finished document; cancel stops the batch.
        account_ids: The accounts to export (default: every account).
        formats: ``pdf``, ``xlsx`` and/or ``pptx``.
        workers: Worker processes (default: one per core; 1 renders in this process).
        today: The day the cases are prepared.
        options: Edition and sections of every document.

    Returns:
        The files written, failures and whether the batch was cancelled. Files already
        finished when a cancel arrives are kept (and logged); none is left half-written.
    """
    from csdesk.services.export_pool import run_pool

    progress = progress or NullProgress()
    unknown = [kind for kind in formats if kind not in FORMATS]
    if unknown or not formats:
        raise CsdeskError(f"unknown export format {unknown[0] if unknown else '(none)'}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _probe(out_dir)
    except OSError as exc:
        from csdesk.faults import as_fault

        fault = as_fault(exc, out_dir)
        raise fault or CsdeskError(f"cannot write in {out_dir}: {exc.strerror}") from exc
    started = time.perf_counter()
    with portfolio.read() as session:
        query = select(Account.id, Account.name, Account.crm_id, Account.status).order_by(
            Account.name_key
        )
        rows = [r for r in session.execute(query) if account_ids is None or r.id in account_ids]
    # Only active and pilot accounts renew: the others are skipped and counted (SPEC 4).
    renewing = [r for r in rows if renews(r.status)]
    names = {r.id: r.name for r in renewing}
    items = unique_stems([(r.id, file_stem(r.name, r.crm_id, r.id)) for r in renewing])
    _remove_half_written(out_dir)  # left by a killed batch
    result = BatchResult(out_dir=out_dir, accounts=len(items), skipped=len(rows) - len(renewing))
    progress.start(len(items) * len(formats), "Exporting business cases")
    count = _workers(workers, len(items), portfolio)
    chunk = ChunkResult()
    try:
        run_pool(
            portfolio,
            items,
            out_dir,
            tuple(formats),
            today or dt.date.today(),
            count,
            progress,
            chunk,
            options,
        )
    finally:
        _remove_half_written(out_dir)
        result.cancelled = progress.cancelled()
        result.written = [Path(f) for files in chunk.written.values() for f in files]
        result.account_ids = frozenset(chunk.written)
        result.failed = [(names.get(i, str(i)), message) for i, message in chunk.failed]
        result.stopped = chunk.fatal
        result.not_logged = _log_exports(portfolio, chunk.written)
        result.seconds = time.perf_counter() - started
    return result


def export_portfolio_workbook(
    portfolio: Portfolio, path: Path, *, today: dt.date | None = None
) -> Path:
    """Write the portfolio workbook (figures sheet and every account as a table).

    Raises:
        CsdeskError: The target folder does not exist.
    """
    from csdesk.reports.case_queries import currency as portfolio_currency
    from csdesk.reports.portfolio_xlsx import write_portfolio_workbook
    from csdesk.services.portfolio_figures import account_rows, portfolio_figures

    if not path.parent.is_dir():
        raise CsdeskError(f"cannot write {path}: the folder {path.parent} does not exist")
    today = today or dt.date.today()
    rows = account_rows(portfolio, today=today)
    with portfolio.read() as session:
        figures = portfolio_figures(session, today=today)
        currency = portfolio_currency(session)
    buffer = io.BytesIO()
    write_portfolio_workbook(rows, figures, buffer, currency=currency)
    write_atomic(path, buffer.getvalue())
    return path


@dataclass(frozen=True)
class CasePreview:
    """What an export of one account will show: the deck's slide titles, the PDF's sections,
    the PDF itself (in memory, for page images) and the accent colour the slides carry."""

    slides: tuple[str, ...]
    sections: tuple[str, ...]
    pdf: bytes = b""
    accent: str = ""


def preview_case(
    portfolio: Portfolio,
    account_id: int,
    options: ExportOptions,
    *,
    today: dt.date | None = None,
) -> CasePreview:
    """The slides and sections an export with ``options`` will have, without writing a file.

    Raises:
        NotFoundError: The account does not exist.
    """
    from csdesk.reports.case_options import SECTION_TITLES
    from csdesk.reports.case_text import present_sections
    from csdesk.reports.pdf import render_case_pdf
    from csdesk.reports.pptx_deck import slide_titles
    from csdesk.services.export_worker import assemble_for_export

    today = today or dt.date.today()
    with portfolio.read() as session:
        case = assemble_for_export(session, account_id, today, available_models())
    pdf = io.BytesIO()
    render_case_pdf(case, pdf, options)
    return CasePreview(
        slides=tuple(slide_titles(case, options)),
        sections=tuple(SECTION_TITLES[s] for s in present_sections(case, options)),
        pdf=pdf.getvalue(),
        accent=case.branding.accent,
    )
