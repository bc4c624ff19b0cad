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
_CODES = ["AUS", "CAN", "DEU", "GBR", "NZL", "FVEY", "NATO"]


@st.composite
def canonical_marking(draw: st.DrawFn) -> tuple[str, str]:
    """A canonical (banner, portion) pair built from the vocabulary in Register order."""
    level = draw(st.sampled_from(["TOP SECRET", "SECRET", "CONFIDENTIAL"]))
    abbr = {"TOP SECRET": "TS", "SECRET": "S", "CONFIDENTIAL": "C"}[level]
    bcats, pcats = [level], [abbr]
    sci = draw(st.lists(st.sampled_from(["HCS-P", "SI", "SI-G ABCD", "TK"]), unique_by=lambda s: s[:2],
                        max_size=2))
    if sci:
        s = "/".join(sorted(sci))
        bcats.append(s)
        pcats.append(s)
    d = sorted(draw(st.lists(st.sampled_from(_DISSEM), unique=True, max_size=3)),
               key=lambda t: V.REGISTER_INDEX[t.id])
    rel = sorted(draw(st.lists(st.sampled_from(_CODES), unique=True, max_size=3)),
                 key=V.code_sort_key)
    btoks = [t.banner for t in d]
    ptoks = [t.portion for t in d]
    if rel and not any(t.id == "NOFORN" for t in d):
        idx = sum(1 for t in d if V.REGISTER_INDEX[t.id] < V.REGISTER_INDEX["REL TO"])
        btoks.insert(idx, "REL TO " + ", ".join(["USA", *rel]))
        ptoks.insert(idx, "REL TO " + ", ".join(["USA", *rel]))
    if btoks:
        bcats.append("/".join(btoks))
        pcats.append("/".join(ptoks))
    n = sorted(draw(st.lists(st.sampled_from(V.NONIC[:8]), unique=True, max_size=2)),
               key=lambda t: V.REGISTER_INDEX[t.id])
    if n:
        bcats.append("/".join(t.banner for t in n))
        pcats.append("/".join(t.portion for t in n))
    return "//".join(bcats), "(" + "//".join(pcats) + ")"


@settings(max_examples=200, deadline=None)
@given(canonical_marking())
def test_round_trip(pair: tuple[str, str]) -> None:
    banner, portion = pair
    b = parse_banner(banner)
    p = parse_portion(portion)
    assert b.deviations == () and p.deviations == ()
    assert b.banner() == banner and p.portion() == portion
    assert b == p and b.portion() == portion
