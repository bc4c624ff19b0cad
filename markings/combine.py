"""Roll-up: the overall (banner) marking that a set of portion markings requires.

The module is ``markings.combine`` (not ``markings.rollup``) so that importing it never
replaces the package attribute ``markings.rollup``, the public function.

Pure functions over :class:`markings.model.Marking` (catalogue group A-I, CAPCO §D.2).

Semantics. Each portion is mapped to an internal :class:`_Acc` value; accumulators are
combined with :func:`_join`, a pairwise join in which every field is a union, an
intersection, a maximum or a logical and/or. Each of those is commutative, associative
and idempotent, so the join is too; every precedence rule (NODIS over EXDIS, ORCON over
ORCON-USGOV, PROPIN over FOUO, "unclassified-only controls vanish in a classified
banner" ...) is applied once, in :func:`_finalise`, on the joined value. Hence
``rollup([a, b]) == rollup([b, a])``, ``rollup([rollup([a, b]), c]) == rollup([a, b, c])``
as long as banners are fed back through the same representation, and
``rollup([a, a]) == rollup([a])``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markings.model import Level, Marking, SciCompartment, SciSystem
# Known values outside the checked vocabulary (LACONIC, CUI controls ...): carried into the
# banner as a union, with no precedence rule of their own.
from markings.vocab import OUT_OF_SCOPE_IDS

if TYPE_CHECKING:
    from markings.document import Document

__all__ = ["Difference", "Rollup", "compare", "explain", "overall_marking", "rollup",
           "render_tokens"]

# Register order (catalogue 1.3); used only to order output tuples.
DISSEM_ORDER = ("RSEN", "FOUO", "ORCON", "ORCON-USGOV", "IMCON", "NOFORN", "PROPIN", "REL TO",
                "RELIDO", "EYES ONLY", "DSEN", "RAWFISA", "FISA", "DISPLAY ONLY")
NONIC_ORDER = ("LIMDIS", "EXDIS", "NODIS", "SBU", "SBU NOFORN", "LES", "LES NOFORN", "SSI",
               "LIMITED OFFICIAL USE")
AEA_ORDER = ("RD", "CNWDI", "FRD", "DOD UCNI", "DOE UCNI", "TFNI")

FDR_IDS = frozenset({"NOFORN", "REL TO", "RELIDO", "DISPLAY ONLY", "EYES ONLY"})
# Dissemination controls other than FD&R and FOUO; each of them rolls up and supersedes FOUO.
OTHER_DISSEM = frozenset({"RSEN", "ORCON", "ORCON-USGOV", "IMCON", "PROPIN", "DSEN", "FISA",
                          "RAWFISA"})
NF_NONIC = frozenset({"EXDIS", "NODIS"})  # imply NOFORN everywhere
NF_VARIANTS = frozenset({"SBU NOFORN", "LES NOFORN"})  # carry NOFORN themselves
UNCLASS_ONLY_NONIC = frozenset({"SBU", "SBU NOFORN", "LIMDIS", "LIMITED OFFICIAL USE"})
UNCLASS_ONLY_AEA = frozenset({"DOD UCNI", "DOE UCNI"})

NfReason = str  # "noforn" | "fdr-missing" | "relido-mix" | "relto-empty" | "display-only"

_SciKey = tuple[str, str | None, str | None]


def _order(ids: Iterable[str], order: Sequence[str]) -> tuple[str, ...]:
    idx = {k: i for i, k in enumerate(order)}
    return tuple(sorted(set(ids), key=lambda x: (idx.get(x, len(order)), x)))


def _meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """Intersection where ``None`` is the identity (no constraint yet)."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _aea_sort_key(x: str) -> tuple[int, str]:
    base = x.split(" ")[0] if x.startswith("SIGMA") else x
    if x.startswith("SIGMA"):
        # SIGMA n sits with its parent (RD or FRD) but after CNWDI.
        return (1, f"{int(x.split()[1]):03d}" if x.split()[-1].isdigit() else x)
    return (AEA_ORDER.index(base) if base in AEA_ORDER else len(AEA_ORDER), x)


# --- internal representation -----------------------------------------------------------------


