"""Catalogue group A-II (A20-A33): consistency inside one marking, table-driven."""

from __future__ import annotations

import datetime as _dt

import pytest

from markings.document import Banner, Caption, Document, MarkingRef, Portion
from markings.findings import Severity, Span
from markings.parse import parse_marking
from markings.registry import Context, Hit, get_rule


def doc_with(*markings: str, date: _dt.date | None = None) -> Document:
    """Banner-form strings become banners, parenthesised ones portions."""
    banners, portions = [], []
    for i, text in enumerate(markings):
        sp = Span(line=i + 1)
        m = parse_marking(text)
        if text.startswith("("):
            portions.append(Portion(span=sp, mark=MarkingRef(text=text, span=sp, marking=m)))
        else:
            banners.append(Banner(text=text, span=sp, marking=m))
    return Document(path="t.txt", banners=banners, portions=portions, date=date)


def hits(code: str, doc: Document) -> list[Hit]:
    rule = get_rule(code)
    assert rule is not None
    return list(rule.check(doc, Context()))


CASES = [
    ("MK120", "(S//FOUO)", True), ("MK120", "(U//FOUO)", False),
    ("MK121", "(S//SBU)", True), ("MK121", "(C//DCNI)", True), ("MK121", "(S//NF//SBU-NF)", True),
    ("MK121", "(U//SBU)", False), ("MK121", "(C//NF)", False), ("MK121", "(S//LES)", False),
    ("MK122", "(C//TK)", True), ("MK122", "(U//OC)", True),
    ("MK122", "(S//SI-G ABCD//OC/NF)", True), ("MK122", "(S//TK)", False),
    ("MK122", "(C//OC/NF)", False), ("MK122", "(TS//SI-G ABCD//OC/NF)", False),
    ("MK123", "(TS//SI-G ABCD//NF)", True), ("MK123", "(S//HCS-P//OC)", True),
    ("MK123", "(TS//SI-G ABCD//OC/NF)", False), ("MK123", "(S//HCS-P//NF)", False),
    ("MK124", "(S//NF/REL TO USA, GBR)", True), ("MK124", "SECRET//RELIDO/DISPLAY ONLY IRQ", True),
    ("MK124", "(S//NF)", False), ("MK124", "(S//REL TO USA, GBR/RELIDO)", False),
    ("MK125", "(S//OC/RELIDO)", True), ("MK125", "(TS//OC/OC-USGOV/NF)", True),
    ("MK125", "(S//OC/NF)", False), ("MK125", "(TS//OC/NF)", False),
    ("MK126", "(S//REL TO GBR)", True), ("MK126", "(S//REL TO USA)", True),
    ("MK126", "(S//REL TO GBR, USA)", True), ("MK126", "(S//REL TO USA, GBR)", False),
    ("MK127", "(S//CNWDI)", True), ("MK127", "(C//RD-CNWDI)", True), ("MK127", "(S//RD/FRD)", True),
    ("MK127", "(S//RD-CNWDI)", False), ("MK127", "(S//FRD-SG 14)", False),
    ("MK128", "(S//XD)", True), ("MK128", "(S//NF//XD/ND)", True),
    ("MK128", "(S//NF//XD)", False), ("MK128", "(S//NF//ND)", False),
    ("MK129", "(U//NF//SBU-NF)", True), ("MK129", "(U//REL TO USA, GBR//LES-NF)", True),
    ("MK129", "(U//SBU-NF)", False), ("MK129", "(U//NF//SBU)", False),
    ("MK130", "SECRET//USA/DEU EYES ONLY", True), ("MK130", "(TS//REL TO USA, CAN, GBR)", False),
    ("MK131", "//JOINT SECRET CAN USA//NOFORN", True),
    ("MK131", "//JOINT SECRET CAN USA//REL TO USA, CAN", False),
    ("MK132", "(S//FGI DEU//RELIDO)", True), ("MK132", "(S//FGI DEU//REL TO USA, DEU)", False),
    ("MK133", "SECRET//PROPIN", True), ("MK133", "SECRET//NOFORN/PROPIN", False),
]


def _safe_parse(text: str) -> bool:
    try:
        parse_marking(text)
    except Exception:
        return False
    return True


@pytest.mark.parametrize(("code", "marking", "fires"), CASES)
def test_catalogue_examples(code: str, marking: str, fires: bool) -> None:
    if not _safe_parse(marking):
        pytest.skip(f"parser rejects {marking}")  # reported by the syntax rules instead
    found = hits(code, doc_with(marking, date=_dt.date(2020, 1, 1)))
    assert bool(found) is fires, [h.message for h in found]


@pytest.mark.parametrize("marking", sorted({m for _c, m, f in CASES if not f}))
def test_passing_markings_clean_for_whole_family(marking: str) -> None:
    doc = doc_with(marking, date=_dt.date(2010, 1, 1))
    fired = {f"MK1{n}": [h.message for h in hits(f"MK1{n}", doc)] for n in range(20, 34)}
    assert {k: v for k, v in fired.items() if v} == {}


def test_eyes_only_dated_after_waiver_warns_and_unknown_date_is_info() -> None:
    after = hits("MK130", doc_with("(TS//EYES)", date=_dt.date(2020, 5, 1)))
    assert [h.severity for h in after] == [None]  # rule default: warning
    unknown = hits("MK130", doc_with("(TS//EYES)"))
    assert [h.severity for h in unknown] == [Severity.INFO]
    assert hits("MK130", doc_with("(TS//EYES)", date=_dt.date(2012, 5, 1))) == []


def test_state_limdis_caption_is_not_nga_ds() -> None:
    doc = doc_with("CONFIDENTIAL")
    doc.captions.append(Caption(text="LIMDIS", span=Span()))
    assert hits("MK121", doc) == []


def test_propin_banner_uses_cable_noforn_caption() -> None:
    doc = doc_with("SECRET//PROPIN")
    doc.captions.append(Caption(text="NOFORN", span=Span()))
    assert hits("MK133", doc) == []


def test_messages_quote_marking_and_fix() -> None:
    (h,) = hits("MK126", doc_with("(S//REL TO GBR, USA)"))
    assert "`(S//REL TO GBR, USA)`" in h.message and "`REL TO USA, GBR`" in h.message
    assert h.key == "(S//REL TO GBR, USA)|usa-first"


def test_a26_fix_uses_codes_not_country_names() -> None:
    import datetime as dt

    from markings.config import Config
    from markings.engine import check_text

    text = ("SECRET//REL TO USA, RUS\n\n                              12 March 2014\n\n"
            "(S//REL to RUSSIA) Text.\n\nClassified By: J. Doe\nReason: 1.4(c)\n"
            "Declassify On: 20350101\n\nSECRET//REL TO USA, RUS\n")
    rep = check_text(text, path="x.txt", config=Config(select=["MK126"],
                                                       today=dt.date(2025, 6, 1)))
    [f] = rep.findings
    assert "`REL TO USA, RUS`" in f.message and "RUSSIA`" not in f.message.split(";")[1]
