"""Catalogue group E: State Department cable specifics (MK501-MK516).

A cable is read as: classification line (often spaced letters, ``S E C R E T``) -> caption
lines (``NOFORN``, ``SIPDIS``, ``EXDIS``, ``NODIS``, ``SENSITIVE`` ...) -> ``E.O. nnnnn:``
line -> ``TAGS:`` / ``SUBJECT:`` / ``REF:`` -> unnumbered ``Classified By:`` line -> numbered
paragraphs ``1. (C) ...``. The scanner (``markings.scan``) builds that model; the rules here
only compare its parts. See ``docs/state-cables.md``.

Most rules run on the ``state-cable`` profile only (documents whose style is ``cable``);
MK515 runs on every marking profile because it is about *non*-cable documents.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from markings.document import (
    CLASSIFIED_LEVELS, REL_ABBREV, REL_LIST, Banner, Document, Portion)
from markings.findings import Severity, Span
from markings.model import ERR_DELIMITERS, LEVEL_TITLES, Deviation, Level, Marking
from markings.registry import MARKING_PROFILES, NEVER, Context, Hit, rule

CABLE = ("state-cable",)

# --- helpers --------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Z][A-Z-]*")
_NOFORN_IDS = ("NOFORN",)
_NOFORN_UNCLASS_IDS = ("SBU NOFORN", "LES NOFORN")


def _title(level: Level) -> str:
    return LEVEL_TITLES[level]


def _top_banner(doc: Document) -> Banner | None:
    """The cable classification line: the first top banner, else the first banner."""
    for b in doc.banners:
        if b.position == "top":
            return b
    return doc.banners[0] if doc.banners else None


def _later_section(b: Banner) -> bool:
    """``SECTION 02 OF 03`` and later: a section sent on its own carries no header lines."""
    if not b.section:
        return False
    first = b.section.split()[0].lstrip("0")
    return first not in ("", "1")


def _line_level(doc: Document) -> Level | None:
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return None
    return top.marking.level


def _caption_words(doc: Document) -> frozenset[str]:
    """The words of the cable's captions (several rules ask; computed once per document)."""
    return doc.memo("cable.caption_words", _caption_words_of)


# caption texts -> their words: cables repeat a few caption sets (SIPDIS, NOFORN ...), so
# most documents find theirs here (the words depend on the texts alone)
_CAPTION_WORDS: dict[tuple[str, ...], frozenset[str]] = {}
_CAPTION_WORDS_MAX = 4096


def _caption_words_of(doc: Document) -> frozenset[str]:
    texts = tuple([c.text for c in doc.captions])
    hit = _CAPTION_WORDS.get(texts)
    if hit is None:
        hit = _caption_words_of_texts(texts)
        if len(_CAPTION_WORDS) >= _CAPTION_WORDS_MAX:
            _CAPTION_WORDS.clear()
        _CAPTION_WORDS[texts] = hit
    return hit


def _caption_words_of_texts(texts: tuple[str, ...]) -> frozenset[str]:
    """The words of caption texts (see :func:`_caption_words`; uncached)."""
    words: set[str] = set()
    for text in texts:
        up = " ".join(text.upper().split())
        words.update(_WORD_RE.findall(up))
        if "NOT RELEASABLE TO FOREIGN NATIONALS" in up:
            words.add("NOFORN")
        if "SENSITIVE BUT UNCLASSIFIED" in up:
            words.add("SENSITIVE")
        if "EXCLUSIVE DISTRIBUTION" in up:
            words.add("EXDIS")
        if "NO DISTRIBUTION" in up:
            words.add("NODIS")
    return frozenset(words)


def _header_markings(doc: Document) -> tuple[Marking, ...]:
    """Parsed classification lines that belong to the header (top and section lines)."""
    return doc.memo("cable.header_markings", _header_markings_of)


def _header_markings_of(doc: Document) -> tuple[Marking, ...]:
    return tuple(b.marking for b in doc.banners
                 if b.marking is not None and b.position in ("top", "section"))


def _header_has(doc: Document, control: str, caption_word: str | None = None) -> bool:
    """True when the classification line(s) or a caption carry ``control``."""
    if any(m.has(control) for m in _header_markings(doc)):
        return True
    return (caption_word or control) in _caption_words(doc)


def _header_text(doc: Document) -> str:
    """Raw header text: from the classification line to the first paragraph (max 3000).

    Used as a fallback for cables whose line breaks were lost, where a caption runs into
    its neighbours (``003352SIPDISSIPDISNOFORNE.O. 12958``) and is not a caption line.
    """
    top = _top_banner(doc)
    if top is None or not doc.text:
        return ""
    start = top.span.start
    firsts = [p.span.start for p in doc.portions if p.span.start > start and p.kind != "subject"]
    end = min([start + 3000, *firsts])
    return doc.text[start:end]


_REF_PAREN_RE = re.compile(r"\([^()\n]{0,40}\)")


def _header_word(doc: Document, word: str) -> bool:
    """Whether ``word`` occurs in the header text with its REF items blanked."""
    # A cheap proof of absence first (most cables): blanking replaces each REF item by one
    # space, so every space-free piece of ``word`` found in the blanked header lies in one
    # stretch of the raw header, which is a part of the 3000 characters from the
    # classification line on (see _header_text). A piece missing there: no occurrence.
    top = _top_banner(doc)
    text = doc.text
    if top is not None and text:
        start = top.span.start
        end = start + 3000
        for piece in word.split(" "):
            if piece and text.find(piece, start, end) == -1:
                return False
    return word in doc.memo("cable.header_text_no_refs", _header_text_no_refs)


def _header_word_plain(doc: Document, word: str) -> bool:
    """:func:`_header_word` without the proof of absence (tests compare the two)."""
    return word in doc.memo("cable.header_text_no_refs", _header_text_no_refs)


def _header_text_no_refs(doc: Document) -> str:
    return _REF_PAREN_RE.sub(" ", _header_text(doc))  # REF items such as "(EXDIS)"


def _header_noforn(doc: Document) -> bool:
    if _header_has(doc, "NOFORN"):
        return True
    if any(m.has(c) for m in _header_markings(doc) for c in _NOFORN_UNCLASS_IDS):
        return True
    return _header_word(doc, "NOFORN") or _header_word(doc, "NOT RELEASABLE TO FOREIGN")


def _is_noforn(m: Marking, *, classified_cable: bool) -> bool:
    for c in _NOFORN_IDS:
        if m.has(c):
            return True
    if classified_cable:
        for c in _NOFORN_UNCLASS_IDS:
            if m.has(c):
                return True
    return False


def _is_sbu(m: Marking) -> bool:
    return m.has("SBU") or m.has("SBU NOFORN")


def _is_rel(m: Marking) -> bool:
    return bool(m.rel_to) or m.rel_abbrev or "REL TO" in m.dissem


_ENUM_BEFORE_RE = re.compile(r"(?:^|\n)[ \t]*(?:¶)?\(?[A-Ba-b]\)[ \t]")
_CONTINUATION_END = re.compile(r"[A-Za-z0-9,]$")


_WHOLE = 1 << 62  # a scope end beyond any text: the whole document


def _scope_end(doc: Document) -> int:
    """Offset where the cable's own text ends.

    Archived cables sometimes carry a second cable (a record dump followed by another
    cable's text). A later spaced-letter classification line of a *different* level starts
    that other cable; its paragraphs are not compared with this cable's header.
    """
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return _WHOLE
    for b in doc.banners:
        if (b is not top and b.span.start > top.span.start and b.spaced
                and b.marking is not None and b.marking.level != top.marking.level):
            return b.span.start
    return _WHOLE


def _plausible(doc: Document, p: Portion) -> bool:
    """False for a parenthesised token that is more likely prose than a portion mark.

    Numbered paragraphs and subject lines are always real. An unnumbered line-initial
    token is not a mark when the previous line runs on into it (``... Crime Squad`` /
    ``(NR) units``, ``Senator X`` / ``(R-TN)``), or when it is the third item of an
    ``(A)`` / ``(B)`` / ``(C)`` enumeration or reference list.
    """
    if p.number or p.kind == "subject" or not doc.text or p.mark is None:
        return True
    start = p.mark.span.start
    if not 0 < start <= len(doc.text):
        return True
    before = doc.text[max(0, start - 2000):start]
    line_start = before.rfind("\n")
    if before[line_start + 1:].strip(" \t¶"):
        return True  # mid-line token: the scanner decided; keep it
    prev = before[:line_start].rstrip()
    prev_line = prev[prev.rfind("\n") + 1:].strip()
    if prev_line and _CONTINUATION_END.search(prev_line) and not prev_line.isupper():
        return False
    compact = p.mark.text.replace(" ", "").upper()
    return not (len(compact) == 3 and compact[1] in "CDE" and _ENUM_BEFORE_RE.search(before))


def _in_scope(doc: Document) -> tuple[Portion, ...]:
    """The portions of the cable's own text (computed once per document)."""
    return doc.memo("cable.in_scope", _in_scope_of)


