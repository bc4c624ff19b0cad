"""Scan stage: cheap candidate search and document-model building.

Contract: ``build(source, path=None) -> markings.document.Document``.

The scanner never runs the marking parser on prose. It finds candidates with a handful of
compiled regular expressions anchored at *logical line starts* (newlines plus the breaks
the reader found in markup, such as ``¶`` anchors), then hands only those candidates to
``markings.parse``. Layout knowledge lives here:

* a cable header (classification line, captions, E.O. line, TAGS, SUBJECT, REF, Classified
  By) is a region, searched without line anchors because line breaks are often lost
  (``ISLAMABAD 002487SIPDISE.O. 12958: DECL: ...``); nothing in it but the subject line is a
  portion, which keeps reference lists (``REF: (A) THE HAGUE 2929``) out of the portions;
* portions start at a paragraph number (``1.``, ``¶2.``, ``¶1 .``), a bullet, a lettered
  sub-paragraph label, a blank line (memos), or a line that opens with a portion mark;
* a portion mark is recognised only right at the start of a portion, drawn from the
  portion vocabulary, and never when it is a list label in sequence (``(A) (B) (C)``), a
  copyright sign (``(C) 2010``) or a FOIA code (``(b)(1)``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from markings.dates import CABLE_ID_RE, document_date
from markings.document import Banner, Caption, Document, MarkingRef, Portion, SectionHeader
from markings.findings import Span, make_span, trusted_model
from markings.model import (
    ERR_DELIMITERS,
    ERR_UNKNOWN_TOKEN,
    AuthorityBlock,
    DeclassValue,
    Reason,
)
from markings.read import Source, source_from_text

__all__ = ["Scanner", "build"]

_M = TypeVar("_M", bound=BaseModel)

# --- vocabulary ---------------------------------------------------------------------------

_SP = r"[ \t]?"  # spaced letters: S E C R E T


def _spaced(word: str) -> str:
    return _SP.join(re.escape(ch) for ch in word)


_CLS_WORDS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS",
              "LIMITED OFFICIAL USE", "RESTRICTED")
_CABLE_CLS = (r"(?P<cls>" + _spaced("TOP") + r"[ \t]{1,4}" + _spaced("SECRET") + "|"
              + _spaced("SECRET") + "|" + _spaced("CONFIDENTIAL") + "|"
              + _spaced("UNCLASSIFIED") + "|" + _spaced("UNCLAS") + "|"
              + r"LIMITED[ \t]+OFFICIAL[ \t]+USE)"
              + r"(?P<qual>[ \t]+(?:SENSITIVE|" + _spaced("EFTO") + r"))?(?![A-Za-z])")
_POST = r"(?P<post>[A-Z][A-Z.'()-]*(?:[ \t]{1,8}[A-Z][A-Z.'()-]*){0,3})"
# "SECTION 01 of 03", "SECTION01 OF 03", "... OF 03QRIPOLI" (blanks lost) are accepted
_CABLE_BANNER_RE = re.compile(
    r"[ \t\u2028]*" + _CABLE_CLS
    + r"(?:[ \t]+SECTION[ \t]*(?P<sec>\d{1,3})[ \t]+(?:OF|of)[ \t]+(?P<of>\d{1,3})[ \t]*"
    + r"|[ \t]+)" + _POST + r"[ \t]{1,8}(?P<num>\d{3,7})(?!\d)")
# a newline followed by a line that opens with a classification line
_CABLE_BANNER_NL_RE = re.compile(r"\n(?=" + _CABLE_BANNER_RE.pattern + ")")
_SPACED_ANYWHERE_RE = re.compile(
    r"(?<![A-Z] )(?<![A-Za-z])(?P<cls>" + "|".join(
        " ".join(w) for w in ("SECRET", "CONFIDENTIAL", "UNCLASSIFIED")) + r")(?! [A-Z]\b)")
_GARBLED_BANNER_RE = re.compile(
    r"(?im)^[ \t]*(?P<cls>[A-Z]{0,2}(?:[A-Z] ){3,}[A-Z])(?P<qual>)"
    r"(?:[ \t]+SECTION[ \t]+(?P<sec>\d{1,3})[ \t]+OF[ \t]+(?P<of>\d{1,3}))?"
    r"[ \t]+(?P<post>[A-Z][A-Z.'-]*(?:[ \t]{1,8}[A-Z][A-Z.'-]*){0,3})[ \t]{1,8}"
    r"(?P<num>\d{3,7})(?!\d)")
# a memo banner: the whole line is a marking (case-insensitive only with a // separator)
# a level with a prohibited qualifier ("SECRET SENSITIVE") and an unclassified control used
# as the classification ("LIMITED OFFICIAL USE") are banners too, so MK219 can report them
_MEMO_BANNER_RE = re.compile(
    r"[ \t>#*_]*(?P<m>(?:(?:TOP[ \t]+SECRET|SECRET|CONFIDENTIAL)(?:[ \t]+(?:SENSITIVE"
    r"|ADMINISTRATIVELY[ \t]+CONFIDENTIAL|CONTROLLED))?|UNCLASSIFIED|UNCLAS|RESTRICTED"
    r"|LIMITED[ \t]+OFFICIAL[ \t]+USE|FOR[ \t]+OFFICIAL[ \t]+USE[ \t]+ONLY"
    r"|//[A-Z][A-Z ]{1,30})(?://?[A-Z0-9][A-Za-z0-9 ,/\-]{0,200})?"
    r"|(?i:(?:top[ \t]+secret|secret|confidential|unclassified)//[a-z0-9][a-z0-9 ,/\-]{0,200}))"
    r"[ \t*_]*$")
# a memo banner whose level is misspelled (`SECERT//NOFORN`): only on the first or last line,
# and only when the head is a near miss of a level (see misspelled_level)
_GARBLED_MEMO_BANNER_RE = re.compile(
    r"[ \t>#*_]*(?P<m>(?P<h>[A-Z]{3,}(?:[ \t][A-Z]{3,})?)(?://?[A-Z0-9][A-Za-z0-9 ,/\-]{0,200})?)"
    r"[ \t*_]*$")
# a memo banner in telegram-style spaced letters ("S E C R E T"): a banner all the same
# (spaced=True), which MK515 reports as a non-standard form outside cables
_SPACED_MEMO_BANNER_RE = re.compile(
    r"[ \t>#*_]*(?P<m>(?:(?:T O P[ \t]{1,4})?S E C R E T|C O N F I D E N T I A L"
    r"|U N C L A S S I F I E D)(?://?[A-Z0-9][A-Za-z0-9 ,/\-]{0,200})?)[ \t*_]*$")
_PAGE_HEADER_RE = re.compile(
    r"[ \t]*[A-Z][A-Z .'-]{1,30}?[ \t]+\d{6,8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}[ \t]*$")
# the number part of a continuation header (the post name before it is checked apart);
# a fractional number ("001.4 OF 004") counts pages, not sections
_SECTION_NUM_RE = re.compile(
    r"(?<![\d.])(?P<num>\d{6,8})[ \t]+(?P<sec>\d{3})[ \t]+OF[ \t]+(?P<of>\d{3})(?![\d.])")

CAPTIONS = ("NOFORN", "SIPDIS", "EXDIS", "NODIS", "SENSITIVE", "LIMDIS", "STADIS", "SPECAT",
            "ROGER", "CHEROKEE", "DECAPTIONED", "NOCONTRACT", "ORCON", "PROPIN")
_CAPTION_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(CAPTIONS) + r")(?![a-z])")
_CAPTION_LINE_RE = re.compile(
    r"[ \t]*(?P<c>(?:" + "|".join(CAPTIONS) + r")(?:[ \t]+(?:" + "|".join(CAPTIONS)
    + r"))*)[ \t]*$")
# the newline before a line that opens with a caption word (every line that
# _CAPTION_LINE_RE matches, and a few more)
_CAPTION_LINE_NL_RE = re.compile(r"\n(?=[ \t]*(?:" + "|".join(CAPTIONS) + "))")

_EO_RE = re.compile(
    r"(?:(?<![A-Za-z])|(?<=SIPDIS)|(?<=NOFORN)|(?<=EXDIS)|(?<=NODIS)|(?<=SENSITIVE))"
    r"E\.?[ \t]?[Oo]\.?[ \t]*(?P<eo>1\d{4})\b[ \t]*:?[ \t]*"
    r"(?:(?P<na>[Nn]/?[Aa])\b[^\w\n]{0,4}?"
    r"|(?P<decl>(?i:DECL(?:ASSIFY)?(?:[ \t]+ON)?))?[ \t]*:?[ \t]*"
    r"(?P<val>[^\n]{0,80}?))[ \t]*(?=TAGS|SUBJ|Tags:|Subj|\n|$)")
_TAGS_RE = re.compile(r"(?<![A-Za-z])TAGS\b:?")
_SUBJ_RE = re.compile(r"(?<![A-Za-z])(?:SUBJECT|SUBJ|Subject)[ \t]*:")
_REF_RE = re.compile(r"(?<![A-Za-z])(?:REF|REFS|REFTEL|REFTELS|REFERENCES?)\b[ \t]*:?")
_CLASSIFIED_BY_RE = re.compile(r"(?i)(?<![A-Za-z])classified[ \t\n]+by\b[ \t]*:?")
_REASON_RE = re.compile(r"(?i)(?<![A-Za-z])reasons?\b[ \t]*:?")
# "1.4", also with a stray blank or line break around the full stop ("1 .4", "1.\n4")
_SECTION_RE = re.compile(r"(?<![\d.])(1[ \t]*\n?[ \t]*\.[ \t]*\n?[ \t]*[4-6])(?!\d)")
# the reasons themselves are read by markings.parse.read_reasons (shared with the parser)
# CAB lines start a line, or follow a blanked <br> tag (two or more spaces) in HTML
_DERIVED_RE = re.compile(r"(?im)(?:^|(?<=[ \t]{2}))[ \t>*_-]*derived[ \t]+from[ \t]*:[ \t]*"
                         r"(?P<v>[^\n]*?)(?=[ \t]{2,}|[ \t]*$)")
_DECLASSIFY_RE = re.compile(r"(?im)(?:^|(?<=[ \t]{2}))[ \t>*_-]*declassify[ \t]+on[ \t]*:"
                            r"[ \t]*(?P<v>[^\n]*?)(?=[ \t]{2,}|[ \t]*$)")
# the word of a Derived From line, as _DERIVED_RE reads it ((?i): "i" also matches dotted
# and dotless I), with its first letter a class the regex engine scans for
_DERIVED_WORD_RE = re.compile(r"[Dd](?i:erived)")


def _derived_search(t: str) -> re.Match[str] | None:
    """``_DERIVED_RE.search(t)``, searched from the first ``derived`` on: every match holds
    the word right after its run of ``[ \t>*_-]``, so none starts before the run in front
    of the word's first occurrence (a letter ends each run), and the search from there
    finds the same first match without trying the pattern at every position before it
    (tests/test_scan_fast_equivalence.py)."""
    if not _FAST_SEARCH:
        return _DERIVED_RE.search(t)
    w = _DERIVED_WORD_RE.search(t)
    if w is None:
        return None
    r = w.start()
    while r > 0 and t[r - 1] in " \t>*_-":
        r -= 1
    return _DERIVED_RE.search(t, r)


_SOURCES_RE = re.compile(r"(?im)^[ \t>*_-]*sources?[ \t]*:")
_COMPILATION_RE = re.compile(r"(?i)\bcompilation\b")
def _lead(rx: re.Pattern[str], first: str) -> re.Pattern[str]:
    """``rx`` with a look-ahead for its first character in front (same matches).

    A pattern that opens with a look-behind has no literal prefix, so the regex engine
    evaluates the look-behinds at every position of the text; ``(?=E)`` first rejects most
    positions at once. ``first`` must match every character a match of ``rx`` can start
    with; leading inline flags (``(?i)``) stay in front so they keep applying to the whole.
    """
    m = re.match(r"\(\?[a-zA-Z]+\)", rx.pattern)
    flags = m.group(0) if m else ""
    return re.compile(flags + "(?=" + first + ")" + rx.pattern[len(flags):])


# the classification, caption, header and CAB patterns above, with their first character
_SPACED_ANYWHERE_RE = _lead(_SPACED_ANYWHERE_RE, "[SCU]")
_CAPTION_RE = _lead(_CAPTION_RE, "[" + "".join(sorted({c[0] for c in CAPTIONS})) + "]")
_EO_RE = _lead(_EO_RE, "E")
_TAGS_RE = _lead(_TAGS_RE, "T")
_SUBJ_RE = _lead(_SUBJ_RE, "S")
_REF_RE = _lead(_REF_RE, "R")
_CLASSIFIED_BY_RE = _lead(_CLASSIFIED_BY_RE, "c")  # (?i): also C
_REASON_RE = _lead(_REASON_RE, "r")  # (?i): also R
_SECTION_RE = _lead(_SECTION_RE, "1")


def _first_then_behind(rx: re.Pattern[str], behind: str, first: str,
                       flags: str = "") -> re.Pattern[str]:
    """``rx`` (``(?=first)`` + ``behind`` + ``first`` + rest, as :func:`_lead` wrote it)
    with ``first`` matched ahead of the look-behinds: the same matches (every look-behind
    of ``behind`` gets ``first`` appended, so it tests the same characters from one place
    further on), but the pattern now opens with a character, which the regex engine scans
    for in a tight loop instead of trying the whole pattern at every position of the text.

    ``first`` is one literal character; a ``(?i)`` pattern gives ``flags="i"``: its first
    character is then written as a class of both cases (the engine has no fast scan for a
    case-insensitive character) and the rest stays case-insensitive in a scoped group.
    ``behind`` is a look-behind or a group of look-behind alternatives, as written in ``rx``.
    """
    lead = ("(?i)" if flags else "") + f"(?={first})"
    head = lead + behind + first
    assert rx.pattern.startswith(head), rx.pattern
    rest = rx.pattern[len(head):]
    moved = re.sub(r"\(\?<([=!])((?:[^()]|\([^()]*\))*)\)",
                   lambda m: f"(?<{m.group(1)}{m.group(2)}{first})", behind)
    if flags:
        cls = f"[{first.upper()}{first.lower()}]"
        return re.compile(cls + f"(?{flags}:" + moved + rest + ")")
    return re.compile(first + moved + rest)


# the header and CAB searches: the patterns above (plain, the reference of the equivalence
# tests, tests/test_scan_fast_equivalence.py) or the same with the first character ahead
_PLAIN = {"_CABLE_BANNER_NL_RE": _CABLE_BANNER_NL_RE, "_CAPTION_RE": _CAPTION_RE, "_EO_RE": _EO_RE, "_TAGS_RE": _TAGS_RE, "_SUBJ_RE": _SUBJ_RE, "_REF_RE": _REF_RE,
          "_CLASSIFIED_BY_RE": _CLASSIFIED_BY_RE, "_REASON_RE": _REASON_RE,
          "_SECTION_RE": _SECTION_RE}
_FAST = {
    # a line that opens with a classification line opens with one of these characters
    "_CABLE_BANNER_NL_RE": re.compile(r"\n(?=[ \t\u2028STCUL])"
                                      + _CABLE_BANNER_NL_RE.pattern[len("\\n"):]),
    # each caption word with the look-behind after its first letter: the alternatives open
    # with letters, which the engine scans for as a set
    "_CAPTION_RE": re.compile("(" + "|".join(f"{c[0]}(?<![A-Za-z]{c[0]}){c[1:]}"
                                             for c in CAPTIONS) + ")(?![a-z])"),
    "_EO_RE": _first_then_behind(
        _EO_RE, r"(?:(?<![A-Za-z])|(?<=SIPDIS)|(?<=NOFORN)|(?<=EXDIS)|(?<=NODIS)"
                r"|(?<=SENSITIVE))", "E"),
    "_TAGS_RE": _first_then_behind(_TAGS_RE, "(?<![A-Za-z])", "T"),
    # (alternatives that share their first letter, written out)
    "_SUBJ_RE": re.compile(r"S(?<![A-Za-z]S)(?:UBJECT|UBJ|ubject)[ \t]*:"),
    "_REF_RE": re.compile(r"R(?<![A-Za-z]R)(?:EF|EFS|EFTEL|EFTELS|EFERENCES?)\b[ \t]*:?"),
    "_CLASSIFIED_BY_RE": _first_then_behind(_CLASSIFIED_BY_RE, "(?<![A-Za-z])", "c", "i"),
    "_REASON_RE": _first_then_behind(_REASON_RE, "(?<![A-Za-z])", "r", "i"),
    "_SECTION_RE": re.compile(r"(1(?<![\d.]1)[ \t]*\n?[ \t]*\.[ \t]*\n?[ \t]*[4-6])(?!\d)"),
}


def _set_fast_search(on: bool) -> None:
    """Bind the header and CAB search patterns to their fast (``on``) or plain forms."""
    global _FAST_SEARCH
    _FAST_SEARCH = on
    globals().update(_FAST if on else _PLAIN)


_FAST_SEARCH = True
_set_fast_search(True)

_NUMBERED_LINE_RE = re.compile(r"(?m)^[ \t]*\u00b6?[ \t]*\d{1,3}[ \t]?\.(?!\d)")
_NUMBERED_PARA_RE = re.compile(r"[ \t]*\u00b6?[ \t]*\d{1,3}[ \t]?\.(?!\d)")
_NUMBERED_PARA_NL_RE = re.compile(r"\n(?=" + _NUMBERED_PARA_RE.pattern + ")")

# labels at the start of a logical line
_LABEL_RE = re.compile(
    r"[ \t]*(?:"
    r"(?P<num>\u00b6?[ \t]*(?P<n>\d{1,3})[ \t]?\.(?!\d)[ \t]*\n?)"
    r"|(?P<bul>(?:--|-|\*|\u2022|\u25aa|o(?=[ \t]))(?=[ \t]))"
    r"|(?P<let>(?:\u00b6[ \t]*)?(?P<l>[A-Z])\.(?=[ \t]))"
    r"|(?P<plet>\((?P<pl>[a-zA-Z])\)(?=[ \t]))"
    r")[ \t]*")
_MARK_RE = re.compile(r"\([ \t]*(?P<inner>(?://)?[A-Za-z][A-Za-z0-9 \t/\-,.:]{0,120}?)[ \t]*\)")
# what may follow a mark directly when it is a FOIA code instead: (b)(1), (c)(3)
_FOIA_NEXT_RE = re.compile(r"\((?:\d{1,2}|[A-Za-z])\)")
# a lead-in word between the paragraph number and its mark: "1. SUMMARY: (C) ..."
_LEAD_IN_RE = re.compile(
    r"(?:SUMMARY(?:[ \t]+AND[ \t]+COMMENT)?|Summary(?:[ \t]+and[ \t]+[Cc]omment)?"
    r"|COMMENT|Comment|KEY[ \t]+POINTS|Key[ \t]+[Pp]oints|BACKGROUND|Background)"
    r"[ \t]*[:.]?[ \t]+(?=\()")
# a long release list wrapped after a comma: (S//REL TO USA, AFG, KAZ,\n TJK, UZB)
_WRAPPED_MARK_RE = re.compile(
    r"\([ \t]*(?P<inner>(?://)?[A-Za-z][A-Za-z0-9 \t/\-,.:]{0,80}?,[ \t]*\n[ \t]*"
    r"[A-Za-z][A-Za-z0-9 \t/\-,.:]{0,80}?)[ \t]*\)")
_PORTION_LEVELS = frozenset({"U", "C", "S", "TS", "R", "SBU", "LOU", "CUI", "FOUO", "UNCLAS",
                             "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "NS", "NC", "NU", "NR",
                             "CTS", "NATO", "UK", "JOINT", "FGI"})
_LOWER_AFTER_NUMBER = frozenset({"u", "c", "s", "ts", "sbu"})
# lowercase marks accepted at any portion start ("(s) Text"); "(c)" is too often a list label
_LOWER_AT_START = frozenset({"u", "s", "ts", "sbu"})
# malformed marks, found only at a portion start (reported by MK216, never silently fixed)
_MALFORMED_BODY = r"(?:TS|S|C|U|SBU|CUI|FOUO|LOU)(?://?[A-Z][A-Z0-9 ,/\-]{0,60}?)?"
_HALF_OPEN_MARK_RE = re.compile(r"(?P<m>" + _MALFORMED_BODY + r"\))(?=[ \t]*[A-Za-z\"'])")
_BRACKET_MARK_RE = re.compile(r"(?P<m>\[[ \t]*" + _MALFORMED_BODY + r"[ \t]*\])(?=[ \t]+[A-Z\"'])")
_GLUED_MARK_RE = re.compile(r"\((?P<inner>[A-Z][A-Z0-9 ,/\-]{0,60})\)(?=[ \t])")
# a portion mark whose closing parenthesis is missing: `(S//NF Text`, `(TS/SI//NF Text`; only
# with a separator (a bare `(C Text` is too often a cut-off or redacted mark) and a release
# list read on after `REL` (`(S//REL TO USA, GBR Text`)
_UNCLOSED_MARK_RE = re.compile(
    r"\((?P<b>(?:TS|S|C|U|SBU|CUI|FOUO|LOU)//?[A-Z][A-Z0-9/\-]*"
    r"(?:(?<=REL)[ \t]+TO[ \t]+USA(?:,[ \t]*[A-Z]{3,4}\b)*)?)(?=[ \t]+[A-Za-z\"'])")
# a misspelled classification at the head of a mark or banner: `SECERT`, `CONFIDENTAL`,
# `TOP SECERT`; judged by edit distance (the parser's suggestions are looser: `SECTOR` ->
# `SECRET`), so that headings and prose words in parentheses stay what they are
_LEVEL_HEADS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED")
_LEVEL_HEAD_RE = re.compile(r"[A-Z]{3,}(?:[ \t][A-Z]{3,})?")


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) between ``a`` and ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def misspelled_level(head: str) -> str | None:
    """The classification ``head`` misspells (``SECERT`` -> ``SECRET``), or None.

    One edit (two for the long words, and for ``TOP SECRET``), a swap of two neighbouring
    letters counting as one; a word that merely extends the level (``SECRETS``,
    ``CONFIDENTIALLY``) is another word, not a misspelling.
    """
    h = " ".join(head.split())
    if h in _LEVEL_HEADS or not h.isupper():
        return None
    for w in _LEVEL_HEADS:
        if h.startswith(w) and h != w:
            continue
        if abs(len(h) - len(w)) <= 2 and _edits(h, w) <= (1 if len(w) < 8 else 2):
            return w
    return None


def _mark_head_ok(inner: str, after_number: bool) -> bool:
    """Whether a parenthesized ``inner`` opens as a portion mark does: a portion level first,
    or a lower-case level alone where one is accepted, or a non-US or misspelled head."""
    first = _FIRST_TOKEN_RE.match(inner.lstrip("/ \t"))
    if not first:
        return False
    tok = first.group(0)
    if tok not in _PORTION_LEVELS:
        lower_ok = inner.strip() == tok and (
            tok in _LOWER_AT_START or (after_number and tok in _LOWER_AFTER_NUMBER))
        if not lower_ok \
                and not _non_us_head(inner) and not _misspelled_head(inner):
            return False
    return True


# _mark_head_ok per (inner, after_number): a corpus pass meets a few hundred distinct mark
# bodies tens of thousands of times (its answer depends on its arguments alone)
_HEAD_OK: dict[tuple[str, bool], bool] = {}


def _misspelled_head(inner: str) -> str | None:
    """The level a mark's misspelled head stands for: ``SECERT//NF`` -> ``SECRET``."""
    m = _LEVEL_HEAD_RE.match(inner.strip(" \t/"))
    if m is None:
        return None
    head = m.group(0)
    return misspelled_level(head) or (misspelled_level(head.split()[0]) if " " in head
                                      else None)


