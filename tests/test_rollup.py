"""Unit tests and properties of markings.rollup."""

from __future__ import annotations

import datetime as _dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings.document import Banner, Caption, Document
from markings.findings import Span
from markings.model import Level, Marking, SciCompartment, SciSystem
from markings.parse import parse_marking
from markings.rollup import compare, explain, overall_marking, rollup


def roll(*portions: str, **kw: object) -> str:
    return rollup([parse_marking(p) for p in portions], **kw).banner()  # type: ignore[arg-type]


@pytest.mark.parametrize(("portions", "banner"), [
    (("(C)", "(S//NF)"), "SECRET//NOFORN"),
    (("(C)", "(U)"), "CONFIDENTIAL"),
    (("(S//REL TO USA, AUS, GBR)", "(S//REL TO USA, GBR, NZL)"), "SECRET//REL TO USA, GBR"),
    (("(S//REL TO USA, AUS)", "(S//REL TO USA, JPN)"), "SECRET//NOFORN"),
    (("(S//REL TO USA, FVEY)", "(U)"), "SECRET//REL TO USA, FVEY"),
    (("(S//REL TO USA, FVEY)", "(S//REL TO USA, GBR, JPN)"), "SECRET//REL TO USA, GBR"),
    (("(S//REL TO USA, JPN)", "(C)"), "SECRET//NOFORN"),
    (("(S//RELIDO)", "(S//REL TO USA, AUS, CAN/RELIDO)"), "SECRET//RELIDO"),
    (("(S//RELIDO)", "(S//REL TO USA, AUS)"), "SECRET//NOFORN"),
    (("(S//DISPLAY ONLY AFG)", "(S//DISPLAY ONLY IRQ)"), "SECRET//NOFORN"),
    (("(TS//OC/NF)", "(S//OC-USGOV/NF)"), "TOP SECRET//ORCON/NOFORN"),
    (("(S//OC-USGOV/NF)",), "SECRET//ORCON-USGOV/NOFORN"),
    (("(U//FOUO)", "(U//NF/PR)"), "UNCLASSIFIED//NOFORN/PROPIN"),
    (("(U//FOUO)", "(U)"), "UNCLASSIFIED//FOUO"),
    (("(S)", "(U//FOUO)"), "SECRET"),
    (("(S//NF)", "(U//SBU)"), "SECRET//NOFORN"),
    (("(U//SBU)", "(U//SBU-NF)"), "UNCLASSIFIED//SBU NOFORN"),
    (("(S)", "(U//SBU-NF)"), "SECRET//NOFORN"),
    (("(S//NF//XD)", "(C//NF//ND)"), "SECRET//NOFORN//NODIS"),
    (("(S//NF//LES)",), "SECRET//NOFORN//LES"),
    (("(//GBR S//NF)", "(S//NF)"), "SECRET//FGI GBR//NOFORN"),
    (("(//FGI S)", "(//GBR C)"), "SECRET//FGI"),
    (("(//NR)", "(U)"), "CONFIDENTIAL//FGI NATO"),
    (("(TS//SI//NF)", "(S//TK//NF)"), "TOP SECRET//SI/TK//NOFORN"),
    (("(S//RD)", "(S//FRD)"), "SECRET//RD"),
    (("(S//TK-BLFH)",), "SECRET//TK-BLFH//NOFORN"),
])
def test_rollup_examples(portions: tuple[str, ...], banner: str) -> None:
    assert roll(*portions) == banner


def test_tetragraph_membership_uses_document_date() -> None:
    ps = ("(S//REL TO USA, TEYE)", "(S//REL TO USA, AUS, CAN)")
    assert roll(*ps, as_of=_dt.date(2010, 1, 1)) == "SECRET//REL TO USA, CAN"
    assert roll(*ps, as_of=_dt.date(2023, 1, 1)) == "SECRET//REL TO USA, AUS"


