"""Group C rules (MK301-MK316), table-driven from the catalogue's failing and passing examples."""

from __future__ import annotations

import datetime as dt

import pytest

from markings.document import Banner, Document, MarkingRef, Portion
from markings.findings import Severity, Span
from markings.model import AuthorityBlock, Reason
from markings.parse import parse_declass, parse_marking
from markings.registry import Context, all_rules
from markings.rules import presence as C

D = dt.date(2014, 3, 12)
CAB = AuthorityBlock(classified_by=True, reasons=(Reason(raw="1.4(c)", section="1.4",
                                                         letters=("c",)),),
                     declassify_on=parse_declass("20350101"))


def b(text: str, pos: str = "top") -> Banner:
    return Banner(text=text, span=Span(), marking=parse_marking(text, "banner"),
                  position=pos)  # type: ignore[arg-type]


def p(mark: str | None, kind: str = "paragraph", parent: int | None = None) -> Portion:
    ref = None if mark is None else MarkingRef(text=mark, span=Span(),
                                               marking=parse_marking(mark, "portion"))
    return Portion(kind=kind, span=Span(), mark=ref, parent=parent)  # type: ignore[arg-type]


def doc(banners: list[Banner], portions: list[Portion], *, text: str = "x",
        authority: AuthorityBlock | None = CAB, style: str = "memo",
        date: dt.date | None = D) -> Document:
    return Document(path="t", text=text, style=style, date=date, banners=banners,  # type: ignore[arg-type]
                    portions=portions, authority=authority)


def run(fn, d: Document, **settings):  # type: ignore[no-untyped-def]
    return list(fn(d, Context(today=dt.date(2025, 1, 1), settings=settings)))


def sev(fn, hit):  # type: ignore[no-untyped-def]
    return hit.severity or next(r.severity for r in all_rules() if r.check is fn)


TOP_BOTTOM = [b("SECRET"), b("SECRET", "bottom")]