@dataclass(frozen=True)
class _Acc:
    """Join-semilattice value for a non-empty set of portions."""

    owners: frozenset[str]  # "US", "NATO", "GBR", "JOINT CAN GBR USA", "FGI" (concealed)
    raw_level: Level
    nato_controls: frozenset[str]
    sci: frozenset[_SciKey]
    sap: frozenset[str]
    aea: frozenset[str]
    fgi_codes: frozenset[str]
    fgi_concealed: bool
    dissem: frozenset[str]  # OTHER_DISSEM and FOUO
    nonic: frozenset[str]
    nf_explicit: bool  # NF, XD, ND, NF-implying SCI
    nf_variant: bool  # SBU-NF / LES-NF
    contrib: bool  # at least one portion contributes to FD&R
    fdr_any: bool  # some contributing portion has REL TO / RELIDO / DISPLAY ONLY / EYES
    all_fdr: bool  # every contributing portion has some FD&R (NF variants count)
    all_rel: bool
    rel_written: frozenset[str] | None
    rel_expanded: frozenset[str] | None
    all_eyes: bool
    all_relido: bool
    any_relido: bool
    any_disp: bool
    all_disp_or_rel: bool
    disp_expanded: frozenset[str] | None
    disp_written: frozenset[str] | None


def _join(a: _Acc, b: _Acc) -> _Acc:
    return _Acc(
        owners=a.owners | b.owners, raw_level=max(a.raw_level, b.raw_level),
        nato_controls=a.nato_controls | b.nato_controls, sci=a.sci | b.sci, sap=a.sap | b.sap,
        aea=a.aea | b.aea, fgi_codes=a.fgi_codes | b.fgi_codes,
        fgi_concealed=a.fgi_concealed or b.fgi_concealed, dissem=a.dissem | b.dissem,
        nonic=a.nonic | b.nonic, nf_explicit=a.nf_explicit or b.nf_explicit,
        nf_variant=a.nf_variant or b.nf_variant, contrib=a.contrib or b.contrib,
        fdr_any=a.fdr_any or b.fdr_any, all_fdr=a.all_fdr and b.all_fdr,
        all_rel=a.all_rel and b.all_rel, rel_written=_meet(a.rel_written, b.rel_written),
        rel_expanded=_meet(a.rel_expanded, b.rel_expanded), all_eyes=a.all_eyes and b.all_eyes,
        all_relido=a.all_relido and b.all_relido, any_relido=a.any_relido or b.any_relido,
        any_disp=a.any_disp or b.any_disp, all_disp_or_rel=a.all_disp_or_rel and b.all_disp_or_rel,
        disp_expanded=_meet(a.disp_expanded, b.disp_expanded),
        disp_written=_meet(a.disp_written, b.disp_written),
    )


def implies_noforn_sci(sci: Iterable[SciSystem]) -> bool:
    """HCS, RSV, TK compartments, BUR, KLM-R and KDK require NOFORN (catalogue A03/A23)."""
    for s in sci:
        comps = {c.name for c in s.compartments}
        if s.system in ("HCS", "RSV", "BUR", "KDK"):
            return True
        if s.system == "TK" and comps:
            return True
        if s.system == "KLM" and "R" in comps:
            return True
    return False


def has_rel(m: Marking) -> bool:
    """The marking carries REL TO (written out or as the bare ``REL`` abbreviation)."""
    return bool(m.rel_to) or "REL TO" in m.dissem or (m.rel_abbrev and not has_eyes(m))


def has_eyes(m: Marking) -> bool:
    return bool(m.eyes) or "EYES ONLY" in m.dissem


def has_display(m: Marking) -> bool:
    return bool(m.display_only) or "DISPLAY ONLY" in m.dissem


def has_fdr(m: Marking) -> bool:
    return (m.has("NOFORN") or has_rel(m) or has_eyes(m) or has_display(m) or m.has("RELIDO")
            or any(n in m.nonic for n in NF_VARIANTS))


def is_plain_unclassified(m: Marking) -> bool:
    """An unclassified portion with no control at all: ignored for FD&R (catalogue A06)."""
    return (m.level == Level.U and not m.dissem and not m.nonic and not m.rel_to
            and not m.rel_abbrev and not m.eyes and not m.display_only and not m.sci
            and not m.sap and not m.aea and m.fgi is None)


