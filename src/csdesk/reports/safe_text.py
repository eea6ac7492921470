"""Make data text safe for reportlab markup and spreadsheet cells, without changing what it says.

Names such as ``AT&T <Retail>`` are data, not markup: :func:`para` escapes them for reportlab's
mini-HTML. In a spreadsheet a name such as ``=HYPERLINK(…)`` or ``@SUM(A1)`` is data, not a
formula: :func:`set_text` stores it as a string cell and marks it quote-prefixed, so neither
openpyxl, Excel nor LibreOffice ever evaluates it, and editing the cell in Excel keeps it text.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "FORMULA_TRIGGERS",
    "clean_text",
    "csv_cell",
    "is_formula_like",
    "para",
    "set_text",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet program read a typed value as a formula."""

# XML 1.0 forbids these control characters; openpyxl and reportlab both refuse them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")


def clean_text(value: object) -> str:
    """Return ``value`` as text with the characters XML cannot hold removed.

    Args:
        value: Any value; None becomes the empty string.

    Returns:
        The text, otherwise unchanged.
    """
    if value is None:
        return ""
    return _ILLEGAL.sub("", str(value))


def para(value: object) -> str:
    """Escape data text for a reportlab ``Paragraph`` so it prints exactly as written.

    Args:
        value: Text from the data (account name, owner, measure label …).

    Returns:
        The text with ``&``, ``<``, ``>`` and quotes escaped and line breaks kept as ``<br/>``.
    """
    text = escape(clean_text(value), {'"': "&quot;", "'": "&#39;"})
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would read ``text`` typed into a cell as a formula.

    Args:
        text: A cell's text.

    Returns:
        True for text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a line break.
    """
    return text.startswith(FORMULA_TRIGGERS)


def csv_cell(value: object) -> str:
    """Data text for a CSV cell that a spreadsheet program opens as text, never as a formula.

    Formula-like text gets a leading apostrophe (the usual CSV-injection guard); plain numbers
    such as ``-5`` stay numbers.

    Args:
        value: A cell's value; None becomes the empty string.

    Returns:
        The text to write.
    """
    text = "" if value is None else str(value)
    if is_formula_like(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def set_text(cell: Any, value: object) -> None:
    """Store data text in an openpyxl cell as a string cell, never as a formula.

    openpyxl turns any string beginning with ``=`` into a formula cell; this forces the string
    type after assignment, and marks formula-like text quote-prefixed (Excel's leading
    apostrophe) so the client editing the cell keeps text too.

    Args:
        cell: An openpyxl cell.
        value: Text from the data; None leaves the cell empty.
    """
    if value is None:
        cell.value = None
        return
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
