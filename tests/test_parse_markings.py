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
    # corpus release forms: `REL <list>` after any separator, names from the data files,
    # AND as a separator (issue 2 audit)
    ("(S//REL CHINA)", "(S//REL TO USA, CHN)", "capco",
     {"syntax-relto-list", "syntax-country-code"}),
    ("(SECRET//REL INDIA)", "(S//REL TO USA, IND)", "capco",
     {"syntax-relto-list", "syntax-country-code", "syntax-portion-form"}),
    ("SECRET//REL SAU", "SECRET//REL TO USA, SAU", "capco", {"syntax-relto-list"}),
    ("(S//REL MLT, GBR, AND GER)", "(S//REL TO USA, DEU, GBR, MLT)", "capco",
     {"syntax-relto-list", "syntax-country-code"}),
    ("(C//REL AUSTRALIA GROUP)", "(C//REL TO USA, AUSTRALIA_GROUP)", "capco",
     {"syntax-relto-list", "syntax-country-code"}),
    ("(S//REL CHINA, AFGHANISTAN, KAZAKHSTAN)", "(S//REL TO USA, AFG, CHN, KAZ)", "capco",
     {"syntax-relto-list", "syntax-country-code"}),
    ("(SECRET//REL BULGARIA, CZECH REPUBLIC, SPAIN)", "(S//REL TO USA, BGR, CZE, ESP)",
     "capco", {"syntax-relto-list", "syntax-country-code"}),
    ("(C/REL LIBYA)", "(C//REL TO USA, LBY)", "cable", {"cable-rel-country-names"}),
    ("(C/Releasable to Italy)", "(C//REL TO USA, ITA)", "cable", {"cable-rel-country-names"}),
    ("(C/REL TO USA AND UK)", "(C//REL TO USA, GBR)", "cable",
     {"syntax-relto-list", "cable-rel-country-names"}),
    ("SECRET//REL TO USA SAUDI ARABIA", "SECRET//REL TO USA, SAU", "capco",
     {"syntax-relto-list", "syntax-country-code"}),
    ("SECRET//ORCON AND NOFORN", "SECRET//ORCON/NOFORN", "legacy",
     {"syntax-within-category-separator"}),
    ("(S//OC AND NF)", "(S//OC/NF)", "legacy", {"syntax-within-category-separator"}),
    ("SECRET//REL TO USA, AUS, AND GBR", "SECRET//REL TO USA, AUS, GBR", "capco",
     {"syntax-relto-list"}),
    # registered codes that are not three letters (catalogue 1.4)
    ("SECRET//REL TO USA, AX2", "SECRET//REL TO USA, AX2", "capco", set()),
    ("SECRET//REL TO USA, EU", "SECRET//REL TO USA, EU", "capco", set()),
    ("SECRET//REL TO USA, AUSTRALIA_GROUP", "SECRET//REL TO USA, AUSTRALIA_GROUP", "capco",
     set()),
    ("SECRET//REL TO USA, NSG, NATO:EAPC", "SECRET//REL TO USA, NATO:EAPC, NSG", "capco",
     {"syntax-relto-list"}),
    ("(S//FGI AUSTRALIA_GROUP EU)", "(S//FGI AUSTRALIA_GROUP EU)", "capco", set()),
    # a banner writes its list: `REL` / `EYES` are portion abbreviations
    ("SECRET//REL", "SECRET//REL", "capco", {"syntax-banner-form"}),
    ("TOP SECRET//EYES", "TOP SECRET//EYES", "capco", {"syntax-banner-form"}),
    ("SECRET//REL TO", "SECRET//REL TO", "capco", {"syntax-relto-list"}),
    ("(S//DISPLAY ONLY)", "(S//DISPLAY ONLY)", "capco", {"syntax-relto-list"}),
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


# Country codes are checked against the data files (catalogue 1.4, B08): a code in no table
# is kept and recorded under the slug MK208 `syntax-country-code` reports, without a "fix"
# that repeats the input.
@pytest.mark.parametrize(("text", "field", "codes"), [
    ("SECRET//REL TO USA, QQQ", "rel_to", ("USA", "QQQ")),
    ("(S//REL TO USA, GBR, XXQ)", "rel_to", ("USA", "GBR", "XXQ")),
    ("(S//FGI ZZZ)", "fgi", ("ZZZ",)),
    ("(//QQQ S)", "owner", "QQQ"),
    ("//JOINT SECRET QQQ USA", "joint", ("QQQ", "USA")),
    ("SECRET//DISPLAY ONLY QQQ", "display_only", ("QQQ",)),
])
def test_unknown_country_code_is_a_deviation(text: str, field: str, codes: object) -> None:
    m = parse_marking(text)
    assert getattr(m, field) == codes
    [dev] = [d for d in m.deviations if d.rule == "syntax-country-code"]
    assert dev.detail in codes and dev.canonical is None


