"""Reading one cell: text, ids, numbers and money, booleans, enumerations, industry codes.

Dates live in :mod:`csdesk.importing.dates`. Every reader takes a raw cell (``str`` from a CSV,
``float`` / ``bool`` / ``datetime`` / ``str`` from a workbook) and returns the value or raises
:class:`CellError`, whose message names the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from csdesk.scoring.ids import normalise_crm_id

__all__ = [
    "CellError",
    "Enumeration",
    "cell_text",
    "decimal_evidence",
    "fold_value",
    "industry_label",
    "is_blank",
    "is_placeholder",
    "number_parts",
    "parse_bool",
    "parse_crm_id",
    "to_amount",
    "to_float",
]

# ISO 4217 codes in use; a code before or after an amount is stripped ("USD 30,000").
CURRENCY_CODES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF
    KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR
    MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG
    SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
    UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL""".split()  # noqa: SIM905
)
# Unicode currency symbols (category Sc): the Latin-1 ones, the U+20A0 block and a few others.
_SYMBOLS = "$¢£¤¥֏؋৲৳૱௹฿៛﷼﹩＄￠￡￥￦" + "".join(chr(c) for c in range(0x20A0, 0x20C1))
_STRIP = str.maketrans("", "", _SYMBOLS + " \u00a0\u202f\u2009'’_\t")
_WORD_START = re.compile(r"[A-Za-z]+")
_WORD_END = re.compile(r"[A-Za-z]+$")
_BODY = re.compile(r"(?P<s1>[-+−])?(?P<body>[\d.,]*\d[\d.,]*)(?P<s2>-)?")
_SIMPLE = re.compile(r"(-)?\$?(\d[\d,]*(?:\.\d+)?|\d[\d.]*(?:,\d+)?)")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class CellError(ValueError):
    """A cell that cannot be read as its column's type.

    Attributes:
        code: A stable machine code (``bad_number``, ``negative``, ``unknown_value`` …).
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


# Cells that stand for "nothing" (SPEC 3.2), folded with casefold.
_PLACEHOLDERS = frozenset(
    {"n/a", "na", "-", "—", "–", "null", "none", "#n/a", "#value!", "#ref!", "#null!", "nil"}
)
# Dates that tools write for "no date" (Zendesk's 1900-01-01, Excel's day 0 and 1).
_DATE_PLACEHOLDERS = ("1900-01-01", "1899-12-30", "1899-12-31", "0000-00-00", "0001-01-01")
_NO_DAYS = frozenset({dt.date(1900, 1, 1), dt.date(1899, 12, 30), dt.date(1899, 12, 31),
                      dt.date(1, 1, 1)})  # fmt: skip


def is_placeholder(value: object, date: bool = False) -> bool:
    """True for a cell that means "empty": ``N/A``, ``-``, ``null``, ``#N/A`` …; in a date
    column also ``1900-01-01``, ``0000-00-00``, Excel serials 0 and 1 and their dates."""
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in _PLACEHOLDERS:
            return True
        return date and (text in ("0", "1") or text[:10] in _DATE_PLACEHOLDERS)
    if not date or isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value in (0, 1)
    if isinstance(value, dt.datetime):
        return value.date() in _NO_DAYS
    if isinstance(value, dt.date):
        return value in _NO_DAYS
    return False


def is_blank(value: object) -> bool:
    """True for an empty cell: None, "" or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as trimmed text; integral floats lose their ``.0`` (ids stay as written)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text.replace("T", " ")
    return str(value).strip()


def parse_crm_id(value: object) -> str | None:
    """A CRM id as stored: text as written, 15-character Salesforce ids widened to 18."""
    text = cell_text(value)
    return normalise_crm_id(text) if text else None


def number_parts(text: str) -> tuple[bool, str, bool] | None:
    """Split an amount into (negative, digits-and-separators body, percent), or None.

    Currency codes of ISO 4217 and currency symbols are stripped (``USD 30,000``, ``30.000,00 €``,
    ``US$ 5``); grouping spaces and apostrophes are removed; ``(1,000)`` and a trailing minus are
    negative.
    """
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:  # the common "30000", "13,851", "$14,000.00", "-5"
        return bool(simple[1]), simple[2], False
    text = text.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    word = _WORD_START.match(text)
    if word is not None:
        rest = text[word.end() :]
        code = word.group()
        # "USD 30,000", or a dollar prefix such as "US$" / "C$"
        if not (code.upper() in CURRENCY_CODES or (len(code) <= 2 and rest[:1] in _SYMBOLS)):
            return None
        text = rest
    word = _WORD_END.search(text)
    if word is not None:
        if word.group().upper() not in CURRENCY_CODES:
            return None
        text = text[: word.start()]
    text = text.translate(_STRIP)
    if text.startswith("(") and text.endswith(")"):
        negative, text = not negative, text[1:-1]
    match = _BODY.fullmatch(text)
    if match is None:
        return None
    if match["s1"] and match["s2"]:
        return None
    if match["s2"] or match["s1"] in ("-", "−"):
        negative = not negative
    return negative, match["body"], percent