def _owner_key(m: Marking) -> str:
    if m.joint:
        return "JOINT " + " ".join(sorted(set(m.joint)))
    if m.owner:
        return m.owner
    return "US"


def _to_acc(m: Marking, as_of: _dt.date | None, rel_for_abbrev: frozenset[str] | None) -> _Acc:
    from markings.codes import expand_codes

    contrib = not is_plain_unclassified(m)
    sci: set[_SciKey] = set()
    for s in m.sci:
        sci.add((s.system, None, None))
        for c in s.compartments:
            sci.add((s.system, c.name, None))
            for sub in c.subs:
                sci.add((s.system, c.name, sub))
    rel = has_rel(m) or has_eyes(m)
    rel_written: frozenset[str] | None = None
    if m.rel_to or m.eyes:
        rel_written = frozenset(m.rel_to) | frozenset(m.eyes)
    elif rel and rel_for_abbrev is not None:
        rel_written = rel_for_abbrev
    rel_expanded = expand_codes(rel_written, as_of) if rel_written is not None else None
    disp = has_display(m)
    disp_written: frozenset[str] | None = None
    if disp or rel:
        parts = frozenset(m.display_only) | (rel_written or frozenset())
        # A bare REL with no known list constrains nothing.
        disp_written = None if (rel and rel_written is None and not m.display_only) else parts
    disp_expanded = expand_codes(disp_written, as_of) if disp_written is not None else None
    nf_explicit = (m.has("NOFORN") or any(n in m.nonic for n in NF_NONIC)
                   or implies_noforn_sci(m.sci))
    nf_variant = any(n in m.nonic for n in NF_VARIANTS)
    relido = m.has("RELIDO")
    fdr_any = rel or disp or relido
    if not contrib:
        # Plain (U): neutral for FD&R, i.e. the identity of every FD&R field.
        return _Acc(
            owners=frozenset({_owner_key(m)}), raw_level=m.level,
            nato_controls=frozenset(m.nato_controls), sci=frozenset(), sap=frozenset(),
            aea=frozenset(), fgi_codes=frozenset(), fgi_concealed=False, dissem=frozenset(),
            nonic=frozenset(), nf_explicit=False, nf_variant=False, contrib=False,
            fdr_any=False, all_fdr=True, all_rel=True, rel_written=None, rel_expanded=None,
            all_eyes=True, all_relido=True, any_relido=False, any_disp=False,
            all_disp_or_rel=True, disp_expanded=None, disp_written=None)
    fgi_codes = frozenset(m.fgi or ())
    return _Acc(
        owners=frozenset({_owner_key(m)}), raw_level=m.level,
        nato_controls=frozenset(m.nato_controls), sci=frozenset(sci), sap=frozenset(m.sap),
        aea=frozenset(m.aea), fgi_codes=fgi_codes,
        fgi_concealed=m.fgi is not None and not m.fgi,
        dissem=frozenset(d for d in m.dissem
                         if d in OTHER_DISSEM or d == "FOUO" or d in OUT_OF_SCOPE_IDS),
        nonic=frozenset(m.nonic), nf_explicit=nf_explicit, nf_variant=nf_variant, contrib=True,
        fdr_any=fdr_any, all_fdr=fdr_any or nf_explicit or nf_variant, all_rel=rel,
        rel_written=rel_written, rel_expanded=rel_expanded,
        all_eyes=has_eyes(m) and not has_rel(m), all_relido=relido, any_relido=relido,
        any_disp=disp, all_disp_or_rel=disp or rel, disp_expanded=disp_expanded,
        disp_written=disp_written)


# --- finalisation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """A roll-up result with the reason the banner must be NOFORN (if it must)."""

    marking: Marking
    nf_reason: NfReason | None = None
    contributing: bool = False  # some portion contributes to FD&R


def _compress(written: frozenset[str] | None, expanded: frozenset[str] | None,
              as_of: _dt.date | None) -> frozenset[str]:
    """Write an intersection with tetragraphs where every list named them."""
    from markings.codes import tetragraph_members

    if expanded is None:
        return frozenset()
    written = written or frozenset()
    kept = {c for c in written if c in expanded or tetragraph_members(c, as_of) <= expanded}
    covered: set[str] = set()
    for c in kept:
        covered |= tetragraph_members(c, as_of)
    return frozenset(kept | {c for c in expanded if c not in covered})