@pytest.mark.parametrize("text", [
    "SECRET//REL TO USA, AX2", "SECRET//REL TO USA, XKS", "SECRET//REL TO USA, EU",
    "SECRET//REL TO USA, NSG", "SECRET//REL TO USA, AUSTRALIA_GROUP",
    "SECRET//REL TO USA, NATO:EAPC", "(S//FGI EU)", "(//DEU S)", "(S//REL TO USA, FVEY)",
])
def test_registered_codes_are_not_deviations(text: str) -> None:
    assert [d for d in parse_marking(text).deviations if d.rule == "syntax-country-code"] == []


def test_country_names_come_from_the_data_files() -> None:
    from markings import vocab as V

    assert not hasattr(V, "COUNTRY_NAMES")  # no hard-coded list beside aliases.csv
    assert parse_marking("(C/REL LIBYA)").rel_to == ("USA", "LBY")
    assert parse_marking("(S//REL TO USA, MOLDOVA)").rel_to == ("USA", "MDA")
    assert parse_marking("(//UK S)").owner == "GBR"
    assert parse_marking("(UK-C)").owner == "GBR"
    # AND separates, it is not Andorra
    assert "AND" not in parse_marking("(C/REL TO USA AND UK)").rel_to


# Known-but-out-of-scope tokens (catalogue 1.3): read the same way, banner or portion form.
@pytest.mark.parametrize(("text", "ident"), [
    ("SECRET//WAIVED", "WAIVED"),
    ("SECRET//EXEMPT_FROM_ICD501_DISCOVERY", "EXEMPT_FROM_ICD501_DISCOVERY"),
    ("UNCLASSIFIED//FED_ONLY", "FED_ONLY"), ("(U//FED ONLY)", "FED_ONLY"),
    ("(U//NOCON)", "NOCON"), ("SECRET//LACONIC", "LACONIC"), ("(S//LAC)", "LACONIC"),
    ("SECRET//LAC", "LACONIC"), ("SECRET//NOFORN/LACONIC", "LACONIC"),
])
def test_out_of_scope_tokens_are_read_consistently(text: str, ident: str) -> None:
    m = parse_marking(text)
    assert ident in m.dissem and m.sci == ()
    assert [d.rule for d in m.deviations] == ["syntax-unknown-token"]
    assert parse_marking(m.banner(), "banner").dissem == m.dissem
    assert parse_marking(m.portion(), "portion").dissem == m.dissem


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


@pytest.mark.parametrize(("text", "token", "suggestion", "position", "expected"), [
    ("SECRET//NOFRON", "NOFRON", "NOFORN", 8, "dissemination control"),
    ("(S//ORC)", "ORC", "OC", 4, "dissemination control"),
    ("secret//nofron", "NOFRON", "NOFORN", 8, "dissemination control"),
    ("  secret // nofron", "NOFRON", "NOFORN", 12, "dissemination control"),
    ("S E C R E T//NOFRN", "NOFRN", "NOFORN", 13, "dissemination control"),
    ("(S//NF/XYZQ)", "XYZQ", None, 7, ("dissemination control",)),
    ("(s//oc/nf//qwerty)", "QWERTY", None, 11, ("non-IC dissemination control",)),
    ("(SAR)", "SAR", None, 1, ("classification",)),  # never the input itself
    ("(SECRETT)", "SECRETT", "SECRET", 1, ("classification",)),
])
def test_unknown_token_error_details(text: str, token: str, suggestion: str | None,
                                     position: int, expected: object) -> None:
    with pytest.raises(MarkingSyntaxError) as ei:
        parse_marking(text)
    e = ei.value
    assert e.token == token and e.suggestion == suggestion
    assert e.text == text  # the string as given, not the normalised one
    assert e.position == position and e.text[position:].upper().startswith(token[:1])
    if isinstance(expected, tuple):
        assert e.expected == expected
    else:
        assert expected in e.expected


