"""``python -m csdesk``: the same as the ``csdesk`` command."""

from csdesk.main import main

raise SystemExit(main())
