"""Fast paths in the rules give the same answers as the plain code they replace.

Each test runs the fast and the plain form on real documents (fixtures, shared seeds and
the shared corpus when present) and on constructed cases that reach the edges of the trick.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from markings.document import Document
from markings.read import source_from_text
from markings.scan import build

from _documents import built_documents, document_files

def _docs() -> Iterator[Document]:
    return built_documents(document_files(corpus=True))


def _cable(text: str) -> Document:
    return build(source_from_text(text, path="t.txt"), path="t.txt")


# --- cable header words ---------------------------------------------------------------------

# the words the cable rules look for, and words whose pieces are common or cut by a REF item
_HEADER_WORDS = ("NOFORN", "NOT RELEASABLE TO FOREIGN", "SENSITIVE", "EXDIS", "NOT", "TO",
                 "RELEASABLE TO")

_CONSTRUCTED = (
    # a REF item between the words: blanked to one space, so the phrase appears
    "C O N F I D E N T I A L SECTION 01 OF 02 ROME 001234\n\nNOT(REF A)RELEASABLE TO "
    "FOREIGN NATIONALS\n\nE.O. 12958: DECL: 01/01/2015\nTAGS: PREL\nSUBJECT: X\n\n"
    "1. (C) Text.\n",
    # the word only inside a REF item: blanked away
    "S E C R E T ROME 001234\n\nSIPDIS\n\nREF: A. (NOFORN) B. STATE 1\n\n"
    "1. (S//NF) Text.\n",
    # the word beyond the 3000 characters of the header
    "S E C R E T ROME 001234\n\nSIPDIS\n\nSUBJECT: X\n\n" + "A" * 3100 + " NOFORN\n\n"
    "1. (S//NF) Text.\n",
    # the word straddling the 3000th character
    "S E C R E T ROME 001234\n\n" + "B" * 2975 + " NOFORN SENSITIVE\n\n1. (S) Text.\n",
    "UNCLAS ROME 001234\n\nSENSITIVE\nSIPDIS\n\n1. (SBU-N) Text.\n",
    "",
)


@pytest.mark.parametrize("text", _CONSTRUCTED)
def test_header_word_constructed(text: str) -> None:
    from markings.rules.cable import _header_word, _header_word_plain

    doc = _cable(text)
    for w in _HEADER_WORDS:
        assert _header_word(doc, w) == _header_word_plain(doc, w), w


def test_header_word_constructed_cases_reach_both_answers() -> None:
    """The constructed cases are not vacuous: the phrase is found across a blanked REF
    item, and missed where only a REF item holds it."""
    from markings.rules.cable import _header_word

    assert _header_word(_cable(_CONSTRUCTED[0]), "NOT RELEASABLE TO FOREIGN")
    assert not _header_word(_cable(_CONSTRUCTED[1]), "NOFORN")
    assert not _header_word(_cable(_CONSTRUCTED[2]), "NOFORN")


def test_header_word_same_as_plain_on_real_documents() -> None:
    from markings.rules.cable import _header_word, _header_word_plain

    counts = {True: 0, False: 0}
    for doc in _docs():
        for w in _HEADER_WORDS:
            got = _header_word(doc, w)
            assert got == _header_word_plain(doc, w), (doc.path, w)
            counts[got] += 1
    assert counts[True] and counts[False]


# --- fingerprints ---------------------------------------------------------------------------

def _fingerprint_plain(path: str, code: str, key: str) -> str:
    import hashlib

    norm = " ".join(key.split()).upper()
    return hashlib.sha256(f"{path}\0{code}\0{norm}".encode()).hexdigest()[:16]


@pytest.mark.parametrize("key", ["SECRET//NOFORN", "  secret//noforn ", "", "unmarked title",
                                 "2017|2018", "ü ß\u00a0x\ty\nz", "MK101"])
def test_fingerprint_same_as_plain(key: str) -> None:
    from markings.findings import fingerprint

    for path in ("doc.txt", "<stdin>", "dir/ä.md"):
        for code in ("MK101", "MK009"):
            assert fingerprint(path, code, key) == _fingerprint_plain(path, code, key)


# --- the fact of a classified marking with an unclassified-only control (MK121's need) -----

@pytest.mark.parametrize("text,has", [
    ("(S//SBU)", True), ("(C//DCNI)", True), ("(S//NF//SBU-NF)", True), ("(C//DS)", True),
    ("(SBU)", False), ("(U//SBU)", False), ("(SBU-N)", False), ("(S//NF)", False),
    ("(C//LES)", False), ("(U//DCNI)", False)])
def test_classified_unclass_only_fact(text: str, has: bool) -> None:
    """The fact holds exactly when MK121 finds a control to report in the marking."""
    from markings.document import CLASSIFIED_UNCLASS_ONLY, marking_facts
    from markings.model import Level
    from markings.parse import parse_marking
    from markings.rules.consistency import _UNCLASS_ONLY

    m = parse_marking(text)
    bad = m.level > Level.U and bool([x for x in m.nonic if x in _UNCLASS_ONLY]
                                     + [x for x in m.aea if x in ("DOD UCNI", "DOE UCNI")])
    assert bad == has, text
    assert (CLASSIFIED_UNCLASS_ONLY in marking_facts(m)) == has


def test_mk121_still_runs_where_it_reports() -> None:
    from markings.engine import check_text

    text = "SECRET\n\n(S//SBU) A paragraph.\n\nSECRET\n"
    assert any(f.code == "MK121" for f in check_text(text).findings)


# --- the fact of an UNCLASSIFIED banner with a control (MK219's need) ------------------------

@pytest.mark.parametrize("banner,has", [
    ("UNCLASSIFIED//FOUO", True), ("UNCLASSIFIED//SBU", True), ("UNCLASSIFIED", False),
    ("SECRET//NOFORN", False), ("UNCLASSIFIED//LES", True)])
def test_u_banner_control_fact(banner: str, has: bool) -> None:
    from markings.document import U_BANNER_CONTROL, document_facts
    from markings.engine import check_text

    text = f"{banner}\n\n(S) A paragraph.\n\n{banner}\n"
    doc = build(source_from_text(text, path="t.txt"), path="t.txt")
    assert (U_BANNER_CONTROL in document_facts(doc)) == has
    if banner in ("UNCLASSIFIED//FOUO", "UNCLASSIFIED//SBU"):  # MK219 runs and reports
        assert any(f.code == "MK219" for f in check_text(text).findings), banner


# --- cable caption words, shared across documents by caption texts -------------------------

def test_caption_words_shared_same_as_computed_per_document() -> None:
    from markings.rules import cable

    cable._CAPTION_WORDS.clear()
    n = 0
    for doc in _docs():
        got = cable._caption_words_of(doc)
        want = cable._caption_words_of_texts(tuple(c.text for c in doc.captions))
        assert got == want, doc.path
        n += bool(got)
    assert n
    # far fewer distinct caption sets than documents: the sharing is worth it
    assert len(cable._CAPTION_WORDS) < 0.5 * n


# --- declassification value facts (needs of MK407-MK410, MK413, MK414) ------------------------------------

_DECL_VALUES = ("20301231", "1/1/01 1/1/02", "1/1/01 or 2", "25X1", "25x1, 20501231",
                "25X1, EO 12951", "EO 12951, 20301231", "50X1-HUM", "20301231 or 25X1",
                "20301231; 20401231", "OADR", "X1", "N/A to RD portions", "1.6X3",
                "Source marked OADR, date of source 19910301", "12/31/2030", "2030-12-31", "25X1-human", "MR", "DCI Only",
                "upon the end of the negotiations", "TEN YEARS", "X5", "20301231 or upon signing",
                "garbled value")


@pytest.mark.parametrize("value", _DECL_VALUES)
def test_declass_value_facts_cover_the_rules(value: str) -> None:
    """Where a fact that MK407-MK410, MK413 or MK414 need is missing, the rule reports nothing when run
    anyway; where a rule reports, the engine runs it."""
    import datetime as dt

    from markings.engine import check_document
    from markings.registry import Context, get_rule

    text = (f"SECRET\n\nSUBJECT: (U) X\n\n(S) A paragraph.\n\nClassified By: J. Doe\n"
            f"Reason: 1.4(b)\nDeclassify On: {value}\n\nSECRET\n")
    doc = build(source_from_text(text, path="m.txt"), path="m.txt")
    facts = doc.facts()
    reported = {f.code for f in check_document(doc)}
    for code in ("MK407", "MK408", "MK409", "MK410", "MK413", "MK414"):
        r = get_rule(code)
        assert r is not None
        for when in (dt.date(1990, 1, 1), dt.date(2005, 6, 1), None):
            d = doc.model_copy(update={"date": when})
            hits = list(r.check(d, Context(profile="capco", today=dt.date(2026, 1, 1))))
            if not r.may_fire(d.facts()):
                assert not hits, (code, value, when)
        if code in reported:
            assert r.may_fire(facts)


def test_declass_value_facts_reached() -> None:
    """The constructed values are not vacuous: MK410 reports two dates, MK407 a code."""
    from markings.engine import check_text

    def codes(value: str) -> set[str]:
        text = (f"SECRET\n\n(S) A paragraph.\n\nClassified By: J. Doe\nReason: 1.4(b)\n"
                f"Declassify On: {value}\n\nSECRET\n")
        return {f.code for f in check_text(text).findings}

    assert "MK410" in codes("20301231; 20401231")
    assert "MK410" in codes("20301231 or 25X1")
    assert "MK408" in codes("EO 12951, 20301231")
    assert "MK407" in codes("25X1-human")
    assert "MK413" in codes("OADR")
    assert "MK414" in codes("upon the end of the negotiations")


# --- the fact of NOFORN with a release marking (MK124's need) -------------------------------

_NF_MARKS = ("(S//NF)", "(S//REL TO USA, GBR)", "(S//NF/REL TO USA, GBR)", "(S//RELIDO/NF)",
             "(S//DISPLAY ONLY IRQ)", "(S//DISPLAY ONLY IRQ/RELIDO)", "(S//NF/DISPLAY ONLY IRQ)",
             "(S//NF/EYES ONLY)", "(S//REL/NF)", "(S//RELIDO)", "(C//NF)", "(S//NOFORN//X1)",
             "(S//EYES ONLY//NF)")


@pytest.mark.parametrize("text", _NF_MARKS)
def test_nf_release_conflict_fact(text: str) -> None:
    """MK124 reports on a marking only where it has the fact (and it reports on some)."""
    from markings.combine import has_display, has_eyes, has_rel
    from markings.document import NF_RELEASE_CONFLICT, marking_facts
    from markings.parse import parse_marking

    m = parse_marking(text)
    reported = (m.has("NOFORN") and (has_rel(m) or m.has("RELIDO") or has_display(m)
                                     or has_eyes(m))) or (has_display(m) and m.has("RELIDO"))
    if reported:
        assert NF_RELEASE_CONFLICT in marking_facts(m), text


def test_nf_release_conflict_reached() -> None:
    from markings.document import NF_RELEASE_CONFLICT, marking_facts
    from markings.engine import check_text
    from markings.parse import parse_marking

    assert NF_RELEASE_CONFLICT not in marking_facts(parse_marking("(S//NF)"))
    text = "SECRET//NOFORN\n\n(S//NF/REL TO USA, GBR) A paragraph.\n\nSECRET//NOFORN\n"
    assert any(f.code == "MK124" for f in check_text(text).findings)


# --- the engine's evaluation date -----------------------------------------------------------

def test_engine_today_same_as_date_today() -> None:
    import datetime as dt

    from markings import engine
    from markings.config import Config

    for _ in range(3):
        before = dt.date.today()
        got = engine._today()
        after = dt.date.today()
        assert got in (before, after)
    ctx = engine.make_context(Config(), "capco")
    assert ctx.today in (dt.date.today(), engine._today())
    fixed = dt.date(2001, 2, 3)
    assert engine.make_context(Config(today=fixed), "capco").today == fixed


# --- the order in force on a date, from a table of the dates seen ---------------------------

def test_order_for_date_same_as_plain() -> None:
    import datetime as dt

    from markings import eras

    eras._ORDER_OF_DATE.clear()
    day = dt.date(1970, 1, 1)
    seen = set()
    while day < dt.date(2030, 1, 1):
        for _ in range(2):  # the second answer comes from the table
            got = eras.order_for_date(day)
            assert got is eras._order_for_date_plain(day), day
        seen.add(None if got is None else got.key)
        day += dt.timedelta(days=1)
    assert seen == {None} | {o.key for o in eras.ORDERS}
    assert eras.order_for_date(None) is None


# --- cable marked portions ------------------------------------------------------------------

def test_marked_portions_same_as_plain() -> None:
    from markings.rules import cable

    def plain(doc: Document) -> list[object]:
        return [(p, p.mark.marking) for p in cable._in_scope(doc)
                if p.mark is not None and p.mark.marking is not None
                and cable._plausible(doc, p)]

    n = 0
    for doc in _docs():
        got = cable._marked_portions(doc)
        want = plain(doc)
        assert len(got) == len(want) and all(
            a[0] is b[0] and a[1] is b[1] for a, b in zip(got, want)), doc.path
        n += len(got)
    assert n


# --- Hit construction ------------------------------------------------------------------------

def test_hit_init_same_as_generated() -> None:
    """Hit's own __init__ gives what the frozen dataclass's generated one gives."""
    import dataclasses

    from markings.findings import Severity, make_span
    from markings.registry import Hit

    @dataclasses.dataclass(frozen=True)
    class PlainHit:
        span: object
        message: str
        key: str = ""
        severity: object = None
        related: tuple[object, ...] = ()

    sp, sp2 = make_span(1, 5, 1, 2, 1, 6), make_span(9, 12, 2, 1, 2, 4)
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = [
        ((sp, "m"), {}), ((sp, "m", "k"), {}), ((sp, "m"), {"key": "k"}),
        ((sp, "m"), {"key": "k", "severity": Severity.INFO, "related": (sp2,)}),
        ((), {"span": sp, "message": "m", "key": "k"}),
        ((sp, "m", "k", Severity.WARNING, (sp, sp2)), {})]
    for args, kw in calls:
        got, want = Hit(*args, **kw), PlainHit(*args, **kw)  # type: ignore[arg-type]
        assert got.__dict__ == want.__dict__
        assert list(got.__dict__) == list(want.__dict__)  # same order
        assert hash(got) == hash(Hit(*args, **kw))  # type: ignore[arg-type]
        assert got == Hit(*args, **kw)  # type: ignore[arg-type]
        assert repr(got) == repr(want).replace("PlainHit", "Hit", 1).replace(
            "test_hit_init_same_as_generated.<locals>.", "")
        with pytest.raises(dataclasses.FrozenInstanceError):
            got.key = "x"  # type: ignore[misc]
        assert dataclasses.replace(got, key="z").key == "z"
    with pytest.raises(TypeError):
        Hit(sp)  # type: ignore[call-arg]


# --- the cable date-time group, searched in the text up to an end position -------------------

def _dtg_texts() -> list[str]:
    line = "R 011849Z MAR 07\n"
    out = []
    for pad in (0, 1, 5983 - 1, 5983, 5984, 5985, 5999, 6000):
        head = ("X" * 79 + "\n") * (pad // 80) + "Y" * (pad % 80)
        out += [head + "\n" + line + "more", head + line, head + "\n" + line.rstrip("\n"),
                head + "\nR 011849Z MAR 2007 \nrest"]
    return out


def test_dtg_same_as_plain() -> None:
    from markings.rules.cable import _dtg, _dtg_plain

    found = 0
    for text in _dtg_texts():
        doc = _cable(text)
        assert _dtg(doc) == _dtg_plain(doc), len(text)
        found += _dtg(doc) is not None and _dtg(doc)[1] is not None  # type: ignore[index]
    assert found
    for doc in _docs():
        assert _dtg(doc) == _dtg_plain(doc), doc.path
