"""Group D rules (MK401-MK418), table-driven from the catalogue's failing and passing examples."""

from __future__ import annotations

import datetime as dt

import pytest

from markings.document import Banner, Document, MarkingRef, Portion
from markings.eras import exemption_family, order_for_date, retired_value
from markings.findings import Severity, Span
from markings.model import AuthorityBlock, Reason
from markings.parse import parse_declass, parse_marking
from markings.registry import Context
from markings.rules import declass as D

TODAY = dt.date(2025, 6, 1)


def doc(value: str | None = None, *, style: str = "memo", date: dt.date | None = None,
        date_source: str | None = None, portions: tuple[str, ...] = ("(S)",),
        banner: str | None = None, eo: str | None = None, reasons: tuple[Reason, ...] = (),
        derived_from: str | None = None) -> Document:
    decl = parse_declass(value) if value is not None else None
    if style == "cable":
        auth = AuthorityBlock(eo=eo or "12958", decl=decl, classified_by=True, reasons=reasons)
    else:
        auth = AuthorityBlock(eo=eo, declassify_on=decl, classified_by=True, reasons=reasons,
                              derived_from=derived_from)
    top = banner or ("SECRET" if style == "memo" else "S E C R E T")
    return Document(
        path="t", text="x", style=style, date=date, date_source=date_source,  # type: ignore[arg-type]
        banners=[Banner(text=top, span=Span(), marking=parse_marking(banner or "SECRET",
                                                                      "banner"))],
        portions=[Portion(span=Span(), mark=MarkingRef(text=p, span=Span(),
                                                       marking=parse_marking(p, "portion")))
                  for p in portions],
        authority=auth)


def effective(fn, hit):  # type: ignore[no-untyped-def]
    """The severity a finding gets: the hit's override or the rule's default."""
    from markings.registry import all_rules

    return hit.severity or next(r.severity for r in all_rules() if r.check is fn)


def hits(fn, d: Document, **settings):  # type: ignore[no-untyped-def]
    return list(fn(d, Context(today=TODAY, settings=settings)))