CASES = [
    ("C01 fail no banner", C.presence_banner_missing, doc([], [p("(S)")]), 1),
    ("C01 pass", C.presence_banner_missing, doc(TOP_BOTTOM, [p("(S)")]), 0),
    ("C01 top only warns", C.presence_banner_missing, doc([b("SECRET")], [p("(S)")]), 1),
    ("C01 cable exempt", C.presence_banner_missing,
     doc([], [p("(S)")], style="cable"), 0),
    ("C02 fail", C.presence_banner_top_bottom_mismatch,
     doc([b("SECRET//NOFORN"), b("SECRET", "bottom")], [p("(S//NF)")]), 1),
    ("C02 pass", C.presence_banner_top_bottom_mismatch,
     doc([b("SECRET//NOFORN"), b("SECRET//NOFORN", "bottom")], [p("(S//NF)")]), 0),
    ("C04 fail", C.presence_unmarked_portion, doc(TOP_BOTTOM, [p("(S)"), p(None)]), 1),
    ("C04 pass", C.presence_unmarked_portion, doc(TOP_BOTTOM, [p("(S)"), p("(U)")]), 0),
    ("C04 cable left to E rules", C.presence_unmarked_portion,
     doc(TOP_BOTTOM, [p("(S)"), p(None)], style="cable"), 0),
    ("C05 fail", C.presence_unmarked_controlled_unclassified,
     doc([b("UNCLASSIFIED//FOUO")], [p(None), p(None)], authority=None), 1),
    ("C05 pass", C.presence_unmarked_controlled_unclassified,
     doc([b("UNCLASSIFIED//FOUO")], [p("(U//FOUO)"), p("(U)")], authority=None), 0),
    ("C05 plain unclassified", C.presence_unmarked_controlled_unclassified,
     doc([b("UNCLASSIFIED")], [p(None)], authority=None), 0),
    ("C06 fail", C.presence_cab_missing, doc(TOP_BOTTOM, [p("(S)")], authority=None), 1),
    ("C06 pass", C.presence_cab_missing, doc(TOP_BOTTOM, [p("(S)")]), 0),
    ("C06 cable form accepted", C.presence_cab_missing,
     doc([b("SECRET")], [p("(S)")], style="cable",
         authority=AuthorityBlock(eo="12958", decl=parse_declass("09/14/2015"))), 0),
    ("C07 fail", C.presence_reason_missing,
     doc(TOP_BOTTOM, [p("(S)")], authority=AuthorityBlock(
         classified_by=True, declassify_on=parse_declass("20350101"))), 1),
    ("C07 pass", C.presence_reason_missing, doc(TOP_BOTTOM, [p("(S)")]), 0),
    ("C07 pass cable reasons", C.presence_reason_missing,
     doc([b("SECRET")], [p("(S)")], style="cable", authority=AuthorityBlock(
         eo="12958", decl=parse_declass("09/14/2015"), classified_by=True,
         reasons=(Reason(raw="1.4 (b) and (d)", section="1.4", letters=("b", "d")),))), 0),
    ("C08 fail no list", C.presence_derivative_block,
     doc(TOP_BOTTOM, [p("(S)")], authority=AuthorityBlock(
         classified_by=True, derived_from="Multiple Sources",
         declassify_on=parse_declass("20350101"))), 1),
    ("C08 fail reason", C.presence_derivative_block,
     doc(TOP_BOTTOM, [p("(S)")], authority=AuthorityBlock(
         classified_by=True, derived_from="CG 12", declassify_on=parse_declass("20350101"),
         reasons=(Reason(raw="1.4(c)", section="1.4", letters=("c",)),))), 1),
    ("C08 pass", C.presence_derivative_block,
     doc(TOP_BOTTOM, [p("(S)")], authority=AuthorityBlock(
         classified_by=True, derived_from="Multiple Sources", sources_list=True,
         declassify_on=parse_declass("20350101"))), 0),
    ("C09 fail", C.presence_declassify_on_missing,
     doc(TOP_BOTTOM, [p("(S)")], authority=AuthorityBlock(
         classified_by=True, reasons=(Reason(raw="1.4(d)", section="1.4", letters=("d",)),))),
     1),
    ("C09 pass", C.presence_declassify_on_missing, doc(TOP_BOTTOM, [p("(S)")]), 0),
    ("C09 cable DECL counts", C.presence_declassify_on_missing,
     doc([b("SECRET")], [p("(S)")], style="cable", authority=AuthorityBlock(
         eo="12958", decl=parse_declass("09/14/2015"), classified_by=True,
         reasons=(Reason(raw="1.4 (b)", section="1.4", letters=("b",)),))), 0),
    ("C10 fail", C.presence_cab_on_unclassified,
     doc([b("UNCLASSIFIED")], [p("(U)")], authority=AuthorityBlock(
         declassify_on=parse_declass("20300101"))), 1),
    ("C10 pass", C.presence_cab_on_unclassified, doc([b("UNCLASSIFIED")], [p("(U)")],
                                                     authority=None), 0),
    ("C10 pass cable N/A", C.presence_cab_on_unclassified,
     doc([b("UNCLASSIFIED")], [p("(U)")], style="cable",
         authority=AuthorityBlock(eo="12958", eo_na=True)), 0),
    ("C11 fail", C.presence_required_notice, doc(TOP_BOTTOM, [p("(S//RD//NF)")]), 1),
    ("C11 pass", C.presence_required_notice,
     doc(TOP_BOTTOM, [p("(S//RD//NF)")], text="RESTRICTED DATA. This material contains "
         "Restricted Data as defined in the Atomic Energy Act of 1954."), 0),
    ("C11 phantom notice", C.presence_required_notice,
     doc(TOP_BOTTOM, [p("(S)")], text="This document contains Restricted Data."), 1),
    ("C12 fail", C.presence_transmittal_statement,
     doc(TOP_BOTTOM, [p("(U)")], text="SECRET\n(U) Please find the report.\n"
         "Attachment: report\nSECRET"), 1),
    ("C12 pass", C.presence_transmittal_statement,
     doc(TOP_BOTTOM, [p("(U)")], text="SECRET\n(U) Please find the report.\n"
         "Attachment: report\nUpon removal of attachment, this document is UNCLASSIFIED.\n"
         "SECRET"), 0),
    ("C13 fail", C.presence_date_of_origin, doc(TOP_BOTTOM, [p("(S)")], date=None,
                                                text="SECRET\n(S) Text.\nSECRET"), 1),
    ("C13 pass", C.presence_date_of_origin,
     doc(TOP_BOTTOM, [p("(S)")], date=None, text="SECRET\n12 March 2014\n(S) Text.\n"), 0),
    ("C15 fail", C.presence_title_subject_unmarked,
     doc(TOP_BOTTOM, [p(None, "subject"), p("(S)")]), 1),
    ("C15 pass", C.presence_title_subject_unmarked,
     doc(TOP_BOTTOM, [p("(U)", "subject"), p("(S)")]), 0),
    ("C16 fail", C.presence_waiver_notice,
     doc([b("SECRET//NOFORN"), b("SECRET//NOFORN", "bottom")], [p(None), p(None)]), 1),
    ("C16 pass notice", C.presence_waiver_notice,
     doc([b("SECRET//NOFORN")], [p(None)], text="Portion marking has been waived. This "
         "document may not be used as a source for derivative classification."), 0),
    ("C16 pass marked", C.presence_waiver_notice, doc(TOP_BOTTOM, [p("(S)")]), 0),
]


