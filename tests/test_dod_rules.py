"""Group F rules (MK601-MK604), table-driven from the catalogue's examples."""

from __future__ import annotations

import datetime as dt

import pytest

from markings.document import Banner, Document, MarkingRef, Portion
from markings.findings import Span
from markings.parse import parse_marking
from markings.registry import Context
from markings.rules import dod as F

A = ("DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited.")
C_OK = ("DISTRIBUTION STATEMENT C. Distribution authorized to U.S. Government agencies and "
        "their contractors; Critical Technology; 15 March 2012. Other requests for this "
        "document shall be referred to the controlling office.")
B_BAD = "DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government agencies only."
B_OK = ("DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government agencies only; "
        "Proprietary Information; 15 March 2012. Other requests for this document shall be "
        "referred to the controlling office.")
D_OK = ("DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and "
        "U.S. DoD contractors only; Critical Technology; 1 June 2015. Other requests shall be "
        "referred to the controlling office.")


def doc(banner: str, portions: tuple[str, ...], text: str) -> Document:
    return Document(
        path="t", text=text, style="memo", date=dt.date(2015, 1, 1),
        banners=[Banner(text=banner, span=Span(), marking=parse_marking(banner, "banner"))],
        portions=[Portion(span=Span(), mark=MarkingRef(text=m, span=Span(),
                                                       marking=parse_marking(m, "portion")))
                  for m in portions])


def run(fn, d: Document):  # type: ignore[no-untyped-def]
    return list(fn(d, Context()))


CASES = [
    ("F01 fail", F.dod_dist_a_on_classified, doc("SECRET", ("(S)",), A), 1),
    ("F01 pass", F.dod_dist_a_on_classified, doc("SECRET", ("(S)",), C_OK), 0),
    ("F01 fail FOUO", F.dod_dist_a_on_classified,
     doc("UNCLASSIFIED//FOUO", ("(U//FOUO)",), A), 1),
    ("F01 pass plain U", F.dod_dist_a_on_classified, doc("UNCLASSIFIED", ("(U)",), A), 0),
    ("F02 fail", F.dod_dist_b_to_f_reason_date, doc("SECRET", ("(S)",), B_BAD), 1),
    ("F02 pass", F.dod_dist_b_to_f_reason_date, doc("SECRET", ("(S)",), B_OK), 0),
    ("F03 fail", F.dod_single_dist_statement,
     doc("SECRET", ("(S)",), A + "\n\n" + D_OK), 1),
    ("F03 pass", F.dod_single_dist_statement, doc("SECRET", ("(S)",), D_OK), 0),
    ("F03 pass repeated", F.dod_single_dist_statement,
     doc("SECRET", ("(S)",), D_OK + "\n\n" + D_OK), 0),
    ("F04 fail UK-C", F.dod_legacy_fgi_portion,
     doc("CONFIDENTIAL", ("(UK-C)",), "x"), 1),
    ("F04 fail NATO-S", F.dod_legacy_fgi_portion, doc("SECRET", ("(NATO-S)",), "x"), 1),
    ("F04 pass", F.dod_legacy_fgi_portion, doc("CONFIDENTIAL", ("(//GBR C)",), "x"), 0),
]


@pytest.mark.parametrize("name,fn,d,n", CASES, ids=[c[0] for c in CASES])
def test_catalogue_examples(name, fn, d, n):  # type: ignore[no-untyped-def]
    out = run(fn, d)
    assert len(out) == n, [h.message for h in out]


def test_f02_names_what_is_missing() -> None:
    [h] = run(F.dod_dist_b_to_f_reason_date, doc("SECRET", ("(S)",), B_BAD))
    assert "reason" in h.message and "date" in h.message and "controlling office" in h.message


def test_f04_suggests_canonical_form() -> None:
    [h] = run(F.dod_legacy_fgi_portion, doc("CONFIDENTIAL", ("(UK-C)",), "x"))
    assert "(//GBR C)" in h.message