CASES = [
    # (rule, document, expected number of hits, expected severity of the first hit or None)
    ("D01 fail bad month", D.declass_format, doc("2035-13-01"), 1, None),
    ("D01 fail text date memo", D.declass_format, doc("31 Dec 2035"), 1, None),
    ("D01 fail Feb 30 cable", D.declass_format, doc("02/30/2015", style="cable"), 1, None),
    ("D01 pass memo", D.declass_format, doc("20351231"), 0, None),
    ("D01 pass cable", D.declass_format, doc("09/14/2015", style="cable"), 0, None),
    ("D01 pass exemption", D.declass_format, doc("25X1, 20651231"), 0, None),
    ("D01 pass EO 12951", D.declass_format, doc("25X1, EO 12951"), 0, None),
    ("D01 fail memo MM/DD/YYYY", D.declass_format, doc("12/31/2035"), 1, None),
    ("D02 fail", D.declass_over_25_years,
     doc("06/18/2038", style="cable", date=dt.date(2008, 6, 18)), 1, None),
    ("D02 pass", D.declass_over_25_years,
     doc("06/18/2018", style="cable", date=dt.date(2008, 6, 18)), 0, None),
    ("D02 pass exactly 25", D.declass_over_25_years,
     doc("06/18/2033", style="cable", date=dt.date(2008, 6, 18)), 0, None),
    ("D02 pass with exemption", D.declass_over_25_years,
     doc("25X1, 20601231", date=dt.date(2012, 1, 1)), 0, None),
    ("D02 skip undated", D.declass_over_25_years, doc("06/18/2038", style="cable"), 0, None),
    ("D02 skip 1990 order", D.declass_over_25_years,
     doc("01/01/2030", style="cable", date=dt.date(1990, 1, 1)), 0, None),
    ("D03 fail", D.declass_over_10_years,
     doc("12/31/2019", style="cable", date=dt.date(1999, 5, 1)), 1, None),
    ("D03 pass", D.declass_over_10_years,
     doc("12/31/2009", style="cable", date=dt.date(1999, 5, 1)), 0, None),
    ("D04 fail", D.declass_before_origin, doc("20090401", date=dt.date(2009, 5, 1)), 1, None),
    ("D04 pass", D.declass_before_origin, doc("20190501", date=dt.date(2009, 5, 1)), 0, None),
    ("D04 cable-id year only, same year", D.declass_before_origin,
     doc("06/01/2009", style="cable", date=dt.date(2009, 1, 1), date_source="cable-id"), 0,
     None),
    ("D04 source date is not a declass date", D.declass_before_origin,
     doc("Source marked OADR, date of source 19910301", date=dt.date(2014, 1, 1)), 0, None),
    ("D05 fail (info)", D.declass_date_passed,
     doc("09/14/2015", style="cable", date=dt.date(2005, 9, 14)), 1, None),
    ("D05 pass", D.declass_date_passed, doc("20400101"), 0, None),
    ("D07 fail X1 2012", D.declass_exemption_era, doc("X1", date=dt.date(2012, 3, 1)), 1,
     Severity.ERROR),
    ("D07 fail 25X1-human 2013", D.declass_exemption_era,
     doc("25X1-human", date=dt.date(2013, 3, 1)), 1, Severity.ERROR),
    ("D07 fail 50X1-HUM 2005 cable", D.declass_exemption_era,
     doc("50X1-HUM", style="cable", date=dt.date(2005, 3, 1)), 1, Severity.ERROR),
    ("D07 pass 50X1-HUM 2012", D.declass_exemption_era,
     doc("50X1-HUM", date=dt.date(2012, 3, 1)), 0, None),
    ("D07 pass date 2005", D.declass_exemption_era,
     doc("09/14/2015", style="cable", date=dt.date(2005, 9, 14)), 0, None),
    ("D07 pass X1 1999", D.declass_exemption_era, doc("X1", date=dt.date(1999, 3, 1)), 0,
     None),
    ("D08 fail bare 25X1 2015", D.declass_exemption_date_pairing,
     doc("25X1", date=dt.date(2015, 1, 1)), 1, Severity.ERROR),
    ("D08 bare 25X1 2008 is info", D.declass_exemption_date_pairing,
     doc("25X1", style="cable", date=dt.date(2008, 1, 1)), 1, Severity.INFO),
    ("D08 fail dated HUM", D.declass_exemption_date_pairing,
     doc("50X1-HUM, 20650101", date=dt.date(2015, 1, 1)), 1, None),
    ("D08 pass 25X1 with date", D.declass_exemption_date_pairing,
     doc("25X1, 20651231", date=dt.date(2015, 1, 1)), 0, None),
    ("D08 pass HUM", D.declass_exemption_date_pairing,
     doc("50X1-HUM", date=dt.date(2015, 1, 1)), 0, None),
    ("D09 fail", D.declass_exemption_horizon, doc("25X1, 20801231", date=dt.date(2015, 1, 1)),
     1, None),
    ("D09 pass", D.declass_exemption_horizon, doc("25X1, 20651231", date=dt.date(2015, 1, 1)),
     0, None),
    ("D10 fail two codes", D.declass_single_value, doc("25X1, 25X6, 20651231"), 1, None),
    ("D10 fail or", D.declass_single_value, doc("20301231 or 25X1"), 1, None),
    ("D10 pass", D.declass_single_value, doc("25X1, 20651231"), 0, None),
    ("D11 fail", D.declass_aea_statement,
     doc("20351231", date=dt.date(2015, 1, 1), portions=("(S//RD//NF)",)), 1, None),
    ("D11 pass", D.declass_aea_statement,
     doc("N/A to RD portions. See source list for NSI portions.", date=dt.date(2015, 1, 1),
         portions=("(S//RD//NF)",)), 0, None),
    ("D11 fail wrong label", D.declass_aea_statement,
     doc("N/A to FRD portions. See source list for NSI portions.", date=dt.date(2015, 1, 1),
         portions=("(S//RD//NF)",)), 1, None),
    ("D11 skip before 2010", D.declass_aea_statement,
     doc("20351231", date=dt.date(2005, 1, 1), portions=("(S//RD//NF)",)), 0, None),
    ("D12 fail", D.declass_nato_statement,
     doc("20351231", date=dt.date(2015, 1, 1), portions=("(//NS//REL TO USA, NATO)",)), 1,
     None),
    ("D12 pass", D.declass_nato_statement,
     doc("N/A to NATO portions. See source list for NSI portions.", date=dt.date(2015, 1, 1),
         portions=("(//NS//REL TO USA, NATO)",)), 0, None),
    ("D12 fail phantom", D.declass_nato_statement,
     doc("N/A to NATO portions. See source list for NSI portions.", date=dt.date(2015, 1, 1),
         portions=("(S)",)), 1, None),
    ("D12 pass REL NATO is not NATO info", D.declass_nato_statement,
     doc("20351231", date=dt.date(2015, 1, 1), portions=("(S//REL TO USA, NATO)",)), 0, None),
    ("D13 fail OADR 2014", D.declass_retired_instruction,
     doc("Source marked OADR, date of source 19910301", date=dt.date(2014, 1, 1)), 1,
     Severity.ERROR),
    ("D13 pass OADR 1990", D.declass_retired_instruction,
     doc("OADR", style="cable", date=dt.date(1990, 5, 1), eo="12356"), 0, None),
    ("D13 OADR 2005 warns", D.declass_retired_instruction,
     doc("OADR", style="cable", date=dt.date(2005, 5, 1)), 1, Severity.WARNING),
    ("D13 undated is info", D.declass_retired_instruction, doc("MR"), 1, Severity.INFO),
    ("D13 pass date", D.declass_retired_instruction, doc("20160301", date=dt.date(2014, 1, 1)),
     0, None),
    ("D14 fail", D.declass_event_form, doc("AFTER KOREAN UNIFICATION", style="cable"), 1, None),
    ("D14 pass fallback date", D.declass_event_form,
     doc("completion of exercise X, not later than 20201231"), 0, None),
    ("D15 fail early", D.declass_eo_citation_era,
     doc("03/02/2018", style="cable", date=dt.date(2008, 3, 2), eo="13526"), 1,
     Severity.ERROR),
    ("D15 pass", D.declass_eo_citation_era,
     doc("03/02/2018", style="cable", date=dt.date(2008, 3, 2), eo="12958"), 0, None),
    ("D15 lag warns", D.declass_eo_citation_era,
     doc("08/01/2020", style="cable", date=dt.date(2010, 8, 1), eo="12958"), 1,
     Severity.WARNING),
    ("D15 typo warns", D.declass_eo_citation_era,
     doc("08/01/2018", style="cable", date=dt.date(2008, 8, 1), eo="12598"), 1,
     Severity.WARNING),
    ("D16 fail", D.declass_ambiguous_date, doc("6/3/08", style="cable"), 1, None),
    ("D16 pass", D.declass_ambiguous_date, doc("06/03/2008", style="cable"), 0, None),
    ("D17 fail", D.declass_banner_cab_consistency,
     doc("20101231", banner="SECRET//NOFORN//X1"), 1, None),
    ("D17 pass", D.declass_banner_cab_consistency,
     doc("20101231", banner="SECRET//NOFORN//20101231"), 0, None),
]


