"""The Linux menu entry: written for the user without root, valid, removed exactly."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.desktop_entry import (
    ICON_SIZES,
    MIME_TYPES,
    desktop_file_text,
    install_desktop_entry,
    uninstall_desktop_entry,
)


def _read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_entry_and_every_icon_size_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["--install-desktop-entry"]) == 0
    assert "installed the menu entry" in capsys.readouterr().out
    entry_file = tmp_path / "share" / "applications" / "csdesk.desktop"
    entry = _read_entry(entry_file)
    assert entry["Type"] == "Application" and entry["Icon"] == "csdesk"
    assert entry["Exec"].endswith(" --import %f")
    assert entry["MimeType"].rstrip(";").split(";") == list(MIME_TYPES)
    icons = tmp_path / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "csdesk.svg").read_bytes().startswith(b"<svg")
    for n in ICON_SIZES:
        png = (icons / f"{n}x{n}" / "apps" / "csdesk.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == n  # IHDR width: the size the folder says
    assert not list((tmp_path / "share" / "applications").glob("*.part"))

    assert main(["--uninstall-desktop-entry"]) == 0
    assert not entry_file.exists()
    assert not list(icons.rglob("csdesk.*"))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_the_entry_passes_the_freedesktop_validator(tmp_path: Path) -> None:
    entry = install_desktop_entry(tmp_path).desktop_file
    result = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_exec_quotes_paths_with_spaces_and_percent_signs() -> None:
    text = desktop_file_text(["/opt/my apps/csdesk 100%/csdesk"])
    assert 'Exec="/opt/my apps/csdesk 100%%/csdesk" --import %f' in text


def test_uninstall_of_nothing_is_fine_and_a_read_only_home_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert uninstall_desktop_entry(tmp_path).icons == ()
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    assert main(["--install-desktop-entry"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("csdesk: cannot write the menu entry") and err.count("\n") == 1


def test_import_of_a_missing_file_is_refused_before_the_window_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_window(db: str | None, import_file: str | None) -> int:
        raise AssertionError("the window must not open")

    assert main(["--import", str(tmp_path / "nope.csv")], open_app=no_window) == 2
    assert "nope.csv: no such file" in capsys.readouterr().err


def test_import_file_reaches_the_app(tmp_path: Path) -> None:
    sample = tmp_path / "a.csv"
    sample.write_text("Account Name,ARR\nA,1\n")
    seen: list[tuple[str | None, str | None]] = []

    def app(db: str | None, import_file: str | None) -> int:
        seen.append((db, import_file))
        return 0

    assert main(["--db", str(tmp_path / "p.db"), "--import", str(sample)], open_app=app) == 0
    assert seen == [(str(tmp_path / "p.db"), str(sample))]
