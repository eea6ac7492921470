"""Import benchmark: a generated account export (XLSX and CSV) against raw-library floors.

Times, as medians of several runs, each in a fresh portfolio:

- csdesk ``import_file`` of the XLSX and the CSV (first import into an empty portfolio),
- a re-import of the same file (everything unchanged),
- ``pandas.read_excel(engine="calamine") + DataFrame.to_sql`` (the XLSX yardstick),
- ``python-calamine`` reading the sheet alone (the floor of any XLSX reader),
- ``csv.reader + sqlite3 executemany`` (the CSV yardstick),

and prints absolute medians, the ratios the import pipeline is held to, and the peak RSS of a
full XLSX import measured in a child process.

Usage::

    PYTHONPATH=src python benchmarks/import_bench.py            # 100,000 rows
    PYTHONPATH=src python benchmarks/import_bench.py --quick    # 10,000 rows
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

# The twelve account columns every variant has, then six more: CRM columns csdesk does not
# import (``accounts``), or product metrics that become snapshots (``metrics``).
BASE_COLUMNS = (
    ("Account ID", "text"),
    ("Account Name", "text"),
    ("Account Owner", "text"),
    ("Status", "text"),
    ("Industry", "text"),
    ("Segment", "text"),
    ("Billing Country", "text"),
    ("Annual Revenue", "money"),
    ("ARR", "money"),
    ("Tier", "text"),
    ("Contract Start Date", "date"),
    ("Contract End Date", "date"),
)
EXTRA_COLUMNS = {
    "accounts": (
        ("Billing City", "text"),
        ("Phone", "text"),
        ("Website", "text"),
        ("Employees", "number"),
        ("Type", "text"),
        ("Last Activity", "date"),
    ),
    "metrics": (
        ("Usage", "number"),
        ("Usage Limit", "number"),
        ("Logins (30d)", "number"),
        ("Open Tickets", "number"),
        ("Payments Current", "bool"),
        ("Features Used", "number"),
    ),
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def columns(variant: str) -> tuple[tuple[str, str], ...]:
    """(header, cell kind) of a benchmark variant's 18 columns."""
    return BASE_COLUMNS + EXTRA_COLUMNS[variant]


def _salesforce_id(n: int) -> str:
    base = f"0016g{n:010d}"
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(base[start : start + 5]) if ch.isupper())
        suffix += _ID_ALPHABET[bits]
    return base + suffix


def generate_rows(n: int, variant: str = "accounts", seed: int = 7) -> list[list[object]]:
    """``n`` account rows with native values (str, float, date, bool)."""
    rnd = random.Random(seed)
    owners = ("Jordan Reyes", "Sam Lee", "Priya Nair", "Alex Martin", "Mia Svensson")
    industries = ("FoodTech", "Logistics", "SaaS", "Retail", "Wellness", "Fintech")
    segments = ("small", "mid-market", "enterprise")
    countries = ("Canada", "France", "United States", "Germany", "Japan")
    cities = ("Toronto", "Lyon", "Austin", "Hamburg", "Osaka", "Oslo")
    tiers = (("Starter", 20000.0, 100000.0), ("Professional", 30000.0, 500000.0))
    rows: list[list[object]] = []
    for i in range(n):
        tier, price, limit = tiers[i % 2]
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(900))
        row: list[object] = [
            _salesforce_id(i),
            f"Account {i:06d} {rnd.choice(('Foods', 'Parcel', 'Labs', 'Retail'))}",
            rnd.choice(owners),
            "Active" if i % 10 else "Pilot",
            rnd.choice(industries),
            rnd.choice(segments),
            rnd.choice(countries),
            float(rnd.randrange(1, 2000) * 1_000_000),
            price + 1000.0 * (i % 7),
            tier,
            start,
            start + dt.timedelta(days=365),
        ]
        if variant == "metrics":
            row += [
                float(rnd.randrange(1000, 600_000)),
                limit,
                float(rnd.randrange(0, 60)),
                float(rnd.randrange(0, 12)),
                bool(i % 5),
                float(rnd.randrange(1, 13)),
            ]
        else:
            row += [
                rnd.choice(cities),
                f"+1 555 {rnd.randrange(10**6, 10**7)}",
                f"www.account{i}.example.com",
                float(rnd.randrange(10, 50_000)),
                "Customer - Direct",
                start + dt.timedelta(days=rnd.randrange(400)),
            ]
        rows.append(row)
    return rows