def _head_fixed(text: str) -> str | None:
    """``text`` with its misspelled level written correctly, or None."""
    body = text.strip()
    lead = len(body) - len(body.lstrip("(/ \t"))
    m = _LEVEL_HEAD_RE.match(body, lead)
    if m is None:
        return None
    head = m.group(0)
    level = misspelled_level(head)
    if level is None and " " in head:
        head = head.split()[0]
        level = misspelled_level(head)
    if level is None:
        return None
    return body[:lead] + level + body[lead + len(head):]


def _best_reading(kind: str, text: str, err: str, sugg: str | None) -> tuple[Any, str | None]:
    """(marking, suggestion) for a garbled mark or banner that has one clear reading.

    A misspelled level (``(SECERT)``, ``SECERT//NOFORN``) is read with the level written
    correctly, and the suggestion becomes the whole corrected marking (``(S)``,
    ``SECRET//NOFORN``); a portion mark with wrong delimiters (``(S//NF``, ``[S]``,
    ``(S)(NF)``) is read as one pair of parentheses around its parts. The error stays set:
    the rules still report the mark as written, while the roll-up counts what it says.
    Anything else keeps no reading (``(marking None, sugg)``).
    """
    fixed: str | None = None
    from_head = False
    if err.startswith(ERR_UNKNOWN_TOKEN):
        fixed = _head_fixed(text)
        from_head = fixed is not None
    elif kind == "parse_portion" and err.startswith(ERR_DELIMITERS):
        parts = [x.strip() for x in re.split(r"[()\[\]]+", text) if x.strip()]
        fixed = "(" + "//".join(parts) + ")" if parts else None
    if fixed is None:
        return None, sugg
    m, e2, _ = _parse(kind, fixed)
    if m is None or e2 is not None:
        return None, sugg
    canon = m.portion() if kind == "parse_portion" else m.banner()
    clean, e3, _ = _parse(kind, canon)
    if clean is None or e3 is not None:
        return None, sugg
    return clean, (canon if from_head else sugg)


