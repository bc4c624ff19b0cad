"""Parser: every accepted form, deviations, errors, authority lines, fast path == Lark."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markings.model import Level, MarkingSyntaxError
from markings.parse import (
    parse_authority_line,
    parse_banner,
    parse_classified_by,
    parse_declass,
    parse_eo_line,
    parse_marking,
    parse_portion,
    shape_fast,
    shape_lark,
)

# (input, canonical rendering, style, deviation slugs expected among the deviations)
FORMS = [
    ("SECRET//NOFORN", "SECRET//NOFORN", "capco", set()),
    ("(S//NF)", "(S//NF)", "capco", set()),
    ("//NATO SECRET", "//NATO SECRET", "capco", set()),
    ("//DEU S", "//DEU SECRET", "capco", {"syntax-banner-form"}),
    ("(//DEU S)", "(//DEU S)", "capco", set()),
    ("//JOINT SECRET CAN GBR USA", "//JOINT SECRET CAN GBR USA", "capco", set()),
    ("TOP SECRET//SI-G ABCD EFGH/TK//NOFORN", "TOP SECRET//SI-G ABCD EFGH/TK//NOFORN",
     "capco", set()),
    ("SECRET//SAR-ABC/DEF//NOFORN", "SECRET//SAR-ABC/DEF//NOFORN", "capco", set()),
    ("SECRET//RD-CNWDI", "SECRET//RD-CNWDI", "capco", set()),
    ("(S//FRD-SG 14)", "(S//FRD-SG 14)", "capco", set()),
    ("(U//DCNI)", "(U//DCNI)", "capco", set()),
    ("SECRET//FGI GBR JPN NATO", "SECRET//FGI GBR JPN NATO", "capco", set()),
    ("(//FGI S)", "(//FGI S)", "capco", set()),
    ("SECRET//REL TO USA, AUS, GBR", "SECRET//REL TO USA, AUS, GBR", "capco", set()),
    ("(S//REL)", "(S//REL)", "capco", set()),
    ("SECRET//DISPLAY ONLY AFG, IRQ", "SECRET//DISPLAY ONLY AFG, IRQ", "capco", set()),
    ("(S//USA/AUS EYES ONLY)", "(S//USA/AUS EYES ONLY)", "capco", set()),
    ("SECRET//NOFORN//EXDIS", "SECRET//NOFORN//EXDIS", "capco", set()),
    ("UNCLASSIFIED//SBU NOFORN", "UNCLASSIFIED//SBU NOFORN", "capco", set()),
    ("SECRET//NOT RELEASABLE TO FOREIGN NATIONALS", "SECRET//NOFORN", "capco", set()),
    # State cable forms
    ("S E C R E T", "SECRET", "cable", set()),
    ("C O N F I D E N T I A L", "CONFIDENTIAL", "cable", set()),
    ("UNCLAS", "UNCLASSIFIED", "cable", set()),
    ("UNCLAS SENSITIVE", "UNCLASSIFIED//SBU", "cable", set()),
    ("UNCLAS EFTO", "UNCLASSIFIED", "cable", set()),
    ("LIMITED OFFICIAL USE", "UNCLASSIFIED//LIMITED OFFICIAL USE", "cable", set()),
    ("SBU", "UNCLASSIFIED//SBU", "cable", set()),
    ("(S/NF)", "(S//NF)", "cable", {"syntax-category-separator"}),
    ("(C/NF)", "(C//NF)", "cable", {"syntax-category-separator"}),
    ("(SBU/NF)", "(U//SBU-NF)", "cable", {"cable-portion-vocabulary"}),
    ("(SBU-N)", "(U//SBU-NF)", "cable", {"cable-portion-vocabulary"}),
    ("(SBU/N)", "(U//SBU-NF)", "cable", {"cable-portion-vocabulary"}),
    ("(S/REL NATO)", "(S//REL TO USA, NATO)", "cable", {"cable-rel-country-names"}),
    ("(S/REL to RUSSIA)", "(S//REL TO USA, RUS)", "cable", {"cable-rel-country-names"}),
    ("(S/Rel UK)", "(S//REL TO USA, GBR)", "cable", {"cable-rel-country-names"}),
    ("(S/REL TO NATO/AUS)", "(S//REL TO USA, AUS, NATO)", "cable", {"syntax-relto-list"}),
    # legacy / messy
    ("SECRET//ORCON, NOFORN", "SECRET//ORCON/NOFORN", "legacy",
     {"syntax-within-category-separator"}),
    ("SECRET//REL TO USA, AUS AND GBR", "SECRET//REL TO USA, AUS, GBR", "capco",
     {"syntax-relto-list"}),
    ("SECRET//NOFORN//20291231", "SECRET//NOFORN//20291231", "legacy",
     {"syntax-legacy-banner-declass"}),
    ("SECRET//X1", "SECRET//X1", "legacy", {"syntax-legacy-banner-declass"}),
    ("SECRET//NOFORN//25X1", "SECRET//NOFORN//25X1", "legacy", {"syntax-legacy-banner-declass"}),
    ("SECRET//MR", "SECRET//MR", "legacy", {"syntax-legacy-banner-declass"}),
    ("(c)", "(C)", "capco", {"syntax-portion-delimiters"}),
    ("(C )", "(C)", "capco", {"syntax-portion-delimiters"}),
    ("( S )", "(S)", "capco", {"syntax-portion-delimiters"}),
    ("( S/NF )", "(S//NF)", "cable", {"syntax-portion-delimiters", "syntax-category-separator"}),
    ("(S/Noforn)", "(S//NF)", "cable", {"syntax-portion-form"}),
    ("(S-NF)", "(S//NF)", "legacy", {"syntax-category-separator"}),
    ("(S NF)", "(S//NF)", "cable", {"syntax-category-separator"}),
    ("(NATO-S)", "(//NS)", "legacy", {"dod-legacy-fgi-portion"}),
    ("(UK-C)", "(//GBR C)", "legacy", {"dod-legacy-fgi-portion"}),
    ("  (S//NF)  ", "(S//NF)", "capco", set()),
]


@pytest.mark.parametrize(("text", "canonical", "style", "slugs"), FORMS,
                         ids=[f[0] for f in FORMS])
def test_accepted_forms(text: str, canonical: str, style: str, slugs: set[str]) -> None:
    m = parse_marking(text)
    assert (m.portion() if m.kind == "portion" else m.banner()) == canonical
    assert m.style == style
    got = {d.rule for d in m.deviations}
    assert slugs <= got
    if not slugs and style == "capco" and text.strip() == canonical:
        assert m.deviations == ()
    for d in m.deviations:
        assert d.canonical  # every deviation says what it should have been


def test_semantic_equality_and_fields() -> None:
    assert parse_portion("(S/NF)") == parse_portion("(S//NF)")
    m = parse_portion("(S/REL to RUSSIA)")
    assert m.rel_to == ("USA", "RUS") and m.level is Level.S
    m = parse_banner("//JOINT SECRET CAN GBR USA")
    assert m.joint == ("CAN", "GBR", "USA") and not m.is_us
    m = parse_banner("TOP SECRET//SI-G ABCD EFGH/TK//NOFORN")
    assert [s.system for s in m.sci] == ["SI", "TK"]
    assert m.sci[0].compartments[0].subs == ("ABCD", "EFGH")
    assert parse_banner("SECRET//FGI").fgi == ()
    assert parse_banner("SECRET//NOFORN//20291231").declass == "20291231"
    assert parse_portion("(NATO-S)").owner == "NATO"


@pytest.mark.parametrize(("text", "token", "suggestion"), [
    ("SECRET//NOFRON", "NOFRON", "NOFORN"), ("(S//ORC)", "ORC", "OC"),
])
def test_unknown_token_suggestion(text: str, token: str, suggestion: str) -> None:
    with pytest.raises(MarkingSyntaxError) as ei:
        parse_marking(text)
    assert ei.value.token == token and ei.value.suggestion == suggestion


@pytest.mark.parametrize("text", ["", "(S)(NF)", "[S]", "(S", "SECRET//NO:FORN/", "(S//)x",
                                  "RESTRICTED", "(SNF)", "SECRET//@@"])
def test_invalid_raise_marking_syntax_error(text: str) -> None:
    with pytest.raises(MarkingSyntaxError):
        parse_marking(text)


def test_lark_error_has_position_and_expected() -> None:
    with pytest.raises(MarkingSyntaxError) as ei:
        parse_banner("SECRET//NOFORN/,")
    assert ei.value.position > 0 and ei.value.expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="SECRTNOFUL()/ ,-abc1.:[]", max_size=30))
def test_never_raises_anything_else(text: str) -> None:
    try:
        parse_marking(text)
    except MarkingSyntaxError:
        pass


_items = st.sampled_from(["S", "TS", "C", "U", "SECRET", "NOFORN", "NF", "OC", "ORCON", "SI",
                          "TK", "REL TO USA", "GBR", "AUS", "EXDIS", "SBU-NF", "SAR-ABC",
                          "FGI DEU", "RD-CNWDI", "DISPLAY ONLY AFG", "NATO", "SG 14"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["/", ", "]), _items), min_size=1,
                         max_size=4), min_size=1, max_size=4))
def test_fast_path_equals_lark(cats: list[list[tuple[str, str]]]) -> None:
    body = "//".join("".join(("" if i == 0 else sep) + it for i, (sep, it) in enumerate(c))
                     for c in cats)
    fast = shape_fast(body)
    if fast is not None:
        assert fast == shape_lark(body, "banner")
        assert fast == shape_lark(body, "portion")


@pytest.mark.parametrize(("text", "kind", "date", "exemptions"), [
    ("20291231", "date", dt.date(2029, 12, 31), ()),
    ("09/14/2015", "date", dt.date(2015, 9, 14), ()),
    ("10/10/11", "date", dt.date(2011, 10, 10), ()),
    ("2015/09/14", "date", dt.date(2015, 9, 14), ()),
    ("25X1, 20661231", "exemption", dt.date(2066, 12, 31), ("25X1",)),
    ("50X1-HUM", "exemption", None, ("50X1-HUM",)),
    ("50X2-WMD", "exemption", None, ("50X2-WMD",)),
    ("25X1, EO 12951", "exemption", None, ("25X1", "EO 12951")),
    ("N/A to RD/FRD/TFNI portions. See source list for NSI portions.", "na", None, ()),
    ("OADR", "retired", None, ()), ("MR", "retired", None, ()), ("X1", "retired", None, ("X1",)),
    ("DCI Only", "retired", None, ()),
    ("Completion of the operation", "event", None, ()),
])
def test_declass_values(text: str, kind: str, date: dt.date | None,
                        exemptions: tuple[str, ...]) -> None:
    v = parse_declass(text)
    assert v.kind == kind and v.date == date and v.exemptions == exemptions


def test_declass_ambiguous_and_invalid() -> None:
    assert parse_declass("10/10/11").ambiguous
    assert parse_declass("02/30/2015").valid_date is False


@pytest.mark.parametrize(("text", "eo", "na", "decl"), [
    ("E.O. 12958: DECL: 09/14/2015", "12958", False, dt.date(2015, 9, 14)),
    ("E.O. 12958: N/A", "12958", True, None),
    ("EO 12958 DECL: 10/09/2017", "12958", False, dt.date(2017, 10, 9)),
    ("DECL: X1", None, False, None),
    ("DECL: OADR", None, False, None),
])
def test_eo_lines(text: str, eo: str | None, na: bool, decl: dt.date | None) -> None:
    b = parse_eo_line(text)
    assert b.eo == eo and b.eo_na is na
    if not na:
        assert b.decl is not None and b.decl.date == decl


@pytest.mark.parametrize(("text", "section", "letters"), [
    ("Classified By: Ambassador A. Person. Reason(s): 1.4 (b) and (d)", "1.4", ("b", "d")),
    ("Classified By: DCM. REASON: 1.4 (b), (d)", "1.4", ("b", "d")),
    ("Classified By: Pol Chief, reasons 1.4 b and d", "1.4", ("b", "d")),
    ("Classified By: X, 1,4 (C) AND (D)", "1.4", ("c", "d")),
    ("CLASSIFIED BY: X, PER 1.5 (B) AND (D)", "1.5", ("b", "d")),
    ("Classified By: X. REASONS: 1.4 ( B ) AND ( D ) .", "1.4", ("b", "d")),
])
def test_classified_by(text: str, section: str, letters: tuple[str, ...]) -> None:
    b = parse_classified_by(text)
    assert b.classified_by and b.reasons[0].section == section
    assert b.reasons[0].letters == letters
    assert parse_authority_line(text).reasons == b.reasons


def test_authority_lines() -> None:
    assert parse_authority_line("Derived From: Multiple Sources").derived_from == \
        "Multiple Sources"
    b = parse_authority_line("Declassify On: 25X1, 20661231")
    assert b.declass is not None and b.declass.exemptions == ("25X1",)
    with pytest.raises(MarkingSyntaxError):
        parse_authority_line("Nothing to see here")
