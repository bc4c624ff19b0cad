"""Group B syntax rules: every failing and passing catalogue example."""

from __future__ import annotations

import datetime as dt

import pytest

from markings.document import Banner, Document, MarkingRef, Portion
from markings.findings import Severity, Span
from markings.model import MarkingSyntaxError
from markings.parse import parse_marking
from markings.registry import Context
from markings.rules import syntax as S


def _ref(text: str, portion: bool) -> dict[str, object]:
    try:
        m = parse_marking(text, "portion" if portion else "banner")
        return {"text": text, "span": Span(), "marking": m}
    except MarkingSyntaxError as e:
        return {"text": text, "span": Span(), "error": e.message, "suggestion": e.suggestion}


def doc_of(banner: str | None = None, portions: tuple[str, ...] = (), style: str = "memo",
           date: dt.date | None = dt.date(2020, 1, 1)) -> Document:
    banners = [Banner(**_ref(banner, False))] if banner else []  # type: ignore[arg-type]
    ps = [Portion(span=Span(), mark=MarkingRef(**_ref(p, True))) for p in portions]  # type: ignore[arg-type]
    return Document(path="t", banners=banners, portions=ps, style=style, date=date)  # type: ignore[arg-type]


def run(fn, doc: Document):  # type: ignore[no-untyped-def]
    return list(fn(doc, Context()))