def _finalise(acc: _Acc, as_of: _dt.date | None) -> Rollup:
    from markings.codes import sort_codes

    foreign = acc.owners - {"US"}
    single_foreign = len(acc.owners) == 1 and foreign and "FGI" not in foreign
    owner: str | None = None
    joint: tuple[str, ...] = ()
    nato_controls: tuple[str, ...] = ()
    level = acc.raw_level
    fgi: tuple[str, ...] | None = None
    if single_foreign:
        (key,) = tuple(foreign)
        if key.startswith("JOINT "):
            joint = tuple(key.split()[1:])
        else:
            owner = key
            nato_controls = tuple(sorted(acc.nato_controls))
        # FGI inside the foreign-owned portions (`(//GBR S//FGI DEU)`, `(//NC//FGI)`) stays
        # in the result: dropping it would lose it when this banner is rolled up again
        # with US portions (group A16: union of sources, bare FGI if any is concealed).
        if acc.fgi_codes or acc.fgi_concealed:
            fgi = () if acc.fgi_concealed else sort_codes(acc.fgi_codes, usa_first=False)
    else:
        if level == Level.R:  # a US banner has no RESTRICTED level
            level = Level.C
        codes = set(acc.fgi_codes)
        concealed = acc.fgi_concealed or "FGI" in foreign
        for k in foreign:
            if k.startswith("JOINT "):
                codes |= {c for c in k.split()[1:] if c != "USA"}
            elif k != "FGI":
                codes.add(k)
        if codes or concealed:
            fgi = () if concealed else sort_codes(codes, usa_first=False)
    classified = level > Level.U

    # FD&R
    dissem: set[str] = set(acc.dissem)
    rel: frozenset[str] = frozenset()
    disp: frozenset[str] = frozenset()
    eyes: tuple[str, ...] = ()
    reason: NfReason | None = None
    if acc.nf_explicit or (acc.nf_variant and (classified or acc.fdr_any)):
        reason = "noforn"
    elif not acc.fdr_any:
        pass
    elif not acc.all_fdr:
        reason = "fdr-missing"
    elif acc.any_relido and acc.any_disp:
        reason = "relido-mix"
    elif acc.all_relido:
        dissem.add("RELIDO")
        if acc.all_rel:
            rel = _compress(acc.rel_written, acc.rel_expanded, as_of) - {"USA"}
    elif acc.any_relido:
        reason = "relido-mix"
    elif acc.all_rel:
        rel = _compress(acc.rel_written, acc.rel_expanded, as_of) - {"USA"}
        if acc.rel_expanded is not None and not rel:
            reason = "relto-empty"
        elif acc.any_disp and acc.disp_expanded is not None:
            disp = _compress(acc.disp_written, acc.disp_expanded, as_of) - rel - {"USA"}
    elif acc.all_disp_or_rel:
        disp = _compress(acc.disp_written, acc.disp_expanded, as_of) - {"USA"}
        if not disp:
            reason = "display-only"
    else:  # pragma: no cover - all_fdr implies one of the branches above
        reason = "fdr-missing"
    rel_abbrev = False
    if reason is not None:
        dissem.add("NOFORN")
        rel, disp = frozenset(), frozenset()
    elif acc.all_rel and acc.fdr_any and acc.rel_expanded is None and not acc.all_relido:
        rel_abbrev = True  # only bare REL portions: the list is unknown here
    if rel:
        if acc.all_eyes:
            eyes = ("USA", *sort_codes(rel)) if "USA" not in rel else sort_codes(rel)
            dissem.add("EYES ONLY")
            rel = frozenset()
        else:
            dissem.add("REL TO")
    elif rel_abbrev:
        dissem.add("EYES ONLY" if acc.all_eyes else "REL TO")  # `(TS//EYES)` stays EYES
    if disp:
        dissem.add("DISPLAY ONLY")
    if "ORCON" in dissem:
        dissem.discard("ORCON-USGOV")

    # Non-IC and AEA
    nonic = set(acc.nonic)
    if "NODIS" in nonic:
        nonic.discard("EXDIS")
    aea = set(acc.aea)
    if "RD" in aea:
        aea -= {"FRD", "TFNI"}
    elif "FRD" in aea:
        aea.discard("TFNI")
    if classified:
        nonic -= UNCLASS_ONLY_NONIC
        aea -= UNCLASS_ONLY_AEA
        if "LES NOFORN" in nonic:
            nonic.discard("LES NOFORN")
            nonic.add("LES")
        if acc.nf_variant:
            dissem.add("NOFORN")
    else:
        if "NOFORN" in dissem:  # NOFORN already shown: keep the plain control (A29)
            for v, plain in (("SBU NOFORN", "SBU"), ("LES NOFORN", "LES")):
                if v in nonic:
                    nonic.discard(v)
                    nonic.add(plain)
        else:
            if "SBU NOFORN" in nonic:
                nonic.discard("SBU")
            if "LES NOFORN" in nonic:
                nonic.discard("LES")
    if "FOUO" in dissem and (classified or (dissem & OTHER_DISSEM) or nonic or aea):
        dissem.discard("FOUO")

    sci = _sci_tuple(acc.sci)
    marking = Marking(
        raw="", kind="banner", level=level, owner=owner, joint=joint,
        nato_controls=nato_controls, sci=sci, sap=tuple(sorted(acc.sap)),
        aea=tuple(sorted(aea, key=_aea_sort_key)), fgi=fgi,
        dissem=_order(dissem, DISSEM_ORDER), rel_to=("USA", *sort_codes(rel)) if rel else (),
        rel_abbrev=rel_abbrev, display_only=sort_codes(disp) if disp else (), eyes=eyes,
        nonic=_order(nonic, NONIC_ORDER))
    return Rollup(marking=marking, nf_reason=reason, contributing=acc.contrib)


