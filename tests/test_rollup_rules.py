"""Catalogue group A-I (A01-A19): every failing and passing example, table-driven."""

from __future__ import annotations

import pytest

from markings.document import Banner, Document, MarkingRef, Portion
from markings.findings import Span
from markings.model import AuthorityBlock
from markings.parse import parse_marking
from markings.registry import Context, get_rule


def make_doc(banner: str, *portions: str, compilation: bool = False) -> Document:
    """A document with one top banner and one marked paragraph per portion string."""
    refs = []
    for i, text in enumerate(portions):
        sp = Span(line=i + 3)
        refs.append(Portion(span=sp, mark=MarkingRef(text=text, span=sp,
                                                      marking=parse_marking(text))))
    b = Banner(text=banner, span=Span(), marking=parse_marking(banner))
    return Document(path="t.txt", banners=[b], portions=refs,
                    authority=AuthorityBlock(compilation=compilation) if compilation else None)


def run(code: str, doc: Document, **settings: object) -> list[str]:
    rule = get_rule(code)
    assert rule is not None
    return [h.message for h in rule.check(doc, Context(settings=dict(settings)))]


# (code, banner, portions, should fire)
CASES = [
    ("MK101", "CONFIDENTIAL", ("(C)", "(S//NF)"), True),
    ("MK101", "SECRET//NOFORN", ("(C)", "(S//NF)"), False),
    ("MK101", "UNCLASSIFIED", ("(//NR)",), True),
    ("MK102", "SECRET", ("(C)", "(U)"), True),
    ("MK102", "CONFIDENTIAL", ("(C)", "(U)"), False),
    ("MK103", "SECRET//REL TO USA, GBR", ("(S//REL TO USA, GBR)", "(C//NF)"), True),
    ("MK103", "SECRET//NOFORN", ("(S//REL TO USA, GBR)", "(C//NF)"), False),
    ("MK103", "SECRET", ("(S//NF//XD)",), True),
    ("MK104", "SECRET//REL TO USA, AUS, GBR", ("(S//REL TO USA, AUS, GBR)",
                                              "(S//REL TO USA, GBR, NZL)"), True),
    ("MK104", "SECRET//REL TO USA, GBR", ("(S//REL TO USA, AUS, GBR)",
                                         "(S//REL TO USA, GBR, NZL)"), False),
    ("MK104", "SECRET//REL TO USA, AUS", ("(S//REL TO USA, AUS)", "(S//REL TO USA, JPN)"), True),
    ("MK104", "SECRET//NOFORN", ("(S//REL TO USA, AUS)", "(S//REL TO USA, JPN)"), False),
    ("MK104", "SECRET//REL TO USA, FVEY", ("(S//REL TO USA, FVEY)", "(U)"), False),
    ("MK104", "SECRET//REL TO USA, GBR", ("(S//REL TO USA, FVEY)", "(S//REL TO USA, GBR)"), False),
    ("MK105", "SECRET//REL TO USA, JPN", ("(S//REL TO USA, JPN)", "(C)"), True),
    ("MK105", "SECRET//NOFORN", ("(S//REL TO USA, JPN)", "(C)"), False),
    ("MK106", "SECRET//NOFORN", ("(S//REL TO USA, FVEY)", "(U)"), True),
    ("MK106", "SECRET//REL TO USA, FVEY", ("(S//REL TO USA, FVEY)", "(U)"), False),
    ("MK107", "SECRET//NOFORN", ("(S//REL)",), True),
    ("MK107", "SECRET//REL TO USA, NZL", ("(S//REL)", "(S//REL TO USA, JPN, NZL)"), False),
    ("MK108", "SECRET//RELIDO", ("(S//RELIDO)", "(S//REL TO USA, AUS)"), True),
    ("MK108", "SECRET//RELIDO", ("(S//RELIDO)", "(S//REL TO USA, AUS, CAN/RELIDO)"), False),
    ("MK109", "SECRET//DISPLAY ONLY AFG, IRQ", ("(S//DISPLAY ONLY AFG)",
                                               "(S//DISPLAY ONLY IRQ)"), True),
    ("MK109", "SECRET//NOFORN", ("(S//DISPLAY ONLY AFG)", "(S//DISPLAY ONLY IRQ)"), False),
    ("MK110", "TOP SECRET//NOFORN", ("(TS//OC/NF)", "(S//NF)"), True),
    ("MK110", "TOP SECRET//ORCON/NOFORN", ("(TS//OC/NF)", "(S//NF)"), False),
    ("MK110", "TOP SECRET//ORCON/ORCON-USGOV/NOFORN", ("(TS//OC/NF)", "(S//OC-USGOV/NF)"), True),
    ("MK111", "SECRET//NOFORN", ("(S//IMC/NF)",), True),
    ("MK111", "SECRET//IMCON/NOFORN", ("(S//IMC/NF)",), False),
    ("MK112", "UNCLASSIFIED//FOUO", ("(U//FOUO)", "(U//NF/PR)"), True),
    ("MK112", "UNCLASSIFIED//NOFORN/PROPIN", ("(U//FOUO)", "(U//NF/PR)"), False),
    ("MK113", "SECRET//NOFORN", ("(S//NF)", "(U//FISA)"), True),
    ("MK113", "SECRET//NOFORN/FISA", ("(S//NF)", "(U//FISA)"), False),
    ("MK114", "TOP SECRET//SI//NOFORN", ("(TS//SI//NF)", "(S//TK//NF)"), True),
    ("MK114", "TOP SECRET//SI/TK//NOFORN", ("(TS//SI//NF)", "(S//TK//NF)"), False),
    ("MK115", "SECRET//TK//NOFORN", ("(S//NF)", "(U)"), True),
    ("MK115", "SECRET//NOFORN", ("(S//NF)", "(U)"), False),
    ("MK116", "SECRET//NOFORN", ("(//GBR S//NF)", "(S//NF)"), True),
    ("MK116", "SECRET//FGI GBR//NOFORN", ("(//GBR S//NF)", "(S//NF)"), False),
    ("MK116", "SECRET//FGI GBR//NOFORN", ("(//FGI S//NF)", "(//GBR S//NF)"), True),
    ("MK116", "SECRET//FGI//NOFORN", ("(//FGI S//NF)", "(//GBR S//NF)"), False),
    ("MK117", "SECRET//FOUO", ("(S)", "(U//FOUO)"), True),
    ("MK117", "SECRET", ("(S)", "(U//FOUO)"), False),
    ("MK117", "UNCLASSIFIED", ("(U//FOUO)", "(U)"), True),
    ("MK117", "UNCLASSIFIED//FOUO", ("(U//FOUO)", "(U)"), False),
    ("MK118", "SECRET//NOFORN//SBU", ("(S//NF)", "(U//SBU)"), True),
    ("MK118", "SECRET//NOFORN", ("(S//NF)", "(U//SBU)"), False),
    ("MK118", "UNCLASSIFIED", ("(U//SBU)",), True),
    ("MK118", "UNCLASSIFIED//SBU", ("(U//SBU)",), False),
    ("MK118", "SECRET//NOFORN", ("(S//NF//LES)",), True),
    ("MK118", "SECRET//NOFORN//LES", ("(S//NF//LES)",), False),
    ("MK119", "SECRET//NOFORN//EXDIS", ("(S//NF//XD)", "(C//NF//ND)"), True),
    ("MK119", "SECRET//NOFORN//NODIS", ("(S//NF//XD)", "(C//NF//ND)"), False),
]


