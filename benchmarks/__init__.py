"""The csdesk benchmark suite: ``python -m benchmarks`` (see ``run.py``)."""
