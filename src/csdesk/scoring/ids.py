"""External record ids and account identity: Salesforce's 15/18-character ids, the source system
an id belongs to, website domains and company names folded without legal suffixes (SPEC 3.3).
"""

from __future__ import annotations

import string

__all__ = [
    "GENERIC_SYSTEM",
    "LEGAL_SUFFIXES",
    "company_key",
    "guess_system",
    "is_salesforce_15",
    "is_salesforce_id",
    "normalise_crm_id",
    "normalise_domain",
    "normalise_system",
    "salesforce_18",
]

#: The system of an id whose source is not known (ids kept before systems were, or a plain
#: "CRM ID" column).
GENERIC_SYSTEM = "crm"
#: Legal-form words dropped from the end of a company name before names are compared.
LEGAL_SUFFIXES = frozenset(
    ("inc", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "bv", "co", "corp",
     "corporation", "plc", "pty")
)  # fmt: skip

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


def is_salesforce_id(value: str) -> bool:
    """True for an id of Salesforce's shape: 15 or 18 letters and digits, not all digits."""
    return (
        len(value) in (15, 18)
        and all(ch in _ID_CHARS for ch in value)
        and not value.isdigit()
        and not value.isalpha()
    )


def guess_system(value: str) -> str:
    """The system an id of unknown origin most likely comes from (stored ids, migrations).

    Salesforce-shaped ids are ``salesforce``; anything else is :data:`GENERIC_SYSTEM`.
    """
    return "salesforce" if is_salesforce_id(value) else GENERIC_SYSTEM


def normalise_system(name: str) -> str:
    """A system name as stored: trimmed, lower case, inner spaces as ``-`` ("Zendesk" → zendesk)."""
    return "-".join(name.split()).casefold()


def company_key(name: str) -> str:
    """A company name folded for identity: case and spaces folded, legal suffixes dropped.

    ``"Cedar SaaS Inc."`` and ``"cedar  saas"`` give ``"cedar saas"``; ``"Acme, Ltd"`` gives
    ``"acme"``. A name made of a suffix alone ("Co") is kept.
    """
    tail = name[name.rfind(" ") + 1 :]
    if (
        tail.casefold().replace(".", "").rstrip(",") not in LEGAL_SUFFIXES
        and tail[-1:] != ","
        and name == name.casefold()
        and "  " not in name
        and name == name.strip()
        and name.isprintable()
    ):
        return name  # already folded, no suffix: the common case, kept cheap
    words = name.casefold().split()
    while len(words) > 1 and words[-1].replace(".", "").rstrip(",") in LEGAL_SUFFIXES:
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(",")
    return " ".join(words)


def normalise_domain(value: str) -> str | None:
    """A website as a bare domain: no scheme, ``www.``, port, path or case; None if not a domain.

    ``"https://www.Acme.com/about"`` → ``"acme.com"``; an e-mail address gives its domain.
    """
    text = value.strip().casefold()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.rsplit("@", 1)[-1]
    for mark in "/?#:":
        text = text.split(mark, 1)[0]
    text = text.strip().rstrip(".")
    if text.startswith("www."):
        text = text[4:]
    if "." not in text or " " in text or text.startswith("."):
        return None
    return text