def test_explain_names_the_noforn_reason() -> None:
    def why(*ps: str) -> str | None:
        return explain([parse_marking(p) for p in ps]).nf_reason
    assert why("(S//NF)") == "noforn"
    assert why("(S//REL TO USA, GBR)", "(C)") == "fdr-missing"
    assert why("(S//REL TO USA, GBR)", "(S//RELIDO)") == "relido-mix"
    assert why("(S//REL TO USA, GBR)", "(S//REL TO USA, JPN)") == "relto-empty"
    assert why("(S//DISPLAY ONLY AFG)", "(S//DISPLAY ONLY IRQ)") == "display-only"
    assert why("(S)", "(C)") is None


def test_rollup_needs_a_portion() -> None:
    with pytest.raises(ValueError):
        rollup([])


def test_compare_reports_each_category() -> None:
    exp = parse_marking("TOP SECRET//SI/TK//ORCON/NOFORN")
    act = parse_marking("SECRET//SI//REL TO USA, GBR")
    cats = {d.category for d in compare(exp, act)}
    assert cats == {"level", "noforn", "rel-to", "sci", "dissem"}
    assert compare(exp, exp) == []
    assert compare(parse_marking("SECRET//REL TO USA, FVEY"),
                   parse_marking("SECRET//REL TO USA, AUS, CAN, GBR, NZL")) == []


def test_overall_marking_merges_cable_captions() -> None:
    b = Banner(text="SECRET", span=Span(), marking=parse_marking("SECRET"))
    caps = [Caption(text=t, span=Span()) for t in ("NOFORN", "SIPDIS", "EXDIS", "LIMDIS")]
    m = overall_marking(Document(path="c", banners=[b], captions=caps))
    assert m is not None and m.banner() == "SECRET//NOFORN//EXDIS"
    u = Banner(text="UNCLAS", span=Span(), marking=parse_marking("UNCLASSIFIED"))
    m2 = overall_marking(Document(path="c", banners=[u],
                                  captions=[Caption(text="SENSITIVE", span=Span())]))
    assert m2 is not None and m2.banner() == "UNCLASSIFIED//SBU"
    assert overall_marking(Document(path="c")) is None


# --- properties --------------------------------------------------------------------------

_CODES = ("AUS", "CAN", "GBR", "JPN", "NZL", "FVEY", "TEYE", "NATO")
_SCI = (SciSystem(system="SI"), SciSystem(system="TK"),
        SciSystem(system="SI", compartments=(SciCompartment(name="G", subs=("ABCD",)),)),
        SciSystem(system="HCS", compartments=(SciCompartment(name="P"),)))


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    level = draw(st.sampled_from([Level.U, Level.C, Level.S, Level.TS, Level.R]))
    owner = draw(st.sampled_from([None, None, None, "GBR", "DEU", "NATO", "FGI", "JOINT"]))
    joint: tuple[str, ...] = ()
    if owner == "JOINT":
        owner = None
        joint = tuple(sorted({"USA", *draw(st.sets(st.sampled_from(["CAN", "GBR", "AUS"]),
                                                   min_size=1, max_size=2))}))
    if level == Level.R and owner is None:
        owner = "NATO"
    fdr = draw(st.sampled_from(["none", "nf", "rel", "relido", "rel+relido", "disp", "abbrev",
                                "eyes"]))
    dissem = list(draw(st.sets(st.sampled_from(
        ["FOUO", "ORCON", "ORCON-USGOV", "IMCON", "PROPIN", "FISA", "RSEN", "LACONIC"]),
        max_size=2)))
    rel: tuple[str, ...] = ()
    disp: tuple[str, ...] = ()
    eyes: tuple[str, ...] = ()
    if fdr == "nf":
        dissem.append("NOFORN")
    if fdr in ("rel", "rel+relido"):
        dissem.append("REL TO")
        rel = ("USA", *draw(st.sets(st.sampled_from(_CODES), min_size=1, max_size=3)))
    if fdr in ("relido", "rel+relido"):
        dissem.append("RELIDO")
    if fdr == "disp":
        dissem.append("DISPLAY ONLY")
        disp = tuple(draw(st.sets(st.sampled_from(_CODES[:5]), min_size=1, max_size=2)))
    if fdr == "abbrev":
        dissem.append(draw(st.sampled_from(["REL TO", "EYES ONLY"])))
    if fdr == "eyes":
        dissem.append("EYES ONLY")
        eyes = ("USA", *sorted(draw(st.sets(st.sampled_from(["AUS", "CAN", "GBR", "NZL"]),
                                            min_size=1, max_size=2))))
    nonic = tuple(draw(st.sets(st.sampled_from(
        ["EXDIS", "NODIS", "SBU", "SBU NOFORN", "LES", "LES NOFORN", "SSI", "LIMDIS"]),
        max_size=2)))
    fgi = draw(st.sampled_from([None, None, (), ("DEU",), ("FRA", "DEU"), ("NATO",)]))
    return Marking(kind="portion", level=level, owner=owner, joint=joint, dissem=tuple(dissem),
                   rel_to=rel, rel_abbrev=fdr == "abbrev", display_only=disp, eyes=eyes,
                   nonic=nonic, fgi=fgi,
                   nato_controls=("ATOMAL",) if owner == "NATO" and draw(st.booleans()) else (),
                   sci=tuple(draw(st.sets(st.sampled_from(_SCI), max_size=2))),
                   sap=tuple(draw(st.sets(st.sampled_from(["ABC", "DEF"]), max_size=1))),
                   aea=tuple(draw(st.sets(st.sampled_from(["RD", "FRD", "DOD UCNI"]),
                                          max_size=1))))