B = "banner"
P = "portion"
CASES = [
    # (rule, kind, text, fails)
    (S.unknown_token, B, "SECRET//NOFRON", True), (S.unknown_token, P, "(S//ORC)", True),
    (S.unknown_token, B, "SECRET//NOFORN", False), (S.unknown_token, P, "(S//OC)", False),
    (S.category_order, B, "SECRET//NOFORN//SI", True),
    (S.category_order, B, "SECRET//EXDIS//NOFORN", True),
    (S.category_order, B, "SECRET//SI//NOFORN", False),
    (S.category_order, B, "SECRET//NOFORN//EXDIS", False),
    (S.register_order, B, "TOP SECRET//NOFORN/ORCON", True),
    (S.register_order, B, "SECRET//PROPIN/NOFORN", True),
    (S.register_order, B, "TOP SECRET//TK/SI", True),
    (S.register_order, B, "SECRET//RD-SIGMA 20 14", True),
    (S.register_order, B, "SECRET//RD-SIGMA 14 20", False),
    (S.register_order, B, "TOP SECRET//ORCON/NOFORN", False),
    (S.register_order, B, "SECRET//NOFORN/PROPIN", False),
    (S.register_order, B, "TOP SECRET//SI/TK", False),
    (S.duplicate_token, B, "SECRET//NOFORN/NOFORN", True),
    (S.duplicate_token, P, "(S//REL TO USA, GBR, GBR)", True),
    (S.duplicate_token, B, "SECRET//NOFORN", False),
    (S.duplicate_token, P, "(S//REL TO USA, GBR)", False),
    (S.category_separator, B, "SECRET/NOFORN", True),
    (S.category_separator, B, "SECRET//NOFORN", False),
    (S.within_category_separator, B, "SECRET//ORCON, NOFORN", True),
    (S.within_category_separator, B, "SECRET//ORCON//NOFORN", True),
    (S.within_category_separator, B, "SECRET//ORCON/NOFORN", False),
    (S.relto_list, B, "SECRET//REL TO USA, GBR, AUS", True),
    (S.relto_list, B, "SECRET//REL TO USA, NATO, GBR", True),
    (S.relto_list, B, "SECRET//REL TO USA/GBR", True),
    (S.relto_list, B, "SECRET//REL TO USA GBR", True),
    (S.relto_list, B, "SECRET//REL TO USA, AUS AND GBR", True),
    (S.relto_list, B, "SECRET//REL TO USA, AUS and GBR", True),
    (S.relto_list, P, "(S//REL TO USA,GBR)", True),
    (S.relto_list, P, "(S//REL TO USA , GBR)", True),
    (S.relto_list, B, "SECRET//REL TO USA, AUS, GBR, NATO", False),
    (S.country_code, P, "(S//REL TO USA, UK)", True),
    (S.country_code, P, "(S/REL to RUSSIA)", True),  # a memo: no cable form here
    (S.country_code, P, "(S/REL TO USA, UK)", True),
    (S.country_code, B, "SECRET//REL TO USA, ISAF", True),  # deprecated, 2020 document
    (S.country_code, P, "(S//REL TO USA, GBR)", False),
    (S.country_code, P, "(S//REL TO USA, RUS)", False),
    (S.country_code, B, "SECRET//REL TO USA, NATO", False),
    (S.fgi_list, B, "SECRET//FGI NATO GBR", True), (S.fgi_list, B, "SECRET//FGI GBR, JPN", True),
    (S.fgi_list, B, "SECRET//FGI GBR JPN NATO", False),
    (S.fgi_list, B, "SECRET//FGI USA GBR", True),
    (S.banner_form, B, "S//NF", True), (S.banner_form, B, "Secret//Noforn", True),
    (S.banner_form, B, "SECRET//NF", True), (S.banner_form, B, "SECRET//OC", True),
    (S.banner_form, B, "SECRET//NOFORN", False), (S.banner_form, B, "SECRET//ORCON", False),
    (S.banner_form, B, "SECRET//NOT RELEASABLE TO FOREIGN NATIONALS", False),
    (S.portion_form, P, "(SECRET//NOFORN)", True), (S.portion_form, P, "(S//NOFORN)", True),
    (S.portion_form, P, "(U//SBU NOFORN)", True),
    (S.portion_form, P, "(S//NF)", False), (S.portion_form, P, "(U//SBU-NF)", False),
    (S.sbu_les_noforn, B, "UNCLASSIFIED//SBU-NF", True),
    (S.sbu_les_noforn, P, "(U//SBU NF)", True), (S.sbu_les_noforn, P, "(U//SBU NOFORN)", True),
    (S.sbu_les_noforn, B, "UNCLASSIFIED//SBU NOFORN", False),
    (S.sbu_les_noforn, P, "(U//SBU-NF)", False),
    (S.non_us_prefix, B, "NATO SECRET", True), (S.non_us_prefix, P, "(DEU S)", True),
    (S.non_us_prefix, B, "//SECRET", True), (S.non_us_prefix, B, "//NATO SECRET", False),
    (S.non_us_prefix, P, "(//DEU S)", False), (S.non_us_prefix, B, "SECRET", False),
    (S.empty_or_padded, B, "SECRET////NOFORN", True),
    (S.empty_or_padded, B, "SECRET// NOFORN", True),
    (S.empty_or_padded, B, "SECRET//NOFORN//", True),
    (S.empty_or_padded, B, "SECRET//NOFORN", False),
    (S.empty_or_padded, B, "SECRET//SI-", True), (S.empty_or_padded, B, "SECRET//SAR-", True),
    (S.single_classification, P, "(S/C)", True),
    (S.single_classification, B, "TOP SECRET SECRET", True),
    (S.single_classification, B, "SECRET//NATO SECRET", True),
    (S.single_classification, P, "(S)", False),
    (S.single_classification, B, "TOP SECRET", False),
    (S.single_classification, B, "SECRET//FGI NATO", False),
    (S.portion_delimiters, P, "(S)(NF)", True), (S.portion_delimiters, P, "[S]", True),
    (S.portion_delimiters, P, "(s)", True), (S.portion_delimiters, P, "(C)", False),
    (S.portion_delimiters, P, "(S//NF)", False),
    (S.sci_structure, B, "TOP SECRET//G ABCD//ORCON/NOFORN", True),
    (S.sci_structure, B, "TOP SECRET//RSV//NOFORN", True),
    (S.sci_structure, B, "SECRET//HCS//NOFORN", True),
    (S.sci_structure, B, "TOP SECRET//SI-G ABCD//ORCON/NOFORN", False),
    (S.sci_structure, B, "TOP SECRET//RSV-ABC//NOFORN", False),
    (S.sci_structure, B, "SECRET//HCS-P//NOFORN", False),
    (S.sap_syntax, B, "SECRET//SAR-ABC/SAR-DEF//NOFORN", True),
    (S.sap_syntax, B, "SECRET//SAR-ABC/DEF//NOFORN", False),
    (S.prohibited_qualifier, B, "SECRET SENSITIVE", True),
    (S.prohibited_qualifier, B, "SECRET", False),
    (S.prohibited_qualifier, B, "CONFIDENTIAL", False),
    (S.deprecated_token, B, "SECRET//REL TO USA, ISAF", True),
    (S.deprecated_token, B, "SECRET//REL TO USA, NATO", False),
    (S.legacy_banner_declass, B, "SECRET//NOFORN//20291231", True),
    (S.legacy_banner_declass, B, "SECRET//NOFORN", False),
]