def test_grammar_error_keeps_original_text() -> None:
    with pytest.raises(MarkingSyntaxError) as ei:
        parse_marking("(s//nf, )")
    e = ei.value
    assert e.text == "(s//nf, )" and e.position == 8 and e.text[e.position] == ")"
    assert e.expected == ("marking token",) and "column 9" in e.message


@pytest.mark.parametrize("text", ["", "(S)(NF)", "[S]", "(S", "SECRET//NO:FORN/", "(S//)x",
                                  "RESTRICTED", "(SNF)", "SECRET//@@"])
def test_invalid_raise_marking_syntax_error(text: str) -> None:
    with pytest.raises(MarkingSyntaxError):
        parse_marking(text)


def test_lark_error_has_position_and_expected() -> None:
    with pytest.raises(MarkingSyntaxError) as ei:
        parse_banner("SECRET//NOFORN/,")
    assert ei.value.position > 0 and ei.value.expected


_PARSERS = [parse_marking, parse_banner, parse_portion, parse_declass, parse_authority_line,
            parse_eo_line, parse_classified_by]
_marking_alphabet = st.text(alphabet="SECRTNOFUL()/ ,-abc1.:[]&'_ANDG\t\n", max_size=60)
_line_starts = st.sampled_from(["", "(", "//", "SECRET//", "(S//", "E.O. 12958: ", "DECL: ",
                                "Classified By: ", "Derived From: ", "Declassify On: ",
                                "Reason: 1.4 ", "CLASSIFIED BY: X, REASONS 1.4 (B) AND "])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_PARSERS),
       st.one_of(st.text(max_size=200), _marking_alphabet,
                 st.tuples(_line_starts, st.text(max_size=120)).map("".join),
                 st.tuples(_line_starts, _marking_alphabet).map("".join)))
def test_never_raises_anything_else(parse: object, text: str) -> None:
    """Every parse_* function raises nothing but MarkingSyntaxError on arbitrary text."""
    try:
        parse(text)  # type: ignore[operator]
    except MarkingSyntaxError as e:
        assert 0 <= e.position <= len(e.text)


_items = st.sampled_from(["S", "TS", "C", "U", "SECRET", "NOFORN", "NF", "OC", "ORCON", "SI",
                          "TK", "REL TO USA", "GBR", "AUS", "EXDIS", "SBU-NF", "SAR-ABC",
                          "FGI DEU", "RD-CNWDI", "DISPLAY ONLY AFG", "NATO", "SG 14",
                          "REL TO USA AND GBR", "ORCON AND NOFORN", "AND", "ANDORRA", "AND-X",
                          "REL CHINA", "BAND", "ANDAND", "GBR AND", "-X", "A - B", "A -B",
                          "DEU S", "NS", "JOINT S CAN USA", "AUSTRALIA_GROUP", "NATO:EU",
                          "D'IVOIRE", "U.K.", "A.", "X_", "A:B", "AND AND", "AND GBR",
                          "USA AND AND", "A AND B AND C"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["/", ", ", " AND ", ", AND "]), _items),
                         min_size=1, max_size=4), min_size=1, max_size=4), st.booleans())
def test_fast_path_equals_lark(cats: list[list[tuple[str, str]]], lead: bool) -> None:
    body = "//".join("".join(("" if i == 0 else sep) + it for i, (sep, it) in enumerate(c))
                     for c in cats)
    if lead:
        body = "//" + body  # non-US: an empty first category
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
    # corpus debris after the value (issue 2 audit)
    ("04/04/2018 \\", "date", dt.date(2018, 4, 4), ()),
    ("10/8/2019 TAGS: PREL, PGOV", "date", dt.date(2019, 10, 8), ()),
    ("03/27/2034 ,,\"\"", "date", dt.date(2034, 3, 27), ()),
    ("DECL: 06/09/2016", "date", dt.date(2016, 6, 9), ()),
    ("(X1)", "retired", None, ("X1",)),
])
def test_declass_values(text: str, kind: str, date: dt.date | None,
                        exemptions: tuple[str, ...]) -> None:
    v = parse_declass(text)
    assert v.kind == kind and v.date == date and v.exemptions == exemptions