_lists = st.lists(markings(), min_size=1, max_size=4)
# Roll-ups fed back into the roll-up, through the public API only: a banner computed for
# some portions must stand for them when rolled up with more (sections, compilations).
_rolled = _lists.map(rollup)


@settings(max_examples=200, deadline=None)
@given(_lists, st.randoms(use_true_random=False))
def test_rollup_is_commutative(ms: list[Marking], rnd: object) -> None:
    shuffled = list(ms)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rollup(ms) == rollup(shuffled)


@settings(max_examples=200, deadline=None)
@given(_rolled, _rolled)
def test_rollup_of_rollups_is_commutative(x: Marking, y: Marking) -> None:
    assert rollup([x, y]) == rollup([y, x])


@settings(max_examples=200, deadline=None)
@given(_lists)
def test_rollup_is_idempotent(ms: list[Marking]) -> None:
    assert rollup(ms + ms) == rollup(ms)
    assert rollup([*ms, ms[0]]) == rollup(ms)
    top = rollup(ms)
    assert rollup([top]) == top
    assert rollup([top, top]) == top
    assert rollup([top, *ms]) == top


@settings(max_examples=300, deadline=None)
@given(_lists, _lists, _lists)
def test_rollup_is_associative(a: list[Marking], b: list[Marking], c: list[Marking]) -> None:
    ra, rb, rc = rollup(a), rollup(b), rollup(c)
    whole = rollup(a + b + c)
    assert rollup([rollup([ra, rb]), rc]) == whole
    assert rollup([ra, rollup([rb, rc])]) == whole
    assert rollup([ra, rb, rc]) == whole
    assert rollup([rollup(a + b), *c]) == whole


@pytest.mark.parametrize(("groups", "banner"), [
    # FGI inside foreign-owned portions survives an intermediate roll-up (A16)
    ((("(//NS)", "(//NC//FGI)"), ("(S)",)), "SECRET//FGI"),
    ((("(//GBR S//FGI DEU)",), ("(S)",)), "SECRET//FGI DEU GBR"),
    ((("(//GBR S//FGI DEU)",),), "//GBR SECRET//FGI DEU"),
    ((("(//JOINT S CAN USA)",), ("(C//FGI DEU)",)), "SECRET//FGI CAN DEU"),
])
def test_rollup_of_rollups_examples(groups: tuple[tuple[str, ...], ...], banner: str) -> None:
    parts = [rollup([parse_marking(p) for p in g]) for g in groups]
    assert rollup(parts).banner() == banner
    assert rollup([parse_marking(p) for g in groups for p in g]).banner() == banner


@settings(max_examples=150, deadline=None)
@given(_lists)
def test_rollup_never_lower_than_any_portion(ms: list[Marking]) -> None:
    top = rollup(ms)
    for m in ms:
        assert top.level >= m.level
        if m.has("NOFORN"):
            assert top.has("NOFORN")
        assert set(m.sap) <= set(top.sap)
        assert {s.system for s in m.sci} <= {s.system for s in top.sci}