@pytest.mark.parametrize(("fn", "kind", "text", "fails"), CASES,
                         ids=[f"{c[0].__name__}-{c[2]}" for c in CASES])
def test_catalogue_examples(fn, kind: str, text: str, fails: bool) -> None:  # type: ignore[no-untyped-def]
    doc = doc_of(banner=text) if kind == B else doc_of(portions=(text,))
    hits = run(fn, doc)
    assert bool(hits) is fails, [h.message for h in hits]
    for h in hits:
        assert h.key and "|" in h.key


@pytest.mark.parametrize(("mark", "code", "messages"), [
    # one finding per list, whose fix is the whole list (issue 2 review)
    ("(S//Rel NATO, ISAF)", "MK207", ["Malformed release list in `(S//Rel NATO, ISAF)` (REL for "
                                      "REL TO; codes out of order; REL TO without USA). Write "
                                      "`REL TO USA, ISAF, NATO`."]),
    ("(C//REL AUSTRALIA GROUP)", "MK207", ["Malformed release list in `(C//REL AUSTRALIA GROUP)` "
                                           "(REL for REL TO; REL TO without USA). Write `REL TO "
                                           "USA, AUSTRALIA_GROUP`."]),
    ("(C//REL AUSTRALIA GROUP)", "MK208", ["Not a registered country code in `(C//REL AUSTRALIA "
                                           "GROUP)` (`AUSTRALIA GROUP`). Write "
                                           "`AUSTRALIA_GROUP`."]),
    ("(S//REL TO USA, FRANCE, UK, CANADA)", "MK208", [
        "Not a registered country code in `(S//REL TO USA, FRANCE, UK, CANADA)` (`FRANCE, UK, "
        "CANADA`). Write `FRA, GBR, CAN`."]),
    ("(S//REL TO USA, FRANCE, UK, CANADA)", "MK207", [
        "Malformed release list in `(S//REL TO USA, FRANCE, UK, CANADA)` (codes out of order). "
        "Write `REL TO USA, CAN, FRA, GBR`."]),
])
def test_one_finding_per_list(mark: str, code: str, messages: list[str]) -> None:
    fn = {"MK207": S.relto_list, "MK208": S.country_code}[code]
    assert [h.message for h in run(fn, doc_of(portions=(mark,)))] == messages


def test_seven_country_names_are_two_findings() -> None:
    mark = "(S//REL TO USA, FRANCE, GERMANY, ITALY, SPAIN, UK, CANADA, JAPAN)"
    doc = doc_of(portions=(mark,))
    assert len(run(S.country_code, doc)) == 1 and len(run(S.relto_list, doc)) == 1


def test_cable_release_forms_are_left_to_mk508() -> None:
    for mark in ("(S/REL to RUSSIA)", "(S/REL TO USA, UK)", "(C/REL TO USA AND UK)"):
        doc = doc_of(portions=(mark,), style="cable")
        assert run(S.country_code, doc) == [] and run(S.relto_list, doc) == [], mark


def test_unknown_token_suggests() -> None:
    [hit] = run(S.unknown_token, doc_of(banner="SECRET//NOFRON"))
    assert "`NOFORN`" in hit.message and "NOFRON" in hit.key


def test_cable_single_slash_is_the_cable_form() -> None:
    # (S/NF) is the cable handbook's paragraph mark: MK507 owns it, MK205 stays quiet
    assert run(S.category_separator, doc_of(portions=("(S/NF)",), style="cable")) == []
    [hit] = run(S.category_separator, doc_of(portions=("(S-NF)",), style="cable"))
    assert hit.severity is Severity.INFO and "(S//NF)" in hit.message
    [hit] = run(S.category_separator, doc_of(banner="SECRET/NOFORN"))
    assert hit.severity is None  # rule default: ERROR


def test_unknown_token_leaves_cable_forms_to_cable_rules() -> None:
    # a cable's paragraph marks are reported by MK507, its classification line by MK501
    assert run(S.unknown_token, doc_of(portions=("(S//REL CHINA)",), style="cable")) == []
    assert run(S.unknown_token, doc_of(banner="SS E C R E T", style="cable")) == []
    # memo: read as `REL TO USA, CHN` (issue 2), reported as a malformed list and a name
    assert run(S.unknown_token, doc_of(portions=("(S//REL CHINA)",))) == []
    assert run(S.relto_list, doc_of(portions=("(S//REL CHINA)",)))
    assert run(S.country_code, doc_of(portions=("(S//REL CHINA)",)))


