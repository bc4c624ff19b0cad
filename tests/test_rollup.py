"""Unit tests and properties of the roll-up (markings.combine)."""

from __future__ import annotations

import datetime as _dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings.document import Banner, Caption, Document
from markings.findings import Span
from markings.model import Level, Marking, SciCompartment, SciSystem
from markings.parse import parse_marking
from markings.combine import compare, explain, overall_marking, rollup


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


# --- properties ---------------------------------------------------------------------------
#
# Markings are generated as *strings* and parsed, so the properties hold for what the parser
# produces (canonical order, names read as codes, USA put in front ...), with REL TO lists of
# up to six codes mixing trigraphs and tetragraphs (expanded by membership on the date given).

_TRI = ("AUS", "CAN", "GBR", "JPN", "NZL", "DEU", "FRA", "KOR")
_TETRA = ("FVEY", "TEYE", "NATO", "ACGU", "EU")
_DATES = st.sampled_from([None, _dt.date(2010, 1, 1), _dt.date(2015, 6, 1), _dt.date(2023, 1, 1)])


@st.composite
def marking_strings(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["U", "C", "S", "TS", "U", "C", "S", "TS", "//GBR S", "//DEU C",
                                 "//NS", "//NR", "//CTS", "//FGI S", "//JOINT S CAN USA",
                                 "//JOINT C AUS GBR USA"]))
    cats: list[str] = []
    if draw(st.integers(0, 3)) == 0:
        cats.append("/".join(draw(st.lists(st.sampled_from(
            ["SI", "TK", "SI-G ABCD", "SI-G EFGH", "SI-EU", "HCS-P"]), min_size=1, max_size=2))))
    if draw(st.integers(0, 4)) == 0:
        cats.append(draw(st.sampled_from(["SAR-ABC", "SAR-DEF", "SAR-ABC/DEF"])))
    if draw(st.integers(0, 4)) == 0:
        cats.append(draw(st.sampled_from(["RD", "FRD", "DCNI", "RD-CNWDI"])))
    if draw(st.integers(0, 3)) == 0:
        cats.append(draw(st.sampled_from(["FGI", "FGI DEU", "FGI DEU FRA", "FGI NATO"])))
    dissem = list(draw(st.sets(st.sampled_from(
        ["FOUO", "OC", "OC-USGOV", "IMC", "PR", "FISA", "RS", "LAC"]), max_size=2)))
    fdr = draw(st.sampled_from(["none", "nf", "rel", "rel", "rel", "relido", "rel+relido",
                                "disp", "abbrev", "eyes"]))
    if fdr == "nf":
        dissem.append("NF")
    if fdr in ("rel", "rel+relido"):
        codes = draw(st.lists(st.sampled_from(_TRI + _TETRA), min_size=1, max_size=6,
                              unique=True))
        dissem.append("REL TO " + ", ".join(["USA", *codes]))
    if fdr in ("relido", "rel+relido"):
        dissem.append("RELIDO")
    if fdr == "disp":
        codes = draw(st.lists(st.sampled_from(_TRI[:5]), min_size=1, max_size=3, unique=True))
        dissem.append("DISPLAY ONLY " + ", ".join(codes))
    if fdr == "abbrev":
        dissem.append(draw(st.sampled_from(["REL", "EYES"])))
    if fdr == "eyes":
        codes = draw(st.lists(st.sampled_from(["AUS", "CAN", "GBR", "NZL"]), min_size=1,
                              max_size=2, unique=True))
        dissem.append("/".join(["USA", *codes]) + " EYES ONLY")
    if dissem:
        cats.append("/".join(dissem))
    nonic = draw(st.sets(st.sampled_from(["XD", "ND", "SBU", "SBU-NF", "LES", "LES-NF", "SSI",
                                          "DS"]), max_size=2))
    if nonic:
        cats.append("/".join(nonic))
    return "(" + head + "".join("//" + c for c in cats) + ")"


def markings() -> st.SearchStrategy[Marking]:
    return marking_strings().map(parse_marking)


_lists = st.lists(markings(), min_size=1, max_size=4)


@settings(max_examples=600, deadline=None)
@given(_lists, st.randoms(use_true_random=False), _DATES)
def test_rollup_is_commutative(ms: list[Marking], rnd: object, as_of: _dt.date | None) -> None:
    shuffled = list(ms)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rollup(ms, as_of=as_of) == rollup(shuffled, as_of=as_of)


@settings(max_examples=600, deadline=None)
@given(_lists, _lists, _DATES)
def test_rollup_of_rollups_is_commutative(a: list[Marking], b: list[Marking],
                                          as_of: _dt.date | None) -> None:
    # roll-ups fed back into the roll-up, through the public API only: a banner computed
    # for some portions must stand for them when rolled up with more (sections)
    x, y = rollup(a, as_of=as_of), rollup(b, as_of=as_of)
    assert rollup([x, y], as_of=as_of) == rollup([y, x], as_of=as_of)


