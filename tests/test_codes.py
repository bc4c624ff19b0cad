"""Code lists: trigraphs, aliases, dated tetragraph membership, REL TO ordering."""

from __future__ import annotations

import datetime as _dt

import pytest

from markings import codes


@pytest.mark.parametrize(("name", "code"), [
    ("RUSSIA", "RUS"), ("UK", "GBR"), ("uk", "GBR"), ("South Korea", "KOR"), ("GBR", "GBR"),
    ("nato", "NATO"), ("Kosovo", "XKS"), ("Viet Nam", "VNM"), ("DE", "DEU"), ("ATLANTIS", None),
])
def test_country_code_for(name: str, code: str | None) -> None:
    assert codes.country_code_for(name) == code


@pytest.mark.parametrize(("code", "tri", "tetra"), [
    ("USA", True, False), ("XKS", True, False), ("AX2", True, False), ("FVEY", False, True),
    ("UK", False, False), ("NATO", False, True), ("ZZZ", False, False),
])
def test_classification_by_lookup(code: str, tri: bool, tetra: bool) -> None:
    assert codes.is_trigraph(code) is tri
    assert codes.is_tetragraph(code) is tetra


@pytest.mark.parametrize(("code", "on", "members"), [
    ("FVEY", None, {"AUS", "CAN", "GBR", "NZL", "USA"}),
    ("ACGU", None, {"AUS", "CAN", "GBR", "USA"}),
    ("TEYE", _dt.date(2010, 1, 1), {"CAN", "GBR", "USA"}),
    ("TEYE", None, {"AUS", "GBR", "USA"}),
    ("ISAF", None, set()),
])
def test_tetragraph_members_dated(code: str, on: _dt.date | None, members: set[str]) -> None:
    assert codes.tetragraph_members(code, on) == members


def test_nato_membership_follows_accession_dates() -> None:
    assert "FIN" not in codes.tetragraph_members("NATO", _dt.date(2020, 1, 1))
    assert "FIN" in codes.tetragraph_members("NATO", _dt.date(2023, 5, 1))
    assert len(codes.tetragraph_members("NATO", _dt.date(1950, 1, 1))) == 12
    assert len(codes.tetragraph_members("NATO")) == 32


def test_deprecation_dates() -> None:
    isaf = codes.tetragraph("ISAF")
    assert isaf is not None and isaf.deprecated == _dt.date(2016, 3, 17)
    assert not isaf.is_deprecated(_dt.date(2010, 1, 1)) and isaf.is_deprecated()


def test_rel_sort_order() -> None:
    assert codes.sort_codes(["NATO", "GBR", "USA", "AUS", "FVEY"]) == (
        "USA", "AUS", "GBR", "FVEY", "NATO")
    assert codes.sort_codes(["USA", "GBR", "CAN"], usa_first=False) == ("CAN", "GBR", "USA")


def test_expand_keeps_opaque_codes() -> None:
    assert codes.expand_codes(["USA", "ACGU", "ISAF"]) == {"USA", "AUS", "CAN", "GBR", "ISAF"}


def test_iso_list_complete() -> None:
    tri = codes.all_trigraphs()
    assert len(tri) >= 249 + 20 and {"ABW", "ZWE", "USA"} <= tri
