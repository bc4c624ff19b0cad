"""Catalogue group C: presence checks (banners, portion marks, authority block, notices).

Codes ``MK301``-``MK316`` (C01 -> MK301 ...). These rules ask whether something that must be
there is there: a banner, a portion mark, a classification authority block and its lines,
a required warning notice, a transmittal statement, a date of origin.

State cables have their own equivalents (the classification line, the ``E.O. nnnnn: DECL:``
line and the ``Classified By: ... Reason(s) 1.4 (b) and (d)`` line) that the group E rules
check; the memo-format rules here therefore run in the ``capco`` and ``isoo`` profiles, and
accept the cable form when a cable is checked under them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from itertools import pairwise

from markings.document import AEA, CLASSIFIED_LEVELS, SCI, Document, Portion
from markings.findings import Severity, Span
from markings.model import Level, Marking
from markings.profiles import IC
from markings.registry import Context, Hit, rule

MEMO = ("capco", "isoo")
ALL = ("capco", "state-cable", "isoo")

_WAIVER_RE = re.compile(
    r"portion[- ]?mark(?:ing|ed|s)?\b[^.\n]{0,80}\bwaive[dr]?|waiver\b[^.\n]{0,80}portion"
    r"|(?:may|shall|must)\s+not\s+be\s+used\s+as\s+a\s+(?:basis|source)\s+for\s+derivative"
    r"\s+classification", re.IGNORECASE)
_ATTACH_RE = re.compile(
    r"^[ \t]*(?:attachments?|enclosures?|encls?\.?|tabs?)\b\s*(?:\(?\d+\)?|[A-Z])?\s*[:\-]"
    r"|\b(?:attachments?|enclosures?)\s*\(\d+\)"
    r"|\b(?:is|are)\s+(?:attached|enclosed)\b", re.IGNORECASE | re.MULTILINE)
_TRANSMITTAL_RE = re.compile(
    r"upon\s+removal\s+of|when\s+(?:the\s+)?(?:attachments?|enclosures?)\s+(?:is|are)\s+"
    r"(?:removed|detached|separated)|(?:separated|detached|removed)\s+from\s+(?:its\s+|the\s+)?"
    r"(?:attachments?|enclosures?)", re.IGNORECASE)
_DERIVED_IN_CB_RE = re.compile(r"deriv", re.IGNORECASE)
_REASON_NEAR_RE = re.compile(r"\b1\s*[.,/]\s*[45]\b")
_TRUNCATED_RE = re.compile(r"(?:\.\.\.|\u2026)\s*$")
_AEA_NOTICE_RE = re.compile(
    r"restricted\s+data.{0,300}?atomic\s+energy\s+act|atomic\s+energy\s+act.{0,300}?"
    r"restricted\s+data", re.IGNORECASE | re.DOTALL)
_AEA_NOTICE_STRICT_RE = re.compile(
    r"this\s+(?:document|material|product|report)\s+contains\s+(?:formerly\s+)?restricted\s+"
    r"data", re.IGNORECASE)

# control -> (label for messages, notice regex searched with the markings blanked out)
_NOTICES: dict[str, tuple[str, re.Pattern[str]]] = {
    "RD": ("Restricted Data", _AEA_NOTICE_RE),
    "FRD": ("Formerly Restricted Data", _AEA_NOTICE_RE),
    "CNWDI": ("CNWDI", re.compile(r"critical\s+nuclear\s+weapon\s+design\s+information"
                                  r"|5210\.0?2", re.IGNORECASE)),
    "IMCON": ("Controlled Imagery", re.compile(r"controlled\s+imagery", re.IGNORECASE)),
    "FISA": ("FISA", re.compile(r"foreign\s+intelligence\s+surveillance\s+act|FISA[- ]derived"
                                r"|derived\s+from\s+FISA", re.IGNORECASE)),
    "RAWFISA": ("FISA", re.compile(r"foreign\s+intelligence\s+surveillance\s+act"
                                   r"|FISA[- ]derived|derived\s+from\s+FISA", re.IGNORECASE)),
    "LES": ("Law Enforcement Sensitive", re.compile(r"law\s+enforcement\s+sensitive", re.IGNORECASE)),
    "LES NOFORN": ("Law Enforcement Sensitive", re.compile(r"law\s+enforcement\s+sensitive",
                                                            re.IGNORECASE)),
    "SSI": ("Sensitive Security Information", re.compile(
        r"sensitive\s+security\s+information|49\s*C\.?F\.?R\.?\s*(?:parts?\s*)?1520", re.IGNORECASE)),
    "LIMDIS": ("Limited Distribution", re.compile(r"limited\s+distribution", re.IGNORECASE)),
    "RSEN": ("Risk Sensitive", re.compile(r"risk\s+sensitive", re.IGNORECASE)),
    "TK": ("TALENT KEYHOLE", re.compile(r"talent[\s-]*keyhole", re.IGNORECASE)),
}


# --- helpers -------------------------------------------------------------------------------

def _is_cable(doc: Document) -> bool:
    """A State cable: scanned as one, or carrying a cable id (even when its header was lost)."""
    return doc.style == "cable" or bool(doc.cable_id)


def _overall(doc: Document) -> Marking | None:
    try:
        m = doc.overall_memo()
    except Exception:  # noqa: BLE001  (roll-up failing: fall back to the first banner)
        m = None
    if m is None:
        m = next((b.marking for b in doc.banners if b.marking is not None), None)
    return m


def _level(doc: Document) -> Level:
    """The highest level the document shows, in its banner or in any portion."""
    levels = [m.level for m in doc.portion_marks_memo()]
    ov = _overall(doc)
    if ov is not None:
        levels.append(ov.level)
    return max(levels, default=Level.U)


def _is_classified(doc: Document) -> bool:
    return _level(doc) > Level.U


def _controlled(m: Marking) -> bool:
    return bool(m.dissem or m.nonic or m.aea or m.sci or m.sap or m.fgi is not None
                or m.rel_to or m.rel_abbrev or m.display_only or m.eyes)


def _first_line_span(doc: Document, span: Span) -> Span:
    if not doc.text or span.end <= span.start:
        return span
    nl = doc.text.find("\n", span.start, span.end)
    end = nl if nl > span.start else span.end
    return doc.span(span.start, end)


def _portion_key(doc: Document, p: Portion) -> str:
    snippet = " ".join(doc.text[p.span.start:p.span.end].split()[:12]) if doc.text else ""
    digest = hashlib.sha1(snippet.encode()).hexdigest()[:10]
    return f"{p.kind} {p.number or ''} {digest}".strip()


def _doc_span(doc: Document) -> Span:
    if doc.banners:
        return doc.banners[0].span
    if doc.portions:
        return _first_line_span(doc, doc.portions[0].span)
    return Span()


def _blanked_text(doc: Document) -> str:
    """The document text with every banner, portion mark and caption replaced by spaces."""
    return doc.memo("presence.blanked_text", _blank_marks)


def _blank_marks(doc: Document) -> str:
    text = doc.text
    if not text:
        return ""
    spans = [b.span for b in doc.banners] + [c.span for c in doc.captions]
    spans += [p.mark.span for p in doc.portions if p.mark is not None]
    n = len(text)
    regions = sorted((max(0, sp.start), min(n, sp.end)) for sp in spans)
    out: list[str] = []
    pos = 0  # text before ``pos`` is done
    for a, b in regions:
        a = max(a, pos)
        if a >= b:
            continue
        out.append(text[pos:a])
        seg = text[a:b]
        out.append(" " * len(seg) if "\n" not in seg else
                   "\n".join(" " * len(x) for x in seg.split("\n")))
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _has_waiver(doc: Document) -> bool:
    return bool(doc.text and _WAIVER_RE.search(doc.text))


_KIND_NOUN = {"numbered": "paragraph", "paragraph": "paragraph", "subparagraph": "sub-paragraph",
              "bullet": "bullet", "summary": "summary", "title": "title", "subject": "subject line",
              "signature": "signature block"}


def _portion_label(p: Portion) -> str:
    """``paragraph 1``, ``sub-paragraph B``, ``this paragraph``, ``this bullet``."""
    noun = _KIND_NOUN.get(p.kind, p.kind)
    return f"{noun} {p.number}" if p.number else f"this {noun}"


def _unmarked_hits(doc: Document, candidates: list[Portion], what: str, sev: Severity | None,
                   fix: str) -> Iterator[Hit]:
    """One hit per unmarked portion, or a single hit when the document has no mark at all."""
    unmarked = [p for p in candidates if p.mark is None]
    if not unmarked:
        return
    any_marked = any(p.mark is not None for p in doc.portions)
    if not any_marked:
        yield Hit(_first_line_span(doc, unmarked[0].span),
                  f"{what}: none of its {len(unmarked)} portions carries a portion mark. "
                  f"{fix}", key="no portion marks", severity=sev)
        return
    for p in unmarked:
        psev = sev
        if p.kind == "subparagraph" and p.parent is not None and 0 <= p.parent < len(
                doc.portions):
            parent = doc.portions[p.parent]
            if parent.mark is not None:
                psev = Severity.INFO  # may inherit the parent's identical level
        yield Hit(_first_line_span(doc, p.span), f"{what}: {_portion_label(p)} has no portion mark. "
                                                 f"{fix}", key=_portion_key(doc, p),
                  severity=psev)


# --- C01 - C05 ------------------------------------------------------------------------------

@rule("MK301", "presence-banner-missing", Severity.ERROR, catalogue="C01", profiles=MEMO)
def presence_banner_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A document with classified or controlled portions has no banner (overall marking).

    ## What it checks
    A document whose portions are classified, or carry a control marking (FOUO, SBU,
    PROPIN ...), must show its overall marking as a banner line at the top and at the bottom.
    A missing bottom banner is reported as a warning. State cables are checked by the cable
    rules instead (one classification line per section).

    ## Why
    32 CFR 2001.21 (overall marking) and 2001.20; CAPCO sections B.8 and D.

    ## Example
    No banner, first paragraph `(S) The delegation ...`.

    ## Fix
    Add the overall marking, e.g. `SECRET`, as the first and last line of the page.
    """
    marks = doc.portion_marks_memo()
    if _is_cable(doc):
        return  # cables: the classification-line rules (group E)
    needed = [m for m in marks if m.level > Level.U or _controlled(m)]
    if not needed:
        return
    top = max(needed, key=lambda m: m.level)
    shown = f"`{top.raw}`" if top.raw else f"level {top.level.title}"
    if not doc.banners:
        yield Hit(_doc_span(doc), f"The document has no banner although its portions are "
                                  f"classified or controlled (e.g. {shown}). Add the overall "
                                  "marking at the top and bottom of the page.",
                  key="no banner")
        return
    if _is_cable(doc):
        return
    if not any(b.position == "bottom" for b in doc.banners):
        first = doc.banners[0]
        yield Hit(first.span, f"The banner `{first.text}` appears at the top only. Repeat the "
                              "overall marking at the bottom of the page.",
                  key=f"no bottom {first.text}", severity=Severity.WARNING)


