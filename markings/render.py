"""Render a :class:`~markings.model.Marking` in canonical CAPCO form.

Canonical means: category order classification // SCI // SAP // AEA // FGI // dissem //
non-IC (// legacy declass field, banners only), Register order inside each category, REL TO
lists ``USA`` first then trigraphs then tetragraphs (each alphabetical), banner
abbreviations in banners and portion forms in portions, one entry per SCI system (its
compartments merged) and no ``USA`` in an FGI list. The canonical form of a single marking
is the form its own roll-up takes. Cable and legacy markings render in
CAPCO form too: ``(S/NF)`` -> ``(S//NF)``, ``UNCLAS SENSITIVE`` -> ``UNCLASSIFIED//SBU``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# imported here, not in each call (``from markings import vocab`` inside a function runs
# importlib's from-list handling every time: ~1 µs of a ~4 µs rendering). No cycle: vocab
# imports model, and model imports this module only inside Marking.banner/portion.
from markings import vocab as V
from markings.model import Level
from markings.vocab import code_sort_key

if TYPE_CHECKING:
    from markings.model import Marking


def _alnum(s: str) -> tuple[int, str]:
    return (0 if s[:1].isdigit() else 1, s)


def _codes(codes: tuple[str, ...], usa_first: bool) -> list[str]:
    return sorted(dict.fromkeys(codes), key=lambda c: code_sort_key(c, usa_first))


def _parts(m: Marking, banner: bool) -> list[str]:
    cats: list[str] = []
    # 1. classification
    if m.joint:
        lvl = m.level.title if banner else V.LEVEL_PORTION[m.level]
        cats.append("//JOINT " + " ".join([lvl, *_codes(m.joint, False)]))
    elif m.owner == "NATO":
        title, abbr = V.NATO_LEVELS[m.level]
        cats.append("//" + (title if banner else abbr))
    elif m.owner is not None:
        cats.append(f"//{m.owner} " + (m.level.title if banner else V.LEVEL_PORTION[m.level]))
    else:
        cats.append(m.level.title if banner else V.LEVEL_PORTION.get(m.level, "U")
                    if m.level is not Level.R else "R")
    if m.nato_controls:
        cats.append("/".join(c for c in V.NATO_CONTROLS if c in m.nato_controls))
    # 2. SCI
    if m.sci:
        # a system written twice (`SI-EU/SI-NK`) is one system with both compartments, and
        # a compartment written twice one compartment with all its sub-compartments: the
        # form the roll-up of the marking gives
        merged: dict[str, dict[str, set[str]]] = {}
        for s in m.sci:
            comps = merged.setdefault(s.system, {})
            for c in s.compartments:
                comps.setdefault(c.name, set()).update(c.subs)
        systems = []
        for system in sorted(merged, key=_alnum):
            txt = system
            for name in sorted(merged[system], key=_alnum):
                txt += "-" + " ".join([name, *sorted(merged[system][name], key=_alnum)])
            systems.append(txt)
        cats.append("/".join(systems))
    # 3. SAP
    if m.sap:
        cats.append("SAR-" + "/".join(sorted(dict.fromkeys(m.sap), key=_alnum)))
    # 4. AEA
    if m.aea:
        cats.append(_aea(m.aea, banner))
    # 5. FGI
    if m.fgi is not None and m.owner != "FGI":
        # USA is never a source of foreign government information (B09; the parser records
        # it as a deviation); a list of USA alone is no FGI
        fgi = [c for c in _codes(m.fgi, False) if c != "USA"]
        if fgi or not m.fgi:
            cats.append(" ".join(["FGI", *fgi]))
    # 6. IC dissemination
    if m.dissem:
        out = []
        for cid in sorted(dict.fromkeys(m.dissem), key=lambda x: V.REGISTER_INDEX.get(x, 99)):
            # A list is written when there is one. Without one: the portion abbreviation
            # (`REL`, `EYES`) when that is what was written, in a banner too (there it is a
            # deviation, recorded by the parser), else the bare control; never a dangling
            # space (`REL TO `).
            if cid == "REL TO":
                out.append("REL TO " + ", ".join(_codes(m.rel_to, True)) if m.rel_to
                           else "REL" if m.rel_abbrev else "REL TO")
            elif cid == "EYES ONLY":
                out.append("/".join(["USA", *[c for c in _codes(m.eyes, False) if c != "USA"]])
                           + " EYES ONLY" if m.eyes
                           else "EYES" if m.rel_abbrev else "EYES ONLY")
            elif cid == "DISPLAY ONLY":
                out.append(" ".join(["DISPLAY ONLY", ", ".join(_codes(m.display_only, False))])
                           .rstrip())
            else:
                out.append(V.BANNER_OF.get(cid, cid) if banner else V.PORTION_OF.get(cid, cid))
        cats.append("/".join(out))
    # 7. non-IC dissemination
    if m.nonic:
        ids = sorted(dict.fromkeys(m.nonic), key=lambda x: V.REGISTER_INDEX.get(x, 99))
        cats.append("/".join(V.BANNER_OF.get(x, x) if banner else V.PORTION_OF.get(x, x)
                             for x in ids))
    # 8. legacy declassification field (banners that carried it)
    if banner and m.declass:
        cats.append(m.declass)
    first, rest = cats[0], cats[1:]
    return [first, *rest]


def _aea(aea: tuple[str, ...], banner: bool) -> str:
    groups: list[str] = []
    sigmas = [a.split(" ", 1)[1] for a in aea if a.startswith("SIGMA ")]
    sig_word = "SIGMA" if banner else "SG"
    sig = f"{sig_word} " + " ".join(sorted(dict.fromkeys(sigmas), key=lambda n: (len(n), n))) \
        if sigmas else ""
    ids = [a for a in dict.fromkeys(aea) if not a.startswith("SIGMA ")]
    head = next((a for a in ("RD", "FRD") if a in ids), None)
    if head is not None:
        txt = head
        if "CNWDI" in ids and head == "RD":
            txt += "-CNWDI"
        if sig:
            txt += "-" + sig
        groups.append(txt)
    elif sig:
        groups.append(sig)
    for a in sorted((a for a in ids if a not in ("RD", "FRD", "CNWDI") or
                     (a == "CNWDI" and head != "RD") or (a == "FRD" and head == "RD")),
                    key=lambda x: V.REGISTER_INDEX.get(x, 99)):
        groups.append(V.BANNER_OF.get(a, a) if banner else V.PORTION_OF.get(a, a))
    return "/".join(groups)


def render_banner(m: Marking) -> str:
    """Canonical banner text, e.g. ``TOP SECRET//SI/TK//NOFORN``."""
    cats = _parts(m, True)
    first = cats[0]
    return first + "".join("//" + c for c in cats[1:])


def render_portion(m: Marking) -> str:
    """Canonical portion mark with parentheses, e.g. ``(TS//SI/TK//NF)``."""
    cats = _parts(m, False)
    return "(" + cats[0] + "".join("//" + c for c in cats[1:]) + ")"
