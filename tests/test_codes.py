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


# Codes the catalogue names that are not four letters, and the NATO:... pattern (1.4).
@pytest.mark.parametrize("code", ["EU", "NSG", "AUSTRALIA_GROUP", "NATO:EAPC", "nato:eapc"])
def test_catalogue_tetragraphs_not_four_letters(code: str) -> None:
    assert codes.is_tetragraph(code) and not codes.is_trigraph(code)
    assert codes.rel_sort_key(code)[0] == 2


@pytest.mark.parametrize("code", ["QQQ", "NATO:", "NATOX", "EUX", "AUSTRALIA GROUP"])
def test_unregistered_codes(code: str) -> None:
    assert not codes.is_code(code)


@pytest.mark.parametrize(("name", "code"), [
    ("LIBYA", "LBY"), ("KOREA", "KOR"), ("GER", "DEU"), ("AUSTRALIA GROUP", "AUSTRALIA_GROUP"),
    ("EUROPEAN UNION", "EU"),
])
def test_cable_forms_in_alias_data(name: str, code: str) -> None:
    assert codes.country_code_for(name) == code


def test_every_tetragraph_row_has_a_source() -> None:
    import csv
    from importlib import resources

    with resources.files("markings.data").joinpath("tetragraphs.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"EU", "NSG", "AUSTRALIA_GROUP"} <= {r["code"] for r in rows}
    assert all(r["source"].strip() for r in rows)
