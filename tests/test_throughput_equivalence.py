"""Fast paths added for throughput give the same results as the plain code they replace."""

from __future__ import annotations

import pytest

from markings import scan

_TEXT = ("X 0005154 002 OF 004 51545154 001 OF 002 00000000 001 OF 002 1005154 003 OF 004 "
         "005154  003 OF 004. 0005154 001.4 OF 004 MOSCOW 00005154\t002 OF 004\n"
         "5154 001 OF 002 000005154 001 OF 0021")


@pytest.mark.parametrize("num", [5154, 0, 51545154, 1005154, 4])
def test_own_section_numbers_same_as_filtered_finditer(num: int) -> None:
    for start in range(len(_TEXT)):
        plain = [m.span() for m in scan._SECTION_NUM_RE.finditer(_TEXT, start)
                 if int(m.group("num")) == num]
        fast = [m.span() for m in scan._own_section_numbers(_TEXT, start, num)]
        assert fast == plain, start


def test_own_section_numbers_finds_the_headers() -> None:
    found = [m.group(0) for m in scan._own_section_numbers(_TEXT, 0, 5154)]
    # "005154  003 OF 004." and "001.4 OF 004" count pages; "1005154" is another number
    assert found == ["0005154 002 OF 004", "00005154\t002 OF 004"]


def _marks(*texts: str) -> list[object]:
    from markings.parse import parse_marking

    return [parse_marking(t) for t in texts]


@pytest.mark.parametrize("texts", [
    ("(S//REL TO USA, TEYE)", "(S//REL TO USA, AUS, CAN)"),  # membership changed in 2022
    ("(S//NF)", "(U)", "(S//NF)"),
    ("(C)", "(U)"),
    ("(S//REL)", "(C)"),
])
def test_shared_rollup_same_as_explain(texts: tuple[str, ...]) -> None:
    """The roll-up cache of the A-I rules gives what ``explain`` gives, date by date."""
    import datetime as dt

    from markings.combine import explain
    from markings.rules.rollup import _explain_shared

    marks = _marks(*texts)
    for as_of in (dt.date(2010, 1, 1), dt.date(2023, 1, 1), None, dt.date(2010, 1, 1)):
        for rel_to in ((), ("USA", "GBR")):
            got = _explain_shared(marks, as_of, rel_to)  # type: ignore[arg-type]
            want = explain(marks, as_of=as_of, rel_to=rel_to or None)  # type: ignore[arg-type]
            assert got == want, (as_of, rel_to)


_CONSISTENCY_MARKS = (
    "(C//DCNI)", "(C//NF)", "(C//RD-CNWDI)", "(C//TK)", "(S//CNWDI)", "(S//FGI DEU//RELIDO)",
    "(S//FOUO)", "(S//FRD-SG 14)", "(S//HCS-P//NF)", "(S//HCS-P//OC)", "(S//LES)",
    "(S//NF//SBU-NF)", "(S//NF//XD/ND)", "(S//OC/RELIDO)", "(S//RD/FRD)", "(S//REL TO GBR)",
    "(S//REL TO USA)", "(S//SBU)", "(TS//OC/OC-USGOV/NF)", "(TS//SI-G ABCD//NF)", "(U//OC)",
    "(U//NF//SBU-NF)", "(S//REL TO USA, GBR//LES-NF)", "(S//RSV)", "(C//SAR-ABC)",
    "(S//DISPLAY ONLY IRQ//RELIDO)", "(S//REL)", "//JOINT SECRET CAN USA//NOFORN",
    "SECRET//NOFORN/PROPIN", "SECRET//PROPIN", "SECRET//RELIDO/DISPLAY ONLY IRQ",
    "SECRET//USA/DEU EYES ONLY", "SECRET//NOFORN", "(U)", "(C)",
)


class _NeverDisjoint(frozenset):  # type: ignore[type-arg]
    def isdisjoint(self, other: object) -> bool:
        return False


@pytest.mark.parametrize("group", [_CONSISTENCY_MARKS[i:i + 1] for i in
                                   range(len(_CONSISTENCY_MARKS))] + [_CONSISTENCY_MARKS])
