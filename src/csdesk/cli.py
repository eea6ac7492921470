"""The command line: argparse front end, printing and exit codes (SPEC 5).

Subcommands import their services lazily, so ``csdesk accounts`` never loads Qt, reportlab or
openpyxl. Exit codes: 0 success, 1 partial (rows rejected), 2 the request could not be done, with a
one-line reason on stderr and nothing changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from csdesk.errors import CsdeskError
from csdesk.scoring.vocabulary import IMPORT_KINDS

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_FAILED, f"csdesk: {message}\n")


def _db_arg(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Subcommands repeat --db; SUPPRESS keeps ``csdesk --db X accounts`` from losing X.
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="portfolio file or database URL (default: portfolio.db in the user data folder)",
    )


CREATING = frozenset({"demo", "import", "restore"})
"""The commands that may create a missing ``--db`` portfolio (SPEC 5); every other command,
including any added later, refuses a ``--db`` path that does not exist rather than create an
empty portfolio. (``copy`` creates its ``--to`` target itself; its ``--db`` is read.)"""
WRITING = CREATING | {"recompute", "merge"}
"""The commands that write: they refuse a damaged or read-only portfolio at once; the others
read what can be read from it."""


def _open(args: argparse.Namespace, *, create: bool | None = None) -> Any:
    """Open the command's portfolio: created only by :data:`CREATING`, read-only unless
    :data:`WRITING` (so a read-only or damaged portfolio can still be listed and exported).

    ``create=False`` may narrow what the command's name allows; it never widens it.
    """
    from csdesk.config import default_portfolio
    from csdesk.db import open_portfolio

    command = getattr(args, "command", None)
    portfolio = open_portfolio(
        args.db or default_portfolio(),
        create=command in CREATING and create is not False,
        for_writing=command in WRITING,
    )
    if command in WRITING:
        try:
            portfolio.refuse_read_only_user()  # a server user with only csdesk_read
        except CsdeskError:
            portfolio.close()
            raise
    if portfolio.read_only is not None:
        print(
            f"csdesk: note: {portfolio.display_name} is read-only ({portfolio.read_only}); "
            "showing what can be read, changing nothing",
            file=sys.stderr,
        )
    return portfolio


def _json_number(value: object) -> float:
    """A ``Decimal`` amount as a JSON number (two decimals read back exactly)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _cmd_demo(args: argparse.Namespace) -> int:
    from csdesk.services.demo import build_demo

    portfolio = _open(args)
    summary = build_demo(portfolio)
    print(f"demo portfolio ready in {portfolio.display_name}: {summary}")
    return EXIT_OK


def _cmd_accounts(args: argparse.Namespace) -> int:
    from csdesk.services.accounts import account_listing, format_table

    portfolio = _open(args)
    rows = account_listing(portfolio)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=_json_number)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(rows))
    return EXIT_OK


def _cmd_tasks(args: argparse.Namespace) -> int:
    from csdesk.services.task_list import format_tasks, open_tasks

    portfolio = _open(args, create=False)
    rows = open_tasks(portfolio, overdue_only=args.overdue)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_tasks(rows))
    return EXIT_OK