@pytest.mark.parametrize("name,fn,d,n", CASES, ids=[c[0] for c in CASES])
def test_catalogue_examples(name, fn, d, n):  # type: ignore[no-untyped-def]
    out = run(fn, d)
    assert len(out) == n, [h.message for h in out]


def test_c01_missing_bottom_is_a_warning() -> None:
    [h] = run(C.presence_banner_missing, doc([b("SECRET")], [p("(S)")]))
    assert sev(C.presence_banner_missing, h) == Severity.WARNING


def test_c04_subparagraph_under_marked_parent_is_info() -> None:
    d = doc(TOP_BOTTOM, [p("(S)"), p(None, "subparagraph", parent=0)])
    [h] = run(C.presence_unmarked_portion, d)
    assert h.severity == Severity.INFO


def test_c04_no_marks_at_all_gives_one_finding_and_waiver_silences_it() -> None:
    d = doc(TOP_BOTTOM, [p(None), p(None), p(None)])
    assert len(run(C.presence_unmarked_portion, d)) == 1
    waived = doc(TOP_BOTTOM, [p(None)], text="Portion marking waived under ISOO approval.")
    assert run(C.presence_unmarked_portion, waived) == []


def test_c14_only_with_setting() -> None:
    d = doc(TOP_BOTTOM, [p("(S)")])
    assert run(C.presence_fdr_on_dap, d) == []
    out = run(C.presence_fdr_on_dap, d, analytic_product=True)
    assert len(out) == 2 and all(h.severity == Severity.WARNING for h in out)
    ok = doc([b("SECRET//NOFORN")], [p("(S//NF)")])
    assert run(C.presence_fdr_on_dap, ok, analytic_product=True) == []


def test_c15_cable_is_info() -> None:
    d = doc([b("SECRET")], [p(None, "subject"), p("(S)")], style="cable")
    [h] = run(C.presence_title_subject_unmarked, d)
    assert h.severity == Severity.INFO


def test_c07_cable_reason_on_next_line_accepted() -> None:
    text = "Classified By: Someone for reasons 1.\n4 (b) & (d)\n"
    auth = AuthorityBlock(eo="12958", decl=parse_declass("09/14/2015"), classified_by=True,
                          classified_by_span=Span(start=0, end=36))
    d = doc([b("SECRET")], [p("(S)")], style="cable", authority=auth, text=text)
    assert run(C.presence_reason_missing, d) == []


