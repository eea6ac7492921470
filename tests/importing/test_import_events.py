"""The events kind: per-event exports aggregated into 30-day metric snapshots (SPEC 3.2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_support import run
from sqlalchemy import text

from csdesk.db import Portfolio
from csdesk.importing.events import is_login, snapshot_days


def _epoch(day: str, hour: int = 12) -> int:
    moment = dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour)
    return int((moment - dt.datetime(1970, 1, 1)).total_seconds())


@pytest.fixture
def accounts(tmp_path: Path, portfolio: Portfolio) -> Portfolio:
    path = tmp_path / "a.csv"
    path.write_text("Account ID,Account Name,ARR\nACC-1,Acme,1000\nACC-2,Beta,2000\n")
    run(portfolio, path)
    return portfolio


def snapshots(portfolio: Portfolio) -> dict[tuple[str, str, str], float]:
    with portfolio.read() as session:
        rows = session.execute(
            text(
                "SELECT a.crm_id, s.metric, s.as_of, s.value FROM metric_snapshots s "
                "JOIN accounts a ON a.id = s.account_id"
            )
        )
        return {(r[0], r[1], str(r[2])): r[3] for r in rows}


def test_login_names() -> None:
    assert all(map(is_login, ("Login", "User Logged In", "sign_in", "$session_start", "Sign In")))
    assert not any(map(is_login, ("Report Viewed", "Logout", "Blogging", "Design Export")))


def test_snapshot_days_are_month_ends_and_the_newest_day() -> None:
    assert snapshot_days(dt.date(2026, 9, 20), dt.date(2026, 11, 5)) == [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 5),
    ]


def test_mixpanel_events(tmp_path: Path, accounts: Portfolio) -> None:
    lines = ["event,time,distinct_id,company_id,$insert_id"]
    events = [
        ("Login", "2026-10-05", "u1", "ACC-1"),
        ("Login", "2026-10-20", "u2", "ACC-1"),
        ("Report Viewed", "2026-10-20", "u2", "ACC-1"),
        ("Export CSV", "2026-10-30", "u1", "ACC-1"),
        ("Login", "2026-11-10", "u3", "ACC-1"),
        ("Report Viewed", "2026-11-10", "u3", "ACC-1"),
        ("Login", "2026-11-02", "u9", "ACC-2"),
        ("Login", "2026-11-02", "u9", "ACC-404"),
    ]
    for n, (event, day, user, account) in enumerate(events):
        lines.append(f"{event},{_epoch(day)},{user},{account},ins-{n}")
    path = tmp_path / "mixpanel.csv"
    path.write_text("\n".join(lines) + "\n")
    summary = run(accounts, path)
    assert summary.kind == "events"
    assert [(e.row, e.code) for e in summary.rejected] == [(9, "unknown_account")]
    got = snapshots(accounts)
    # Acme on 31 Oct: 2 logins, users u1 and u2, features Report Viewed and Export CSV.
    assert got[("ACC-1", "logins_30d", "2026-10-31")] == 2
    assert got[("ACC-1", "active_users_30d", "2026-10-31")] == 2
    assert got[("ACC-1", "features_used", "2026-10-31")] == 2
    # On the newest day (10 Nov) the 30 days from 12 Oct hold 2 logins (20 Oct, 10 Nov) and
    # 2 features, as on 31 Oct, so no new snapshot; the users grew to 3.
    assert ("ACC-1", "logins_30d", "2026-11-10") not in got
    assert ("ACC-1", "features_used", "2026-11-10") not in got
    assert got[("ACC-1", "active_users_30d", "2026-11-10")] == 3
    assert got[("ACC-2", "logins_30d", "2026-11-02")] == 1
    again = run(accounts, path)
    assert (again.created, again.updated) == (0, 0)


def test_without_login_events_active_days_count(tmp_path: Path, accounts: Portfolio) -> None:
    path = tmp_path / "amplitude.csv"
    path.write_text(
        "event_type,event_time,user_id,account_id\n"
        "Dashboard Viewed,2026-11-01 09:00:00.123000,a,ACC-2\n"
        "Dashboard Viewed,2026-11-01 10:00:00.000000,b,ACC-2\n"
        "Alert Created,2026-11-03T08:00:00Z,a,ACC-2\n"
    )
    summary = run(accounts, path)
    assert summary.kind == "events" and summary.rejected == []
    got = snapshots(accounts)
    assert got[("ACC-2", "logins_30d", "2026-11-03")] == 2  # two active days
    assert got[("ACC-2", "active_users_30d", "2026-11-03")] == 2
    assert got[("ACC-2", "features_used", "2026-11-03")] == 2
