"""Portfolio addresses as users may see them: a server URL never shows its password.

Imported at start-up, so it uses only the standard library.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["public_url"]


def public_url(target: str) -> str:
    """``target`` without a password, for settings, the recent list, logs and messages.

    ``postgresql://kim:secret@db.example/team?sslmode=require`` becomes
    ``postgresql://kim@db.example/team?sslmode=require``; a ``password=`` query parameter is
    dropped too. Paths and URLs without a password come back unchanged. The password itself
    still works where csdesk connects; to open the portfolio again later, keep it in
    ``~/.pgpass`` or ``PGPASSWORD`` as with every PostgreSQL client.
    """
    if "://" not in target:
        return target
    parts = urlsplit(target)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, _, host = netloc.rpartition("@")
        user = credentials.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = parts.query
    if "password" in query.lower():
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if k.lower() != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
