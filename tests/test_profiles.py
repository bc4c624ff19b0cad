"""Marking profiles: what isoo leaves out, and the automatic choice by document style."""

from __future__ import annotations

import datetime as dt

import pytest

from markings.config import Config
from markings.engine import check_text, profile_for
from markings.profiles import IC_ONLY, choose_profile
from markings.read import source_from_text
from markings.registry import all_rules
from markings.scan import build

CAB_ORIGINAL = ("Classified By: J. Doe, Director\nReason: 1.4(c)\nDeclassify On: 20350101\n")
CAB_DERIVED = ("Classified By: J. Doe, Analyst\nDerived From: Agency Guide, 2 March 2012\n"
               "Declassify On: 20350101\n")


def memo(banner: str, portions: list[str], cab: str | None) -> str:
    body = "\n\n".join(f"{m} Text of the paragraph." for m in portions)
    return (f"{banner}\n\n                              12 March 2014\n\nMEMORANDUM FOR: Office\n"
            f"SUBJECT: (U) Test\n\n{body}\n\n{cab or ''}\n{banner}\n")


CABLE = ("C O N F I D E N T I A L STATE 012345\n\nE.O. 12958: DECL: 01/01/2018\nTAGS: PREL\n"
         "SUBJECT: (U) TEST\n\nClassified By: A. B, reasons 1.4 (b) and (d).\n\n1. (C) One.\n")


@pytest.mark.parametrize(("text", "settings", "profile"), [
    (memo("SECRET", ["(S)", "(U)"], CAB_ORIGINAL), {}, "isoo"),
    (memo("SECRET//NOFORN", ["(S//NF)", "(C)"], CAB_DERIVED), {}, "isoo"),
    (memo("SECRET//REL TO USA, GBR", ["(S//REL TO USA, GBR)"], CAB_ORIGINAL), {}, "isoo"),
    # IC-only controls make it an IC document
    (memo("SECRET//ORCON/NOFORN", ["(S//OC/NF)"], CAB_ORIGINAL), {}, "capco"),
    (memo("TOP SECRET//SI//NOFORN", ["(TS//SI//NF)"], CAB_DERIVED), {}, "capco"),
    (memo("SECRET//NOFORN//PROPIN", ["(S//NF/PR)"], CAB_ORIGINAL), {}, "capco"),
    # no authority block, or no Declassify On line: nothing says ISOO
    (memo("SECRET", ["(S)"], None), {}, "capco"),
    (memo("SECRET", ["(S)"], "Classified By: J. Doe, Director\nReason: 1.4(c)\n"), {}, "capco"),
    # declared an IC disseminated analytic product
    (memo("SECRET", ["(S)"], CAB_ORIGINAL), {"analytic_product": True}, "capco"),
    (CABLE, {}, "state-cable"),
])
def test_auto_profile(text: str, settings: dict[str, object], profile: str) -> None:
    doc = build(source_from_text(text, path="x.txt"))
    assert choose_profile(doc, settings) == profile
    assert profile_for(doc, Config(settings=settings)) == profile
    assert profile_for(doc, Config(profile="capco", settings=settings)) == "capco"


def test_isoo_is_capco_without_the_ic_only_checks() -> None:
    rules = all_rules()
    capco = {r.code for r in rules if "capco" in r.profiles}
    isoo = {r.code for r in rules if "isoo" in r.profiles}
    assert isoo <= capco
    assert capco - isoo == set(IC_ONLY)


def test_isoo_does_not_run_ic_rollup_checks() -> None:
    # the banner drops ORCON that a portion carries: an IC roll-up error (MK110) under
    # capco, not checked under isoo
    text = memo("SECRET//NOFORN", ["(S//OC/NF)", "(C)"], CAB_ORIGINAL)
    today = dt.date(2025, 6, 1)
    capco = {f.code for f in check_text(text, path="x.txt",
                                        config=Config(profile="capco", today=today)).findings}
    isoo = {f.code for f in check_text(text, path="x.txt",
                                       config=Config(profile="isoo", today=today)).findings}
    auto = {f.code for f in check_text(text, path="x.txt", config=Config(today=today)).findings}
    assert "MK110" in capco and "MK110" not in isoo
    assert auto == capco  # ORCON in the text: auto picks capco