@pytest.mark.parametrize("name,fn,d,n,sev", CASES, ids=[c[0] for c in CASES])
def test_catalogue_examples(name, fn, d, n, sev):  # type: ignore[no-untyped-def]
    out = hits(fn, d)
    assert len(out) == n, [h.message for h in out]
    if sev is not None:
        assert effective(fn, out[0]) == sev


@pytest.mark.parametrize("reason,n,sev", [
    (Reason(raw="1.4 (b) and (i)", section="1.4", letters=("b", "i")), 1, None),
    (Reason(raw="1.4(j)", section="1.4", letters=("j",)), 1, None),
    (Reason(raw="1.5 (h)", section="1.5", letters=("h",)), 2, None),  # letter + era
    (Reason(raw="1.4 (b) and (d)", section="1.4", letters=("b", "d")), 0, None),
])
def test_d06_reason_letters(reason, n, sev):  # type: ignore[no-untyped-def]
    out = hits(D.declass_reason_letters, doc("20151231", date=dt.date(2006, 1, 5),
                                             reasons=(reason,)))
    assert len(out) == n, [h.message for h in out]


def test_d06_pass_2000_cable_with_section_15() -> None:
    r = Reason(raw="PER 1.5 (B) AND (D)", section="1.5", letters=("b", "d"))
    d = doc("12/31/2009", style="cable", date=dt.date(2000, 4, 1), reasons=(r,))
    assert hits(D.declass_reason_letters, d) == []