def _sci_tuple(keys: frozenset[_SciKey]) -> tuple[SciSystem, ...]:
    systems: dict[str, dict[str, set[str]]] = {}
    for system, comp, sub in keys:
        comps = systems.setdefault(system, {})
        if comp is not None:
            subs = comps.setdefault(comp, set())
            if sub is not None:
                subs.add(sub)
    return tuple(
        SciSystem(system=s, compartments=tuple(
            SciCompartment(name=c, subs=tuple(sorted(subs)))
            for c, subs in sorted(comps.items())))
        for s, comps in sorted(systems.items()))


# --- public API -------------------------------------------------------------------------------


def explain(portions: Iterable[Marking], *, as_of: _dt.date | None = None,
            rel_to: Sequence[str] | None = None) -> Rollup:
    """Roll up ``portions`` and say why the result is NOFORN (see :class:`Rollup`).

    ``rel_to`` is the list a bare ``REL`` portion stands for (normally the banner's REL TO
    list); without it a bare ``REL`` constrains nothing.
    """
    abbrev = frozenset(rel_to) if rel_to else None
    acc: _Acc | None = None
    seen: dict[int, Marking] = {}  # holds the markings, so an id cannot be reused
    for m in portions:
        # the join is idempotent: a marking seen before (parsed markings are shared
        # objects, one per distinct mark) cannot change the result
        if id(m) in seen:
            continue
        seen[id(m)] = m
        a = _to_acc(m, as_of, abbrev)
        acc = a if acc is None else _join(acc, a)
    if acc is None:
        raise ValueError("rollup() needs at least one portion marking")
    return _finalise(acc, as_of)


def rollup(portions: Iterable[Marking], *, as_of: _dt.date | None = None,
           compilation: bool = False, rel_to: Sequence[str] | None = None) -> Marking:
    """The banner marking that ``portions`` require (CAPCO §D.2; catalogue A01-A19).

    ``as_of`` selects tetragraph membership (the document date). ``compilation`` does not
    change the required minimum; it only widens what :func:`compare` accepts (a higher
    level, a shorter REL TO list), and is accepted here for symmetry.
    """
    del compilation
    return explain(portions, as_of=as_of, rel_to=rel_to).marking


# --- overall marking of a document ------------------------------------------------------------

