"""Rule family consistency: combinations inside one marking (catalogue A20-A33).

Every rule here looks at each banner and each portion mark on its own. Cable captions are
not markings: a State ``LIMDIS`` caption is a distribution caption, not the NGA ``DS``
control (catalogue E13), so these rules only ever see controls written inside a marking.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from markings.document import (
    AEA, CLASSIFIED_UNCLASS_ONLY, DISPLAY_LIST, EYES_LIST, FGI, JOINT, REL_LIST, SAP, SCI,
    NF_RELEASE_CONFLICT, UNCLASS_ONLY_AEA, UNCLASS_ONLY_NONIC, Document, MarkingRef)
from markings.findings import Severity
from markings.model import Level, Marking
from markings.profiles import IC
from markings.registry import Context, Hit, rule
from markings.combine import has_display, has_eyes, has_rel

__all__: list[str] = []


def _refs(doc: Document, *looks_for: str) -> Iterator[tuple[MarkingRef, Marking]]:
    """The document's readable markings, or none when none of them holds any of
    ``looks_for`` (tokens of :func:`_tokens`): a rule names what it looks for, and a
    document without it (most documents) costs one set test instead of a loop."""
    if looks_for and _doc_tokens(doc).isdisjoint(looks_for):
        return iter(())
    return iter(doc.memo("consistency.refs", _refs_list))


# Markers in the token set for parts of a marking that are no single control id: the
# same names as in the document facts (each rule's ``needs`` names what _refs looks for).
_SCI, _SAP, _AEA, _REL_LIST, _EYES_LIST, _DISPLAY_LIST, _JOINT, _FGI = (
    SCI, SAP, AEA, REL_LIST, EYES_LIST, DISPLAY_LIST, JOINT, FGI)


def _tokens(m: Marking) -> set[str]:
    """What a marking holds that the rules of this module look for: its dissemination and
    non-IC controls and AEA markings (as ids), and a marker for each non-empty list."""
    out = set(m.dissem) | set(m.nonic) | set(m.aea)
    for marker, present in ((_SCI, m.sci), (_SAP, m.sap), (_AEA, m.aea),
                            (_REL_LIST, m.rel_to), (_EYES_LIST, m.eyes),
                            (_DISPLAY_LIST, m.display_only), (_JOINT, m.joint),
                            (_FGI, m.fgi is not None)):
        if present:
            out.add(marker)
    return out


def _doc_tokens(doc: Document) -> frozenset[str]:
    """A superset of the union of :func:`_tokens` over the markings :func:`_refs` gives:
    the document's facts (:func:`markings.document.document_facts`: the same ids and
    markers, over every parsed marking), which the engine has computed already."""
    return doc.facts()


def _refs_list(doc: Document) -> list[tuple[MarkingRef, Marking]]:
    # a marking unreadable as written (read after a repair, ``error`` set) is left to
    # the syntax rules: these checks judge markings as written
    out: list[tuple[MarkingRef, Marking]] = [
        (b, b.marking) for b in doc.banners if b.marking is not None and not b.error]
    out += [(p.mark, p.mark.marking) for p in doc.portions
            if p.mark is not None and p.mark.marking is not None and not p.mark.error]
    return out


def _hit(ref: MarkingRef, message: str, what: str,
         severity: Severity | None = None) -> Hit:
    return Hit(ref.span, message, key=f"{ref.text}|{what}", severity=severity)


def _sci(m: Marking) -> dict[str, dict[str, tuple[str, ...]]]:
    return {s.system: {c.name: c.subs for c in s.compartments} for s in m.sci}


@rule("MK120", "marking-fouo-unclassified-only", Severity.ERROR, catalogue="A20",
      needs=(("FOUO",),))
def marking_fouo_unclassified_only(doc: Document, ctx: Context) -> Iterator[Hit]:
    """FOUO combined with a classification above UNCLASSIFIED.

    ## What it checks
    `FOUO` in a banner or portion whose level is not UNCLASSIFIED.

    ## Why
    CAPCO FOUO template: "May only be used with UNCLASSIFIED" (ISM-ID-00030).

    ## Example
    `(S//FOUO)`

    ## Fix
    Remove `FOUO`: the classification already protects the portion (`(S)`).
    """
    for ref, m in _refs(doc, "FOUO"):
        if m.has("FOUO") and m.level > Level.U:
            yield _hit(ref, f"`{ref.text}` combines `FOUO` with a classification; FOUO is for "
                            "unclassified information only. Remove `FOUO`.", "fouo")


_UNCLASS_ONLY = UNCLASS_ONLY_NONIC  # ("SBU", "SBU NOFORN", "LIMDIS")


# (the fact: some marking is classified and carries one of these controls; cables with
# (SBU) paragraphs in UNCLAS text, most of those with SBU, lack it)
@rule("MK121", "marking-unclassified-only-controls", Severity.ERROR, catalogue="A21",
      needs=(CLASSIFIED_UNCLASS_ONLY,))
def marking_unclassified_only_controls(doc: Document, ctx: Context) -> Iterator[Hit]:
    """SBU, SBU-NF, LIMDIS (`DS`), DCNI or UCNI inside a classified marking.

    ## What it checks
    These controls are for unclassified information only; in a classified portion the level
    protects the content and only a needed `NF` is written. LES, LES-NF, SSI and DSEN are
    not affected. State `LIMDIS` captions on cables are not checked (they are not `DS`).

    ## Why
    CAPCO §H.9 SBU, SBU NOFORN and LIMDIS templates; §H.6 DCNI/UCNI (ISM-ID-00037, -00346,
    -00181).

    ## Example
    `(S//SBU)`, `(C//DCNI)`, `(S//NF//SBU-NF)`

    ## Fix
    Drop the control and keep `NF` if needed: `(S//NF)`.
    """
    for ref, m in _refs(doc, *_UNCLASS_ONLY, "DOD UCNI", "DOE UCNI"):
        if m.level <= Level.U:
            continue
        bad = [x for x in m.nonic if x in _UNCLASS_ONLY]
        bad += [x for x in m.aea if x in UNCLASS_ONLY_AEA]
        if bad:
            toks = ", ".join(f"`{x}`" for x in bad)
            yield _hit(ref, f"`{ref.text}` uses {toks} with a classification; these are "
                            "unclassified-only controls. Remove them (keep `NF` if the "
                            "content is NOFORN).", "unclass-only")


# Minimum levels (catalogue A22); CNWDI and SIGMA are checked by marking-aea-structure.
_FLOOR_DISSEM = {"ORCON": Level.C, "ORCON-USGOV": Level.C, "EYES ONLY": Level.C,
                 "IMCON": Level.S, "RSEN": Level.S, "RAWFISA": Level.S}
_FLOOR_AEA = {"RD": Level.C, "FRD": Level.C, "TFNI": Level.C}
_FLOOR_SCI = {"SI": Level.C, "TK": Level.S, "HCS": Level.S, "RSV": Level.S, "BUR": Level.S,
              "KLM": Level.S, "MVL": Level.TS}
_TS_COMPARTMENTS = {("TK", "BLFH"), ("KLM", "R")}


def _floors(m: Marking) -> list[tuple[str, Level]]:
    out: list[tuple[str, Level]] = []
    for d in m.dissem:
        if d in _FLOOR_DISSEM:
            out.append((d, _FLOOR_DISSEM[d]))
    if has_eyes(m) and "EYES ONLY" not in m.dissem:
        out.append(("EYES ONLY", Level.C))
    for a in m.aea:
        if a in _FLOOR_AEA:
            out.append((a, _FLOOR_AEA[a]))
    if m.sap:
        out.append(("SAR", Level.C))
    for s in m.sci:
        if s.system in _FLOOR_SCI:
            out.append((s.system, _FLOOR_SCI[s.system]))
        for c in s.compartments:
            if s.system == "SI" or (s.system, c.name) in _TS_COMPARTMENTS:
                out.append((f"{s.system}-{c.name}", Level.TS))
            elif s.system == "HCS":
                out.append((f"HCS-{c.name}", Level.TS if c.subs and c.name == "P" else Level.S))
    return out


@rule("MK122", "marking-classification-floor", Severity.ERROR, catalogue="A22",
      needs=((*_FLOOR_DISSEM, *_FLOOR_AEA, "EYES ONLY", _EYES_LIST, _SAP, _SCI),))
def marking_classification_floor(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A control that requires a minimum classification is used below it.

    ## What it checks
    CONFIDENTIAL or higher: ORCON, ORCON-USGOV, EYES, SI, SAR, RD, FRD, TFNI. SECRET or
    higher: IMCON, RSEN, RAWFISA, TK, HCS (and HCS-O/P/X), RSV, BUR, KLM. TOP SECRET only:
    SI compartments (SI-G, SI-EU, SI-NK ...), TK-BLFH, HCS-P sub-compartments, KLM-R, MVL.
    (CNWDI and SIGMA are checked by `marking-aea-structure`; the HCS floor follows the
    2022 rules.)

    ## Why
    CAPCO §H.4, §H.6, §H.8 "May only be used with ..." entries.

    ## Example
    `(C//TK)`, `(U//OC)`, `(S//SI-G ABCD//OC/NF)`

    ## Fix
    Raise the classification or remove the control: `(S//TK)`, `(C//OC/NF)`,
    `(TS//SI-G ABCD//OC/NF)`.
    """
    for ref, m in _refs(doc, *_FLOOR_DISSEM, *_FLOOR_AEA, "EYES ONLY", _EYES_LIST, _SAP, _SCI):
        for token, floor in _floors(m):
            if m.level < floor:
                yield _hit(ref, f"`{ref.text}` uses `{token}`, which requires at least "
                                f"`{floor.title}`; raise the classification or remove "
                                f"`{token}`.", f"floor:{token}")


