"""Where things live: the default portfolio, backups and the user's health models."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

APP_NAME = "csdesk"
APP_AUTHOR = "csdesk"


def data_dir() -> Path:
    """The user data folder (``CSDESK_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get("CSDESK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, APP_AUTHOR)


def default_portfolio() -> Path:
    """``portfolio.db`` in the user data folder."""
    return data_dir() / "portfolio.db"


def backups_dir(portfolio: Path) -> Path:
    """Where rotating backups of ``portfolio`` are kept: a folder beside it."""
    return portfolio.parent / f"{portfolio.stem}-backups"


def health_models_dir() -> Path:
    """User copies of health models (TOML) live here and override the shipped defaults."""
    return data_dir() / "health_models"


def current_user() -> str:
    """The name recorded in the activity timeline."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "csm"
