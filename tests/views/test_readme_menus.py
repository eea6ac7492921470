"""The README's "Using it" table names menus and shortcuts the window really has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

README = Path(__file__).resolve().parents[2] / "README.md"
_PATH = re.compile(r"^(?P<path>.+?)(?:\s*\((?P<keys>Ctrl[^)]*)\))?$")


def _app_cells() -> list[str]:
    """The "in the app" cell of each row of the README's "Using it" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [row.split("|")[2].strip() for row in rows]


def _menu_paths(cell: str) -> list[tuple[list[str], str | None]]:
    """``File ▸ Back up portfolio… / File ▸ Restore…`` → each path and its shortcut, if named."""
    found = []
    for part in re.split(r"\s+/\s+|,\s+|\s+or\s+", cell):
        part = re.sub(r"\s*\((?!Ctrl)[^)]*\)", "", part).strip()  # "(offered on first run)"
        if "▸" not in part:
            continue
        match = _PATH.match(part)
        assert match is not None, part
        found.append(([p.strip() for p in match["path"].split("▸")], match["keys"]))
    return found


def _plain(text: str) -> str:
    return text.replace("&", "").strip()


def _find(menus: list[QAction], path: list[str]) -> QAction | None:
    head, *rest = path
    for action in menus:
        if _plain(action.text()) != head:
            continue
        if not rest:
            return action
        menu = action.menu()
        if isinstance(menu, QMenu):
            return _find(menu.actions(), rest)
    return None


def test_every_menu_path_in_the_readme_exists_with_its_shortcut(window: Any) -> None:
    paths = [p for cell in _app_cells() for p in _menu_paths(cell)]
    assert len(paths) >= 8  # the table was read
    bar = window.menuBar().actions()
    missing = []
    for path, keys in paths:
        action = _find(bar, path)
        if action is None:
            missing.append(" ▸ ".join(path))
            continue
        if keys is not None:
            shortcuts = [s.toString() for s in action.shortcuts()]
            assert QKeySequence(keys).toString() in shortcuts, (path, keys, shortcuts)
    assert not missing, f"README names menus the window lacks: {missing}"


def test_a_wrong_menu_name_is_caught(window: Any) -> None:
    assert _find(window.menuBar().actions(), ["Account", "Export business case"]) is None
    assert _menu_paths("File ▸ Back up… / File ▸ Restore (Ctrl+K)") == [
        (["File", "Back up…"], None),
        (["File", "Restore"], "Ctrl+K"),
    ]
