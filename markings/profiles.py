"""Marking profiles: which catalogue checks apply to which kind of document.

A rule belongs to the profiles named in its ``@rule(..., profiles=...)`` declaration; this
module holds the shared definitions and the automatic choice (``profile = "auto"``). See
``docs/profiles.md``.

* ``capco``: IC documents marked under the CAPCO Register and Manual (banner and portion
  roll-up, every control of the Register, SCI, IC dissemination controls). The default for
  documents that are neither cables nor ISOO-style.
* ``state-cable``: State Department telegrams. The cable checks of group E replace the IC
  roll-up of banner and portions (a cable's classification line carries no release list),
  and the memo presence checks (top and bottom banners, authority block lines) do not run.
* ``isoo``: documents marked under E.O. 13526 and its ISOO directive, 32 CFR 2001, outside
  the Intelligence Community (agency memos, DoD documents): the same checks as ``capco``
  without the IC-only ones (:data:`IC_ONLY`), which concern controls only the IC uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markings.document import Document
    from markings.model import Marking

__all__ = ["IC", "IC_CONTROLS", "IC_ONLY", "PROFILE_DESCRIPTIONS", "choose_profile",
           "is_isoo_style"]

PROFILE_DESCRIPTIONS = {
    "capco": "IC documents under the CAPCO Register and Manual",
    "state-cable": "State Department cables (telegrams)",
    "isoo": "E.O. 13526 / 32 CFR 2001 documents outside the IC (no IC-only checks)",
}

# ``profiles=IC`` for a rule about markings only the Intelligence Community uses
IC = ("capco", "state-cable")

# Checks of IC-only markings, left out of the ``isoo`` profile (code: what makes it IC-only).
IC_ONLY = {
    "MK108": "RELIDO is an IC dissemination control",
    "MK109": "DISPLAY ONLY is an IC dissemination control",
    "MK110": "ORCON and ORCON-USGOV are IC dissemination controls",
    "MK111": "IMCON is an IC dissemination control",
    "MK112": "PROPIN roll-up follows the IC Register",
    "MK113": "RSEN, DSEN, FISA and RAWFISA are IC dissemination controls",
    "MK123": "SCI control systems are IC markings",
    "MK125": "ORCON and RELIDO are IC dissemination controls",
    "MK130": "EYES ONLY is a legacy NSA SIGINT marking",
    "MK132": "RELIDO and DISPLAY ONLY are IC dissemination controls",
    "MK133": "the PROPIN template is an IC Register rule",
    "MK217": "SCI control systems are IC markings",
    "MK314": "IC disseminated analytic products are IC products",
}

# Controls whose presence marks a document as an IC document (never ISOO-style).
IC_CONTROLS = frozenset({"ORCON", "ORCON-USGOV", "IMCON", "RELIDO", "RSEN", "DSEN", "FISA",
                         "RAWFISA", "PROPIN", "EYES ONLY", "DISPLAY ONLY"})


def _ic_marking(m: Marking) -> bool:
    return bool(m.sci) or bool(m.display_only) or bool(m.eyes) or any(
        c in IC_CONTROLS for c in m.dissem)


def is_isoo_style(doc: Document) -> bool:
    """True for a document marked the ISOO way: an original or derivative classification
    authority block (``Classified By`` or ``Derived From``) with a ``Declassify On`` line,
    and no IC-only marking (SCI, ORCON, IMCON, RELIDO, RSEN, DSEN, FISA, PROPIN, EYES ONLY,
    DISPLAY ONLY) in any banner or portion mark."""
    a = doc.authority
    if doc.style == "cable" or a is None:
        return False
    if not (a.classified_by or a.derived_from) or a.declassify_on_span is None:
        return False
    marks = [b.marking for b in doc.banners if b.marking is not None]
    marks += [p.mark.marking for p in doc.portions if p.mark and p.mark.marking]
    if not marks:
        return False
    return not any(_ic_marking(m) for m in marks)


def choose_profile(doc: Document, settings: Mapping[str, object] | None = None) -> str:
    """The automatic profile: ``state-cable`` for cables, ``isoo`` for ISOO-style documents
    (:func:`is_isoo_style`), ``capco`` otherwise. A document declared an IC disseminated
    analytic product (``settings.analytic_product``) is an IC document: ``capco``."""
    if doc.style == "cable":
        return "state-cable"
    if settings and settings.get("analytic_product"):
        return "capco"
    if is_isoo_style(doc):
        return "isoo"
    return "capco"
