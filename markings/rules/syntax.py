"""Catalogue group B: syntax of one marking (MK201-MK221).

The parser (:mod:`markings.parse`) accepts non-canonical forms and records each as a
:class:`~markings.model.Deviation` named by the catalogue slug that reports it; most rules
here simply report the deviations carrying their own slug. Date-dependent checks (B06, B20,
B21) use ``doc.date`` and drop to INFO when the document date is unknown.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from markings.document import Document, MarkingRef
from markings.findings import Severity
from markings.model import ERR_DELIMITERS, ERR_UNKNOWN_TOKEN, Deviation, Level
from markings.profiles import IC
from markings.document import (
    CLASSIFIED_LEVELS, DISPLAY_LIST, FGI, JOINT, REL_LIST, U_BANNER_CONTROL)
from markings.registry import Context, Hit, rule

_EYES_END = _dt.date(2017, 10, 1)
_COMMA_END = _dt.date(2005, 7, 1)
_BANNER_DECLASS_END = _dt.date(2008, 2, 1)
_UNCLASS_CONTROLS = ("FOUO", "SBU", "SBU NOFORN", "LIMITED OFFICIAL USE", "SSI", "LES")


def _refs(doc: Document) -> Iterator[tuple[MarkingRef, bool]]:
    """Every marking of the document with ``True`` for portion marks."""
    return iter(doc.memo("syntax.refs", _refs_list))


def _refs_list(doc: Document) -> list[tuple[MarkingRef, bool]]:
    out: list[tuple[MarkingRef, bool]] = [(b, False) for b in doc.banners]
    out += [(p.mark, True) for p in doc.portions if p.mark is not None]
    return out


def _key(ref: MarkingRef, detail: str = "") -> str:
    return f"{' '.join(ref.text.split()).upper()}|{detail}"


def _deviations(doc: Document, slug: str) -> Iterator[tuple[MarkingRef, bool, Deviation]]:
    return iter(doc.memo("syntax.deviations", _deviations_by_rule).get(slug, ()))


def _deviations_by_rule(doc: Document) -> dict[str, list[tuple[MarkingRef, bool, Deviation]]]:
    """Every deviation of the document's markings, by deviation rule, in document order."""
    out: dict[str, list[tuple[MarkingRef, bool, Deviation]]] = {}
    for ref, is_portion in _refs(doc):
        if ref.marking is None or ref.error:
            continue  # unreadable as written: reported once, by _unreadable()
        for d in ref.marking.deviations:
            out.setdefault(d.rule, []).append((ref, is_portion, d))
    return out


def _fix(d: Deviation) -> str:
    return f" Write `{d.canonical}`." if d.canonical else ""


def _simple(doc: Document, slug: str, fact: str,
            severity: Severity | None = None, cable_rel: bool = False) -> Iterator[Hit]:
    if doc.style == "cable":
        # a cable repeats one paragraph mark on many paragraphs: one finding per distinct
        # mark and deviation, the other places as related spans (as MK507/MK508 do)
        groups: dict[str, list[tuple[MarkingRef, Deviation]]] = {}
        for ref, _, d in _deviations(doc, slug):
            if cable_rel and _cable_release_list(ref):
                continue  # a cable release list (`(S//REL RUSSIA)`): MK508 reports it whole
            groups.setdefault(_key(ref, d.detail), []).append((ref, d))
        for key, items in groups.items():
            ref, d = items[0]
            times = f" ({len(items)} times)" if len(items) > 1 else ""
            yield Hit(ref.span, f"{fact} in `{ref.text.strip()}`{_detail(fact, d.detail)}"
                      f"{times}.{_fix(d)}", key=key, severity=severity,
                      related=tuple(r.span for r, _ in items[1:]))
        return
    for ref, _, d in _deviations(doc, slug):
        yield Hit(ref.span, f"{fact} in `{ref.text.strip()}`{_detail(fact, d.detail)}.{_fix(d)}",
                  key=_key(ref, d.detail), severity=severity)


def _cable_release_list(ref: MarkingRef) -> bool:
    """True for a cable marking whose release list MK508 `cable-rel-country-names` reports
    (one finding per mark, with the whole corrected form)."""
    from markings.rules.cable import release_list_deviations

    return bool(release_list_deviations(ref.marking))


def _detail(fact: str, detail: str) -> str:
    """The deviation's detail: marking tokens quoted; a description kept unless it repeats."""
    if not detail or detail.lower() in fact.lower():
        return ""
    return f" (`{detail}`)" if detail == detail.upper() else f" ({detail})"