def _marking_words(inner: str) -> bool:
    """True when every word of ``inner`` is a marking token (``NF``, ``REL TO USA, GBR``)."""
    from markings.vocab import CONTROLS, SCI_SYSTEMS

    words = [w for w in re.split(r"[ \t/,\-]+", inner) if w]
    if not words:
        return False
    known = 0
    for w in words:
        if w in CONTROLS or w in SCI_SYSTEMS or w in _PORTION_LEVELS or w in ("REL", "TO"):
            known += 1
        elif not (len(w) == 3 and w.isalpha()):  # country codes in a REL TO list
            return False
    return known > 0
# a non-US or legacy portion mark opens with a country code and a level: (//GBR S//NF),
# (//DEU S); without the leading // (the malformed (DEU S)) the code must be a known one
_NON_US_HEAD_RE = re.compile(
    r"[ \t]*(?P<sl>//)?[ \t]*(?P<code>[A-Z]{3,4})[ \t]+(?:TS|S|C|R|U|CTS|NS|NC|NR|NU"
    r"|TOP[ \t]+SECRET|SECRET|CONFIDENTIAL|RESTRICTED|UNCLASSIFIED)(?![A-Za-z0-9])")


def _non_us_head(inner: str) -> bool:
    """True for the head of a non-US portion mark: ``//GBR S``, ``DEU S`` (malformed)."""
    m = _NON_US_HEAD_RE.match(inner)
    if m is None:
        return False
    try:
        from markings.codes import is_code
    except ImportError:  # pragma: no cover - codes ship with the package
        return m.group("sl") is not None
    return bool(is_code(m.group("code")))
_FIRST_TOKEN_RE = re.compile(r"[A-Za-z]+")
_YEAR_AFTER_RE = re.compile(r"[ \t]*(?:(?:19|20)\d{2}\b|[Cc]opyright)")
_MD_HEADING_RE = re.compile(r"[ \t]*#{1,6}[ \t]+")
_MEMO_HEAD_RE = re.compile(
    r"[ \t]*(?:MEMORANDUM[ \t]+FOR|FROM|TO|DATE|CC|THRU|THROUGH|ATTN|ATTENTION|"
    r"Memorandum[ \t]+for|From|To|Date|Cc|Thru|Through)\b[ \t]*:?")
_CAND_RE = re.compile(
    r"(?m)^[ \t]*(?:\u00b6|\d|--?[ \t]|[*\u2022\u25aa#(]|o[ \t]|[A-Za-z]\.[ \t])")
_BLANK_RUN_RE = re.compile(r"(?m)^[ \t\r\f\v]*(?:-{3,}|={3,}|_{3,}|\*{3,})?[ \t\r\f\v]*\n")
# the same two patterns anchored on the newline before the line (the regex engine then skips
# ahead to each newline instead of trying every position); the line starts one past the match
_CAND_NL_RE = re.compile(
    r"\n(?=[ \t]*(?:\u00b6|\d|--?[ \t]|[*\u2022\u25aa#(]|o[ \t]|[A-Za-z]\.[ \t]))")
_BLANK_RUN_NL_RE = re.compile(
    r"\n(?=[ \t\r\f\v]*(?:-{3,}|={3,}|_{3,}|\*{3,})?[ \t\r\f\v]*\n)")
# the newline before a blank line whose next line does not open with an ASCII letter that
# makes it a plain text line (a letter other than ``o`` without a full stop after it)
# (the first look-ahead turns most lines away at their first character)
_BLANK_THEN_LINE_NL_RE = re.compile(
    r"\n(?=[ \t\r\f\v\n=_*-])(?=[ \t\r\f\v]*(?:-{3,}|={3,}|_{3,}|\*{3,})?[ \t\r\f\v]*\n"
    r"(?![ \t\r\f\v]*[A-Za-np-z](?!\.)))")
_FAST_SEGMENT = True  # False: every line after a blank line is looked at (the reference)


class _BlankLines:
    """``k in blank_lines`` for the line indexes of a text without reader breaks: line ``k``
    is blank or a separator line (``_BLANK_RUN_RE`` matches at its start)."""

    __slots__ = ("t", "starts")

    def __init__(self, t: str, starts: list[int]) -> None:
        self.t, self.starts = t, starts

    def __contains__(self, k: int) -> bool:
        return _BLANK_RUN_RE.match(self.t, self.starts[k]) is not None
_DATE_LINE_RE = re.compile(
    r"[ \t]*(?:\d{4}-\d{2}-\d{2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8}\.?,?[ \t]+\d{4}"
    r"|[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},?[ \t]+\d{4})[ \t]*$")
_SEPARATOR_RE = re.compile(r"[ \t]*(?:-{3,}|={3,}|_{3,}|\*{3,})[ \t]*$")

# an unmarked paragraph that is a warning notice or distribution statement is not a portion
_NOTICE_RE = re.compile(
    r"[ \t>*_]*(?:"
    r"DISTRIBUTION[ \t]+STATEMENT[ \t]+[A-F]\b"
    r"|(?:WARNING|CAUTION|NOTICE|HANDLING[ \t]+NOTICE|DESTRUCTION[ \t]+NOTICE)[ \t]*[:.\-\u2013\u2014]"
    r"|CAUTION-PROPRIETARY[ \t]+INFORMATION"
    r"|(?:FORMERLY[ \t]+)?RESTRICTED[ \t]+DATA\b[ \t]*[.:\-\u2013\u2014]"
    r"|CRITICAL[ \t]+NUCLEAR[ \t]+WEAPON[ \t]+DESIGN[ \t]+INFORMATION\b"
    r"|(?:CONTROLLED[ \t]+IMAGERY|PROPIN|IMCON|LAW[ \t]+ENFORCEMENT[ \t]+SENSITIVE"
    r"|SENSITIVE[ \t]+SECURITY[ \t]+INFORMATION)\b[ \t]*[.:\-\u2013\u2014]"
    r"|(?i:this[ \t]+(?:document|material|product|report|information)[ \t]+(?:contains|is)"
    r"[ \t\n]+(?:(?:formerly[ \t\n]+)?restricted[ \t\n]+data|proprietary|controlled[ \t\n]+imagery"
    r"|critical[ \t\n]+nuclear|information[ \t\n]+derived[ \t\n]+from|fisa|law[ \t\n]+enforcement"
    r"|sensitive[ \t\n]+security|subject[ \t\n]+to[ \t\n]+(?:the[ \t\n]+)?export)))")
# a release stamp under the banner ("DECLASSIFIED" / "Authority: NND 12345" / "By ... NARA
# Date ..."): review metadata, not a portion and not a title
_DECL_STAMP_RE = re.compile(
    r"[ \t>*_]*(?:DECLASSIFIED|Declassified)(?:[ \t]+(?:IN|in)[ \t]+(?:PART|FULL|[Pp]art|[Ff]ull))?"
    r"[ \t*_]*(?:$|[:;,.\-\u2013\u2014]|(?:Authority|AUTHORITY|per|PER|by|BY|on|ON|E\.?O\.?"
    r"|NND|\d)\b)")
_DECL_STAMP_MORE_RE = re.compile(
    r"[ \t>*_]*(?:Authority|AUTHORITY|NND[ \t]*\d|By|BY|Date|DATE|E\.?[ \t]?O\.?[ \t]*1\d{4}"
    r"|per|PER|NARA|Sanitized|SANITIZED|Approved[ \t]+for[ \t]+[Rr]elease|APPROVED[ \t]+FOR)\b")
# a Markdown line (or block) holding only an HTML comment, e.g. a suppression directive
_COMMENT_LINE_RE = re.compile(r"(?m)^[ \t]*<!--(?:(?!-->)[\s\S])*-->[ \t]*$")

_KIND_BY_LABEL = {"num": "numbered", "bul": "bullet", "let": "subparagraph",
                  "plet": "subparagraph"}


# patterns used once per document or banner, compiled here (not looked up per call)
_SPACED_LETTERS_RE = re.compile(r"\b[A-Z] [A-Z] [A-Z]\b")
_EXTENSION_RE = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_CABLE_ID_LINE_RE = re.compile(r"[ \t]*(\d{2}[A-Z]{3,}\d{1,6})[ \t]*\n")
_WIDE_GAP_RE = re.compile(r"[ \t]{2,}")


_POST_NAME_RES: dict[str, tuple[re.Pattern[str], ...]] = {}


def _post_name_patterns(post: str) -> tuple[re.Pattern[str], ...]:
    """The post name ``post`` ending a continuation header's head, as written (blanks of
    any width between its words), then its first ten characters (a page header cuts it):
    compiled once per post name (a cable's headers, and the corpus's cables from one post,
    share them) instead of written out and looked up in the re cache per header."""
    pats = _POST_NAME_RES.get(post)
    if pats is None:
        pats = tuple(re.compile(r"(?<![A-Za-z])" + r"[ \t]+".join(
            re.escape(w) for w in form.split()) + r"[ \t]+$")
            for form in dict.fromkeys((post, post[:10].rstrip())))
        if len(_POST_NAME_RES) > 4096:
            _POST_NAME_RES.clear()
        _POST_NAME_RES[post] = pats
    return pats


def _despace(s: str) -> str:
    """``S E C R E T`` -> ``SECRET``, ``T O P  S E C R E T`` -> ``TOP SECRET``."""
    words = _WIDE_GAP_RE.split(s.strip())
    out = []
    for w in words:
        parts = w.split()
        if len(parts) > 2 and all(len(p) == 1 for p in parts):
            out.append("".join(parts))
        else:
            # a spaced word after a plain one: "UNCLAS E F T O" -> "UNCLAS EFTO"
            out.append(re.sub(r"\b[A-Za-z](?: [A-Za-z]\b){2,}",
                              lambda m: m.group(0).replace(" ", ""), " ".join(parts)))
    return " ".join(out)


# --- parser access (lazy; the scanner works without the parser for segmentation) ----------

_parse_cache: dict[tuple[str, str], tuple[Any, str | None, str | None]] = {}


