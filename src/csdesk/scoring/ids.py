"""External record ids: Salesforce's 15-character ids and their 18-character case-safe form."""

from __future__ import annotations

import string

__all__ = ["is_salesforce_15", "normalise_crm_id", "salesforce_18"]

_ALPHABET = string.ascii_uppercase + "012345"
_ID_CHARS = frozenset(string.ascii_letters + string.digits)


def is_salesforce_15(value: str) -> bool:
    """True for a 15-character alphanumeric id with letters (Salesforce's case-sensitive form).

    All-digit ids (HubSpot record ids, for one) are never Salesforce ids.
    """
    return len(value) == 15 and all(ch in _ID_CHARS for ch in value) and not value.isdigit()


def salesforce_18(value: str) -> str:
    """The 18-character case-safe form of a 15-character Salesforce id.

    Each 5-character chunk contributes one suffix character whose bits mark the upper-case
    letters of the chunk.

    Raises:
        ValueError: ``value`` is not a 15-character alphanumeric id.
    """
    if not is_salesforce_15(value):
        raise ValueError(f"not a 15-character Salesforce id: {value!r}")
    suffix = ""
    for start in (0, 5, 10):
        bits = 0
        for position, ch in enumerate(value[start : start + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << position
        suffix += _ALPHABET[bits]
    return value + suffix


def normalise_crm_id(value: str) -> str:
    """A CRM id as stored: trimmed, 15-character Salesforce ids widened to 18 characters.

    Other ids (18-character ones included) are opaque strings kept exactly as written.
    """
    value = value.strip()
    return salesforce_18(value) if is_salesforce_15(value) else value