@rule("MK302", "presence-banner-top-bottom-mismatch", Severity.ERROR, catalogue="C02",
      profiles=MEMO)
def presence_banner_top_bottom_mismatch(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Top and bottom banners (or the banners of different pages) differ.

    ## What it checks
    Every top and bottom banner must carry the same overall marking as the first top banner
    (compared by meaning, so `SECRET//NOFORN` and `SECRET//NOT RELEASABLE TO FOREIGN
    NATIONALS` agree). In a document with page breaks (form-feed characters) the banners are
    compared page by page: the bottom banner of each page must match that page's top banner
    (an interior page may show its own highest level instead of the overall marking, which
    `presence-page-banner-below-content` checks). Cable section lines are checked by the
    cable rules.

    ## Why
    CAPCO section D (banner placement); 32 CFR 2001.21.

    ## Example
    Top `SECRET//NOFORN`, bottom `SECRET`.

    ## Fix
    Make every banner show the same overall marking.
    """
    if _is_cable(doc):
        return
    text = doc.text
    if text and "\f" in text:
        bounds = [0] + [i + 1 for i, c in enumerate(text) if c == "\f"] + [len(text) + 1]
        for page, (start, end) in enumerate(pairwise(bounds), 1):
            on_page = sorted((b for b in doc.banners if start <= b.span.start < end
                              and b.marking is not None), key=lambda b: b.span.start)
            if len(on_page) < 2:
                continue
            head = on_page[0]
            for b in on_page[1:]:
                if b.marking == head.marking:
                    continue
                yield Hit(b.span, f"The bottom banner `{b.text}` of page {page} differs from "
                                  f"the page's top banner `{head.text}`. Use the same marking "
                                  "at the top and bottom of a page.",
                          key=f"page {page}: {head.text} | {b.text}", related=(head.span,))
        return
    lines = [b for b in doc.banners if b.position in ("top", "bottom") and b.marking is not None]
    if len(lines) < 2:
        return
    ref = next((b for b in lines if b.position == "top"), lines[0])
    for b in lines:
        if b is ref or b.marking == ref.marking:
            continue
        yield Hit(b.span, f"The {b.position} banner `{b.text}` differs from the top banner "
                          f"`{ref.text}`. Use the same overall marking on every banner.",
                  key=f"{ref.text} | {b.text}", related=(ref.span,))


@rule("MK303", "presence-page-banner-below-content", Severity.ERROR, catalogue="C03",
      profiles=MEMO)
def presence_page_banner_below_content(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A page banner is lower than a portion on the same page.

    ## What it checks
    Only for documents with page breaks (form-feed characters, as in text extracted from
    PDF): every banner on a page must be at least as high as every portion mark on that page.
    Without page breaks the check is skipped (the roll-up rules compare the whole document).

    ## Why
    CAPCO section D: a page shows either its own highest marking or the overall marking.

    ## Example
    Page 3 banner `CONFIDENTIAL`; page 3 contains `(S//NF)`.

    ## Fix
    Raise the page banner, e.g. `SECRET//NOFORN`.
    """
    text = doc.text
    if not text or "\f" not in text:
        return
    bounds = [0] + [i + 1 for i, c in enumerate(text) if c == "\f"] + [len(text) + 1]
    for start, end in pairwise(bounds):
        page_banners = [b for b in doc.banners
                        if start <= b.span.start < end and b.marking is not None]
        page_marks = [p.mark for p in doc.portions
                      if p.mark is not None and p.mark.marking is not None
                      and start <= p.span.start < end]
        if not page_banners or not page_marks:
            continue
        top = max(page_marks, key=lambda r: r.marking.level if r.marking else Level.U)
        assert top.marking is not None
        for b in page_banners:
            assert b.marking is not None
            if b.marking.level < top.marking.level:
                yield Hit(b.span, f"The page banner `{b.text}` is lower than the portion "
                                  f"`{top.text}` on the same page. Raise the page banner to at "
                                  "least that level.", key=f"{b.text} < {top.text}",
                          related=(top.span,))


@rule("MK304", "presence-unmarked-portion", Severity.ERROR, catalogue="C04", profiles=MEMO)
def presence_unmarked_portion(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A portion of a classified document carries no portion mark.

    ## What it checks
    In a classified document every paragraph, bullet, summary and sub-paragraph must begin
    with a portion mark. Unmarked sub-paragraphs under a marked parent are INFO (they may
    inherit an identical level). Titles and subjects are checked by MK315; when no portion
    is marked at all a single finding is given, and none when a portion-marking waiver
    notice is present (MK316). State cable paragraphs are checked by the cable rules.

    ## Why
    32 CFR 2001.21 (portion marking); CAPCO section C; ISM-ID-00324.

    ## Example
    Banner `SECRET`; `(S) First paragraph.` then `Second paragraph with no mark.`

    ## Fix
    Mark the portion, e.g. `(U) Second paragraph.`
    """
    if _is_cable(doc) or not _is_classified(doc):
        return
    if not doc.portion_marks_memo() and _has_waiver(doc):
        return
    cands = [p for p in doc.portions if p.kind not in ("subject", "title", "signature")]
    yield from _unmarked_hits(doc, cands, "Classified document",
                              None, "Begin every portion with its mark, e.g. `(U)`.")


@rule("MK305", "presence-unmarked-controlled-unclassified", Severity.ERROR, catalogue="C05",
      profiles=MEMO)
def presence_unmarked_controlled_unclassified(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An unclassified document with a control marking in its banner is not portion marked.

    ## What it checks
    When the overall marking of an unclassified document carries a control (FOUO, SBU,
    PROPIN, LES ...), every portion must be marked. A plain `UNCLASSIFIED` document needs no
    portion marks. State cables (`UNCLAS` with a `SENSITIVE` caption) are left to the cable
    rules: their numbered sub-lists inside a marked paragraph are not portions.

    ## Why
    CAPCO section C.1 ("portion mark all unclassified documents with dissemination control
    markings"); FOUO template.

    ## Example
    Banner `UNCLASSIFIED//FOUO`; paragraphs unmarked.

    ## Fix
    Mark every paragraph, e.g. `(U//FOUO)` or `(U)`.
    """
    ov = _overall(doc)
    if ov is None or ov.level > Level.U or _is_classified(doc) or not _controlled(ov):
        return
    if _is_cable(doc):
        return  # SBU cables: the cable rules check paragraph marks
    cands = [p for p in doc.portions if p.kind not in ("signature",)]
    yield from _unmarked_hits(doc, cands, "Controlled unclassified document", None,
                              "Mark every portion, e.g. `(U)` or the portion's control.")


# --- C06 - C10 ------------------------------------------------------------------------------

def _cab_present(doc: Document) -> bool:
    a = doc.authority
    if a is None:
        return False
    return bool(a.classified_by or a.derived_from or a.reasons or a.declassify_on
                or a.decl is not None)


@rule("MK306", "presence-cab-missing", Severity.ERROR, catalogue="C06", profiles=MEMO)
def presence_cab_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified document has no classification authority block.

    ## What it checks
    A classified document must carry `Classified By`, then `Reason` (original) or
    `Derived From` (derivative), then `Declassify On`. For a State cable checked under this
    profile, the `E.O. nnnnn: DECL: ...` line or the `Classified By: ... Reason(s) ...` line
    counts as the block (the cable rules check the cable lines in detail).

    ## Why
    32 CFR 2001.21(a), 2001.22; CAPCO sections B.8 and E; ISM-ID-00013, -00142.

    ## Example
    Banner `SECRET`, portions marked, no authority block.

    ## Fix
    Add `Classified By: <name and position>`, `Reason: 1.4(c)` (or `Derived From: ...`) and
    `Declassify On: 20350101`.
    """
    if not _is_classified(doc) or _cab_present(doc):
        return
    yield Hit(_doc_span(doc), "The document is classified but has no classification authority "
                              "block. Add `Classified By`, `Reason` or `Derived From`, and "
                              "`Declassify On`.", key="no authority block")


@rule("MK307", "presence-reason-missing", Severity.ERROR, catalogue="C07", profiles=ALL,
      needs=("authority", CLASSIFIED_LEVELS))
def presence_reason_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An originally classified document does not cite a classification reason.

    ## What it checks
    A block with `Classified By` and no `Derived From` is an original classification and
    needs a Reason citing a section 1.4 category. In State cables the reason is part of the
    `Classified By: ... Reason(s) 1.4 (b) and (d)` line (a reason on the next line, or in
    the few hundred characters after it, is accepted); a cable line saying the text was
    derived from sources is treated as derivative, and a line cut off with `...` (as in
    published extracts) is not judged.

    ## Why
    32 CFR 2001.21(a)(3); CAPCO section E.1; ISM-ID-00017.

    ## Example
    `Classified By: <name>, Director` then `Declassify On: 20350101`.

    ## Fix
    Add `Reason: 1.4(b)` (cables: `Classified By: <name>. Reasons 1.4 (b) and (d).`).
    """
    a = doc.authority
    if a is None or not a.classified_by or a.derived_from or a.reasons:
        return
    if not _is_classified(doc):
        return  # an authority block on an unclassified document is MK310's business
    sp = a.classified_by_span or _doc_span(doc)
    if doc.text and a.classified_by_span is not None:
        window = doc.text[a.classified_by_span.start:a.classified_by_span.end + 400]
        if _DERIVED_IN_CB_RE.search(window[: max(80, a.classified_by_span.end
                                                 - a.classified_by_span.start)]):
            return
        if _REASON_NEAR_RE.search(window):
            return
        line_end = doc.text.find("\n", a.classified_by_span.start)
        line = doc.text[a.classified_by_span.start:line_end if line_end >= 0 else None]
        if _TRUNCATED_RE.search(line):
            return  # the line was cut off in publication ("for reasons ..."): undecidable
    yield Hit(sp, "The document has a Classified By line but no Reason and no Derived From "
                  "line. Cite the reason, e.g. `Reason: 1.4(b)` (cables: `Reasons 1.4 (b) "
                  "and (d)`).", key="no reason")


@rule("MK308", "presence-derivative-block", Severity.WARNING, catalogue="C08", profiles=MEMO)
def presence_derivative_block(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A derivative authority block is incomplete or carries a Reason.

    ## What it checks
    `Derived From` must name its source; a derivative block does not carry a `Reason` line;
    `Derived From: Multiple Sources` needs a source list on or attached to the document.

    ## Why
    32 CFR 2001.22(b); CAPCO sections E.2 and E.3; ISM-ID-00143, -00221, -00367.

    ## Example
    `Derived From: Multiple Sources` with no list; `Derived From: CG 12` plus
    `Reason: 1.4(c)`.

    ## Fix
    Name the source (and its date), drop the Reason line, and add a "Sources:" list for
    Multiple Sources.
    """
    a = doc.authority
    if a is None or a.derived_from is None:
        return
    sp = a.derived_from_span or _doc_span(doc)
    src = a.derived_from.strip()
    if not src:
        yield Hit(sp, "The Derived From line names no source. Name the source document or "
                      "classification guide, with its agency and date.", key="empty source")
    if a.reasons:
        rsp = a.reasons[0].span or sp
        yield Hit(rsp, f"A derivative block carries a Reason (`{a.reasons[0].section}`); "
                       "reasons are not carried forward from sources. Remove the Reason line.",
                  key="reason on derivative")
    if re.search(r"multiple\s+sources", src, re.IGNORECASE) and not a.sources_list:
        yield Hit(sp, "`Derived From: Multiple Sources` has no source list. List the sources "
                      "on or with the document.", key="no sources list")


@rule("MK309", "presence-declassify-on-missing", Severity.ERROR, catalogue="C09",
      profiles=MEMO)
def presence_declassify_on_missing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An authority block has no Declassify-On value.

    ## What it checks
    A block that is otherwise present (`Classified By`, `Reason` or `Derived From`) must
    give a declassification instruction: a date, event, exemption, or the N/A-to-AEA/NATO
    statement. For a State cable the `DECL:` value of the `E.O.` line is that instruction;
    no `Declassify On:` line is expected there.

    ## Why
    32 CFR 2001.21(a)(4); CAPCO section E.1; ISM-ID-00014, -00141.

    ## Example
    `Classified By: <name>` then `Reason: 1.4(d)` and nothing else.

    ## Fix
    Add `Declassify On: 20301231`.
    """
    a = doc.authority
    if a is None or a.declass is not None or a.eo_na:
        return
    if not (a.classified_by or a.derived_from or a.reasons):
        return
    if not _is_classified(doc):
        return
    sp = a.classified_by_span or a.derived_from_span or _doc_span(doc)
    if _is_cable(doc):
        msg = ("The cable has a Classified By line but its E.O. line gives no DECL value. "
               "Add it, e.g. `E.O. 12958: DECL: 09/14/2015`.")
    else:
        msg = ("The authority block has no Declassify On line. Add one, e.g. "
               "`Declassify On: 20301231`.")
    yield Hit(sp, msg, key="no declassify on")


@rule("MK310", "presence-cab-on-unclassified", Severity.WARNING, catalogue="C10",
      profiles=MEMO)
def presence_cab_on_unclassified(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An unclassified document carries a classification authority block.

    ## What it checks
    An unclassified document (banner and portions all unclassified) must not carry
    `Classified By`, `Reason`, `Derived From` or `Declassify On`, nor a cable `DECL:` value
    (unclassified cables read `E.O. 12958: N/A`). Transmittal documents that say what they
    become without their attachments are exempt.

    ## Why
    CAPCO section H.1 (no authority block on unclassified information); ISM-ID-00016.

    ## Example
    Banner `UNCLASSIFIED`; `Declassify On: 20300101`.

    ## Fix
    Remove the authority block (cables: `E.O. 12958: N/A`), or correct the classification.
    """
    a = doc.authority
    if a is None or not _cab_present(doc):
        return
    ov = _overall(doc)
    if ov is None and not doc.portion_marks_memo():
        return
    if _is_classified(doc):
        return
    if doc.text and _TRANSMITTAL_RE.search(doc.text):
        return
    lines = []
    if a.classified_by:
        lines.append("Classified By")
    if a.reasons:
        lines.append("Reason")
    if a.derived_from is not None:
        lines.append("Derived From")
    if a.declassify_on is not None:
        lines.append("Declassify On")
    if a.decl is not None:
        lines.append("DECL")
    sp = (a.classified_by_span or a.declassify_on_span or a.eo_span or a.derived_from_span
          or _doc_span(doc))
    yield Hit(sp, f"The document is unclassified but carries authority lines "
                  f"({', '.join(lines)}). Remove them (cables: `E.O. 12958: N/A`), or correct "
                  "the classification.", key="cab on unclassified " + " ".join(lines))


# --- C11 - C16 ------------------------------------------------------------------------------

def _controls_in(doc: Document) -> dict[str, Marking]:
    """Each notice-bearing control found in the document's markings -> one marking with it."""
    found: dict[str, Marking] = {}
    marks = [b.marking for b in doc.banners if b.marking is not None]
    marks += doc.portion_marks_memo()
    # each distinct marking object once (a repeated mark is one shared object; a repeat
    # could only set ids that its first occurrence already set)
    for m in {id(m): m for m in marks}.values():
        ids: list[str] = []
        for tok in m.aea:
            t = tok.upper()
            for label in ("FRD", "RD", "CNWDI"):
                if t == label or t.startswith(label + "-") or t.endswith("-" + label):
                    ids.append(label)
        ids += [d for d in m.dissem if d in ("IMCON", "FISA", "RAWFISA", "RSEN")]
        ids += [n for n in m.nonic if n in ("LES", "LES NOFORN", "SSI", "LIMDIS")]
        if any(s.system == "TK" for s in m.sci):
            ids.append("TK")
        for i in ids:
            found.setdefault(i, m)
    if _is_cable(doc):
        found.pop("LIMDIS", None)  # a State distribution caption, not NGA LIMDIS (E13)
    return found


@rule("MK311", "presence-required-notice", Severity.WARNING, catalogue="C11", profiles=ALL,
      needs=((AEA, SCI, "IMCON", "FISA", "RAWFISA", "RSEN", "LES", "LES NOFORN", "SSI", "LIMDIS", "style:memo", "style:unmarked"),))
def presence_required_notice(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A marking that requires a warning notice appears without the notice (or vice versa).

    ## What it checks
    Documents marked RD, FRD, CNWDI, IMCON, FISA, RAWFISA, LES, LES NOFORN, SSI, LIMDIS (NGA)
    or RSEN, or carrying TALENT KEYHOLE, need the matching warning notice in the text. The
    notice is looked for outside the banners and portion marks by its characteristic words
    (e.g. "Restricted Data" with "Atomic Energy Act"). A memo that states "this document
    contains Restricted Data" without any RD or FRD marking is also reported. State `LIMDIS`
    captions are distribution captions and need no notice.

    ## Why
    CAPCO "Warnings and Notices" paragraphs of each marking template; ISM-ID-00127 to -00139
    and related rules.

    ## Example
    Portion `(S//RD//NF)` and no RD warning statement.

    ## Fix
    Add the notice required for the marking (for RD: the Atomic Energy Act warning) on the
    first page.
    """
    found = _controls_in(doc)
    has_text = bool(doc.text)  # the blanked text is built only when a notice is looked for
    for ident, m in sorted(found.items()):
        label, rx = _NOTICES[ident]
        if ident == "FRD" and "RD" in found:
            continue  # one AEA notice covers both
        if has_text and rx.search(_blanked_text(doc)):
            continue
        shown = m.raw or ident
        yield Hit(_doc_span(doc), f"The marking `{shown}` carries `{ident}` but the document "
                                  f"has no {label} warning notice. Add the notice the "
                                  f"`{ident}` marking requires.", key=f"missing {ident}")
    if not _is_cable(doc) and has_text and not ({"RD", "FRD"} & set(found)):
        mt = _AEA_NOTICE_STRICT_RE.search(_blanked_text(doc))
        if mt:
            yield Hit(doc.span(mt.start(), mt.end()),
                      "The document has a Restricted Data warning notice but no `RD` or `FRD` "
                      "marking. Mark the RD/FRD portions, or remove the notice.",
                      key="phantom RD notice")


@rule("MK312", "presence-transmittal-statement", Severity.WARNING, catalogue="C12",
      profiles=MEMO)
def presence_transmittal_statement(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A transmittal document does not say what it becomes without its attachments.

    ## What it checks
    A document whose banner is classified while all its own portions are unclassified, and
    which refers to attachments or enclosures, must carry a statement such as "Upon removal
    of attachments, this document is UNCLASSIFIED".

    ## Why
    32 CFR 2001.23(c) (transmittal documents); CAPCO section B.10.

    ## Example
    Banner `SECRET`; body `(U)` only; "Attachment: report"; no statement.

    ## Fix
    Add "Upon removal of attachment, this document is UNCLASSIFIED."
    """
    ov = _overall(doc)
    marks = doc.portion_marks_memo()
    if ov is None or ov.level == Level.U or not marks:
        return
    if any(m.level > Level.U for m in marks):
        return
    text = doc.text
    if not text or not _ATTACH_RE.search(text) or _TRANSMITTAL_RE.search(text):
        return
    b = doc.banners[0] if doc.banners else None
    yield Hit(b.span if b else _doc_span(doc),
              f"The banner is `{b.text if b else ov.level.title}` but every portion is `(U)` and "
              "the document refers to attachments: it reads as a transmittal without a "
              "transmittal statement. Add \"Upon removal of attachments, this document is "
              "UNCLASSIFIED\" (or the level it keeps).", key="no transmittal statement")


@rule("MK313", "presence-date-of-origin", Severity.WARNING, catalogue="C13", profiles=ALL,
      needs=("undated", CLASSIFIED_LEVELS))
def presence_date_of_origin(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified document shows no date of origin.

    ## What it checks
    A classified document must show the date it was written; every duration check depends
    on it. Cables provide it through the date-time group or the cable id. When the scanner
    found no date, the first part of the text is searched once more for a written date.
    For State cables (whose date is often in routing data lost in publication) the finding
    is INFO.

    ## Why
    CAPCO sections B.8 and E.2; 32 CFR 2001.21 (date of origin).

    ## Example
    A memo with banner and authority block but no date anywhere.

    ## Fix
    Add the date under the letterhead, e.g. `12 March 2014`. A cable gives its date in the
    date-time group of its routing line (`O 141530Z SEP 05`), or a cable id with the year
    (`05MOSCOW11807`).
    """
    if doc.date is not None or doc.cable_id or not _is_classified(doc):
        return
    if doc.text:
        from markings.dates import document_date

        d, _src = document_date(doc.text, cable=_is_cable(doc))
        if d is not None:
            return
    if _is_cable(doc):
        yield Hit(_doc_span(doc), "The classified cable shows no date of origin (no "
                                  "date-time group, no cable id with the year), so its "
                                  "declassification dates cannot be checked. Keep the "
                                  "date-time group of the routing line (e.g. `O 141530Z SEP "
                                  "05`) or name the cable id (e.g. `05MOSCOW11807`).",
                  key="no date", severity=Severity.INFO)
        return
    yield Hit(_doc_span(doc), "The classified document shows no date of origin, so its "
                              "declassification dates cannot be checked. Add the date "
                              "(e.g. `12 March 2014`).", key="no date")


_FDR_HINT = "NOFORN, REL TO, RELIDO or DISPLAY ONLY"


@rule("MK314", "presence-fdr-on-dap", Severity.INFO, catalogue="C14", profiles=IC,
      needs=("setting:analytic_product",))
def presence_fdr_on_dap(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified marking of an IC disseminated analytic product lacks an FD&R marking.

    ## What it checks
    Only when the configuration says the document is an IC disseminated analytic product
    (`settings.analytic_product = true`): every classified US banner and portion must carry
    a foreign disclosure and release marking (NOFORN, REL TO, RELIDO, DISPLAY ONLY; EYES
    ONLY also counts). Reported as warnings; without the setting the check is skipped.

    ## Why
    ICD 710 via CAPCO section B.3 and Table 2; ISM-ID-00119.

    ## Example
    Banner `SECRET`, portions `(S)` in an analytic product.

    ## Fix
    Banner `SECRET//NOFORN`, portions `(S//NF)` (or the REL TO list that applies).
    """
    if not ctx.settings.get("analytic_product"):
        return
    from markings.combine import has_fdr

    refs = [b for b in doc.banners if b.position == "top"] + [
        p.mark for p in doc.portions if p.mark is not None]
    for r in refs:
        m = r.marking
        if m is None or not m.is_classified or not m.is_us or has_fdr(m):
            continue
        yield Hit(r.span, f"`{r.text}` has no foreign disclosure and release marking; analytic "
                          f"products need one of {_FDR_HINT}. Add the one that applies.",
                  key=r.text, severity=Severity.WARNING)


@rule("MK315", "presence-title-subject-unmarked", Severity.WARNING, catalogue="C15",
      profiles=ALL,
      needs=(CLASSIFIED_LEVELS, "unmarked-title"))
def presence_title_subject_unmarked(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A title or subject line of a classified document carries no portion mark.

    ## What it checks
    Titles and subject lines are portions: in a classified document they begin with a mark,
    e.g. `SUBJECT: (U) NEGOTIATION POSITIONS`. INFO for State cables, where unmarked subject
    lines are common practice.

    ## Why
    32 CFR 2001.21 (portions include subjects and titles); CAPCO section C.

    ## Example
    `SUBJECT: NEGOTIATION POSITIONS` in a SECRET memo.

    ## Fix
    `SUBJECT: (U) NEGOTIATION POSITIONS`.
    """
    if not _is_classified(doc):
        return
    sev = Severity.INFO if _is_cable(doc) else None
    for p in doc.portions:
        if p.kind in ("subject", "title") and p.mark is None:
            yield Hit(_first_line_span(doc, p.span),
                      f"The {p.kind} line of a classified document has no portion mark. "
                      f"Mark it, e.g. `{p.kind.upper()}: (U) ...`.", key=f"unmarked {p.kind}",
                      severity=sev)


@rule("MK316", "presence-waiver-notice", Severity.INFO, catalogue="C16", profiles=MEMO)
def presence_waiver_notice(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified document with no portion marks carries no waiver notice.

    ## What it checks
    A classified document in which no portion is marked should state that portion marking
    has been waived and that it may not be used as a source for derivative classification.

    ## Why
    CAPCO section C.2 (conditions of ISOO portion-marking waivers).

    ## Example
    Banner `SECRET//NOFORN`, unmarked paragraphs, no notice.

    ## Fix
    Portion-mark the document, or add the waiver notice.
    """
    if _is_cable(doc) or not doc.portions or doc.portion_marks_memo():
        return
    if not _is_classified(doc) or _has_waiver(doc):
        return
    yield Hit(_doc_span(doc), "The classified document has no portion marks and no "
                              "portion-marking waiver notice. Mark the portions, or add the "
                              "waiver notice (not to be used as a source for derivative "
                              "classification).", key="no waiver notice")
