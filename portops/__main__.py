"""``python -m portops`` runs the same CLI as the ``portops`` script."""

from portops.cli import main

raise SystemExit(main())