def test_end_to_end_memo() -> None:
    from markings.engine import check_text

    text = ("SECRET\n\n12 March 2014\n\nMEMORANDUM FOR THE RECORD\n\n"
            "(S) First paragraph.\n\nSecond paragraph with no mark.\n\nSECRET\n")
    codes = {f.code for f in check_text(text, path="x.txt").findings}
    assert "MK306" in codes  # no authority block


# --- helper review regressions -------------------------------------------------------------

def test_c04_message_reads_naturally() -> None:
    numbered = Portion(kind="numbered", number="1", span=Span())
    d = doc(TOP_BOTTOM, [p("(S)"), numbered, p(None), p(None, kind="bullet")])
    msgs = [h.message for h in run(C.presence_unmarked_portion, d)]
    assert msgs[0].startswith("Classified document: paragraph 1 has no portion mark.")
    assert "this paragraph has no portion mark" in msgs[1]
    assert "this bullet has no portion mark" in msgs[2]
    assert not any("numbered" in m for m in msgs)


_NOTICES_DOC = """SECRET//NOFORN

                              12 March 2014

MEMORANDUM FOR: Review Office
FROM: Test Author
SUBJECT: (U) Test Document

1. (S//NF) Text of portion 1.

DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government
agencies only.

RESTRICTED DATA. This document contains Restricted Data as defined in the Atomic
Energy Act of 1954.

This document contains proprietary information (PROPIN); caution.

WARNING: This document contains controlled imagery.

Classified By: J. Doe, Director, Office X
Derived From: Multiple Sources
Declassify On: 20350101

Sources:
1. Report A, 1 March 2014
2. Report B, 3 March 2014

3. Report C, 4 March 2014

SECRET//NOFORN
"""


def test_c04_notices_statements_and_source_lists_are_not_portions() -> None:
    from markings.config import Config
    from markings.engine import check_text

    rep = check_text(_NOTICES_DOC, path="x.txt", config=Config(select=["MK304"], today=D))
    assert [f.line for f in rep.findings] == []
    rep = check_text(_NOTICES_DOC.replace("WARNING: This document contains controlled imagery.",
                                              "The trials went well."), path="x.txt",
                     config=Config(select=["MK304"], today=D))
    assert [f.line for f in rep.findings] == [19]  # an ordinary paragraph still counts


_PAGED = ("SECRET//NOFORN\n\n                              5 March 2018\n\nMEMORANDUM FOR: Team\n"
          "FROM: Lead\nSUBJECT: (U) Notes\n\n(S//NF) Page one.\n\n{bottom1}\n\f\n{top2}\n\n"
          "(S//NF) Page two.\n\nClassified By: N. Example, Team Leader\nReason: 1.4(a)\n"
          "Declassify On: 20430305\n\n{bottom2}\n")


@pytest.mark.parametrize(("bottom1", "top2", "bottom2", "lines"), [
    ("SECRET", "SECRET//NOFORN", "SECRET//NOFORN", [11]),      # page 1 differs
    ("SECRET//NOFORN", "SECRET//NOFORN", "SECRET", [21]),      # page 2 differs
    ("SECRET//NOFORN", "SECRET//NOFORN", "SECRET//NOFORN", []),
])
def test_c02_banners_are_compared_page_by_page(bottom1: str, top2: str, bottom2: str,
                                              lines: list[int]) -> None:
    from markings.config import Config
    from markings.engine import check_text

    text = _PAGED.format(bottom1=bottom1, top2=top2, bottom2=bottom2)
    rep = check_text(text, path="x.txt", config=Config(select=["MK302"], today=D))
    assert [f.line for f in rep.findings] == lines
    assert all("page" in f.message for f in rep.findings)