@pytest.mark.parametrize(("date", "expected"), [
    (dt.date(2020, 1, 1), None), (dt.date(2012, 1, 1), "none"), (None, Severity.INFO)])
def test_deprecated_by_date(date: dt.date | None, expected: object) -> None:
    hits = run(S.deprecated_token, doc_of(banner="SECRET//REL TO USA, ISAF", date=date))
    if expected == "none":
        assert hits == []
    else:
        assert len(hits) == 1 and hits[0].severity is expected


@pytest.mark.parametrize(("date", "sev"), [
    (dt.date(2015, 1, 1), Severity.WARNING), (dt.date(2004, 1, 1), None), (None, None)])
def test_legacy_declass_by_date(date: dt.date | None, sev: Severity | None) -> None:
    [hit] = run(S.legacy_banner_declass, doc_of(banner="SECRET//NOFORN//20291231", date=date))
    assert hit.severity is sev


@pytest.mark.parametrize(("date", "sev"), [
    (dt.date(2015, 1, 1), None), (dt.date(2004, 1, 1), Severity.WARNING), (None, Severity.INFO)])
def test_commas_by_date(date: dt.date | None, sev: Severity | None) -> None:
    [hit] = run(S.within_category_separator, doc_of(banner="SECRET//ORCON, NOFORN", date=date))
    assert hit.severity is sev


def test_bare_hcs_is_warning_rsv_error() -> None:
    [h] = run(S.sci_structure, doc_of(banner="SECRET//HCS//NOFORN"))
    assert h.severity is Severity.WARNING
    [h] = run(S.sci_structure, doc_of(banner="TOP SECRET//RSV//NOFORN"))
    assert h.severity is None


def test_fouo_banner_on_classified_document() -> None:
    hits = run(S.prohibited_qualifier, doc_of(banner="FOR OFFICIAL USE ONLY", portions=("(C)",)))
    assert len(hits) == 1 and "FOUO" in hits[0].message
    assert run(S.prohibited_qualifier, doc_of(banner="FOR OFFICIAL USE ONLY",
                                              portions=("(U)",))) == []


def test_rules_registered_with_catalogue_codes() -> None:
    from markings.registry import get_rule

    for i in range(1, 22):
        r = get_rule(f"MK2{i:02d}")
        assert r is not None and r.catalogue == f"B{i:02d}" and r.doc.count("## ") >= 4


# --- helper review regressions (end to end: the scanner must find these candidates) --------

def _memo_doc(banner: str, *paras: str) -> str:
    body = "\n\n".join(paras)
    return (f"{banner}\n\n                              12 March 2014\n\nMEMORANDUM FOR: Office\n"
            f"FROM: Author\nSUBJECT: (U) Test\n\n{body}\n\nClassified By: J. Doe, Director\n"
            f"Reason: 1.4(c)\nDeclassify On: 20350101\n\n{banner}\n")


def _codes(text: str, code: str, path: str = "x.txt") -> list[tuple[int, str]]:
    import datetime as dt

    from markings.config import Config
    from markings.engine import check_text

    rep = check_text(text, path=path, config=Config(select=[code], today=dt.date(2025, 6, 1)))
    return [(f.line, f.message) for f in rep.findings]


@pytest.mark.parametrize(("para", "fix"), [
    ("1. C) Content of the paragraph.", "`(C)`"),
    ("(S)(NF) Text of the paragraph.", "`(S//NF)`"),
    ("[S] Text of the paragraph.", "`(S)`"),
    ("(s) Text of the paragraph.", "`(S)`"),
])
def test_b16_malformed_marks_are_found_at_a_portion_start(para: str, fix: str) -> None:
    [(line, msg)] = _codes(_memo_doc("SECRET", "(S) First.", para), "MK216")
    assert line == 11 and fix in msg


@pytest.mark.parametrize("para", [
    "(S) Text with [S] and [C]ontinued words, a (s) and C) in prose.",
    "1. (C)(Summary continued) Text.",
    "(S) List:\n\n(a) first\n(b) second\n(c) third",
])
def test_b16_prose_brackets_are_not_marks(para: str) -> None:
    assert _codes(_memo_doc("SECRET", "(S) First.", para), "MK216") == []


