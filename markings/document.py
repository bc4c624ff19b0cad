"""Document model: what a document's markings are, where they are, and what they imply.

Built by :func:`build_document` from a :class:`markings.read.Source` (read stage) through
the scanner (``markings.scan``) and the parser (``markings.parse``). Rules consume this model
only; they never see Lark objects or raw regex matches.

Positions: every span is in the coordinates of the *original* file (readers keep the view
text the same length as the original, replacing tags with spaces), so line/column always
point at the file the user opened.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from functools import cached_property
from typing import Callable, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from markings.findings import Span, make_span
from markings.model import AuthorityBlock, Level, Marking

DocumentForm = Literal["plain", "markdown", "html", "tokenized", "docx", "pdf"]
DocumentStyle = Literal["cable", "memo", "unmarked"]
PortionKind = Literal[
    "paragraph", "numbered", "subject", "title", "bullet", "subparagraph", "summary", "signature"
]
BannerPosition = Literal["top", "bottom", "section", "interior"]
_T = TypeVar("_T")
_MISSING = object()


class MarkingRef(BaseModel):
    """A marking as it stands in the document: text as written, span, and the parse result."""

    model_config = ConfigDict(frozen=True)

    text: str  # the marking as written (marking tokens only)
    span: Span
    marking: Marking | None = None  # None when it could not be parsed
    error: str | None = None  # parse error message (marking tokens only)
    suggestion: str | None = None  # e.g. "NOFORN" for "NOFRON"

    @property
    def canonical(self) -> str | None:
        if self.marking is None:
            return None
        return self.marking.banner() if self.marking.kind == "banner" else self.marking.portion()


class Banner(MarkingRef):
    """An overall-marking line (top, bottom, or a cable section's classification line)."""

    position: BannerPosition = "top"
    spaced: bool = False  # State telegram spaced letters: S E C R E T
    section: str | None = None  # "01 OF 04" for cable sections


class Caption(BaseModel):
    """A State cable caption line (NOFORN, SIPDIS, EXDIS, NODIS, SENSITIVE, LIMDIS ...)."""

    model_config = ConfigDict(frozen=True)

    text: str
    span: Span


class SectionHeader(BaseModel):
    """A later section's continuation header in a multi-section cable.

    Archived cables are sent in sections; when they are joined again, each later section
    starts with a page header such as ``MOSCOW 00005154 002 OF 004`` (post, cable number,
    section number and count) where the section's own classification line stood. The header
    carries no marking: it is kept so that the rules can compare the sections with the
    classification line's ``SECTION 01 OF 04``.
    """

    model_config = ConfigDict(frozen=True)

    text: str  # as written, e.g. "MOSCOW 00005154 002 OF 004"
    span: Span
    number: int  # 2
    total: int  # 4


class Portion(BaseModel):
    """One portion (paragraph, subject line, bullet ...) and its portion mark, if any."""

    model_config = ConfigDict(frozen=True)

    kind: PortionKind = "paragraph"
    number: str | None = None  # "1", "2", "A" ...
    span: Span  # the whole portion, mark included
    mark: MarkingRef | None = None  # None: the portion is unmarked
    parent: int | None = None  # index of the parent portion for sub-paragraphs


class Document(BaseModel):
    """Everything the rules need to know about one document."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str
    text: str = Field(default="", exclude=True, repr=False)  # view text (same length as file)
    # The text as read (Source.original: HTML comments and tags kept), for the suppression
    # comments; None when the document was not built from a Source.
    original: str | None = Field(default=None, exclude=True, repr=False)
    form: DocumentForm = "plain"
    style: DocumentStyle = "unmarked"
    date: _dt.date | None = None
    date_source: str | None = None  # "dtg", "cable-id", "memo-date" ...
    cable_id: str | None = None
    banners: list[Banner] = Field(default_factory=list)
    captions: list[Caption] = Field(default_factory=list)
    sections: list[SectionHeader] = Field(default_factory=list)  # cable continuation headers
    portions: list[Portion] = Field(default_factory=list)
    authority: AuthorityBlock | None = None
    notes: list[str] = Field(default_factory=list)  # reader/scanner remarks, e.g. "lost line breaks"
    # Set when the file was not valid UTF-8 (see markings.read.Source): (encoding used, byte
    # offset of the first invalid byte, offset of its character in the text); rule MK005.
    fallback_encoding: tuple[str, int, int] | None = None

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        text = self.text
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        return starts

    def span(self, start: int, end: int) -> Span:
        """Span for 0-based offsets ``[start, end)`` of :attr:`text`."""
        starts = self._line_starts
        li = bisect_right(starts, start) - 1
        le = bisect_right(starts, max(start, end - 1)) - 1 if end > start else li
        end_col = end - starts[le] + 1
        return make_span(start, end, li + 1, start - starts[li] + 1, le + 1, end_col)

    def memo(self, key: str, compute: Callable[[Document], _T]) -> _T:
        """``compute(self)``, computed once per document and kept for later callers.

        For data that several rules derive from the finished model (the list of markings,
        a blanked text): the first rule computes it, the others reuse it. Only for values
        that depend on the document alone; the model must not change afterwards. A copy
        of the document (``model_copy``) starts with an empty memo.
        """
        store = self.__dict__.get("_memo")
        if store is None or store[0] != id(self):
            store = (id(self), {})
            self.__dict__["_memo"] = store
        memo = store[1]
        value = memo.get(key, _MISSING)  # (a sentinel: no KeyError raised per first call)
        if value is _MISSING:
            value = memo[key] = compute(self)
        return value  # type: ignore[no-any-return]

    @property
    def overall(self) -> Marking | None:
        """The document's own overall marking: the first top banner, with cable captions."""
        from markings.combine import overall_marking

        return overall_marking(self)

    def overall_memo(self) -> Marking | None:
        """:attr:`overall`, computed once per document (see :meth:`memo`); for the rules."""
        return self.memo("overall", _overall_of)

    @property
    def portion_marks(self) -> list[Marking]:
        return [p.mark.marking for p in self.portions if p.mark and p.mark.marking]

    def portion_marks_memo(self) -> tuple[Marking, ...]:
        """:attr:`portion_marks`, computed once per document (see :meth:`memo`); for the
        rules (a tuple: shared by every rule that asks)."""
        return self.memo("portion_marks", _portion_marks_of)

    def facts(self) -> frozenset[str]:
        """What the document holds, as a set of fact names (see :func:`document_facts`),
        computed once per document; the engine skips the rules whose declared needs
        (:attr:`markings.registry.Rule.needs`) the document does not meet."""
        return self.memo("facts", document_facts)

    def rollup(self) -> Marking | None:
        """The overall marking the portions require (None when no portion is marked)."""
        from markings.combine import rollup

        marks = self.portion_marks
        return rollup(marks) if marks else None


# Overall markings already computed, keyed by the first parsed top banner's marking (its
# id; the entry keeps the marking alive so the id cannot be reused) and the caption texts:
# ``overall_marking`` reads nothing else of the document, and a parsed marking is one
# immutable object shared by every banner with the same text, so the many cables with the
# same classification line and captions share one result (and the rules that compare it
# with the portions' roll-up can cache by its identity too).
_OVERALL: dict[tuple[object, ...], tuple[Marking, Marking | None]] = {}
_OVERALL_MAX = 4096


def _portion_marks_of(doc: Document) -> tuple[Marking, ...]:
    return tuple(doc.portion_marks)


def _overall_of(doc: Document) -> Marking | None:
    top = next((b for b in doc.banners if b.position == "top" and b.marking is not None),
               None)
    if top is None or top.marking is None:
        return doc.overall
    key = (id(top.marking), tuple(c.text for c in doc.captions))
    hit = _OVERALL.get(key)
    if hit is not None:
        return hit[1]
    result = doc.overall
    if len(_OVERALL) >= _OVERALL_MAX:
        _OVERALL.clear()
    _OVERALL[key] = (top.marking, result)
    return result


def build_document(source: object, *, path: str | None = None) -> Document:
    """Scan and parse a :class:`markings.read.Source` into a :class:`Document`."""
    from markings.scan import build

    return build(source, path=path)  # type: ignore[arg-type]


# --- facts: what a document holds, for skipping rules that cannot fire ----------------------
#
# A fact is a short name:
#   structure   "style:cable" / "style:memo" / "style:unmarked"; "date" (a document date);
#               "undated" (no date and no cable id); "fallback-encoding"; "sections"
#               (cable continuation headers)
#   authority   "authority" (an authority block); "declass-value" (a Declassify-On or DECL
#               value in it); "declass-portions" (such a value mentions portions);
#               "declass-code-like", "declass-long", "declass-eo12951" (see _CODE_LIKE_RE);
#               "declass-kind:<kind>" for a value's kind other than "date"; "declass-event"
#               (a value with an event text)
#   banners     "banner" (any banner line); "top-banner" (a parsed top banner);
#               "spaced-banner"; "section-banner" (a cable section's line, or one with a
#               section count)
#   portions    "portion-mark" (a portion with a mark); "portion-marking" (a parsed one);
#               "unmarked-numbered" (a numbered portion without a mark); "unmarked-title"
#               (a subject or title line without a mark)
#   unreadable  "mark-error" (a banner or portion mark that cannot be read as written, or a
#               portion mark that was not parsed)
#   captions    "captions"; "caption:<id>" for the control a caption stands for in the
#               overall marking; "caption-has:<word>" when a caption's text contains one
#               of _CAPTION_WORDS (a substring test: a superset of any word test)
#   markings    every parsed banner and portion marking's content (marking_facts): its
#               control ids, a marker for each non-empty part, "level:<name>" and
#               "dev:<rule slug>" for each deviation the parser recorded;
#               CLASSIFIED_UNCLASS_ONLY for a classified marking with an unclassified-only
#               control; NF_RELEASE_CONFLICT (NOFORN with a release marking);
#               U_BANNER_CONTROL for an UNCLASSIFIED banner with a control
# The engine adds "setting:<name>" for each setting that is set (engine.facts_for).
# A rule declares the facts it needs (``@rule(needs=...)``); the facts are a superset of
# what its check looks at, so a missing fact proves that the rule has nothing to report
# (tests/test_engine_skip_rules.py runs every skipped rule on fixtures, seeds and corpus).

# Markers for the parts of a marking that are no single control id (the same names as
# markings.rules.consistency uses).
SCI, SAP, AEA, REL_LIST, EYES_LIST, DISPLAY_LIST, JOINT, FGI = (
    "<sci>", "<sap>", "<aea>", "<rel-to>", "<eyes>", "<display-only>", "<joint>", "<fgi>")
OWNER, NATO, DECLASS, REL_ABBREV = "<owner>", "<nato>", "<declass>", "<rel-abbrev>"
# a marking above UNCLASSIFIED that carries a control for unclassified information only
# (SBU, SBU NOFORN, LIMDIS among its non-IC controls, DOD or DOE UCNI among its AEA ones)
CLASSIFIED_UNCLASS_ONLY = "<classified-unclass-only>"
UNCLASS_ONLY_NONIC = ("SBU", "SBU NOFORN", "LIMDIS")
UNCLASS_ONLY_AEA = ("DOD UCNI", "DOE UCNI")
# a marking that combines NOFORN with a release marking (REL TO, RELIDO, DISPLAY ONLY, EYES
# ONLY), or DISPLAY ONLY with RELIDO (a superset of what MK124 reports: the bare REL
# abbreviation counts even where it is read as EYES)
NF_RELEASE_CONFLICT = "<nf-release-conflict>"
# a banner whose parsed marking is UNCLASSIFIED with a dissemination or non-IC control
U_BANNER_CONTROL = "<u-banner-control>"
# a marking above UNCLASSIFIED (one of these facts), for ``needs``
CLASSIFIED_LEVELS = ("level:R", "level:C", "level:S", "level:TS")

# Facts of the markings already seen, keyed by identity: a parsed marking is one immutable
# object shared by every mark with the same text, so most documents find all theirs here.
# Each entry keeps its marking alive, so the id cannot be reused while it is cached.
_MARKING_FACTS: dict[int, tuple[Marking, frozenset[str]]] = {}
_MARKING_FACTS_MAX = 8192


def marking_facts(m: Marking) -> frozenset[str]:
    """The facts of one parsed marking: its dissemination, non-IC and AEA control ids, a
    marker for each non-empty list or part, ``level:<name>`` and ``dev:<rule slug>`` for
    each deviation the parser recorded."""
    hit = _MARKING_FACTS.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    out = {*m.dissem, *m.nonic, *m.aea, "level:" + m.level.name}
    for marker, present in ((SCI, m.sci), (SAP, m.sap), (AEA, m.aea), (REL_LIST, m.rel_to),
                            (EYES_LIST, m.eyes), (DISPLAY_LIST, m.display_only),
                            (JOINT, m.joint), (FGI, m.fgi is not None), (OWNER, m.owner),
                            (NATO, m.nato_controls), (DECLASS, m.declass),
                            (REL_ABBREV, m.rel_abbrev)):
        if present:
            out.add(marker)
    out.update("dev:" + d.rule for d in m.deviations)
    if m.level > Level.U and (any(x in UNCLASS_ONLY_NONIC for x in m.nonic)
                              or any(x in UNCLASS_ONLY_AEA for x in m.aea)):
        out.add(CLASSIFIED_UNCLASS_ONLY)
    from markings.combine import has_display, has_eyes, has_rel  # (once per marking: cached)

    display = has_display(m)
    relido = m.has("RELIDO")
    if m.has("NOFORN"):
        if has_rel(m) or has_eyes(m) or relido or display:  # (a bare REL is one or the other)
            out.add(NF_RELEASE_CONFLICT)
    elif display and relido:
        out.add(NF_RELEASE_CONFLICT)
    facts = frozenset(out)
    if len(_MARKING_FACTS) >= _MARKING_FACTS_MAX:
        _MARKING_FACTS.clear()
    _MARKING_FACTS[id(m)] = (m, facts)
    return facts


# (ids of distinct markings, in order of first appearance) -> (the markings, the union of
# their facts): documents with the same marks share one union
_UNION: dict[tuple[int, ...], tuple[list[Marking], frozenset[str]]] = {}


def _markings_facts(marks: dict[int, Marking]) -> frozenset[str]:
    """The union of :func:`marking_facts` over ``marks`` (id -> marking)."""
    key = tuple(marks)
    hit = _UNION.get(key)
    if hit is not None:
        return hit[1]  # the entry keeps its markings alive: the ids name the same objects
    out: set[str] = set()
    for m in marks.values():
        out |= marking_facts(m)
    facts = frozenset(out)
    if len(_UNION) >= _MARKING_FACTS_MAX:
        _UNION.clear()
    _UNION[key] = (list(marks.values()), facts)
    return facts


# Declassification values: an exemption code (25X1, 50X1-HUM, 1.6X3 ...) is read from the
# value's exemptions, its retired instruction, or a token with an X and a digit, so a value
# with none of these has no code ("declass-code-like"); two date tokens (the shortest is
# six characters, 1/1/01) with a character between them need 13 characters
# ("declass-long"); "declass-eo12951" for a value citing E.O. 12951.
_CODE_LIKE_RE = re.compile(r"[Xx]\d")
_TWO_DATES_MIN = 13

# caption words that rules look for; "NO DISTRIBUTION" and "EXCLUSIVE DISTRIBUTION" count
# as NODIS and EXDIS, as in the cable rules
_CAPTION_WORDS = ("NODIS", "EXDIS", "SIPDIS", "NOFORN", "SENSITIVE", "LIMDIS")
_CAPTION_PHRASES = (("NO DISTRIBUTION", "NODIS"), ("EXCLUSIVE DISTRIBUTION", "EXDIS"),
                    ("NOT RELEASABLE TO FOREIGN", "NOFORN"))
# caption texts -> their facts (cables repeat a few caption sets)
_CAPTION_FACTS: dict[tuple[str, ...], frozenset[str]] = {}


def _caption_facts(texts: tuple[str, ...]) -> frozenset[str]:
    hit = _CAPTION_FACTS.get(texts)
    if hit is not None:
        return hit
    from markings.combine import caption_controls

    out = {"captions"}
    for text in texts:
        control = caption_controls(text)  # what the overall marking takes from it
        if control is not None:
            out.add("caption:" + control[1])
        up = " ".join(text.upper().split())
        out.update("caption-has:" + w for w in _CAPTION_WORDS if w in up)
        out.update("caption-has:" + w for phrase, w in _CAPTION_PHRASES if phrase in up)
    facts = frozenset(out)
    if len(_CAPTION_FACTS) >= _MARKING_FACTS_MAX:
        _CAPTION_FACTS.clear()
    _CAPTION_FACTS[texts] = facts
    return facts


def document_facts(doc: Document) -> frozenset[str]:
    """Every fact of ``doc`` (see the comment above :data:`SCI`)."""
    out = {"style:" + doc.style}
    if doc.date is not None:
        out.add("date")
    elif not doc.cable_id:
        out.add("undated")
    a = doc.authority
    if a is not None:
        out.add("authority")
        for v in (a.declassify_on, a.decl):
            if v is not None:
                out.add("declass-value")
                raw = v.raw
                if "PORTION" in raw.upper():  # an "N/A to RD portions" statement
                    out.add("declass-portions")
                if v.exemptions or v.retired or _CODE_LIKE_RE.search(raw):
                    out.add("declass-code-like")
                if len(raw) >= _TWO_DATES_MIN:
                    out.add("declass-long")
                if "12951" in raw:
                    out.add("declass-eo12951")
                if v.kind != "date":  # (most values are plain dates)
                    out.add("declass-kind:" + v.kind)
                if v.has_event:
                    out.add("declass-event")
    if doc.captions:
        out |= _caption_facts(tuple(c.text for c in doc.captions))
    if doc.sections:
        out.add("sections")
    if doc.fallback_encoding is not None:
        out.add("fallback-encoding")
    marks: dict[int, Marking] = {}  # each distinct marking object once
    error = False
    if doc.banners:
        out.add("banner")
        for b in doc.banners:
            m = b.marking
            if m is not None:
                marks[id(m)] = m
                if b.position == "top":
                    out.add("top-banner")
                if m.level == Level.U and (m.dissem or m.nonic):
                    out.add(U_BANNER_CONTROL)
            if b.error:
                error = True
            if b.spaced:
                out.add("spaced-banner")
            if b.section or b.position == "section":
                out.add("section-banner")
    marked = False
    portion_marks: list[Marking] = []  # Document.portion_marks, read on the way
    for p in doc.portions:
        r = p.mark
        if r is None:
            if p.number:
                out.add("unmarked-numbered")
            if p.kind == "subject" or p.kind == "title":
                out.add("unmarked-title")
            continue
        marked = True
        m = r.marking
        if m is not None:
            portion_marks.append(m)
            marks[id(m)] = m
        if r.error or m is None:
            error = True
    # the same tuple as _portion_marks_of; kept unless a rule computed it already
    doc.memo("portion_marks", lambda _: tuple(portion_marks))
    if marked:
        out.add("portion-mark")
    if portion_marks:
        out.add("portion-marking")
    if error:
        out.add("mark-error")
    if marks:
        out |= _markings_facts(marks)
    return frozenset(out)