def _cmd_recompute(args: argparse.Namespace) -> int:
    from csdesk.services.health_models import user_model_errors
    from csdesk.services.progress import StderrProgress
    from csdesk.services.recompute import recompute_health

    portfolio = _open(args)
    for problem in user_model_errors():  # a broken user file is skipped, never half-used
        print(f"csdesk: health model skipped: {problem}", file=sys.stderr)
    progress = StderrProgress()
    result = recompute_health(portfolio, progress=progress)
    progress.finish()
    print(result.describe())
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from csdesk.services.importer import import_file
    from csdesk.services.progress import NullProgress, StderrProgress

    portfolio = _open(args)
    progress = NullProgress() if args.json else StderrProgress()
    summary = import_file(
        portfolio,
        Path(args.file),
        kind=args.kind,
        mapping=args.mapping,
        sheet=args.sheet,
        date_order=args.date_order,
        dry_run=args.dry_run,
        progress=progress,
    )
    if isinstance(progress, StderrProgress):
        progress.finish()
    if args.json:
        json.dump(summary.to_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary.describe())
    return EXIT_PARTIAL if summary.rejected else EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from csdesk.reports.case_options import ExportOptions, parse_edition, parse_sections
    from csdesk.services.exporter import export_all, export_case
    from csdesk.services.progress import StderrProgress

    options = ExportOptions(parse_edition(args.edition), parse_sections(args.sections))
    if args.all:
        if not args.out:
            raise CsdeskError("export --all needs --out DIR")
        if args.account:
            raise CsdeskError("give either an ACCOUNT or --all, not both")
        portfolio = _open(args)
        progress = StderrProgress()
        formats = [x.strip() for x in (args.formats or "pdf,xlsx").split(",") if x.strip()]
        result = export_all(
            portfolio, Path(args.out), progress=progress, formats=formats, options=options
        )
        progress.finish()
        if result.stopped or (result.failed and not result.written):
            raise CsdeskError(result.describe())
        print(result.describe())
        return EXIT_PARTIAL if result.failed else EXIT_OK
    if not args.account:
        raise CsdeskError("export needs an ACCOUNT (crm_id or name) or --all")
    if not args.pdf and not args.xlsx and not args.pptx:
        raise CsdeskError("export needs at least one of --pdf FILE, --xlsx FILE and --pptx FILE")
    portfolio = _open(args)
    written = export_case(
        portfolio,
        args.account,
        pdf=Path(args.pdf) if args.pdf else None,
        xlsx=Path(args.xlsx) if args.xlsx else None,
        pptx=Path(args.pptx) if args.pptx else None,
        options=options,
    )
    for path in written:
        print(path)
    return EXIT_OK


