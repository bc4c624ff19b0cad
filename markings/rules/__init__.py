"""Rule families. Registration is explicit: each module listed here is imported once.

One small module per family; each rule is a decorated function whose docstring is its
user documentation (see :mod:`markings.registry`).
"""

from __future__ import annotations

import importlib

MODULES = (
    "markings.rules.inputs",       # MK0xx  unreadable, binary, oversized, unparseable
    "markings.rules.rollup",       # MK101-MK119  catalogue A-I  banner <-> portions roll-up
    "markings.rules.consistency",  # MK120-MK133  catalogue A-II inside one marking
    "markings.rules.syntax",       # MK2xx  catalogue B  syntax of one marking
    "markings.rules.presence",     # MK3xx  catalogue C  presence
    "markings.rules.declass",      # MK4xx  catalogue D  declassification / authority block
    "markings.rules.cable",        # MK5xx  catalogue E  State cables
    "markings.rules.dod",          # MK6xx  catalogue F  DoD / ISOO extras
    "markings.rules.redaction_markers",      # MK701-MK705  redaction markers and codes
    "markings.rules.redaction_release",      # MK710-MK712  release state
    "markings.rules.redaction_residue",      # MK720-MK722  residue next to redactions
    "markings.rules.redaction_consistency",  # MK730-MK732  deny list, bases, batch
    "markings.rules.derivative",             # MK740  classified text in lower documents
    "markings.rules.meta",         # MK9xx  suppressions
)

for _name in MODULES:
    importlib.import_module(_name)