_CAPTION_MAP = {
    "NOFORN": ("dissem", "NOFORN"),
    "NOT RELEASABLE TO FOREIGN NATIONALS": ("dissem", "NOFORN"),
    "EXDIS": ("nonic", "EXDIS"),
    "NODIS": ("nonic", "NODIS"),
    "SENSITIVE": ("nonic", "SBU"),
    "SENSITIVE BUT UNCLASSIFIED": ("nonic", "SBU"),
    "SBU": ("nonic", "SBU"),
}


def caption_controls(text: str) -> tuple[str, str] | None:
    """The marking a State caption stands for, e.g. ``EXDIS`` -> ``("nonic", "EXDIS")``.

    SIPDIS, LIMDIS (a State distribution caption, not NGA LIMDIS) and ``FOR ...`` lines are
    distribution captions, not markings: ``None``.
    """
    t = " ".join(text.upper().split())
    if len(t) > 2 and all(len(w) == 1 for w in t.split()):  # spaced letters: N O D I S
        t = t.replace(" ", "")
    return _CAPTION_MAP.get(t)


def overall_marking(doc: Document) -> Marking | None:
    """The document's own overall marking: the first top banner, merged with cable captions."""
    banner = next((b for b in doc.banners if b.position == "top" and b.marking is not None),
                  None)
    if banner is None or banner.marking is None:
        return None
    m = banner.marking
    if not doc.captions:
        return m
    dissem = list(m.dissem)
    nonic = list(m.nonic)
    for cap in doc.captions:
        hit = caption_controls(cap.text)
        if hit is None:
            continue
        field, ident = hit
        if ident == "SBU" and m.level > Level.U:
            continue  # SENSITIVE on a classified cable is not an SBU banner control
        target = dissem if field == "dissem" else nonic
        if ident not in target:
            target.append(ident)
    if "NODIS" in nonic and "EXDIS" in nonic:
        pass  # keep both: the conflict is reported, not hidden
    return m.model_copy(update={"dissem": tuple(dissem), "nonic": tuple(nonic)})


# --- comparing an expected banner with an actual one -----------------------------------------


@dataclass(frozen=True)
class Difference:
    """One difference between the required and the actual banner, by category.

    ``category``: ``level``, ``noforn``, ``rel-to``, ``relido``, ``display-only``, ``eyes``,
    ``dissem``, ``sci``, ``sap``, ``aea``, ``fgi``, ``nonic``. ``missing`` are tokens the
    portions require and the banner lacks; ``extra`` the reverse. ``detail`` is
    ``lower``/``higher`` for ``level`` and ``subset``/``superset``/``differs`` for lists.
    """

    category: str
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    detail: str = ""


def _sci_tokens(m: Marking) -> frozenset[str]:
    out: set[str] = set()
    for s in m.sci:
        out.add(s.system)
        for c in s.compartments:
            out.add(f"{s.system}-{c.name}")
            for sub in c.subs:
                out.add(f"{s.system}-{c.name} {sub}")
    return frozenset(out)


def _us_level(m: Marking) -> Level:
    return Level.C if (m.level == Level.R and m.is_us) else m.level


