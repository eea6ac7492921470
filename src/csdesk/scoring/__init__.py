"""Domain rules of csdesk as pure functions over frozen dataclasses (no Qt, no database).

Modules: ``vocabulary`` (the words csdesk stores), ``prospect`` (scorecard, cohort),
``health_models`` (TOML models), ``health`` (score, alerts, trend), ``bands``, ``lifecycle``,
``renewal``, ``roi``, ``kpis``, ``catalog`` (plans) and ``rounding``. Import from the module
that owns a name: this package imports nothing itself, so reading one word of the vocabulary
(the command line's first parse, the start-up window) does not load every rule.
"""
