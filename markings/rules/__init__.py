"""Rule families. Registration is explicit: each module listed here is imported once.

One small module per family; each rule is a decorated function whose docstring is its
user documentation (see :mod:`markings.registry`). Modules are imported on demand:
:func:`markings.registry.all_rules` (``markings rules``, docgen, configuration checks)
imports every module of :data:`MODULES`; the engine imports only the modules that may
hold rules of the active profiles (:data:`MODULE_PROFILES`), which keeps start-up short.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

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

# Profiles the rules of a module may belong to, for modules whose rules belong to *some*
# profiles only (every other module of MODULES may hold rules of any profile). The engine
# imports such a module only when one of these profiles is active, so a plain `markings
# check` does not pay for the redaction families. The registry enforces this declaration
# when a rule is registered (a rule outside its module's profiles is an error).
_REDACTION = frozenset(("cables", "foia", "declass", "archival"))
MODULE_PROFILES: dict[str, frozenset[str]] = {
    "markings.rules.redaction_markers": _REDACTION,
    "markings.rules.redaction_release": _REDACTION,
    "markings.rules.redaction_residue": _REDACTION,
    "markings.rules.redaction_consistency": _REDACTION,
}

_imported: set[str] = set()


def import_modules(profiles: Iterable[str] | None = None) -> None:
    """Import the rule modules (all of them, or those that may hold rules of ``profiles``).

    Importing registers the modules' rules; each module is imported once per process.
    """
    wanted = None if profiles is None else frozenset(profiles)
    for name in MODULES:
        if name in _imported:
            continue
        declared = MODULE_PROFILES.get(name)
        if wanted is not None and declared is not None and not (declared & wanted):
            continue
        importlib.import_module(name)
        _imported.add(name)


def all_imported() -> bool:
    """True once every module of :data:`MODULES` has been imported."""
    return len(_imported) == len(MODULES)