@pytest.mark.parametrize(("code", "banner", "portions", "fires"), CASES)
def test_catalogue_examples(code: str, banner: str, portions: tuple[str, ...],
                            fires: bool) -> None:
    msgs = run(code, make_doc(banner, *portions))
    assert bool(msgs) is fires, msgs


# Every passing catalogue document must be clean for the *whole* A-I family, not just its rule.
PASSING = sorted({(b, p) for _code, b, p, fires in CASES if not fires})


@pytest.mark.parametrize(("banner", "portions"), PASSING)
def test_passing_documents_clean_for_all_rollup_rules(banner: str,
                                                      portions: tuple[str, ...]) -> None:
    doc = make_doc(banner, *portions)
    fired = {f"MK1{n:02d}": run(f"MK1{n:02d}", doc) for n in range(1, 20)}
    assert {k: v for k, v in fired.items() if v} == {}


def test_class_max_message_names_required_banner() -> None:
    (msg,) = run("MK101", make_doc("CONFIDENTIAL", "(C)", "(S//NF)"))
    assert "`CONFIDENTIAL`" in msg and "`(S//NF)` (line 4)" in msg
    assert msg.endswith("the portions require `SECRET//NOFORN`.")


@pytest.mark.parametrize("how", ["settings", "authority"])
def test_compilation_allows_higher_banner_and_shorter_list(how: str) -> None:
    kw = {"compilation": True} if how == "settings" else {}
    doc = make_doc("SECRET//REL TO USA, GBR", "(C//REL TO USA, AUS, GBR)",
                   compilation=how == "authority")
    assert run("MK102", doc, **kw) == []
    assert run("MK104", doc, **kw) == []
    assert run("MK102", make_doc("SECRET//REL TO USA, GBR", "(C//REL TO USA, AUS, GBR)"))


def test_no_banner_or_no_marked_portions_is_silent() -> None:
    doc = Document(path="x", banners=[], portions=[])
    assert all(run(f"MK1{n:02d}", doc) == [] for n in range(1, 20))


