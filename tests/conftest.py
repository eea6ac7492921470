"""Shared fixtures: an isolated data folder and fresh portfolios."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engines import ENGINES, new_database

FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
