"""Merging duplicate accounts (SPEC 3.3): everything moves, KEEP's values win, undo is exact."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from csdesk.cli import main
from csdesk.db import Portfolio, open_portfolio
from csdesk.errors import NotFoundError, ValidationError
from csdesk.models import Account
from csdesk.services.accounts import account_listing, find_account
from csdesk.services.demo import build_demo
from csdesk.services.duplicates import find_duplicates
from csdesk.services.edits import add_note
from csdesk.services.importer import import_file
from csdesk.services.merge import merge_accounts, undo_merge
from support import SAMPLES

TODAY = dt.date(2026, 11, 22)
KEEP_CRM, OTHER_CRM = "0016g00000Dm000AAR", "0016g00000Xy00QAAR"  # both "Harbor Grocers"


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def twins(tmp_path: Path) -> Portfolio:
    """The demo plus the Salesforce sample (19 names twice); OTHER has records of every kind."""
    portfolio = open_portfolio(tmp_path / "twins.db")
    build_demo(portfolio, today=TODAY)
    import_file(portfolio, SAMPLES / "salesforce_accounts.csv", today=TODAY)
    for name, text in (
        ("t.csv", "Id,Subject,Account ID,Priority,Created at\n"
                  f"9001,Export broken,{OTHER_CRM},high,2026-11-01 10:00\n"),
        ("s.csv", f"Response ID,Account ID,NPS Score,Date\nR9,{OTHER_CRM},3,2026-11-02\n"),
        ("c.csv", f"Account ID,Email,Name\n{OTHER_CRM},ops@harbor.example,Ops Desk\n"),
        ("m.csv", "Account ID,As Of,Metric,Value\n"
                  f"{OTHER_CRM},2026-11-21,usage,1\n{OTHER_CRM},2026-11-21,nps_custom,7\n"),
    ):  # fmt: skip
        summary = import_file(portfolio, _file(tmp_path / name, text), today=TODAY)
        assert summary.rejected == [] and summary.created >= 1, name
    with portfolio.read() as session:
        other = find_account(session, OTHER_CRM)
    add_note(portfolio, other, "Met the ops desk")
    return portfolio


def _ids(portfolio: Portfolio) -> tuple[int, int]:
    with portfolio.read() as session:
        return find_account(session, KEEP_CRM), find_account(session, OTHER_CRM)


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        conn.close()


def _per_account(dump: dict[str, list[tuple[Any, ...]]], path: Path) -> dict[str, int]:
    """Column index of account_id per table that has one."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in dump:
            names = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if "account_id" in names:
                out[table] = names.index("account_id")
        return out
    finally:
        conn.close()


def test_merge_moves_every_record_and_keeps_keeps_values(twins: Portfolio) -> None:
    keep, other = _ids(twins)
    path = Path(twins.url.split("///", 1)[1])
    before = _dump(path)
    slots = _per_account(before, path)
    owned = {t: [r for r in before[t] if r[i] in (keep, other)] for t, i in slots.items()}
    assert all(any(r[slots[t]] == other for r in owned[t]) for t in
               ("tickets", "survey_responses", "contacts", "metric_snapshots", "roi_inputs",
                "activities", "account_ids", "health_snapshots"))  # fmt: skip
    with twins.read() as session:
        keep_arr, keep_owner = session.execute(
            select(Account.arr, Account.owner).where(Account.id == keep)
        ).one()

    result = merge_accounts(twins, keep, other)

    after = _dump(path)
    for table, slot in slots.items():
        assert not [r for r in after[table] if r[slot] == other], table
    assert [r for r in after["accounts"] if r[0] == other] == []
    for table in ("tickets", "survey_responses", "contacts", "account_ids", "activities"):
        moved = [r for r in owned[table] if r[slots[table]] == other]
        kept = [r for r in after[table] if r[slots[table]] == keep]
        assert len(kept) >= len(moved) + len(owned[table]) - len(moved), table
    assert {r[3] for r in after["account_ids"] if r[1] == keep} == {KEEP_CRM, OTHER_CRM}
    with twins.read() as session:
        row = session.execute(select(Account).where(Account.id == keep)).scalar_one()
        assert (row.crm_id, row.arr, row.owner) == (KEEP_CRM, keep_arr, keep_owner)
        # A later import under either id finds KEEP; so does the CLI.
        assert find_account(session, OTHER_CRM) == keep
    # One health score per day: where both had one, KEEP's stays.
    days = [r[2] for r in after["health_snapshots"] if r[1] == keep]
    assert len(days) == len(set(days))
    keep_days = {r[2]: r for r in owned["health_snapshots"] if r[1] == keep}
    assert all(r in after["health_snapshots"] for r in keep_days.values())
    latest = {(r[1], r[2]) for r in after["metric_latest"] if r[0] == keep}
    assert ("nps_custom", "2026-11-21") in latest  # OTHER's own metric, now KEEP's newest
    assert result.summary == (
        f"Merged 'Harbor Grocers' ({OTHER_CRM}) into 'Harbor Grocers' ({KEEP_CRM})"
    )
    timeline = [r for r in after["activities"] if r[1] == keep and r[4] == "merge"]
    assert len(timeline) == 1
    assert "Harbor Grocers" not in [g.key for g in find_duplicates(twins)]
    listing = {r["crm_id"]: r for r in account_listing(twins, today=TODAY)}
    assert listing[KEEP_CRM]["ids"] == {"salesforce": [KEEP_CRM, OTHER_CRM]}