def compare(expected: Marking, actual: Marking, *, compilation: bool = False,
            as_of: _dt.date | None = None) -> list[Difference]:
    """Per-category differences between the required banner and the actual one.

    With ``compilation`` a higher level and a shorter REL TO / DISPLAY ONLY list are accepted.
    """
    from markings.codes import expand_codes, sort_codes

    out: list[Difference] = []
    el, al = expected.level, actual.level
    if al < el:
        out.append(Difference("level", detail="lower"))
    elif al > el and not compilation:
        out.append(Difference("level", detail="higher"))

    exp_nf, act_nf = expected.has("NOFORN"), actual.has("NOFORN")
    if exp_nf != act_nf:
        out.append(Difference("noforn", missing=("NOFORN",) if exp_nf else (),
                              extra=("NOFORN",) if act_nf else ()))

    def _list_diff(cat: str, exp: Sequence[str], act: Sequence[str], exp_on: bool,
                   act_on: bool) -> None:
        if not exp_on and not act_on:
            return
        e = expand_codes(exp, as_of) - {"USA"}
        a = expand_codes(act, as_of) - {"USA"}
        if exp_on and act_on and (e == a or not exp or not act):
            return  # equal, or one side is a bare abbreviation we cannot resolve
        if exp_on and act_on and a < e and compilation:
            return
        detail = ("missing" if not act_on else "extra" if not exp_on
                  else "subset" if a < e else "superset" if a > e else "differs")
        out.append(Difference(cat, missing=sort_codes(e - a), extra=sort_codes(a - e),
                              detail=detail))

    _list_diff("rel-to", expected.rel_to, actual.rel_to, has_rel(expected), has_rel(actual))
    _list_diff("display-only", expected.display_only, actual.display_only,
               has_display(expected), has_display(actual))
    _list_diff("eyes", expected.eyes, actual.eyes, has_eyes(expected), has_eyes(actual))
    if expected.has("RELIDO") != actual.has("RELIDO"):
        out.append(Difference("relido", missing=("RELIDO",) if expected.has("RELIDO") else (),
                              extra=("RELIDO",) if actual.has("RELIDO") else ()))

    def _set_diff(cat: str, exp: Iterable[str], act: Iterable[str],
                  order: Sequence[str] = ()) -> None:
        e, a = set(exp), set(act)
        if e != a:
            out.append(Difference(cat, missing=_order(e - a, order), extra=_order(a - e, order)))

    _set_diff("dissem", (d for d in expected.dissem if d not in FDR_IDS),
              (d for d in actual.dissem if d not in FDR_IDS), DISSEM_ORDER)
    _set_diff("sci", _sci_tokens(expected), _sci_tokens(actual))
    _set_diff("sap", expected.sap, actual.sap)
    _set_diff("aea", expected.aea, actual.aea, AEA_ORDER)
    _set_diff("nonic", expected.nonic, actual.nonic, NONIC_ORDER)
    if actual.is_us or expected.is_us:
        ef, af = expected.fgi, actual.fgi
        if (ef is None) != (af is None) or (ef is not None and af is not None
                                            and set(ef) != set(af)):
            out.append(Difference(
                "fgi", missing=tuple(sorted(set(ef or ()) - set(af or ()))) or (
                    ("FGI",) if ef is not None and af is None else ()),
                extra=tuple(sorted(set(af or ()) - set(ef or ()))) or (
                    ("FGI",) if af is not None and ef is None else ()),
                detail="concealed" if ef == () and af else ""))
    return out


# --- rendering helpers for messages -----------------------------------------------------------


def render_tokens(m: Marking) -> str:
    """Banner text for messages: the renderer's output, or a plain fallback."""
    try:
        return m.banner()
    except Exception:  # the renderer is another module; never let a message crash a rule
        return _fallback_banner(m)


def _fallback_banner(m: Marking) -> str:
    if m.joint:
        head = f"//JOINT {m.level.title} {' '.join(m.joint)}"
    elif m.owner == "NATO":
        from markings.model import LEVEL_TITLES

        head = "//" + {Level.TS: "COSMIC TOP SECRET"}.get(m.level, f"NATO {LEVEL_TITLES[m.level]}")
    elif m.owner:
        head = f"//{m.owner} {m.level.title}"
    else:
        head = m.level.title
    cats: list[str] = []
    if m.sci:
        parts = []
        for s in m.sci:
            t = s.system
            for c in s.compartments:
                t += f"-{c.name}" + "".join(f" {x}" for x in c.subs)
            parts.append(t)
        cats.append("/".join(parts))
    if m.sap:
        cats.append("SAR-" + "/".join(m.sap))
    if m.aea:
        cats.append("/".join(m.aea))
    if m.fgi is not None:
        cats.append(" ".join(("FGI", *m.fgi)))
    ds = []
    for d in m.dissem:
        if d == "REL TO":
            ds.append("REL TO " + ", ".join(m.rel_to) if m.rel_to else "REL")
        elif d == "DISPLAY ONLY":
            ds.append("DISPLAY ONLY " + ", ".join(m.display_only))
        elif d == "EYES ONLY":
            ds.append("/".join(m.eyes) + " EYES ONLY")
        else:
            ds.append(d)
    if ds:
        cats.append("/".join(ds))
    if m.nonic:
        cats.append("/".join(m.nonic))
    return "//".join([head, *cats])


__all__ += ["caption_controls", "has_eyes", "has_display", "has_fdr", "has_rel",
            "implies_noforn_sci", "is_plain_unclassified"]
