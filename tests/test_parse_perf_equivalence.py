"""The parser's speed-ups (per-category/per-tail caches, fast REL TO continuation, suggestion
prefilter) must not change any result.

Reference: the same parser with ``_PIECE_CACHES = False`` (every string through the full
interpreter) and ``difflib.get_close_matches`` for suggestions. Compared: every field of the
Marking (raw, kind, style, deviations with their canonical forms ...), the fields-set, the
canonical banner and portion renderings, and for errors the message, position, token and
suggestion.
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import markings.parse as P
from markings import vocab as V
from markings.model import MarkingSyntaxError

ROOT = Path(__file__).resolve().parents[1]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "bench" / "bench_parse.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("bench_parse", mod)
    spec.loader.exec_module(mod)
    return mod


def _outcome(text: str, kind):
    try:
        m = P._parse_uncached(text, kind)
    except MarkingSyntaxError as e:
        return ("error", e.message, e.text, e.position, e.expected, e.suggestion, e.token)
    dump = dict(m.__dict__)
    return ("ok", dump, set(m.model_fields_set), m.banner(), m.portion(),
            tuple(d.model_dump() for d in m.deviations))


def _reference(text: str, kind):
    old = P._PIECE_CACHES
    P._PIECE_CACHES = False
    try:
        return _outcome(text, kind)
    finally:
        P._PIECE_CACHES = old


def _check(text: str, kind=None) -> None:
    ref = _reference(text, kind)
    # cold pieces, then warm pieces (the second parse reads the per-piece caches)
    assert _outcome(text, kind) == ref, text
    assert _outcome(text, kind) == ref, text


def test_bench_synthetic_and_variants_equal_reference() -> None:
    bench = _bench_module()
    P.parse_cache_clear()
    strings = bench.synthetic_strings(20000)
    for s in strings:
        _check(s)
    # the same pieces in other combinations: lower case, padding, reordered, mixed
    for s in strings[::37]:
        for v in (s.lower(), s.replace("//", " // "), s.replace("REL TO USA, ", "REL TO "),
                  s.replace(", ", ","), s + "//NOFORN", s.replace("//", "/"),
                  s.replace("REL TO USA", "REL TO USA, GBR, USA")):
            _check(v)
            _check(v, "banner")
            _check(v, "portion")


def test_corpus_strings_equal_reference() -> None:
    bench = _bench_module()
    folder = ROOT.parent / "shared" / "corpus" / "cables"
    if not folder.is_dir():
        pytest.skip("corpus not present")
    P.parse_cache_clear()
    for s in dict.fromkeys(bench.corpus_strings(folder)):
        _check(s)


_ITEMS = st.sampled_from([
    "NOFORN", "NF", "ORCON", "OC", "EXDIS", "XD", "NODIS", "LIMDIS", "RELIDO", "REL TO USA",
    "REL TO USA, GBR", "REL TO GBR, USA", "REL TO USA, FVEY", "REL TO USA, NATO, AUS",
    "REL TO USA, GBR, GBR", "REL TO UK", "REL", "EYES", "USA/GBR EYES ONLY", "GBR EYES ONLY",
    "SI", "SI-G ABCD", "TK", "HCS", "HCS-P", "SI/TK", "TK/SI", "RD", "RD-CNWDI", "FRD",
    "SIGMA 14", "SG 1 2", "FGI DEU", "FGI GBR DEU", "SAR-ABC", "SAR-BP", "DISPLAY ONLY IRQ",
    "FOUO", "PROPIN", "SBU", "LES", "ATOMAL", "20351231", "OADR", "SECRET", "ABCX", "GBR",
    "AUS", "NOFRN", "RELIDO/NOFORN", "REL TO USA, ESP, POL", "DSEN", "IMCON", "SBU NOFORN",
    "FISA", "XYZ-1", "ORCON-USGOV", "X1", "UNCLASSIFIED", "NATO SECRET",
])
_HEADS = st.sampled_from(["TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "TS", "S",
                          "C", "U", "R", "RESTRICTED", "NATO SECRET", "UNCLAS", "//GBR S",
                          "S E C R E T", "JOINT S USA GBR"])


@st.composite
def _markings(draw) -> str:
    head = draw(_HEADS)
    cats = draw(st.lists(st.lists(_ITEMS, min_size=1, max_size=3).map("/".join),
                         min_size=0, max_size=4))
    body = "//".join([head, *cats])
    form = draw(st.sampled_from(["banner", "portion", "lower", "padded"]))
    if form == "portion":
        return f"({body})"
    if form == "lower":
        return body.lower()
    if form == "padded":
        return f"( {body} )"
    return body


@settings(max_examples=3000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_markings(), st.sampled_from([None, "banner", "portion"]))
def test_random_markings_equal_reference(text: str, kind) -> None:
    _check(text, kind)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVXYZ -", min_size=0, max_size=16),
       st.sampled_from(["banner", "portion"]))
def test_suggestion_equals_difflib(token: str, kind: str) -> None:
    expected = difflib.get_close_matches(token, V.vocabulary(kind), n=1, cutoff=0.6)
    assert P._close(token, kind) == (expected[0] if expected else None)