# what an unreadable marking is reported as: an empty list entry or a trailing separator
# (MK214), more than one pair of parentheses (MK216), anything else (MK201)
_EMPTY_OR_TRAILING_RE = re.compile(r",[ \t]*(?:,|\)|$)|/{3,}|[,/][ \t]*\)?[ \t]*$|\([ \t]*[,/]")


def _unreadable_kind(ref: MarkingRef) -> str | None:
    """The rule that reports ``ref`` as unreadable: "MK201", "MK214", "MK216" or None."""
    if not ref.error:
        return None
    if ref.error.startswith(ERR_DELIMITERS):
        return "MK216"
    if ref.error.startswith(ERR_UNKNOWN_TOKEN):
        return "MK201"
    if _EMPTY_OR_TRAILING_RE.search(ref.text.strip()):
        return "MK214"
    return "MK201"


def _unreadable(doc: Document, kind: str) -> Iterator[tuple[MarkingRef, bool]]:
    """Markings that cannot be read as written and that ``kind`` reports.

    In a State cable the classification line belongs to MK501 and the paragraph marks to
    MK507 `cable-portion-vocabulary`, which know the cable forms.
    """
    cable = doc.style == "cable"
    top_cable_line = doc.banners[0] if cable and doc.banners else None
    for ref, is_portion in _refs(doc):
        if ref is top_cable_line or (cable and is_portion and kind != "MK216"):
            continue
        if _unreadable_kind(ref) == kind:
            yield ref, is_portion


# An unreadable marking may have swallowed prose: `(S//NF per the ambassador Bob Jones)`.
# Messages quote marking tokens only, so an unknown entry is quoted only when it looks like
# one token (no space, at most _TOKEN_MAX characters), and a marking's text is quoted with
# every entry that looks like prose (or holds such an unknown entry) elided.
_TOKEN_MAX = 20
_SEGMENTS_RE = re.compile(r"(//|/|,|\(|\)|\[|\])")
_ELIDED = "…"


def _is_token(token: str) -> bool:
    from markings.scan import misspelled_level

    if 0 < len(token) <= _TOKEN_MAX and misspelled_level(token) is not None:
        return True  # a misspelled two-word level: `TOP SECERT`
    return 0 < len(token) <= _TOKEN_MAX and not any(c.isspace() for c in token)


def _entry(token: str) -> str:
    """``token `NOFRON` `` for a token, ``entry of 6 words`` for anything longer."""
    if _is_token(token):
        return f"token `{token}`"
    n = len(token.split())
    return f"entry of {n} word{'s' if n != 1 else ''}"


def _proselike(segment: str) -> bool:
    words = segment.split()
    return len(words) > 4 or (len(words) >= 3 and any(c.islower() for c in segment))


def _shown(text: str, hide: str = "") -> str:
    """``text`` (a marking as written) with prose-like entries, and the entry holding
    ``hide`` (an unknown entry that is not a token), elided: `(S//…)`."""
    hidden = " ".join(hide.split()).upper() if hide and not _is_token(hide) else ""
    parts = _SEGMENTS_RE.split(text.strip())
    for i in range(0, len(parts), 2):  # even indexes: entries; odd: separators
        seg = parts[i]
        if seg.strip() and (_proselike(seg) or (hidden and hidden in " ".join(seg.split())
                                                 .upper())):
            parts[i] = seg[:len(seg) - len(seg.lstrip())] + _ELIDED
    return "".join(parts)


def _why(error: str) -> str:
    """The parser's message, as a clause: ``cannot be read at column 16: expected ...``;
    a quoted piece of the document that is not a token is elided."""
    error = re.sub(r"`([^`]*)`", lambda m: f"`{m.group(1)}`" if not _proselike(m.group(1))
                   else f"`{_ELIDED}`", error)
    msg = error.strip().rstrip(".")
    msg = msg.replace("expected one of a marking token", "expected a marking token")
    if msg.startswith("Marking "):
        msg = msg[len("Marking "):]
    return msg[:1].lower() + msg[1:]


def _readable_fix(ref: MarkingRef) -> str:
    """`` Write `X`.`` with the repaired reading, or the parser's suggestion, or nothing."""
    clean = ref.marking is not None and not ref.marking.deviations
    fix = (ref.canonical if clean else None) or ref.suggestion
    return f" Write `{fix}`." if fix and fix != ref.text.strip() else ""