@rule("MK123", "marking-sci-companions", Severity.ERROR, catalogue="A23", profiles=IC,
      needs=(_SCI,))
def marking_sci_companions(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An SCI value is missing a companion control it requires.

    ## What it checks
    HCS, TK-BLFH/IDIT/KAND, RSV, BUR, KLM-R and KDK require NOFORN; HCS-O, HCS-P
    sub-compartments, SI-G and KLM compartments (other than KLM-R) require ORCON; RSV needs
    a compartment; ORCON-USGOV may not be used with SI-G, HCS-O, HCS-P sub-compartments or
    KLM-R.

    ## Why
    CAPCO §H.4 SCI templates ("Requires NOFORN", "Requires ORCON").

    ## Example
    `(TS//SI-G ABCD//NF)` (no `OC`); `(S//HCS-P//OC)` (no `NF`).

    ## Fix
    `(TS//SI-G ABCD//OC/NF)`; `(S//HCS-P//NF)`.
    """
    for ref, m in _refs(doc, _SCI):
        sci = _sci(m)
        need_nf: list[str] = []
        need_oc: list[str] = []
        no_usgov: list[str] = []
        for system, comps in sci.items():
            if system in ("HCS", "BUR", "KDK"):
                need_nf.append(system)
            if system == "RSV":
                need_nf.append("RSV")
                if not comps:
                    yield _hit(ref, f"`{ref.text}` uses `RSV` without a compartment; write "
                                    "`RSV-` and the compartment.", "rsv-compartment")
            if system == "TK":
                need_nf += [f"TK-{c}" for c in comps if c in ("BLFH", "IDIT", "KAND")]
            if system == "HCS":
                for c, subs in comps.items():
                    if c == "O" or (c == "P" and subs):
                        need_oc.append(f"HCS-{c}")
                        no_usgov.append(f"HCS-{c}")
            if system == "SI" and "G" in comps:
                need_oc.append("SI-G")
                no_usgov.append("SI-G")
            if system == "KLM":
                for c, subs in comps.items():
                    if c == "R":
                        need_nf.append("KLM-R")
                        if subs:
                            no_usgov.append("KLM-R")
                    else:
                        need_oc.append(f"KLM-{c}")
        if need_nf and not m.has("NOFORN"):
            toks = ", ".join(f"`{x}`" for x in dict.fromkeys(need_nf))
            yield _hit(ref, f"`{ref.text}` uses {toks}, which requires `NOFORN`; add `NF`.",
                       "sci-nf")
        if need_oc and not m.has("ORCON"):
            toks = ", ".join(f"`{x}`" for x in dict.fromkeys(need_oc))
            yield _hit(ref, f"`{ref.text}` uses {toks}, which requires `ORCON`; add `OC`.",
                       "sci-oc")
        if no_usgov and m.has("ORCON-USGOV"):
            toks = ", ".join(f"`{x}`" for x in dict.fromkeys(no_usgov))
            yield _hit(ref, f"`{ref.text}` combines `ORCON-USGOV` with {toks}; use `ORCON`.",
                       "sci-usgov")


@rule("MK124", "marking-noforn-exclusive", Severity.ERROR, catalogue="A24",
      needs=(NF_RELEASE_CONFLICT,))
def marking_noforn_exclusive(doc: Document, ctx: Context) -> Iterator[Hit]:
    """NOFORN combined with a release marking, or DISPLAY ONLY with RELIDO.

    ## What it checks
    NOFORN cannot be combined with REL TO, RELIDO, DISPLAY ONLY or EYES ONLY in one
    marking; DISPLAY ONLY cannot be combined with RELIDO.

    ## Why
    CAPCO NOFORN, REL TO, RELIDO and DISPLAY ONLY templates (ISM-ID-00033, -00169).

    ## Example
    `(S//NF/REL TO USA, GBR)`, `SECRET//RELIDO/DISPLAY ONLY IRQ`

    ## Fix
    Keep one: `(S//NF)` or `(S//REL TO USA, GBR)`.
    """
    for ref, m in _refs(doc, "NOFORN", "DISPLAY ONLY", _DISPLAY_LIST):
        if m.has("NOFORN"):
            others = [t for t, on in (("REL TO", has_rel(m)), ("RELIDO", m.has("RELIDO")),
                                      ("DISPLAY ONLY", has_display(m)),
                                      ("EYES ONLY", has_eyes(m))) if on]
            if others:
                toks = ", ".join(f"`{x}`" for x in others)
                yield _hit(ref, f"`{ref.text}` combines `NOFORN` with {toks}; keep either "
                                "NOFORN or the release marking.", "nf-release")
        if has_display(m) and m.has("RELIDO"):
            yield _hit(ref, f"`{ref.text}` combines `DISPLAY ONLY` with `RELIDO`; keep one.",
                       "disp-relido")


@rule("MK125", "marking-orcon-relido", Severity.ERROR, catalogue="A25", profiles=IC,
      needs=(("ORCON", "ORCON-USGOV"),))
def marking_orcon_relido(doc: Document, ctx: Context) -> Iterator[Hit]:
    """ORCON with RELIDO, or ORCON with ORCON-USGOV, in one marking.

    ## What it checks
    ORCON and ORCON-USGOV cannot be combined with RELIDO, and cannot appear together
    (ORCON supersedes ORCON-USGOV).

    ## Why
    CAPCO ORCON and ORCON-USGOV templates (ISM-ID-00325).

    ## Example
    `(S//OC/RELIDO)`, `(TS//OC/OC-USGOV/NF)`

    ## Fix
    `(S//OC/NF)`, `(TS//OC/NF)`.
    """
    for ref, m in _refs(doc, "ORCON", "ORCON-USGOV"):
        oc = [x for x in ("ORCON", "ORCON-USGOV") if m.has(x)]
        if oc and m.has("RELIDO"):
            yield _hit(ref, f"`{ref.text}` combines `{oc[0]}` with `RELIDO`; originator-"
                            "controlled information cannot be released by a disclosure "
                            "official. Remove `RELIDO`.", "orcon-relido")
        if len(oc) == 2:
            yield _hit(ref, f"`{ref.text}` shows both `ORCON` and `ORCON-USGOV`; ORCON "
                            "supersedes, remove `ORCON-USGOV`.", "orcon-both")


@rule("MK126", "marking-relto-usa-first", Severity.ERROR, catalogue="A26",
      needs=(_REL_LIST,))
def marking_relto_usa_first(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A REL TO list that does not start with USA or names no other country.

    ## What it checks
    A written REL TO list must begin with `USA` and name at least one other code. On a
    State cable, a non-standard release list (country names, no USA, codes out of order:
    `(S/REL to RUSSIA)`) is left to `cable-rel-country-names`, which reports it once.

    ## Why
    CAPCO REL TO template ("REL TO USA" alone is not an authorized marking; ISM-ID-00214,
    -00319).

    ## Example
    `(S//REL TO GBR)`, `(S//REL TO USA)`, `(S//REL TO GBR, USA)`

    ## Fix
    `(S//REL TO USA, GBR)`.
    """
    cable = doc.style == "cable"
    if cable:
        from markings.rules.cable import release_list_deviations
    for ref, m in _refs(doc, _REL_LIST):
        if not m.rel_to:
            continue
        if cable and release_list_deviations(m):
            continue  # a non-standard cable release list: MK508 reports it, once per mark
        # The parser may already have put USA in front; judge the list as written.
        written = _written_rel(ref.text) or m.rel_to
        others = [c for c in written if c != "USA"]
        if written[0] != "USA":
            # suggest the codes as parsed (a country name becomes its trigraph)
            want = ", ".join(["USA", *[c for c in m.rel_to if c != "USA"]])
            yield _hit(ref, f"`{ref.text}` has a REL TO list that does not start with `USA`; "
                            f"write `REL TO {want}`.", "usa-first")
        elif not others:
            yield _hit(ref, f"`{ref.text}` releases to `USA` only, which is not a release "
                            "marking; name the other countries or use `NOFORN`.", "usa-only")


_REL_RE = re.compile(r"REL\s+TO\s+([A-Z0-9_:]+(?:\s*,\s*[A-Z0-9_:]+)*)")


def _written_rel(text: str) -> tuple[str, ...]:
    """The REL TO codes exactly as written in ``text`` (uppercase), or ``()``."""
    hit = _REL_RE.search(text.upper())
    if not hit:
        return ()
    return tuple(c.strip() for c in hit.group(1).split(",") if c.strip())


@rule("MK127", "marking-aea-structure", Severity.ERROR, catalogue="A27",
      needs=(_AEA,))
def marking_aea_structure(doc: Document, ctx: Context) -> Iterator[Hit]:
    """CNWDI or SIGMA without its parent or level, or RD/FRD/TFNI together.

    ## What it checks
    CNWDI requires RD and SECRET or TOP SECRET; SIGMA requires RD or FRD and SECRET or TOP
    SECRET; RD, FRD and TFNI are mutually exclusive in one marking.

    ## Why
    CAPCO §H.6 AEA templates (ISM-ID-00175, -00183 to -00185, -00321).

    ## Example
    `(S//CNWDI)`, `(C//RD-CNWDI)`, `(S//RD/FRD)`

    ## Fix
    `(S//RD-CNWDI)`, `(S//FRD-SG 14)`.
    """
    for ref, m in _refs(doc, _AEA):
        aea = set(m.aea)
        sigma = [a for a in m.aea if a.startswith("SIGMA")]
        if "CNWDI" in aea:
            if "RD" not in aea:
                yield _hit(ref, f"`{ref.text}` uses `CNWDI` without `RD`; write `RD-CNWDI`.",
                           "cnwdi-rd")
            if m.level < Level.S:
                yield _hit(ref, f"`{ref.text}` uses `CNWDI` below `SECRET`; CNWDI requires "
                                "SECRET or TOP SECRET.", "cnwdi-level")
        if sigma:
            if not aea & {"RD", "FRD"}:
                yield _hit(ref, f"`{ref.text}` uses `SIGMA` without `RD` or `FRD`; write "
                                "`RD-SIGMA n` or `FRD-SIGMA n`.", "sigma-parent")
            if m.level < Level.S:
                yield _hit(ref, f"`{ref.text}` uses `SIGMA` below `SECRET`; SIGMA requires "
                                "SECRET or TOP SECRET.", "sigma-level")
        both = [a for a in ("RD", "FRD", "TFNI") if a in aea]
        if len(both) > 1:
            toks = ", ".join(f"`{x}`" for x in both)
            yield _hit(ref, f"`{ref.text}` combines {toks}, which are mutually exclusive; keep "
                            f"the most restrictive (`{both[0]}`).", "aea-exclusive")


@rule("MK128", "marking-exdis-nodis", Severity.ERROR, catalogue="A28",
      needs=(("EXDIS", "NODIS"),))
def marking_exdis_nodis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """EXDIS or NODIS without NOFORN, together, or with SBU.

    ## What it checks
    `XD` and `ND` require `NF`; they never appear together (NODIS supersedes); they are not
    combined with SBU or SBU-NF in one marking.

    ## Why
    CAPCO EXDIS and NODIS templates (ISM-ID-00038, -00313, -00314).

    ## Example
    `(S//XD)`, `(S//NF//XD/ND)`

    ## Fix
    `(S//NF//XD)`, `(S//NF//ND)`.
    """
    for ref, m in _refs(doc, "EXDIS", "NODIS"):
        dist = [x for x in ("EXDIS", "NODIS") if x in m.nonic]
        if not dist:
            continue
        if not m.has("NOFORN"):
            yield _hit(ref, f"`{ref.text}` uses `{dist[0]}` without `NOFORN`; add `NF`.",
                       "dist-nf")
        if len(dist) == 2:
            yield _hit(ref, f"`{ref.text}` shows both `EXDIS` and `NODIS`; NODIS supersedes, "
                            "remove `EXDIS`.", "dist-both")
        sbu = [x for x in ("SBU", "SBU NOFORN") if x in m.nonic]
        if sbu:
            yield _hit(ref, f"`{ref.text}` combines `{dist[0]}` with `{sbu[0]}`; remove "
                            f"`{sbu[0]}`.", "dist-sbu")


@rule("MK129", "marking-nf-variant-conflict", Severity.ERROR, catalogue="A29",
      needs=(("SBU NOFORN", "LES NOFORN"),))
def marking_nf_variant_conflict(doc: Document, ctx: Context) -> Iterator[Hit]:
    """SBU NOFORN or LES NOFORN combined with NF or a release marking.

    ## What it checks
    SBU-NF and LES-NF already carry NOFORN and must not be combined with `NF`, REL TO,
    RELIDO, EYES or DISPLAY ONLY in the same marking.

    ## Why
    CAPCO SBU NOFORN and LES NOFORN commingling rules (ISM-ID-00372).

    ## Example
    `(U//NF//SBU-NF)`, `(U//REL TO USA, GBR//LES-NF)`

    ## Fix
    `(U//SBU-NF)`, or `(U//NF//SBU)` when other NOFORN content is commingled.
    """
    for ref, m in _refs(doc, "SBU NOFORN", "LES NOFORN"):
        variants = [x for x in ("SBU NOFORN", "LES NOFORN") if x in m.nonic]
        if not variants:
            continue
        others = [t for t, on in (("NOFORN", m.has("NOFORN")), ("REL TO", has_rel(m)),
                                  ("RELIDO", m.has("RELIDO")), ("EYES ONLY", has_eyes(m)),
                                  ("DISPLAY ONLY", has_display(m))) if on]
        if others:
            toks = ", ".join(f"`{x}`" for x in others)
            plain = variants[0].replace(" NOFORN", "")
            yield _hit(ref, f"`{ref.text}` combines `{variants[0]}` with {toks}; "
                            f"`{variants[0]}` already means NOFORN. Write `{plain}` with `NF`, "
                            f"or `{variants[0]}` alone.", "nf-variant")


_EYES_CODES = frozenset({"USA", "AUS", "CAN", "GBR", "NZL"})
_EYES_END = _dt.date(2017, 10, 1)


@rule("MK130", "marking-eyes-only-legacy", Severity.WARNING, catalogue="A30", profiles=IC,
      needs=(("EYES ONLY", _EYES_LIST),))
def marking_eyes_only_legacy(doc: Document, ctx: Context) -> Iterator[Hit]:
    """EYES ONLY: a legacy NSA SIGINT marking, with a restricted country list.

    ## What it checks
    EYES ONLY may list only USA, AUS, CAN, GBR, NZL and cannot be combined with REL TO; its
    waiver ended 2017-10-01, so later documents should use REL TO (information only when the
    document date is unknown).

    ## Why
    CAPCO EYES ONLY template (ISM-ID-00090, -00345).

    ## Example
    `(TS//EYES)` in a 2020 product; `SECRET//USA/DEU EYES ONLY`.

    ## Fix
    `(TS//REL TO USA, CAN, GBR)`.
    """
    for ref, m in _refs(doc, "EYES ONLY", _EYES_LIST):
        if not has_eyes(m):
            continue
        bad = [c for c in m.eyes if c not in _EYES_CODES]
        if bad:
            toks = ", ".join(f"`{x}`" for x in bad)
            yield _hit(ref, f"`{ref.text}` lists {toks} in EYES ONLY, which allows only USA, "
                            "AUS, CAN, GBR and NZL; use REL TO.", "eyes-codes")
        if m.rel_to or ("REL TO" in m.dissem):
            yield _hit(ref, f"`{ref.text}` combines EYES ONLY with REL TO; convert EYES ONLY "
                            "to REL TO.", "eyes-rel")
        if doc.date is None or doc.date >= _EYES_END:
            sev = Severity.INFO if doc.date is None else None
            yield _hit(ref, f"`{ref.text}` uses EYES ONLY, an NSA SIGINT marking whose waiver "
                            "ended 2017-10-01; convert it to REL TO.", "eyes-legacy", sev)


@rule("MK131", "marking-joint", Severity.ERROR, catalogue="A31",
      needs=(_JOINT,))
def marking_joint(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A JOINT marking without USA, without a matching REL TO, or with NOFORN/HCS.

    ## What it checks
    A JOINT marking must list USA among the co-owners, must carry REL TO naming USA and all
    co-owners, and must not be combined with NOFORN or HCS.

    ## Why
    CAPCO §H.3 JOINT template (ISM-ID-00377, -00383).

    ## Example
    `//JOINT SECRET CAN USA//NOFORN`

    ## Fix
    `//JOINT SECRET CAN USA//REL TO USA, CAN`.
    """
    for ref, m in _refs(doc, _JOINT):
        if not m.joint:
            continue
        if "USA" not in m.joint:
            yield _hit(ref, f"`{ref.text}` is a JOINT marking without `USA` among the "
                            "co-owners; add `USA`.", "joint-usa")
        if m.has("NOFORN") or any(s.system == "HCS" for s in m.sci):
            yield _hit(ref, f"`{ref.text}` combines JOINT with `NOFORN` or `HCS`; JOINT "
                            "information is shared with its co-owners.", "joint-nf")
        elif not m.rel_abbrev:
            missing = [c for c in dict.fromkeys(("USA", *m.joint)) if c not in m.rel_to]
            if missing:
                toks = ", ".join(f"`{x}`" for x in missing)
                yield _hit(ref, f"`{ref.text}` is JOINT but its REL TO list lacks {toks}; "
                                "release to USA and every co-owner.", "joint-rel")


@rule("MK132", "marking-fgi-no-relido", Severity.ERROR, catalogue="A32", profiles=IC,
      needs=(_FGI,))
def marking_fgi_no_relido(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A US marking with FGI that is marked RELIDO or DISPLAY ONLY.

    ## What it checks
    A US portion or banner that contains foreign government information must not be marked
    RELIDO or DISPLAY ONLY.

    ## Why
    ISM-ID-00233, -00234: a disclosure official cannot release another government's
    information.

    ## Example
    `(S//FGI DEU//RELIDO)`

    ## Fix
    `(S//FGI DEU//REL TO USA, DEU)`.
    """
    for ref, m in _refs(doc, _FGI):
        if m.fgi is None or not m.is_us:
            continue
        bad = [t for t, on in (("RELIDO", m.has("RELIDO")),
                               ("DISPLAY ONLY", has_display(m))) if on]
        if bad:
            toks = ", ".join(f"`{x}`" for x in bad)
            yield _hit(ref, f"`{ref.text}` contains FGI and is marked {toks}; use REL TO or "
                            "NOFORN instead.", "fgi-relido")


@rule("MK133", "marking-propin-needs-fdr", Severity.WARNING, catalogue="A33", profiles=IC,
      needs=("PROPIN",))
def marking_propin_needs_fdr(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A PROPIN banner without an explicit foreign disclosure marking.

    ## What it checks
    A banner with PROPIN must also carry NOFORN, REL TO, RELIDO or DISPLAY ONLY (cable
    captions such as `NOFORN` count for the first banner).

    ## Why
    ISM-ID-00473; CAPCO PROPIN template (`CONFIDENTIAL//PROPIN/[explicit FD&R]`).

    ## Example
    `SECRET//PROPIN`

    ## Fix
    `SECRET//NOFORN/PROPIN` (or the appropriate REL TO).
    """
    overall = doc.overall_memo()
    first_top = next((b for b in doc.banners if b.position == "top" and b.marking), None)
    for b in doc.banners:
        m = overall if (b is first_top and overall is not None) else b.marking
        if m is None or not m.has("PROPIN"):
            continue
        if m.has("NOFORN") or has_rel(m) or m.has("RELIDO") or has_display(m):
            continue
        yield _hit(b, f"Banner `{b.text}` carries `PROPIN` without an explicit foreign "
                      "disclosure marking; add `NOFORN` or the proper `REL TO`.", "propin-fdr")