def _in_scope_of(doc: Document) -> tuple[Portion, ...]:
    end = _scope_end(doc)
    if end == _WHOLE:  # one cable: every portion
        return tuple(doc.portions)
    return tuple(p for p in doc.portions if p.span.start < end)


def _marked(doc: Document) -> list[tuple[Portion, Marking]]:
    """Marked portions in the cable's scope (computed once per document; do not modify)."""
    return doc.memo("cable.marked", _marked_portions)


def _marked_portions(doc: Document) -> list[tuple[Portion, Marking]]:
    out = []
    for p in _in_scope(doc):
        ref = p.mark
        if ref is None:
            continue
        m = ref.marking
        # (numbered paragraphs and subject lines are plausible: _plausible's first test,
        # made here without the call for most portions)
        if m is not None and (p.number or p.kind == "subject" or _plausible(doc, p)):
            out.append((p, m))
    return out


def _numbered_in_sequence(doc: Document) -> tuple[Portion, ...]:
    """Top-level numbered paragraphs that continue the cable's numbering.

    A number that restarts or jumps far ahead (``9.`` then ``1.``; ``7.`` then ``17.``) is
    an item of a quoted text or list inside a paragraph, not a cable paragraph. Computed
    once per document.
    """
    return doc.memo("cable.numbered_in_sequence", _numbered_in_sequence_of)


def _numbered_in_sequence_of(doc: Document) -> tuple[Portion, ...]:
    out: list[Portion] = []
    prev: int | None = None
    for p in _in_scope(doc):
        if not _is_top_numbered(p):
            continue
        n = int(p.number)  # type: ignore[arg-type]
        if prev is None or prev < n <= prev + 3:
            out.append(p)
            prev = n
    return tuple(out)


def _where(p: Portion) -> str:
    """Human name of a portion: ``paragraph 3``, ``the subject line`` ..."""
    if p.kind == "subject":
        return "the subject line"
    if p.number:
        return f"paragraph {p.number}"
    if p.kind == "summary":
        return "the summary paragraph"
    return "a paragraph"


def _mark_text(p: Portion) -> str:
    return " ".join(p.mark.text.split()) if p.mark is not None else ""


def _mark_span(p: Portion) -> Span:
    return p.mark.span if p.mark is not None else p.span


def _banner_quote(b: Banner) -> str:
    if b.marking is not None and b.spaced:
        return _title(b.marking.level)
    return " ".join(b.text.split())


def _head_span(doc: Document, p: Portion, width: int = 8) -> Span:
    """A short span at the start of a portion (its number), not the whole paragraph."""
    sp = p.span
    if not doc.text or sp.end <= sp.start or sp.end > len(doc.text):
        return sp
    end = min(sp.end, sp.start + width)
    nl = doc.text.find("\n", sp.start, end)
    if nl > sp.start:
        end = nl
    return doc.span(sp.start, end)


def _is_top_numbered(p: Portion) -> bool:
    """A numbered paragraph (``3.``), not a lettered sub-paragraph or a list inside one."""
    if p.parent is not None or p.kind in ("subparagraph", "bullet", "subject", "title",
                                          "signature"):
        return False
    return bool(p.number) and p.number.isdigit()  # type: ignore[union-attr]


def _group(items: Iterable[tuple[str, Span]]) -> dict[str, list[Span]]:
    """Group spans by a normalised key, keeping first-seen order."""
    out: dict[str, list[Span]] = {}
    for key, span in items:
        out.setdefault(key, []).append(span)
    return out


def _times(n: int) -> str:
    return "" if n == 1 else f" ({n} times)"


# --- E01 ------------------------------------------------------------------------------------

_CABLE_LINE_VALUES = frozenset({
    "TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS", "UNCLAS SENSITIVE",
    "UNCLAS EFTO", "UNCLASSIFIED EFTO", "UNCLAS E F T O", "LIMITED OFFICIAL USE",
})
_SPACED_LEVELS = {"SECRET": "S E C R E T", "CONFIDENTIAL": "C O N F I D E N T I A L",
                  "TOPSECRET": "T O P S E C R E T", "UNCLASSIFIED": "UNCLASSIFIED"}


def _collapse_spaced(text: str) -> str:
    """``UNCLAS E F T O`` -> ``UNCLAS EFTO``: join runs of single letters."""
    out: list[str] = []
    run = ""
    for w in text.upper().split():
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return " ".join(out)


def _guess_line(text: str) -> str | None:
    """The level a garbled spaced line most likely means (``CO N F I D E N T I A L``)."""
    import difflib

    joined = text.upper().replace(" ", "")
    match = difflib.get_close_matches(joined, list(_SPACED_LEVELS), n=1, cutoff=0.8)
    return _SPACED_LEVELS[match[0]] if match else None


_KNOWN_JOINED = frozenset({"TOPSECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS"})
_SPACED_RE = re.compile(r"^[ \t]*((?:[A-Z] ){3,}[A-Z])(?![A-Za-z])", re.MULTILINE)


@rule("MK501", "cable-classification-line", Severity.ERROR, catalogue="E01", profiles=CABLE,
      needs=("style:cable",))