def write_csv(path: Path, rows: Sequence[Sequence[object]], variant: str) -> None:
    """Write the rows the way a Salesforce report export looks (US formats, money strings)."""
    spec = columns(variant)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([header for header, _ in spec])
        for row in rows:
            cells: list[str] = []
            for (_, kind), value in zip(spec, row, strict=True):
                if isinstance(value, dt.date):
                    cells.append(value.strftime("%m/%d/%Y"))
                elif isinstance(value, bool):
                    cells.append("Yes" if value else "No")
                elif kind == "money":
                    cells.append(f"${value:,.2f}")
                elif isinstance(value, float):
                    cells.append(f"{value:,.0f}")
                else:
                    cells.append(str(value))
            out.writerow(cells)
        out.writerow([f"Grand Totals ({len(rows)} records)"])


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], variant: str) -> None:
    """Write a minimal but genuine XLSX: shared strings, numeric cells, date-formatted cells."""
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        return strings.setdefault(text, len(strings))

    headers = [header for header, _ in columns(variant)]
    letters = [_column_letter(i) for i in range(len(headers))]
    parts: list[str] = []
    for r, row in enumerate([headers, *rows], start=1):
        cells: list[str] = []
        for c, value in enumerate(row):
            ref = f"{letters[c]}{r}"
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                serial = (value - _EXCEL_EPOCH).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif isinstance(value, float):
                cells.append(f'<c r="{ref}"><v>{value:g}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(str(value))}</v></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(parts)}</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    write_xlsx_parts(path, sheet, shared)


def write_xlsx_parts(
    path: Path, sheet_xml: str, shared_xml: str, sheet_name: str = "Accounts"
) -> None:
    """Package one worksheet and its shared strings as an .xlsx file."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": shared_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)


# --------------------------------------------------------------------------------------------
# Yardsticks


def pandas_to_sql(xlsx: Path, db: Path) -> None:
    """The XLSX yardstick: pandas with calamine, then ``DataFrame.to_sql`` into SQLite."""
    import pandas as pd

    frame = pd.read_excel(xlsx, engine="calamine")
    with sqlite3.connect(db) as conn:
        frame.to_sql("accounts_raw", conn, index=False, if_exists="replace")


def calamine_floor(xlsx: Path, _db: Path) -> None:
    """Reading the sheet into Python lists, nothing else."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(xlsx))
    book.get_sheet_by_index(0).to_python()


def csv_floor(path: Path, db: Path) -> None:
    """The CSV yardstick: ``csv.reader`` rows straight into ``executemany``."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    columns = ", ".join(f"c{i}" for i in range(len(header)))
    marks = ", ".join("?" for _ in header)
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"CREATE TABLE raw ({columns})")
        with conn:
            conn.executemany(f"INSERT INTO raw VALUES ({marks})", body)
    finally:
        conn.close()


StoredRows = list[tuple[str, "list[tuple[object, ...]] | str"]]
"""(table, its rows) in write order; instead of rows, the name of an earlier table whose rows
are exactly the same (the floor copies those with ``INSERT … SELECT``)."""


def stored_rows(db: Path) -> StoredRows:
    """Every row of every non-empty table of a portfolio, parents first (what an import stored).

    ``alembic_version`` is left out: the schema of the target already has it. A table holding
    exactly the rows of an earlier one (``metric_latest`` after a first import) names it.
    """
    conn = sqlite3.connect(db)
    try:
        order = ("accounts", "roi_inputs", "metric_snapshots", "metric_latest", "health_snapshots")
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = [t for t in order if t in names]
        tables += sorted(t for t in names if t not in order and t != "alembic_version")
        out = [(t, conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables]
    finally:
        conn.close()
    found: StoredRows = []
    for table, rows in out:
        same = next((name for name, done in found if done == rows), None) if rows else None
        if rows:
            found.append((table, same or rows))
    return found


def stored_rows_floor(source: Path, rows: StoredRows, db: Path) -> None:
    """The floor of any import that stores ``rows`` in csdesk's schema.

    Reads ``source`` with the raw reader of its yardstick (calamine, or ``csv.reader``), then
    writes the given rows — already built, nothing parsed, matched, validated or scored — with
    ``executemany`` per table in one transaction into ``db`` (a fresh portfolio, created
    beforehand), on a connection with csdesk's pragmas. A table whose rows are exactly those of
    a table written before it (``metric_latest`` after a first import's snapshots) is copied
    with ``INSERT … SELECT``, the cheapest way SQLite has and the way the import writes it.
    """
    if source.suffix == ".xlsx":
        calamine_floor(source, db)
    else:
        with source.open(encoding="utf-8-sig", newline="") as fh:
            list(csv.reader(fh))
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       "cache_size=-65536"):  # fmt: skip
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN IMMEDIATE")
        for table, values in rows:
            if isinstance(values, str):
                conn.execute(f"INSERT INTO {table} SELECT * FROM {values}")
                continue
            marks = ", ".join("?" for _ in values[0])
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        conn.execute("COMMIT")
    finally:
        conn.close()


def csdesk_import(path: Path, db: Path) -> None:
    """A csdesk import into the portfolio at ``db`` (created if new)."""
    from csdesk.db import open_portfolio
    from csdesk.services.importer import import_file
    from csdesk.services.progress import NullProgress

    portfolio = open_portfolio(db)
    try:
        summary = import_file(
            portfolio,
            path,
            kind=None,
            mapping=None,
            sheet=None,
            date_order=None,
            dry_run=False,
            progress=NullProgress(),
        )
    finally:
        portfolio.close()
    if summary.rejected:
        raise SystemExit(f"benchmark file had rejected rows: {summary.rejected[:3]}")


def _median(
    work: Callable[[Path, Path], None],
    source: Path,
    tmp: Path,
    runs: int,
    *,
    prepare: Callable[[Path], None] | None = None,
) -> float:
    times: list[float] = []
    for run in range(runs):
        db = tmp / f"{work.__name__}-{source.suffix[1:]}-{run}-{time.monotonic_ns()}.db"
        if prepare is not None:
            prepare(db)
        started = time.perf_counter()
        work(source, db)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _peak_rss_mb(path: Path, db: Path) -> float:
    """Peak RSS of a child process that imports ``path`` (MB).

    Read from ``VmHWM`` in ``/proc/self/status``: ``ru_maxrss`` survives ``execve`` and would
    report the (larger) benchmark process that spawned the child.
    """
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        "from import_bench import csdesk_import\n"
        f"csdesk_import(Path({str(path)!r}), Path({str(db)!r}))\n"
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    print(int(status.split()[0]))\n"
        "except (OSError, IndexError):\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def _warm_up(tmp: Path) -> None:
    """Import every library once, so that no timed run pays for module loading."""
    rows = generate_rows(50, "metrics")
    xlsx, csv_path = tmp / "warm.xlsx", tmp / "warm.csv"
    write_xlsx(xlsx, rows, "metrics")
    write_csv(csv_path, rows, "metrics")
    for work, source in ((csdesk_import, xlsx), (csdesk_import, csv_path), (pandas_to_sql, xlsx)):
        work(source, tmp / f"warm-{work.__name__}-{source.suffix[1:]}.db")


def _run_variant(variant: str, n: int, runs: int, tmp: Path) -> None:
    rows = generate_rows(n, variant)
    xlsx, csv_path = tmp / f"{variant}.xlsx", tmp / f"{variant}.csv"
    write_xlsx(xlsx, rows, variant)
    write_csv(csv_path, rows, variant)
    del rows
    extra = ", ".join(header for header, _ in EXTRA_COLUMNS[variant])
    print(
        f"\n[{variant}] {n:,} rows x 18 columns (12 account columns + {extra}); "
        f"xlsx {xlsx.stat().st_size / 1e6:.1f} MB, csv {csv_path.stat().st_size / 1e6:.1f} MB; "
        f"median of {runs} runs"
    )

    def imported(source: Path) -> Callable[[Path], None]:
        return lambda db: csdesk_import(source, db)

    figures = {
        "calamine read (floor)": _median(calamine_floor, xlsx, tmp, runs),
        "pandas read_excel+to_sql": _median(pandas_to_sql, xlsx, tmp, runs),
        "csdesk import xlsx": _median(csdesk_import, xlsx, tmp, runs),
        "csdesk re-import xlsx": _median(csdesk_import, xlsx, tmp, runs, prepare=imported(xlsx)),
        "csv.reader+executemany": _median(csv_floor, csv_path, tmp, runs),
        "csdesk import csv": _median(csdesk_import, csv_path, tmp, runs),
        "csdesk re-import csv": _median(
            csdesk_import, csv_path, tmp, runs, prepare=imported(csv_path)
        ),
    }
    for label, seconds in figures.items():
        print(f"  {label:<28} {seconds:8.3f} s")
    ratios = {
        "xlsx import / pandas+to_sql (goal <= 1.0)": figures["csdesk import xlsx"]
        / figures["pandas read_excel+to_sql"],
        "xlsx re-import / import (goal <= 1.0)": figures["csdesk re-import xlsx"]
        / figures["csdesk import xlsx"],
        "csv import / csv floor (goal <= 2.5)": figures["csdesk import csv"]
        / figures["csv.reader+executemany"],
        "csv re-import / import (goal <= 1.0)": figures["csdesk re-import csv"]
        / figures["csdesk import csv"],
    }
    for label, ratio in ratios.items():
        print(f"  {label:<44} {ratio:6.2f}x")
    rss = _peak_rss_mb(xlsx, tmp / f"rss-{variant}.db")
    print(f"  peak RSS of an xlsx import (goal <= 400 MB)  {rss:6.0f} MB")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 rows instead of 100,000")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--variant", choices=("accounts", "metrics", "both"), default="both",
        help="accounts: 18 account/CRM columns; metrics: 12 account + 6 metric columns",
    )  # fmt: skip
    args = parser.parse_args(argv)
    n = args.rows or (10_000 if args.quick else 100_000)
    variants = ("accounts", "metrics") if args.variant == "both" else (args.variant,)
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-") as tmp_name:
        _warm_up(Path(tmp_name))
        for variant in variants:
            _run_variant(variant, n, args.runs, Path(tmp_name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
