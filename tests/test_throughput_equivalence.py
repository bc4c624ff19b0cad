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