_parse_module: Any = None  # markings.parse, once imported (an import statement per call costs)


def _parser(name: str) -> Callable[[str], Any] | None:
    global _parse_module
    mp = _parse_module
    if mp is None:
        try:
            import markings.parse as mp
        except ImportError:
            return None
        _parse_module = mp
    return getattr(mp, name, None)


def _parse(kind: str, text: str) -> tuple[Any, str | None, str | None]:
    """(marking, error, suggestion) for ``text``; memoized per process."""
    key = (kind, text)
    hit = _parse_cache.get(key)
    if hit is not None:
        return hit
    fn = _parser(kind)
    if fn is None:
        res: tuple[Any, str | None, str | None] = (None, None, None)
    else:
        try:
            res = (fn(text), None, None)
        except ValueError as exc:  # MarkingSyntaxError is a ValueError
            res = (None, getattr(exc, "message", str(exc)) or "unreadable marking",
                   getattr(exc, "suggestion", None))
            repaired = _repair(text)
            if repaired is not None:
                try:
                    m = fn(repaired)
                except Exception:  # noqa: BLE001  the repair is a best effort only
                    m = None
                if m is not None:
                    # the readable part, for the roll-up; ``error`` stays set (the mark as
                    # written cannot be read) and the repair is the suggested form
                    canon = None if m.deviations else (
                        m.portion() if kind == "parse_portion" else m.banner())
                    res = (m, res[1], res[2] or canon)
        except Exception as exc:  # a parser bug must not break the batch
            res = (None, f"could not be parsed ({type(exc).__name__})", None)
    if len(_parse_cache) > 50000:
        _parse_cache.clear()
    _parse_cache[key] = res
    return res


# empty list entries and placeholder or trailing separators: `USA,, GBR`, `GBR,)`,
# `SECRET////NOFORN`, `NF//)`; dropping them is the only repair the scanner tries
_EMPTY_ENTRY_RE = re.compile(r",(?:[ \t]*,)+")
_EMPTY_CATEGORY_RE = re.compile(r"/{3,}")
_TRAILING_SEP_RE = re.compile(r"[ \t]*(?:[,/][ \t]*)+(?=\)?[ \t]*$)")


def _repair(text: str) -> str | None:
    """``text`` without empty list entries and trailing separators, or None if unchanged.

    ``(S//REL TO USA,, GBR)`` -> ``(S//REL TO USA, GBR)``; ``(S//REL TO USA,,,,//)`` ->
    ``(S//REL TO USA)``. Used only after a parse failure, so that the roll-up still sees
    what the mark says; the failure itself is kept and reported (MK214).
    """
    s = _EMPTY_ENTRY_RE.sub(",", text)
    s = _EMPTY_CATEGORY_RE.sub("//", s)
    s = _TRAILING_SEP_RE.sub("", s)
    if s != text and s.startswith("(") and not s.endswith(")"):
        s += ")"
    return s if s != text and s.strip("() \t") else None


def _declass(raw: str) -> DeclassValue:
    fn = _parser("parse_declass")
    if fn is not None:
        try:
            val = fn(raw)
            if isinstance(val, DeclassValue):
                return val
        except Exception:  # unreadable values are kept raw, rules report them
            pass
    return DeclassValue(raw=raw, kind="unknown")


def _own_section_numbers(t: str, start: int, num: int) -> list[re.Match[str]]:
    """The matches of ``_SECTION_NUM_RE`` in ``t`` from ``start`` whose number is ``num``.

    Same result as filtering ``_SECTION_NUM_RE.finditer(t, start)`` by number, without
    running the pattern at every digit of the text: such a match's number is ``num``
    written with leading zeros, so it ends with ``str(num)``; each occurrence of that
    string is widened to the left over its zeros and the pattern is tried there once.
    Matches cannot overlap (their only run of six or more digits is the number).
    """
    digits = str(num)
    out: list[re.Match[str]] = []
    last = start - 1
    i = t.find(digits, start)
    while i != -1:
        j = i
        while j > start and t[j - 1] == "0":
            j -= 1
        if j > last:
            m = _SECTION_NUM_RE.match(t, j)
            if m is not None and int(m.group("num")) == num:
                out.append(m)
                last = m.end() - 1
        i = t.find(digits, i + 1)
    return out


def _ascii_lower(text: str) -> bytes:
    """``text`` in UTF-8 with its ASCII letters lowered, for the word gates of
    :meth:`Scanner.authority`: ``b"derived" in _ascii_lower(t)`` is ``"derived" in
    t.lower()`` (tests/test_scan_fast_equivalence.py).

    Lowering a whole text that holds one non-ASCII character (most of the corpus) costs
    Python's Unicode case tables per character; UTF-8 bytes are lowered by a table of 256.
    The answers agree for the gate words: UTF-8 gives ASCII bytes only for ASCII characters,
    and the only other characters whose lower case holds an ASCII letter are the Kelvin sign
    (``k``, in no gate word) and ``\u0130`` (``i`` and a combining dot, which no gate
    word's ``i`` is followed by). ``_FAST_LOWER = False`` gates on ``text.lower()`` (in
    UTF-8: an ASCII word is in a text exactly when its bytes are in the text's bytes)."""
    if not _FAST_LOWER:
        return text.lower().encode("utf-8", "surrogatepass")
    try:
        # the same answers again: Latin-1 too gives ASCII bytes for ASCII characters only,
        # and a text of Latin-1 characters only (most of the corpus: a pilcrow) is kept
        # by Python one byte per character, so it is copied as it is
        return text.encode("latin-1").lower()
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").lower()


_FAST_LOWER = True


# --- model objects without re-validation --------------------------------------------------

# ``False`` builds every Portion, MarkingRef, Banner, Caption, SectionHeader and Reason
# through pydantic's validator (the reference of the equivalence tests,
# tests/test_scan_construct_equivalence.py); the scanner builds tens of thousands of them per
# corpus pass from values it made itself, of the exact field types, which validation keeps
# as they are.
_FAST_MODELS = True


def _defaults(cls: Any) -> dict[str, Any]:
    """Every field of ``cls`` with its default, in declaration order (a validated model's
    ``__dict__`` holds every field in this order); required fields hold a placeholder."""
    return {name: f.get_default(call_default_factory=True)
            for name, f in cls.model_fields.items()}


_MODEL_DEFAULTS: dict[Any, dict[str, Any]] = {
    cls: _defaults(cls) for cls in (Portion, MarkingRef, Banner, Caption, SectionHeader, Reason,
                                    AuthorityBlock)}


def _model(cls: Any, values: dict[str, Any], every: set[str] | None = None) -> Any:
    """``cls(**values)`` for values that validation keeps as they are (exact field types,
    literals from their sets, models as instances): the same ``__dict__`` (every field, in
    declaration order, defaults first overwritten by ``values``) and the same fields-set
    (the names given), without running the validator. ``values`` must name every required
    field. With ``_FAST_MODELS = False`` the model is validated as usual.

    ``every``: ``values`` names every field of ``cls`` in declaration order, and ``every``
    is their set (one set shared by the models built so: pydantic copies a model's set
    before it adds to it, and never adds to a frozen model's); ``values`` is then the
    model's ``__dict__`` itself."""
    if not _FAST_MODELS:
        return cls(**values)
    if every is None:
        d = _MODEL_DEFAULTS[cls].copy()
        d.update(values)  # existing keys: the declaration order stays
        every = set(values)
    else:
        d = values
    return trusted_model(cls, d, every)


_EVERY = {cls: set(cls.model_fields) for cls in _MODEL_DEFAULTS}


def _with(model: _M, name: str, value: Any) -> _M:
    """``model.model_copy(update={name: value})`` for a model without extra or private
    values: a shallow copy of its ``__dict__`` with ``name`` set (in its place), and of its
    fields-set with ``name`` added, as pydantic's copy makes them, without its generic
    steps. With ``_FAST_MODELS = False``, or anything else, pydantic copies."""
    if not _FAST_MODELS or model.__pydantic_extra__ is not None \
            or model.__pydantic_private__ is not None or name not in type(model).model_fields:
        return model.model_copy(update={name: value})
    d = model.__dict__.copy()
    d[name] = value
    fields_set = set(model.__pydantic_fields_set__)
    fields_set.add(name)
    return trusted_model(type(model), d, fields_set)
# a new Document's fields: the defaults, and the fields whose default is made per document
_DOC_DEFAULTS = {name: f.default for name, f in Document.model_fields.items()}
_DOC_FACTORIES = [(name, f.default_factory) for name, f in Document.model_fields.items()
                  if f.default_factory is not None]
_DOC_FORMS = frozenset(("plain", "markdown", "html", "tokenized", "docx", "pdf"))


def _document(path: str, text: str, form: str, notes: list[str]) -> Document:
    """``Document(path=path, text=text, form=form, notes=list(notes))`` without running the
    validator, for values it would keep (a str path and text, a known form, str notes): the
    same ``__dict__`` and fields-set (its own: a Document is not frozen, assignments add to
    it). Anything else, or ``_FAST_MODELS = False``, is validated as usual."""
    if not (_FAST_MODELS and type(path) is str and type(text) is str and form in _DOC_FORMS
            and not Document.__private_attributes__
            and all(type(x) is str for x in notes)):
        return Document(path=path, text=text, form=form, notes=list(notes))  # type: ignore[arg-type]
    d = _DOC_DEFAULTS.copy()
    for name, factory in _DOC_FACTORIES:
        d[name] = factory()  # type: ignore[call-arg]
    d["path"], d["text"], d["form"], d["notes"] = path, text, form, list(notes)
    return trusted_model(Document, d, {"path", "text", "form", "notes"})


# a Document field assigned as pydantic's ``__setattr__`` assigns it when the model neither
# validates assignments nor is frozen (its handler for a plain field: the value into
# ``__dict__``, the name into the fields-set), without its per-call dispatch
_DOC_PLAIN_ASSIGN = (Document.__setattr__ is BaseModel.__setattr__
                     and not Document.model_config.get("validate_assignment")
                     and not Document.model_config.get("frozen")
                     and not any(f.frozen for f in Document.model_fields.values()))


def _assign(doc: Document, name: str, value: Any) -> None:
    """``setattr(doc, name, value)`` for a field ``name`` of the Document: the same
    ``__dict__`` and fields-set (tests/test_scan_fast_equivalence.py). With
    ``_FAST_MODELS = False`` (or a Document that validates assignments) pydantic assigns."""
    if _FAST_MODELS and _DOC_PLAIN_ASSIGN and name in _DOC_DEFAULTS:
        doc.__dict__[name] = value
        doc.__pydantic_fields_set__.add(name)
    else:
        setattr(doc, name, value)


_NEWLINE_RE = re.compile("\n")
_match_end = re.Match.end
_FAST_LINES = True  # False: the line starts found by str.find and the line ends in a list


def _newline_starts(t: str) -> list[int]:
    """0 and the offset after every newline of ``t``: the starts of its lines."""
    starts = [0]
    if _FAST_LINES:
        # the regex engine finds the newlines and map takes their ends, without a
        # bytecode loop over the lines (the same offsets: tests/test_scan_fast_equivalence.py)
        starts += map(_match_end, _NEWLINE_RE.finditer(t))
        return starts
    i = t.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = t.find("\n", i + 1)
    return starts


class _LineEnds:
    """``ends[i]`` of a text without reader breaks, as the list ``[s - 1 for s in
    starts[1:]] + [len(text)]`` holds it: a line ends right before the newline in front of
    the next line's start, the last line at the end of the text. Read from the line starts
    for the lines asked for (few: the candidates of the segmentation and the header lines)
    instead of kept as one int object per line of the text. Integer indexes only, negative
    ones too, as a list takes them (tests/test_scan_fast_equivalence.py)."""

    __slots__ = ("starts", "last", "n")

    def __init__(self, starts: list[int], n: int) -> None:
        self.starts, self.last, self.n = starts, len(starts) - 1, n

    def __len__(self) -> int:
        return self.last + 1

    def __getitem__(self, i: int) -> int:
        if 0 <= i < self.last:
            return self.starts[i + 1] - 1
        if i == self.last or i == -1:
            return self.n
        if -self.last - 1 <= i < -1:
            return self.starts[i + self.last + 2] - 1
        raise IndexError("line index out of range")