def _cmd_duplicates(args: argparse.Namespace) -> int:
    from csdesk.services.duplicates import find_duplicates

    groups = find_duplicates(_open(args))
    if args.json:
        json.dump([g.to_json() for g in groups], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    for group in groups:
        print(f"{group.evidence}:")
        for account in group.accounts:
            print(f"  {account.name}  [{account.crm_id or 'no id'}]")
    print(f"{len(groups)} possible duplicate group{'s' if len(groups) != 1 else ''}")
    return EXIT_OK


def _cmd_merge(args: argparse.Namespace) -> int:
    from csdesk.services.accounts import find_account
    from csdesk.services.merge import merge_accounts

    portfolio = _open(args)
    with portfolio.read() as session:
        keep, other = find_account(session, args.keep), find_account(session, args.other)
    if keep == other:
        raise CsdeskError(f"{args.keep!r} and {args.other!r} are the same account")
    print(merge_accounts(portfolio, keep, other).summary)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from csdesk.services.backups import backup_to

    portfolio = _open(args)
    if portfolio.path is None:  # a server portfolio: copied into a new file
        from csdesk.services.copying import backup_server

        print(backup_server(portfolio, Path(args.dest)))
        return EXIT_OK
    print(backup_to(portfolio, Path(args.dest)))
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from csdesk.config import default_portfolio
    from csdesk.services.backups import restore_from

    if args.src and "://" in args.src:
        raise CsdeskError(
            f"restore reads a portfolio file, not a {args.src.split('://')[0]} server; "
            "copy a server portfolio with: csdesk copy --to PATH|URL --db URL"
        )
    from csdesk.db import is_server_url

    if args.db and is_server_url(args.db):
        from csdesk.services.copying import restore_server

        print(f"restored {args.src}: {restore_server(args.db, Path(args.src)).describe()}")
        return EXIT_OK
    kept = restore_from(Path(args.db or default_portfolio()), Path(args.src))
    print(f"restored {args.src}" + (f"; the replaced portfolio was kept as {kept}" if kept else ""))
    return EXIT_OK


def _cmd_backtest(args: argparse.Namespace) -> int:
    from csdesk.services.backtest import run_backtest

    portfolio = _open(args, create=False)
    report = run_backtest(portfolio, model=args.model, horizon_days=args.horizon)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    print(
        f"{report.model}, {report.horizon_days} days ahead: {report.outcomes} outcomes "
        f"({report.churned} churned, {report.insufficient_data} without enough data) — "
        f"{report.verdict()}"
    )
    for band in report.bands:
        rate = "—" if band.churn_rate is None else f"{band.churn_rate:.0%}"
        counts = f"{band.accounts:>6} accounts  {band.churned:>5} churned"
        print(f"  {band.band.value:<10} {counts}  {rate}")
    for measure in report.measures:
        shown = "—" if measure.auc is None else f"{measure.auc:.2f}"
        print(f"  {measure.label:<22} AUC {shown}")
    if report.suggested is not None:
        weights = ", ".join(f"{k} {w:.1f}" for k, w in report.suggested.weights.items())
        print(
            f"suggested weights: {weights} (cross-validated AUC {report.suggested.auc_cv:.2f} "
            f"against {report.suggested.current_auc_cv:.2f} now)"
        )
    elif report.reason:
        print(f"no suggested weights: {report.reason}")
    return EXIT_OK


def _cmd_copy(args: argparse.Namespace) -> int:
    from csdesk.config import default_portfolio
    from csdesk.services.copying import copy_portfolio

    print(copy_portfolio(args.db or default_portfolio(), args.to).describe())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The ``csdesk`` argument parser."""
    parser = _Parser(prog="csdesk", description="Offline account-planning desk for CSMs.")
    _db_arg(parser, top=True)
    parser.add_argument("--version", action="version", version=_version_line())
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a demo portfolio (demo.db in the data folder, built on first use)",
    )
    parser.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="open the app and start the import wizard on FILE (the menu entry's 'Open with')",
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add csdesk to this user's application menu (Linux; no root needed)",
    )
    parser.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove the menu entry --install-desktop-entry wrote",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a demo portfolio (about 60 accounts)")
    _db_arg(demo)
    demo.set_defaults(handler=_cmd_demo)

    imp = sub.add_parser("import", help="import a CSV/TSV/XLSX export")
    imp.add_argument("file")
    _db_arg(imp)
    imp.add_argument("--kind", choices=IMPORT_KINDS)
    imp.add_argument("--mapping", metavar="NAME|FILE")
    imp.add_argument("--sheet", metavar="S")
    imp.add_argument("--date-order", choices=("DMY", "MDY"), type=str.upper)
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cmd_import)

    acc = sub.add_parser("accounts", help="list accounts with their scores")
    _db_arg(acc)
    acc.add_argument("--json", action="store_true")
    acc.set_defaults(handler=_cmd_accounts)

    tasks = sub.add_parser("tasks", help="open tasks, oldest due first")
    _db_arg(tasks)
    tasks.add_argument("--overdue", action="store_true", help="only tasks past their due date")
    tasks.add_argument("--json", action="store_true")
    tasks.set_defaults(handler=_cmd_tasks)

    rec = sub.add_parser("recompute", help="recompute health and open alerts and tasks")
    _db_arg(rec)
    rec.set_defaults(handler=_cmd_recompute)

    exp = sub.add_parser("export", help="export a renewal business case (PDF / Excel / deck)")
    exp.add_argument("account", nargs="?", metavar="ACCOUNT")
    _db_arg(exp)
    exp.add_argument("--pdf", metavar="FILE")
    exp.add_argument("--xlsx", metavar="FILE")
    exp.add_argument("--pptx", metavar="FILE")
    exp.add_argument("--edition", metavar="client|internal", help="default: client")
    exp.add_argument("--sections", metavar="S1,S2,…", help="default: every section")
    exp.add_argument("--formats", metavar="pdf,xlsx,pptx", help="with --all; default: pdf,xlsx")
    exp.add_argument("--all", action="store_true", help="every account, into --out DIR")
    exp.add_argument("--out", metavar="DIR")
    exp.set_defaults(handler=_cmd_export)

    dup = sub.add_parser("duplicates", help="accounts that share a name or a website domain")
    _db_arg(dup)
    dup.add_argument("--json", action="store_true")
    dup.set_defaults(handler=_cmd_duplicates)

    mrg = sub.add_parser("merge", help="merge account OTHER into KEEP (ids, history, records)")
    mrg.add_argument("keep", metavar="KEEP")
    mrg.add_argument("other", metavar="OTHER")
    _db_arg(mrg)
    mrg.set_defaults(handler=_cmd_merge)

    btk = sub.add_parser(
        "backtest", help="does the health score predict churn? (AUC, churn by band, weights)"
    )
    _db_arg(btk)
    btk.add_argument("--model", metavar="NAME", help="health model (default: the portfolio's)")
    btk.add_argument("--horizon", metavar="DAYS", type=int, default=90)
    btk.add_argument("--json", action="store_true")
    btk.set_defaults(handler=_cmd_backtest)

    bak = sub.add_parser("backup", help="copy the portfolio to DEST (safe while in use)")
    bak.add_argument("dest")
    _db_arg(bak)
    bak.set_defaults(handler=_cmd_backup)

    res = sub.add_parser("restore", help="replace the portfolio with a backup (keeps a copy)")
    res.add_argument("src")
    _db_arg(res)
    res.set_defaults(handler=_cmd_restore)

    doc = sub.add_parser("doctor", help="versions, paths, schema, integrity and backups")
    _db_arg(doc)
    doc.add_argument("--json", action="store_true")
    doc.set_defaults(handler=_cmd_doctor)
    cop = sub.add_parser("copy", help="copy the whole portfolio, SQLite ⇄ PostgreSQL")
    cop.add_argument("--to", required=True, metavar="PATH|URL", help="a new portfolio")
    _db_arg(cop)
    cop.set_defaults(handler=_cmd_copy)
    return parser


def _version_line() -> str:
    from csdesk import __version__

    return f"csdesk {__version__}"


def _cmd_doctor(args: argparse.Namespace) -> int:
    from csdesk.config import default_portfolio
    from csdesk.services.doctor import diagnose, format_report

    report = diagnose(args.db or str(default_portfolio()))
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(report))
    if report["problem"]:
        print(f"csdesk: {report['problem']}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _ensure_demo(db: str | None) -> Path | str:
    """The demo portfolio (``demo.db`` in the data folder unless ``--db``), built if empty."""
    from sqlalchemy import func, select

    from csdesk.config import data_dir
    from csdesk.db import open_portfolio
    from csdesk.models import Account
    from csdesk.services.demo import build_demo

    target = db or data_dir() / "demo.db"
    portfolio = open_portfolio(target)
    try:
        with portfolio.read() as session:
            empty = not session.scalar(select(func.count(Account.id)))
        if empty:
            build_demo(portfolio)
    finally:
        portfolio.close()
    return target


def _desktop_entry(install: bool) -> int:
    from csdesk.desktop_entry import install_desktop_entry, uninstall_desktop_entry

    if install:
        print(install_desktop_entry().describe("installed"))
    else:
        print(uninstall_desktop_entry().describe("removed"))
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    open_app: Callable[[str | None, str | None], int] | None = None,
) -> int:
    """Run one command; returns the exit code.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        open_app: Opens the desktop app on a portfolio when no command is given; the
            ``csdesk`` entry point (``csdesk.main``) passes it, so this module never imports Qt.
            It takes the portfolio (``--db``) and a file to start the import wizard on.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    from csdesk.logging_setup import setup_logging

    setup_logging()
    try:
        if getattr(args, "handler", None) is not None:
            return int(args.handler(args))
        if args.install_desktop_entry or args.uninstall_desktop_entry:
            return _desktop_entry(args.install_desktop_entry)
        if open_app is None:
            raise CsdeskError("no command given (the desktop app starts with `csdesk`)")
        if args.import_file is not None and not Path(args.import_file).is_file():
            raise CsdeskError(f"{args.import_file}: no such file")
        from csdesk.display import display_problem

        problem = display_problem()  # before the demo is built: nothing is written first
        if problem is not None:
            raise CsdeskError(problem)
        db = str(_ensure_demo(args.db)) if args.demo else args.db
        return open_app(db, args.import_file)
    except CsdeskError as exc:
        print(f"csdesk: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("csdesk: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a fault of the machine, or a bug: one line, logged in full
        from csdesk.logging_setup import unexpected_error_line

        print(f"csdesk: {unexpected_error_line(exc)}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
