"""The opportunities kind: renewal dates, CRM likelihood, outcomes and expansion (SPEC 3.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from import_support import run
from sqlalchemy import func, select

from csdesk.db import Portfolio
from csdesk.models import Account, Opportunity
from csdesk.services.account_detail import load_account_detail
from csdesk.services.outcomes import outcomes_of, record_outcome
from csdesk.services.renewals import renewals_due

TODAY = dt.date(2026, 12, 1)
A, B, C = "0016g00000AAAAAAA1", "0016g00000AAAAAAA2", "0016g00000AAAAAAA3"
DATA_LOADER = (
    "Id,AccountId,Name,Type,StageName,CloseDate,Amount,Probability,IsWon,IsClosed,"
    "ForecastCategoryName\n"
    f"0066g00000OPP0001AAA,{A},Acme renewal 2027,Renewal,Negotiation,2027-01-20,120000,70,"
    "false,false,Commit\n"
    f"0066g00000OPP0002AAA,{B},Beta renewal 2026,Renewal,Closed Won,2026-06-30,55000,100,"
    "true,true,Closed\n"
    f"0066g00000OPP0003AAA,{C},Cobalt renewal 2026,Renewal,Closed Lost,2026-09-30,40000,0,"
    "false,true,Omitted\n"
    f"0066g00000OPP0004AAA,{A},Acme seats upsell,Existing Customer - Upgrade,Proposal,"
    "2026-12-15,20000,50,false,false,Pipeline\n"
    "0066g00000OPP0005AAA,0016g00000ZZZZZZZ9,Nobody renewal,Renewal,Prospecting,2027-02-01,"
    "1000,10,false,false,Pipeline\n"
)


@pytest.fixture
def crm(tmp_path: Path, portfolio: Portfolio) -> Portfolio:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Id,Name,AnnualRevenue,Industry,BillingCountry,ARR,Contract End Date,Status\n"
        f"{A},Acme Foods,5000000,Food,Germany,100000,2026-12-31,active\n"
        f"{B},Beta Labs,,Software,France,50000,2026-06-30,active\n"
        f"{C},Cobalt Inc,,Mining,Chile,40000,2026-09-30,active\n",
        encoding="utf-8",
    )
    summary = run(portfolio, path, today=TODAY)
    assert (summary.kind, summary.created) == ("accounts", 3)
    return portfolio


def test_data_loader_opportunities(tmp_path: Path, crm: Portfolio) -> None:
    path = tmp_path / "Opportunity.csv"
    path.write_text(DATA_LOADER, encoding="utf-8")
    summary = run(crm, path, today=TODAY)
    assert summary.kind == "opportunities"
    assert summary.created == 4
    assert [(e.row, e.code) for e in summary.rejected] == [(6, "unknown_account")]
    with crm.read() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 3  # none created
        acme = session.execute(select(Account).where(Account.crm_id == A)).scalar_one()
        assert acme.renewal_date == dt.date(2027, 1, 20)  # from the open renewal
        kinds = dict(session.execute(select(Opportunity.external_id, Opportunity.type)).all())
        assert kinds["0066g00000OPP0004AAA"] == "expansion"
        states = dict(session.execute(select(Opportunity.external_id, Opportunity.state)).all())
        assert [states[f"0066g00000OPP000{n}AAA"] for n in (1, 2, 3)] == ["open", "won", "lost"]
        outcomes = [(o.outcome, o.on, o.arr_before, o.arr_after) for o in outcomes_of(session)]
        acme_id = acme.id
    assert outcomes == [
        ("renewed", dt.date(2026, 6, 30), Decimal("50000.00"), Decimal("55000.00")),
        ("churned", dt.date(2026, 9, 30), Decimal("40000.00"), Decimal("0.00")),
    ]
    # The CRM's probability is the renewal's likelihood, labelled CRM; the upsell is expansion.
    window = renewals_due(crm, today=TODAY, days=60)
    (row,) = [r for r in window.rows if r.name == "Acme Foods"]
    assert (row.likelihood, row.likelihood_source) == (0.7, "CRM")
    assert row.forecast == 70000.0  # ARR × the CRM probability
    assert window.expansion == 10000.0
    header = load_account_detail(crm, acme_id, today=TODAY)
    assert header.header.likelihood_source == "CRM"
    assert [o.type for o in header.opportunities] == ["expansion", "renewal"]  # by close date
    again = run(crm, path, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    with crm.read() as session:
        assert len(outcomes_of(session)) == 2


def test_record_outcome_is_idempotent(crm: Portfolio) -> None:
    with crm.write() as session:
        account_id = session.scalar(select(Account.id).where(Account.crm_id == B))
        assert account_id is not None
        day = dt.date(2026, 6, 30)
        assert record_outcome(
            session, account_id=account_id, outcome="renewed", on=day, arr_before=50000
        )
        assert not record_outcome(
            session, account_id=account_id, outcome="renewed", on=day, arr_before=50000
        )
        assert record_outcome(
            session, account_id=account_id, outcome="renewed", on=day, arr_after=Decimal("60000")
        )
        (only,) = outcomes_of(session, account_id)
    assert (only.arr_before, only.arr_after) == (Decimal("50000.00"), Decimal("60000.00"))


def test_a_salesforce_opportunity_report_never_creates_accounts(
    tmp_path: Path, crm: Portfolio
) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Opportunity Name,Account Name,Type,Stage,Close Date,Amount,Probability (%)\n"
        'Acme renewal,Acme Foods,Renewal,Negotiation/Review,1/20/2027,"$120,000.00",80%\n'
        "Big new deal,Zeta Corp,New Customer,Prospecting,2/1/2027,5000,10%\n",
        encoding="utf-8",
    )
    summary = run(crm, path, today=TODAY)
    assert summary.kind == "opportunities" and summary.created == 1
    assert [e.code for e in summary.rejected] == ["unknown_account"]
    with crm.read() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 3
        assert session.scalar(select(Opportunity.probability)) == Decimal("0.8000")
