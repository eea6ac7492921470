"""Alembic migrations of the portfolio schema (run by ``csdesk.db.open_portfolio``)."""