def test_merge_then_undo_restores_every_table_exactly(twins: Portfolio) -> None:
    keep, other = _ids(twins)
    path = Path(twins.url.split("///", 1)[1])
    before = _dump(path)
    result = merge_accounts(twins, keep, other)
    assert _dump(path) != before
    undo_merge(twins, result.snapshot)
    assert _dump(path) == before
    # And again: redo is a new merge with a new snapshot.
    again = merge_accounts(twins, keep, other)
    undo_merge(twins, again.snapshot)
    assert _dump(path) == before


def test_undo_is_refused_once_keep_changed(twins: Portfolio) -> None:
    keep, other = _ids(twins)
    result = merge_accounts(twins, keep, other)
    add_note(twins, keep, "a later note")
    with pytest.raises(ValidationError, match="changed since the merge"):
        undo_merge(twins, result.snapshot)


def test_bad_merges_are_refused_and_change_nothing(twins: Portfolio) -> None:
    keep, _other = _ids(twins)
    path = Path(twins.url.split("///", 1)[1])
    before = _dump(path)
    with pytest.raises(ValidationError, match="into itself"):
        merge_accounts(twins, keep, keep)
    with pytest.raises(NotFoundError, match="no longer exists"):
        merge_accounts(twins, keep, 999_999)
    assert _dump(path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([KEEP_CRM, KEEP_CRM], "the same account"),
        ([KEEP_CRM, "Harbor Grocers"], "matches 2 accounts"),
        ([KEEP_CRM, "No Such Company"], "unknown account"),
    ],
)
def test_cli_merge_refusals_exit_2_with_one_line(
    twins: Portfolio, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = Path(twins.url.split("///", 1)[1])
    before = _dump(path)
    twins.close()
    assert main(["merge", *args, "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _dump(path) == before


def test_cli_merge_then_the_merged_account_is_gone(
    twins: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(twins.url.split("///", 1)[1])
    twins.close()
    assert main(["merge", KEEP_CRM, OTHER_CRM, "--db", str(path)]) == 0
    assert "Merged 'Harbor Grocers'" in capsys.readouterr().out
    before = _dump(path)
    # OTHER's id now names KEEP: merging it again is merging an account into itself.
    assert main(["merge", KEEP_CRM, OTHER_CRM, "--db", str(path)]) == 2
    assert "the same account" in capsys.readouterr().err
    assert _dump(path) == before


def test_cli_duplicates_json(twins: Portfolio, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = Path(twins.url.split("///", 1)[1])
    twins.close()
    assert main(["duplicates", "--db", str(path), "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert len(groups) == 19  # every sample name but Mosaic Markets is a demo name too
    harbor = next(g for g in groups if g["names"][0] == "Harbor Grocers")
    assert harbor["reason"] == "name"
    assert sorted(harbor["accounts"]) == [KEEP_CRM, OTHER_CRM]
    assert harbor["names"] == ["Harbor Grocers", "Harbor Grocers"]


def test_once_every_group_is_merged_the_survey_and_ticket_samples_import(
    twins: Portfolio,
) -> None:
    # Before: a name shared by two accounts rejects each of its rows as ambiguous.
    for group in find_duplicates(twins):
        keep = next(a for a in group.accounts if "Dm" in (a.crm_id or ""))
        for other in group.accounts:
            if other is not keep:
                merge_accounts(twins, keep.account_id, other.account_id)
    assert find_duplicates(twins) == []
    for sample in ("nps_responses.csv", "zendesk_tickets.csv"):
        summary = import_file(twins, SAMPLES / sample, today=TODAY)
        assert summary.rejected == [], sample


@pytest.mark.parametrize("args", [["duplicates"], ["merge", "A", "B"]])
def test_cli_refuses_a_missing_portfolio_without_creating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    missing = tmp_path / "missing.db"
    assert main([*args, "--db", str(missing)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not missing.exists()