def test_each_difference_is_its_own_rule() -> None:
    doc = make_doc("CONFIDENTIAL", "(S//OC/NF)", "(S//SI//NF)")
    fired = {f"MK1{n:02d}" for n in range(1, 20) if run(f"MK1{n:02d}", doc)}
    assert fired == {"MK101", "MK103", "MK110", "MK114"}


# --- helper review regressions -------------------------------------------------------------

def test_nodis_caption_on_a_cable_is_not_a_banner_control() -> None:
    from markings.config import Config
    from markings.engine import check_text

    cable = ("O 220700Z JAN 08\nFM SECSTATE WASHDC\nTO AMEMBASSY LAKEMOUTH IMMEDIATE\n\n"
             "S E C R E T STATE 006120\n\nNODIS\nSIPDIS\n\nE.O. 12958: DECL: 01/22/2018\n"
             "TAGS: PREL XZ\nSUBJECT: (S) INSTRUCTIONS\n\nClassified By: Under Secretary "
             "R. Example, Reasons 1.4 (b) and (d).\n\n1. (S/NF) The ambassador should "
             "raise it.\n\nEXAMPLE\n")
    for profile in ("auto", "capco"):
        rep = check_text(cable, path="08STATE6120.txt",
                         config=Config(extend_select=["MK119"], profile=profile))
        assert "MK119" not in {f.code for f in rep.findings}
    d = make_doc("SECRET//NOFORN", "(S//NF)", "(C//NF//ND)")
    assert run("MK119", d)  # memos still need NODIS in the banner


def test_noforn_banner_over_releasable_portions_is_reported_once() -> None:
    d = make_doc("SECRET//NOFORN", "(S//REL TO USA, FVEY)", "(U)")
    assert run("MK104", d) == []
    assert len(run("MK106", d)) == 1
    plain = make_doc("SECRET", "(S//REL TO USA, GBR)", "(S//REL TO USA, GBR)")
    assert len(run("MK104", plain)) == 1  # no NOFORN: MK104 still names the missing list


# --- loosening findings held back over an unreadable portion mark (review of issue 3) -------

def _with_garbled(banner: str, garbled: str, *portions: str) -> Document:
    """``make_doc`` plus a first portion whose mark cannot be read (no reading)."""
    doc = make_doc(banner, *portions)
    sp = Span(line=2)
    bad = Portion(span=sp, mark=MarkingRef(text=garbled, span=sp, marking=None,
                                           error="Unknown marking token `NOFRON`."))
    doc.portions.insert(0, bad)
    return doc


@pytest.mark.parametrize("code, banner, portions, fact", [
    ("MK102", "SECRET//NOFORN", ("(C)",),
     "Banner `SECRET//NOFORN` is higher than every readable portion (highest "
     "`CONFIDENTIAL`), but the portion mark `(S//NOFRON)` (line 2) cannot be read as "
     "written; over-classification is not judged until that mark is corrected."),
    ("MK106", "SECRET//NOFORN", ("(S//REL TO USA, FVEY)", "(U)"),
     "Banner `SECRET//NOFORN` is NOFORN although every readable portion allows release, "
     "but the portion mark `(S//NOFRON)` (line 2) cannot be read as written; dropping "
     "NOFORN is not judged until that mark is corrected."),
    ("MK115", "SECRET//TK//NOFORN", ("(S//NF)", "(U)"),
     "Banner `SECRET//TK//NOFORN` shows `TK`, which no readable portion carries, but the "
     "portion mark `(S//NOFRON)` (line 2) cannot be read as written; removing it is not "
     "judged until that mark is corrected."),
])
def test_loosening_findings_held_back_over_unreadable_mark(code: str, banner: str,
                                                           portions: tuple[str, ...],
                                                           fact: str) -> None:
    from markings.findings import Severity

    rule = get_rule(code)
    assert rule is not None
    # without the unreadable mark the rule advises loosening the banner
    assert [h.severity for h in rule.check(make_doc(banner, *portions), Context())] == [None]
    hits = list(rule.check(_with_garbled(banner, "(S//NOFRON)", *portions), Context()))
    assert [(h.message, h.severity) for h in hits] == [(fact, Severity.INFO)]


def test_relto_widening_held_back_over_unreadable_mark() -> None:
    banner, portions = "SECRET//REL TO USA, GBR", ("(S//REL TO USA, AUS, GBR)",)
    assert run("MK104", make_doc(banner, *portions))
    assert run("MK104", _with_garbled(banner, "(S//NOFRON)", *portions)) == []
    # a banner list naming a country no portion allows is still an error
    wide = "SECRET//REL TO USA, AUS, GBR, NZL"
    assert run("MK104", _with_garbled(wide, "(S//NOFRON)", *portions))