@settings(max_examples=600, deadline=None)
@given(_lists, _DATES)
def test_rollup_is_idempotent(ms: list[Marking], as_of: _dt.date | None) -> None:
    def r(xs: list[Marking]) -> Marking:
        return rollup(xs, as_of=as_of)
    assert r(ms + ms) == r(ms)
    assert r([*ms, ms[0]]) == r(ms)
    top = r(ms)
    assert r([top]) == top
    assert r([top, top]) == top
    assert r([top, *ms]) == top


@settings(max_examples=600, deadline=None)
@given(_lists, _lists, _lists, _DATES)
def test_rollup_is_associative(a: list[Marking], b: list[Marking], c: list[Marking],
                               as_of: _dt.date | None) -> None:
    def r(xs: list[Marking]) -> Marking:
        return rollup(xs, as_of=as_of)
    ra, rb, rc = r(a), r(b), r(c)
    whole = r(a + b + c)
    assert r([r([ra, rb]), rc]) == whole
    assert r([ra, r([rb, rc])]) == whole
    assert r([ra, rb, rc]) == whole
    assert r([r(a + b), *c]) == whole
    # the banner text too (equality is by meaning; rendering must agree with it)
    assert r([r([ra, rb]), rc]).banner() == whole.banner()


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


@settings(max_examples=400, deadline=None)
@given(_lists, _DATES)
def test_rollup_never_lower_than_any_portion(ms: list[Marking], as_of: _dt.date | None) -> None:
    top = rollup(ms, as_of=as_of)
    for m in ms:
        assert top.level >= m.level
        if m.has("NOFORN"):
            assert top.has("NOFORN")
        assert set(m.sap) <= set(top.sap)
        assert {s.system for s in m.sci} <= {s.system for s in top.sci}


# --- the canonical form of one marking is its roll-up ------------------------------------

def _consistent(m: Marking) -> bool:
    """No group A-II conflict that the roll-up resolves by a precedence rule (those markings
    are wrong, and their roll-up is rightly not the marking as written)."""
    from markings.combine import has_display, has_eyes, has_rel, implies_noforn_sci

    ids = set(m.dissem) | set(m.nonic) | set(m.aea)
    fdr = has_rel(m) or has_display(m) or has_eyes(m) or "RELIDO" in ids
    needs_nf = implies_noforn_sci(m.sci) or ids & {"EXDIS", "NODIS"} or (
        ids & {"SBU NOFORN", "LES NOFORN"} and (m.is_classified or fdr))
    return not (
        m.owner == "FGI"  # concealed source: rolls up to the US banner `LEVEL//FGI` (A16)
        or needs_nf and "NOFORN" not in ids or "NOFORN" in ids and fdr
        or ids & {"SBU NOFORN", "LES NOFORN"} and "NOFORN" in ids
        or m.is_classified and ids & {"FOUO", "SBU", "SBU NOFORN", "LIMDIS", "DOD UCNI",
                                      "DOE UCNI"}
        or "FOUO" in ids and len(ids - {"FOUO", "NOFORN", "REL TO", "RELIDO",
                                        "DISPLAY ONLY", "EYES ONLY"}) > 0
        or {"SBU", "SBU NOFORN"} <= ids or {"LES", "LES NOFORN"} <= ids
        or {"EXDIS", "NODIS"} <= ids
        or {"ORCON", "ORCON-USGOV"} <= ids or len(ids & {"RD", "FRD", "TFNI"}) > 1
        or "RELIDO" in ids and (has_display(m) or has_eyes(m) or not has_rel(m) and fdr
                                and "REL TO" in ids)
        or has_display(m) and has_rel(m) or has_eyes(m) and m.rel_abbrev
        or m.rel_abbrev)  # bare REL/EYES: the list is the banner's, unknown here


@pytest.mark.parametrize(("text", "banner"), [
    ("TOP SECRET//SI-EU/SI-NK", "TOP SECRET//SI-EU-NK"),
    ("TOP SECRET//SI-G ABCD/SI-G EFGH", "TOP SECRET//SI-G ABCD EFGH"),
    ("SECRET//FGI USA GBR", "SECRET//FGI GBR"),
    ("(S//FGI DEU USA)", "SECRET//FGI DEU"),
])
def test_rendering_merges_like_the_rollup(text: str, banner: str) -> None:
    m = parse_marking(text)
    assert m.banner() == banner
    assert rollup([m]).banner() == banner


@settings(max_examples=1000, deadline=None)
@given(marking_strings(), _DATES)
def test_rollup_of_one_marking_renders_as_the_marking(text: str, as_of: _dt.date | None) -> None:
    from hypothesis import assume

    m = parse_marking(text)
    assume(_consistent(m))
    assert rollup([m], as_of=as_of).banner() == m.banner(), text


def test_package_rollup_stays_the_function_after_submodule_imports() -> None:
    """``markings.rollup`` is the function, whatever was imported before (no module shadowing)."""
    import importlib

    import markings

    importlib.import_module("markings.combine")
    importlib.import_module("markings.engine")
    markings.check_text("SECRET\n\n(S) text.\n\nSECRET\n")
    m = markings.parse_marking("(S//NF)")
    assert callable(markings.rollup)
    assert markings.rollup([m]).banner() == "SECRET//NOFORN"
    assert markings.explain([m]).marking.banner() == "SECRET//NOFORN"