@pytest.mark.parametrize(("style", "fix", "severity"), [
    ("memo", "Add the date (e.g. `12 March 2014`).", None),
    ("cable", "Keep the date-time group of the routing line (e.g. `O 141530Z SEP 05`) or "
              "name the cable id (e.g. `05MOSCOW11807`).", Severity.INFO),
])
def test_c13_fix_fits_the_document(style: str, fix: str, severity: Severity | None) -> None:
    d = doc(TOP_BOTTOM, [p("(S)")], date=None, style=style, text="SECRET\n(S) Text.\n")
    hits = run(C.presence_date_of_origin, d)
    assert len(hits) == 1
    assert hits[0].message.endswith(fix)
    assert hits[0].severity == severity
    if style == "cable":
        assert "12 March 2014" not in hits[0].message


# --- garbled marks and banners are not missing ones (review of issue 3) ----------------------

_GARBLED = ("{banner}\n\n12 March 2014\n\nMEMORANDUM FOR THE RECORD\n\nSUBJECT: (U) Talks\n\n"
            "{m1} The delegation said something about the talks.\n\n"
            "{m2} The second paragraph.\n\nClassified By: J. Doe, Director\nReason: 1.4(d)\n"
            "Declassify On: 20351231\n\n{banner}\n")


@pytest.mark.parametrize("banner, m1, m2, expected", [
    # a garbled mark is reported once, never as a missing mark, and the banner is not
    # advised lower (NOFORN would be lost)
    ("SECRET//NOFORN", "(S//NF", "(C)", [
        ("MK216", 9, "Malformed portion mark `(S//NF`: a portion mark is one pair of "
                     "parentheses. Write `(S//NF)`.")]),
    ("SECRET//NOFORN", "(SECERT)", "(C)", [
        ("MK201", 9, "Unknown marking token `SECERT` in `(SECERT)`. Did you mean `(S)`?")]),
    ("SECRET//NOFORN", "[S]", "(C)", [
        ("MK216", 9, "Malformed portion mark `[S]`: a portion mark is one pair of "
                     "parentheses. Write `(S)`.")]),
    # its reading still raises a banner that is too low
    ("SECRET//NOFORN", "(TS/SI//NF", "(C)", [
        ("MK101", 1, "Banner `SECRET//NOFORN` is lower than the highest portion "
                     "`(TS/SI//NF` (line 9); the portions require `TOP SECRET//SI//NOFORN`."),
        ("MK114", 1, "Banner `SECRET//NOFORN` lacks the SCI marking(s) `SI` used in the "
                     "portions; the portions require `TOP SECRET//SI//NOFORN`."),
        ("MK216", 9, "Malformed portion mark `(TS/SI//NF`: a portion mark is one pair of "
                     "parentheses. Write `(TS//SI//NF)`.")]),
    # a misspelled banner: one finding with the whole suggested banner
    ("SECERT", "(S)", "(C)", [
        ("MK201", 1, "Unknown marking token `SECERT` in `SECERT` (2 banners). Did you mean "
                     "`SECRET`?")]),
    ("TOP SECERT", "(TS)", "(C)", [
        ("MK201", 1, "Unknown marking token `TOP SECERT` in `TOP SECERT` (2 banners). Did you "
                     "mean `TOP SECRET`?")]),
    ("CONFIDENTAL", "(C)", "(U)", [
        ("MK201", 1, "Unknown marking token `CONFIDENTAL` in `CONFIDENTAL` (2 banners). Did "
                     "you mean `CONFIDENTIAL`?")]),
    ("SECERT//NOFORN", "(S//NF)", "(C)", [
        ("MK201", 1, "Unknown marking token `SECERT` in `SECERT//NOFORN` (2 banners). Did "
                     "you mean `SECRET//NOFORN`?")]),
])
def test_garbled_marks_and_banners_end_to_end(banner: str, m1: str, m2: str,
                                               expected: list[tuple[str, int, str]]) -> None:
    from markings.config import Config
    from markings.engine import check_text

    rep = check_text(_GARBLED.format(banner=banner, m1=m1, m2=m2), path="m.txt",
                     config=Config(today=D))
    assert [(f.code, f.line, f.message) for f in rep.findings] == expected
