"""``python -m markings``: the same as the ``markings`` command."""

from __future__ import annotations

from markings.cli import main

raise SystemExit(main())
