"""``csdesk import`` in-process: exit codes, the JSON summary, one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_support import FIXTURES, MAIN, SAMPLES, snapshot, write_parts

from csdesk.cli import main
from csdesk.db import open_portfolio


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["import", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_import_prints_the_spec_summary_and_exits_0(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, summary = cli_json(capsys, str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path))
    assert code == 0
    assert summary == {
        "created": 15,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
        "ignored_columns": ["Create Date", "Number of Employees"],
        "kind": "accounts",
        "header_row": 1,
        "mapping": "detected",
        "unknown_values": {},
        "warnings": [],
    }
    code, again = cli_json(capsys, str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path))
    assert (code, again["created"], again["unchanged"]) == (0, 0, 15)


def test_rejected_rows_exit_1_with_row_numbers(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, summary = cli_json(
        capsys, str(FIXTURES / "import" / "quirks_accounts.csv"), "--db", str(db_path)
    )
    assert code == 1
    rejected = summary["rejected"]
    assert isinstance(rejected, list)
    assert [r["row"] for r in rejected] == [3, 4, 5, 6, 8, 9]
    assert rejected[0] == {"row": 3, "reason": "ARR: '-5000' is negative (must be 0 or more)"}
    assert summary["created"] == 1


def test_every_sample_imports(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    order = [
        ("salesforce_accounts.csv", []),
        ("hubspot_companies.xlsx", []),
        ("usage_history.csv", []),
        ("zendesk_tickets.csv", []),
        ("nps_responses.csv", []),
        ("prospect_scorecards.xlsx", []),
        ("eu_accounts_cp1252.csv", ["--mapping", str(FIXTURES / "import" / "eu_mapping.toml")]),
    ]
    for name, extra in order:
        code, summary = cli_json(capsys, str(SAMPLES / name), "--db", str(db_path), *extra)
        assert code == 0, (name, summary)
        assert summary["rejected"] == [] and summary["created"], name


def test_the_eu_sample_without_its_mapping_matches_by_name(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, summary = cli_json(capsys, str(SAMPLES / "eu_accounts_cp1252.csv"), "--db", str(db_path))
    assert (code, summary["created"], summary["ignored_columns"]) == (0, 4, ["Kunden-ID"])


def test_dry_run_flag_writes_nothing(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    main(["import", str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path), "--json"])
    capsys.readouterr()
    portfolio = open_portfolio(db_path)
    before = snapshot(portfolio)
    code, summary = cli_json(
        capsys, str(SAMPLES / "salesforce_accounts.csv"), "--db", str(db_path), "--dry-run"
    )
    assert (code, summary["created"]) == (0, 20)
    assert snapshot(portfolio) == before
    portfolio.close()


def test_options_kind_sheet_and_date_order(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("Account Name,Renewal Date\nAcme,03/04/2027\n", encoding="utf-8")
    code, summary = cli_json(capsys, str(path), "--db", str(db_path), "--date-order", "dmy")
    assert code == 0 and summary["created"] == 1
    code = main(["accounts", "--db", str(db_path), "--json"])
    listing = json.loads(capsys.readouterr().out)
    assert [a["renewal_date"] for a in listing] == ["2027-04-03"]
    code, summary = cli_json(
        capsys, str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path),
        "--sheet", "companies", "--kind", "accounts",
    )  # fmt: skip
    assert code == 0 and summary["created"] == 15


def test_human_output(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code = main(["import", str(FIXTURES / "import" / "quirks_accounts.csv"), "--db", str(db_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == "quirks_accounts.csv (accounts): 1 created, 6 rejected"
    assert "  row 3: ARR: '-5000' is negative (must be 0 or more)" in out


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE z [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
)


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("laughs.xlsx", lambda p: write_parts(p, {"xl/worksheets/sheet1.xml": LAUGHS}), "ENTITY"),
        ("fake.xlsx", lambda p: p.write_bytes(b"Account Name,ARR\n"), "not an Excel workbook"),
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
        ("binary.csv", lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 100), "binary"),
        ("words.csv", lambda p: p.write_text("hello\nworld\n"), "no header row"),
    ],
)
def test_unreadable_or_hostile_files_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    name: str,
    make: object,
    reason: str,
) -> None:
    main(["import", str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path), "--json"])
    capsys.readouterr()
    portfolio = open_portfolio(db_path)
    before = snapshot(portfolio)
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    code = main(["import", str(path), "--db", str(db_path), "--json"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and reason in lines[0]
    assert snapshot(portfolio) == before
    portfolio.close()


def test_unknown_mapping_and_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code = main(["import", str(SAMPLES / "hubspot_companies.xlsx"), "--db", str(db_path),
                 "--mapping", "No Such Mapping"])  # fmt: skip
    assert code == 2
    assert "no saved mapping named 'No Such Mapping'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["import", "x.csv", "--kind", "planets"])
    assert info.value.code == 2