def decimal_evidence(body: str) -> str | None:
    """The decimal mark a number body proves ("." or ","), or None when it proves nothing.

    Where both separators appear, the last is the decimal mark; a separator that appears twice
    groups thousands (so the other is the decimal mark); a lone separator followed by one, two or
    more than three digits, or after a leading zero, is the decimal mark.
    """
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if dots > 1:
        return ","
    if commas > 1:
        return "."
    if not dots and not commas:
        return None
    mark = "." if dots else ","
    head, _, tail = body.partition(mark)
    if len(tail) != 3 or head in ("", "0"):
        return mark
    return None


def to_float(body: str, mark: str) -> float:
    """The value of a number body whose decimal mark is ``mark``.

    Raises:
        ValueError: the body does not fit that decimal mark (``1,5`` when "," groups).
    """
    if (mark == "." or "." not in body) and _PLAIN_NUMBER.fullmatch(body):
        return float(body)
    return float(number_text(body, mark))


def to_amount(body: str, mark: str) -> Decimal:
    """An amount of money from a number body, exactly as written (``1.234,56`` → 1234.56).

    Raises:
        ValueError: the body does not fit that decimal mark.
    """
    if (mark == "." or "." not in body) and _PLAIN_NUMBER.fullmatch(body):
        return Decimal(body)
    return Decimal(number_text(body, mark))


def number_text(body: str, mark: str) -> str:
    """A number body as plain ``1234.5`` text.

    Raises:
        ValueError: the body does not fit that decimal mark.
    """
    group = "," if mark == "." else "."
    whole, _, fraction = body.partition(mark)
    if mark in fraction or group in fraction:
        raise ValueError(body)
    if group in whole:
        parts = whole.split(group)
        if (
            not parts[0]
            or len(parts[0]) > 3
            or len(parts[-1]) != 3
            or any(len(p) not in (2, 3) for p in parts[1:-1])
        ):
            raise ValueError(body)
        whole = "".join(parts)
    if not whole and not fraction:
        raise ValueError(body)
    return f"{whole or '0'}.{fraction or '0'}"


_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "ja", "oui", "si", "sí", "on"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "nein", "non", "off"})


def parse_bool(value: object) -> bool:
    """yes/no, true/false, 1/0 (and a few European spellings) as a bool.

    Raises:
        CellError: anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = cell_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_boolean", f"{cell_text(value)!r} is not yes/no")


def _fold_enum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch not in " -_\t")


def fold_value(text: str) -> str:
    """A value folded for value maps and synonyms: case, spaces, hyphens and underscores."""
    return _fold_enum(text.strip())


class Enumeration:
    """A closed list of values matched ignoring case, spaces, hyphens and underscores.

    Args:
        what: The field's name in messages ("status").
        canonical: The stored spellings.
        aliases: Further spellings → canonical value (Zendesk's ``urgent`` → ``P0``).
    """

    def __init__(
        self, what: str, canonical: Iterable[str], aliases: Mapping[str, str] | None = None
    ) -> None:
        self.what = what
        self.canonical = tuple(canonical)
        self._lookup = {_fold_enum(v): v for v in self.canonical}
        for alias, target in (aliases or {}).items():
            self._lookup[_fold_enum(alias)] = target

    def parse(self, value: object) -> str:
        """The canonical spelling of ``value``.

        Raises:
            CellError: the value is not in the list.
        """
        text = cell_text(value)
        found = self._lookup.get(_fold_enum(text))
        if found is None:
            allowed = ", ".join(self.canonical)
            raise CellError("unknown_value", f"unknown {self.what} {text!r} (expected {allowed})")
        return found


_HUBSPOT_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
_SMALL_WORDS = frozenset({"and", "or", "of", "the", "for", "in", "on", "to"})


def industry_label(text: str) -> str:
    """HubSpot industry codes (``FOOD_PRODUCTION``) as words (``Food Production``).

    Other spellings are kept as written; short all-capital words (``IT``) are left alone.
    """
    if not _HUBSPOT_CODE.fullmatch(text) or ("_" not in text and len(text) < 4):
        return text
    words = text.lower().split("_")
    return " ".join(w if (i and w in _SMALL_WORDS) else w.capitalize() for i, w in enumerate(words))


def finite(value: float) -> bool:
    """True unless ``value`` is NaN or infinite."""
    return not (math.isnan(value) or math.isinf(value))
