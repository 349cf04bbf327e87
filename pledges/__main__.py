"""``python -m pledges``: the command line."""

from pledges.cli import main

raise SystemExit(main())
