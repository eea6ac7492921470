"""Reading dates and timestamps: ISO, US, European, month names and Excel serial numbers.

The day/month order of ``01/02/2026`` is decided once per file (SPEC 3.1): :func:`order_evidence`
says what one value proves, :func:`decide_order` weighs a whole file, and :func:`parse_date`
reads a value in the chosen order. ``DD.MM.YYYY`` is always day first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from csdesk.importing.values import CellError, cell_text

__all__ = [
    "DMY",
    "EXCEL_EPOCH",
    "MDY",
    "decide_order",
    "order_evidence",
    "parse_date",
    "parse_datetime",
    "parse_timestamp",
    "uses_dotted_dates",
]

DMY, MDY = "DMY", "MDY"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31

_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?"
)
_NUMERIC = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]*(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def order_evidence(text: str) -> str | None:
    """The day/month order a written date proves (``DMY`` for 31/12/2026), or None."""
    match = _NUMERIC.fullmatch(text)
    if match is None or match[2] == ".":
        return None
    first, second = int(match[1]), int(match[3])
    if first > 12 >= second:
        return DMY
    if second > 12 >= first:
        return MDY
    return None


def uses_dotted_dates(texts: Iterable[str]) -> bool:
    """True if the dates of a file are written ``DD.MM.YYYY``."""
    for text in texts:
        match = _NUMERIC.fullmatch(text)
        if match is not None and match[2] == ".":
            return True
    return False


def decide_order(evidence: Iterable[str | None]) -> str:
    """The day/month order of a file from what its values prove; month first without evidence."""
    dmy = mdy = 0
    for item in evidence:
        if item == DMY:
            dmy += 1
        elif item == MDY:
            mdy += 1
    return DMY if dmy > mdy else MDY


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _clock(hour: str | None, minute: str | None, second: str | None, ampm: str | None) -> dt.time:
    if hour is None:
        return dt.time()
    h = int(hour)
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError(hour)
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    return dt.time(h, int(minute or 0), int(second or 0))


def _from_text(text: str, order: str) -> dt.datetime:
    """Read a written timestamp; raises ValueError when it is no date or impossible."""
    match = _ISO.fullmatch(text)
    if match is not None:
        written = dt.date(int(match[1]), int(match[2]), int(match[3]))
        return dt.datetime.combine(written, _clock(match[4], match[5], match[6], None))
    match = _NUMERIC.fullmatch(text)
    if match is not None:
        a, b = int(match[1]), int(match[3])
        day_first = match[2] == "." or order == DMY
        day, month = (a, b) if day_first else (b, a)
        date = dt.date(_year(match[4]), month, day)
        return dt.datetime.combine(date, _clock(match[5], match[6], match[7], match[8]))
    match = _DAY_MONTH_NAME.fullmatch(text)
    if match is not None and match[2].lower() in _MONTHS:
        return dt.datetime(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    match = _MONTH_NAME_DAY.fullmatch(text)
    if match is not None and match[1].lower() in _MONTHS:
        return dt.datetime(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    if _SERIAL_TEXT.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=float(text))
    raise ValueError(text)


def parse_datetime(value: object, order: str = MDY) -> dt.datetime:
    """A cell as a timestamp: date cells, Excel serial numbers and written dates.

    Raises:
        CellError: the value is no date, or no valid date in the file's order.
    """
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _MAX_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        raise CellError("bad_date", f"{cell_text(value)!r} is not a date")
    text = cell_text(value)
    try:
        return _from_text(text, order)
    except (ValueError, OverflowError):
        pass
    hint = f" (read day/month as {order})" if _NUMERIC.fullmatch(text) else ""
    raise CellError("bad_date", f"{text!r} is not a date{hint}")


def parse_date(value: object, order: str = MDY) -> dt.date:
    """A cell as a date (any time of day is dropped).

    Raises:
        CellError: the value is no date, or no valid date in the file's order.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_datetime(value, order).date()


_EPOCH_TEXT = re.compile(r"\d{9,13}(?:\.\d+)?")


def parse_timestamp(value: object, order: str = MDY) -> dt.datetime:
    """An event's time: Unix seconds or milliseconds (Mixpanel, Amplitude), else as
    :func:`parse_datetime` reads it; the result is naive UTC.

    Raises:
        CellError: the value is no time.
    """
    number: float | None = None
    epoch_text = isinstance(value, str) and _EPOCH_TEXT.fullmatch(value.strip()) is not None
    big = isinstance(value, int | float) and not isinstance(value, bool) and value > _MAX_SERIAL
    if epoch_text or big:
        number = float(value)  # type: ignore[arg-type]
    if number is not None:
        seconds = number / 1000 if number > 1e11 else number
        return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    return parse_datetime(value, order)