@rule("MK201", "syntax-unknown-token", Severity.ERROR, catalogue="B01",
      needs=(("mark-error", "dev:syntax-unknown-token"),))
def unknown_token(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A marking contains a token that is not in the Register.

    ## What it checks
    Every token of a banner or portion mark must be a registered classification, control,
    SCI system, SAP, AEA, FGI or country code. The nearest known token is suggested; for a
    misspelled classification (`SECERT`, `CONFIDENTAL`, `TOP SECERT`) the whole corrected
    banner or portion mark is suggested (`SECRET//NOFORN`, `(C)`), a banner misspelled the
    same way at the top and bottom is one finding, and the mark is not also reported as
    missing (no banner, an unmarked title or paragraph). A
    marking that cannot be read at all for another reason (a stray word, a missing
    classification) is reported here too, with the position where reading stopped, unless
    `syntax-empty-or-padded-category` or `syntax-portion-delimiters` names the fault. In a
    State cable the classification line (`SS E C R E T`) is left to MK501
    `cable-classification-line` and the paragraph marks (`(SNF)`) to MK507
    `cable-portion-vocabulary`, which know the cable forms and report each form once.

    Values the catalogue lists as known but out of scope (ISM machine-only
    `EXEMPT_FROM_ICD501_DISCOVERY`, DoD `WAIVED`, CUI controls such as `FED ONLY`, the V10
    legacy `LACONIC`/`LAC`) are read, and reported as a warning that they are not checked.

    ## Why
    CAPCO requires every marking to use the values listed in the Register; typos and OCR
    errors (`NOFRON`) silently drop a control.

    ## Example
    `SECRET//NOFRON`, `(S//ORC)` fail; `SECRET//NOFORN`, `(S//OC)` pass.

    ## Fix
    Replace the token with the registered one (the message names the closest match).
    """
    garbled_banners: dict[str, list[MarkingRef]] = {}
    for ref, is_portion in _unreadable(doc, "MK201"):
        if not is_portion and ref.error and ref.error.startswith(ERR_UNKNOWN_TOKEN):
            garbled_banners.setdefault(_key(ref), []).append(ref)
    for ref, is_portion in _unreadable(doc, "MK201"):
        assert ref.error is not None
        if ref.error.startswith(ERR_UNKNOWN_TOKEN):
            same = garbled_banners.get(_key(ref), []) if not is_portion else []
            if same and ref is not same[0]:
                continue  # the same garbled banner at the top and bottom: one finding
            hint = f" Did you mean `{ref.suggestion}`?" if ref.suggestion else \
                " Use a token from the Register."
            token = ref.error.split("`")[1] if "`" in ref.error else ref.text
            times = f" ({len(same)} banners)" if len(same) > 1 else ""
            yield Hit(ref.span, f"Unknown marking {_entry(token)} in "
                      f"`{_shown(ref.text, token)}`{times}.{hint}", key=_key(ref, token),
                      related=tuple(r.span for r in same[1:]))
            continue
        fix = _readable_fix(ref) or " Rewrite it with registered tokens, e.g. `SECRET//NOFORN`."
        yield Hit(ref.span, f"Marking `{_shown(ref.text)}` {_why(ref.error)}.{fix}",
                  key=_key(ref, "unreadable"))
    for ref, _, d in _deviations(doc, "syntax-unknown-token"):  # known, out of scope
        token, _, why = d.detail.partition(": ")
        yield Hit(ref.span, f"Token `{token}` in `{ref.text.strip()}` is not checked "
                  f"({why or 'outside the Register'}).", key=_key(ref, token),
                  severity=Severity.WARNING)


@rule("MK202", "syntax-category-order", Severity.ERROR, catalogue="B02",
      needs=("dev:syntax-category-order",))
def category_order(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Marking categories are out of order or repeated.

    ## What it checks
    Categories follow classification // SCI // SAP // AEA // FGI // dissem // non-IC, each
    at most once.

    ## Why
    CAPCO fixes the order so that readers and systems find each control where expected.

    ## Example
    `SECRET//NOFORN//SI` and `SECRET//EXDIS//NOFORN` fail; `SECRET//SI//NOFORN` passes.

    ## Fix
    Reorder the categories as in the canonical form given in the message.
    """
    yield from _simple(doc, "syntax-category-order", "Categories out of order")


@rule("MK203", "syntax-register-order", Severity.ERROR, catalogue="B03",
      needs=("dev:syntax-register-order",))
def register_order(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Values inside one category are not in Register order.

    ## What it checks
    Dissemination controls, non-IC controls and AEA markings follow Register order; SCI
    systems, compartments and SAP programs sort ascending, numerals first.

    ## Why
    The Register order is part of the marking syntax (ISM-ID-00026, -00100 and others).

    ## Example
    `TOP SECRET//NOFORN/ORCON` fails; `TOP SECRET//ORCON/NOFORN` passes.

    ## Fix
    Reorder the values as shown in the message.
    """
    yield from _simple(doc, "syntax-register-order", "Values out of Register order")


@rule("MK204", "syntax-duplicate-token", Severity.ERROR, catalogue="B04",
      needs=("dev:syntax-duplicate-token",))
def duplicate_token(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A token or country code appears twice in one marking.

    ## What it checks
    Each control and each country code may appear only once in a marking.

    ## Why
    ISM-ID-00236; duplicates usually betray a copy-and-paste error.

    ## Example
    `SECRET//NOFORN/NOFORN` and `(S//REL TO USA, GBR, GBR)` fail.

    ## Fix
    Remove the repeated token.
    """
    yield from _simple(doc, "syntax-duplicate-token", "Repeated token")


@rule("MK205", "syntax-category-separator", Severity.ERROR, catalogue="B05",
      needs=("dev:syntax-category-separator",))
def category_separator(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Categories are not separated by a double slash.

    ## What it checks
    A single `/` (or a space or hyphen) between the classification and a control, or
    between two categories. In a State cable's paragraph marks the single slash (`(S/NF)`,
    `(C/REL UK)`) is the handbook's own form and is not reported (MK507
    `cable-portion-vocabulary` owns the cable forms); a space or hyphen there (`(S NF)`,
    `(S-NF)`) is reported as INFO only.

    ## Why
    CAPCO uses `//` between categories and `/` inside one; mixing them changes meaning.

    ## Example
    Banner `SECRET/NOFORN` in a memo fails; in a cable `(S/NF)` passes and `(S-NF)` is
    INFO, normalised to `(S//NF)`.

    ## Fix
    Use `//` between categories.
    """
    if doc.style != "cable":
        yield from _simple(doc, "syntax-category-separator",
                           "Single separator between categories")
        return
    for ref, is_portion, d in _deviations(doc, "syntax-category-separator"):
        if is_portion and d.detail == "/":
            continue  # the cable handbook's form (S/NF): MK507 owns cable paragraph marks
        yield Hit(ref.span, f"Single separator between categories in `{ref.text.strip()}` "
                            f"({d.detail}).{_fix(d)}", key=_key(ref, d.detail),
                  severity=Severity.INFO)


@rule("MK206", "syntax-within-category-separator", Severity.ERROR, catalogue="B06",
      needs=("dev:syntax-within-category-separator",))
def within_category_separator(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Values of one category are joined by commas or a double slash.

    ## What it checks
    Several values of one category are joined by a single `/`. Commas were the form before
    July 2005 (WARN for older documents; INFO when the document date is unknown).

    ## Why
    CAPCO §A.6 and the July 2005 change in §I Table 8.

    ## Example
    `SECRET//ORCON, NOFORN` and `SECRET//ORCON//NOFORN` fail; `SECRET//ORCON/NOFORN` passes.

    ## Fix
    Join the values with `/`.
    """
    if doc.date is None:
        sev: Severity | None = Severity.INFO
    elif doc.date < _COMMA_END:
        sev = Severity.WARNING
    else:
        sev = None
    yield from _simple(doc, "syntax-within-category-separator",
                       "Wrong separator between values of one category", sev)


@rule("MK207", "syntax-relto-list", Severity.ERROR, catalogue="B07",
      needs=("dev:syntax-relto-list",))
def relto_list(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A REL TO (or DISPLAY ONLY) list is malformed.

    ## What it checks
    `REL TO` is followed by USA, then trigraphs, then tetragraphs, each alphabetical, joined
    by comma and space; no `and`, slashes or bare spaces; at least one code besides USA.
    In a State cable a release list is left to `cable-rel-country-names` (one finding per
    mark, with the whole corrected form).

    ## Why
    ISM-ID-00041, -00167, -00214 and the CAPCO REL TO template.

    ## Example
    `REL TO USA, GBR, AUS` and `REL TO USA/GBR` fail; `REL TO USA, AUS, GBR, NATO` passes.

    ## Fix
    Rewrite the list as shown in the message.
    """
    yield from _simple(doc, "syntax-relto-list", "Malformed release list", cable_rel=True)


@rule("MK208", "syntax-country-code", Severity.ERROR, catalogue="B08",
      needs=(("dev:syntax-country-code", REL_LIST, DISPLAY_LIST, FGI, JOINT),))
def country_code(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A list entry is not a registered trigraph or tetragraph.

    ## What it checks
    Country names, digraphs and unknown codes in REL TO, DISPLAY ONLY, FGI and JOINT lists
    (one finding per marking, naming them all), and, as a warning, tetragraphs past their
    deprecation date on a dated document (`ISAF` in 2020; `syntax-deprecated-token` also
    reports them, and reports them on undated documents). In a State cable, a release list
    (`(S/REL to RUSSIA)`, `(S//REL RUSSIA)`) is left to `cable-rel-country-names`, which
    reports each such mark once with the whole corrected form.

    ## Why
    ISM-ID-00199, -00265: only Register codes are machine-readable release decisions.

    ## Example
    `(S//REL TO USA, UK)` and, in a memo, `(S/REL to RUSSIA)` fail; `(S//REL TO USA, GBR)`
    passes.

    ## Fix
    Use the trigraph given in the message.
    """
    yield from _simple(doc, "syntax-country-code", "Not a registered country code",
                       cable_rel=True)
    for ref, _ in _refs(doc) if doc.date is not None else ():
        m = ref.marking
        codes = (*m.rel_to, *m.display_only, *(m.fgi or ()), *m.joint) if m else ()
        for code, cutoff in _deprecated(codes) if codes else ():
            if doc.date >= cutoff:  # type: ignore[operator]
                yield Hit(ref.span, f"Deprecated code `{code}` in `{ref.text.strip()}` "
                          f"(deprecated since {cutoff.isoformat()}). Replace it with a current "
                          "code.", key=_key(ref, code), severity=Severity.WARNING)


@rule("MK209", "syntax-fgi-list", Severity.ERROR, catalogue="B09",
      needs=("dev:syntax-fgi-list",))
def fgi_list(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An FGI list is malformed.

    ## What it checks
    The FGI list is space-separated, trigraphs then tetragraphs alphabetically, and never
    contains USA.

    ## Why
    ISM-ID-00095 and the CAPCO FGI template.

    ## Example
    `SECRET//FGI NATO GBR` and `SECRET//FGI GBR, JPN` fail; `SECRET//FGI GBR JPN NATO`
    passes.

    ## Fix
    Rewrite the list as shown in the message.
    """
    yield from _simple(doc, "syntax-fgi-list", "Malformed FGI list")


@rule("MK210", "syntax-banner-form", Severity.ERROR, catalogue="B10",
      needs=("dev:syntax-banner-form",))
def banner_form(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A banner uses portion forms, abbreviations of the level, or lowercase.

    ## What it checks
    Banners are uppercase, spell the classification out and use Register titles or banner
    abbreviations, never portion forms.

    ## Why
    CAPCO §D.1 and §G Table 4.

    ## Example
    `S//NF`, `Secret//Noforn`, `SECRET//NF` fail; `SECRET//NOFORN` passes.

    ## Fix
    Use the banner form given in the message.
    """
    yield from _simple(doc, "syntax-banner-form", "Banner written in a non-banner form")


@rule("MK211", "syntax-portion-form", Severity.WARNING, catalogue="B11",
      needs=("dev:syntax-portion-form",))
def portion_form(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A portion mark uses banner titles or banner abbreviations.

    ## What it checks
    Portion marks use portion abbreviations (TS, S, C, U, OC, NF, XD ...).

    ## Why
    CAPCO §C.1 and §G Table 4.

    ## Example
    `(SECRET//NOFORN)` and `(S//NOFORN)` fail; `(S//NF)` passes.

    ## Fix
    Use the portion form given in the message.
    """
    yield from _simple(doc, "syntax-portion-form", "Portion mark written in banner form")


@rule("MK212", "syntax-sbu-les-noforn-hyphen", Severity.WARNING, catalogue="B12",
      needs=("dev:syntax-sbu-les-noforn-hyphen",))
def sbu_les_noforn(doc: Document, ctx: Context) -> Iterator[Hit]:
    """SBU NOFORN / LES NOFORN written with the wrong separator.

    ## What it checks
    Banners write `SBU NOFORN` / `LES NOFORN` (space); portions `SBU-NF` / `LES-NF`.

    ## Why
    The one exception to "same separators" in CAPCO §A.6.

    ## Example
    Banner `UNCLASSIFIED//SBU-NF` and portion `(U//SBU NF)` fail.

    ## Fix
    Use the form given in the message.
    """
    yield from _simple(doc, "syntax-sbu-les-noforn-hyphen", "Wrong SBU/LES NOFORN form")


@rule("MK213", "syntax-non-us-prefix", Severity.ERROR, catalogue="B13",
      needs=("dev:syntax-non-us-prefix",))
def non_us_prefix(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Non-US or JOINT marking without the leading `//`, or a US marking with one.

    ## What it checks
    Non-US and JOINT classifications begin with `//`; US classifications never do.

    ## Why
    CAPCO §A.6, §H.2, §H.3.

    ## Example
    `NATO SECRET`, `(DEU S)`, `//SECRET` fail; `//NATO SECRET`, `(//DEU S)` pass.

    ## Fix
    Add or remove the leading `//` as shown.
    """
    yield from _simple(doc, "syntax-non-us-prefix", "Wrong non-US prefix")


@rule("MK214", "syntax-empty-or-padded-category", Severity.ERROR, catalogue="B14",
      needs=(("mark-error", "dev:syntax-empty-or-padded-category"),))
def empty_or_padded(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Empty category, trailing separator or spaces next to a separator.

    ## What it checks
    No `////`, no trailing `//`, no spaces around `/` or `//`.

    ## Why
    CAPCO §D.1: no placeholders; §A.6: no interjected spaces.

    ## Example
    `SECRET////NOFORN`, `SECRET// NOFORN`, `SECRET//NOFORN//` fail; so do the empty list
    entries and trailing commas of `SECRET//REL TO USA,, GBR` and `(S//REL TO USA, GBR,)`,
    which make the marking unreadable as written. Such a marking is still read without the
    empty entries, so that the roll-up checks see what it says.

    ## Fix
    Remove the empty category or the spaces.
    """
    yield from _simple(doc, "syntax-empty-or-padded-category", "Empty or padded category")
    for ref, _ in _unreadable(doc, "MK214"):
        assert ref.error is not None
        fix = _readable_fix(ref) or " Remove the empty entries and separators."
        yield Hit(ref.span, f"Empty list entry or trailing separator in "
                  f"`{_shown(ref.text)}`: the marking {_why(ref.error)}.{fix}",
                  key=_key(ref, "unreadable"))


@rule("MK215", "syntax-single-classification", Severity.ERROR, catalogue="B15",
      needs=("dev:syntax-single-classification",))
def single_classification(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A marking carries more than one classification.

    ## What it checks
    Exactly one level and only one of the US / non-US / JOINT slots per marking.

    ## Why
    CAPCO §A.5: the classification slots are mutually exclusive.

    ## Example
    `(S/C)`, `TOP SECRET SECRET`, `SECRET//NATO SECRET` fail; `SECRET//FGI NATO` passes.

    ## Fix
    Keep one classification (use FGI for foreign content in a US document).
    """
    yield from _simple(doc, "syntax-single-classification", "Second classification")


@rule("MK216", "syntax-portion-delimiters", Severity.ERROR, catalogue="B16",
      needs=(("mark-error", "dev:syntax-portion-delimiters"),))
def portion_delimiters(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A portion mark is not one clean pair of uppercase parentheses.

    ## What it checks
    Half-open (`1. C) Text`), unclosed (`(S//NF Text`), doubled (`(S)(NF)`) or bracketed
    (`[S]`) portion marks, lowercase letters (`(s)`) and padding inside the parentheses.
    Malformed marks are looked for only where a portion starts, so bracketed words in prose
    are left alone. Such a mark is one finding: the portion is not also reported as unmarked,
    and its reading (`(S//NF)`) counts in the roll-up. In a State cable a release list
    (`(S/REL to RUSSIA)`) is left to `cable-rel-country-names`, which gives the whole fix.

    ## Why
    CAPCO §C.1 and 5 FAH-1 H-240: one pair of parentheses immediately before the text.

    ## Example
    `(S)(NF)`, `[S]`, `(s)` fail; `(S//NF)` passes.

    ## Fix
    Write the mark as shown in the message.
    """
    cable = doc.style == "cable"
    for ref, is_portion, d in _deviations(doc, "syntax-portion-delimiters"):
        if cable and _cable_release_list(ref):
            continue  # `(S/REL to RUSSIA)`: MK508 gives the whole corrected form
        yield Hit(ref.span, f"Malformed portion mark in `{ref.text.strip()}`"
                  f"{_detail('Malformed portion mark', d.detail)}.{_fix(d)}",
                  key=_key(ref, d.detail))
    for ref, is_portion in _unreadable(doc, "MK216"):
        if is_portion:
            fixed = _repaired_portion(ref.text)
            yield Hit(ref.span, f"Malformed portion mark `{_shown(ref.text)}`: a portion mark "
                      f"is one pair of parentheses. Write {fixed}.", key=_key(ref))


def _repaired_portion(text: str) -> str:
    """``C)`` -> `` `(C)` ``, ``(S)(NF)`` -> `` `(S//NF)` ``, ``[S]`` -> `` `(S)` ``."""
    import re

    parts = [x.strip() for x in re.split(r"[()\[\]]+", text) if x.strip()]
    if parts:
        try:
            from markings.parse import parse_portion

            joined = "(" + "//".join(parts) + ")"
            m = parse_portion(joined)
            return f"`{joined if not m.deviations else m.portion()}`"
        except ValueError:
            pass
    return "e.g. `(S//NF)`"


@rule("MK217", "syntax-sci-structure", Severity.ERROR, catalogue="B17", profiles=IC,
      needs=("dev:syntax-sci-structure",))
def sci_structure(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An SCI compartment is detached from its system, or a system lacks its compartment.

    ## What it checks
    Compartments attach to their system with a hyphen; bare RSV is an error and bare HCS a
    warning.

    ## Why
    ISM-ID-00186, -00187, -00241 and the HCS and RSV templates.

    ## Example
    `TOP SECRET//G ABCD//ORCON/NOFORN` and `TOP SECRET//RSV//NOFORN` fail.

    ## Fix
    Write the system and compartment together, e.g. `SI-G ABCD`, `HCS-P`.
    """
    for ref, _, d in _deviations(doc, "syntax-sci-structure"):
        sev = Severity.WARNING if d.detail == "HCS" else None
        what = "needs a compartment" if d.detail in ("HCS", "RSV") else \
            "compartment written without its control system"
        yield Hit(ref.span, f"SCI `{d.detail}` {what} in `{ref.text.strip()}`.{_fix(d)}",
                  key=_key(ref, d.detail), severity=sev)


@rule("MK218", "syntax-sap", Severity.WARNING, catalogue="B18",
      needs=("dev:syntax-sap",))
def sap_syntax(doc: Document, ctx: Context) -> Iterator[Hit]:
    """`SAR-` repeated for each program (pre-December-2011 form).

    ## What it checks
    The SAP category starts with `SAR-` once, then programs separated by `/`.

    ## Why
    CAPCO §A.6 SAP paragraph and §I Table 8.

    ## Example
    `SECRET//SAR-ABC/SAR-DEF//NOFORN` fails; `SECRET//SAR-ABC/DEF//NOFORN` passes.

    ## Fix
    Write `SAR-` once.
    """
    yield from _simple(doc, "syntax-sap", "Repeated `SAR-`")


# (reports a qualifier deviation, or a banner at UNCLASSIFIED with an unclassified control
# in a document with a classified portion)
@rule("MK219", "syntax-prohibited-qualifier", Severity.ERROR, catalogue="B19",
      needs=(("dev:syntax-prohibited-qualifier", *_UNCLASS_CONTROLS),
             ("dev:syntax-prohibited-qualifier", U_BANNER_CONTROL),
             ("dev:syntax-prohibited-qualifier", *CLASSIFIED_LEVELS)))
def prohibited_qualifier(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classification is qualified, or an unclassified control labels classified content.

    ## What it checks
    Words combined with a level (`SECRET SENSITIVE`), and banners made only of unclassified
    control terms (FOUO, SBU, LIMITED OFFICIAL USE, SSI) on documents with classified
    portions.

    ## Why
    32 CFR 2001.23(a) marking prohibitions.

    ## Example
    Banner `SECRET SENSITIVE` fails; banner `FOR OFFICIAL USE ONLY` with `(C)` portions
    fails.

    ## Fix
    Use the classification alone, and the level the portions require.
    """
    for ref, _, d in _deviations(doc, "syntax-prohibited-qualifier"):
        written = d.detail if d.detail and d.detail.upper() != ref.text.strip().upper() else ""
        shown = f" (`{written}`)" if written else ""
        yield Hit(ref.span, f"Qualifier added to a level in `{ref.text.strip()}`{shown}: no "
                  f"other word may be combined with a classification.{_fix(d)}",
                  key=_key(ref, d.detail))
    classified = any(m.level > Level.U for m in doc.portion_marks_memo())
    if not classified:
        return
    for b in doc.banners:
        m = b.marking
        if m is None or m.level != Level.U:
            continue
        terms = [c for c in (*m.dissem, *m.nonic) if c in _UNCLASS_CONTROLS]
        if terms:
            yield Hit(b.span, f"Unclassified control `{terms[0]}` used as the marking "
                      f"`{b.text.strip()}` of a document with classified portions. Use the "
                      "classification the portions require.", key=_key(b, terms[0]))


def _deprecated(codes: tuple[str, ...]) -> list[tuple[str, _dt.date]]:
    from markings.vocab import DEPRECATED_CODES

    return [(c, _dt.date.fromisoformat(DEPRECATED_CODES[c])) for c in codes
            if c in DEPRECATED_CODES]


@rule("MK220", "syntax-deprecated-token", Severity.WARNING, catalogue="B20",
      needs=((REL_LIST, DISPLAY_LIST, FGI, JOINT, "EYES ONLY"),))
def deprecated_token(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A token past its deprecation date for this document.

    ## What it checks
    EYES ONLY after 2017-10-01; tetragraphs ISAF, EFOR, SFOR after 2016-03-17. Without a
    document date the finding is INFO.

    ## Why
    ISM deprecation rules (ISM-ID-00166 to -00211) and the EYES ONLY template.

    ## Example
    `SECRET//REL TO USA, ISAF` on a 2020 document fails; on a 2012 document it passes.

    ## Fix
    Replace the token (e.g. `NATO` for `ISAF`, `REL TO` for EYES ONLY).
    """
    for ref, _ in _refs(doc):
        m = ref.marking
        if m is None:
            continue
        codes = (*m.rel_to, *m.display_only, *(m.fgi or ()), *m.joint)
        found = _deprecated(codes) if codes else []
        if "EYES ONLY" in m.dissem:
            found.append(("EYES ONLY", _EYES_END))
        for token, cutoff in found:
            if doc.date is None:
                sev: Severity | None = Severity.INFO
            elif doc.date >= cutoff:
                sev = None
            else:
                continue
            yield Hit(ref.span, f"`{token}` in `{ref.text.strip()}` is deprecated since "
                      f"{cutoff.isoformat()}"
                      + (" (document date unknown)" if doc.date is None else "")
                      + ". Replace it with a current token.", key=_key(ref, token),
                      severity=sev)


@rule("MK221", "syntax-legacy-banner-declass", Severity.INFO, catalogue="B21",
      needs=("dev:syntax-legacy-banner-declass",))
def legacy_banner_declass(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declassification value appended to the banner (pre-February-2008 syntax).

    ## What it checks
    Banners such as `SECRET//NOFORN//20291231`, `//X1`, `//25X1`, `//MR`: INFO for older
    documents (or an unknown date), WARN for documents dated February 2008 or later.

    ## Why
    CAPCO §I Table 8 (Feb 2008): the value belongs in the classification authority block.

    ## Example
    `SECRET//NOFORN//20291231` on a 2015 document warns.

    ## Fix
    Drop the value from the banner and put it on the `Declassify On:` line.
    """
    sev = Severity.WARNING if doc.date is not None and doc.date >= _BANNER_DECLASS_END else None
    for ref, _, d in _deviations(doc, "syntax-legacy-banner-declass"):
        m = ref.marking
        assert m is not None
        value = m.declass or d.detail.lstrip("/")
        # the parser's canonical form keeps the field; the fix is the banner without it
        try:
            bare = m.model_copy(update={"declass": None}).banner()
        except Exception:  # noqa: BLE001  rendering must never break the rule
            bare = None
        where = f"Write `{bare}` and put" if bare else "Drop it from the banner and put"
        yield Hit(ref.span, f"Declassification value `{value}` in the banner "
                  f"`{ref.text.strip()}` (pre-2008 syntax). {where} `{value}` on the "
                  "`Declassify On:` line of the authority block.",
                  key=_key(ref, d.detail), severity=sev)
