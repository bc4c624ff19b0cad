"""Scan stage: banners, captions, authority block, portions, traps, dates, golden models."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings.dates import date_from_dtg, document_date, year_from_cable_id
from markings.document import Document
from markings.read import read_path, source_from_text
from markings.scan import build

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"


def _doc(text: str, path: str = "<text>", form: str | None = None) -> Document:
    return build(source_from_text(text, path=path, form=form), path=path)


def _marks(doc: Document) -> list[str]:
    return [p.mark.text for p in doc.portions if p.mark]


# --- banners and style -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "style", "banners"), [
    ("SECRET//NOFORN\n\n(S//NF) Body.\n\nSECRET//NOFORN\n", "memo",
     [("SECRET//NOFORN", "top"), ("SECRET//NOFORN", "bottom")]),
    ("UNCLASSIFIED//FOUO\n\n(U//FOUO) Body.\n", "memo", [("UNCLASSIFIED//FOUO", "top")]),
    ("S E C R E T SECTION 01 OF 04 MOSCOW 005154\n\nSIPDIS\n\nE.O. 12958: DECL: 10/09/2017\n"
     "TAGS: PREL\nSUBJECT: X\n\n1. (C) Body.\n", "cable", [("S E C R E T", "top")]),
    ("UNCLAS SAN JOSE 001634\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: SNAR\nSUBJECT: Y\n\n"
     "1. (U) Body.\n", "cable", [("UNCLAS", "top")]),
    ("UNCLAS SENSITIVE STATE 012345\n\nE.O. 12958: N/A\nSUBJECT: Y\n\n1. (SBU) Body.\n",
     "cable", [("UNCLAS SENSITIVE", "top")]),
    ("The secret talks were secret.\n\nNobody marked anything here.\n", "unmarked", []),
    ("Secret\n\nA short story.\n", "unmarked", []),
])
def test_banners_and_style(text: str, style: str, banners: list[tuple[str, str]]) -> None:
    doc = _doc(text)
    assert doc.style == style
    assert [(b.text, b.position) for b in doc.banners] == banners


def test_cable_banner_span_and_section() -> None:
    text = "O 141513Z SEP 05\nFM X\n\nS E C R E T SECTION 01 OF 04 MOSCOW 005154\n\n1. (S) x\n"
    doc = _doc(text)
    b = doc.banners[0]
    assert (b.spaced, b.section, b.span.line, b.span.column) == (True, "01 OF 04", 4, 1)
    assert text[b.span.start:b.span.end] == "S E C R E T"


def test_page_header_is_not_a_banner() -> None:
    text = ("S E C R E T SECTION 01 OF 02 MOSCOW 005154\n\nE.O. 12958: DECL: 10/09/2017\n"
            "SUBJECT: X\n\n1. (S) First part of a paragraph that goes on\n"
            "MOSCOW 00005154 002 OF 002\nand continues here.\n\n2. (C) Next.\n")
    doc = _doc(text)
    assert len(doc.banners) == 1
    numbered = [p for p in doc.portions if p.kind == "numbered"]
    assert [p.number for p in numbered] == ["1", "2"]
    assert "continues here" in text[numbered[0].span.start:numbered[0].span.end]


def test_later_section_banner() -> None:
    text = ("C O N F I D E N T I A L SECTION 01 OF 02 ANKARA 008852\n\nE.O. 12958: DECL: "
            "12/04/2012\nSUBJECT: X\n\n1. (C) a\n\nC O N F I D E N T I A L SECTION 02 OF 02 "
            "ANKARA 008852\n\n2. (C) b\n")
    doc = _doc(text)
    assert [(b.position, b.section) for b in doc.banners] == [
        ("top", "01 OF 02"), ("section", "02 OF 02")]


# --- captions and header ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "captions"), [
    ("S E C R E T STATE 012345\n\nNOFORN\nSIPDIS\n\nE.O. 12958: DECL: 01/01/2015\n"
     "SUBJECT: SENSITIVE ISSUES\n\n1. (S) x\n", ["NOFORN", "SIPDIS"]),
    ("S E C R E T ISLAMABAD 002487SIPDISE.O. 12958: DECL: 05/18/2016 TAGS: PREL "
     "SUBJECT: X\n1. (S) x\n", ["SIPDIS"]),
    ("C O N F I D E N T I A L STATE 000001\n\nSIPDIS\nEXDIS\n\nE.O. 12958: DECL: 1/1/2015\n"
     "SUBJECT: X\n\nNOFORN\n\nREF: A\n\n1. (C) x\n", ["SIPDIS", "EXDIS", "NOFORN"]),
])
def test_captions(text: str, captions: list[str]) -> None:
    doc = _doc(text)
    assert [c.text for c in doc.captions] == captions


@pytest.mark.parametrize(("text", "eo", "decl", "letters", "na"), [
    ("S E C R E T MOSCOW 011807\n\nE.O. 12958: DECL: 09/14/2015\nSUBJECT: X\n\n"
     "Classified By: Political Minister Counselor,\nReasons 1.4 (b) and (d).\n\n1. (S) x\n",
     "12958", "09/14/2015", ("b", "d"), False),
    ("C O N F I D E N T I A L ANKARA 000348\n\nEO 12958 DECL: 01/07/2014\nSUBJECT: X\n\n"
     "(U) Classified by Ambassador; reasons: 1.5 (b,d).\n\n1. (C) x\n",
     "12958", "01/07/2014", ("b", "d"), False),
    ("UNCLAS STATE 000001\n\nE.O. 12958: N/A\nTAGS: X\nSUBJECT: Y\n\n1. (U) x\n",
     "12958", None, (), True),
    ("S E C R E T PARIS 001699\n\nE.O. 12958: DECL: 03/13/2015\nSUBJECT: X\n\n"
     "Classified By: Counselor, FOR REASONS 1.4 B/D\n\n1. (S) x\n",
     "12958", "03/13/2015", ("b", "d"), False),
])
def test_cable_authority(text: str, eo: str, decl: str | None, letters: tuple[str, ...],
                         na: bool) -> None:
    a = _doc(text).authority
    assert a is not None
    assert (a.eo, a.eo_na) == (eo, na)
    assert (a.decl.raw if a.decl else None) == decl
    assert (a.reasons[0].letters if a.reasons else ()) == letters
    if letters:
        assert a.classified_by and a.reasons[0].section in ("1.4", "1.5")


def test_memo_cab() -> None:
    text = ("SECRET\n\n(S) Body.\n\nClassified By: J. Doe, Chief\nDerived From: Multiple "
            "Sources\nDeclassify On: 20390312\nSources:\n- Memo A\n- Memo B\n\nSECRET\n")
    doc = _doc(text)
    a = doc.authority
    assert a is not None and a.classified_by
    assert a.derived_from == "Multiple Sources" and a.sources_list
    assert a.declassify_on is not None and a.declassify_on.raw == "20390312"
    assert a.declassify_on_span is not None and a.declassify_on_span.line == 7
    assert _marks(doc) == ["(S)"]  # CAB and sources lines are not portions


# --- portions and traps ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # numbered cable paragraphs, lettered sub-paragraphs and bullets
    ("S E C R E T STATE 000001\n\nE.O. 12958: DECL: 1/1/2015\nSUBJECT: (U) X\n\n"
     "1. (S) a\n\n2. (C) b:\nA. (C) c\nB. (U) d\n-- e\n",
     [("subject", None, "(U)"), ("numbered", "1", "(S)"), ("numbered", "2", "(C)"),
      ("subparagraph", "A", "(C)"), ("subparagraph", "B", "(U)"), ("bullet", None, None)]),
    # pilcrow paragraphs as in the corpus
    ("C O N F I D E N T I A L STATE 000001\n\nE.O. 12958: DECL: 1/1/2015\nSUBJECT: X\n\n"
     "\u00b61. (C) a\n\n\u00b62. (S/NF) b\n",
     [("subject", None, None), ("numbered", "1", "(C)"), ("numbered", "2", "(S/NF)")]),
    # memo paragraphs separated by blank lines, one unmarked
    ("SECRET\n\n(S) one\n\nno mark here\n\n(U) three\n\nSECRET\n",
     [("paragraph", None, "(S)"), ("paragraph", None, None), ("paragraph", None, "(U)")]),
    # a marked line directly after a sentence starts a portion
    ("SECRET\n\n(U) First sentence.\n(S) Second portion.\n\nSECRET\n",
     [("paragraph", None, "(U)"), ("paragraph", None, "(S)")]),
])
def test_portions(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    doc = _doc(text)
    got = [(p.kind, p.number, p.mark.text if p.mark else None) for p in doc.portions]
    assert got == expected


@pytest.mark.parametrize("text", [
    # reference lists under REF: are not portions
    "UNCLAS THE HAGUE 001910\n\nE.O. 12958: N/A\nSUBJECT: X\n\nREF: (A) THE HAGUE 2929 "
    "(B) STATE 1\n(C) THE HAGUE 2308\n\n1. (U) body\n",
    "S E C R E T STATE 014070\n\nSUBJECT: X\nREFS: ( A ) 2005 STATE 165022 ( B ) 2005 "
    "MOSCOW 11807\n\n1. (U) body\n",
    # reasons, enumerations, copyright, FOIA codes
    "UNCLASSIFIED\n\n(U) Items (a) one, (b) two and (c) three; see (b)(1).\n\n"
    "(C) 2010 Example Press.\n\n(b)(1) withheld\n\nReasons 1.4 (b) and (d) apply.\n",
])
def test_traps_are_not_portion_marks(text: str) -> None:
    doc = _doc(text)
    assert _marks(doc) in (["(U)"], [])
    assert all(p.mark is None or p.mark.text == "(U)" for p in doc.portions)


def test_lettered_labels_in_sequence_are_not_marks() -> None:
    doc = _doc("UNCLASSIFIED\n\n(U) List:\n\n(A) first\n(B) second\n(C) third\n")
    assert _marks(doc) == ["(U)"]
    assert [p.number for p in doc.portions if p.kind == "subparagraph"] == ["A", "B", "C"]


def test_tokenized_portions_and_mark_text() -> None:
    raw = ("<code><pre>S E C R E T STATE 014070 NOFORN E.O. 12958: [LOC DECL:  ] 01/29/2019 "
           "SUBJECT: X REFS: ( A ) 2005 STATE 165022 ( B ) 2005 [LOC MOSCOW  ] 11807 "
           "CLASSIFIED BY EUR/FO , REASONS: 1.4 ( B ) AND ( D ) . "
           "<a id='par1' href='#par1'>\u00b6</a>1 . \n( U ) This . \nMore ( C ) text . "
           "<a id='par2' href='#par2'>\u00b6</a>2 . \n( [LOC S/NF  ] ) Next .</pre></code>")
    doc = _doc(raw, path="c.txt")
    assert doc.form == "tokenized" and doc.style == "cable"
    assert [c.text for c in doc.captions] == ["NOFORN"]
    assert _marks(doc) == ["(U)", "(S/NF)"]
    p = [p for p in doc.portions if p.kind == "numbered"][1]
    assert p.mark is not None and raw[p.mark.span.start] == "("
    assert doc.authority is not None and doc.authority.reasons[0].letters == ("b", "d")


_TOK_HEAD = ("<code><pre>S E C R E T STATE 014070 NOFORN E.O. 12958: [LOC DECL:  ] 01/29/2019 "
             "SUBJECT: X REFS: ( A ) 2005 STATE 165022 ( B ) 2005 [LOC MOSCOW  ] 11807 "
             "( C ) 2005 STATE 117165 CLASSIFIED BY EUR/FO , REASONS: 1.4 ( B ) AND ( D ) . ")


@pytest.mark.parametrize(("body", "marks"), [
    # after a colon, before "Begin" / "--": a mark a reviewer sees, a portion of its own
    ("\u00b68 . \n( S ) Post may draw on these points: ( S/REL to [LOC RUSSIA  ] ) Begin "
     "Points -- The [LOC U.S.  ] view . \n-- Second point .",
     ["(S)", "(S/REL to RUSSIA)"]),
    ("\u00b68 . \n( S ) Text . \nWe said ( C ) -- the rest .", ["(S)", "(C)"]),
    # a sentence that opens with a mark
    ("\u00b68 . \n( S ) Text . \n( C ) Comment : more text .", ["(S)", "(C)"]),
    # reference lists and prose parentheses are no marks
    ("\u00b68 . \n( S ) See REF: ( A ) 2005 STATE 1 ( B ) 2005 STATE 2 ( C ) 2005 STATE 3 .",
     ["(S)"]),
    ("\u00b68 . \n( S ) Text . \n( C ) 2005 STATE 117165 is the reference .", ["(S)"]),
    ("\u00b68 . \n( S ) Text . \n( C ) [LOC MOSCOW  ] 11807 is the reference .", ["(S)"]),
    ("\u00b68 . \n( S ) The Government of [LOC Venezuela  ] 's ( GOV ) plans ( Ref A ) : "
     "( SA/LW ) -- small arms .", ["(S)"]),
    ("\u00b68 . \n( S ) Items ( A ) one ( B ) two: ( C ) -- three .", ["(S)"]),
])
def test_tokenized_marks_where_a_reviewer_sees_them(body: str, marks: list[str]) -> None:
    raw = _TOK_HEAD + "<a id='par8' href='#par8'>" + body + "</pre></code>"
    doc = _doc(raw, path="c.txt")
    assert doc.form == "tokenized"
    assert _marks(doc) == marks
    for p in doc.portions:
        if p.mark is not None:
            assert raw[p.mark.span.start] == "("
            assert p.span.start <= p.mark.span.start < p.span.end


def test_unparseable_mark_keeps_error() -> None:
    pytest.importorskip("markings.parse")
    doc = _doc("SECRET//NOFORN\n\n(S//NOFRON) Body.\n\nSECRET//NOFORN\n")
    ref = doc.portions[0].mark
    assert ref is not None and ref.text == "(S//NOFRON)"
    assert ref.marking is None and ref.error
    assert ref.suggestion == "NOFORN"


def test_spans_point_at_original_file() -> None:
    text = "<html><body>\n<p>SECRET</p>\n<p>  (S) Body &amp; more.</p>\n</body></html>\n"
    doc = _doc(text, path="m.html")
    ref = doc.portions[0].mark
    assert ref is not None
    assert text[ref.span.start:ref.span.end] == "(S)"
    assert (ref.span.line, ref.span.column) == (3, 6)


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cable_id", "cable", "date", "source"), [
    ("O 141513Z SEP 05\nFM X\n", None, True, dt.date(2005, 9, 14), "dtg"),
    ("P 141530Z SEP 05\n", None, True, dt.date(2005, 9, 14), "dtg"),
    ("05MOSCOW11807\n2005-09-14 15:03\n2010-12-08 21:09\nSECRET\n", None, True,
     dt.date(2005, 9, 14), "metadata"),
    ("no date at all\n", "08ROME1234", True, dt.date(2008, 1, 1), "cable-id"),
    ("SECRET\n\n12 March 2014\n", None, False, dt.date(2014, 3, 12), "memo-date"),
    ("SECRET\n\nMarch 12, 2014\n", None, False, dt.date(2014, 3, 12), "memo-date"),
    ("SECRET\n\nDate: 2014-03-12\n", None, False, dt.date(2014, 3, 12), "metadata"),
    ("nothing", None, False, None, None),
])
def test_document_date(text: str, cable_id: str | None, cable: bool, date: dt.date | None,
                       source: str | None) -> None:
    d, src = document_date(text, cable_id=cable_id, cable=cable)
    if source == "metadata" and not cable:
        assert d == date  # an ISO date line is read either way
    else:
        assert (d, src) == (date, source)


@pytest.mark.parametrize(("cid", "year"), [
    ("05MOSCOW11807", 2005), ("08ROME1234", 2008), ("99STATE1", 1999), ("MOSCOW", None)])
def test_year_from_cable_id(cid: str, year: int | None) -> None:
    assert year_from_cable_id(cid) == year


def test_dtg_bad_day_is_none() -> None:
    assert date_from_dtg("O 311513Z FEB 05\n") is None


def test_cable_id_from_path_and_header() -> None:
    doc = _doc("S E C R E T MOSCOW 011807\n\n1. (S) x\n", path="/x/05MOSCOW11807.txt")
    assert doc.cable_id == "05MOSCOW11807" and doc.date == dt.date(2005, 1, 1)
    doc2 = _doc("O 141513Z SEP 05\n\nS E C R E T MOSCOW 011807\n\n1. (S) x\n")
    assert doc2.cable_id == "05MOSCOW11807" and doc2.date_source == "dtg"


# --- robustness ----------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("SECRTUNOFRAL()/-.:\u00b6 \n\t[]<>&;#*0123456789abcdxyz") + [
    "SECRET", "//", "NOFORN", "(S)", "(C)", "S E C R E T ", "E.O. 12958: DECL: ",
    "Classified By: ", "Reasons 1.4 (b) and (d)", "SUBJECT: ", "REF: ", "\n\n", "1. ",
    "[LOC ", "  ]", "<a href='x'>", "</a>", "<p>", "&amp;", "UNCLAS ", "SECTION 01 OF 02 "])


@settings(max_examples=120, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join),
       st.sampled_from([None, "plain", "markdown", "html", "tokenized"]))
def test_build_never_raises(text: str, form: str | None) -> None:
    src = source_from_text(text, path="fuzz.txt", form=form)
    doc = build(src, path="fuzz.txt")
    assert len(doc.text) == len(text)
    for p in doc.portions:
        assert 0 <= p.span.start <= p.span.end <= len(text)
    for b in doc.banners:
        assert 0 <= b.span.start < b.span.end <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_build_never_raises_on_any_text(text: str) -> None:
    doc = build(source_from_text(text, path="any.txt"))
    assert doc.style in ("cable", "memo", "unmarked")


def test_huge_single_line_is_fine() -> None:
    text = "SECRET\n\n(S) " + "word " * 200_000 + "\n\nSECRET\n"
    doc = _doc(text)
    assert _marks(doc) == ["(S)"] and len(doc.banners) == 2


# --- golden fixtures -----------------------------------------------------------------------

def model_essentials(doc: Document) -> dict[str, Any]:
    """The parts of a document model the golden files pin down."""
    a = doc.authority
    return {
        "form": doc.form, "style": doc.style, "cable_id": doc.cable_id,
        "date": doc.date.isoformat() if doc.date else None, "date_source": doc.date_source,
        "banners": [{"text": b.text, "canonical": b.canonical, "position": b.position,
                     "section": b.section, "spaced": b.spaced, "line": b.span.line,
                     "error": b.error} for b in doc.banners],
        "captions": [c.text for c in doc.captions],
        "portions": [{"kind": p.kind, "number": p.number, "line": p.span.line,
                      "mark": p.mark.text if p.mark else None,
                      "canonical": p.mark.canonical if p.mark else None,
                      "error": p.mark.error if p.mark else None,
                      "parent": p.parent} for p in doc.portions],
        "authority": None if a is None else {
            "eo": a.eo, "eo_na": a.eo_na, "decl": a.decl.raw if a.decl else None,
            "classified_by": a.classified_by,
            "reasons": [[r.section, list(r.letters)] for r in a.reasons],
            "derived_from": a.derived_from,
            "declassify_on": a.declassify_on.raw if a.declassify_on else None,
            "sources_list": a.sources_list},
    }


GOLDEN = sorted(p for p in FIXTURES.glob("*") if p.suffix in (".txt", ".md", ".html"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_model(path: Path) -> None:
    pytest.importorskip("markings.parse")
    doc = build(read_path(path), path=path.name)
    got = model_essentials(doc)
    sidecar = path.with_suffix(".model.json")
    if os.environ.get("MARKINGS_UPDATE_GOLDEN") == "1" or not sidecar.exists():
        if os.environ.get("MARKINGS_UPDATE_GOLDEN") != "1":
            pytest.fail(f"missing {sidecar.name}; run with MARKINGS_UPDATE_GOLDEN=1")
        sidecar.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(sidecar.read_text())


# --- corpus review regressions (invented snippets; see docs/evaluation.md) -----------------

_CABLE_HEAD = ("C O N F I D E N T I A L STATE 012345\n\nSIPDIS\n\nE.O. 12958: DECL: 01/01/2018\n"
               "TAGS: PREL\nSUBJECT: (U) TEST\n\nClassified By: A B, reasons 1.4 (b) and (d).\n\n")


def test_wrapped_sentence_is_not_a_portion_mark() -> None:
    # "(R-TN)" after a line that ends mid-sentence (trailing blank included) is prose
    doc = _doc(_CABLE_HEAD + "1. (C) The delegation included Senator Roe (R-OH), Senator \n"
               "(R-TN), and Senator Doe.\n\n2. (C) More.\n", path="08STATE12345.txt")
    assert _marks(doc) == ["(U)", "(C)", "(C)"]


def test_mark_followed_by_comma_does_not_open_a_portion() -> None:
    doc = _doc("SECRET\n\n(S) Body.\n\n(NR), a unit name in prose.\n\nSECRET\n")
    assert _marks(doc) == ["(S)"]


def test_release_list_wrapped_after_a_comma() -> None:
    doc = _doc(_CABLE_HEAD + "1. (C//REL TO USA, AFG, KAZ,\nTJK, UZB) Points follow.\n\n"
               "2. (C) More.\n", path="08STATE12345.txt")
    p = next(x for x in doc.portions if x.number == "1")
    assert p.mark is not None and p.mark.text == "(C//REL TO USA, AFG, KAZ, TJK, UZB)"
    assert p.mark.marking is not None


@pytest.mark.parametrize("para", [
    "1. SUMMARY: (C) The talks went well.",
    "1. Summary and Comment: (C) The talks went well.",
    "1.. (C) The talks went well.",
])
def test_mark_after_lead_in_or_doubled_stop(para: str) -> None:
    doc = _doc(_CABLE_HEAD + para + "\n\n2. (C) More.\n", path="08STATE12345.txt")
    assert [x.mark.text if x.mark else None for x in doc.portions if x.number] == ["(C)", "(C)"]


def test_mark_directly_followed_by_a_parenthesis_is_kept() -> None:
    doc = _doc(_CABLE_HEAD + "1. (C)(Summary continued) Text.\n\n2. (C) More.\n",
               path="08STATE12345.txt")
    assert [x.mark.text if x.mark else None for x in doc.portions if x.number] == ["(C)", "(C)"]


@pytest.mark.parametrize("line", [
    "Classified By: A B for reasons 1 .4 (b) and (d).",
    "Classified By: A B for reasons 1.\n4 (b) and (d).",
])
def test_reason_section_with_stray_blank_or_break(line: str) -> None:
    text = _CABLE_HEAD.replace("Classified By: A B, reasons 1.4 (b) and (d).", line)
    doc = _doc(text + "1. (C) Body.\n", path="08STATE12345.txt")
    assert doc.authority is not None and doc.authority.reasons
    r = doc.authority.reasons[0]
    assert (r.section, r.letters) == ("1.4", ("b", "d"))


@pytest.mark.parametrize(("eo_line", "na", "decl"), [
    ("E.o. 12958: decl: 01/07/2014 Tags: prel", False, "01/07/2014"),  # case-mangled header
    ("E.O. 12958: n/a", True, None),
    ("E.O. 12958: N/A \\", True, None),                                 # stray character
    ("E.O. 12958: N/A \u2028", True, None),
    ("E.O. 12958: DECL: 08...", False, None),                           # cut off: unreadable
])
def test_eo_line_variants(eo_line: str, na: bool, decl: str | None) -> None:
    text = _CABLE_HEAD.replace("E.O. 12958: DECL: 01/01/2018", eo_line)
    doc = _doc(text + "1. (C) Body.\n", path="08STATE12345.txt")
    a = doc.authority
    assert a is not None and a.eo == "12958"
    assert bool(a.eo_na) is na
    assert (a.decl.raw if a.decl else None) == decl


def test_declassification_stamp_is_not_the_authority_line() -> None:
    text = ("UNCLAS TEHRAN 005055\n\nE.O. 12958: AS AMENDED; DECLASSIFIED JUNE 21, 2006\n"
            "TAGS: PREL\nSUBJECT: TEST\n\n1. TEXT.\n")
    doc = _doc(text, path="72TEHRAN5055.txt")
    assert doc.authority is None or (doc.authority.eo is None and doc.authority.decl is None)


def test_spaced_efto_line_parses() -> None:
    doc = _doc("UNCLAS E F T O LONDON 002240\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: X\n\n"
               "1. (U) Body.\n", path="09LONDON2240.txt")
    assert doc.banners and doc.banners[0].marking is not None


@pytest.mark.parametrize("first", [
    "SECRET SECTION 01 of 03 KABUL 000693",        # lowercase "of"
    "UNCLAS SECTION01 OF 03 SAN JOSE 000525",      # blank lost after SECTION
    "S E C R E T SECTION 02 OF 03QRIPOLI 000583",  # blank lost before the post
    "\u2028\u2028UNCLAS SECTION 01 OF 02 MEXICO 002205",
])
def test_cable_classification_line_variants(first: str) -> None:
    doc = _doc(first + "\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: X\n\n1. (U) Body.\n",
               path="09KABUL693.txt")
    assert doc.style == "cable" and doc.banners and doc.banners[0].marking is not None
    assert doc.banners[0].section is not None


# --- helper review regressions -------------------------------------------------------------

@pytest.mark.parametrize("mark", ["(//GBR S//NF)", "(//DEU S)", "(//NS)",
                                  "(//JOINT S CAN GBR USA)", "(DEU S)"])
def test_non_us_and_legacy_portion_marks_are_recognised(mark: str) -> None:
    doc = _doc(f"SECRET//NOFORN\n\n1. {mark} Foreign text.\n\n{mark} Unnumbered.\n\n"
               "SECRET//NOFORN\n")
    assert _marks(doc) == [mark, mark]
    assert all(p.mark is not None and p.mark.marking is not None for p in doc.portions)


@pytest.mark.parametrize("text", [
    "UNCLASSIFIED\n\n(U) The (USA S) team and (ABC S) unit met.\n\n(FBI S) is not a mark.\n",
    "UNCLASSIFIED\n\n(U) Intro.\n\n(XYZ S) is prose.\n",
])
def test_unknown_code_with_a_letter_is_not_a_mark(text: str) -> None:
    assert _marks(_doc(text)) == ["(U)"]


@pytest.mark.parametrize(("line", "section", "letters"), [
    ("Reason: 1.4(j)", "1.4", ("j",)),
    ("Reasons 1.4 (b) and (i).", "1.4", ("b", "i")),
    ("Reason: 1.4(c)", "1.4", ("c",)),
    ("Reason: 1.7(b)", "1.7", ("b",)),
    ("Reasons: 1.5 (b,d)", "1.5", ("b", "d")),
    ("Reasons 1.4 (b), (d) 1. (S) Text on the same line", "1.4", ("b", "d")),
    ("Reasons 1.4 (b) and (d) (S) Text on the same line", "1.4", ("b", "d")),
])
def test_reason_letters_after_h_and_other_sections_are_kept(
        line: str, section: str, letters: tuple[str, ...]) -> None:
    doc = _doc(f"SECRET\n\n(S) Body.\n\nClassified By: J. Doe, Chief\n{line}\n"
               "Declassify On: 20350101\n\nSECRET\n")
    assert doc.authority is not None and len(doc.authority.reasons) == 1
    r = doc.authority.reasons[0]
    assert (r.section, r.letters) == (section, letters)
    assert "Declassify" not in r.raw  # the reason ends at the next CAB line


@pytest.mark.parametrize("stamp", [
    "DECLASSIFIED",
    "DECLASSIFIED\nAuthority: NND 968012\nBy: A. Reviewer, NARA, Date: 2012-05-01",
    "DECLASSIFIED IN PART\nAuthority: E.O. 13526, NND 12345",
])
def test_release_stamp_under_the_banner_is_not_a_title(stamp: str) -> None:
    doc = _doc(f"SECRET//NOFORN\n\n{stamp}\n\n                  2 February 2004\n\n"
               "MEMORANDUM FOR: Director\nSUBJECT: (U) Meeting\n\n(S//NF) Body.\n\n"
               "(U) More.\n\nSECRET//NOFORN\n")
    assert [(p.kind, p.mark.text if p.mark else None) for p in doc.portions] == [
        ("subject", "(U)"), ("paragraph", "(S//NF)"), ("paragraph", "(U)")]


def test_spaced_memo_banner_is_a_banner() -> None:
    doc = _doc("S E C R E T\n\n(S) Body.\n\n(U) More.\n\nS E C R E T\n")
    assert doc.style == "memo"
    assert [(b.position, b.spaced, b.canonical) for b in doc.banners] == [
        ("top", True, "SECRET"), ("bottom", True, "SECRET")]
    assert _marks(doc) == ["(S)", "(U)"]


# --- garbled marks and banners (review of issue 3) ------------------------------------------

_GARBLED_MEMO = ("{banner}\n\n12 March 2014\n\nMEMORANDUM FOR THE RECORD\n\nSUBJECT: (U) Talks\n\n"
                 "{mark} The delegation said something about the talks.\n\n"
                 "(C) The second paragraph.\n\n{banner}\n")


@pytest.mark.parametrize("mark, reading, error_starts", [
    ("(S//NF", "(S//NF)", "A portion mark must be one pair"),  # no closing parenthesis
    ("(TS/SI//NF", "(TS//SI//NF)", "A portion mark must be one pair"),
    ("[S]", "(S)", "A portion mark must be one pair"),
    ("(SECERT)", "(S)", "Unknown marking token"),  # a misspelled level
    ("(CONFIDENTAL)", "(C)", "Unknown marking token"),
    ("(TOP SECERT)", "(TS)", "Unknown marking token"),
    ("(SECRT//NF)", "(S//NF)", "Unknown marking token"),
])
def test_garbled_portion_mark_is_a_mark_with_its_reading(mark: str, reading: str,
                                                         error_starts: str) -> None:
    doc = _doc(_GARBLED_MEMO.format(banner="SECRET//NOFORN", mark=mark), path="m.txt")
    first = next(p for p in doc.portions if p.kind != "subject")
    assert first.mark is not None and first.mark.text == mark
    assert first.mark.error is not None and first.mark.error.startswith(error_starts)
    assert first.mark.marking is not None and first.mark.marking.portion() == reading
    if error_starts.startswith("Unknown"):
        assert first.mark.suggestion == reading  # the whole corrected mark


@pytest.mark.parametrize("text", [
    "(SECTOR) a word in parentheses",  # near SECRET for difflib, not for us
    "(SECRETS) of the trade",
    "(C XXXXXXXXXXXX said so.",  # cut off or redacted: no separator, no mark
    "(U Thant said so.",
])
def test_near_misses_that_are_not_marks(text: str) -> None:
    doc = _doc(_GARBLED_MEMO.format(banner="SECRET", mark=text), path="m.txt")
    first = next(p for p in doc.portions if p.kind != "subject")
    assert first.mark is None


@pytest.mark.parametrize("banner, reading", [
    ("SECERT", "SECRET"), ("TOP SECERT", "TOP SECRET"), ("CONFIDENTAL", "CONFIDENTIAL"),
    ("SECERT//NOFORN", "SECRET//NOFORN"),
])
def test_misspelled_banner_is_a_garbled_banner(banner: str, reading: str) -> None:
    doc = _doc(_GARBLED_MEMO.format(banner=banner, mark="(S)"), path="m.txt")
    assert [(b.text, b.position) for b in doc.banners] == [(banner, "top"), (banner, "bottom")]
    for b in doc.banners:
        assert b.error is not None and b.suggestion == reading
        assert b.marking is not None and b.marking.banner() == reading
    assert not any(p.kind == "title" for p in doc.portions)


@pytest.mark.parametrize("first_line", ["SECTOR", "SECRETS", "EXECUTIVE SUMMARY", "SELECT"])
def test_headings_near_a_level_are_not_banners(first_line: str) -> None:
    doc = _doc(_GARBLED_MEMO.format(banner="SECRET", mark="(S)").replace(
        "SECRET\n", first_line + "\n", 1), path="m.txt")
    assert [b.text for b in doc.banners] == ["SECRET"]


@pytest.mark.parametrize("line", [
    "1. x", "\u00b6 2 .\n", "\u00b61. x", "-- x", "- x", "o x", "\u2022 x", "\u25aa x", "* x",
    "A. x", "\u00b6A. x", "(a) x", "(B) x", "  3 . (C) x", "12.x", "1.2 x", "x", "(ab) x",
])
def test_label_kind_is_the_last_group(line: str) -> None:
    """The scanner reads a label's kind from ``lastgroup``: the first of its groups that
    matched, as a search through them finds it."""
    from markings.scan import _LABEL_RE

    m = _LABEL_RE.match(line)
    if m is None:
        return
    assert m.lastgroup == next(k for k in ("num", "bul", "let", "plet") if m.group(k))