@pytest.mark.parametrize(("text", "retired"), [
    ("Source marked OADR, date of source 19910301", "Source marked OADR"),
    ("SOURCE MARKED OADR", "Source marked OADR"),
    ("Source marked 25X1-human, Date of source: June 18, 2009", "25X1-human"),
    ("OADR (see source list)", "OADR"), ("Manual Review", "MR"), ("DCI Only", "DCI Only"),
])
def test_declass_retired_by_prefix(text: str, retired: str) -> None:
    v = parse_declass(text)
    assert v.kind == "retired" and v.retired == retired and v.raw == text


def test_declass_leading_date_then_event() -> None:
    v = parse_declass("12/31/2015 OR COMPLETION OF THE MISSION")
    assert v.kind == "date" and v.date == dt.date(2015, 12, 31) and v.has_event
    assert not parse_declass("10/8/2019 TAGS: PREL").has_event
    assert parse_declass("MR. X RETIRES").kind == "event"


def test_eo_line_with_debris() -> None:
    b = parse_authority_line("E.O. 12958: DECL: 10/8/2019 TAGS: PREL, PGOV")
    assert b.eo == "12958" and b.decl is not None and b.decl.date == dt.date(2019, 10, 8)
    b = parse_eo_line("E.O. 12958: DECL: 04/04/2018 \\")
    assert b.decl is not None and b.decl.kind == "date"


def test_package_exports_the_parsers_and_rollup_helpers() -> None:
    import markings

    for name in ("explain", "compare", "parse_eo_line", "parse_classified_by"):
        assert name in markings.__all__ and callable(getattr(markings, name))
    assert markings.parse_eo_line("E.O. 12958: N/A").eo_na
    # the hand-written __all__ (kept literal for type checkers) lists exactly the lazy exports
    assert sorted(markings.__all__) == sorted([*markings._EXPORTS, "__version__"])
    for name in markings._EXPORTS:
        assert getattr(markings, name) is not None, name


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


def test_out_of_scope_tokens_are_reported_as_not_checked() -> None:
    from markings import check_text

    r = check_text("SECRET//FED ONLY\n\n(S//LAC) Text.\n\nSECRET//FED ONLY\n")
    msgs = sorted(f.message for f in r.findings if f.code == "MK201")
    assert msgs == [
        "Token `FED ONLY` in `SECRET//FED ONLY` is not checked "
        "(CUI limited-dissemination control).",
        "Token `FED ONLY` in `SECRET//FED ONLY` is not checked "
        "(CUI limited-dissemination control).",
        "Token `LAC` in `(S//LAC)` is not checked (legacy value, ISM V10 only)."]
    assert {f.severity.value for f in r.findings if f.code == "MK201"} == {"warning"}


# --- review of issue 2 (second round) ------------------------------------------------------

@pytest.mark.parametrize(("text", "level"), [
    ("(U//S)", Level.S), ("(C/S)", Level.S), ("TOP SECRET SECRET", Level.TS),
    ("SECRET TOP SECRET", Level.TS), ("(S//C)", Level.S),
])
def test_two_levels_keep_the_highest(text: str, level: Level) -> None:
    m = parse_marking(text)
    assert m.level is level
    assert "syntax-single-classification" in {d.rule for d in m.deviations}


def test_two_levels_roll_up_to_the_highest() -> None:
    from markings.combine import rollup

    assert rollup([parse_marking("(C/S)"), parse_marking("(C)")]).banner() == "SECRET"


@pytest.mark.parametrize(("text", "rule", "canonical"), [
    ("(S//REL TO USA,GBR)", "syntax-relto-list", "REL TO USA, GBR"),
    ("SECRET//DISPLAY ONLY IRQ,AFG", "syntax-relto-list", "DISPLAY ONLY AFG, IRQ"),
    ("SECRET//RD-SIGMA 20 14", "syntax-register-order", "SECRET//RD-SIGMA 14 20"),
    ("SECRET//SI-", "syntax-empty-or-padded-category", "SECRET//SI"),
    ("SECRET//SAR-", "syntax-empty-or-padded-category", "SECRET"),
    ("SECRET//FGI USA GBR", "syntax-fgi-list", "SECRET//FGI GBR"),
    ("(U//SBU NOFORN)", "syntax-portion-form", "SBU-NF"),
])
def test_no_silent_normalisation(text: str, rule: str, canonical: str) -> None:
    m = parse_marking(text)
    assert [d.canonical for d in m.deviations if d.rule == rule] == [canonical]
    assert "-" not in (m.banner() if m.kind == "banner" else m.portion())[-2:]


