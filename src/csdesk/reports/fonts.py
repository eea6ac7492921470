"""The bundled Unicode font (DejaVu Sans) for PDFs and charts, registered once per process.

The core PDF fonts only cover Latin-1, so ``Ωmega`` would print as a box; the bundled font
covers Latin, Greek, Cyrillic and the common symbols, and is embedded (subset) in every PDF.
Charts use the same files through matplotlib, so the document has one typeface.
"""

from __future__ import annotations

import threading
from pathlib import Path

from csdesk.resources import resource_path

__all__ = ["BOLD", "REGULAR", "font_file", "register_pdf_fonts", "use_in_matplotlib"]

REGULAR = "CsdeskSans"
"""reportlab name of the regular face."""
BOLD = "CsdeskSans-Bold"
"""reportlab name of the bold face."""

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_pdf_done = False
_mpl_family: str | None = None


def font_file(name: str) -> Path:
    """Return the TTF file of a face.

    Args:
        name: :data:`REGULAR` or :data:`BOLD`.

    Returns:
        The file path.

    Raises:
        FileNotFoundError: The font is missing from the installation.
    """
    target = resource_path("fonts", _FILES[name])
    if not target.is_file():
        raise FileNotFoundError(f"bundled font not found: fonts/{_FILES[name]}")
    return Path(str(target))


def register_pdf_fonts() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab (idempotent, thread-safe).

    Returns:
        The regular and bold font names to use in paragraph styles.
    """
    global _pdf_done
    with _lock:
        if not _pdf_done:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            for name in (REGULAR, BOLD):
                pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
            # <b> in a paragraph picks the bold face; there is no italic face.
            addMapping(REGULAR, 0, 0, REGULAR)
            addMapping(REGULAR, 1, 0, BOLD)
            addMapping(REGULAR, 0, 1, REGULAR)
            addMapping(REGULAR, 1, 1, BOLD)
            _pdf_done = True
    return REGULAR, BOLD


def use_in_matplotlib() -> str:
    """Add the bundled faces to matplotlib's font manager (idempotent).

    Returns:
        The family name to put in ``rcParams["font.family"]``.
    """
    global _mpl_family
    with _lock:
        if _mpl_family is None:
            from matplotlib import font_manager

            for name in (REGULAR, BOLD):
                font_manager.fontManager.addfont(str(font_file(name)))
            _mpl_family = font_manager.FontProperties(fname=str(font_file(REGULAR))).get_name()
    return _mpl_family
