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

    from markings.rollup import explain
    from markings.rules.rollup import _explain_shared

    marks = _marks(*texts)
    for as_of in (dt.date(2010, 1, 1), dt.date(2023, 1, 1), None, dt.date(2010, 1, 1)):
        for rel_to in ((), ("USA", "GBR")):
            got = _explain_shared(marks, as_of, rel_to)  # type: ignore[arg-type]
            want = explain(marks, as_of=as_of, rel_to=rel_to or None)  # type: ignore[arg-type]
            assert got == want, (as_of, rel_to)
