"""SQLite and PostgreSQL give the same answers: ``accounts --json`` byte for byte (SPEC 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from csdesk.cli import main
from engines import new_database
from support import SAMPLES

pytestmark = pytest.mark.postgresql

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORDER = (
    ("salesforce_accounts.csv", ()),
    ("hubspot_companies.xlsx", ()),
    ("usage_history.csv", ()),
    ("zendesk_tickets.csv", ()),
    ("nps_responses.csv", ()),
    ("prospect_scorecards.xlsx", ()),
    ("eu_accounts_cp1252.csv", ("--mapping", str(FIXTURES / "import" / "eu_mapping.toml"))),
)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out = capsys.readouterr().out
    assert code == 0, (args, out)
    return out


def test_every_sample_gives_the_same_accounts_json_on_both_engines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str
) -> None:
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(name for name, _ in ORDER)
    with new_database(pg_server, migrated=False) as url:
        targets = (str(tmp_path / "p.db"), url)
        for name, extra in ORDER:
            for target in targets:
                _run(capsys, "import", str(SAMPLES / name), "--db", target, "--json", *extra)
            listings = [_run(capsys, "accounts", "--db", t, "--json") for t in targets]
            assert listings[0] == listings[1], name
        for target in targets:
            _run(capsys, "recompute", "--db", target)
        listings = [_run(capsys, "accounts", "--db", t, "--json") for t in targets]
        assert listings[0] == listings[1]
        assert re.search(r'"health_score": \d', listings[0])  # recompute scored accounts


def test_the_demo_gives_the_same_accounts_json_on_both_engines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str
) -> None:
    with new_database(pg_server, migrated=False) as url:
        targets = (str(tmp_path / "demo.db"), url)
        for target in targets:
            _run(capsys, "demo", "--db", target)
        listings = [_run(capsys, "accounts", "--db", t, "--json") for t in targets]
    assert listings[0] == listings[1]
    assert listings[0].count('"crm_id"') >= 55
