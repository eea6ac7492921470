"""Shared fixtures: an isolated data folder and fresh portfolios."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engines import ENGINES, SERVER, new_database

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs on PostgreSQL (CI runs those again against a real server)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_target") == "postgresql":
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture
def pg_server() -> str:
    """The URL of the test PostgreSQL server (a superuser on its maintenance database)."""
    if not SERVER:
        pytest.skip("no PostgreSQL server: set CSDESK_TEST_PG (.ci/pg start prints one)")
    return SERVER


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the real user data folder."""
    monkeypatch.setenv("CSDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a new portfolio file."""
    return tmp_path / "portfolio.db"


@pytest.fixture(params=ENGINES)
def db_target(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str | Path]:
    """Where a new portfolio goes: a SQLite file, or (with ``CSDESK_TEST_PG``) a new database."""
    if request.param == "sqlite":
        yield db_path
        return
    with new_database() as url:
        yield url


@pytest.fixture
def portfolio(db_target: str | Path) -> Iterator[object]:
    """A new, empty, migrated portfolio on each engine under test."""
    from csdesk.db import open_portfolio

    p = open_portfolio(db_target)
    yield p
    p.close()
