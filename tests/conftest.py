"""Shared fixtures: an isolated data folder and fresh portfolios."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


@pytest.fixture
def portfolio(db_path: Path) -> Iterator[object]:
    """A new, empty, migrated portfolio."""
    from csdesk.db import open_portfolio

    p = open_portfolio(db_path)
    yield p
    p.close()
