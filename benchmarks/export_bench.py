"""Export benchmark: per-document cost of the business case, and the parallel batch.

Builds a portfolio of accounts that each carry a year of monthly metrics, a health history with
its breakdown, ROI inputs and custom value lines, then times (medians, in this process, after one
warm-up render so imports and font registration are not counted):

- assembling one case (``assemble_case``),
- one PDF with its two charts (assemble + render), one XLSX (assemble + write),
- the batch: ``export_all`` of every account's PDF with one worker per core, against the same
  PDFs rendered one after another in this process, and the ratio.

Usage::

    PYTHONPATH=src python benchmarks/export_bench.py            # 500 accounts
    PYTHONPATH=src python benchmarks/export_bench.py --quick    # 100 accounts
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 3, 15)
TIERS = (("Starter", 20000.0, 100000.0), ("Professional", 30000.0, 500000.0))


def _months(count: int) -> list[dt.date]:
    first = TODAY.replace(day=1)
    out = []
    for back in range(count - 1, -1, -1):
        month = first.month - 1 - back
        out.append(dt.date(first.year + month // 12, month % 12 + 1, 1))
    return out


def build_portfolio(path: Path, accounts: int) -> Any:
    """A portfolio of ``accounts`` accounts with history, written with bulk inserts."""
    from sqlalchemy import insert

    from csdesk.db import open_portfolio
    from csdesk.models import (
        Account,
        HealthSnapshot,
        MetricLatest,
        MetricSnapshot,
        RoiInput,
        RoiLine,
    )

    rng = random.Random(7)
    portfolio = open_portfolio(path)
    months = _months(12)
    rows, snaps, latest, health, roi, lines = [], [], [], [], [], []
    for i in range(1, accounts + 1):
        tier, price, volume = TIERS[i % 2]
        score = round(rng.uniform(35, 98), 1)
        band = (
            "Excellent"
            if score >= 90
            else "Good"
            if score >= 70
            else ("At Risk" if score >= 50 else "Critical")
        )
        rows.append(
            {
                "id": i,
                "crm_id": f"B-{i:05d}",
                "name": f"Client {i:04d} & Søn",
                "name_key": f"client {i:04d} & søn",
                "industry": "Retail",
                "segment": "mid-market",
                "country": "Norway",
                "owner": "Dana Whitfield",
                "status": "active",
                "tier": tier,
                "arr": price * rng.choice((1.0, 1.1)),
                "contract_start": dt.date(2024, 5, 1),
                "renewal_date": TODAY + dt.timedelta(days=rng.randrange(5, 300)),
                "annual_prepay": i % 3 == 0,
                "health_model": "subscription",
                "health_score": score,
                "health_band": band,
                "health_computed_score": score,
            }
        )
        series = {
            "usage": [volume * rng.uniform(0.4, 0.95) for _ in months],
            "logins_30d": [float(rng.randrange(5, 30)) for _ in months],
        }
        for metric, values in series.items():
            snaps += [
                {"account_id": i, "metric": metric, "as_of": d, "value": v}
                for d, v in zip(months, values, strict=True)
            ]
        current = {
            "usage": series["usage"][-1],
            "usage_limit": volume,
            "logins_30d": series["logins_30d"][-1],
            "open_tickets": 2.0,
            "payments_current": 1.0,
            "features_used": 7.0,
            "features_total": 10.0,
            "qa_hours_saved_per_month": 60.0,
        }
        latest += [
            {"account_id": i, "metric": k, "as_of": months[-1], "value": v}
            for k, v in current.items()
        ]
        breakdown = [
            {
                "key": k,
                "label": k.title(),
                "weight": w,
                "attainment": 0.8,
                "contribution": w * 0.8,
                "value": 1.0,
                "no_data": False,
                "group": None,
            }
            for k, w in (
                ("usage", 30),
                ("engagement", 20),
                ("support", 20),
                ("payment", 20),
                ("adoption", 10),
            )
        ]
        health += [
            {
                "account_id": i,
                "as_of": d,
                "score": max(0.0, score - 12 + k),
                "band": band,
                "model_name": "subscription",
                "model_version": 1,
                "breakdown": breakdown if k == 11 else None,
                "source": "computed",
            }
            for k, d in enumerate(months)
        ]
        roi.append(
            {
                "account_id": i,
                "hourly_rate": 55.0,
                "incidents_avoided_per_year": 6.0,
                "cost_per_incident": 2500.0,
                "revenue_protected": 12000.0,
            }
        )
        lines.append({"account_id": i, "position": 0, "label": "Licence savings", "amount": 1500.0})
    with portfolio.write() as session:
        for model, data in (
            (Account, rows),
            (MetricSnapshot, snaps),
            (MetricLatest, latest),
            (HealthSnapshot, health),
            (RoiInput, roi),
            (RoiLine, lines),
        ):
            session.execute(insert(model), data)
    return portfolio


def _median(run: Any, ids: list[int]) -> float:
    times = []
    for account_id in ids:
        started = time.perf_counter()
        run(account_id)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 accounts instead of 500")
    args = parser.parse_args(argv)
    count = 100 if args.quick else 500

    from csdesk.reports.case_data import assemble_case
    from csdesk.reports.pdf import render_case_pdf
    from csdesk.reports.xlsx import write_case_workbook
    from csdesk.services.exporter import export_all
    from csdesk.services.health_models import available_models

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CSDESK_DATA_DIR", tmp)
        folder = Path(tmp)
        started = time.perf_counter()
        portfolio = build_portfolio(folder / "bench.db", count)
        print(f"portfolio of {count} accounts built in {time.perf_counter() - started:.1f} s")
        models = available_models()
        sample = list(range(1, min(count, 30) + 1))
        with portfolio.read() as session:

            def case(account_id: int) -> Any:
                return assemble_case(session, account_id, today=TODAY, models=models)

            def pdf(account_id: int) -> None:
                render_case_pdf(case(account_id), io.BytesIO())

            def xlsx(account_id: int) -> None:
                write_case_workbook(case(account_id), io.BytesIO())

            pdf(1)
            xlsx(1)  # warm-up: imports, font registration, matplotlib style
            t_case = _median(case, sample)
            t_pdf = _median(pdf, sample)
            t_xlsx = _median(xlsx, sample)
        print(f"assemble one case   median {t_case * 1000:7.1f} ms")
        print(f"one PDF (2 charts)  median {t_pdf * 1000:7.1f} ms   (goal <= 350 ms)")
        print(f"one XLSX            median {t_xlsx * 1000:7.1f} ms   (goal <= 100 ms)")

        started = time.perf_counter()
        batch = export_all(portfolio, folder / "batch", formats=("pdf",), today=TODAY)
        t_batch = time.perf_counter() - started
        started = time.perf_counter()
        sequential = export_all(portfolio, folder / "seq", formats=("pdf",), workers=1, today=TODAY)
        t_seq = time.perf_counter() - started
        assert len(batch.written) == len(sequential.written) == count, batch.describe()
        cores = os.cpu_count() or 1
        print(f"batch of {count} PDFs ({cores} cores)  {t_batch:6.1f} s")
        print(f"{count} PDFs one after another  {t_seq:6.1f} s")
        print(f"speed-up                     {t_seq / t_batch:6.2f}x")
        portfolio.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