def cable_classification_line(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The cable's classification line does not give a known classification.

    ## What it checks
    The first line of a State cable's text must be a classification line that reads as a
    known value: spaced or unspaced `TOP SECRET`, `SECRET`, `CONFIDENTIAL`, `UNCLASSIFIED`,
    `UNCLAS`, `UNCLAS SENSITIVE`, `UNCLAS EFTO`, or the older `LIMITED OFFICIAL USE`. A
    garbled line (`S E C R T`) is reported rather than guessed.

    ## Why
    5 FAH-2 H-222: the first line of a telegram is its classification line. Every other
    cable check (paragraph roll-up, NOFORN caption, E.O. line) starts from it.

    ## Example
    ```
    S E C R T SECTION 01 OF 02 STATE 012345
    ```

    ## Fix
    Correct the line, e.g. `S E C R E T SECTION 01 OF 02 STATE 012345`.
    """
    if doc.style != "cable":
        return
    top = _top_banner(doc)
    if top is not None:
        if top.marking is None:
            text = " ".join(top.text.split())
            joined = _collapse_spaced(text)
            if joined in _CABLE_LINE_VALUES:
                return  # a known value in unusual letter spacing (`UNCLAS E F T O`)
            guess = _guess_line(text)
            if guess:
                fix = f"did you mean `{guess}`?"
            elif top.suggestion:
                fix = f"did you mean `{top.suggestion}`?"
            else:
                fix = "write one of `TOP SECRET`, `SECRET`, `CONFIDENTIAL`, `UNCLAS`."
            yield Hit(top.span, f"Cable classification line `{text}` is not a known "
                                f"classification; {fix}", key=text)
        return
    # No classification line found: a spaced-letter line near the top that the scanner did
    # not accept is a garbled classification line.
    head = doc.text[:4000]
    m = _SPACED_RE.search(head)
    if m and m.group(1).replace(" ", "") not in _KNOWN_JOINED:
        letters = m.group(1)
        yield Hit(doc.span(m.start(1), m.end(1)),
                  f"Cable classification line `{letters}` is not a known classification; "
                  "spell the level out (`S E C R E T`, `C O N F I D E N T I A L`).",
                  key=letters)


# --- E02 ------------------------------------------------------------------------------------

_RESTRICTIVE_CAPTIONS = ("NOFORN", "EXDIS", "NODIS", "LIMDIS", "SENSITIVE")


@rule("MK502", "cable-section-consistency", Severity.ERROR, catalogue="E02", profiles=CABLE,
      needs=("section-banner",))
def cable_section_consistency(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The sections of a multi-section cable disagree on classification or captions.

    ## What it checks
    Every section of a multi-section cable (`SECTION 01 OF 03`, `SECTION 02 OF 03` ...)
    repeats the same classification line and the same restrictive captions (`NOFORN`,
    `EXDIS`, `NODIS`, `LIMDIS`, `SENSITIVE`). Captions are compared only when a later
    section repeats captions at all (many archived cables keep them in section 01 only).

    ## Why
    5 FAH-2 H-222; CAPCO §D (the overall marking is the same on every page).

    The continuation header of each later section (`MOSCOW 00005154 002 OF 004`, where a
    joined cable shows the section break) is compared with the classification line's
    `SECTION 01 OF 04`: a header that counts a different number of sections, or a section
    number out of order or beyond the count, is a warning. Sections whose header is simply
    absent are not reported: published cables often drop the page headers.

    ## Example
    Section 01 `C O N F I D E N T I A L`, section 02 `S E C R E T`; or
    `S E C R E T SECTION 01 OF 04 MOSCOW 005154` followed by `MOSCOW 00005154 002 OF 003`.

    ## Fix
    Give every section the cable's overall classification line and captions, and the same
    section count.
    """
    yield from _section_count(doc)
    lines = [b for b in doc.banners
             if b.marking is not None and (b.position == "section"
                                           or (b.position == "top" and b.section))]
    # A header repeated verbatim (same section number) is one section, not two.
    uniq: list[Banner] = []
    for b in lines:
        if not uniq or b.section is None or b.section != uniq[-1].section:
            uniq.append(b)
    lines = uniq
    if len(lines) < 2:
        return
    first = lines[0]
    assert first.marking is not None
    ref_name = f"section {first.section}" if first.section else "the first section"
    ref_nf = first.marking.has("NOFORN")
    for b in lines[1:]:
        assert b.marking is not None
        name = f"section {b.section}" if b.section else "a later section"
        if b.marking.level != first.marking.level:
            yield Hit(b.span, f"Cable {name} classification line `{_banner_quote(b)}` differs "
                              f"from {ref_name} `{_banner_quote(first)}`; every section repeats "
                              "the cable's overall classification line.",
                      key=f"{_title(first.marking.level)}|{_title(b.marking.level)}",
                      related=(first.span,))
        elif b.marking.has("NOFORN") != ref_nf:
            yield Hit(b.span, f"Cable {name} classification line differs from {ref_name} in "
                              "`NOFORN`; every section repeats the same line.",
                      key=f"NOFORN|{b.section}", related=(first.span,))
    # Captions per section, by position between section lines.
    starts = [b.span.start for b in lines]
    per: list[set[str]] = [set() for _ in lines]
    any_caption = [False for _ in lines]
    for c in doc.captions:
        idx = -1
        for i, s in enumerate(starts):
            if c.span.start >= s:
                idx = i
        idx = max(idx, 0)
        up = " ".join(c.text.upper().split())
        any_caption[idx] = True
        per[idx].update(w for w in _WORD_RE.findall(up) if w in _RESTRICTIVE_CAPTIONS)
    if not any(any_caption[1:]):
        return
    for i in range(1, len(lines)):
        if any_caption[i] and per[i] != per[0]:
            missing = sorted(per[0] - per[i])
            extra = sorted(per[i] - per[0])
            parts = []
            if missing:
                parts.append("lacks " + ", ".join(f"`{w}`" for w in missing))
            if extra:
                parts.append("adds " + ", ".join(f"`{w}`" for w in extra))
            name = f"section {lines[i].section}" if lines[i].section else "a later section"
            yield Hit(lines[i].span, f"Cable {name} {' and '.join(parts)} compared with "
                                     f"{ref_name}; every section repeats the same restrictive "
                                     "captions.",
                      key="captions|" + ",".join(missing) + "|" + ",".join(extra),
                      related=(lines[0].span,))


def _section_count(doc: Document) -> Iterator[Hit]:
    """Continuation headers against the classification line's ``SECTION nn OF mm``."""
    top = _top_banner(doc)
    if top is None or not top.section or not doc.sections:
        return
    try:
        first, _, total_s = top.section.split()
        prev, total = int(first), int(total_s)
    except ValueError:
        return
    line = f"SECTION {top.section}"
    for h in doc.sections:
        if h.total != total:
            yield Hit(h.span, f"Cable section header `{h.text}` counts {h.total} sections; "
                              f"the classification line says `{line}`. Every section gives the "
                              "same section count.",
                      key=f"count|{h.number}|{h.total}|{total}", severity=Severity.WARNING,
                      related=(top.span,))
        elif h.number <= prev or h.number > total:
            yield Hit(h.span, f"Cable section header `{h.text}` is out of order (after section "
                              f"{prev:02d} of the classification line's `{line}`); the "
                              "sections run 02, 03 ... up to the count.",
                      key=f"order|{h.number}|{prev}", severity=Severity.WARNING,
                      related=(top.span,))
        prev = max(prev, h.number)


# --- E03 ------------------------------------------------------------------------------------

@rule("MK503", "cable-rollup-classification", Severity.ERROR, catalogue="E03", profiles=CABLE,
      needs=("top-banner", "portion-marking"))
def cable_rollup_classification(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The cable classification line does not match its highest paragraph mark.

    ## What it checks
    The highest paragraph or subject-line mark must equal the cable's classification line.
    An `UNCLAS` cable may contain only `(U)`, `(SBU)` and `(SBU-N)` paragraphs. A line
    *lower* than a paragraph is an error; a line *higher* than every paragraph is a warning
    (over-classification), raised only when every numbered paragraph is marked and no
    compilation statement is present.

    This is the cable form of catalogue A01/A02 (banner vs. portions).

    ## Why
    ISM-ID-00056, -00058, -00059, -00108 to -00110; CAPCO §D.2; 32 CFR 2001.21 (the overall
    marking is the highest level contained).

    ## Example
    ```
    C O N F I D E N T I A L STATE 012345
    ...
    2. (S) The minister said ...
    ```

    ## Fix
    Raise the classification line to the highest paragraph level, or correct the paragraph
    mark if the paragraph is over-marked.
    """
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return
    line = top.marking.level
    marked = _marked(doc)
    if not marked:
        return
    hi_level = max(m.level for _, m in marked)
    if hi_level > line:
        above = [(p, m) for p, m in marked if m.level > line]
        if line == Level.U:
            # In an UNCLAS cable a bare `(C)` / `(S)` on an unnumbered line is far more often
            # an enumeration item (`(A) ... (B) ... (C) ...`) than a paragraph mark.
            above = [(p, m) for p, m in above if p.number or p.kind == "subject"
                     or _mark_text(p).replace(" ", "").upper() not in ("(C)", "(S)")]
            if not above:
                return
            hi_level = max(m.level for _, m in above)
        p0, _ = max(above, key=lambda pm: pm[1].level)
        others = tuple(_mark_span(p) for p, _ in above if p is not p0)
        n = len(above)
        extra = "" if n == 1 else f" ({n} paragraphs are above the line)"
        if line == Level.U:
            msg = (f"`UNCLAS` cable contains {_where(p0)} `{_mark_text(p0)}`{extra}; an "
                   "unclassified cable may carry only `(U)`, `(SBU)` and `(SBU-N)` paragraphs: "
                   f"classify the cable `{_title(hi_level)}` or correct the paragraph mark.")
        else:
            msg = (f"Cable classification line `{_title(line)}` is lower than {_where(p0)} "
                   f"`{_mark_text(p0)}`{extra}; the paragraphs require `{_title(hi_level)}`.")
        yield Hit(_mark_span(p0), msg, key=f"{_title(line)}<{_title(hi_level)}",
                  related=(top.span,) + others)
        return
    if hi_level < line:
        if doc.authority is not None and doc.authority.compilation:
            return
        if any(p.mark is None for p in _numbered_in_sequence(doc)):
            return  # an unmarked paragraph may be the one at the line's level (see MK506)
        if any(p.mark is not None and p.mark.marking is None and _plausible(doc, p)
               for p in _in_scope(doc)):
            return  # an unreadable mark (`(S//Rel NATO, ISAF)`, MK507) may be at that level
        if _unattributed_mark(doc, line):
            return  # the text holds a mark at the line's level that no portion carries
        yield Hit(top.span,
                  f"Cable classification line `{_title(line)}` is higher than every paragraph "
                  f"(highest `{_title(hi_level)}`); lower the line to `{_title(hi_level)}` "
                  "unless the cable is classified by compilation.",
                  key=f"{_title(line)}>{_title(hi_level)}", severity=Severity.WARNING)


_LEVEL_MARK_RE = {
    Level.C: re.compile(r"\(\s*C\s*(?:[/)\-]|\s\S)"),
    Level.S: re.compile(r"\(\s*S\s*(?:[/)\-]|\s[A-Z])"),
    Level.TS: re.compile(r"\(\s*TS\s*[/)\-]"),
}


def _unattributed_mark(doc: Document, level: Level) -> bool:
    """True when the cable text shows a mark at ``level`` outside every parsed portion mark.

    Cables whose line breaks were lost hide paragraphs from the scanner; claiming
    over-classification there would be a false alarm.
    """
    pat = _LEVEL_MARK_RE.get(level)
    if pat is None or not doc.text:
        return False
    top = _top_banner(doc)
    start = top.span.end if top is not None else 0
    owned = [(p.mark.span.start, p.mark.span.end) for p in doc.portions if p.mark is not None]
    for m in pat.finditer(doc.text, start, min(len(doc.text), _scope_end(doc))):
        if not any(a <= m.start() < b for a, b in owned):
            return True
    return False


# --- E04 ------------------------------------------------------------------------------------

@rule("MK504", "cable-noforn-caption", Severity.ERROR, catalogue="E04", profiles=CABLE,
      needs=("top-banner", "portion-marking"))
def cable_noforn_caption(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A NOFORN paragraph in a cable whose header does not carry NOFORN.

    ## What it checks
    If any paragraph carries NOFORN (`(S/NF)`, `(C//NF)`, or `(SBU-N)` in a classified
    cable), the cable header (classification line or caption lines) must carry `NOFORN`.
    An `EXDIS` or `NODIS` caption implies NOFORN, so a missing NOFORN caption under one of
    them is only a warning. A `NOFORN` caption on a cable none of whose marked paragraphs is
    NOFORN is reported as information. `(SBU-N)` in an `UNCLAS` cable is checked by MK505.

    This is the cable form of catalogue A03.

    ## Why
    CAPCO §D.2 Table 3 rules 1-8; ISM-ID-00070; 05 STATE 226504 ¶2d.

    ## Example
    ```
    S E C R E T STATE 012345
    SIPDIS
    ...
    1. (S/NF) ...
    ```

    ## Fix
    Add a `NOFORN` caption line after the classification line.
    """
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return
    classified = top.marking.level > Level.U
    marked = _marked(doc)
    if not marked:
        return
    # each distinct marking object judged once: a cable repeats the same few marks
    distinct = {id(m): m for _, m in marked}
    noforn = {k: _is_noforn(m, classified_cable=classified) for k, m in distinct.items()}
    nf = [(p, m) for p, m in marked if noforn[id(m)]]
    header_nf = _header_noforn(doc)
    if nf and not header_nf:
        p0 = nf[0][0]
        n = len(nf)
        extra = "" if n == 1 else f" (and {n - 1} more)"
        caps = _caption_words(doc)
        implied = [w for w in ("NODIS", "EXDIS") if w in caps
                   or any(m.has(w) for m in _header_markings(doc))]
        if implied:
            yield Hit(top.span,
                      f"Cable header lacks `NOFORN` although {_where(p0)} `{_mark_text(p0)}`"
                      f"{extra} is NOFORN; `{implied[0]}` implies NOFORN, but add the "
                      "`NOFORN` caption to make it explicit.",
                      key="NOFORN-missing", severity=Severity.WARNING,
                      related=tuple(_mark_span(p) for p, _ in nf))
        elif classified or any(m.has("NOFORN") for _, m in nf):
            yield Hit(top.span,
                      f"Cable header lacks `NOFORN` although {_where(p0)} `{_mark_text(p0)}`"
                      f"{extra} is NOFORN; add a `NOFORN` caption line after the "
                      "classification line.",
                      key="NOFORN-missing", related=tuple(_mark_span(p) for p, _ in nf))
    elif header_nf and not any(_is_noforn(m, classified_cable=True) for _, m in marked):
        yield Hit(top.span,
                  "Cable header carries `NOFORN` but no marked paragraph is NOFORN; mark the "
                  "NOFORN paragraphs (`(S//NF)`) or check whether the caption is needed.",
                  key="NOFORN-unused", severity=Severity.INFO)


# --- E05 ------------------------------------------------------------------------------------

@rule("MK505", "cable-sbu-caption", Severity.WARNING, catalogue="E05", profiles=CABLE,
      needs=("top-banner", "portion-marking", "level:U"))
def cable_sbu_caption(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An UNCLAS cable with (SBU) paragraphs is not captioned SBU.

    ## What it checks
    An unclassified cable with `(SBU)` or `(SBU-N)` paragraphs must be captioned as SBU: a
    `SENSITIVE` (or `SENSITIVE BUT UNCLASSIFIED`) caption, or the classification line
    `UNCLAS SENSITIVE`. `(SBU-N)` paragraphs also need a `NOFORN` caption.

    ## Why
    CAPCO SBU and SBU NOFORN templates (SBU is always shown in the overall marking of an
    unclassified document); ISM-ID-00104, -00105; 06 STATE 89712 (`UNCLAS` + `SENSITIVE`).

    ## Example
    ```
    UNCLAS STATE 012345
    SIPDIS
    ...
    1. (SBU) ...
    ```

    ## Fix
    Add a `SENSITIVE` caption line (and `NOFORN` for `(SBU-N)` paragraphs).
    """
    top = _top_banner(doc)
    if top is None or top.marking is None or top.marking.level != Level.U:
        return
    sbu = [(p, m) for p, m in _marked(doc) if _is_sbu(m)]
    if not sbu:
        return
    header_sbu = (any(_is_sbu(m) for m in _header_markings(doc))
                  or "SENSITIVE" in _caption_words(doc)
                  or "SENSITIVE" in top.text.upper()
                  or _header_word(doc, "SENSITIVE"))
    if not header_sbu:
        p0 = sbu[0][0]
        n = len(sbu)
        extra = "" if n == 1 else f" (and {n - 1} more)"
        yield Hit(top.span,
                  f"`UNCLAS` cable has SBU paragraphs ({_where(p0)} `{_mark_text(p0)}`{extra}) "
                  "but no SBU caption; add a `SENSITIVE` caption line or use "
                  "`UNCLAS SENSITIVE`.",
                  key="SBU-missing", related=tuple(_mark_span(p) for p, _ in sbu))
    sbun = [p for p, m in sbu if m.has("SBU NOFORN")]
    if sbun and not _header_noforn(doc):
        p0 = sbun[0]
        n = len(sbun)
        extra = "" if n == 1 else f" (and {n - 1} more)"
        yield Hit(top.span,
                  f"`UNCLAS` cable has {_where(p0)} `{_mark_text(p0)}`{extra} but no `NOFORN` "
                  "caption; add a `NOFORN` caption line.",
                  key="SBU-NOFORN-missing", related=tuple(_mark_span(p) for p in sbun))


# --- E06 ------------------------------------------------------------------------------------

_NUM_LABEL_RE = re.compile(r"[ \t]*\u00b6?[ \t]*\d{1,3}[ \t]?\.[ \t]*")
# no text left to judge: redacted ("XXXXXXXXXXXX", "(C XXXXXXXXXXXX", "[DETAILS REMOVED]"),
# cut off by the publisher ("(C...", "..."), or an empty number
_NO_TEXT_HEAD_RE = re.compile(
    r"(?i)\(?[ \t]*(?:[A-Z/]{1,6}[ \t]+)?X{6,}|\[DETAILS REMOVED\]|\(?[A-Z/]{0,6}[ \t]*"
    r"(?:\.{2,}|\u2026)[ \t]*$|$")
# "1. SECRET - ENTIRE TEXT." / "1. (C - ENTIRE TEXT).": one mark for the whole cable
_ENTIRE_TEXT_RE = re.compile(
    r"(?i)\b(?:U|C|S|TS|SECRET|CONFIDENTIAL|UNCLASSIFIED|LIMITED OFFICIAL USE)"
    r"[ \t]*-{1,2}[ \t]*ENTIRE[ \t]+TEXT\b")
# a cheap necessary condition for _ENTIRE_TEXT_RE (which tries its alternation everywhere)
_ENTIRE_TEXT_HINT_RE = re.compile(r"(?i)ENTIRE[ \t]+TEXT")
# "1. KEY POINTS -- (C) ..." with the line break lost: a heading, then a marked bullet
_INLINE_BULLET_MARK_RE = re.compile(
    r"[^.()\n]{0,60}?--[ \t]*\((?:U|C|S|TS|SBU)(?:[/ -][A-Za-z/ ,-]{0,40})?\)")


def _heading_over_marked(doc: Document, p: Portion) -> bool:
    """``5. KEY POINTS`` (a short heading line) whose next portion is marked.

    The numbered paragraph is then a heading over marked bullets or sub-paragraphs; the
    marks sit on its content, which is how cables write key-point lists.
    """
    if not doc.text or p.span.end > len(doc.text) or p.span.end <= p.span.start:
        return False  # no text to look at: judge by the mark alone
    text = doc.text[p.span.start:p.span.end]
    m = _NUM_LABEL_RE.match(text)
    body = text[m.end():] if m else text
    if _INLINE_BULLET_MARK_RE.match(body):
        return True
    head = re.sub(r"\n[ \t]*[-=_]{3,}[ \t]*(?=\n|$)", "", body).strip()  # underlined
    if _NO_TEXT_HEAD_RE.match(head) or re.match(r"(?i)classified[ \t]+by\b", head):
        return True  # nothing to mark is visible, or the Classified By line was numbered
    if not head or "\n" in head or len(head) > 60 or head[-1] in ".!?":
        return False
    later = [q for q in doc.portions if q.span.start >= p.span.end and q.kind != "subject"]
    return bool(later) and not _is_top_numbered(later[0]) and later[0].mark is not None \
        and later[0].mark.marking is not None


@rule("MK506", "cable-paragraph-mark", Severity.ERROR, catalogue="E06", profiles=CABLE,
      needs=("banner", CLASSIFIED_LEVELS, "unmarked-numbered"))
def cable_paragraph_mark(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A numbered paragraph of a classified cable has no paragraph mark.

    ## What it checks
    In a classified cable every numbered paragraph carries a mark right after its number
    (`3. (C) ...`). Lettered sub-paragraphs may inherit their parent's mark and are not
    checked. When no numbered paragraph at all is marked, one finding is reported for the
    whole cable instead of one per paragraph. Unclassified cables are not checked. A
    numbered paragraph that is only a short heading (`1. KEY POINTS`) directly followed by
    marked bullets or sub-paragraphs is not reported: the marks sit on its content. Nor are
    paragraphs whose text is not there to judge (redacted `XXXXXXXXXXXX`, cut off `(C...`,
    an empty number), a numbered `Classified By` line, or any paragraph of a cable whose
    first paragraph reads `SECRET - ENTIRE TEXT` (the older whole-cable form).

    This is the cable form of catalogue C04.

    ## Why
    5 FAH-1 H-240 (2004): "include the classification of each paragraph immediately
    following the paragraph number"; 32 CFR 2001.21; CAPCO §C.

    ## Example
    ```
    3. The minister said ...
    ```

    ## Fix
    Mark the paragraph: `3. (C) The minister said ...`.
    """
    level = _line_level(doc)
    if level is None or level == Level.U:
        return
    numbered = _numbered_in_sequence(doc)
    if numbered and doc.text and _ENTIRE_TEXT_HINT_RE.search(
            doc.text, numbered[0].span.start, numbered[0].span.end) and _ENTIRE_TEXT_RE.search(
            doc.text, numbered[0].span.start, numbered[0].span.end):
        return  # "1. SECRET - ENTIRE TEXT.": the first paragraph marks the whole cable
    raw = [p for p in numbered if p.mark is None]
    unmarked = [p for p in raw if not _heading_over_marked(doc, p)]
    if not unmarked:
        return
    title = _title(level)
    if len(raw) == len(numbered) and len(numbered) > 1:
        unmarked = raw
        yield Hit(_head_span(doc, unmarked[0]),
                  f"None of the {len(numbered)} numbered paragraphs of this `{title}` cable is "
                  "marked; mark each paragraph right after its number, e.g. "
                  f"`1. {_level_mark(level)}`.",
                  key=f"unmarked-all|{title}",
                  related=tuple(_head_span(doc, p) for p in unmarked[1:]))
        return
    for p in unmarked:
        garbled = _garbled_mark(doc, p)
        if garbled:
            yield Hit(_head_span(doc, p),
                      f"{_where(p).capitalize()} of this `{title}` cable has a mark that cannot "
                      f"be read (`{garbled}`); write a cable paragraph mark right after the "
                      f"number, e.g. `{p.number}. {_level_mark(level)}`.",
                      key=f"garbled|{title}|{p.number}")
            continue
        yield Hit(_head_span(doc, p),
                  f"{_where(p).capitalize()} of this `{title}` cable has no paragraph mark; "
                  f"add one right after the number, e.g. `{p.number}. {_level_mark(level)}`.",
                  key=f"unmarked|{title}|{p.number}")


_LEVEL_MARKS = {Level.C: "(C)", Level.S: "(S)", Level.TS: "(TS)", Level.R: "(C)"}
# a parenthesised token right after the number that is no mark the scanner reads: `(SE)`,
# `(/Rel UK)`, `(CONF)`, also a half-open `C)`; marking-like letters only, so that prose in
# parentheses (`(Note: ...)`) is not taken for a garbled mark
_GARBLED_MARK_RE = re.compile(
    r"[ \t]*(\([ \t]*[/A-Z][A-Za-z/ \-]{0,14}[ \t]*\)|[A-Z]{1,3}\))(?=[ \t\n])")


def _level_mark(level: Level) -> str:
    """The example mark for a paragraph of a cable at ``level``: `(S)` in a SECRET cable."""
    return _LEVEL_MARKS.get(level, "(C)")


def _garbled_mark(doc: Document, p: Portion) -> str | None:
    """The unreadable mark right after the number of ``p``, as written, or None."""
    if not doc.text or p.span.end > len(doc.text):
        return None
    text = doc.text[p.span.start:min(p.span.end, p.span.start + 60)]
    m = _NUM_LABEL_RE.match(text)
    if m is None:
        return None
    g = _GARBLED_MARK_RE.match(text, m.end())
    if g is None:
        return None
    tok = g.group(1)
    words = re.findall(r"[A-Za-z]+", tok)
    if not words or any(len(w) > 5 for w in words) or tok.strip("()").istitle() and \
            len(words) == 1 and len(words[0]) > 3:
        return None  # a word in parentheses (`(Note)`), not a garbled mark
    return " ".join(tok.split())


# --- E07 ------------------------------------------------------------------------------------

# An unreadable mark may have swallowed prose (`(S//NF per the ambassador ...)`): messages
# quote it only when it is short and marking-like, as MK201 does (syntax.py).
_MARK_WORD_RE = re.compile(r"[A-Z0-9][A-Z0-9-]*|[A-Za-z]{1,3}|[-.:]+")


def _quotable_mark(text: str) -> bool:
    """True for a short, marking-like mark (`(S//NOFRON)`, `(C/REL UK)`, `(SNF)`)."""
    inner = text.strip().strip("()[] \t")
    words = [w for w in re.split(r"[ \t/,]+", inner) if w]
    if not words or len(text) > 40:
        return False
    if not all(_MARK_WORD_RE.fullmatch(w) for w in words):
        return False  # a word in lowercase: prose
    return len(words) <= 4 or all(len(w) <= 4 for w in words)


def _words(text: str) -> str:
    n = len(text.strip("() \t").split())
    return f"{n} word{'s' if n != 1 else ''}"


def _mark_why(error: str) -> str:
    """The parser's reason as a clause, with every quoted piece that is not marking-like
    elided: `` (unknown marking token `NOFRON`)``."""
    def q(m: re.Match[str]) -> str:
        x = m.group(1)
        keep = _quotable_mark(x) or (len(x) <= 3 and not any(c.isalnum() for c in x))
        return f"`{x}`" if keep else "`…`"

    msg = re.sub(r"`([^`]*)`", q, error.strip())
    msg = re.sub(r"\s*Did you mean `[^`]*`\?", "", msg).strip().rstrip(".")
    return f" ({msg[:1].lower() + msg[1:]})" if msg else ""


_REL_WORD_RE = re.compile(r"\bREL(?:EASABLE)?\b", re.IGNORECASE)

# Cable forms the handbook lists as they are: accepted without a normalisation note.
_ACCEPTED_AS_IS = frozenset({"(SBU)", "(SBU-N)", "(SBU-NF)"})



@rule("MK507", "cable-portion-vocabulary", Severity.ERROR, catalogue="E07", profiles=CABLE,
      needs=(("mark-error", "dev:cable-portion-vocabulary"),))
def cable_portion_vocabulary(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A cable paragraph mark outside the cable vocabulary, or in a normalised cable form.

    ## What it checks
    Cable paragraph marks may use the forms `(U)`, `(C)`, `(S)`, `(TS)`, `(SBU)`,
    `(SBU-N)`, `(SBU/N)`, `(SBU-NF)`, `(C/NF)`, `(S/NF)`, `(TS/NF)` and their `//`
    equivalents. Single-slash and other cable forms are accepted and normalised with an
    information finding (one per distinct form per document); a mark that cannot be read
    at all is an error. Half-open, doubled or bracketed marks (`C)`, `(S)(NF)`, `[S]`) are
    left to `syntax-portion-delimiters`. An unreadable mark may have swallowed prose (a
    missing closing parenthesis): it is quoted only when it is short and marking-like,
    otherwise the message names the paragraph and the number of words.

    ## Why
    5 FAH-1 H-240 (2004) paragraph classification letters; CAPCO §A.6.

    ## Example
    `(S/NF)` is read as `(S//NF)` (information); `(SNF)` and `(S/NOFORN/XYZ)` are errors.

    ## Fix
    Use the canonical form shown in the message, e.g. `(S//NF)`.
    """
    info: dict[str, list[Span]] = {}
    info_msg: dict[str, str] = {}
    bad: dict[str, list[Span]] = {}
    bad_msg: dict[str, str] = {}
    bad_fix: dict[str, str] = {}
    bad_where: dict[str, str] = {}
    for p in _in_scope(doc):
        ref = p.mark
        if ref is None:
            continue
        m = ref.marking
        if m is not None and not ref.error and not any(
                d.rule == "cable-portion-vocabulary" for d in m.deviations):
            continue  # (most marks: readable, in a cable form as written)
        text = " ".join(ref.text.split())
        if ref.marking is None or ref.error:  # unreadable (perhaps read after a repair)
            if not _plausible(doc, p) or ERR_DELIMITERS in (ref.error or ""):
                continue  # half-open, doubled, bracketed: MK216 syntax-portion-delimiters
            bad.setdefault(text, []).append(ref.span)
            if text not in bad_msg:
                bad_where[text] = _where(p)
                quoted = _quotable_mark(text)
                bad_msg[text] = _mark_why(ref.error) if quoted and ref.error else ""
                sugg = ref.suggestion if ref.suggestion and _quotable_mark(ref.suggestion) \
                    else None
                bad_fix[text] = (f"did you mean `{sugg}`?" if sugg
                                 else "use a cable form such as `(C)`, `(S//NF)` or `(SBU)`.")
            continue
        devs = [d for d in ref.marking.deviations if d.rule == "cable-portion-vocabulary"]
        if not devs or text.replace(" ", "").upper() in _ACCEPTED_AS_IS:
            continue
        info.setdefault(text, []).append(ref.span)
        if text not in info_msg:
            canon = ref.canonical
            info_msg[text] = (f"Paragraph mark `{text}` uses a cable form"
                              + (f"; the canonical form is `{canon}`." if canon
                                 else "; use the canonical `//` form."))
    for text, spans in bad.items():
        where = bad_where[text]
        if _quotable_mark(text):
            shown, what = f"Paragraph mark `{text}`", "is not a known marking"
        else:  # may hold swallowed prose: not quoted
            shown = where[:1].upper() + where[1:]
            what = f"has an unreadable mark of {_words(text)}"
        if _REL_WORD_RE.search(text):
            # A release list in free form (`(S//REL SAU)`, `(C/Releasable to Italy)`): the
            # level is readable, the list is not standard. Same standing as MK508.
            what = "has a release list that cannot be read" if _quotable_mark(text) else \
                f"has an unreadable release mark of {_words(text)}"
            yield Hit(spans[0], f"{shown} {what}{_times(len(spans))}; write `REL TO USA, ` "
                                "followed by trigraphs, e.g. `(S//REL TO USA, GBR)`.",
                      key=text, severity=Severity.WARNING, related=tuple(spans[1:]))
            continue
        yield Hit(spans[0], f"{shown} {what}{bad_msg[text]}"
                            f"{_times(len(spans))}; {bad_fix[text]}",
                  key=text, related=tuple(spans[1:]))
    for text, spans in info.items():
        msg = info_msg[text]
        if len(spans) > 1:
            msg = msg.rstrip(".") + f" ({len(spans)} times)."
        yield Hit(spans[0], msg, key=text, severity=Severity.INFO, related=tuple(spans[1:]))


# --- E08 ------------------------------------------------------------------------------------

_LIST_RULES = ("cable-rel-country-names", "syntax-relto-list")


def release_list_deviations(m: Marking | None) -> list[Deviation]:
    """The deviations of ``m``'s release list: the ones MK508 reports, in a cable, as one
    finding per mark (the syntax rules MK207, MK208 and MK216 leave such marks alone there).

    Read from the parser's deviations, not re-parsed: the cable forms
    (`cable-rel-country-names`), and list faults the parser names by the IC rules
    (`syntax-relto-list`, or `syntax-country-code` for a code of the REL TO list) when the
    cable wrote `(S//REL RUSSIA)` with the IC separator.
    """
    if m is None or not (m.rel_to or m.rel_abbrev):
        return []
    out = []
    for d in m.deviations:
        if d.rule in _LIST_RULES or (d.rule == "syntax-country-code" and (
                d.canonical in m.rel_to or d.detail in m.rel_to
                or any(c in m.rel_to for c in re.findall(r"[A-Z]{3,4}", d.canonical or "")))):
            out.append(d)
    return out


def _plain(text: str) -> bool:
    """A short marking-like piece of a deviation's detail (quotable in a message)."""
    return 0 < len(text) <= 25 and bool(re.fullmatch(r"[A-Z][A-Z_ .'/-]*", text))


def _list_faults(devs: list[Deviation]) -> list[str]:
    """The release-list deviations in words, each fault once: ``REL`` for ``REL TO``,
    ``RUSSIA`` for ``RUS``, ``/`` between codes, codes out of order, no ``USA``.

    The parser names a list's faults in one deviation, joined by ``; `` (and repeats them
    in the cable form's deviation); its country-code deviation pairs the names as written
    with the codes to write (``UK, PAKISTAN`` -> ``GBR, PAK``).
    """
    faults: dict[str, str] = {}
    names: set[str] = set()
    for d in devs:
        if d.rule != "syntax-country-code":
            continue
        written = [x.strip() for x in d.detail.split(",") if x.strip()]
        codes = [x.strip() for x in (d.canonical or "").split(",") if x.strip()]
        names.update(w.upper() for w in written)
        pairs = [(w, c) for w, c in zip(written, codes) if _plain(w) and _plain(c)]
        if len(written) != len(codes) or len(pairs) != len(written):
            # no code to pair with (`UN`, `ROYG`): named as not registered, when quotable
            for w in written:
                faults[w.upper()] = f"`{w}` not a registered code" if _plain(w) else \
                    "a non-standard entry"
        elif len(pairs) <= 3:
            for w, c in pairs:
                faults[w.upper()] = f"`{w}` for `{c}`"
        else:
            w, c = pairs[0]
            faults["NAMES"] = f"{len(pairs)} names instead of codes (`{w}` for `{c}` ...)"
    for d in devs:
        if d.rule == "syntax-country-code":
            continue
        canon = (d.canonical or "").strip()
        for part in (x.strip() for x in d.detail.split(";")):
            up = part.upper()
            if not part or up in names:
                continue  # named with its code above
            between = re.fullmatch(r"(\S+) between codes", part)
            if up.startswith("REL TO WITHOUT USA"):
                faults.setdefault(up, "no `USA`")
            elif between is not None:
                faults.setdefault(up, f"`{between.group(1)}` between codes")
            elif up == "CODES OUT OF ORDER" or (up.startswith("REL TO ")
                                                and canon.upper().startswith("REL TO ")):
                faults.setdefault("CODES OUT OF ORDER", "codes out of order")
            elif " for " in part and all(_plain(x) for x in part.split(" for ", 1)):
                a, b = part.split(" for ", 1)
                faults.setdefault(up, f"`{a}` for `{b}`")
            elif _plain(part):
                faults.setdefault(up, f"`{part}`")
            else:
                faults.setdefault("?", "a non-standard entry")
    return sorted(faults.values(), key=lambda f: f == "no `USA`")  # the missing USA last



@rule("MK508", "cable-rel-country-names", Severity.WARNING, catalogue="E08", profiles=CABLE,
      needs=((REL_LIST, REL_ABBREV), tuple("dev:" + r for r in (*_LIST_RULES,
                                                                "syntax-country-code"))))
def cable_rel_country_names(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A cable release marking uses country names, digraphs or omits USA.

    ## What it checks
    Release markings in cables must read `REL TO USA, <trigraphs>`. Country names,
    digraphs, a bare `REL`, a lowercase `to`, slashes between codes, codes out of order or
    a missing `USA` (`(S/REL to RUSSIA)`, `(C/REL UK)`, `(S//REL RUSSIA)`) are read with
    their intended meaning and reported once per distinct mark, naming every fault and
    giving the whole corrected mark. In a cable this rule alone reports a release list:
    `syntax-relto-list`, `syntax-country-code` and `syntax-portion-delimiters` leave such
    marks to it, so one mark never gives several findings with partial fixes.

    ## Why
    ISM-ID-00214, -00265; CAPCO REL TO template (USA first, then trigraphs).

    ## Example
    `(S/REL to RUSSIA)`

    ## Fix
    Write the standard form, e.g. `(S//REL TO USA, RUS)`.
    """
    found: dict[str, list[Span]] = {}
    msgs: dict[str, str] = {}
    refs = [(p.mark, "Paragraph mark") for p in doc.portions if p.mark is not None]
    refs += [(b, "Classification line") for b in doc.banners]
    for ref, what in refs:
        if ref is None or ref.marking is None or ref.error:
            continue  # unreadable as written: MK507 / MK216
        devs = release_list_deviations(ref.marking)
        if not devs:
            continue
        text = " ".join(ref.text.split())
        found.setdefault(text, []).append(ref.span)
        if text not in msgs:
            canon = ref.canonical
            detail = "; ".join(_list_faults(devs))
            msgs[text] = (f"{what} `{text}` uses a non-standard release list"
                          + (f" ({detail})" if detail else "")
                          + (f"; write `{canon}`" if canon
                             else "; write `REL TO USA, ` followed by trigraphs"))
    for text, spans in found.items():
        yield Hit(spans[0], msgs[text] + _times(len(spans)) + ".", key=text,
                  related=tuple(spans[1:]))


_EO_TEXT_RE = re.compile(r"\bE\.?\s?[O0]\.?\s*1\d{4}\b|\bDECL\s*:")
_CLASSIFIED_BY_TEXT_RE = re.compile(r"CLASSIFIED\s+BY\b", re.IGNORECASE)

# --- E09 ------------------------------------------------------------------------------------

@rule("MK509", "cable-eo-line", Severity.ERROR, catalogue="E09", profiles=CABLE)
def cable_eo_line(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified cable lacks its E.O./DECL line, or an UNCLAS cable carries a DECL date.

    ## What it checks
    A classified cable must carry `E.O. nnnnn: DECL: <date | event | exemption>`; an
    unclassified cable carries `E.O. nnnnn: N/A`. A classified cable with no E.O. line,
    with `N/A`, or with an E.O. line lacking a `DECL:` value is an error; a `DECL:` value on
    an `UNCLAS` cable is a warning. (A missing E.O. line on an unclassified cable is not
    reported.) The validity of the DECL value itself is checked by group D. A later section
    filed on its own (`SECTION 02 OF 03`) is not asked for the line, which is in section 1.

    ## Why
    5 FAH-1 H-130 (classified documents give declassification guidance); 32 CFR
    2001.21(a)(4); ISM-ID-00016; `E.O. 12958: N/A` on the unclassified 05 STATE 226504.

    ## Example
    `C O N F I D E N T I A L ...` with `E.O. 12958: N/A`.

    ## Fix
    Give the declassification instruction: `E.O. 12958: DECL: 09/14/2015`.
    """
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return
    level = top.marking.level
    auth = doc.authority
    has_line = auth is not None and (auth.eo is not None or auth.eo_na
                                     or auth.decl is not None or auth.eo_span is not None)
    eo = f"E.O. {auth.eo}" if auth is not None and auth.eo else "E.O."
    if level > Level.U:
        if not has_line:
            if _later_section(top):
                return  # "SECTION 02 OF 03" on its own: the E.O. line is in section 1
            if doc.text and _EO_TEXT_RE.search(doc.text[:_scope_end(doc)]):
                return  # an E.O. line the scanner could not read (e.g. run-on header)
            yield Hit(top.span, f"`{_title(level)}` cable has no `E.O. nnnnn: DECL:` line; add "
                                "the E.O. line with its declassification instruction after the "
                                "captions.", key=f"eo-missing|{_title(level)}")
            return
        assert auth is not None
        span = auth.eo_span or top.span
        if auth.eo_na:
            yield Hit(span, f"`{_title(level)}` cable carries `{eo}: N/A`; a classified cable "
                            f"needs `{eo}: DECL: <date, event or exemption>`.",
                      key=f"eo-na|{_title(level)}", related=(top.span,))
        elif auth.decl is None and auth.declassify_on is None:
            if doc.text and auth.eo_span is not None and "DECL" in doc.text[
                    auth.eo_span.start:auth.eo_span.end + 60].upper():
                return  # `DECL:` wrapped to the next line; the value is there
            yield Hit(span, f"E.O. line of this `{_title(level)}` cable has no `DECL:` value; "
                            f"write `{eo}: DECL: <date, event or exemption>`.",
                      key=f"decl-missing|{_title(level)}", related=(top.span,))
    elif has_line and auth is not None and auth.decl is not None and not auth.eo_na:
        yield Hit(auth.eo_span or auth.decl.span or top.span,
                  f"`UNCLAS` cable carries a `DECL:` value on its E.O. line; an unclassified "
                  f"cable carries `{eo}: N/A`.", key="decl-on-unclas",
                  severity=Severity.WARNING, related=(top.span,))


# --- E10 ------------------------------------------------------------------------------------

@rule("MK510", "cable-classified-by-line", Severity.ERROR, catalogue="E10", profiles=CABLE)
def cable_classified_by_line(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classified cable lacks its Classified By line, or an UNCLAS cable carries one.

    ## What it checks
    A classified cable must contain an unnumbered `Classified By: <name>, <title>.
    Reason(s): 1.4 (x) [and (y)].` line before paragraph 1 (line wraps and variants such as
    `CLASSIFIED BY ... PER 1.5 (B) AND (D)` are tolerated by the scanner). A Classified By
    line on an `UNCLAS` cable is a warning. The reason letters are checked by group C/D.
    A later section filed on its own (`SECTION 02 OF 03`) is not asked for the line, which
    is in section 1.

    ## Why
    5 FAH-1 H-240 (2004); 32 CFR 2001.21(a)(1)-(3).

    ## Example
    A `S E C R E T` cable without a `Classified By` line.

    ## Fix
    Add `Classified By: <name>, <title>. Reasons 1.4 (b) and (d).` before paragraph 1.
    """
    top = _top_banner(doc)
    if top is None or top.marking is None:
        return
    level = top.marking.level
    auth = doc.authority
    present = auth is not None and auth.classified_by
    if level > Level.U and not present:
        if _later_section(top):
            return  # "SECTION 02 OF 03" on its own: the header lines are in section 1
        if doc.text and _CLASSIFIED_BY_TEXT_RE.search(doc.text[:_scope_end(doc)]):
            return  # present but unreadable or inside paragraph 1 (older cables)
        yield Hit(top.span, f"`{_title(level)}` cable has no `Classified By` line; add "
                            "`Classified By: <name>, <title>. Reason(s): 1.4 (x).` before "
                            "paragraph 1.", key=f"classified-by-missing|{_title(level)}")
    elif level == Level.U and present:
        assert auth is not None
        span = auth.classified_by_span
        if span is not None and span.start >= _scope_end(doc):
            return
        yield Hit(auth.classified_by_span or top.span,
                  "`UNCLAS` cable carries a `Classified By` line; remove it, or classify the "
                  "cable if its content is classified.", key="classified-by-on-unclas",
                  severity=Severity.WARNING, related=(top.span,))


# --- E11 ------------------------------------------------------------------------------------

@rule("MK511", "cable-sipdis-restrictive", Severity.WARNING, catalogue="E11", profiles=CABLE,
      needs=("caption-has:SIPDIS", ("caption-has:NODIS", "caption-has:EXDIS", "NODIS", "EXDIS")))
def cable_sipdis_restrictive(doc: Document, ctx: Context) -> Iterator[Hit]:
    """SIPDIS is combined with a restrictive caption (NODIS or EXDIS).

    ## What it checks
    The `SIPDIS` caption (distribution on SIPRNet) may not be combined with the restrictive
    captions `NODIS` or `EXDIS`; the restrictive caption controls.

    The catalogue also proposes an information finding for `SIPDIS` on cables dated before
    December 2005. It is **not** implemented: real cables from 2002-2005 carry `SIPDIS`
    routinely (about 300 of 3,392 cables in the evaluation corpus), so the note would be a
    false alarm.

    ## Why
    05 STATE 226504 ¶2b; 06 STATE 89712 ¶1.

    ## Example
    Captions `NODIS` and `SIPDIS` together.

    ## Fix
    Drop `SIPDIS` from a NODIS/EXDIS cable (or drop the restrictive caption if the cable may
    go to SIPRNet).
    """
    caps = _caption_words(doc)
    if "SIPDIS" not in caps:
        return
    restrictive = [w for w in ("NODIS", "EXDIS") if w in caps
                   or any(m.has(w) for m in _header_markings(doc))]
    if not restrictive:
        return
    sip = next((c for c in doc.captions if "SIPDIS" in c.text.upper()), None)
    span = sip.span if sip is not None else (doc.banners[0].span if doc.banners else Span())
    yield Hit(span, f"Caption `SIPDIS` is combined with `{restrictive[0]}`; the restrictive "
                    f"caption controls distribution: remove `SIPDIS`.",
              key=f"SIPDIS+{restrictive[0]}")


# --- E12 ------------------------------------------------------------------------------------

@rule("MK512", "cable-nodis-exdis", Severity.ERROR, catalogue="E12", profiles=CABLE,
      needs=(("caption-has:NODIS", "caption-has:EXDIS", "NODIS", "EXDIS"),))
def cable_nodis_exdis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An EXDIS/NODIS cable has REL paragraphs, or carries both NODIS and EXDIS.

    ## What it checks
    `EXDIS` and `NODIS` captions imply NOFORN, so the cable may not contain paragraphs
    marked `REL TO`; and `NODIS` and `EXDIS` are not used together (NODIS controls).

    ## Why
    CAPCO EXDIS and NODIS templates; ISM-ID-00038, -00313, -00314; 5 FAH-2 H-252.1-1(b).

    ## Example
    `EXDIS` caption with `2. (S//REL TO USA, GBR) ...`.

    ## Fix
    Mark the paragraph `(S//NF)`, or remove the restrictive caption; keep only `NODIS` when
    both are present.
    """
    caps = _caption_words(doc)
    headers = _header_markings(doc)
    present = [w for w in ("NODIS", "EXDIS") if w in caps or any(m.has(w) for m in headers)]
    if not present:
        return
    anchor = next((c.span for c in doc.captions
                   if any(w in c.text.upper() for w in present)), None)
    if anchor is None:
        anchor = doc.banners[0].span if doc.banners else Span()
    if len(present) == 2:
        yield Hit(anchor, "Cable carries both `NODIS` and `EXDIS`; `NODIS` controls, remove "
                          "`EXDIS`.", key="NODIS+EXDIS")
    rel = [p for p, m in _marked(doc) if _is_rel(m)]
    if rel:
        p0 = rel[0]
        n = len(rel)
        extra = "" if n == 1 else f" (and {n - 1} more)"
        yield Hit(_mark_span(p0), f"{_where(p0).capitalize()} `{_mark_text(p0)}`{extra} is "
                                  f"releasable but the cable is `{present[0]}`, which implies "
                                  "NOFORN; mark the paragraph NOFORN or remove the caption.",
                  key=f"{present[0]}+REL", related=(anchor,) + tuple(
                      _mark_span(p) for p in rel[1:]))


# --- E13 / E14: engine behaviour ------------------------------------------------------------

@rule("MK513", "cable-limdis-disambiguation", Severity.INFO, catalogue="E13", profiles=CABLE,
      needs=(NEVER,))
def cable_limdis_disambiguation(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A State LIMDIS caption is a distribution caption, not the NGA LIMDIS (DS) control.

    ## What it checks
    Nothing is reported: this entry documents an engine behaviour. A `LIMDIS` caption line
    on a cable is kept as a State distribution caption; it is not the NGA `LIMITED
    DISTRIBUTION` (`DS`) control, so the "DS only with UNCLASSIFIED" check (MK121, catalogue
    A21) does not fire on a `C O N F I D E N T I A L` cable captioned `LIMDIS`. That check
    still applies to `DS` written inside a marking.

    ## Why
    CAPCO LIMDIS template (NGA sponsor, unclassified geospatial products) versus State's
    caption use (5 FAH-2 H-440).

    ## Example
    `C O N F I D E N T I A L` + `LIMDIS` caption: no finding.

    ## Fix
    None needed.
    """
    return iter(())


@rule("MK514", "cable-unclas-efto", Severity.INFO, catalogue="E14", profiles=CABLE,
      needs=(NEVER,))
def cable_unclas_efto(doc: Document, ctx: Context) -> Iterator[Hit]:
    """UNCLAS EFTO is read as UNCLASSIFIED, neither classified nor SBU.

    ## What it checks
    Nothing is reported: this entry documents an engine behaviour. `UNCLAS EFTO`
    (unclassified, encrypted for transmission only) on a classification line gives the
    overall marking `UNCLASSIFIED`; it is neither a classification nor an SBU control, so
    no SBU or roll-up rule treats it as one.

    ## Why
    5 FAH-2 H-222.

    ## Example
    `UNCLAS EFTO STATE 012345` -> overall marking `UNCLASSIFIED`.

    ## Fix
    None needed.
    """
    return iter(())


# --- E15 ------------------------------------------------------------------------------------

@rule("MK515", "cable-spaced-banner-outside-cables", Severity.INFO, catalogue="E15",
      profiles=MARKING_PROFILES,
      needs=(("style:memo", "style:unmarked"), "spaced-banner"))
def cable_spaced_banner_outside_cables(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A spaced-letter banner (S E C R E T) outside a State cable.

    ## What it checks
    Spaced-letter classification lines are a telegram convention. In memos, reports and
    e-mail the banner spells the level out normally. Reported once per distinct banner.

    ## Why
    CAPCO §D.1 (banner in uppercase, spelled out per the Register).

    ## Example
    Memo banner `S E C R E T`.

    ## Fix
    Write `SECRET`.
    """
    if doc.style == "cable":
        return
    seen: dict[str, list[Span]] = {}
    canon: dict[str, str] = {}
    for b in doc.banners:
        if not b.spaced:
            continue
        text = " ".join(b.text.split())
        seen.setdefault(text, []).append(b.span)
        if b.marking is not None:
            canon[text] = _render_banner(b.marking)
    for text, spans in seen.items():
        fix = f"write `{canon[text]}`" if text in canon else "spell the level out normally"
        yield Hit(spans[0], f"Banner `{text}` uses spaced letters, a State telegram convention"
                            f"{_times(len(spans))}; {fix}.", key=text,
                  related=tuple(spans[1:]))


def _render_banner(m: Marking) -> str:
    try:
        return m.banner()
    except Exception:  # noqa: BLE001  renderer not available or cannot render: fall back to the level
        return _title(m.level)


# --- E16 ------------------------------------------------------------------------------------

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DTG_RE = re.compile(
    r"^[ \t]*(?:[OPRZ]{1,2}|[OPRZ] [OPRZ])[ \t]+(\d{2})\d{4}Z[ \t]+("
    + "|".join(_MONTHS) + r")[ \t]+(\d{2}|\d{4})[ \t]*$", re.MULTILINE)
# the newline before a line that _DTG_RE matches: the regex engine jumps from newline to
# newline instead of trying "^" at every position (see dtg_of)
_DTG_NL_RE = re.compile(r"\n(?=" + _DTG_RE.pattern[1:] + ")", re.MULTILINE)
_CABLE_ID_RE = re.compile(r"^(\d{2}|\d{4})([A-Z][A-Z-]*)(\d+)$")


def _full_year(y: str) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    return 1900 + n if n >= 60 else 2000 + n


def dtg_of(doc: Document) -> tuple[_dt.date, Span] | None:
    """The date of the cable's date-time group (``R 011849Z MAR 07``), if any.

    Reads the first DTG line of the routing header; falls back to ``doc.date`` when the
    scanner took the date from the DTG (``date_source == "dtg"``).
    """
    got = _dtg(doc)
    if got is None:
        return None
    day, where = got
    return day, (doc.span(*where) if where is not None else Span())


_DTG_HEAD = 6000


def _dtg_result(doc: Document, m: re.Match[str] | None
                ) -> tuple[_dt.date, tuple[int, int] | None] | None:
    """The date and offsets of a DTG match, else the scanner's DTG date (no offsets)."""
    if m:
        year = _full_year(m.group(3))
        month = _MONTHS.index(m.group(2)) + 1
        try:
            day = _dt.date(year, month, int(m.group(1)))
        except ValueError:
            day = _dt.date(year, month, 1)
        return day, (m.start(), m.end())
    if doc.date is not None and doc.date_source == "dtg":
        return doc.date, None
    return None


def _dtg_plain(doc: Document) -> tuple[_dt.date, tuple[int, int] | None] | None:
    """:func:`_dtg` on a copy of the first 6000 characters (tests compare the two)."""
    m = None
    if doc.text:
        head = doc.text[:_DTG_HEAD]
        m = _DTG_RE.match(head)
        if m is None:
            nl = _DTG_NL_RE.search(head)
            m = _DTG_RE.match(head, nl.start() + 1) if nl is not None else None
    return _dtg_result(doc, m)


def _dtg(doc: Document) -> tuple[_dt.date, tuple[int, int] | None] | None:
    """:func:`dtg_of` with the offsets of the DTG line instead of its span (None for the
    scanner's date): the span is built only when a finding needs it."""
    m = None
    text = doc.text
    if text:
        # the first 6000 characters, given as the patterns' end position instead of a copy
        # (a pattern sees the text as if it ended there: $ and the lookahead alike)
        m = _DTG_RE.match(text, 0, _DTG_HEAD)  # the first line, else the first after a newline
        if m is None:
            nl = _DTG_NL_RE.search(text, 0, _DTG_HEAD)
            m = _DTG_RE.match(text, nl.start() + 1, _DTG_HEAD) if nl is not None else None
    return _dtg_result(doc, m)


def cable_id_year(doc: Document) -> int | None:
    """The year of the cable id (``08ROME1234`` -> 2008), from the model or the file name."""
    for k in range(2):  # the file name (a PurePath) only when the model's id gives nothing
        cand = doc.cable_id if k == 0 else (PurePath(doc.path).stem if doc.path else None)
        if not cand:
            continue
        m = _CABLE_ID_RE.match(cand.replace(" ", "").upper())
        if m:
            return _full_year(m.group(1))
    return None


@rule("MK516", "cable-date-consistency", Severity.WARNING, catalogue="E16", profiles=CABLE)
def cable_date_consistency(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The cable's date-time group and its cable id disagree on the year.

    ## What it checks
    The document date used by date-dependent checks comes from the date-time group
    (`P 141530Z SEP 05`) or, failing that, from the year of the cable id
    (`08ROME1234` -> 2008, taken from the model or the file name). When both exist they
    must agree on the year; a DTG in the first or last two days of a year may belong to
    the neighbouring id year and is tolerated.

    ## Why
    Date checks (group D, era rules) need one trustworthy date. A mismatch usually means
    the text belongs to another cable, or a typo in the DTG.

    ## Example
    Cable id `09ROME55` with DTG `R 141530Z JAN 08`.

    ## Fix
    Check which cable the text belongs to and correct the DTG or the id.
    """
    id_year = cable_id_year(doc)
    got = _dtg(doc) if id_year is not None else None
    if got is None or id_year is None:
        return
    dtg, where = got
    if dtg.year == id_year:
        return
    edge = ((dtg.year == id_year + 1 and dtg.month == 1 and dtg.day <= 2)
            or (dtg.year == id_year - 1 and dtg.month == 12 and dtg.day >= 30))
    if edge:
        return
    span = doc.span(*where) if where is not None else Span()  # as dtg_of gives it
    if span == Span() and doc.banners:
        span = doc.banners[0].span
    yield Hit(span, f"Date-time group year {dtg.year} differs from the cable id year {id_year}; "
                    "check that the text belongs to this cable and correct the date-time "
                    "group or the id.", key=f"{dtg.year}|{id_year}")
