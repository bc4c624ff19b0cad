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
import functools
import re
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


@functools.cache
def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "bench" / "bench_parse.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("bench_parse", mod)
    spec.loader.exec_module(mod)
    return mod


@functools.cache
def _corpus_scan() -> tuple[list[str], list[str]] | None:
    """(marking strings, authority lines) of the corpus, scanned once per test session."""
    folder = ROOT.parent / "shared" / "corpus" / "cables"
    return _bench_module().scan_corpus(folder) if folder.is_dir() else None


def _corpus_marks() -> list[str]:
    """Corpus marking strings followed by their derived variants (``corpus_strings``)."""
    scan = _corpus_scan()
    if scan is None:
        pytest.skip("corpus not present")
    return scan[0] + _bench_module().corpus_variants(scan[0])


def _corpus_auth() -> list[str]:
    scan = _corpus_scan()
    if scan is None:
        pytest.skip("corpus not present")
    return scan[1]


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
    strings = _corpus_marks()
    P.parse_cache_clear()
    for s in dict.fromkeys(strings):
        _check(s)


def test_same_body_in_other_forms_equal_reference() -> None:
    """Strings that normalise to one body share its reading (``_BODY_CACHE``): each form must
    still get its own raw text, deviations, style and canonical check."""
    P.parse_cache_clear()
    for body in ("SECRET/NOFORN", "SECRET//USA/GBR EYES ONLY", "SECRET//SAR-BP/SAR-ABC",
                 "C/REL TO USA, AUSTRALIA_GROUP", "SECRET//NOFORN//20350101",
                 "S/REL TO USA AND GBR", "SBU/NF", "UNCLAS SENSITIVE", "SECRET//NOFRN"):
        spaced = " ".join(body.split("/")[0].replace(" ", "")) + body[len(body.split("/")[0]):]
        for form in (body, spaced, body.lower(), spaced.lower(), body.replace("/", " / "),
                     body.title(), f"({body})", f"( {body} )", f"({body.lower()})", body):
            _check(form)
            _check(form, "banner")


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


# ------------------------------------------------------------------ authority lines
#
# The hand-written reader of authority lines (``_eo_fast``, ``_cb_fast``, ``_value_fast``)
# must return exactly what the Lark path returns: the reference is ``_AUTH_FAST = False``
# (Lark, then the regular-expression fallback for Classified By sentences Lark cannot read).


def _model_state(v):
    """Every field, recursively, with the fields-set of every model."""
    if hasattr(v, "model_fields_set"):
        return (type(v).__name__, frozenset(v.model_fields_set),
                tuple((k, _model_state(x)) for k, x in v.__dict__.items()))
    if isinstance(v, tuple):
        return tuple(_model_state(x) for x in v)
    return v


def _auth_outcome(fn, text: str):
    try:
        return ("ok", _model_state(fn(text)))
    except MarkingSyntaxError as e:
        return ("error", e.message, e.text, e.position, e.expected, e.suggestion, e.token)


_AUTH_FNS = {"line": lambda t: P.parse_authority_line.__wrapped__(t),
             "eo": P.parse_eo_line, "cb": P.parse_classified_by,
             "declass": lambda t: P.parse_declass.__wrapped__(t)}


def _auth_check(text: str, fns=("line",)) -> None:
    for name in fns:
        fn = _AUTH_FNS[name]
        P.parse_declass.cache_clear()
        got = _auth_outcome(fn, text)
        old = P._AUTH_FAST
        P._AUTH_FAST = False
        try:
            P.parse_declass.cache_clear()
            ref = _auth_outcome(fn, text)
        finally:
            P._AUTH_FAST = old
        assert got == ref, (name, text)


def test_authority_terminals_are_the_grammars() -> None:
    """The fast reader's patterns are the grammar's terminals, compiled the same way."""
    from markings.grammar import get_parser

    terms = {t.name: t.pattern.to_regexp() for t in get_parser().terminals}
    mine = {name[3:]: rx for name, rx in vars(P).items()
            if name.startswith("_T_") and name != "_T_IGNORE"}
    # (Classified By sentences are read by read_reasons, not by grammar terminals)
    assert set(mine) == {"EO_KW", "EO_NUMBER", "NA", "DECL_KW", "VALUE", "DERIVED_FROM",
                         "DECLASSIFY_ON"}
    for name, rx in mine.items():
        written = f"(?i:{rx.pattern})" if rx.flags & re.I else rx.pattern
        assert written == terms[name].replace("\n", "\\n"), name
    ignores = [t.pattern.value for t in get_parser().terminals if t.name.startswith("__IGNORE")]
    assert ignores == ["[ \t]+"]  # the reader skips [ \t]* between tokens


