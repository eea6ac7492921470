"""Fixtures of the reliability tests: a demo portfolio built once and copied per test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from csdesk.db import open_portfolio
    from csdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("template") / "demo.db"
    portfolio = open_portfolio(path)
    build_demo(portfolio, today=TODAY)
    portfolio.close()
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Path:
    """A closed demo portfolio file (about 60 accounts with history) of this test's own."""
    path = tmp_path / "portfolio.db"
    shutil.copyfile(_demo_template, path)
    return path


@pytest.fixture
def no_keep_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups keep the default (or the portfolio's) count, whatever the environment says."""
    monkeypatch.delenv("CSDESK_BACKUPS_KEEP", raising=False)
