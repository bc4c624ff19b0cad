"""The shared contract: findings, fingerprints, spans, marking identity, the registry."""

from __future__ import annotations

import subprocess
import sys

import pytest

from markings.document import Document
from markings.findings import Finding, Report, Severity, fingerprint
from markings.model import Deviation, Level, Marking
from markings.registry import all_rules, get_rule, rule


def test_fingerprint_ignores_line_numbers_and_spacing() -> None:
    a = fingerprint("doc.txt", "MK101", "SECRET//NOFORN")
    assert a == fingerprint("doc.txt", "MK101", "  secret//noforn ")
    assert a != fingerprint("doc.txt", "MK102", "SECRET//NOFORN")
    assert a != fingerprint("other.txt", "MK101", "SECRET//NOFORN")
    assert len(a) == 16


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("abc\ndef\n", 0, 3, (1, 1, 1, 4)),
        ("abc\ndef\n", 4, 7, (2, 1, 2, 4)),
        ("abc\ndef\n", 5, 6, (2, 2, 2, 3)),
        ("abc\ndef\n", 2, 6, (1, 3, 2, 3)),
        ("(S) x", 0, 3, (1, 1, 1, 4)),
    ],
)
def test_document_span_is_one_based_end_exclusive(
        text: str, start: int, end: int, expected: tuple[int, int, int, int]) -> None:
    sp = Document(path="t", text=text).span(start, end)
    assert (sp.line, sp.column, sp.end_line, sp.end_column) == expected
    assert (sp.start, sp.end) == (start, end)


def test_marking_identity_is_semantic() -> None:
    a = Marking(raw="(S/NF)", kind="portion", style="cable", level=Level.S, dissem=("NOFORN",),
                deviations=(Deviation(rule="syntax-category-separator", detail="/"),))
    b = Marking(raw="(S//NF)", kind="portion", level=Level.S, dissem=("NOFORN",))
    c = Marking(raw="(S)", kind="portion", level=Level.S)
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2


def test_marking_order_of_controls_does_not_change_meaning() -> None:
    a = Marking(level=Level.TS, dissem=("NOFORN", "ORCON"))
    b = Marking(level=Level.TS, dissem=("ORCON", "NOFORN"))
    assert a == b


def test_report_max_severity_and_sorting() -> None:
    f1 = Finding(code="MK201", name="x", severity=Severity.WARNING, message="m", path="b", line=3)
    f2 = Finding(code="MK101", name="y", severity=Severity.ERROR, message="m", path="a", line=9)
    rep = Report(findings=[f1, f2])
    assert rep.max_severity() is Severity.ERROR
    assert [f.path for f in rep.sorted().findings] == ["a", "b"]
    assert Report().max_severity() is None
    assert Severity.INFO.rank < Severity.WARNING.rank < Severity.ERROR.rank


def test_registry_rejects_bad_codes_and_names() -> None:
    with pytest.raises(ValueError):
        rule("X101", "bad", "error")
    with pytest.raises(ValueError):
        rule("MK999", "Not_Kebab", "error")


def test_every_registered_rule_is_documented_and_unique() -> None:
    rules = all_rules()
    assert rules, "no rules registered"
    codes = [r.code for r in rules]
    names = [r.name for r in rules]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for r in rules:
        assert r.doc, f"{r.code} has no docstring"
        assert get_rule(r.code) is r
        assert get_rule(r.name) is r


def test_catalogue_rules_use_catalogue_slugs_and_codes() -> None:
    groups = {"A": 100, "B": 200, "C": 300, "D": 400, "E": 500, "F": 600}
    for r in all_rules():
        if r.catalogue:
            number = groups[r.catalogue[0]] + int(r.catalogue[1:])
            assert r.code == f"MK{number:03d}", (r.code, r.catalogue)


def test_import_markings_is_light() -> None:
    code = ("import sys, markings; "
            "bad = [m for m in ('lark', 'markings.parse', 'rich', 'sqlite3') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
