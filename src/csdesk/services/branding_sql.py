"""The portfolio's currency and locale read with plain SQL, before SQLAlchemy is loaded.

The start-up preview paints the portfolio table before the portfolio itself is open; its money
must already read in the portfolio's currency, so this reads the branding row through the same
DB-API cursor the table uses (:class:`csdesk.db.reader.ReadSource`).
"""

from __future__ import annotations

from csdesk.db.reader import ReadSource

__all__ = ["DEFAULT_CURRENCY_LOCALE", "stored_currency_locale"]

DEFAULT_CURRENCY_LOCALE = ("USD", "en_US")
"""What a portfolio that saved no branding uses."""


def stored_currency_locale(source: ReadSource) -> tuple[str, str]:
    """The currency and locale the portfolio's branding row holds, else the defaults.

    Args:
        source: An open portfolio or its start-up preview.

    Returns:
        ``(ISO 4217 code, locale tag)``.
    """
    with source.sql_read() as sql:
        rows = sql.rows("SELECT currency, locale FROM branding WHERE id = 1")
    if not rows:
        return DEFAULT_CURRENCY_LOCALE
    currency, locale = rows[0]
    return str(currency or "USD"), str(locale or "en_US")