def test_d06_lagging_15_in_2004_cable_is_info() -> None:
    r = Reason(raw="1.5 (b,d)", section="1.5", letters=("b", "d"))
    d = doc("12/31/2014", style="cable", date=dt.date(2004, 4, 1), reasons=(r,))
    [h] = hits(D.declass_reason_letters, d)
    assert h.severity == Severity.INFO


def test_d18_needs_sources_setting() -> None:
    d = doc("20301231", derived_from="Multiple Sources")
    assert hits(D.declass_multiple_sources_hierarchy, d) == []
    out = hits(D.declass_multiple_sources_hierarchy, d, source_declass=["20301231", "50X1-HUM"])
    assert len(out) == 1 and "50X1-HUM" in out[0].message
    ok = doc("50X1-HUM", derived_from="Multiple Sources")
    assert hits(D.declass_multiple_sources_hierarchy, ok,
                source_declass=["20301231", "50X1-HUM"]) == []


def test_messages_never_quote_event_text() -> None:
    d = doc("AFTER THE MINISTER RESIGNS", style="cable")
    for fn in (D.declass_event_form, D.declass_format):
        for h in hits(fn, d):
            assert "MINISTER" not in h.message


def test_eras_tables() -> None:
    assert order_for_date(dt.date(2005, 1, 1)).key == "12958-amended"  # type: ignore[union-attr]
    assert order_for_date(dt.date(1999, 1, 1)).reason_section == "1.5"  # type: ignore[union-attr]
    assert order_for_date(dt.date(2011, 1, 1)).number == "13526"  # type: ignore[union-attr]
    assert exemption_family("25X1").needs_date is True  # type: ignore[union-attr]
    assert exemption_family("50X1-HUM").needs_date is False  # type: ignore[union-attr]
    assert exemption_family("26X1") is None
    assert retired_value("Originating Agency's Determination Required").key == "OADR"  # type: ignore[union-attr]


def test_end_to_end_cable() -> None:
    from markings.engine import check_text

    text = ("O 141513Z SEP 05\nFM AMEMBASSY MOSCOW\n\nS E C R E T MOSCOW 011807\n\n"
            "E.O. 12958: DECL: 09/14/2035\nTAGS: PREL\nSUBJECT: ARMS\n\n"
            "Classified By: Someone, Reasons 1.4 (b) and (d).\n\n1. (S) Text.\n")
    rep = check_text(text, path="x.txt")
    codes = {f.code for f in rep.findings}
    assert "MK402" in codes  # 30 years after 2005-09-14
    assert "MK406" not in codes


# --- corpus review regressions -------------------------------------------------------------

def test_d06_letters_without_section_is_a_warning() -> None:
    r = Reason(raw="reasons (b) and (d)", section="", letters=("b", "d"))
    d = doc("12/31/2015", style="cable", date=dt.date(2008, 4, 1), reasons=(r,))
    [h] = hits(D.declass_reason_letters, d)
    assert h.severity == Severity.WARNING
    assert "(b) and (d) without a readable section" in h.message and "``" not in h.message


@pytest.mark.parametrize(("value", "n"), [("9/4/2015", 0), ("6/30/08", 1), ("09/04/2015", 0)])
def test_d16_cable_unpadded_date_is_not_ambiguous(value: str, n: int) -> None:
    d = doc(value, style="cable", date=dt.date(2005, 4, 1))
    assert len(hits(D.declass_ambiguous_date, d)) == n


def test_d16_memo_unpadded_date_is_reported() -> None:
    assert len(hits(D.declass_ambiguous_date, doc("9/4/2015", date=dt.date(2005, 4, 1)))) == 1


def test_d14_duration_is_named_as_such() -> None:
    [h] = hits(D.declass_event_form, doc("TEN YEARS", style="cable", date=dt.date(2009, 1, 5)))
    assert "number of years" in h.message and "TEN" not in h.message


def test_d06_other_section_is_named_and_empty_section_is_never_quoted() -> None:
    r = Reason(raw="Reason: 1.7(b)", section="1.7", letters=("b",))
    [h] = hits(D.declass_reason_letters, doc("20351231", date=dt.date(2014, 3, 1), reasons=(r,)))
    assert "`1.7`" in h.message
    empty = Reason(raw="Reason:", section="", letters=())
    assert hits(D.declass_reason_letters, doc("20351231", date=dt.date(2014, 3, 1),
                                              reasons=(empty,))) == []