# --- the scanner --------------------------------------------------------------------------

class Scanner:
    """One document's scan: logical lines, regions, candidates, then the model."""

    def __init__(self, src: Source, path: str) -> None:
        self.src = src
        self.t = src.text
        self.tokenized = src.form == "tokenized"
        self.doc = _document(path, self.t, src.form, src.notes)
        self.excluded: list[tuple[int, int]] = []
        self.low = _ascii_lower(self.t)
        self.top_post: tuple[str, str] | None = None
        self._lines()

    # logical lines -----------------------------------------------------------------------
    def _lines(self) -> None:
        t = self.t
        starts = _newline_starts(t)
        self.nl_starts = starts
        orig = self.src.original
        if orig is not t and orig.count("\n") != len(starts) - 1:
            # the view shows line breaks the file encodes (``&#x000A;`` in a cable page):
            # they start logical lines here, but line numbers count the file's own lines
            self.nl_starts = _newline_starts(orig)
        # the document's own line index is the same list; computing it twice costs time
        self.doc.__dict__["_line_starts"] = self.nl_starts
        n = len(t)
        if self.src.breaks:
            starts = sorted(set(starts).union(b for b in self.src.breaks if 0 <= b < len(t)))
            ends = starts[1:] + [n]
            self.ends = [e - 1 if e > s and t[e - 1] == "\n" else e
                         for s, e in zip(starts, ends)]
        else:
            # every start but the first follows a newline: a line ends before the next one's
            # newline, the last line at the end of the text
            if _FAST_LINES:
                self.ends = _LineEnds(starts, n)
            else:
                self.ends = [e - 1 for e in starts[1:]]
                self.ends.append(n)
        self.starts = starts

    def blank(self, i: int) -> bool:
        return not self.t[self.starts[i]:self.ends[i]].strip()

    def span(self, start: int, end: int) -> Span:
        """Same result as :meth:`Document.span` (shares the line index, no re-computation;
        offsets are the scanner's own ints, so the span is built without validation)."""
        starts = self.nl_starts
        li = bisect_right(starts, start) - 1
        # the line of the last character, ``end - 1``: the start's line when that is no
        # later than the start, else searched among the lines after it (what
        # ``bisect_right(starts, max(start, end - 1)) - 1 if end > start else li`` gives)
        le = li if end - 1 <= start else bisect_right(starts, end - 1, li + 1) - 1
        return make_span(start, end, li + 1, start - starts[li] + 1, le + 1,
                         end - starts[le] + 1)

    def lines_opening(self, rx_nl: re.Pattern[str], first: int, end: int | None = None
                      ) -> Iterator[int]:
        """The indexes of the lines from ``first`` on, in order, that may open with what the
        caller tests for (all of them, unless the pattern says otherwise): ``rx_nl`` finds
        the newline before every such line (and may find more), so without reader breaks
        (every line but the first starts after a newline) the regex engine finds them; the
        caller still tests each. ``end``: the lines looked for open before it, and ``rx_nl``
        needs to see no further."""
        n = len(self.starts)
        if not _FAST_SEARCH or self.src.breaks or first >= n:
            yield from range(first, n)
            return
        yield first  # a line start without a newline before it when first == 0
        starts = self.starts
        t = self.t
        for m in rx_nl.finditer(t, starts[first], len(t) if end is None else end):
            yield bisect_right(starts, m.start() + 1) - 1

    def numbered_line_from(self, pos: int) -> bool:
        """``_NUMBERED_LINE_RE.search(t, pos) is not None``: a line from ``pos`` on opens
        with a paragraph number. The multi-line pattern has no first character to scan
        for; the line at ``pos`` is matched, then the lines behind newlines are searched."""
        t = self.t
        if not _FAST_SEARCH:
            return _NUMBERED_LINE_RE.search(t, pos) is not None
        return (_NUMBERED_LINE_RE.match(t, pos) is not None  # "^" holds at a line start
                or _NUMBERED_PARA_NL_RE.search(t, pos) is not None)

    def line(self, i: int) -> str:
        return self.t[self.starts[i]:self.ends[i]]

    def line_index(self, off: int) -> int:
        return bisect_right(self.starts, off) - 1

    def is_excluded(self, off: int) -> bool:
        return any(s <= off < e for s, e in self.excluded)

    # marks --------------------------------------------------------------------------------
    def mark_at(self, pos: int, after_number: bool, prev_label: str | None
                ) -> tuple[int, int, str] | None:
        """A portion mark starting at ``pos`` (whitespace allowed): (start, end, text)."""
        t = self.t
        m = _MARK_RE.match(t, pos)
        wrapped = False
        if not m:
            m = _WRAPPED_MARK_RE.match(t, pos)
            if not m or not re.search(r"\bREL\b", m.group("inner"), re.IGNORECASE):
                return None
            wrapped = True
        inner = m.group("inner")
        if "\n" in inner and not wrapped:
            return None
        if _FAST_SEGMENT:
            key = (inner, after_number)
            ok = _HEAD_OK.get(key)
            if ok is None:
                if len(_HEAD_OK) > 20000:
                    _HEAD_OK.clear()
                ok = _HEAD_OK[key] = _mark_head_ok(inner, after_number)
        else:
            ok = _mark_head_ok(inner, after_number)
        if not ok:
            return None
        end = m.end()
        if _FOIA_NEXT_RE.match(t, end):  # FOIA code (b)(1) or similar
            return None
        inner_s = inner.strip()
        if len(inner_s) == 1:
            if prev_label is not None and ord(inner_s) == ord(prev_label) + 1:
                return None  # list label in sequence: (A) (B) (C)
            if inner_s in "Cc" and _YEAR_AFTER_RE.match(t, end):
                return None  # copyright sign
        if wrapped:
            text = "(" + re.sub(r"[ \t]*\n[ \t]*", " ", inner_s) + ")"
        elif self.tokenized:
            text = "(" + re.sub(r"[ \t]*/[ \t]*", "/", re.sub(r"[ \t]+", " ", inner_s)) + ")"
        else:
            body = t[m.start() + 1:end - 1]
            stripped = body.strip(" \t")
            if body != stripped:
                text = t[m.start():end]  # keep "(C )" as written: a deviation to report
            else:
                text = "(" + stripped + ")" if inner_s else ""
        return m.start(), end, text

    def malformed_at(self, pos: int, mk: tuple[int, int, str] | None, after_number: bool
                     ) -> tuple[int, int, str] | None:
        """A malformed portion mark at a portion start, kept so that MK216 can report it.

        ``(S)(NF)`` (a second mark of marking words glued to the first), ``[S] Text``
        (brackets) and, after a paragraph number, the half-open ``1. C) Text``. Each is kept
        as written; the parser rejects it with its own message. Anything else is left alone
        (prose such as ``(C)(Summary continued)`` or ``[C]ontinued``).
        """
        t = self.t
        if mk is not None:
            m2 = _GLUED_MARK_RE.match(t, mk[1])
            if m2 is not None and _marking_words(m2.group("inner")):
                return mk[0], m2.end(), t[mk[0]:m2.end()]
            return mk
        m = _BRACKET_MARK_RE.match(t, pos)
        if m is None and after_number:
            m = _HALF_OPEN_MARK_RE.match(t, pos)
        if m is None:
            u = _UNCLOSED_MARK_RE.match(t, pos) if not self.tokenized else None
            if u is None:
                return None
            return u.start(), u.end("b"), u.group(0)
        return m.start("m"), m.end("m"), m.group("m")

    def mark_ref(self, start: int, end: int, text: str) -> MarkingRef:
        # (_parse's own memo looked up first: most marks are read already)
        hit = _parse_cache.get(("parse_portion", text))
        marking, err, sugg = hit if hit is not None else _parse("parse_portion", text)
        if marking is None and err is not None:
            marking, sugg = _best_reading("parse_portion", text, err, sugg)
        return _model(MarkingRef, {"text": text, "span": self.span(start, end),  # type: ignore[no-any-return]
                                   "marking": marking, "error": err, "suggestion": sugg},
                      _EVERY[MarkingRef])


    # banners ------------------------------------------------------------------------------
    def banner_ref(self, start: int, end: int, text: str, *, spaced: bool, position: str,
                   section: str | None, cable: bool) -> Banner:
        cand = _despace(text) if spaced or cable else text.strip()
        marking, err, sugg = _parse("parse_banner", cand)
        if marking is None and err is not None and cable:
            alt = {"UNCLAS": "UNCLASSIFIED", "UNCLAS SENSITIVE": "UNCLASSIFIED//SBU",
                   "UNCLAS EFTO": "UNCLASSIFIED"}.get(cand)
            if alt:
                m2, _e2, _ = _parse("parse_banner", alt)
                if m2 is not None:
                    marking, err, sugg = m2, None, None
        if marking is None and err is not None and not cable:
            marking, sugg = _best_reading("parse_banner", cand, err, sugg)
        return _model(Banner, {"text": text.strip(), "span": self.span(start, end),  # type: ignore[no-any-return]
                               "marking": marking, "error": err, "suggestion": sugg,
                               "position": position, "spaced": spaced, "section": section},
                      _EVERY[Banner])

    def find_cable_banners(self) -> list[tuple[int, re.Match[str]]]:
        out = []
        t = self.t
        if not self.src.breaks:
            # every line start follows a newline: let the regex engine find the lines that
            # open with a classification line (same lines as the loop below)
            cands = [0] if _CABLE_BANNER_RE.match(t, 0) else []
            cands += [m.start() + 1 for m in _CABLE_BANNER_NL_RE.finditer(t)]
            for s in cands:
                m = _CABLE_BANNER_RE.match(t, s)
                if m and not _PAGE_HEADER_RE.match(t, s):
                    out.append((bisect_right(self.starts, s) - 1, m))
            return out
        seen: set[int] = set()
        for i, s in enumerate(self.starts):
            c = t[s:s + 1]
            if not c or c not in "STCUL \t\u2028":
                continue
            m = _CABLE_BANNER_RE.match(t, s)
            if m and not _PAGE_HEADER_RE.match(t, s) and m.start("cls") not in seen:
                # a blank line start and a reader break before the same line: one banner
                seen.add(m.start("cls"))
                out.append((i, m))
        return out

    # build --------------------------------------------------------------------------------
    def run(self) -> Document:
        doc, t = self.doc, self.t
        head_limit = min(len(t), 20000)
        cable_banners = self.find_cable_banners()
        top_cable = cable_banners[0][1] if cable_banners else None
        if top_cable is None:
            m = _SPACED_ANYWHERE_RE.search(t, 0, head_limit)
            if m:  # run-together header: the classification line is not at a line start
                m2 = _CABLE_BANNER_RE.match(t, m.start())
                top_cable = m2
                if m2 is not None:
                    cable_banners = [(self.line_index(m.start()), m2)]
        if top_cable is None:
            # garbled or lowercase spaced classification line ("C o n f i d e n t i a l",
            # "SS E C R E T"): kept as a banner so the rules can report it
            m3 = _GARBLED_BANNER_RE.search(t, 0, head_limit)
            if m3 is not None:
                top_cable = m3
                cable_banners = [(self.line_index(m3.start()), m3)]
        eo_from = top_cable.start() if top_cable else 0
        eo_m = _EO_RE.search(t, eo_from, head_limit + eo_from)
        while eo_m is not None and top_cable is None and re.match(
                r"[ \t>*_]*(?:DECLASSIFIED|Declassified|Authority|AUTHORITY)\b",
                self.line(self.line_index(eo_m.start()))):
            # "Authority: E.O. 13526" in a release stamp is no cable E.O. line
            eo_m = _EO_RE.search(t, eo_m.end(), head_limit + eo_from)
        is_cable = top_cable is not None or (
            eo_m is not None and (_TAGS_RE.search(t, 0, head_limit) is not None
                                  or _SUBJ_RE.search(t, 0, head_limit) is not None))
        if is_cable:
            self.scan_cable(cable_banners, top_cable, eo_m)
        else:
            self.scan_memo()
        self.finish()
        return doc

    # cables -------------------------------------------------------------------------------
    def scan_cable(self, cable_banners: list[tuple[int, re.Match[str]]],
                   top: re.Match[str] | None, eo_m: re.Match[str] | None) -> None:
        doc, t = self.doc, self.t
        _assign(doc, "style", "cable")
        banners: list[Banner] = []
        for k, (_, m) in enumerate(cable_banners):
            cls_text = m.group("cls") + (m.group("qual") or "")
            spaced = bool(_SPACED_LETTERS_RE.search(m.group("cls")))
            sec = f"{m.group('sec')} OF {m.group('of')}" if m.group("sec") else None
            pos = "top" if k == 0 else ("section" if sec else "interior")
            banners.append(self.banner_ref(m.start("cls"), m.end("qual") if m.group("qual")
                                           else m.end("cls"), cls_text, spaced=spaced,
                                           position=pos, section=sec, cable=True))
        _assign(doc, "banners", banners)
        if top is not None and top.group("post") and top.group("num"):
            self.top_post = (top.group("post"), top.group("num"))
        hstart = top.end() if top is not None else 0
        # header ends at the first numbered paragraph after the banner
        hend = None
        first_para_line = None
        for i in self.lines_opening(_NUMBERED_PARA_NL_RE,
                                    self.line_index(hstart) + 1 if top is not None else 0):
            s = self.starts[i]
            if s < hstart:
                continue
            if _NUMBERED_PARA_RE.match(t, s):
                m = _LABEL_RE.match(t, s)
                if m and m.group("num") and (self.tokenized or m.group("n") in ("1", "2")
                                             or not self.blank(i)):
                    hend = s
                    first_para_line = i
                    break
        cb = _CLASSIFIED_BY_RE.search(t, hstart, hend if hend is not None else
                                      min(len(t), hstart + 6000))
        if hend is None:
            # no numbered paragraphs: the header is the block holding the last header item
            last = hstart
            for rx in (_EO_RE, _TAGS_RE, _SUBJ_RE, _REF_RE):
                mm = rx.search(t, hstart, min(len(t), hstart + 3000))
                if mm:
                    last = max(last, mm.end())
            if cb:
                last = max(last, cb.end())
            j = self.line_index(last)
            while j < len(self.starts) and not self.blank(j):
                j += 1
            hend = self.starts[j] if j < len(self.starts) else len(t)
            first_para_line = j
        self.header = (hstart, hend)
        self.section_headers(hend)
        # the routing header and WikiLeaks dumps above the banner are not portions
        self.excluded.append((0, hend))
        self.cable_header(hstart, hend, eo_m, cb, top)
        self.segment(first_para_line or 0, cable=True)

    def section_headers(self, start: int) -> None:
        """Continuation headers of later sections (``MOSCOW 00005154 002 OF 004``).

        Only headers that carry this cable's own number count (the number of the
        classification line, ``MOSCOW 005154``), so that a quoted cable's header or a
        number in prose is never taken for one.
        """
        if self.top_post is None:
            return
        t = self.t
        if " OF " not in t:
            return
        post = " ".join(self.top_post[0].split())
        num = int(self.top_post[1])
        for m in _own_section_numbers(t, start, num):
            # the post name right before the number, blanks as written (tokenized text
            # puts an annotation's blanks in between)
            # (a page header cuts the post name to ten characters: "BUENOS AIR")
            head = t[max(0, m.start() - 60):m.start()]
            hm = None
            for rx in _post_name_patterns(post):
                hm = rx.search(head)
                if hm is not None:
                    break
            if hm is None:
                continue
            s0 = m.start() - len(head) + hm.start()
            name = " ".join(hm.group(0).split())
            self.doc.sections.append(_model(SectionHeader, {
                "text": f"{name} {m.group('num')} {m.group('sec')} OF {m.group('of')}",
                "span": self.span(s0, m.end()), "number": int(m.group("sec")),
                "total": int(m.group("of"))}, _EVERY[SectionHeader]))

    def cable_header(self, hs: int, he: int, eo_m: re.Match[str] | None,
                     cb: re.Match[str] | None, top: re.Match[str] | None) -> None:
        doc, t = self.doc, self.t
        eo_m = _EO_RE.search(t, hs, he) if hs < he else None
        subj = _SUBJ_RE.search(t, hs, he)
        ref = _REF_RE.search(t, subj.end() if subj else hs, he)
        tags = _TAGS_RE.search(t, hs, he)
        # captions: standalone caption lines in the header, and inline words between the
        # classification line and the E.O. line (run-together or tokenized headers)
        caps: list[Caption] = []
        seen: set[int] = set()
        inline_end = min(x.start() for x in (eo_m, tags, subj, ref, cb) if x is not None
                         ) if any((eo_m, tags, subj, ref, cb)) else min(he, hs + 200)
        for m in _CAPTION_RE.finditer(t, hs, inline_end):
            caps.append(_model(Caption, {"text": m.group(1),
                                         "span": self.span(m.start(), m.end())}, _EVERY[Caption]))
            seen.add(m.start())
        # (``he`` is a line start: every header line ends before it)
        last = self.line_index(max(hs, he - 1))
        for i in self.lines_opening(_CAPTION_LINE_NL_RE, self.line_index(hs), he):
            if i > last:
                break
            s = self.starts[i]
            m = _CAPTION_LINE_RE.match(t, s, self.ends[i])
            if m and m.start("c") >= hs:
                for w in _CAPTION_RE.finditer(t, m.start("c"), m.end("c")):
                    if w.start() not in seen:
                        caps.append(_model(Caption, {"text": w.group(1),
                                                     "span": self.span(w.start(), w.end())},
                                           _EVERY[Caption]))
                        seen.add(w.start())
        caps.sort(key=lambda c: c.span.start)
        _assign(doc, "captions", caps)
        # subject line: a portion of its own
        if subj is not None:
            stops = [x.start() for x in (ref, cb) if x is not None and x.start() > subj.end()]
            j = self.line_index(subj.end())
            while j + 1 < len(self.starts) and self.starts[j + 1] < he and not self.blank(j + 1) \
                    and not self.tokenized:
                nxt = self.line(j + 1)
                if _CAPTION_LINE_RE.match(nxt) or _PAGE_HEADER_RE.match(nxt):
                    break
                j += 1
            send = min([self.ends[j]] + stops)
            while send > subj.end() and t[send - 1] in " \t\n":
                send -= 1
            pos = subj.end()
            while pos < send and t[pos] in " \t":
                pos += 1
            mk = self.mark_at(pos, False, None)
            mark = self.mark_ref(*mk) if mk else None
            doc.portions.append(_model(Portion, {"kind": "subject",
                                                 "span": self.span(subj.start(), send),
                                                 "mark": mark}))
        self.authority(eo_m, cb, he)

    # authority block ----------------------------------------------------------------------
    def authority(self, eo_m: re.Match[str] | None, cb: re.Match[str] | None,
                  limit: int) -> None:
        doc, t = self.doc, self.t
        fields: dict[str, Any] = {}
        if eo_m is not None and not eo_m.group("na") and re.search(
                r"\bDECLASSIFIED\b", eo_m.group("val") or ""):
            eo_m = None  # "E.O. 12958: AS AMENDED; DECLASSIFIED <date>": a later review stamp
        if eo_m is not None:
            fields["eo"] = eo_m.group("eo")
            fields["eo_span"] = self.span(eo_m.start(), eo_m.end())
            if eo_m.group("na"):
                fields["eo_na"] = True
            else:
                val = (eo_m.group("val") or "").strip(" \t.;,")
                if val and re.search(r"(?:\.\.\.|\u2026)[ \t]*$", eo_m.group("val") or ""):
                    val = ""  # "DECL: 08...": cut off by the publisher, nothing to read
                if val:
                    d = _declass(val)
                    vs = eo_m.start("val") + (eo_m.group("val") or "").find(val)
                    fields["decl"] = _with(d, "span", self.span(vs, vs + len(val)))
        if cb is not None:
            fields["classified_by"] = True
            # the Classified By sentence, possibly wrapped: up to a blank line or limit
            end = self.block_end(cb.start(), limit)
            fields["classified_by_span"] = self.span(cb.start(), end)
            reasons = self.reasons(cb.end(), end)
            if reasons:
                fields["reasons"] = reasons
        else:
            rm = None
            for m in _REASON_RE.finditer(t, 0, min(len(t), limit)):
                ls = self.starts[self.line_index(m.start())]
                if t[ls:m.start()].strip(" \t>*_-"):
                    continue  # "reasons" inside a sentence is prose
                if _SECTION_RE.search(t, m.end(), min(m.end() + 12, len(t))):
                    rm = m
                    break
            if rm is not None:
                reasons = self.reasons(rm.end(), self.block_end(rm.start(), limit))
                if reasons:
                    fields["reasons"] = reasons
        low = self.low
        m = _derived_search(t) if b"derived" in low else None
        if m:
            fields["derived_from"] = m.group("v").strip() or None
            fields["derived_from_span"] = self.span(m.start("v") if m.group("v").strip()
                                                   else m.start(), m.end())
            self.exclude_line(m.start())
        m = _DECLASSIFY_RE.search(t) if b"declassify" in low else None
        if m:
            v = m.group("v").strip()
            vs = m.start("v")
            if v:
                d = _declass(v)
                fields["declassify_on"] = _with(d, "span", self.span(vs, vs + len(v)))
            fields["declassify_on_span"] = self.span(m.start(), m.end())
            self.exclude_line(m.start())
        m = _SOURCES_RE.search(t) if fields.get("derived_from") and b"source" in low else None
        if m:
            fields["sources_list"] = True
            self.excluded.append((self.starts[self.line_index(m.start())],
                                  self.sources_end(m.start())))
        if cb is not None:
            self.excluded.append((self.starts[self.line_index(cb.start())],
                                  self.block_end(cb.start(), len(t))))
        if fields.get("derived_from") or fields.get("classified_by"):
            cm = _COMPILATION_RE.search(t) if b"compilation" in low else None
            if cm and _CLASSIFIED_BY_RE.search(t, max(0, cm.start() - 300), cm.end() + 300) \
                    is None:
                fields["compilation"] = True
            elif cm:
                fields["compilation"] = bool(re.search(r"(?i)classified\b.{0,40}\bcompilation|"
                                                       r"compilation\b.{0,60}\bclassified",
                                                       t[max(0, cm.start() - 80):cm.end() + 80]))
        if fields:
            _assign(doc, "authority", _model(AuthorityBlock, fields))

    def reasons(self, start: int, end: int) -> tuple[Reason, ...]:
        """The reasons cited in ``t[start:end]``, read by :func:`markings.parse.read_reasons`
        (the same reader as :func:`markings.parse.parse_classified_by`)."""
        read_reasons = _parser("read_reasons")
        assert read_reasons is not None  # the scanner reads authority lines with the parser
        return tuple(_model(Reason, {"raw": raw, "section": section, "letters": letters,
                                     "span": self.span(a, b)})
                     for a, b, raw, section, letters in read_reasons(self.t, start, end))

    def block_end(self, pos: int, limit: int) -> int:
        """End of the paragraph that holds ``pos`` (blank line, numbered paragraph, limit)."""
        i = self.line_index(pos)
        n = len(self.starts)
        end = self.ends[i]
        j = i + 1
        while j < n and self.starts[j] < limit and not self.blank(j):
            if _LABEL_RE.match(self.t, self.starts[j]) and _NUMBERED_PARA_RE.match(
                    self.t, self.starts[j]):
                break
            end = self.ends[j]
            j += 1
        return min(max(end, pos), max(limit, pos)) if limit > pos else end

    def sources_end(self, pos: int) -> int:
        """End of a ``Sources:`` list: its lines, numbered or bulleted entries included.

        A blank line ends the list unless the next line is the next numbered entry (``3.``
        after ``2.``) or another bullet, and carries no portion mark.
        """
        t = self.t
        n = len(self.starts)
        i = self.line_index(pos)
        end = self.ends[i]
        last_num: int | None = None
        last_bullet = False
        j = i + 1
        while j < n:
            if self.blank(j):
                k = j
                while k < n and self.blank(k):
                    k += 1
                if k >= n:
                    break
                lm = _LABEL_RE.match(t, self.starts[k])
                nxt = lm is not None and (
                    (lm.group("num") is not None and last_num is not None
                     and int(lm.group("n")) == last_num + 1)
                    or (lm.group("bul") is not None and last_bullet))
                if not nxt or t.startswith("(", lm.end()):  # type: ignore[union-attr]
                    break
                j = k
                continue
            if _MEMO_BANNER_RE.match(t, self.starts[j], self.ends[j]):
                break  # the bottom banner
            lm = _LABEL_RE.match(t, self.starts[j])
            if lm is not None and lm.group("num"):
                last_num, last_bullet = int(lm.group("n")), False
            elif lm is not None and lm.group("bul"):
                last_num, last_bullet = None, True
            end = self.ends[j]
            j += 1
        return end + 1 if end < len(t) else end

    def exclude_line(self, off: int) -> None:
        i = self.line_index(off)
        self.excluded.append((self.starts[i], self.ends[i] + 1))

    # memos --------------------------------------------------------------------------------
    def scan_memo(self) -> None:
        doc, t = self.doc, self.t
        banner_lines: list[int] = []
        nonblank = [i for i in range(len(self.starts)) if not self.blank(i)]
        for i in nonblank:
            s, e = self.starts[i], self.ends[i]
            c = t[s:s + 40].lstrip(" \t>#*_")[:1]
            if not c or c not in "TSCURLFtscu/":
                continue
            m = _MEMO_BANNER_RE.match(t, s, e) or _SPACED_MEMO_BANNER_RE.match(t, s, e)
            if m:
                banner_lines.append(i)
        banners = []
        first_nb = nonblank[0] if nonblank else -1
        last_nb = nonblank[-1] if nonblank else -1
        garbled: dict[int, re.Match[str]] = {}
        for i in dict.fromkeys((first_nb, last_nb)):
            # a banner with a misspelled level (`SECERT//NOFORN`) on the first or last line:
            # a garbled banner (MK201 suggests the whole banner), not a title or paragraph
            if i < 0 or i in banner_lines:
                continue
            g = _GARBLED_MEMO_BANNER_RE.match(t, self.starts[i], self.ends[i])
            if g is not None and misspelled_level(g.group("h")) is not None:
                garbled[i] = g
        if garbled:
            banner_lines = sorted(set(banner_lines) | set(garbled))
        for i in banner_lines:
            m = garbled.get(i) or _MEMO_BANNER_RE.match(t, self.starts[i], self.ends[i])
            spaced = m is None
            if m is None:
                m = _SPACED_MEMO_BANNER_RE.match(t, self.starts[i], self.ends[i])
            assert m is not None
            raw = m.group("m").rstrip(" \t*_")
            pos = "top" if i == first_nb or not banners and i <= (nonblank[2] if len(
                nonblank) > 2 else last_nb) else ("bottom" if i == last_nb else "interior")
            b = self.banner_ref(m.start("m"), m.start("m") + len(raw), raw, spaced=spaced,
                                position=pos, section=None, cable=False)
            banners.append(b)
            self.exclude_line(self.starts[i])
        if banners and banners[0].position != "top":
            banners[0] = _with(banners[0], "position", "top")
        _assign(doc, "banners", banners)
        # a release stamp under the banner is not a portion (nor a title line)
        stamp = False
        for i in nonblank[:12]:
            if self.is_excluded(self.starts[i]):
                continue
            line = self.line(i)
            if _DECL_STAMP_RE.match(line) or (stamp and _DECL_STAMP_MORE_RE.match(line)):
                stamp = True
                self.exclude_line(self.starts[i])
            elif stamp:
                break
        # memo header lines (MEMORANDUM FOR, FROM, TO, DATE, a date alone) are not portions
        for i in nonblank[:25]:
            if _DATE_LINE_RE.match(self.line(i)):
                self.exclude_line(self.starts[i])
                continue
            if _MEMO_HEAD_RE.match(t, self.starts[i]) and ":" in self.line(i)[:40] or \
                    self.line(i).lstrip().startswith(("MEMORANDUM FOR", "Memorandum for")):
                self.exclude_line(self.starts[i])
        for i in nonblank[:25]:
            sm = _SUBJ_RE.match(t, self.starts[i] + len(self.line(i)) - len(
                self.line(i).lstrip(" \t")))
            if sm is None or self.is_excluded(self.starts[i]):
                continue
            pos = sm.end()
            while pos < self.ends[i] and t[pos] in " \t":
                pos += 1
            mk = self.mark_at(pos, False, None) if t.startswith("(", pos) else None
            send = self.ends[i]
            while send > sm.start() and t[send - 1] in " \t\r":
                send -= 1
            doc.portions.append(_model(Portion, {
                "kind": "subject", "span": self.span(sm.start(), send),
                "mark": self.mark_ref(*mk) if mk else None}))
            self.exclude_line(self.starts[i])
            break
        cb = _CLASSIFIED_BY_RE.search(t)
        if cb is not None and not re.match(r"[ \t>*_-]*$", t[self.starts[self.line_index(
                cb.start())]:cb.start()]):
            cb = None  # "classified by" inside a sentence is prose, not a CAB line
        self.authority(None, cb, len(t))
        self.header = (0, 0)
        self.segment(0, cable=False)
        marked = any(p.mark for p in doc.portions)
        _assign(doc, "style", "memo" if banners or marked else "unmarked")

    # segmentation -------------------------------------------------------------------------
    def segment(self, first_line: int, *, cable: bool) -> None:
        """Split the body into portions and read their marks."""
        doc, t = self.doc, self.t
        tok = self.tokenized
        n = len(self.starts)
        md = self.src.form == "markdown"
        comment_next: set[int] = set()
        if md and "<!--" in t:
            # comment-only lines are neither portions nor part of one: the line after such
            # a comment starts the portion (a disable-next-line directive then covers it)
            for cm in _COMMENT_LINE_RE.finditer(t, self.starts[first_line] if first_line < n
                                                else len(t)):
                a = self.starts[self.line_index(cm.start())]
                b = cm.end() + 1 if cm.end() < len(t) else cm.end()
                self.excluded.append((a, b))
                if b < len(t):
                    comment_next.add(self.line_index(b))
        excl = sorted(self.excluded)
        has_numbers = cable and first_line < n and self.numbered_line_from(self.starts[first_line])
        cur: dict[str, Any] | None = None  # the open portion
        out: list[dict[str, Any]] = []
        last_para_idx: int | None = None
        last_letter: dict[tuple[int | None, str], str] = {}
        ei = 0

        excl_starts = [a for a, _ in excl]
        n_excl = len(excl)  # (the blocks do not change in the loop)
        # the largest end of the excluded blocks up to each one (in ``excl`` order): an
        # offset lies in one of them when the largest end of those starting at or before it
        # lies past it (``is_excluded`` without a pass over every block per line)
        excl_reach = list(accumulate((b for _, b in excl), max))

        def excluded_at(off: int) -> bool:
            if not _FAST_SEGMENT:
                return self.is_excluded(off)
            k = bisect_right(excl_starts, off) - 1
            return k >= 0 and excl_reach[k] > off

        def close(end: int) -> None:
            nonlocal cur
            if cur is not None:
                cs = cur["start"]
                k = bisect_right(excl_starts, cs)
                if k < n_excl and excl_starts[k] < end:
                    end = excl_starts[k]  # an excluded block (CAB, bottom banner) ends it
                e = end
                while e > cs and t[e - 1] in " \t\n\r\f":
                    e -= 1
                cur["end"] = e if e > cs else cs + 1  # max(e, cs + 1)
                out.append(cur)
                cur = None

        # only candidate lines are looked at: label-like openings, lines after a blank or
        # separator line, and breaks found by the reader (the rest is continuation text)
        base = self.starts[first_line] if first_line < n else len(t)
        cands: set[int] = set()
        li = self.line_index
        # same lines as ``_CAND_RE.finditer(t, base)`` / ``_BLANK_RUN_RE.finditer(t, base)``:
        # "^" matches at ``base`` only when it is a real line start (not a reader break)
        at_line_start = base == 0 or t[base - 1:base] == "\n"
        if at_line_start and _CAND_RE.match(t, base):
            cands.add(li(base))
        starts = self.starts  # (line_index inlined: these loops see every candidate line)
        if _FAST_SEGMENT:
            # each match is the newline before its line: the match's end is the line's
            # start, whose index in ``starts`` bisect_left gives (bisect_right one past it)
            cands.update(map(bisect_left, repeat(starts),
                             map(_match_end, _CAND_NL_RE.finditer(t, base))))
        else:
            cands.update([bisect_right(starts, m.start() + 1) - 1
                          for m in _CAND_NL_RE.finditer(t, base)])
        # Lines that open with a letter (not a list letter ``o``, not ``A.``) can only start
        # an unnumbered paragraph; in a cable with numbered paragraphs, and in tokenized
        # text, they never start anything (the "plain text line" branch of the loop below).
        # Without reader breaks, the lines after blank lines are then looked at only when
        # they are no such line, and whether the line before is blank is asked of the
        # pattern for the few lines looked at (the same answers: every line start follows
        # a newline, and a skipped line changes nothing; tests/test_scan_fast_equivalence.py)
        letters_noop = not md and (tok or (cable and has_numbers))
        blank_lines: set[int] | _BlankLines
        if _FAST_SEGMENT and letters_noop and not self.src.breaks and at_line_start:
            blank_lines = _BlankLines(t, starts)
            if _BLANK_RUN_RE.match(t, base):
                cands.add(first_line + 1)
            # (the line after the blank line: one past the blank line's index)
            cands.update(map(bisect_right, repeat(starts),
                             map(_match_end, _BLANK_THEN_LINE_NL_RE.finditer(t, base))))
        else:
            blank_lines = set()
            if at_line_start and _BLANK_RUN_RE.match(t, base):
                j = li(base)
                blank_lines.add(j)
                cands.add(j + 1)
            blank_after = [bisect_right(starts, m.start() + 1) - 1
                           for m in _BLANK_RUN_NL_RE.finditer(t, base)]
            blank_lines.update(blank_after)
            cands.update([j + 1 for j in blank_after])
        break_lines: set[int] = set()
        if self.src.breaks:
            for b in self.src.breaks:
                if b >= base:
                    j = li(b)
                    break_lines.add(j)
                    cands.add(j)
        cands.add(first_line)
        cands.update(comment_next)

        def prev_blank_at(i: int) -> bool:
            """Whether the line before candidate line ``i`` ends a block: a blank line, a
            reader break, an excluded block. Asked only where the loop needs the answer
            (most candidates are numbered paragraphs, which open a portion regardless):
            nothing it reads changes in the loop, and it changes nothing, so the answer
            is the one the loop got when it asked for every candidate."""
            return (i == first_line or (i - 1) in blank_lines
                    or (not tok and i in break_lines)
                    or (bool(excl) and excluded_at(self.starts[i - 1])))
        for i in sorted(cands):
            if i < first_line or i >= n:
                continue
            s, e = self.starts[i], self.ends[i]
            while ei < n_excl and excl[ei][1] <= s:
                ei += 1
            if ei < n_excl and excl[ei][0] <= s < excl[ei][1]:
                continue
            if cur is not None:
                k = bisect_right(excl_starts, cur["start"])
                if k < n_excl and excl_starts[k] < s:
                    close(s)
            ls = t[s:e].lstrip(" \t\r\f\v")
            if not ls.rstrip() or (ls[0] in "-=_*" and _SEPARATOR_RE.match(ls)):
                continue
            c0 = ls[0]
            if c0.isalpha() and c0 != "o" and ls[1:2] != "." and not md:
                # plain text line: no label, no mark
                if ls.rstrip()[-1:].isdigit() and _PAGE_HEADER_RE.match(t, s, e):
                    continue  # a page header never breaks a paragraph
                if tok:
                    continue
                if (not cable or not has_numbers) and prev_blank_at(i):
                    close(s)
                    cur = {"kind": "paragraph", "number": None, "start": e - len(ls),
                           "mark": None, "parent": None}
                    last_para_idx = len(doc.portions) + len(out)
                continue
            lm = _LABEL_RE.match(t, s)
            kind = None
            number = None
            pos = s
            if lm:
                # the label's kind: the alternative that matched, whose group closes last
                # (each holds its inner group; none matches empty; tests/test_scan.py)
                which = lm.lastgroup
                if which == "num":
                    kind, number, pos = "numbered", lm.group("n"), lm.end()
                elif which == "bul":
                    if e - lm.end() > 0:
                        kind, pos = "bullet", lm.end()
                elif which in ("let", "plet"):
                    letter = lm.group("l") or lm.group("pl")
                    key = (last_para_idx, which)
                    prev_l = last_letter.get(key)
                    in_seq = prev_l is not None and ord(letter.upper()) == ord(prev_l) + 1
                    prev_txt = t[max(0, s - 3):s].rstrip()
                    if letter.upper() == "A" and (prev_blank_at(i) or prev_txt.endswith(":")):
                        in_seq = True
                    mk_probe = self.mark_at(lm.end(), False, None)
                    if which == "plet" and letter.upper() in "CSU" and not in_seq:
                        lm = None  # (C) (S) (U): a portion mark, not a label
                    elif mk_probe is not None or in_seq:
                        kind, number, pos = "subparagraph", letter, lm.end()
                        last_letter[key] = letter.upper()
                    else:
                        lm = None
            if self.tokenized and kind is None:
                # tokenized text: a line is a sentence; portions start at numbers/bullets,
                # or at a sentence that opens with a portion mark (not a REF-list item)
                mk = self.mark_at(pos, False, None) if t.startswith("(", pos) else None
                if mk is None or (cur is not None and cur["mark"] is not None
                                  and cur["mark"][0] == mk[0]) or not self.tok_mark_ok(mk):
                    continue
                close(s)
                cur = {"kind": "paragraph", "number": None, "start": mk[0], "mark": mk,
                       "parent": None}
                continue
            while pos < e and t[pos] in " \t":
                pos += 1
            hm = _MD_HEADING_RE.match(t, pos) if md else None
            if hm:
                pos = hm.end()
            if kind == "numbered" and t.startswith(".", pos):
                pos += 1  # "3.. (SBU)": a doubled full stop after the number
                while pos < e and t[pos] in " \t":
                    pos += 1
            mk = self.mark_at(pos, kind == "numbered", None) if t.startswith("(", pos) else None
            if mk is None and kind == "numbered":
                lead = _LEAD_IN_RE.match(t, pos)
                if lead is not None:  # "1. Summary: (C) ...": the mark after a lead-in
                    mk = self.mark_at(lead.end(), True, None)
            mk = self.malformed_at(pos, mk, kind == "numbered")
            starts_portion = kind is not None or hm is not None
            if not starts_portion:
                prev_blank = prev_blank_at(i)
                if mk is not None:
                    # a mark opens a portion after a blank line or a finished sentence;
                    # a wrapped sentence ("Sen. X\n(R-TN), ...") continues the paragraph
                    # (trailing blanks of the previous line do not count)
                    prev_line_end = self.line(i - 1).rstrip() if i > 0 else ""
                    starts_portion = t[mk[1]:mk[1] + 1] not in (",", ";") and (
                        prev_blank or cur is None or not prev_line_end
                        or prev_line_end[-1] in ".!?:;\"')")
                elif prev_blank and (not cable or not has_numbers):
                    starts_portion = True
                elif prev_blank and cable and has_numbers and cur is None and out:
                    starts_portion = False
            if starts_portion:
                close(s)
                parent = None
                if kind in ("bullet", "subparagraph") and last_para_idx is not None:
                    parent = last_para_idx
                k = kind or ("title" if hm is not None else "paragraph")
                cur = {"kind": k, "number": number, "start": s if kind else (
                    mk[0] if mk else pos), "mark": mk, "parent": parent}
                if k in ("numbered", "paragraph", "title"):
                    last_para_idx = len(doc.portions) + len(out)
        close(len(t))
        if tok and out:
            out = self.split_at_inline_marks(out, base)
        # memos: a short first line without a full stop is a title
        base_idx = len(doc.portions)
        new_idx: dict[int, int | None] = {}
        every_portion = _EVERY[Portion]
        portions = doc.portions  # (the document's list, appended to in place)
        span, mark_ref = self.span, self.mark_ref
        for k, p in enumerate(out):
            pm = p["mark"]
            if pm is None and p["kind"] == "paragraph" and _NOTICE_RE.match(
                    t, p["start"], p["end"]):
                new_idx[base_idx + k] = None  # a warning notice or distribution statement
                continue
            new_idx[base_idx + k] = len(portions)
            mark = mark_ref(*pm) if pm else None
            parent = p["parent"]
            if parent is not None and parent >= base_idx:
                parent = new_idx.get(parent)
            portions.append(_model(Portion, {
                "kind": p["kind"], "number": p["number"],
                "span": span(p["start"], p["end"]), "mark": mark, "parent": parent},
                every_portion))

    def tok_mark_ok(self, mk: tuple[int, int, str]) -> bool:
        """A portion mark found outside a label in tokenized text, unless it reads as a
        reference-list item (``( C ) 2005 STATE 117165``, ``( B ) MOSCOW 11500``) or a
        letter in an ``( A ) ... ( B ) ...`` sequence."""
        t = self.t
        if _TOK_REF_AFTER_RE.match(t, mk[1]):
            return False
        inner = mk[2].strip("() \t")
        if len(inner) == 1:
            prev = _TOK_LETTER_BEFORE_RE.search(t, max(0, mk[0] - 80), mk[0])
            if prev is not None and ord(prev.group(1).upper()) == ord(inner.upper()) - 1:
                return False
        return not t[mk[1]:mk[1] + 40].strip() == ""

    def split_at_inline_marks(self, out: list[dict[str, Any]], base: int
                              ) -> list[dict[str, Any]]:
        """Tokenized text: a portion mark inside a line, where a reviewer sees one.

        Lost line breaks put a mark in the middle of a line: right after a colon (``Post
        may draw upon the following points: ( S/REL to RUSSIA ) Begin Talking Points``) or
        right before ``Begin`` or ``--``. Such a mark opens a portion of its own, which
        ends where the enclosing portion ended. Prose parentheses (``( GOV )``, ``( Ref A
        )``) are no marks (their first word is no classification), and reference-list items
        are left alone (:meth:`tok_mark_ok`).
        """
        t = self.t
        own = {p["mark"][0] for p in out if p["mark"] is not None}
        found: list[tuple[int, int, str]] = []
        for m in _TOK_INLINE_MARK_RE.finditer(t, base):
            pos = m.start()
            if pos in own or self.is_excluded(pos):
                continue
            ls = self.starts[self.line_index(pos)]
            if not t[ls:pos].strip(" \t\u00b6"):
                continue  # at a line start: the segmentation loop decided
            mk = self.mark_at(pos, False, None)
            if mk is None or not self.tok_mark_ok(mk):
                continue
            before = t[max(ls, pos - 3):pos].rstrip(" \t")
            if not (before.endswith(":") or _TOK_OPENER_AFTER_RE.match(t, mk[1])):
                continue
            found.append(mk)
        if not found:
            return out
        res: list[dict[str, Any]] = []
        fi = 0
        for p in out:
            cur = p
            while fi < len(found) and found[fi][0] < cur["start"]:
                fi += 1
            while fi < len(found) and cur["start"] < found[fi][0] < cur["end"]:
                mk = found[fi]
                e = mk[0]
                while e > cur["start"] and t[e - 1] in " \t\n\r":
                    e -= 1
                head = dict(cur, end=max(e, cur["start"] + 1))
                res.append(head)
                cur = {"kind": "paragraph", "number": None, "start": mk[0], "end": cur["end"],
                       "mark": mk, "parent": None}
                fi += 1
            res.append(cur)
        return res

    # finishing ----------------------------------------------------------------------------
    def finish(self) -> None:
        doc, t = self.doc, self.t
        doc.portions.sort(key=lambda p: p.span.start)
        if doc.style == "memo" and doc.portions:
            p = doc.portions[0]
            txt = t[p.span.start:p.span.end]
            words = [w for w in re.sub(r"^\s*\([^)]*\)", "", txt).split() if len(w) >= 4]
            title_case = bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words)
            if p.kind == "paragraph" and "\n" not in txt.strip() and len(txt) < 100 and \
                    title_case and not txt.rstrip().endswith((".", ":", ";")) and \
                    len(doc.portions) > 1:
                doc.portions[0] = _with(p, "kind", "title")
        # cable id: the file name, a metadata line, or post + number + year
        cid = None
        stem = _EXTENSION_RE.sub("", doc.path.replace("\\", "/").rsplit("/", 1)[-1])
        if CABLE_ID_RE.fullmatch(stem):
            cid = stem
        else:
            m = _CABLE_ID_LINE_RE.match(t)
            if m and CABLE_ID_RE.fullmatch(m.group(1)):
                cid = m.group(1)
        dt_text = t
        if self.src.form in ("html", "tokenized") and "  " in t[:12000]:
            # blanked tags and entity padding lengthen the head: read the date in the
            # text as it reads, without them
            dt_text = _BLANK_RUN_TO_ONE_RE.sub(" ", t[:12000]).replace(" \n", "\n")
        d, srcname = document_date(dt_text, cable_id=cid, cable=doc.style == "cable")
        _assign(doc, "date", d)
        _assign(doc, "date_source", srcname)
        if cid is None and doc.style == "cable" and d is not None and srcname == "dtg" \
                and self.top_post is not None:
            post, num = self.top_post  # the id is year + post + number: 05MOSCOW11807
            cid = f"{d.year % 100:02d}{re.sub(r'[^A-Z]', '', post)}{int(num)}"
        _assign(doc, "cable_id", cid)
        if doc.style == "cable" and not doc.banners:
            doc.notes.append("cable header without a classification line")
        if self.tokenized:
            doc.notes.append("lost line breaks: portions start at paragraph anchors")


