"""Import use cases: import a file (or dry-run it), preview it, and keep named column mappings.

The file is read, vetted and parsed before the write transaction starts (so other writers wait
only for the matching and writing); everything that changes the portfolio — accounts, records,
snapshots, the health recompute of the imported accounts and the timeline entry — happens in one
transaction, rolled back on error, cancel or dry run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select

from csdesk.config import current_user
from csdesk.db import Portfolio
from csdesk.db.backup import backup_before
from csdesk.importing.mapping import ColumnMapping
from csdesk.importing.pipeline import prepare, run_import
from csdesk.importing.preview import ImportPreview, build_preview
from csdesk.importing.readers import Table
from csdesk.importing.summary import ImportFileError, ImportSummary, RowError
from csdesk.models import Activity, SavedMapping, utcnow
from csdesk.reports.case_queries import plans
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES
from csdesk.services.bulk import paused_gc
from csdesk.services.changes import Changes
from csdesk.services.churn import settle_churn
from csdesk.services.outcomes import record_outcome
from csdesk.services.progress import NullProgress, Progress
from csdesk.services.recompute import first_scores, recompute_accounts

__all__ = [
    "ColumnMapping",
    "ImportFileError",
    "ImportPreview",
    "ImportSummary",
    "NamedMapping",
    "RowError",
    "delete_mapping",
    "import_file",
    "list_mappings",
    "load_mapping",
    "plan_names",
    "preview_file",
    "save_mapping",
]


SUPPORT_KINDS = frozenset({"contacts", "tickets", "surveys"})
"""Import kinds whose records the dashboard and the account 360 show as support and people."""


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that it rolls back."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


@dataclass(frozen=True, slots=True)
class NamedMapping:
    """A column mapping saved in the portfolio."""

    name: str
    mapping: ColumnMapping
    updated_at: dt.datetime | None


def plan_names(portfolio: Portfolio | None) -> tuple[str, ...]:
    """The tier names of the portfolio's plan catalog (the default catalog without one)."""
    if portfolio is None:
        return DEFAULT_PLAN_NAMES
    with portfolio.read() as session:
        return tuple(plan.name for plan in plans(session))


def load_mapping(
    portfolio: Portfolio | None, ref: str | ColumnMapping | None
) -> ColumnMapping | None:
    """A mapping from a file path, a saved mapping's name, or as given.

    Raises:
        ImportFileError: no such file or saved mapping, or an invalid mapping.
    """
    if ref is None or isinstance(ref, ColumnMapping):
        return ref
    path = Path(ref).expanduser()
    if path.is_file():
        return ColumnMapping.from_file(path)
    if portfolio is not None:
        with portfolio.read() as session:
            text = session.scalar(select(SavedMapping.toml).where(SavedMapping.name == ref))
        if text is not None:
            found = ColumnMapping.from_toml(text, f"saved mapping {ref!r}")
            found.source = ref
            return found
    if path.suffix.lower() == ".toml" or "/" in ref:
        raise ImportFileError(f"{path.name}: no such mapping file")
    raise ImportFileError(f"no saved mapping named {ref!r} and no mapping file of that name")


def save_mapping(portfolio: Portfolio, name: str, mapping: ColumnMapping) -> None:
    """Save (or replace) a named mapping.

    Raises:
        ImportFileError: the name is empty.
    """
    name = name.strip()
    if not name:
        raise ImportFileError("a saved mapping needs a name")
    with portfolio.write() as session:
        session.execute(delete(SavedMapping).where(SavedMapping.name == name))
        session.execute(
            insert(SavedMapping).values(
                name=name, kind=mapping.kind or "", toml=mapping.to_toml(), updated_at=utcnow()
            )
        )


def list_mappings(portfolio: Portfolio) -> list[NamedMapping]:
    """The saved mappings, by name."""
    with portfolio.read() as session:
        rows = session.execute(
            select(SavedMapping.name, SavedMapping.toml, SavedMapping.updated_at).order_by(
                SavedMapping.name
            )
        ).all()
    return [
        NamedMapping(name, ColumnMapping.from_toml(text, f"saved mapping {name!r}"), at)
        for name, text, at in rows
    ]


def delete_mapping(portfolio: Portfolio, name: str) -> bool:
    """Delete a saved mapping; True if it existed."""
    with portfolio.write() as session:
        result = session.execute(delete(SavedMapping).where(SavedMapping.name == name))
    return bool(getattr(result, "rowcount", 0))


def preview_file(
    path: Path,
    kind: str | None = None,
    mapping: str | ColumnMapping | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    limit: int = 50,
    *,
    portfolio: Portfolio | None = None,
    table: Table | None = None,
) -> ImportPreview:
    """What importing ``path`` would read: sheets, kind, header row, columns and first rows.

    Args:
        path: The file.
        kind: Force a kind (else from the mapping or the headers).
        mapping: A mapping, a mapping file path, or (with ``portfolio``) a saved mapping's name.
        sheet: The worksheet (default: the first).
        date_order: ``DMY``/``MDY`` to override the file's order.
        limit: How many data rows to show.
        portfolio: Where saved mappings and the plan catalog come from (optional).
        table: The file as already read (the wizard reads it once); ``sheet`` is then unused.

    Raises:
        ImportFileError: the file cannot be imported at all.
    """
    prepared = prepare(
        Path(path),
        kind=kind,
        mapping=load_mapping(portfolio, mapping),
        sheet=sheet,
        date_order=date_order,
        plans=plan_names(portfolio),
        limit=limit,
        table=table,
    )
    return build_preview(prepared)


