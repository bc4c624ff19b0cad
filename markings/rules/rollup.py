"""Rule family rollup: the banner against the roll-up of the portions (catalogue A01-A19).

All rules share one analysis per document (:func:`analyse`): the banner the document shows
(:attr:`Document.overall`), the banner its portions require (:func:`markings.combine.explain`)
and their per-category differences (:func:`markings.combine.compare`). Each difference is
reported by exactly one rule so that users can suppress them one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markings.findings import Severity, Span
from markings.model import Level, Marking
from markings.profiles import IC
from markings.document import (
    AEA, DISPLAY_LIST, EYES_LIST, FGI, JOINT, NATO, OWNER, REL_ABBREV, REL_LIST, SAP, SCI,
    Banner, Document, Portion)
from markings.registry import Context, Hit, rule
from markings.combine import (
    Difference,
    Rollup,
    compare,
    explain,
    has_display,
    has_eyes,
    has_rel,
    render_tokens,
)

__all__ = ["Analysis", "analyse"]


@dataclass
class Analysis:
    """What the A-I rules need about one document."""

    banner: Banner
    actual: Marking
    marks: list[tuple[Portion, Marking]]
    result: Rollup
    diffs: list[Difference]
    compilation: bool

    @property
    def expected(self) -> Marking:
        return self.result.marking

    @property
    def span(self) -> Span:
        return self.banner.span

    @property
    def actual_text(self) -> str:
        return render_tokens(self.actual)

    @property
    def expected_text(self) -> str:
        return render_tokens(self.expected)

    def diff(self, category: str) -> Difference | None:
        return next((d for d in self.diffs if d.category == category), None)

    def portions_with(self, pred: object) -> list[tuple[Portion, Marking]]:
        return [(p, m) for p, m in self.marks if pred(m)]  # type: ignore[operator]

    def key(self, what: str) -> str:
        return f"{self.actual_text}|{what}"


_CACHE: dict[str, tuple[Document, bool, Analysis | None]] = {}

# The facts without which analyse() gives None (a rule's ``needs``): a parsed top banner
# and a parsed portion mark.
_ANALYSED = ("top-banner", "portion-marking")
# A release marking in some marking: without one in a portion, the roll-up requires no
# REL TO, RELIDO, DISPLAY ONLY or EYES ONLY (combine: only such portions set ``fdr_any``).
_RELEASE = (REL_LIST, "REL TO", REL_ABBREV, EYES_LIST, "EYES ONLY", DISPLAY_LIST,
            "DISPLAY ONLY", "RELIDO")


def _compilation(doc: Document, ctx: Context) -> bool:
    return bool(ctx.settings.get("compilation")) or bool(
        doc.authority is not None and doc.authority.compilation)


def analyse(doc: Document, ctx: Context) -> Analysis | None:
    """The shared roll-up analysis; ``None`` without a parsed top banner or marked portions."""
    comp = _compilation(doc, ctx)
    cached = _CACHE.get("last")
    # Holding the document itself (not its id) so a recycled id can never match.
    if cached is not None and cached[0] is doc and cached[1] == comp:
        return cached[2]
    res = _analyse(doc, ctx)
    _CACHE["last"] = (doc, comp, res)
    return res


# Roll-ups already computed in this process, keyed by the distinct portion markings (their
# ids, in order of first appearance), the document date and the banner's list that a bare
# REL stands for. Parsed markings are immutable objects shared by every portion with the
# same mark (one per distinct string while the parse cache holds it), so the many
# documents whose portions carry the same few marks share one roll-up. Each entry keeps
# its markings alive, so their ids cannot be reused by other objects while it is cached.
# The date only selects the members of tetragraphs (FVEY ...) in REL TO, EYES ONLY and
# DISPLAY ONLY lists: without such lists it is left out of the key (most documents differ
# by date only).
_EXPLAINED: dict[tuple[object, ...], tuple[list[Marking], Rollup]] = {}
_EXPLAINED_MAX = 4096


def _explain_shared(markings: list[Marking], as_of: object, rel_to: tuple[str, ...]
                    ) -> Rollup:
    """``explain(markings, as_of=as_of, rel_to=rel_to or None)``, cached (see above)."""
    distinct = list({id(m): m for m in markings}.values())  # explain skips repeats too
    dated = any(has_rel(m) or has_eyes(m) or has_display(m) for m in distinct)
    key = (tuple(id(m) for m in distinct), as_of if dated else None, rel_to)
    hit = _EXPLAINED.get(key)
    if hit is not None:
        return hit[1]
    result = explain(distinct, as_of=as_of, rel_to=rel_to or None)  # type: ignore[arg-type]
    if len(_EXPLAINED) >= _EXPLAINED_MAX:
        _EXPLAINED.clear()
    _EXPLAINED[key] = (distinct, result)
    return result


# Comparisons already made, keyed like _EXPLAINED: the required banner (a cached roll-up's
# marking) and the actual one (``Document.overall_memo`` shares it between documents with
# the same classification line and captions) by identity, kept alive by the entry; the date
# only when a REL TO, EYES ONLY or DISPLAY ONLY list makes it matter.
_COMPARED: dict[tuple[object, ...], tuple[Marking, Marking, tuple[Difference, ...]]] = {}


def _compare_shared(expected: Marking, actual: Marking, compilation: bool,
                    as_of: object) -> list[Difference]:
    """``compare(expected, actual, compilation=compilation, as_of=as_of)``, cached."""
    dated = any(has_rel(m) or has_eyes(m) or has_display(m) for m in (expected, actual))
    key = (id(expected), id(actual), compilation, as_of if dated else None)
    hit = _COMPARED.get(key)
    if hit is None:
        diffs = compare(expected, actual, compilation=compilation,
                        as_of=as_of)  # type: ignore[arg-type]
        if len(_COMPARED) >= _EXPLAINED_MAX:
            _COMPARED.clear()
        hit = _COMPARED[key] = (expected, actual, tuple(diffs))
    return list(hit[2])


def _analyse(doc: Document, ctx: Context) -> Analysis | None:
    banner = next((b for b in doc.banners if b.position == "top" and b.marking is not None),
                  None)
    actual = doc.overall_memo()
    if banner is None or actual is None:
        return None
    marks = [(p, p.mark.marking) for p in doc.portions if p.mark and p.mark.marking]
    if not marks:
        return None
    compilation = _compilation(doc, ctx)
    result = _explain_shared([m for _, m in marks], doc.date, actual.rel_to or actual.eyes)
    diffs = _compare_shared(result.marking, actual, compilation, doc.date)
    return Analysis(banner, actual, marks, result, diffs, compilation)


def _q(p: Portion) -> str:
    """Portion mark as written plus its line, for evidence."""
    assert p.mark is not None
    return f"`{p.mark.text}` (line {p.mark.span.line})"


def _first(a: Analysis, pred: object) -> str:
    found = a.portions_with(pred)
    return _q(found[0][0]) if found else "the portions"


def _toks(tokens: tuple[str, ...]) -> str:
    return ", ".join(f"`{t}`" for t in tokens)


def _garbled(doc: Document) -> Portion | None:
    """The first portion whose mark cannot be read as written (``(S//NF`` without its
    closing parenthesis, ``[S]``, ``(SECERT)``), or None.

    Such a mark is reported by the syntax rules and, where it has one clear reading, that
    reading is rolled up; but what it really says is not certain. The findings that would
    advise *loosening* the banner (lower level, NOFORN dropped, a control removed, a wider
    release list) are then held back, as MK503 does for cables: a mark that cannot be read
    may be the very portion that justifies the banner.
    """
    return next((p for p in doc.portions if p.mark is not None and p.mark.error), None)


def _held(a: Analysis, p: Portion, fact: str, what: str) -> Hit:
    """The INFO finding that says a loosening finding is held back, and why."""
    return Hit(a.span, f"{fact}, but the portion mark {_q(p)} cannot be read as written; "
                       f"{what} is not judged until that mark is corrected.",
               key=a.key("held:" + what), severity=Severity.INFO)


# --- A01 / A02 classification -----------------------------------------------------------------


@rule("MK101", "rollup-class-max", Severity.ERROR, catalogue="A01", profiles=("capco", "isoo"))
def rollup_class_max(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The banner classification is lower than the highest portion.

    ## What it checks
    The banner's classification level must be at least the highest level of any portion.
    A non-US `RESTRICTED` portion needs at least `CONFIDENTIAL` in a US banner.

    ## Why
    The overall marking tells readers how to protect the whole document
    (32 CFR 2001.21; CAPCO §D.2, first roll-up step).

    ## Example
    Banner `CONFIDENTIAL` with portions `(C)` and `(S//NF)`.

    ## Profiles
    Runs under `capco` and `isoo`. State cables use the cable-specific check
    MK503 `cable-rollup-classification` instead, which knows the classification line and captions.

    ## Fix
    Raise the banner to the level the portions require, here `SECRET//NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None or a.diff("level") is None or a.diff("level").detail != "lower":  # type: ignore[union-attr]
        return
    top = max(a.marks, key=lambda pm: pm[1].level)
    yield Hit(a.span, f"Banner `{a.actual_text}` is lower than the highest portion {_q(top[0])}; "
                      f"the portions require `{a.expected_text}`.",
              key=a.key("level-low"), related=(top[0].mark.span,))  # type: ignore[union-attr]


@rule("MK102", "rollup-class-overclassified", Severity.WARNING, catalogue="A02", profiles=("capco", "isoo"))
def rollup_class_overclassified(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The banner is higher than every portion and no compilation is stated.

    ## What it checks
    A banner level above the highest portion level, in a document that does not state
    classification by compilation (a compilation statement in the text, or
    `settings.compilation = true`).

    ## Why
    Documents must carry the lowest appropriate classification (CAPCO §D.1, §B.7);
    over-classification is only allowed with a compilation reason.

    ## Example
    Banner `SECRET` with portions `(C)` and `(U)`.

    ## Profiles
    Runs under `capco` and `isoo`. State cables use the cable-specific check
    MK503 `cable-rollup-classification` instead, which knows the classification line and captions.

    ## Fix
    Lower the banner to the highest portion level (`CONFIDENTIAL`), or add the compilation
    explanation.

    ## Unreadable portion marks
    When a portion mark cannot be read as written (`(S//NF` without its closing
    parenthesis, `[S]`, `(SECERT)`), the finding is held back: it is given as information
    naming that mark, without the advice to lower the banner, because the mark may be the
    very portion that justifies the banner (lowering it could drop NOFORN). The same holds
    for `rollup-plain-unclassified-ignored`, `rollup-phantom-control` and a wider release
    list in `rollup-relto-intersection`. A garbled mark with one clear reading is rolled up
    at that reading, so a banner that is too low is still reported.
    """
    a = analyse(doc, ctx)
    d = a.diff("level") if a else None
    if a is None or d is None or d.detail != "higher":
        return
    g = _garbled(doc)
    if g is not None:
        yield _held(a, g, f"Banner `{a.actual_text}` is higher than every readable portion "
                          f"(highest `{a.expected.level.title}`)", "over-classification")
        return
    yield Hit(a.span, f"Banner `{a.actual_text}` is higher than every portion (highest "
                      f"`{a.expected.level.title}`) and no compilation is stated; the portions "
                      f"require `{a.expected_text}`. Lower the banner or state the compilation "
                      "reason.", key=a.key("level-high"))


# --- FD&R: NOFORN and its causes ---------------------------------------------------------------


def _nf_missing(a: Analysis) -> bool:
    """The portions require NOFORN and the banner lacks it or shows a release marking."""
    if a.result.nf_reason is None:
        return False
    act = a.actual
    return not act.has("NOFORN") or has_rel(act) or act.has("RELIDO") or has_display(act) \
        or has_eyes(act)


def _nf_message(a: Analysis, why: str) -> str:
    extra = [t for t, on in (("REL TO", has_rel(a.actual)), ("RELIDO", a.actual.has("RELIDO")),
                             ("DISPLAY ONLY", has_display(a.actual)),
                             ("EYES ONLY", has_eyes(a.actual))) if on]
    fix = "add `NOFORN`" if not a.actual.has("NOFORN") else "keep `NOFORN`"
    if extra:
        fix += " and remove " + _toks(tuple(extra))
    return (f"Banner `{a.actual_text}` must be NOFORN: {why}; the portions require "
            f"`{a.expected_text}`. Fix: {fix}.")


@rule("MK103", "rollup-noforn", Severity.ERROR, catalogue="A03", profiles=("capco", "isoo"))
def rollup_noforn(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A NOFORN portion (or a control implying NOFORN) is not reflected in the banner.

    ## What it checks
    If any portion is `NF`, or carries a control that implies NOFORN (SBU-NF or LES-NF in a
    classified document, `XD`, `ND`, HCS, RSV, TK compartments, BUR, KLM-R), the banner must
    carry `NOFORN` and must not carry REL TO, RELIDO or DISPLAY ONLY.

    ## Why
    CAPCO §D.2 Table 3 rules 1-8 and 14-15: NOFORN information keeps the whole document
    from foreign release.

    ## Example
    Banner `SECRET//REL TO USA, GBR` with portions `(S//REL TO USA, GBR)` and `(C//NF)`.

    ## Profiles
    Runs under `capco` and `isoo`. State cables use the cable-specific check
    MK504 `cable-noforn-caption` instead, which knows the classification line and captions.

    ## Fix
    Banner `SECRET//NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None or a.result.nf_reason != "noforn" or not _nf_missing(a):
        return
    from markings.combine import NF_NONIC, NF_VARIANTS, implies_noforn_sci

    ev = _first(a, lambda m: m.has("NOFORN") or any(n in m.nonic for n in NF_NONIC | NF_VARIANTS)
                or implies_noforn_sci(m.sci))
    yield Hit(a.span, _nf_message(a, f"portion {ev} is NOFORN or implies it"),
              key=a.key("noforn"))


@rule("MK104", "rollup-relto-intersection", Severity.ERROR, catalogue="A04",
      profiles=("capco", "isoo"))
def rollup_relto_intersection(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The banner REL TO list is not the intersection of the portions' REL TO lists.

    ## What it checks
    The banner REL TO list must equal the intersection of the portions' REL TO lists
    (TEYE, ACGU, FVEY and other decomposable tetragraphs expanded to their members on the
    document date). A shorter list is accepted only with compilation; an empty intersection
    means the banner must be NOFORN. A NOFORN banner over portions that all allow release is
    reported once, by `rollup-plain-unclassified-ignored`.

    ## Why
    CAPCO §D.2 Table 3 rules 9, 21-23: the document may go only where every part may go.

    ## Example
    Banner `SECRET//REL TO USA, AUS, GBR` with portions `(S//REL TO USA, AUS, GBR)` and
    `(S//REL TO USA, GBR, NZL)`.

    ## Profiles
    Runs under `capco` and `isoo`. A State cable's classification line carries no
    release list (`C O N F I D E N T I A L`), so the check does not apply to cables; MK507
    and MK508 check the cable's release paragraph marks, MK504 its NOFORN caption.

    ## Fix
    Banner `SECRET//REL TO USA, GBR`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    if a.result.nf_reason == "relto-empty":
        if _nf_missing(a):
            yield Hit(a.span, _nf_message(a, "the portions' REL TO lists have no country in "
                                             "common besides USA"), key=a.key("relto-empty"))
        return
    d = a.diff("rel-to")
    if d is None or a.result.nf_reason is not None:
        return
    if d.detail == "extra":
        return  # a REL TO banner over portions that need none: rollup-phantom-control
    if d.detail == "missing":
        if a.actual.has("NOFORN"):
            return  # a NOFORN banner over releasable portions: rollup-plain-unclassified-ignored
        if _garbled(doc) is not None:
            return  # adding a release list: held back (see _garbled), MK201/MK216 report why
        yield Hit(a.span, f"Banner `{a.actual_text}` has no REL TO although every portion is "
                          f"releasable; the portions require `{a.expected_text}`.",
                  key=a.key("relto-missing"))
        return
    parts = []
    if d.extra:
        parts.append(f"names {_toks(d.extra)} not common to all portions")
    if d.missing and _garbled(doc) is None:  # widening the list: held back (see _garbled)
        parts.append(f"omits {_toks(d.missing)} common to all portions")
    if not parts:
        return
    yield Hit(a.span, f"Banner REL TO list in `{a.actual_text}` " + " and ".join(parts)
              + f"; the portions require `{a.expected_text}`.", key=a.key("relto"))


@rule("MK105", "rollup-relto-requires-fdr-everywhere", Severity.ERROR, catalogue="A05",
      profiles=("capco", "isoo"))
def rollup_relto_requires_fdr_everywhere(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A release marking in the banner although some portion has no FD&R marking.

    ## What it checks
    The banner may carry REL TO only if every classified portion (and every unclassified
    portion with a dissemination control) carries REL TO or `REL`. A classified portion with
    no FD&R marking forces NOFORN once any other portion carries a release marking.

    ## Why
    CAPCO §D.2 Table 3 rules 10, 12, 16; ISM-ID-00088.

    ## Example
    Banner `SECRET//REL TO USA, JPN` with portions `(S//REL TO USA, JPN)` and `(C)`.

    ## Profiles
    Runs under `capco` and `isoo`. A State cable's classification line carries no
    release list (`C O N F I D E N T I A L`), so the check does not apply to cables; MK507
    and MK508 check the cable's release paragraph marks, MK504 its NOFORN caption.

    ## Fix
    Banner `SECRET//NOFORN`, or add the correct release marking to the portion.
    """
    a = analyse(doc, ctx)
    if a is None or a.result.nf_reason != "fdr-missing" or not _nf_missing(a):
        return
    from markings.combine import has_fdr, is_plain_unclassified

    ev = _first(a, lambda m: not has_fdr(m) and not is_plain_unclassified(m))
    yield Hit(a.span, _nf_message(a, f"portion {ev} has no foreign disclosure or release "
                                     "marking"), key=a.key("fdr-missing"))


@rule("MK106", "rollup-plain-unclassified-ignored", Severity.WARNING, catalogue="A06",
      needs=(*_ANALYSED, ("NOFORN", "caption:NOFORN"), _RELEASE))
def rollup_plain_unclassified_ignored(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A NOFORN banner that the portions do not require (plain `(U)` portions don't count).

    ## What it checks
    Unclassified portions without any control are ignored when rolling up foreign
    disclosure. A NOFORN banner whose portions all allow release is more restrictive than
    required.

    ## Why
    CAPCO §D.1 asks for the least restrictive dissemination controls; §H.1 notional
    example 5.

    ## Example
    Banner `SECRET//NOFORN` with portions `(S//REL TO USA, FVEY)` and `(U)`.

    ## Fix
    Banner `SECRET//REL TO USA, FVEY`. Held back (information) while a portion mark cannot
    be read, as for `rollup-class-overclassified`.
    """
    a = analyse(doc, ctx)
    if a is None or a.result.nf_reason is not None or not a.actual.has("NOFORN"):
        return
    e = a.expected
    if not (has_rel(e) or e.has("RELIDO") or has_display(e) or has_eyes(e)):
        return
    g = _garbled(doc)
    if g is not None:
        yield _held(a, g, f"Banner `{a.actual_text}` is NOFORN although every readable portion "
                          "allows release", "dropping NOFORN")
        return
    yield Hit(a.span, f"Banner `{a.actual_text}` is NOFORN but every contributing portion "
                      f"allows release (plain `(U)` portions do not count); the portions "
                      f"require `{a.expected_text}`.", key=a.key("nf-over"))


@rule("MK107", "rollup-rel-abbreviation", Severity.ERROR, catalogue="A07",
      needs=(*_ANALYSED, REL_ABBREV))
def rollup_rel_abbreviation(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A bare `REL` (or `EYES`) portion whose list cannot be taken from the banner.

    ## What it checks
    The portion abbreviation `REL` (`EYES`) stands for the banner's REL TO (EYES ONLY) list;
    it is valid only when the banner carries such a list.

    ## Why
    CAPCO §G Table 4 and the REL TO template.

    ## Example
    Banner `SECRET//NOFORN` with portion `(S//REL)`.

    ## Fix
    Write the full list in the portion, e.g. `(S//REL TO USA, NZL)`, or fix the banner.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    for p, m in a.marks:
        if not m.rel_abbrev:
            continue
        eyes = has_eyes(m) and not m.rel_to
        ok = bool(a.actual.eyes) if eyes else bool(a.actual.rel_to)
        if ok:
            continue
        word = "EYES" if eyes else "REL"
        listname = "EYES ONLY" if eyes else "REL TO"
        yield Hit(p.mark.span,  # type: ignore[union-attr]
                  f"Portion `{p.mark.text}` uses the abbreviation `{word}` but banner "  # type: ignore[union-attr]
                  f"`{a.actual_text}` has no {listname} list to stand for; write the full "
                  f"{listname} list in the portion.", key=f"{p.mark.text}|{a.actual_text}")  # type: ignore[union-attr]


@rule("MK108", "rollup-relido", Severity.ERROR, catalogue="A08", profiles=IC,
      needs=(*_ANALYSED, "RELIDO"))
def rollup_relido(doc: Document, ctx: Context) -> Iterator[Hit]:
    """RELIDO in the banner does not match the portions.

    ## What it checks
    RELIDO may be in the banner only if every contributing portion carries RELIDO; RELIDO
    mixed with REL-TO-only or DISPLAY ONLY portions rolls up to NOFORN. A banner that omits
    a RELIDO every portion carries is reported too.

    ## Why
    CAPCO §D.2 Table 3 rules 10, 17, 18, 24; ISM-ID-00132.

    ## Example
    Banner `SECRET//RELIDO` with portions `(S//RELIDO)` and `(S//REL TO USA, AUS)`.

    ## Fix
    Banner `SECRET//NOFORN` (or mark every portion RELIDO).
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    if a.result.nf_reason == "relido-mix":
        if _nf_missing(a):
            ev = _first(a, lambda m: m.has("RELIDO"))
            yield Hit(a.span, _nf_message(a, f"RELIDO portion {ev} is mixed with portions that "
                                             "are not RELIDO or are DISPLAY ONLY"),
                      key=a.key("relido-mix"))
        return
    d = a.diff("relido")
    if d is None or a.result.nf_reason is not None:
        return
    if d.missing:
        yield Hit(a.span, f"Banner `{a.actual_text}` omits `RELIDO` although every contributing "
                          f"portion carries it; the portions require `{a.expected_text}`.",
                  key=a.key("relido-missing"))
    else:
        yield Hit(a.span, f"Banner `{a.actual_text}` shows `RELIDO` but not every contributing "
                          f"portion carries it; the portions require `{a.expected_text}`.",
                  key=a.key("relido-extra"))


@rule("MK109", "rollup-display-only", Severity.ERROR, catalogue="A09", profiles=IC,
      needs=(*_ANALYSED, ("DISPLAY ONLY", DISPLAY_LIST)))
def rollup_display_only(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The banner DISPLAY ONLY list does not match the portions.

    ## What it checks
    A banner DISPLAY ONLY list must hold the countries common to all portions' DISPLAY ONLY
    and REL TO lists (shorter only with compilation). No common country means NOFORN.

    ## Why
    CAPCO §D.2 Table 3 rules 11, 18-20, 25-27; ISM-ID-00320.

    ## Example
    Banner `SECRET//DISPLAY ONLY AFG, IRQ` with portions `(S//DISPLAY ONLY AFG)` and
    `(S//DISPLAY ONLY IRQ)`.

    ## Fix
    Banner `SECRET//NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    if a.result.nf_reason == "display-only":
        if _nf_missing(a):
            yield Hit(a.span, _nf_message(a, "the portions' DISPLAY ONLY lists have no country "
                                             "in common"), key=a.key("disp-empty"))
        return
    d = a.diff("display-only")
    if d is None or a.result.nf_reason is not None:
        return
    yield Hit(a.span, f"Banner DISPLAY ONLY list in `{a.actual_text}` does not match the "
                      f"countries common to all portions (missing: {_toks(d.missing) or 'none'}; "
                      f"extra: {_toks(d.extra) or 'none'}); the portions require "
                      f"`{a.expected_text}`.", key=a.key("disp"))


# --- other dissemination controls --------------------------------------------------------------


def _dissem_hits(a: Analysis, ids: tuple[str, ...], what: str,
                 report_extra: bool = True) -> Iterator[Hit]:
    d = a.diff("dissem")
    if d is None:
        return
    for ident in ids:
        if ident in d.missing:
            ev = _first(a, lambda m, i=ident: m.has(i))
            if ev == "the portions" and ident == "ORCON-USGOV":
                continue
            yield Hit(a.span, f"Banner `{a.actual_text}` lacks `{ident}` required by portion "
                              f"{ev}; the portions require `{a.expected_text}`.",
                      key=a.key(f"missing-{ident}"))
        elif report_extra and ident in d.extra and any(m.has(ident) for _, m in a.marks):
            yield Hit(a.span, f"Banner `{a.actual_text}` shows `{ident}`, which {what}; the "
                              f"portions require `{a.expected_text}`.",
                      key=a.key(f"extra-{ident}"))


@rule("MK110", "rollup-orcon", Severity.ERROR, catalogue="A10", profiles=IC,
      needs=(*_ANALYSED, ("ORCON", "ORCON-USGOV", SCI)))
def rollup_orcon(doc: Document, ctx: Context) -> Iterator[Hit]:
    """ORCON / ORCON-USGOV in the portions is not rolled up correctly.

    ## What it checks
    Any `OC` portion puts ORCON in the banner; with both `OC` and `OC-USGOV` portions the
    banner shows ORCON only; only `OC-USGOV` portions give ORCON-USGOV.

    ## Why
    CAPCO ORCON and ORCON-USGOV templates; ISM-ID-00067.

    ## Example
    Banner `TOP SECRET//NOFORN` with portions `(TS//OC/NF)` and `(S//NF)`.

    ## Fix
    Banner `TOP SECRET//ORCON/NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    yield from _dissem_hits(a, ("ORCON", "ORCON-USGOV"), "is superseded by `ORCON`")


@rule("MK111", "rollup-imcon", Severity.ERROR, catalogue="A11", profiles=IC,
      needs=(*_ANALYSED, ("IMCON", SCI)))
def rollup_imcon(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An `IMC` portion is not reflected as IMCON in the banner.

    ## What it checks
    Any portion with `IMC` puts IMCON in the banner.

    ## Why
    CAPCO IMCON template; ISM-ID-00068.

    ## Example
    Banner `SECRET//NOFORN` with portion `(S//IMC/NF)`.

    ## Fix
    Banner `SECRET//IMCON/NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    yield from _dissem_hits(a, ("IMCON",), "no portion requires")


@rule("MK112", "rollup-propin", Severity.ERROR, catalogue="A12", profiles=IC,
      needs=(*_ANALYSED, ("PROPIN", SCI)))
def rollup_propin(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A `PR` portion is not reflected as PROPIN in the banner.

    ## What it checks
    Any portion with `PR` puts PROPIN in the banner; PROPIN supersedes FOUO there.

    ## Why
    CAPCO PROPIN template; ISM-ID-00071.

    ## Example
    Banner `UNCLASSIFIED//FOUO` with portions `(U//FOUO)` and `(U//NF/PR)`.

    ## Fix
    Banner `UNCLASSIFIED//NOFORN/PROPIN`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    yield from _dissem_hits(a, ("PROPIN",), "no portion requires")


@rule("MK113", "rollup-other-dissem", Severity.ERROR, catalogue="A13", profiles=IC,
      needs=(*_ANALYSED, ("RSEN", "DSEN", "FISA", "RAWFISA", SCI)))
def rollup_other_dissem(doc: Document, ctx: Context) -> Iterator[Hit]:
    """RSEN, DSEN, FISA or RAWFISA in a portion is missing from the banner.

    ## What it checks
    RSEN, DSEN, FISA and RAWFISA on any portion must appear in the banner.

    ## Why
    CAPCO RSEN, DSEN and FISA templates; ISM-ID-00165, -00080, -00081, -00389.

    ## Example
    Banner `SECRET//NOFORN` with portions `(S//NF)` and `(U//FISA)`.

    ## Fix
    Banner `SECRET//NOFORN/FISA`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    yield from _dissem_hits(a, ("RSEN", "DSEN", "FISA", "RAWFISA"), "no portion requires",
                            report_extra=False)


@rule("MK114", "rollup-sci-sap-aea", Severity.ERROR, catalogue="A14",
      needs=(*_ANALYSED, (SCI, SAP, AEA)))
def rollup_sci_sap_aea(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An SCI, SAP or AEA marking of a portion is missing from the banner.

    ## What it checks
    Every SCI control system, compartment and sub-compartment, SAP program identifier and
    AEA marking used in a portion must be repeated in the banner (FRD is not required next
    to RD, nor TFNI next to RD or FRD).

    ## Why
    CAPCO §D.2, second roll-up step; ISM-ID-00060 to -00063, -00072 to -00077.

    ## Example
    Banner `TOP SECRET//SI//NOFORN` with portions `(TS//SI//NF)` and `(S//TK//NF)`.

    ## Fix
    Banner `TOP SECRET//SI/TK//NOFORN`.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    for cat, label in (("sci", "SCI"), ("sap", "SAP"), ("aea", "AEA")):
        d = a.diff(cat)
        if d is None or not d.missing:
            continue
        missing = d.missing
        if cat == "sci":  # report only the most specific missing tokens
            missing = tuple(t for t in missing
                            if not any(o != t and o.startswith(t) for o in missing))
        yield Hit(a.span, f"Banner `{a.actual_text}` lacks the {label} marking(s) "
                          f"{_toks(missing)} used in the portions; the portions require "
                          f"`{a.expected_text}`.", key=a.key(f"{cat}:" + ",".join(missing)))


_PHANTOM_NONIC = ("SSI",)
_PHANTOM_DISSEM = ("ORCON", "ORCON-USGOV", "FOUO", "RAWFISA", "IMCON", "PROPIN", "RSEN",
                   "DSEN", "FISA")


@rule("MK115", "rollup-phantom-control", Severity.WARNING, catalogue="A15",
      needs=(*_ANALYSED, (SCI, SAP, AEA, "SSI", REL_LIST, REL_ABBREV, "REL TO", *_PHANTOM_DISSEM)))
def rollup_phantom_control(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The banner shows a control that no portion carries.

    ## What it checks
    SCI, SAP, AEA, ORCON, FOUO, RAWFISA, SSI (and other dissemination controls) in the
    banner that no portion carries, unless classification by compilation is stated.

    ## Why
    An over-marked banner restricts the document more than its content does
    (ISM-ID-00111 to -00116, -00154, -00228, -00229, -00344, -00348, -00374, -00394).

    ## Example
    Banner `SECRET//TK//NOFORN` with portions `(S//NF)` and `(U)`.

    ## Fix
    Remove the control from the banner (`SECRET//NOFORN`), or mark the portion that needs it.
    Held back (information) while a portion mark cannot be read, as for
    `rollup-class-overclassified`.
    """
    a = analyse(doc, ctx)
    if a is None or a.compilation:
        return
    from markings.combine import _sci_tokens

    used_sci: set[str] = set()
    used: set[str] = set()
    for m in {id(m): m for _, m in a.marks}.values():  # a repeated mark is one object
        used_sci |= _sci_tokens(m)
        used |= set(m.sap) | set(m.aea) | set(m.dissem) | set(m.nonic)
    phantom: list[str] = []
    phantom += sorted(t for t in _sci_tokens(a.actual) - used_sci)
    phantom += ["SAR-" + s for s in a.actual.sap if s not in used]
    phantom += [x for x in a.actual.aea if x not in used]
    phantom += [x for x in a.actual.dissem if x in _PHANTOM_DISSEM and x not in used]
    phantom += [x for x in a.actual.nonic if x in _PHANTOM_NONIC and x not in used]
    d = a.diff("rel-to")
    if d is not None and d.detail == "extra" and a.result.nf_reason is None:
        phantom.append("REL TO")
    if not phantom:
        return
    g = _garbled(doc)
    if g is not None:
        yield _held(a, g, f"Banner `{a.actual_text}` shows {_toks(tuple(phantom))}, which no "
                          "readable portion carries", "removing it")
        return
    yield Hit(a.span, f"Banner `{a.actual_text}` shows {_toks(tuple(phantom))} but no portion "
                      f"carries it; the portions require `{a.expected_text}`. Remove it or "
                      "state the compilation reason.", key=a.key("phantom:" + ",".join(phantom)))


@rule("MK116", "rollup-fgi", Severity.ERROR, catalogue="A16",
      needs=(*_ANALYSED, (FGI, OWNER, JOINT, NATO)))
def rollup_fgi(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Foreign government information in the portions is not shown as FGI in the banner.

    ## What it checks
    Portions with foreign government information (`(//GBR S)`, `(S//FGI DEU)`, `(//FGI S)`)
    require `FGI` in a US banner: with the union of the source codes, or bare `FGI` when any
    portion conceals its source.

    ## Why
    CAPCO §D.2 third roll-up step and FGI template; ISM-ID-00064, -00065.

    ## Example
    Banner `SECRET//NOFORN` with portions `(//GBR S//NF)` and `(S//NF)`.

    ## Fix
    Banner `SECRET//FGI GBR//NOFORN`.
    """
    a = analyse(doc, ctx)
    d = a.diff("fgi") if a else None
    if a is None or d is None or not a.actual.is_us:
        return
    if a.expected.fgi is None:
        msg = (f"Banner `{a.actual_text}` shows FGI but no portion contains foreign government "
               f"information; the portions require `{a.expected_text}`.")
    elif a.actual.fgi is None:
        msg = (f"Banner `{a.actual_text}` lacks the FGI category although portions contain "
               f"foreign government information; the portions require `{a.expected_text}`.")
    elif a.expected.fgi == ():
        msg = (f"Banner `{a.actual_text}` names FGI sources although a portion conceals its "
               f"source; write bare `FGI`: `{a.expected_text}`.")
    else:
        msg = (f"Banner FGI list in `{a.actual_text}` differs from the portions' sources "
               f"(missing: {_toks(d.missing) or 'none'}; extra: {_toks(d.extra) or 'none'}); "
               f"the portions require `{a.expected_text}`.")
    yield Hit(a.span, msg, key=a.key("fgi"))


@rule("MK117", "rollup-fouo", Severity.ERROR, catalogue="A17",
      needs=(*_ANALYSED, "FOUO"))
def rollup_fouo(doc: Document, ctx: Context) -> Iterator[Hit]:
    """FOUO in the banner where it does not belong, or missing where it does.

    ## What it checks
    FOUO never appears in a classified banner. An unclassified document whose portions carry
    FOUO and no other dissemination or non-IC control must show FOUO in the banner; other
    controls supersede FOUO.

    ## Why
    CAPCO FOUO template; ISM-ID-00066, -00154, -00327, -00328.

    ## Example
    Banner `SECRET//FOUO` with portions `(S)` and `(U//FOUO)`; or banner `UNCLASSIFIED`
    with portions `(U//FOUO)` and `(U)`.

    ## Fix
    `SECRET` for the first; `UNCLASSIFIED//FOUO` for the second.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    d = a.diff("dissem")
    if d is None:
        return
    if "FOUO" in d.missing:
        yield Hit(a.span, f"Banner `{a.actual_text}` lacks `FOUO` required by portion "
                          f"{_first(a, lambda m: m.has('FOUO'))}; the portions require "
                          f"`{a.expected_text}`.", key=a.key("fouo-missing"))
    elif "FOUO" in d.extra and any(m.has("FOUO") for _, m in a.marks):
        why = ("a classified banner never shows FOUO" if a.actual.level > Level.U
               else "other controls supersede FOUO")
        yield Hit(a.span, f"Banner `{a.actual_text}` shows `FOUO` but {why}; the portions "
                          f"require `{a.expected_text}`.", key=a.key("fouo-extra"))


_UNCLASS_ONLY = ("SBU", "SBU NOFORN", "LIMDIS", "LIMITED OFFICIAL USE")
_ROLLS_UP = ("LES", "LES NOFORN", "SSI")


@rule("MK118", "rollup-unclassified-only-controls", Severity.ERROR, catalogue="A18", profiles=("capco", "isoo"))
def rollup_unclassified_only_controls(doc: Document, ctx: Context) -> Iterator[Hit]:
    """SBU, LIMDIS, UCNI, LES or SSI are not rolled up as the document's level requires.

    ## What it checks
    SBU, SBU NOFORN, LIMDIS (NGA) and DoD/DOE UCNI stay out of a classified banner (only
    their NOFORN effect rolls up) but must appear in an unclassified one (SBU NOFORN
    supersedes SBU). LES, LES NOFORN and SSI roll up into every banner.

    ## Why
    CAPCO SBU, SBU NOFORN, LIMDIS, LES templates (§H.9) and DCNI/UCNI templates (§H.6).

    ## Example
    Banner `SECRET//NOFORN//SBU` with portions `(S//NF)` and `(U//SBU)`; or banner
    `UNCLASSIFIED` with portion `(U//SBU)`.

    ## Profiles
    Runs under `capco` and `isoo`. State cables use the cable-specific check
    MK505 `cable-sbu-caption` instead, which knows the classification line and captions.

    ## Fix
    `SECRET//NOFORN` for the first; `UNCLASSIFIED//SBU` for the second.
    """
    a = analyse(doc, ctx)
    if a is None:
        return
    from markings.combine import UNCLASS_ONLY_AEA

    classified = a.actual.level > Level.U
    missing: list[str] = []
    extra: list[str] = []
    for cat, ids in (("nonic", _UNCLASS_ONLY + _ROLLS_UP), ("aea", tuple(UNCLASS_ONLY_AEA))):
        d = a.diff(cat)
        if d is None:
            continue
        missing += [x for x in d.missing if x in ids]
        extra += [x for x in d.extra if x in ids and x != "SSI"]
    if classified:
        bad = [x for x in extra if x in _UNCLASS_ONLY or x in UNCLASS_ONLY_AEA]
        if bad:
            yield Hit(a.span, f"Banner `{a.actual_text}` shows {_toks(tuple(bad))}, which never "
                              f"appear in a classified banner; the portions require "
                              f"`{a.expected_text}`.", key=a.key("unclass-only-extra"))
        extra = [x for x in extra if x not in bad]
    if missing:
        yield Hit(a.span, f"Banner `{a.actual_text}` lacks {_toks(tuple(missing))} carried by "
                          f"the portions; the portions require `{a.expected_text}`.",
                  key=a.key("unclass-only-missing"))
    used = {x for _, m in a.marks for x in (*m.nonic, *m.aea)}
    superseded = [x for x in extra if x in used]
    if superseded:
        yield Hit(a.span, f"Banner `{a.actual_text}` shows {_toks(tuple(superseded))}, which is "
                          f"superseded here; the portions require `{a.expected_text}`.",
                  key=a.key("unclass-only-superseded"))


@rule("MK119", "rollup-nodis-exdis", Severity.ERROR, catalogue="A19", profiles=("capco", "isoo"))
def rollup_nodis_exdis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """EXDIS / NODIS in the portions is not rolled up correctly.

    ## What it checks
    An `XD` portion puts EXDIS in the banner unless an `ND` portion exists (then NODIS
    only); `ND` always rolls up. Either one forces NOFORN (reported by `rollup-noforn`).
    State cables are left out: their `EXDIS` / `NODIS` captions are distribution captions,
    not banner controls, and cable paragraphs do not carry `XD` / `ND` (the cable rule
    `cable-nodis-exdis` checks the captions).

    ## Why
    CAPCO EXDIS and NODIS templates; ISM-ID-00085, -00086, -00313, -00314.

    ## Example
    Banner `SECRET//NOFORN//EXDIS` with portions `(S//NF//XD)` and `(C//NF//ND)`.

    ## Fix
    Banner `SECRET//NOFORN//NODIS`.
    """
    if doc.style == "cable":
        return  # captions, not banner controls: MK512
    a = analyse(doc, ctx)
    if a is None:
        return
    d = a.diff("nonic")
    if d is None:
        return
    missing = tuple(x for x in d.missing if x in ("EXDIS", "NODIS"))
    extra = tuple(x for x in d.extra if x in ("EXDIS", "NODIS"))
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append(f"lacks {_toks(missing)}")
    if extra:
        parts.append(f"shows {_toks(extra)} " + ("(NODIS supersedes EXDIS)"
                                                  if "NODIS" in a.expected.nonic
                                                  else "(no portion carries it)"))
    yield Hit(a.span, f"Banner `{a.actual_text}` " + " and ".join(parts)
              + f"; the portions require `{a.expected_text}`.", key=a.key("nodis-exdis"))
