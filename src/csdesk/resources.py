"""Locate the bundled resources (health models, style sheet, icons) installed or from source."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["SOURCE_RESOURCES", "read_resource_text", "resource_path"]

SOURCE_RESOURCES = Path(__file__).resolve().parents[2] / "resources"
"""The top-level ``resources/`` folder of a source checkout (``<repo>/resources``)."""


def _packaged_root() -> Traversable | None:
    """Return ``csdesk/resources`` inside the installed package, if the build shipped it."""
    try:
        root = resources.files("csdesk") / "resources"
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - csdesk is always importable
        return None
    return root if root.is_dir() else None


def resource_path(*parts: str) -> Traversable:
    """Return a bundled resource, preferring the copy shipped inside the package.

    The wheel ships the top-level ``resources/`` folder as ``csdesk/resources`` and it is
    read through ``importlib.resources`` (works from a zip or a frozen app too). When the
    package runs from a source checkout, the folder is not inside the package, so this
    falls back to ``<repo>/resources``.

    Args:
        *parts: Path components below ``resources/``, e.g. ``"health_models",
            "subscription.toml"``.

    Returns:
        A traversable for the resource (a ``pathlib.Path`` in both usual cases). It may
        not exist: check ``is_file()`` / ``is_dir()`` when that matters.
    """
    root = _packaged_root()
    if root is not None:
        candidate: Traversable = root.joinpath(*parts) if parts else root
        if candidate.is_file() or candidate.is_dir():
            return candidate
    return SOURCE_RESOURCES.joinpath(*parts)


def read_resource_text(*parts: str, encoding: str = "utf-8") -> str:
    """Read a bundled text resource.

    Args:
        *parts: Path components below ``resources/``.
        encoding: Text encoding of the file.

    Returns:
        The file's text.

    Raises:
        FileNotFoundError: No such resource in the package or the source tree.
    """
    target = resource_path(*parts)
    if not target.is_file():
        raise FileNotFoundError(f"bundled resource not found: {'/'.join(parts)}")
    return target.read_text(encoding=encoding)