def import_file(
    portfolio: Portfolio,
    path: Path,
    *,
    kind: str | None = None,
    mapping: str | ColumnMapping | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Import a CSV/TSV/XLSX file into the portfolio as one transaction.

    Args:
        portfolio: The open portfolio.
        path: The file.
        kind: ``accounts`` | ``metrics`` | ``contacts`` | ``tickets`` | ``surveys`` |
            ``scorecards``; detected from the headers when None.
        mapping: A mapping, a mapping file path, or the name of a saved mapping.
        sheet: The worksheet of a workbook (default: the first).
        date_order: ``DMY``/``MDY`` to override the file's order.
        dry_run: Do everything, report it, and roll it all back.
        progress: Progress reports; cancelling raises ``CancelledError`` and changes nothing.
        today: The as-of day of metrics without an "As Of" column (default: today).

    Returns:
        The summary; ``summary.changes`` says what the views should refresh.

    Raises:
        ImportFileError: the file cannot be imported at all (nothing changed).
        CancelledError: the user cancelled (nothing changed).
    """
    progress = progress or NullProgress()
    path = Path(path)
    mapping = load_mapping(portfolio, mapping)
    plans = plan_names(portfolio)
    # The collector is paused while the file's cells, parsed columns and rows to write are
    # alive: its full passes over millions of objects cost ~10 % of a 100,000-row import.
    with paused_gc():
        return _import(portfolio, path, kind, mapping, sheet, date_order, plans, dry_run,
                       progress, today)  # fmt: skip


def _import(
    portfolio: Portfolio,
    path: Path,
    kind: str | None,
    mapping: ColumnMapping | None,
    sheet: str | None,
    date_order: str | None,
    plans: tuple[str, ...],
    dry_run: bool,
    progress: Progress,
    today: dt.date | None,
) -> ImportSummary:
    """``import_file`` once the mapping and the plan names are known."""
    prepared = prepare(
        path,
        kind=kind,
        mapping=mapping,
        sheet=sheet,
        date_order=date_order,
        plans=plans,
        progress=progress,
    )
    today = today or dt.date.today()
    health = Changes()
    if not dry_run and portfolio.path is not None:
        backup_before(portfolio.path, "import")
    try:
        with portfolio.write() as session:
            now = utcnow()
            accounts = prepared.layout.kind == "accounts"
            first = first_scores(session, today, now) if accounts else None
            summary = run_import(
                session, prepared, today=today, now=now, progress=progress, score_new=first
            )
            del prepared  # the file's rows are not needed by the recompute
            if summary.account_ids and summary.kind == "accounts":
                # Before the recompute, so a churned account opens no renewal or at-risk task.
                settle_churn(session, summary.account_ids, today)
            outcome = summary.outcome
            assert outcome is not None
            summary.outcome = None  # used here: the summary leaves with its counts alone
            for found in outcome.outcomes:
                if record_outcome(session, **found._asdict()):
                    if summary.kind == "accounts" and found.account_id not in summary.account_ids:
                        # An account whose only news is an outcome the file states is updated.
                        summary.updated += 1
                        summary.unchanged -= 1
                    summary.account_ids = summary.account_ids | {found.account_id}
            if summary.account_ids:
                result = recompute_accounts(
                    session,
                    summary.account_ids,
                    today=today,
                    progress=progress,
                    first=first,
                )
                health = result.changes
            changes = Changes(
                accounts=summary.kind in ("accounts", "scorecards", "opportunities")
                and summary.changed,
                account_ids=summary.account_ids,
                metrics=outcome.metrics,
                roi=outcome.roi,
                prospects=outcome.prospects,
                support=summary.kind in SUPPORT_KINDS and summary.changed,
                activity=summary.changed,
                fenced_by="an import" if summary.account_ids else "",
            ).merged(health)
            if summary.changed:
                session.execute(insert(Activity).values(**_activity(summary)))
            if dry_run:
                raise _DryRun(summary)
        summary.changes = changes  # committed
    except _DryRun as done:
        summary = done.summary
        summary.dry_run = True
    return summary


ACCOUNT_CHANGING_KINDS = ("accounts", "scorecards", "opportunities")
"""Kinds whose import changes accounts' own fields (opportunities set the renewal date)."""


def _activity(summary: ImportSummary) -> dict[str, object]:
    counts = [
        f"{n} {label}"
        for n, label in ((summary.created, "created"), (summary.updated, "updated"))
        if n
    ]
    if summary.rejected:
        counts.append(f"{len(summary.rejected)} rejected")
    return {
        "account_id": None,
        "at": utcnow(),
        "actor": current_user(),
        "kind": "import",
        "summary": f"Imported {summary.file}: {', '.join(counts)}",
        "details": {
            "file": summary.file,
            "kind": summary.kind,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "rejected": len(summary.rejected),
            "ignored_columns": summary.ignored_columns,
        },
    }
