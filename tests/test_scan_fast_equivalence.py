"""The scanner's fast paths build the same document models as the plain code they replace.

Each fast path of ``markings.scan`` has a switch; with every switch off the scanner runs the
plain code (validated pydantic models, ...). The documents of the corpus, the seed cables
and the test fixtures are built both ways and compared object by object: the same types,
the same ``__dict__`` (keys in the same order, so ``repr`` and dumps agree), the same
fields-set (``model_dump(exclude_unset=True)`` callers) and equal values.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from markings import scan
from markings.read import ReadError, read_path, source_from_text
from markings.scan import build

ROOT = Path(__file__).resolve().parents[1]
_FIXTURES = ROOT / "tests" / "fixtures"
_SHARED = ROOT.parent / "shared"

# every switch of a fast path in markings.scan, with its value in the plain (reference) mode
_SWITCHES = {"_FAST_MODELS": False, "_FAST_LOWER": False, "_FAST_SEGMENT": False,
             "_FAST_LINES": False}


@contextmanager
def _plain() -> Iterator[None]:
    """The scanner with every fast path switched off."""
    old = {name: getattr(scan, name) for name in _SWITCHES}
    for name, value in _SWITCHES.items():
        setattr(scan, name, value)
    search = scan._FAST_SEARCH
    scan._set_fast_search(False)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(scan, name, value)
        scan._set_fast_search(search)


def _same(a: Any, b: Any, where: str = "") -> None:
    """``a`` and ``b`` are the same model tree (types, dict order, fields-sets, values)."""
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert list(a.__dict__) == list(b.__dict__), where
        assert a.model_fields_set == b.model_fields_set, where
        assert a.__pydantic_extra__ == b.__pydantic_extra__, where
        assert a.__pydantic_private__ == b.__pydantic_private__, where
        for k, v in a.__dict__.items():
            _same(v, b.__dict__[k], f"{where}.{k}")
        assert a == b, where
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    else:
        assert a == b, where


def _files() -> list[Path]:
    roots = [_SHARED / "corpus" / "cables", _SHARED / "seeds", _FIXTURES]
    out: list[Path] = []
    for root in roots:
        if root.is_dir():
            out += sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(
                (".json", ".expected", ".yaml", ".toml")))
    return out


def _check(src: Any, name: str) -> None:
    fast = build(src, path=name)
    with _plain():
        plain = build(src, path=name)
    _same(fast, plain, name)


def test_documents_equal_plain_build() -> None:
    """Every corpus cable, seed and fixture (the corpus when present)."""
    files = _files()
    if not files:
        pytest.skip("no documents")
    built = 0
    for p in files:
        try:
            src = read_path(p)
        except ReadError:
            continue
        _check(src, str(p))
        built += 1
    assert built >= 20


@pytest.mark.parametrize("text", [
    # memo: banners, a subject line, portions, a CAB with reasons, derived from, declassify
    "SECRET//NOFORN\n\nSUBJECT: (U) Title\n\n(S//NF) Body one.\n\n(U) Body two.\n\n"
    "Classified By: J. Smith, Director\nReason: 1.4(b) and (d)\nDerived From: Multiple "
    "Sources\nDeclassify On: 20301231\n\nSECRET//NOFORN\n",
    # cable: captions, sections, numbered and lettered paragraphs, bullets
    "S E C R E T SECTION 01 OF 02 MOSCOW 005154\n\nSIPDIS\nNOFORN\n\nE.O. 12958: DECL: "
    "10/09/2017\nTAGS: PREL\nSUBJECT: (C) X\n\nClassified By: Amb. X for reasons 1.4 (b)\n\n"
    "1. (C) Body.\n\nA. (S) Sub.\n\n-- (U) Bullet.\n\nMOSCOW 00005154 002 OF 002\n\n"
    "2. (SECERT) Misspelled.\n\n3. (S//NF Unclosed.\n",
    # cable paragraphs after blank and separator lines: letters, "o" bullets, "A." labels,
    # quotes, blank runs, a mark after a wrapped line, the header and CAB excluded
    "SECRET MOSCOW 000123\n\nE.O. 12958: DECL: 1/1/2020\nTAGS: PREL\nSUBJECT: X\n\n"
    "1. (S) One.\n\nText after a blank.\n\n\no bullet\n\nA. (C) Sub.\n\nB.\n\n"
    "\"Quoted (S) line.\"\n---\nAfter a separator.\n\n   \n(C) Marked line.\nwrapped\n"
    "(U) Mark after a wrapped line\n\n2. (U) Two.\nClassified By: X. Reason: 1.4 (d)\n"
    "\nAfter CAB\n\n3. (C) Three.\n\n[S] Bracketed mark.\n\n",
    # a title, an unmarked memo, a garbled banner
    "SECERT//NOFORN\n\nA Short Title\n\nText without marks.\n\n(S)(NF) Glued.\n",
])
def test_synthetic_documents_equal_plain_build(text: str) -> None:
    _check(source_from_text(text, path="<t>"), "<t>")


@pytest.mark.parametrize("text", [
    "Derived From: X", "DERIVED", "dErIvEd", "DER\u0130VED", "deri\u0307ved", "DECLASS\u0130FY",
    "\u212aDERIVED", "derıved", "ſource", "SOURCE\u00e9", "Compilation", "COMP\u0130LATION",
    "\u00e9\u00e8 declassify \u2014", "sour\ud800ce", "", "no gate word here \u00b6",
])
@pytest.mark.parametrize("word", ["derived", "declassify", "source", "compilation"])
def test_ascii_lower_gate_same_as_str_lower(text: str, word: str) -> None:
    fast = word.encode() in scan._ascii_lower(text)
    assert fast == (word in text.lower()), (text, word)


def test_only_two_non_ascii_characters_lower_to_ascii_letters() -> None:
    """The premise of ``_ascii_lower``: besides ASCII, only the Kelvin sign and dotted
    capital I lower to something with an ASCII letter."""
    import sys

    found = [c for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000
             and any(x.isascii() and x.isalpha() for x in chr(c).lower())]
    assert found == [0x130, 0x212A]
    assert chr(0x130).lower() == "i\u0307" and chr(0x212A).lower() == "k"
    for word in ("derived", "declassify", "source", "compilation"):
        assert "k" not in word and not word.endswith("i")


def _found(rx: Any, text: str, pos: int, endpos: int) -> list[tuple[Any, ...]]:
    return [tuple(m.span(g) for g in range(rx.groups + 1))
            for m in rx.finditer(text, pos, endpos)]


_SEARCH_TEXTS = [
    # classification lines of cables (the corpus has them too; this keeps the check
    # meaningful without ../shared)
    "R 011200Z JAN 09\nC O N F I D E N T I A L SECTION 01 OF 02 MOSCOW 005154\n"
    "x\nS E C R E T  STATE 001234\n\nUNCLAS BAGHDAD 000012\n  SECRET PARIS 0123\n"
    "SECRET\nCONFIDENTIAL SECTION 2 OF 3 THE HAGUE 002929\n",
    "E.O. 12958: DECL: 1/1/2020 SIPDISE.O. 12958 NOFORNE.O.12958 xE.O. 12958 SENSITIVEE.O. "
    "EXDISE.O. 12958 NODISE.O. 12958 LIMDISE.O. 12958 "
    "13526: N/A\nTAGS: PREL, XTAGS TAGS:SUBJECT: SUBJ: Subject : xSubject: REF: REFS REFTEL "
    "REFTELS: REFERENCE REFERENCES: PREF: Classified By: CLASSIFIED\nBY: xclassified by "
    "\u0131classified by \u212aclassified by REASONS: reason 1.4 (b) Reason: 1 .4 1.\n5 "
    "11.4 .1.4 1.45 21.4 \u0130reasons: \u017freasons cLaSsIfIeD bY",
    "NOFORN xNOFORN NOFORNx NOFORNX SIPDISEXDIS NODIS,SENSITIVE LIMDIS STADIS SPECAT ROGER "
    "CHEROKEE DECAPTIONED NOCONTRACT ORCON PROPIN 1NODIS \u00e9ORCON",
]


@pytest.mark.parametrize("name", sorted(scan._FAST))
def test_fast_search_patterns_find_what_the_plain_ones_find(name: str) -> None:
    """Every match (all group spans) of the fast pattern equals the plain pattern's, from
    every start offset and with end offsets cut into the text, on synthetic texts and the
    corpus (when present; every 7th cable)."""
    fast, plain = scan._FAST[name], scan._PLAIN[name]
    assert fast.pattern != plain.pattern
    texts = list(_SEARCH_TEXTS)
    corpus = _SHARED / "corpus" / "cables"
    if corpus.is_dir():
        texts += [read_path(p).text for p in sorted(corpus.glob("*.txt"))[::7]]
    checked = 0
    for k, text in enumerate(texts):
        n = len(text)
        if k < len(_SEARCH_TEXTS):
            bounds = [(a, b) for a in range(n + 1) for b in (n, a + 3, a + 12) if b <= n]
        else:
            bounds = [(0, n), (1, n), (0, min(n, 3000)), (n // 3, n), (n // 2, n - 1)]
        for a, b in bounds:
            want = _found(plain, text, a, b)
            assert _found(fast, text, a, b) == want, (name, k, a, b)
            checked += len(want)
    assert checked > 0


def test_dtg_found_as_by_a_multiline_search() -> None:
    """``date_from_dtg`` reads the first match of the plain multi-line search."""
    import re

    from markings import dates

    plain = re.compile(dates._DTG_RE.pattern, re.MULTILINE)
    texts = ["O 141513Z SEP 05", "x\n O 141513Z SEP 05\nP 151513Z OCT 06", "xO 141513Z SEP 05",
             "R 141513Z SEP 05 x\nZ 010000Z JAN 2001", "\n\n 310000Z DEC 99\n", "", "\n"]
    corpus = _SHARED / "corpus" / "cables"
    if corpus.is_dir():
        texts += [read_path(p).text[:3000] for p in sorted(corpus.glob("*.txt"))[::5]]
    found = 0
    for text in texts:
        m = plain.search(text)
        want = None if m is None else dates._mk(dates._year2(m.group(4)),
                                                dates._MONTHS[m.group(3)], int(m.group(1)))
        assert dates.date_from_dtg(text) == want, text[:200]
        found += want is not None
    assert found >= 4


def test_make_span_equals_validated_span() -> None:
    from markings.findings import Span, make_span

    fast = make_span(3, 9, 1, 4, 2, 1)
    plain = Span(start=3, end=9, line=1, column=4, end_line=2, end_column=1)
    _same(fast, plain)
    assert hash(fast) == hash(plain) and fast.model_dump(exclude_unset=True) == \
        plain.model_dump(exclude_unset=True)


@pytest.mark.parametrize("path", ["x.txt", 7])
def test_document_equals_validated_document(path: Any) -> None:
    """A document built by the scanner from odd values is validated as before."""
    from markings.document import Document

    plain = None
    try:
        plain = Document(path=path, text="t", form="plain", notes=["n"])
    except Exception as exc:  # noqa: BLE001  pydantic refuses a non-str path
        with pytest.raises(type(exc)):
            scan._document(path, "t", "plain", ["n"])
        return
    fast = scan._document(path, "t", "plain", ["n"])
    _same(fast, plain)
    fast.style = "memo"
    assert "style" in fast.model_fields_set and "style" not in plain.model_fields_set


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "\n\nb\n", "one\ntwo\n\nthree",
                                  "x\r\ny\u2028z\n\n"])
def test_line_ends_same_as_list(text: str) -> None:
    """The line starts and the line ends read from them give what the plain lists hold, for
    every index a list takes (negative ones too) and none it refuses."""
    plain_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    with _plain():
        assert scan._newline_starts(text) == plain_starts
    starts = scan._newline_starts(text)
    assert starts == plain_starts
    plain = [e - 1 for e in starts[1:]] + [len(text)]
    ends = scan._LineEnds(starts, len(text))
    assert len(ends) == len(plain)
    for i in range(-len(plain) - 2, len(plain) + 2):
        if -len(plain) <= i < len(plain):
            assert ends[i] == plain[i], i
        else:
            with pytest.raises(IndexError):
                ends[i]


def test_slot_setters_are_what_object_setattr_uses() -> None:
    """The models' instance slots are set through the descriptors ``object.__setattr__``
    finds for them, on every model class built without validation (``trusted_model``, which
    uses BaseModel's: no model class may have others)."""
    from pydantic import BaseModel

    from markings.document import Document
    from markings.findings import MODEL_SLOTS, Finding, Span, instance_slot_setters
    from markings.model import AuthorityBlock, DeclassValue, Marking, Reason

    base = [f.__self__ for f in instance_slot_setters(BaseModel)]  # type: ignore[attr-defined]
    for cls in (Span, Document, Finding, Marking, DeclassValue, Reason, AuthorityBlock,
                *scan._MODEL_DEFAULTS):
        setters = instance_slot_setters(cls)
        assert [f.__self__ for f in setters] == base, cls  # type: ignore[attr-defined]
        for name, setter in zip(MODEL_SLOTS, setters):
            assert setter.__self__ is getattr(cls, name) or name == "__dict__"
            fast, plain = object.__new__(cls), object.__new__(cls)
            value: Any = {"x": 1} if name == "__dict__" else {"a"}
            setter(fast, value)
            object.__setattr__(plain, name, value)
            assert object.__getattribute__(fast, name) is value
            assert object.__getattribute__(plain, name) is value


def test_scanner_span_same_as_document_span() -> None:
    """The scanner's spans (its own search for the end line) are Document.span's, for
    every pair of offsets of a few texts (empty, reversed and one-character spans too)."""
    for text in ("", "a", "\n", "ab\ncd\n\nef", "\n\nx\ny\n", "one line only"):
        sc = scan.Scanner(source_from_text(text, path="x.txt"), "x.txt")
        doc = sc.doc
        for start in range(len(text) + 1):
            for end in range(len(text) + 1):
                _same(sc.span(start, end), doc.span(start, end), f"{text!r} {start} {end}")


def test_post_name_patterns_find_what_the_written_patterns_find() -> None:
    """A continuation header's post name is found by the patterns compiled once per post as
    by the patterns written out per header (the post as written, then its first ten
    characters)."""
    import re

    heads = ["x\nBUENOS AIRES  ", "BUENOS AIR ", "PORT AU PRINCE\t", "xMOSCOW ", "MOSCOW",
             " MOSCOW  \n", "RIO DE JANEIRO ", "RIO DE JANEI ", "moscow "]
    for post in ("MOSCOW", "BUENOS AIRES", "PORT AU PRINCE", "RIO DE JANEIRO", "A.B"):
        for head in heads:
            for i, form in enumerate(dict.fromkeys((post, post[:10].rstrip()))):
                plain = re.search(r"(?<![A-Za-z])" + r"[ \t]+".join(
                    re.escape(w) for w in form.split()) + r"[ \t]+$", head)
                fast = scan._post_name_patterns(post)[i].search(head)
                assert (plain and plain.span()) == (fast and fast.span()), (post, head)


def test_assign_equals_pydantic_assignment() -> None:
    """The scanner's Document assignments store what pydantic's ``__setattr__`` stores."""
    from markings.document import Document

    assert scan._DOC_PLAIN_ASSIGN  # else the fast path is never taken
    for name, value in (("style", "cable"), ("banners", []), ("date", None),
                        ("cable_id", "05MOSCOW1"), ("original", "x"),
                        ("fallback_encoding", ("cp1252", 3, 2))):
        fast = Document(path="x.txt", text="t", form="plain")
        plain = Document(path="x.txt", text="t", form="plain")
        scan._assign(fast, name, value)
        setattr(plain, name, value)
        _same(fast, plain)
        assert name in fast.model_fields_set


def test_with_equals_model_copy() -> None:
    from markings.document import Banner, Portion
    from markings.findings import make_span
    from markings.parse import parse_declass

    sp = make_span(0, 3, 1, 1, 1, 4)
    for model, name, value in (
            (Banner(text="SECRET", span=sp, position="bottom"), "position", "top"),
            (Portion(span=sp), "kind", "title"),
            (parse_declass("20301231"), "span", sp),
            (parse_declass("25X1"), "span", None)):
        _same(scan._with(model, name, value), model.model_copy(update={name: value}))


@pytest.mark.parametrize("text", [
    "Derived From: X", "x\n  > -- DERIVED from: Multiple Sources\n", "derived  from: a  b",
    "Text derived from: x\nDerived From: Y", "DER\u0130VED FROM: X\nDerived From: Y",
    "der\u0131ved from: X", "  Derived From:", "underived from: x", "Derived\nFrom: x",
    "\tderived from:   \n  DERIVED FROM: Z", "no word", "",
])
def test_derived_search_same_as_plain(text: str) -> None:
    want = scan._DERIVED_RE.search(text)
    got = scan._derived_search(text)
    assert (None if want is None else want.span(0) + want.span("v")) == \
        (None if got is None else got.span(0) + got.span("v"))


def test_derived_search_same_as_plain_on_corpus() -> None:
    corpus = _SHARED / "corpus" / "cables"
    if not corpus.is_dir():
        pytest.skip("corpus not present")
    found = 0
    for p in sorted(corpus.glob("*.txt")):
        text = read_path(p).text
        if "erived" not in text and "ERIVED" not in text:
            continue
        want = scan._DERIVED_RE.search(text)
        got = scan._derived_search(text)
        assert (None if want is None else want.span(0)) == (None if got is None else
                                                           got.span(0)), p.name
        found += want is not None
    assert found >= 1