def test_consistency_token_check_skips_nothing(group: tuple[str, ...],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A consistency rule that returns early (none of the tokens it looks for) would not
    have found anything: the same hits as with the early return switched off."""
    import datetime as dt

    from markings.document import Banner, Document, MarkingRef, Portion
    from markings.findings import Span
    from markings.parse import parse_marking
    from markings.registry import Context, all_rules
    from markings.rules import consistency

    def doc() -> Document:
        banners, portions = [], []
        for i, text in enumerate(group):
            sp = Span(line=i + 1)
            m = parse_marking(text)
            if text.startswith("("):
                portions.append(Portion(span=sp, mark=MarkingRef(text=text, span=sp,
                                                                 marking=m)))
            else:
                banners.append(Banner(text=text, span=sp, marking=m))
        return Document(path="t.txt", banners=banners, portions=portions,
                        date=dt.date(2020, 1, 1))

    rules = [r for r in all_rules() if r.check.__module__ == consistency.__name__]
    fast = {r.code: list(r.check(doc(), Context())) for r in rules}
    monkeypatch.setattr(consistency, "_doc_tokens", lambda d: _NeverDisjoint())
    plain = {r.code: list(r.check(doc(), Context())) for r in rules}
    assert fast == plain
    if group == _CONSISTENCY_MARKS:
        assert sum(map(len, plain.values())) >= 20  # the markings do give findings


@pytest.mark.parametrize("size, stat_size, limit, whole", [
    (100, 100, 1000, True),   # the ordinary case: the file's own size is read
    (100, 40, 1000, True),    # grew after the stat: the rest is read too
    (100, 40, 100, True),     # ... up to the limit
    (101, 40, 100, False),    # ... beyond it: reported as oversized
    (100, 100, 0, True),      # no limit
])
def test_read_path_reads_by_file_size(tmp_path: object, monkeypatch: pytest.MonkeyPatch,
                                      size: int, stat_size: int, limit: int,
                                      whole: bool) -> None:
    """read_path asks for the file's size, not for the limit, and still sees a file that
    grew since its stat (the whole text, or MK003 beyond the limit)."""
    import os
    from pathlib import Path

    from markings import read

    p = Path(str(tmp_path)) / "grown.txt"
    p.write_bytes(b"A" * (size - 1) + b"\n")
    real_stat = os.stat

    def fake_stat(path: object, *a: object, **k: object) -> os.stat_result:
        st = real_stat(path, *a, **k)  # type: ignore[arg-type]
        if str(path) != str(p):
            return st
        fields = list(st)
        fields[6] = stat_size  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(read.os, "stat", fake_stat)
    if whole:
        assert len(read.read_path(p, max_bytes=limit).original) == size
    else:
        with pytest.raises(read.ReadError) as err:
            read.read_path(p, max_bytes=limit)
        assert err.value.code == "MK003"


@pytest.mark.parametrize("text", [
    "R 011849Z MAR 07\nFM AMEMBASSY X\n",
    "VZCZC\nP 141530Z SEP 2005\nFM X\n",
    "header R 011849Z MAR 07\nO O 221200Z JAN 99   \nrest",
    "no date-time group here\nR 011849Z MAR\n",
    "\n\nZ 010000Z DEC 10",
])
def test_dtg_line_found_as_by_multiline_search(text: str) -> None:
    """dtg_of finds the first date-time group line the "^" pattern would find."""
    from markings.document import Document
    from markings.rules import cable

    want = cable._DTG_RE.search(text)
    got = cable.dtg_of(Document(path="x.txt", text=text))
    if want is None:
        assert got is None
    else:
        assert got is not None and (got[1].start, got[1].end) == want.span()


def _cable(banner: str, captions: tuple[str, ...], *marks: str) -> object:
    import datetime as dt

    from markings.document import Banner, Caption, Document, MarkingRef, Portion
    from markings.findings import Span
    from markings.parse import parse_marking

    sp = Span()
    return Document(
        path="c.txt", style="cable", date=dt.date(2010, 1, 1),
        banners=[Banner(text=banner, span=sp, marking=parse_marking(banner))],
        captions=[Caption(text=c, span=sp) for c in captions],
        portions=[Portion(span=sp, mark=MarkingRef(text=m, span=sp, marking=parse_marking(m)))
                  for m in marks])


@pytest.mark.parametrize("banner, captions", [
    ("CONFIDENTIAL", ()), ("CONFIDENTIAL", ("SIPDIS",)), ("CONFIDENTIAL", ("NOFORN",)),
    ("CONFIDENTIAL", ("SIPDIS", "NOFORN")), ("CONFIDENTIAL", ("EXDIS",)),
    ("UNCLASSIFIED", ("SENSITIVE",)), ("SECRET", ("SENSITIVE", "NODIS")),
    ("SECRET//REL TO USA, GBR", ()),
])
def test_overall_memo_same_as_overall(banner: str, captions: tuple[str, ...]) -> None:
    """The overall marking shared between documents equals each document's own."""
    for _ in range(2):  # the second document hits the cache
        doc = _cable(banner, captions, "(C)")
        assert doc.overall_memo() == doc.overall  # type: ignore[attr-defined]
        assert doc.overall_memo().nonic == doc.overall.nonic  # type: ignore[attr-defined]
        assert doc.overall_memo().dissem == doc.overall.dissem  # type: ignore[attr-defined]


@pytest.mark.parametrize("banner, marks", [
    ("SECRET//REL TO USA, TEYE", ("(S//REL TO USA, AUS, CAN)",)),
    ("SECRET//REL TO USA, CAN", ("(S//REL TO USA, TEYE)",)),
    ("SECRET//NOFORN", ("(S//REL TO USA, GBR)", "(U)")),
    ("CONFIDENTIAL", ("(S)", "(C)")),
])
def test_shared_compare_same_as_compare(banner: str, marks: tuple[str, ...]) -> None:
    """The cached comparison of the A-I rules equals ``compare``, date by date."""
    import datetime as dt

    from markings.parse import parse_marking
    from markings.combine import compare, explain
    from markings.rules.rollup import _compare_shared

    actual = parse_marking(banner)
    expected = explain([parse_marking(m) for m in marks]).marking
    for as_of in (dt.date(2010, 1, 1), dt.date(2023, 1, 1), None):
        for compilation in (False, True):
            assert _compare_shared(expected, actual, compilation, as_of) == compare(
                expected, actual, compilation=compilation, as_of=as_of)


def test_make_span_same_as_validated_span() -> None:
    """The scanner's unvalidated spans behave as validated ones (equality, hash, dumps,
    fields-set, copies, pickling, frozen)."""
    import copy
    import pickle

    from pydantic import ValidationError

    from markings.findings import Span, make_span

    want = Span(start=3, end=9, line=2, column=4, end_line=3, end_column=1)
    got = make_span(3, 9, 2, 4, 3, 1)
    assert got == want and hash(got) == hash(want) and repr(got) == repr(want)
    assert got.model_dump() == want.model_dump()
    assert got.model_dump_json() == want.model_dump_json()
    assert got.model_fields_set == want.model_fields_set
    assert pickle.loads(pickle.dumps(got)) == want and copy.deepcopy(got) == want
    assert got.model_copy(update={"line": 7}) == want.model_copy(update={"line": 7})
    with pytest.raises(ValidationError):
        got.line = 5  # type: ignore[misc]


def test_scanner_spans_same_as_document_spans() -> None:
    """Every span the scanner builds equals ``Document.span`` of the same offsets."""
    from markings.scan import build

    text = ("SECRET//NOFORN\n\n1. (S//NF) First.\n\n2. (U) Second\nline.\n\n"
            "Classified By: A. Person\nReason: 1.4(b)\nDeclassify On: 20351231\n\n"
            "SECRET//NOFORN\n")
    doc = build(text, path="memo.txt")
    spans = [b.span for b in doc.banners] + [p.span for p in doc.portions]
    spans += [p.mark.span for p in doc.portions if p.mark is not None]
    if doc.authority is not None:
        spans += [sp for sp in (doc.authority.classified_by_span,
                                doc.authority.declassify_on_span) if sp is not None]
    assert len(spans) >= 6
    for sp in spans:
        assert sp == doc.span(sp.start, sp.end)