def test_corpus_authority_lines_equal_lark() -> None:
    auth = _corpus_auth()
    for s in dict.fromkeys(auth):
        _auth_check(s, ("line", "eo", "cb"))
        # the same line with other spacing, case, punctuation and line breaks
        for v in {s.upper(), s.lower(), s.replace(" ", "  "), s.replace(" ", "\t"),
                  s.replace("\n", " "), s.replace(" ", "\n", 3), s.rstrip(". ") + ".",
                  s.replace("(", "( ").replace(")", " )"), s.replace(":", " :"),
                  s.replace(": ", ":"), s.replace(",", " and "), s[: len(s) // 2]}:
            _auth_check(v)


_EO_PARTS = st.sampled_from([
    "E.O.", "EO", "E.O", "E. O.", "e.o.", "E.\nO.", "E O", "E.  O.", "12958", "12356",
    "1295", "129581", "13526", ":", "::", " :", "DECL", "DECL:", "DECLl:", "decl", "N/A",
    "n/a", "N/A.", "\\", "DNG: CO", "09/14/2015", "X1", "25X1, 20600101", "1/1/15",
    "OADR", "10/8/2019 TAGS: PREL", "2034/12/02", "Source marked OADR", "1.4 (B)",
    "DECLASSIFY", "N/AB", "\u00a0", "x",
])
_CB_PARTS = st.sampled_from([
    "Classified By", "CLASSIFIED BY", "Classified\nBy", "classified  by", "Classified Byline",
    ":", "::", "DCM Hugo Llorens", "Ambassador J. Thomas Schieffer,", "A", "for", "Per",
    "per", "PER", "Reason", "Reasons", "reason(s)", "REASON(S)", "Reasons:", "REASON:",
    "Treasons", "1.4", "1.5", "1. 4", "1 .4", "1,4", "1/4", "1\n.4", "1.\n4", "14", "2.4",
    "(b)", "b", "( b )", "(b", "b)", "(B,D)", "(b,d)", "d", "D", "(d)", "x", "(X6)", "h",
    "and", "AND", "And", "&", ",", ", ", "/", ".", ").", "Mr. Deputy Secretary:", "\u2019",
    "fo r", "Jr.", "1.4(b)", "(b)and(d)", "b,d", "a", "(a)", "i",
])
_GAPS = st.sampled_from(["", " ", " ", " ", "  ", "\t", "\n", " \n", ". ", "\r"])


@st.composite
def _auth_lines(draw, parts) -> str:
    pieces = draw(st.lists(parts, min_size=1, max_size=12))
    out = ""
    for p in pieces:
        out += draw(_GAPS) + p
    return out


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_auth_lines(_EO_PARTS))
def test_random_eo_lines_equal_lark(text: str) -> None:
    _auth_check(text, ("line", "eo"))


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["Classified By:", "CLASSIFIED BY", "Classified by", ""]),
       _auth_lines(_CB_PARTS))
def test_random_classified_by_equal_lark(head: str, text: str) -> None:
    _auth_check(head + " " + text, ("line", "cb"))
    _auth_check(head + text, ("line", "cb"))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["Derived From", "DERIVED FROM", "Derived\nFrom", "Declassify On",
                        "DECLASSIFY ON", "Declassify  on", "Derived", "Declassify Onward"]),
       st.text(alphabet=": \t\nX1/25X1,20600101OADRMultiple Sources.", max_size=30))
def test_random_value_lines_equal_lark(head: str, text: str) -> None:
    _auth_check(head + text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["1", "2", "0", "9", "19", "2015", "/", "//", " ", ".", "-",
                                 "\n", "DECL", ":", "N/A", "OADR", "X1", "25X1", "or", "\u0663",
                                 "13", "31", "02/30/2015", "20600101", "2034/12/02"]),
                max_size=8).map("".join))
def test_random_declass_values_equal_reference(text: str) -> None:
    _auth_check(text, ("declass",))


def _render_cases() -> list[str]:
    bench = _bench_module()
    strings = bench.synthetic_strings(3000)[::7]
    if _corpus_scan() is not None:
        strings += list(dict.fromkeys(_corpus_marks()))
    strings += ["S E C R E T//NOFORN", "(S/NF)", "(S, NF)", "SECRET//NOFORN//20350101",
                "UNCLAS SENSITIVE", "(SBU-N)", "JOINT S USA GBR//REL TO USA, GBR",
                "//GBR S//REL TO USA, GBR", "NATO SECRET//ATOMAL", "(S//REL)",
                "SECRET//SI-G ABCD/TK//RELIDO", "SECRET//FGI DEU GBR//NOFORN"]
    return strings


