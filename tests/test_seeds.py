"""The four seed documents, read as a careful reviewer would (skipped without ../shared)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from markings.document import Document
from markings.read import read_path
from markings.scan import build

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _seed(prefix: str) -> Document:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    found = sorted(SEEDS.glob(prefix + "_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not available")
    return build(read_path(found[0]), path=str(found[0]))


def _numbered_marks(doc: Document) -> list[str]:
    return [p.mark.text if p.mark else "-" for p in doc.portions if p.kind == "numbered"]


def _level_name(doc: Document) -> str | None:
    b = doc.banners[0]
    if b.marking is None:
        return None
    return b.marking.level.title


def test_seed_000_cable() -> None:
    doc = _seed("000")
    assert (doc.form, doc.style) == ("plain", "cable")
    assert [(b.text, b.position, b.spaced) for b in doc.banners] == [
        ("S E C R E T", "top", True)]
    assert doc.banners[0].span.line == 12
    assert _numbered_marks(doc) == ["(S)"] * 4
    assert all(p.mark for p in doc.portions if p.kind == "numbered")
    a = doc.authority
    assert a is not None
    assert (a.eo, a.decl.raw if a.decl else None) == ("12958", "09/14/2015")
    assert a.classified_by and [(r.section, r.letters) for r in a.reasons] == [
        ("1.4", ("b", "d"))]
    assert (doc.date, doc.cable_id) == (dt.date(2005, 9, 14), "05MOSCOW11807")
    # REF: (A) STATE 165022 (B) MOSCOW 11500 holds no portions
    ref_line = 20
    assert all(p.span.line != ref_line for p in doc.portions)
    if doc.banners[0].marking is not None:
        assert _level_name(doc) == "SECRET"
        assert {p.mark.marking.level.title for p in doc.portions
                if p.mark and p.mark.marking} == {"SECRET"}


def test_seed_001_tokenized_cable() -> None:
    doc = _seed("001")
    assert (doc.form, doc.style) == ("tokenized", "cable")
    assert [b.text for b in doc.banners] == ["S E C R E T"]
    assert "NOFORN" in [c.text for c in doc.captions]
    assert _numbered_marks(doc) == ["(U)", "(S)", "(S/NF)", "(S)", "(U)", "(S/NF)", "(S)",
                                    "(S)", "(SBU)"]
    assert [p.number for p in doc.portions if p.kind == "numbered"] == [
        str(i) for i in range(1, 10)]
    a = doc.authority
    assert a is not None and a.decl is not None and a.decl.raw == "01/29/2019"
    assert a.classified_by and a.reasons and a.reasons[0].section == "1.4"
    assert a.reasons[0].letters == ("b", "d")
    # the REFS list "( A ) 2005 STATE 165022 ( B ) ..." is on line 1, before paragraph 1
    first_para = min(p.span.start for p in doc.portions if p.kind == "numbered")
    assert all(p.kind == "subject" or p.span.start >= first_para for p in doc.portions)
    # spans are in file coordinates: the mark of paragraph 3 starts at its "(" in the file
    p3 = [p for p in doc.portions if p.number == "3"][0]
    assert p3.mark is not None
    assert doc.text[p3.mark.span.start] == "("
    if p3.mark.marking is not None:
        assert p3.mark.canonical == "(S//NF)"
        assert doc.rollup() is not None
    # the talking points: "... the following points: ( S/REL to [LOC RUSSIA  ] ) Begin
    # Talking Points -- ...", a mark in the middle of a line of paragraph 8
    tp = [p for p in doc.portions if p.kind == "paragraph" and p.mark]
    assert [(p.mark.text, p.mark.span.line) for p in tp] == [("(S/REL to RUSSIA)", 33)]
    assert doc.text[tp[0].mark.span.start] == "("
    p8 = [p for p in doc.portions if p.number == "8"][0]
    assert p8.span.end <= tp[0].span.start


def test_seed_001_talking_points_release_mark_is_reported() -> None:
    import datetime as _d

    from markings.config import Config
    from markings.engine import check_document

    doc = _seed("001")
    found = [(f.code, f.line, f.message) for f in check_document(
        doc, Config(today=_d.date(2026, 1, 1))) if f.code == "MK508"]
    assert found == [("MK508", 33, "Paragraph mark `(S/REL to RUSSIA)` uses a non-standard "
                      "release list (`RUSSIA` for `RUS`; no `USA`); write `(S//REL TO USA, "
                      "RUS)`.")]


def test_seed_003_multisection_tokenized_cable() -> None:
    doc = _seed("003")
    assert (doc.form, doc.style) == ("tokenized", "cable")
    assert [(b.text, b.section) for b in doc.banners] == [("S E C R E T", "01 OF 04")]
    marks = _numbered_marks(doc)
    assert len(marks) == 13 and marks[0] == "(C)"
    assert marks[5:7] == ["(S)", "(S)"] and set(marks) == {"(C)", "(S)"}
    a = doc.authority
    assert a is not None and a.eo == "12958"
    assert a.decl is not None and a.decl.raw == "10/09/2017"
    assert a.reasons and a.reasons[0].letters == ("b", "d")
    assert [c.text for c in doc.captions] == ["SIPDIS", "SIPDIS"]
    # "MOSCOW 00005154 002 OF 004" is a later section's continuation header inside
    # paragraph text: no banner (it carries no marking), but a section of the cable
    assert "00005154 002 OF 004" in doc.text
    assert len(doc.banners) == 1
    assert [(s.text, s.number, s.total, s.span.line) for s in doc.sections] == [
        ("MOSCOW 00005154 002 OF 004", 2, 4, 27), ("MOSCOW 00005154 003 OF 004", 3, 4, 50),
        ("MOSCOW 00005154 004 OF 004", 4, 4, 74)]
    for s in doc.sections:
        assert doc.text[s.span.start:s.span.end].split()[-3:] == s.text.split()[-3:]


def test_seed_002_news_article_is_unmarked() -> None:
    doc = _seed("002")
    assert doc.style == "unmarked"
    assert doc.banners == []
    assert all(p.mark is None for p in doc.portions)
    assert doc.captions == [] and doc.authority is None
    assert "secret" in doc.text.lower()  # the word is there, in prose