_BLANK_RUN_TO_ONE_RE = re.compile(r"[ \t]{2,}")
# tokenized text: a mark that may open a portion inside a line, what may follow such a mark,
# what follows a reference-list item, and a list letter before it
_TOK_INLINE_MARK_RE = re.compile(r"\([ \t]*(?:TS|S|C|U|SBU)(?![A-Za-z0-9])")
_TOK_OPENER_AFTER_RE = re.compile(r"[ \t]*(?:Begin|BEGIN|--)")
_TOK_REF_AFTER_RE = re.compile(
    r"[ \t]*(?:(?:19|20)\d{2}\b|\d|[A-Z][A-Z.'-]+(?:[ \t]+[A-Z][A-Z.'-]+){0,2}[ \t]+\d{2,})")
_TOK_LETTER_BEFORE_RE = re.compile(r"\([ \t]*([A-Za-z])[ \t]*\)(?!.*\()", re.DOTALL)


def build(source: Source | str, path: str | None = None) -> Document:
    """Scan and parse ``source`` into a :class:`~markings.document.Document`.

    ``source`` is a :class:`~markings.read.Source` (or a plain string, read as text).
    Never raises on odd input: whatever cannot be understood is left out of the model.
    """
    if isinstance(source, str):
        source = source_from_text(source, path=path or "<text>")
    p = path if path is not None else source.path
    doc = Scanner(source, p).run()
    _assign(doc, "original", source.original)  # what suppression comments are read from
    _assign(doc, "fallback_encoding", getattr(source, "fallback_encoding", None))
    return doc
