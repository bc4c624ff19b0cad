"""Rendering: canonical order, forms, and parse(render(m)) round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings import vocab as V
from markings.parse import parse_banner, parse_portion

CASES = [
    ("TOP SECRET//NOFORN/ORCON", "TOP SECRET//ORCON/NOFORN", "(TS//OC/NF)"),
    ("SECRET//REL TO USA, NATO, GBR, AUS", "SECRET//REL TO USA, AUS, GBR, NATO",
     "(S//REL TO USA, AUS, GBR, NATO)"),
    ("UNCLAS SENSITIVE", "UNCLASSIFIED//SBU", "(U//SBU)"),
    ("UNCLASSIFIED//SBU NOFORN", "UNCLASSIFIED//SBU NOFORN", "(U//SBU-NF)"),
    ("SECRET//FGI NATO GBR", "SECRET//FGI GBR NATO", "(S//FGI GBR NATO)"),
    ("SECRET//NOFORN//20291231", "SECRET//NOFORN//20291231", "(S//NF)"),
    ("TOP SECRET//TK/SI-G ABCD//NOFORN", "TOP SECRET//SI-G ABCD/TK//NOFORN", "(TS//SI-G ABCD/TK//NF)"),
]


@pytest.mark.parametrize(("text", "banner", "portion"), CASES, ids=[c[0] for c in CASES])
def test_render(text: str, banner: str, portion: str) -> None:
    m = parse_banner(text)
    assert m.banner() == banner and m.portion() == portion


_DISSEM = [t for t in V.DISSEM if t.id not in ("REL TO", "EYES ONLY", "DISPLAY ONLY")]
_CODES = ["AUS", "CAN", "DEU", "GBR", "NZL", "AX2", "XKS", "FVEY", "NATO", "EU",
          "AUSTRALIA_GROUP", "NATO:EAPC"]
_TRIGRAPHS = ["AFG", "DEU", "FRA", "GBR", "IRQ", "JPN"]
# (banner, portion) spellings of one AEA group, canonical
_AEA = [("RD", "RD"), ("RD-CNWDI", "RD-CNWDI"), ("FRD", "FRD"), ("RD-SIGMA 14", "RD-SG 14"),
        ("FRD-SIGMA 14 15", "FRD-SG 14 15"), ("RD/TFNI", "RD/TFNI"), ("DOD UCNI", "DCNI"),
        ("DOE UCNI", "UCNI"), ("TFNI", "TFNI")]
_LEVELS = [("TOP SECRET", "TS"), ("SECRET", "S"), ("CONFIDENTIAL", "C"), ("UNCLASSIFIED", "U")]


def _sorted_codes(codes: list[str], usa_first: bool) -> list[str]:
    return sorted(dict.fromkeys(codes), key=lambda c: V.code_sort_key(c, usa_first))


@st.composite
def canonical_marking(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A canonical (banner, portion, banner_ok) triple built from the vocabulary.

    Every category: US, non-US (country and NATO, RESTRICTED too) and JOINT classification,
    NATO controls, SCI, SAP, AEA, FGI (acknowledged and concealed), IC dissemination
    controls with REL TO, EYES ONLY and DISPLAY ONLY lists of trigraphs, X-codes and
    tetragraphs (incl. EU, AUSTRALIA_GROUP, NATO:...), non-IC controls, UNCLASSIFIED. With
    the portion abbreviations `REL` / `EYES` only the portion is canonical
    (``banner_ok`` False).
    """
    owner = draw(st.sampled_from(["US", "US", "US", "country", "NATO", "JOINT"]))
    level, abbr = draw(st.sampled_from(_LEVELS))
    if owner == "US":
        bcats, pcats = [level], [abbr]
    elif owner == "country":
        if draw(st.booleans()):
            level, abbr = "RESTRICTED", "R"
        c = draw(st.sampled_from(_TRIGRAPHS))
        bcats, pcats = [f"//{c} {level}"], [f"(//{c} {abbr}"[1:]]
    elif owner == "NATO":
        lv = draw(st.sampled_from(list(V.NATO_LEVELS.values())))
        bcats, pcats = ["//" + lv[0]], ["//" + lv[1]]
        nato = sorted(draw(st.sets(st.sampled_from(V.NATO_CONTROLS), max_size=2)),
                      key=V.NATO_CONTROLS.index)
        if nato:
            bcats.append("/".join(nato))
            pcats.append("/".join(nato))
    else:
        co = _sorted_codes(["USA", *draw(st.sets(st.sampled_from(["CAN", "GBR", "AUS"]),
                                                 min_size=1))], False)
        bcats, pcats = [f"//JOINT {level} {' '.join(co)}"], [f"//JOINT {abbr} {' '.join(co)}"]
    classified = level != "UNCLASSIFIED"

    def both(b: str, p: str | None = None) -> None:
        bcats.append(b)
        pcats.append(b if p is None else p)

    sci = draw(st.lists(st.sampled_from(["HCS-P", "SI", "SI-G ABCD", "TK", "TK-BLFH XYZ"]),
                        unique_by=lambda x: x[:2], max_size=2)) if classified else []
    if sci:
        both("/".join(sorted(sci)))
    sap = sorted(draw(st.sets(st.sampled_from(["ABC", "DEF", "XY-Z 1"]), max_size=2)))
    if sap and classified:
        both("SAR-" + "/".join(sap))
    if draw(st.booleans()):
        both(*draw(st.sampled_from(_AEA)))
    if owner == "US" and draw(st.booleans()):
        fgi = draw(st.sets(st.sampled_from(["DEU", "GBR", "NATO", "EU"]), max_size=2))
        both(" ".join(["FGI", *_sorted_codes(list(fgi), False)]))
    d = sorted(draw(st.lists(st.sampled_from(_DISSEM), unique=True, max_size=3)),
               key=lambda t: V.REGISTER_INDEX[t.id])
    btoks = [(V.REGISTER_INDEX[t.id], t.banner) for t in d]
    ptoks = [(V.REGISTER_INDEX[t.id], t.portion) for t in d]
    banner_ok = True
    fdr = draw(st.sampled_from(["none", "rel", "eyes", "abbrev-rel", "abbrev-eyes"]))
    if fdr == "rel":
        rel = "REL TO " + ", ".join(["USA", *_sorted_codes(
            draw(st.lists(st.sampled_from(_CODES), min_size=1, max_size=4)), True)])
        btoks.append((V.REGISTER_INDEX["REL TO"], rel))
        ptoks.append((V.REGISTER_INDEX["REL TO"], rel))
    elif fdr == "eyes":
        eyes = "/".join(["USA", *sorted(draw(st.sets(st.sampled_from(["AUS", "CAN", "GBR",
                                                                        "NZL"]), min_size=1)))])
        btoks.append((V.REGISTER_INDEX["EYES ONLY"], eyes + " EYES ONLY"))
        ptoks.append((V.REGISTER_INDEX["EYES ONLY"], eyes + " EYES ONLY"))
    elif fdr.startswith("abbrev"):
        cid, word = ("REL TO", "REL") if fdr == "abbrev-rel" else ("EYES ONLY", "EYES")
        btoks.append((V.REGISTER_INDEX[cid], word))
        ptoks.append((V.REGISTER_INDEX[cid], word))
        banner_ok = False
    if draw(st.booleans()):
        disp = "DISPLAY ONLY " + ", ".join(_sorted_codes(
            draw(st.lists(st.sampled_from(_TRIGRAPHS + ["NATO"]), min_size=1, max_size=3)),
            False))
        btoks.append((V.REGISTER_INDEX["DISPLAY ONLY"], disp))
        ptoks.append((V.REGISTER_INDEX["DISPLAY ONLY"], disp))
    if btoks:
        both("/".join(t for _, t in sorted(btoks)), "/".join(t for _, t in sorted(ptoks)))
    n = sorted(draw(st.lists(st.sampled_from(V.NONIC[:8]), unique=True, max_size=2)),
               key=lambda t: V.REGISTER_INDEX[t.id])
    if n:
        both("/".join(t.banner for t in n), "/".join(t.portion for t in n))
    return "//".join(bcats), "(" + "//".join(pcats) + ")", banner_ok


