"""Helpers shared by the MK7xx rule modules: profile, portion lookup, release state."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from markings.model import Level
from markings.redaction.markers import Marker, find_markers
from markings.redaction.profiles import RedactionProfile, get_profile

if TYPE_CHECKING:
    from markings.document import Document, Portion
    from markings.model import Marking
    from markings.registry import Context


def profile_of(ctx: Context) -> RedactionProfile | None:
    """The redaction profile chosen in the configuration (None: redaction checks are off)."""
    return get_profile(ctx.settings.get("redaction_profile"))


_CACHE_ATTR = "_mk7_markers"


def markers_of(doc: Document) -> list[Marker]:
    """Markers of ``doc`` (computed once per document and cached on the instance)."""
    cached = doc.__dict__.get(_CACHE_ATTR)
    if cached is None:
        cached = find_markers(doc.text)
        doc.__dict__[_CACHE_ATTR] = cached
    return cached


def portion_index_at(doc: Document, offset: int) -> int | None:
    """Index of the innermost portion whose span contains ``offset``."""
    best = None
    for i, p in enumerate(doc.portions):
        if p.span.start <= offset < p.span.end and (
                best is None or p.span.start >= doc.portions[best].span.start):
            best = i
    return best


def _heading_before(doc: Document, i: int, parent: int) -> int | None:
    """A marked block heading between paragraph ``parent`` and its bullet ``i``.

    ``(S) Post may draw on these points: (S/REL to RUSSIA) Begin Talking Points -- ...``:
    the scanner reads the `(S/REL to RUSSIA)` block as a portion of its own (no number, no
    parent) between the paragraph and its bullets; the bullets sit under that block, not
    directly under the paragraph. Marked sibling bullets mark only themselves.
    """
    for j in range(i - 1, parent, -1):
        q = doc.portions[j]
        if q.number is not None:
            return None  # a new numbered paragraph: not within the bullet's paragraph
        if q.parent is None and portion_level(q) is not None:
            return j
    return None


def governing_index(doc: Document, i: int | None) -> int | None:
    """Index of the marked portion whose mark governs portion ``i``.

    Portion ``i`` itself when it is marked; for an unmarked bullet or sub-paragraph, the
    nearest preceding marked block heading within its paragraph (see
    :func:`_heading_before`), else its nearest marked ancestor (``Portion.parent``).
    None when nothing in the chain is marked.
    """
    seen: set[int] = set()
    while i is not None and i not in seen and 0 <= i < len(doc.portions):
        seen.add(i)
        p = doc.portions[i]
        if portion_level(p) is not None:
            return i
        if p.parent is not None and 0 <= p.parent < i:
            head = _heading_before(doc, i, p.parent)
            if head is not None:
                return head
        i = p.parent
    return None


def inherited_level(doc: Document, i: int | None) -> Level | None:
    """The level of the mark that governs portion ``i`` (:func:`governing_index`)."""
    g = governing_index(doc, i)
    return None if g is None else portion_level(doc.portions[g])


def marking_at(doc: Document, offset: int) -> Marking | None:
    """The parsed marking that governs ``offset``: the governing portion mark
    (:func:`governing_index`), else the document's overall marking (None when unmarked)."""
    g = governing_index(doc, portion_index_at(doc, offset))
    if g is not None:
        mk = doc.portions[g].mark
        if mk is not None and mk.marking is not None:
            return mk.marking
    try:
        overall = doc.overall
    except Exception:  # noqa: BLE001 -- the roll-up may be unavailable; banners are enough
        overall = None
    if overall is not None:
        return overall
    marked = [b.marking for b in doc.banners if b.marking is not None]
    return max(marked, key=lambda m: m.level) if marked else None


def portion_level(p: Portion | None) -> Level | None:
    """The classification level of a portion mark (None when unmarked or unparsed)."""
    if p is None or p.mark is None or p.mark.marking is None:
        return None
    return p.mark.marking.level


def document_level(doc: Document) -> Level:
    """The document's own level: overall marking, else the highest banner, else UNCLASSIFIED."""
    try:
        overall = doc.overall
    except Exception:  # noqa: BLE001 -- the roll-up may be unavailable; banners are enough here
        overall = None
    if overall is not None:
        return overall.level
    levels = [b.marking.level for b in doc.banners if b.marking is not None]
    return max(levels, default=Level.U)


