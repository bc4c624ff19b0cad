"""Memos of the parser's speed round that share a reading between different input strings:
each must give what reading the string itself gives.

* ``_REASONS_MEMO``: the reasons of a text are read from ``_reason_key(text)`` (the text
  from its first category section, or from its first ``Reason`` word), and shared by every
  text with the same key.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import markings.parse as P

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _corpus_auth() -> list[str] | None:
    folder = ROOT.parent / "shared" / "corpus" / "cables"
    if not folder.is_dir():
        return None
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "bench" / "bench_parse.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("bench_parse", mod)
    spec.loader.exec_module(mod)
    return list(dict.fromkeys(mod.scan_corpus(folder)[1]))


def _readings(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """What the Reason models are built from: (raw, section, letters) of every reason."""
    return [r[2:] for r in P.read_reasons(text)]


def _key_agrees(text: str) -> None:
    key = P._reason_key(text)
    assert text.endswith(key), text
    assert _readings(key) == _readings(text), text


def test_reasons_read_from_their_key_equal_whole_text() -> None:
    lines = _corpus_auth()
    if lines is None:
        pytest.skip("corpus not present")
    cut = 0
    for s in lines:
        for t in (s, s.strip(), s[s.find(":") + 1:], s.lower(), s.replace("(", ",("),
                  s.replace(" 1.", " .1."), s.replace(" 1.", " 11."), s.replace(" 1.", " ,1.")):
            _key_agrees(t)
            cut += len(P._reason_key(t)) < len(t)
    assert cut > 1000  # the key is shorter than the text for most lines


_PARTS = st.sampled_from([
    "Reason", "reasons", "REASONS:", "Treasons", "1.4", "1.5", "1. 4", "1 .4", "1,4", "1, 4",
    "1\n.4", "11.4", ".1.4", ",1.4", "21.4", "1.45", "2.4", "(b)", "b", "( b )", "(B,D)", "d",
    "(d)", "x", "(X6)", "h", "and", ",", ".", ";", "\n\n", "1. (C)", "Sec. 1.7", "sec",
    "Classified By:", "a", "(a)", "i", "7", "Z", "1.4(b)",
])
_GAPS = st.sampled_from(["", " ", " ", "  ", "\t", "\n", ". ", "  A"])


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_GAPS, _PARTS), max_size=12))
def test_random_reasons_read_from_their_key_equal_whole_text(pieces) -> None:
    _key_agrees("".join(g + p for g, p in pieces))


def test_classified_by_lines_with_one_key_share_one_block() -> None:
    P.parse_cache_clear()
    a = P.parse_classified_by("Classified By: DCM A for reasons 1.4 (b) and (d)")
    b = P.parse_classified_by("Classified By: Ambassador B, Reasons 1.4 (b) and (d)")
    c = P.parse_classified_by("Classified By: C for reasons 1.4 (b) and (d).")
    assert a is b
    assert c == a and c.reasons[0].letters == ("b", "d")
    assert [r.raw for r in a.reasons] == ["1.4 (b) and (d)"]
    # cut texts that differ after the reasons read the same reasons: one entry
    d = P.parse_classified_by("Classified By: D, reasons 1.4 (b) and (d). 1. (C) Summary: x")
    e = P.parse_classified_by("Classified By: E for reasons 1.4 (b) and (d). 1. (S) Other")
    assert P._reason_key(d_text := "x 1.4 (b) and (d). 1. (C) Summary: x") != P._reason_key(
        "x 1.4 (b) and (d). 1. (S) Other")
    assert d is e and [r.raw for r in d.reasons] == ["1.4 (b) and (d)."]
    assert _readings(d_text) == [r[2:] for r in P.read_reasons("1.4 (b) and (d). 1. (S) Other")]


# ------------------------------------------------------------------ errors per body
#
# ``_BODY_ERRORS``: a body that cannot be read fails once; the other strings with the same
# body get the error rebuilt for them. Compared with the reference (every string through the
# full interpreter, no piece or body caches), in sequence so that the memo is used.

_UNREADABLE = ["SS E C R E T", "O N F I D E N T I A L", "UNCLAS E F T O", "C ONFIDENTIAL",
               "(C - ENTIRE TEXT)", "/NATO CONFIDENTIAL", "(/NC)", "(S//NOFRON)",
               "SECRET//REL TO USA, GBR//ZZZZ", "(R)", "RESTRICTED//NOFORN", "(//)",
               "SECRET//NOFORN AND", "(S//SI-G ABCD/QQ)", "TOP SECRIT//NF", "(S//JPN EYES)",
               "(S/ /NF)", "S//USA/GBR/QQQQQ EYES ONLY//ABC"]


def _variants(s: str) -> list[str]:
    out = [s, s.lower(), s.title(), " " + s + "  ", s.replace("//", " // "),
           s.replace("/", " / "), "\t" + s.lower()]
    if s.startswith("("):
        out += [f"( {s[1:-1]} )", f"(  {s[1:-1].lower()})"]
    return list(dict.fromkeys(out))


def _outcome(text: str, kind, pieces: bool):
    old = P._PIECE_CACHES
    P._PIECE_CACHES = pieces
    try:
        m = P._parse_uncached(text, kind)
    except P.MarkingSyntaxError as e:
        return ("error", e.message, e.text, e.position, e.expected, e.suggestion, e.token)
    finally:
        P._PIECE_CACHES = old
    return ("ok", dict(m.__dict__), m.banner(), m.portion())


def test_errors_memoised_per_body_equal_reference() -> None:
    P.parse_cache_clear()
    errors = 0
    for s in _UNREADABLE:
        for kind in (None, "banner", "portion"):
            for v in _variants(s):
                got = _outcome(v, kind, True)
                assert got == _outcome(v, kind, False), (v, kind)
                errors += got[0] == "error"
    assert errors > 200
    assert len(P._BODY_ERRORS) > 20  # the memo was used


# ------------------------------------------------------------------ builder key set
#
# ``_B.dev`` / ``_B.add`` look a deviation up in the builder's set of (rule, detail,
# canonical) keys; the plain form compares it with every recorded deviation (``_has``). The
# reference path uses the builder too, so the comparison here is with builders whose
# ``dev`` and ``add`` are the plain forms.


def _plain_dev(self, rule, detail, canonical=None):
    d = P._dev(rule, detail, canonical)
    if not P._has(self.devs, d):
        self.devs.append(d)


def _plain_add(self, d):
    if not P._has(self.devs, d):
        self.devs.append(d)


def _all_outcomes(strings):
    P.parse_cache_clear()
    return [_outcome(s, kind, pieces) for s in strings for kind in (None, "banner", "portion")
            for pieces in (True, False)]


def test_builder_key_set_equals_plain_lookup(monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("bench_parse", ROOT / "bench" / "bench_parse.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    strings = mod.synthetic_strings(3000)[::11] + [
        v for s in _UNREADABLE for v in _variants(s)] + [
        "(S/REL BULGARIA, CZECH REPUBLIC, ITALY, SPAIN)", "(C/REL UK, CANADA, AUSTRALIA)",
        "SECRET//REL TO USA, GBR, GBR, AND DEU//NOFORN/NOFORN", "(S//NF//NF)",
        "(S/REL TO USA, LIBYA, UK//NF)", "SECRET/REL GERMANY AND FRANCE",
        "TOP SECRET//SI-G ABCD/TK//FGI GBR DEU USA//RELIDO/NOFORN", "(U//SBU-NF//SBU NOFORN)"]
    folder = ROOT.parent / "shared" / "corpus" / "cables"
    if folder.is_dir():
        marks = mod.scan_corpus(folder)[0]
        strings += list(dict.fromkeys(marks + mod.corpus_variants(marks)))
    fast = _all_outcomes(strings)
    monkeypatch.setattr(P._B, "dev", _plain_dev)
    monkeypatch.setattr(P._B, "add", _plain_add)
    plain = _all_outcomes(strings)
    assert fast == plain
    # the corpus strings bring most of the many-deviation cases (synthetic alone: ~24)
    assert sum(o[0] == "ok" and len(o[1]["deviations"]) > 3 for o in fast) > (
        50 if folder.is_dir() else 15)


# ------------------------------------------------------------------ L/REST and L, REST
#
# ``_first_item_key``: the readings of ``S/NF`` and ``S, NF`` are shared. Both orders are
# compared with the reference (no piece or body caches) on corpus-derived and constructed
# strings.

_FIRST_ITEM_RESTS = ["NF", "NOFORN", "REL UK", "REL TO USA, GBR", "REL to UK, PAKISTAN",
                     "REL BULGARIA, CZECH REPUBLIC", "RELEASABLE TO ITALY", "NF/REL TO USA, GBR",
                     "NF, ORCON", "ORCON/NF", "NF//REL TO USA, DEU", "AND NF", "ANDORRA",
                     "AND", "REL TO USA,GBR", "REL TO USA , GBR", "DISPLAY ONLY IRQ, AFG",
                     "FGI DEU, GBR", "SBU", "SBU-NF", "FOUO", "LES", "EXDIS", "NODIS", "S",
                     "SI-G ABCD/TK", "SAR-BP/SAR-GB", "RD-SIGMA 20 14", "20350101", "X1",
                     "USA/GBR EYES ONLY", "GBR EYES ONLY", "EYES", "REL", "QQQQ", "NOFRON",
                     "REL TO USA, GBR/NF", "REL CHINA, AND RUSSIA", "ORCON AND NOFORN"]


def test_first_item_comma_and_slash_share_readings() -> None:
    bodies = []
    for lvl in ("S", "C", "TS", "U", "SECRET", "CONFIDENTIAL", "TOP SECRET", "UNCLASSIFIED"):
        for rest in _FIRST_ITEM_RESTS:
            bodies.append((lvl, rest))
    lines = _corpus_auth()  # (only to know whether the corpus is here)
    if lines is not None:
        spec = importlib.util.spec_from_file_location("bench_parse",
                                                      ROOT / "bench" / "bench_parse.py")
        mod = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(mod)
        marks = mod.scan_corpus(ROOT.parent / "shared" / "corpus" / "cables")[0]
        for s in dict.fromkeys(marks + mod.corpus_variants(marks)):
            body = s.strip().strip("()").upper()
            for sep in ("//", "/", ", "):
                head, found, rest = body.partition(sep)
                if found and head and rest:
                    bodies.append((head, rest))
                    break
    shared = 0
    for head, rest in dict.fromkeys(bodies):
        for wrap in (str, "({})".format, str.lower, lambda x: f"( {x.lower()} )"):
            a, b = wrap(f"{head}/{rest}"), wrap(f"{head}, {rest}")
            for first, second in ((a, b), (b, a)):
                P.parse_cache_clear()
                got = [_outcome(first, None, True), _outcome(second, None, True)]
                assert got == [_outcome(first, None, False), _outcome(second, None, False)], (
                    first, second)
                # one reading served both: under the first-item key, or as T's slash tail
                shared += any(k[0] == "first item" for k in P._BODY_CACHE) or any(
                    t is not None for tails in P._SLASH_TAIL_BY_KIND.values()
                    for t in tails.values())
    assert shared > 300


# ------------------------------------------------------------------ L/T from T's category
#
# ``_slash_builder``: ``L/T`` is read from the category reading of T that ``L//T`` uses;
# ``_slash_tail``: ``L/T`` and ``L, T`` are read by ``_parse_pieces`` from the checked tail of
# ``L//T``. Compared with the reference and with the interpreter (``_SLASH_FROM_CATEGORY =
# False``), with ``L//T`` read first (its tail cached), after, and not at all.


def test_slash_forms_from_category_readings_equal_reference(monkeypatch) -> None:
    tails = list(_FIRST_ITEM_RESTS) + [
        "SI/TK", "SI-G ABCD", "HCS-P/SI-G ABCD/TK", "RELIDO", "ORCON/PROPIN/NOFORN",
        "NOFORN/ORCON", "REL TO USA, AUS, CAN, GBR, NZL", "REL TO GBR, USA", "REL TO USA",
        "REL TO USA, GBR, GBR", "NF/NF", "SBU NOFORN", "LES NOFORN", "LIMDIS", "EXDIS/NODIS",
        "DISPLAY ONLY AFG", "FGI", "FGI GBR USA", "REL TO USA, LIBYA, UK", "XD", "ND",
        "RS/SBU", "SAR-BP", "NATO", "ATOMAL", "RD/FRD", "FRD-SIGMA 14", "USA/AUS EYES ONLY",
        "PROPIN, ORCON", "ORCON, AND NOFORN", "REL TO USA, GBR AND DEU", "SI,TK"]
    folder = ROOT.parent / "shared" / "corpus" / "cables"
    if folder.is_dir():
        spec = importlib.util.spec_from_file_location("bench_parse",
                                                      ROOT / "bench" / "bench_parse.py")
        mod = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(mod)
        marks = mod.scan_corpus(folder)[0]
        for s in dict.fromkeys(marks + mod.corpus_variants(marks)):
            body = s.strip().strip("()").upper()
            for sep in ("//", "/"):
                head, found, rest = body.partition(sep)
                if found and rest and "//" not in rest:
                    tails.append(rest)
                    break
    derived = from_tail = 0
    for tail in dict.fromkeys(tails):
        for lvl in ("S", "C", "U", "SECRET", "TOP SECRET", "UNCLASSIFIED", "TS"):
            for wrap in (str, "({})".format, str.lower):
                slash, double = wrap(f"{lvl}/{tail}"), wrap(f"{lvl}//{tail}")
                comma = wrap(f"{lvl}, {tail}")
                want = {s: _outcome(s, None, False) for s in (slash, double, comma)}
                for seq in ((double, slash), (slash, double), (slash,), (comma, double),
                            (double, comma)):
                    P.parse_cache_clear()
                    got = [_outcome(s, None, True) for s in seq]
                    assert got == [want[s] for s in seq], seq
                    k, body, _, spaced = P._prenormalise(slash, None)
                    derived += P._slash_builder(k, body) is not None
                    # L/T (or L, T) read from the checked tail of L//T (_slash_tail)
                    from_tail += any(t is not None for t in P._SLASH_TAIL_BY_KIND[k].values())
                monkeypatch.setattr(P, "_SLASH_FROM_CATEGORY", False)
                P.parse_cache_clear()
                assert _outcome(slash, None, True) == want[slash]
                monkeypatch.setattr(P, "_SLASH_FROM_CATEGORY", True)
    assert derived > 1000
    assert from_tail > 1000


# ------------------------------------------------------------------ leading single slash
#
# ``_lead_slash_error``: a body opening with one ``/`` raises Lark's error without Lark.
# Compared with Lark itself (``shape_lark``), and, whole parses, with the reference and with
# the fast path off (``_LEAD_SLASH_FAST = False``), in both orders with the body read
# after a variant of it.

_AFTER_SLASH = ["", "NC", "NATO CONFIDENTIAL", "NF//REL TO USA, GBR", "S", "/", ",", " ",
                "AND", "ABC DEF/GHI", "(X", ")", "E.O. 12958", "N/A", "S//NF", "-", "1",
                "s//nf", "REL TO USA,GBR", "DECL: X1", "//", "/ /", "\t", "NF AND"]


def test_lead_slash_error_equals_lark(monkeypatch) -> None:
    checked = 0
    for rest in _AFTER_SLASH:
        for kind in ("banner", "portion"):
            body = "/" + rest
            if rest[:1] == "/":
                continue
            with pytest.raises(P.MarkingSyntaxError) as lark:
                P.shape_lark(body, kind)
            fast = P._lead_slash_error(body, kind)
            assert (fast.message, fast.text, fast.position, fast.expected, fast.suggestion,
                    fast.token) == (lark.value.message, lark.value.text, lark.value.position,
                                    lark.value.expected, lark.value.suggestion,
                                    lark.value.token), (body, kind)
            checked += 1
    assert checked > 40
    strings = []
    for rest in _AFTER_SLASH:
        for v in (f"/{rest}", f"(/{rest})", f"( /{rest} )", f"/ {rest}".lower(), f"(/ {rest})"):
            strings.append(v)
    for a, b in zip(strings, strings[1:] + strings[:1], strict=True):
        for kind in (None, "banner", "portion"):
            want = [_outcome(a, kind, False), _outcome(b, kind, False)]
            P.parse_cache_clear()
            assert [_outcome(a, kind, True), _outcome(b, kind, True)] == want, (a, b, kind)
            monkeypatch.setattr(P, "_LEAD_SLASH_FAST", False)
            P.parse_cache_clear()
            assert [_outcome(a, kind, True), _outcome(b, kind, True)] == want, (a, b, kind)
            monkeypatch.setattr(P, "_LEAD_SLASH_FAST", True)
    # the fast path is taken: Lark is not run for a body opening with one slash
    lark_bodies: list[str] = []
    shape_lark = P.shape_lark
    monkeypatch.setattr(P, "shape_lark", lambda body, kind: (
        lark_bodies.append(body), shape_lark(body, kind))[1])
    P.parse_cache_clear()
    for s in strings:
        assert _outcome(s, None, True)[0] == "error", s
    # (only bodies that normalise to a double slash, `/ /` -> `//`, go to Lark)
    assert all(b.startswith("//") for b in lark_bodies), lark_bodies
    assert len(lark_bodies) < len(strings) // 4