@pytest.mark.parametrize(("banner", "portions"), [
    ("SECRET SENSITIVE", ("(S) First.",)),
    ("LIMITED OFFICIAL USE", ("(C) First.", "(U) Second.")),
])
def test_b19_prohibited_banners_are_found(banner: str, portions: tuple[str, ...]) -> None:
    hits = _codes(_memo_doc(banner, *portions), "MK219")
    assert [line for line, _ in hits] == [1, 15 + 2 * (len(portions) - 1)]


def test_b16_cable_rel_country_names_left_to_mk508() -> None:
    text = ("P 141530Z SEP 05\nFM AMEMBASSY EXAMPLEVILLE\nTO SECSTATE WASHDC PRIORITY 1234\n\n"
            "S E C R E T EXAMPLEVILLE 004567\n\nSIPDIS\n\nE.O. 12958: DECL: 09/14/2015\n"
            "TAGS: PREL XX\nSUBJECT: (U) TEST CABLE\n\nClassified By: A. Example, Reasons "
            "1.4 (b) and (d).\n\n1. (S/REL to RUSSIA) Text of paragraph 1.\n\nEXAMPLE\n")
    for code in ("MK216", "MK126", "MK207", "MK208"):
        assert _codes(text, code, path="05EXAMPLEVILLE4567.txt") == []
    assert len(_codes(text, "MK508", path="05EXAMPLEVILLE4567.txt")) == 1


@pytest.mark.parametrize(("banner", "bare", "value"), [
    ("SECRET//NOFORN//X1", "SECRET//NOFORN", "X1"),
    ("SECRET//NOFORN//20291231", "SECRET//NOFORN", "20291231"),
])
def test_b21_fix_drops_the_declass_field(banner: str, bare: str, value: str) -> None:
    hits = _codes(_memo_doc(banner, "(S//NF) First."), "MK221")
    assert hits and all(f"Write `{bare}` and put `{value}` on the `Declassify On:`" in m
                        for _, m in hits)
    assert all(f"Write `{banner}`" not in m for _, m in hits)


# --- unreadable markings are reported, and their readable part reaches the roll-up -------

@pytest.mark.parametrize(("mark", "code", "fix"), [
    ("(S//REL TO USA,,,,//)", "MK214", "Remove the empty entries and separators."),
    ("(S//REL TO USA, GBR,)", "MK214", "Write `(S//REL TO USA, GBR)`."),
    ("(S//REL TO USA,, GBR)", "MK214", "Write `(S//REL TO USA, GBR)`."),
    ("(S//NF FOO BAR)", "MK201", "Use a token from the Register."),
])
def test_unreadable_portion_marks_are_reported(mark: str, code: str, fix: str) -> None:
    text = _memo_doc("SECRET//NOFORN", f"{mark} Text of the paragraph.")
    found = _codes(text, "MK2")
    line = 9
    assert [(ln, msg.endswith(fix)) for ln, msg in found if ln == line] == [(line, True)], found
    rep_codes = _all_codes(text)
    assert (line, code) in rep_codes


def _all_codes(text: str) -> list[tuple[int, str]]:
    from markings.config import Config
    from markings.engine import check_text

    rep = check_text(text, path="x.txt", config=Config(today=dt.date(2025, 6, 1)))
    return [(f.line, f.code) for f in rep.findings]


def test_unreadable_banner_still_rolls_up() -> None:
    text = _memo_doc("SECRET//REL TO USA,, GBR", "(S//NF) First paragraph.", "(C) Second.")
    codes = _all_codes(text)
    # both banners are reported as unreadable, and the NOFORN roll-up check still runs
    assert sorted(c for c in codes if c[1] in ("MK214", "MK103")) == [
        (1, "MK103"), (1, "MK214"), (17, "MK214")], codes
    msgs = _codes(text, "MK214")
    assert msgs[0][1] == ("Empty list entry or trailing separator in `SECRET//REL TO USA,, "
                          "GBR`: the marking cannot be read at column 20: expected a marking "
                          "token. Write `SECRET//REL TO USA, GBR`.")


def test_unreadable_marks_keep_the_readable_part() -> None:
    from markings.scan import build

    doc = build(_memo_doc("SECRET//NOFORN", "(S//REL TO USA,, GBR) Text."))
    p = [p for p in doc.portions if p.mark and p.mark.text.startswith("(S//REL")][0]
    assert p.mark is not None and p.mark.error and p.mark.marking is not None
    assert p.mark.canonical == "(S//REL TO USA, GBR)"
    assert p.mark.marking in doc.portion_marks
