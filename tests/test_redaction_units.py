"""Unit tests of the redaction building blocks: markers, codes, identifiers, deny lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from markings.redaction import denylist
from markings.redaction.markers import find_codes, find_markers, marker_family
from markings.redaction.residue import find_identifiers, luhn_ok, mask


@pytest.mark.parametrize(("raw", "canonical", "valid"), [
    ("(b)(1)", "(b)(1)", True),
    ("(b)(7)(c)", "(b)(7)(C)", True),
    ("(b)(7)(F)", "(b)(7)(F)", True),
    ("(b)(10)", "(b)(10)", False),
    ("(b)(7)(G)", "(b)(7)(G)", False),
    ("(b)(6)(C)", "(b)(6)(C)", False),
    ("25X1", "25X1", True),
    ("25X1-human", "25X1-HUMAN", True),
    ("25X10", "25X10", False),
    ("50X1-HUM", "50X1-HUM", True),
    ("50X2-WMD", "50X2-WMD", True),
    ("50X3-HUM", "50X3-HUM", False),
    ("1.4(c)", "1.4(c)", True),
    ("1.4 (j)", "1.4(j)", False),
])
def test_code_validation(raw: str, canonical: str, valid: bool) -> None:
    codes = find_codes(f"text {raw} text")
    assert [(c.canonical, c.valid) for c in codes] == [(canonical, valid)]
    assert bool(codes[0].problem) is not valid


@pytest.mark.parametrize(("text", "styles", "codes"), [
    ("The deputy, [REDACTED], approved.", ["bracket"], [[]]),
    ("x [REDACTED (b)(6)] y", ["bracket"], [["(b)(6)"]]),
    ("[b6] and [b7C]", ["bracket", "bracket"], [["(b)(6)"], ["(b)(7)(C)"]]),
    ("XXXXXXXXXXXX (b)(1) 1.4(d) met", ["x-run"], [["(b)(1)", "1.4(d)"]]),
    ("[name not declassified] met", ["frus"], [[]]),
    ("2 pages not declassified", ["frus"], [[]]),
    ("\u2588\u2588\u2588 \u2588\u2588\u2588\u2588", ["block"], [[]]),
    ("[PER Antonov  ] and xxxx and XXX Corps", [], []),
])
def test_find_markers(text: str, styles: list[str], codes: list[list[str]]) -> None:
    found = find_markers(text)
    assert [m.style for m in found] == styles
    assert [[c.canonical for c in m.codes] for m in found] == codes


@pytest.mark.parametrize(("text", "codes"), [
    # a code ends at the blank: the next `(b)` starts a new code (spec R-REL-1 pass example)
    ("[(b)(1) (b)(3)]", ["(b)(1)", "(b)(3)"]),
    ("[(b)(6) (b)(7)(C)]", ["(b)(6)", "(b)(7)(C)"]),
    ("XXXXXXXXXXXX (b)(1) (b)(3)", ["(b)(1)", "(b)(3)"]),
    ("[(b)(7)(C) (b)(6)]", ["(b)(7)(C)", "(b)(6)"]),
    ("[REDACTED (b)(7)(C)]", ["(b)(7)(C)"]),
])
def test_codes_separated_by_a_blank(text: str, codes: list[str]) -> None:
    (mk,) = find_markers(text)
    assert [(c.canonical, c.valid) for c in mk.codes] == [(c, True) for c in codes]
    assert [(c.canonical, c.valid) for c in find_codes(text)] == [(c, True) for c in codes]


def test_word_shaped_markers_and_families() -> None:
    (mk,) = find_markers("Ambassador XXXXX XXXXXXXX met")
    assert mk.word_shaped and [e - s for s, e in mk.parts] == [5, 8]
    (fixed,) = find_markers("XXXXXXXXXXXX met")
    assert not fixed.word_shaped and fixed.run_length == 12
    fams = [marker_family(m) for m in find_markers("[REDACTED] [(b)(6)] XXXX")]
    assert fams == ["bracket-word", "bracket-code", "x-run"]


@pytest.mark.parametrize(("text", "entity", "masked"), [
    ("mail jdoe@example.gov now", "EMAIL_ADDRESS", "***@***.gov"),
    ("mail a.very.long.name@sub.example.co.uk now", "EMAIL_ADDRESS", "***@***.uk"),
    ("call 202-555-0142 now", "PHONE_NUMBER", "****"),
    ("call ( 202 ) 647-2329 now", "PHONE_NUMBER", "****"),
    ("call +44 20 7946 0958 now", "PHONE_NUMBER", "****"),
    ("ssn 219-09-9999 now", "US_SSN", "****"),
    ("card 4111 1111 1111 1111 now", "CREDIT_CARD", "****"),
    ("host 10.1.2.3 now", "IP_ADDRESS", "****"),
])
def test_identifiers_found_and_masked(text: str, entity: str, masked: str) -> None:
    (ident,) = find_identifiers(text)
    assert ident.entity == entity and ident.masked == masked
    assert ident.value not in ident.masked


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112",  # Luhn fails
    "ssn 000-12-3456",  # area 000 is never issued
    "ssn 666-12-3456",
    "call 123-456-7890",  # NANP area codes never start with 1
    "version 1.2.300.4",  # octet out of range
    "paragraph 1.4 (b) and (d), 12958",
])
def test_identifiers_rejected_by_validation(text: str) -> None:
    assert find_identifiers(text) == []


def test_luhn_and_mask() -> None:
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
    # fixed form: the mask never tells the value's length or layout
    assert mask("AB-12", "X") == mask("ABCDEF-123456", "X") == "****"


def test_deny_list_roundtrip_never_stores_clear_text(tmp_path: Path) -> None:
    path = tmp_path / "deny.txt"
    n = denylist.create(["Ahmed Example"], path, with_parts=True)
    content = path.read_text()
    assert n == 3 and "ahmed" not in content.casefold() and "example" not in content.casefold()
    deny = denylist.load(path)
    hits = list(deny.matches("Line: Example confirmed; AHMED  example too. Other words."))
    spans = [(s, e) for s, e, _ in hits]
    assert (6, 13) in spans and (25, 39) in spans
    assert list(deny.matches("Nothing protected here.")) == []


def test_deny_list_without_salt_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "deny.txt"
    path.write_text("# markings deny list v1\n" + "0" * 64 + "\n")
    with pytest.raises(ValueError):
        denylist.load(path)


@pytest.mark.parametrize(("text", "codes"), [
    # State Department page stamps
    ("RELEASE IN PART B6", [("(b)(6)", True)]),
    ("RELEASE IN PART B1, 1.4(D), B6", [("(b)(1)", True), ("1.4(d)", True), ("(b)(6)", True)]),
    ("RELEASE IN PART B10", [("(b)(10)", False)]),
    ("RELEASE IN FULL", []),
    # FBI FOIPA margin notations with sub-category numbers
    ("b6 -1\nb7C -1", [("(b)(6)", True), ("(b)(7)(C)", True)]),
    ("b7G -1", [("(b)(7)(G)", False)]),
    # prose is not a code
    ("the B-52 and b6 of the chess game, cell b2-3x", []),
    ("we wrote b6 in the margin", []),
])
def test_stamp_and_fbi_codes(text: str, codes: list[tuple[str, bool]]) -> None:
    assert [(c.canonical, c.valid) for c in find_codes(text)] == codes


def test_crest_lines_are_markers() -> None:
    text = ("Approved For Release 2001/03/04 : CIA-RDP79T00975A000100010001-1\nSTAT\n"
            "the stat line\n  25X1  \nStat\nSTATINTL\n")
    found = find_markers(text)
    assert [(m.style, m.text, [c.canonical for c in m.codes]) for m in found] == [
        ("crest", "STAT", ["STAT"]), ("crest", "25X1", ["25X1"]),
        ("crest", "STATINTL", ["STATINTL"])]
    assert {marker_family(m) for m in found} == {"crest"}
