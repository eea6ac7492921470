"""``python -m csdesk``: the same as the ``csdesk`` command."""

from csdesk.cli import main

raise SystemExit(main())