def test_rendering_ignores_what_the_render_memo_leaves_out() -> None:
    """``_RENDER_MEMO`` shares one canonical form between markings whose fields differ only
    in raw, style, deviations and span: rendering must not read those fields."""
    assert set(P.Marking.model_fields) - {"raw", "style", "deviations", "span"} == set(
        P._RENDER_KEY.__reduce__()[1])
    others = {"capco": "cable", "cable": "legacy", "legacy": "capco"}
    seen = 0
    for s in _render_cases():
        try:
            m = P.parse_marking(s)
        except MarkingSyntaxError:
            continue
        for style in ("capco", "cable", "legacy", others[m.style]):
            alt = m.model_copy(update={"raw": "(X)", "style": style, "span": None,
                                       "deviations": () if m.deviations else (
                                           P._dev("syntax-banner-form", "x", "y"),)})
            assert (alt.banner(), alt.portion()) == (m.banner(), m.portion()), s
        seen += 1
    assert seen > 100


def test_shared_fields_sets_are_not_changed_by_copies() -> None:
    """Authority models built by ``_built`` share one fields-set per set of field names; a
    copy with an update (the scanner adds spans so) must not change the shared set."""
    P.parse_cache_clear()
    a = P.parse_authority_line("E.O. 12958: DECL: 09/14/2015")
    b = P.parse_authority_line("E.O. 12356: DECL: OADR")
    before = set(b.model_fields_set)
    a2 = a.model_copy(update={"eo_span": None, "classified_by": True})
    d2 = a.decl.model_copy(update={"span": None})
    assert {"eo_span", "classified_by"} <= a2.model_fields_set
    assert "span" in d2.model_fields_set
    assert b.model_fields_set == before == a.model_fields_set
    assert "span" not in b.decl.model_fields_set


def test_shared_reasons_equal_lark() -> None:
    """Reasons are shared between lines (``_REASONS_MEMO``): every line read after another
    with the same reasons text still equals the reference."""
    P.parse_cache_clear()
    heads = ["Classified By: DCM Hugo Llorens for reasons ", "Classified by Ambassador X, ",
             "CLASSIFIED BY: A. B. REASON: ", "Classified By: Y, Reasons: ", "Reason: ",
             "Classified By: Pol/C Z\nfor ", "classified by: w per "]
    for reason in ("1.4 (b) and (d)", "1.4 (b,d)", "1.4(b)", "1.5 (B) AND (D).", "1.4 b, d",
                   "1.4 (b) and (d)", "1. 4 (c)", "1.4 (d) & (b)"):
        for h in heads:
            _auth_check(h + reason, ("line", "cb"))


# read_reasons' patterns as first written (a look-behind first); the module's versions start
# with the literal so that re scans for it: the same matches, spans and groups (the section
# pattern keeps its literal ``1`` outside the groups: "1" + its group is the plain group)
_R_SECTION_PLAIN = re.compile(r"(?<![\d.])(1[ \t]*\n?[ \t]*\.[ \t]*\n?[ \t]*[4-6])(?!\d)"
                              r"|(?<![\d.,])(1,[ ]?[4-6])(?=[ \t]*\(?[ \t]*[A-Ha-h]\b)")
_R_CUT_PLAIN = re.compile(
    r"\.(?:[ \t]*(?:\n|$)|[ \t]{2,}[A-Z])|;|\n[ \t]*\n"
    r"|\n[ \t>*_-]*(?i:declassify|derived|classified|sources?|downgrade)\b"
    r"|(?:\u00b6|(?<![\d.])\d{1,2}[ \t]?\.)[ \t]*\([ \t]*[A-Z]")


def _reason_patterns_agree(s: str, pos: int = 0, endpos: int | None = None) -> None:
    end = len(s) if endpos is None else endpos
    sig = lambda it: [(m.span(), m.groups()) for m in it]  # noqa: E731
    sig1 = lambda it: [(m.span(), tuple(g and "1" + g for g in m.groups()))  # noqa: E731
                       for m in it]
    assert sig1(P._R_SECTION.finditer(s, pos, end)) == sig(
        _R_SECTION_PLAIN.finditer(s, pos, end)), s
    a, b = P._R_CUT.search(s, pos, end), _R_CUT_PLAIN.search(s, pos, end)
    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), s


@settings(max_examples=4000, deadline=None)
@given(st.text(alphabet="1 .,4568\n\t(Ab)dD;S\u00b62x-", max_size=16), st.data())
def test_reason_patterns_equal_plain_forms(s: str, data) -> None:
    pos = data.draw(st.integers(0, len(s)))
    _reason_patterns_agree(s, pos, data.draw(st.integers(pos, len(s))))


def test_reason_patterns_equal_plain_forms_on_corpus_lines() -> None:
    auth = _corpus_auth()
    for s in dict.fromkeys(auth):
        for k in range(0, len(s), 5):
            _reason_patterns_agree(s, k)