def level_at(doc: Document, offset: int) -> Level:
    """The marking that governs ``offset``: its portion mark, else the mark of the enclosing
    portion (a bullet under a marked paragraph), else the document's level."""
    lv = inherited_level(doc, portion_index_at(doc, offset))
    return lv if lv is not None else document_level(doc)


def line_starts(text: str) -> list[int]:
    """Offsets where each line of ``text`` starts."""
    return [0] + [m.end() for m in re.finditer(r"\n", text)]


def line_of(starts: list[int], offset: int) -> int:
    """1-based line number of ``offset``."""
    return bisect.bisect_right(starts, offset)


# --- release state -----------------------------------------------------------------------

RELEASE_WORDS = re.compile(
    r"\b(?:FOR\s+PUBLIC\s+RELEASE|APPROVED\s+FOR\s+(?:PUBLIC\s+)?RELEASE|RELEASED?\s+IN\s+"
    r"(?:PART|FULL)|(?<!not )DECLASSIFIED(?:\s+IN\s+PART)?|SANITIZED\s+COPY)\b", re.IGNORECASE)
_DECL_LINE = re.compile(
    r"^[^\n]*\b(?:(?<!not )DECLASSIFIED(?:\s+IN\s+PART)?|RELEASED?\s+IN\s+(?:PART|FULL)|APPROVED\s+FOR\s+"
    r"RELEASE|SANITIZED\s+COPY\s+APPROVED\s+FOR\s+RELEASE)\b[^\n]*(?:\n[^\n]*){0,3}",
    re.IGNORECASE | re.MULTILINE)
_AUTHORITY = re.compile(r"\b(?:AUTHORITY|E\.?\s?O\.?\s?1\d{4}|NND\s?\d+|CIA-RDP[\w-]*|"
                        r"REVIEW\s+AUTHORITY)\b", re.IGNORECASE)
_REVIEWER = re.compile(r"\b(?:BY\s*:?\s+\S|REVIEWER|REVIEW\s+AUTHORITY\s*:?\s+\S|CIA-RDP)",
                       re.IGNORECASE)
_DATE = re.compile(r"\b(?:\d{4}[/-]\d{1,2}[/-]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|"
                   r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})\b")


def release_lines(text: str) -> list[tuple[int, int, set[str]]]:
    """Declassification/release lines: ``(start, end, missing parts)`` for each one found.

    A line (with up to three continuation lines) is complete when it names an authority, a
    reviewer and a date; a CREST ``CIA-RDP`` stamp with a date is complete.
    """
    out = []
    for m in _DECL_LINE.finditer(text):
        block = m.group(0)
        missing = set()
        if not _AUTHORITY.search(block):
            missing.add("authority")
        if not _REVIEWER.search(block):
            missing.add("reviewer")
        if not _DATE.search(block):
            missing.add("date")
        first_end = text.find("\n", m.start())
        out.append((m.start(), first_end if first_end != -1 else len(text), missing))
    return out


def is_release_copy(doc: Document, ctx: Context) -> bool:
    """True when the document is marked for release or configured as a release copy."""
    flag = ctx.settings.get("release")
    if flag is not None:
        return bool(flag)
    prof = profile_of(ctx)
    if prof is not None and prof.release:
        return True
    return any(RELEASE_WORDS.search(b.text) for b in doc.banners) or bool(
        RELEASE_WORDS.search(doc.text[:400]))


def is_declassified(doc: Document) -> bool:
    """True when the document carries a complete declassification/release line."""
    return any(not missing for _, _, missing in release_lines(doc.text))


def fully_withheld(doc: Document, p: Portion) -> bool:
    """True when a portion's content (after its mark) is nothing but markers and codes."""
    start = p.mark.span.end if p.mark is not None else p.span.start
    body = doc.text[start:p.span.end]
    for mk in markers_of(doc):
        if mk.end <= start or mk.start >= p.span.end:
            continue
        a, b = max(mk.start, start) - start, min(mk.end, p.span.end) - start
        body = body[:a] + " " * (b - a) + body[b:]
    from markings.redaction.markers import CODE_RE

    body = CODE_RE.sub(" ", body)
    return not re.search(r"[^\W_]", body)