@pytest.mark.parametrize(("text", "devs"), [
    # one list deviation with the whole list, one country-code deviation per marking
    ("(S//Rel NATO, ISAF)", [
        ("syntax-portion-delimiters", "lowercase letters", "(S//REL TO USA, ISAF, NATO)"),
        ("syntax-relto-list", "REL for REL TO; codes out of order; REL TO without USA",
         "REL TO USA, ISAF, NATO")]),
    ("(S//REL TO USA, UK, FRANCE, QQQ)", [
        ("syntax-relto-list", "codes out of order", "REL TO USA, FRA, GBR, QQQ"),
        ("syntax-country-code", "UK, FRANCE, QQQ", "(S//REL TO USA, FRA, GBR, QQQ)")]),
    # a memo-style mark: names are country-code deviations; a cable-style mark adds the
    # cable form, which the cable rule reports
    ("(S//REL TO USA, UK)", [("syntax-country-code", "UK", "GBR")]),
    ("(S/REL TO USA, UK)", [
        ("syntax-category-separator", "/", "(S//REL TO USA, GBR)"),
        ("syntax-country-code", "UK", "GBR"),
        ("cable-rel-country-names", "UK", "(S//REL TO USA, GBR)")]),
])
def test_list_deviations(text: str, devs: list[tuple[str, str, str]]) -> None:
    assert [(d.rule, d.detail, d.canonical) for d in parse_marking(text).deviations] == devs


def test_misspelled_top_secret_is_suggested() -> None:
    with pytest.raises(MarkingSyntaxError) as e:
        parse_marking("TOP SECRIT//NOFORN")
    assert e.value.suggestion == "TOP SECRET" and e.value.position == 0


@pytest.mark.parametrize("text", ["T O P S E C R E T", "T O P  S E C R E T"])
def test_spaced_top_secret(text: str) -> None:
    m = parse_marking(text)
    assert m.level is Level.TS and m.style == "cable" and m.banner() == "TOP SECRET"
    assert m == parse_marking("S E C R E T").model_copy(update={"level": Level.TS})


# --- reasons: the parser reads them as the document scanner does --------------------------

@pytest.mark.parametrize(("line", "reasons"), [
    ("Classified By: A. Example, reasons 1.4 B/D.", [("1.4", ("b", "d"))]),
    ("Classified By: A. Example per 1.4 (b) and", [("1.4", ("b",))]),
    ("Classified By: A. Example, 1.4 (d), as amended", [("1.4", ("d",))]),
    ("Classified By: A. Example, 1.4 (B) and 1.4 (D)", [("1.4", ("b",)), ("1.4", ("d",))]),
    ("Classified By: A. Example, Reasons 1.4 (b) and (d).", [("1.4", ("b", "d"))]),
    ("Classified By: A. Example, Reason 1. \n4 (b/d).", [("1.4", ("b", "d"))]),
    ("Classified By: A. Example for reasons (B) and (D)", [("", ("b", "d"))]),
    ("Classified By: A. Example", []),
])
def test_reason_letters(line: str, reasons: list[tuple[str, tuple[str, ...]]]) -> None:
    for fn in (parse_classified_by, parse_authority_line):
        assert [(r.section, r.letters) for r in fn(line).reasons] == reasons


def test_corpus_reasons_equal_the_scanner() -> None:
    """Every corpus Classified By sentence gives the parser the reasons the scanner found."""
    from pathlib import Path

    from markings.read import read_path
    from markings.scan import build

    folder = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cables"
    if not folder.is_dir():
        pytest.skip("corpus not present")
    seen = 0
    for path in sorted(folder.glob("*.txt")):
        doc = build(read_path(path), path=str(path))
        a = doc.authority
        if a is None or a.classified_by_span is None:
            continue
        text = doc.text[a.classified_by_span.start:a.classified_by_span.end]
        scanned = [(r.raw, r.section, r.letters) for r in a.reasons]
        try:
            parsed = [(r.raw, r.section, r.letters) for r in parse_classified_by(text).reasons]
        except MarkingSyntaxError:
            parsed = []  # a span cut before `By` (two corpus cables): no reasons either way
        assert parsed == scanned, (path.name, text)
        seen += 1
    assert seen > 1500