@settings(max_examples=500, deadline=None)
@given(canonical_marking())
def test_round_trip(triple: tuple[str, str, bool]) -> None:
    banner, portion, banner_ok = triple
    p = parse_portion(portion)
    assert p.deviations == ()
    assert p.portion() == portion
    assert parse_portion(p.portion()) == p
    b_text = p.banner()
    assert " //" not in b_text and not b_text.endswith(" ") and ", /" not in b_text + "/"
    if banner_ok:
        b = parse_banner(banner)
        assert b.deviations == ()
        assert b.banner() == banner and b == p and b.portion() == portion
        assert b_text == banner
    else:  # `REL` / `EYES` in a banner: read back, and reported as a portion form
        b = parse_banner(b_text)
        assert b == p and {d.rule for d in b.deviations} == {"syntax-banner-form"}


@pytest.mark.parametrize(("text", "banner", "portion"), [
    ("(S//REL)", "SECRET//REL", "(S//REL)"),
    ("(TS//EYES)", "TOP SECRET//EYES", "(TS//EYES)"),
    ("(S//NF//REL)", "SECRET//NOFORN/REL", "(S//NF/REL)"),
    ("SECRET//REL TO", "SECRET//REL TO", "(S//REL TO)"),
    ("(S//EYES ONLY)", "SECRET//EYES ONLY", "(S//EYES ONLY)"),
    ("(S//DISPLAY ONLY)", "SECRET//DISPLAY ONLY", "(S//DISPLAY ONLY)"),
])
def test_no_dangling_list(text: str, banner: str, portion: str) -> None:
    """A REL TO / EYES ONLY / DISPLAY ONLY without a list renders without a trailing space."""
    from markings.parse import parse_marking
    from markings.combine import rollup

    m = parse_marking(text)
    assert m.banner() == banner and m.portion() == portion
    assert not rollup([m]).banner().endswith(" ")


@pytest.mark.parametrize(("portions", "banner"), [
    (("(S//REL)",), "SECRET//REL"),  # the list is not known here: the abbreviation stays
    (("(TS//EYES)",), "TOP SECRET//EYES"),
    (("(S//EYES ONLY)",), "SECRET//EYES"),
    (("(S//REL)", "(C//REL)"), "SECRET//REL"),
    (("(S//REL)", "(S//EYES)"), "SECRET//REL"),
    (("(S//NF//REL)",), "SECRET//NOFORN"),
])
def test_rollup_of_bare_abbreviations(portions: tuple[str, ...], banner: str) -> None:
    from markings.parse import parse_marking
    from markings.combine import rollup

    assert rollup([parse_marking(p) for p in portions]).banner() == banner
