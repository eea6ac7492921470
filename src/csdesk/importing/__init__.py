"""Reading CRM, support, usage and survey exports into the portfolio (SPEC 3).

The use cases live in :mod:`csdesk.services.importer`; this package holds the readers, the
column mapping, value parsing and the bulk matching and writing they are built from.
"""
