"""Recognise redaction markers and the legal bases (exemption codes) written with them.

Markers seen in released text (``spec/redaction-checks.md`` section 5.3):

* ``x-run``: ``XXXXXXXXXXXX`` as in the published 2010 cables (runs of four or more ``X``);
* ``bracket``: ``[REDACTED]``, ``[REDACTED (b)(6)]``, ``[WITHHELD]``, ``[(b)(6)]``, ``[b6]``;
* ``block``: block characters ``█████``;
* ``frus``: FRUS quantity notes ``[name not declassified]``, ``[3 paragraphs (19 lines) not
  declassified]``, ``2 pages not declassified``;
* ``crest``: a line of CREST OCR text holding only ``STAT``, ``STATINTL`` or ``25X1``.

Codes (section 5.1 and 5.2): FOIA ``(b)(1)``-``(b)(9)`` with ``(b)(7)(A)``-``(F)`` (short forms
``b6``, ``b7C`` inside brackets), E.O. 13526 reasons ``1.4(a)``-``(h)``, automatic
declassification exemptions ``25X1``-``25X9``, ``50X1-HUM``, ``50X2-WMD``, ``75X1``-``75X9``,
and release notations ``3.3(b)(n)``, ``3.5(c)``, CREST ``STAT``/``STATINTL``. FBI margin
notations with a sub-category (``b6 -1``, ``b7C -1``) are read anywhere; State Department
stamps ``RELEASE IN PART B6`` have their short codes read.

Everything here is a pure function of a string; offsets are 0-based into that string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CodeKind = str  # "foia", "eo-reason", "eo-exemption", "eo-other", "crest"

# a code ends at a blank: `(b)(1) (b)(3)` is two codes, not `(b)(1)(B)` and a stray `(3)`;
# the sub-part follows with no blank and is never the `(b)` of a next code
_FOIA_LONG = (r"\(\s?b\s?\)\s?\(\s?(?P<fn>\d{1,2})\s?\)"
              r"(?:\(\s?(?P<fs>[A-Za-z])\s?\)(?!\s?\(\s?\d))?")
_FOIA_SHORT = r"(?<![A-Za-z0-9])[bB](?P<sn>\d{1,2})(?:\s?\(?(?P<ss>[A-Za-z])\)?)?(?![A-Za-z0-9])"
_EO_REASON = r"(?<![\d.])1\.4\s?\(\s?(?P<rl>[A-Za-z])\s?\)"
_EO_EXEMPT = r"(?<![A-Za-z0-9])(?P<xp>25|50|75)X(?P<xn>\d{1,2})(?:-(?P<xs>[A-Za-z]+))?(?![A-Za-z0-9])"
_EO_OTHER = r"(?<![\d.])3\.(?:3\s?\(b\)\s?\(\d\)|5\s?\(\s?c\s?\))"
_CREST = r"(?<![A-Za-z])(?:STATINTL|STAT)(?![A-Za-z])"
# FBI FOIPA margin notations: exemption and sub-category number, "b6 -1", "b7C -1"
_FBI = r"(?<![A-Za-z0-9])[bB](?P<bn>\d{1,2})(?P<bs>[A-Za-z])?[ \t]?-[ \t]?\d{1,2}(?![\w.])"
# State Department page stamps: "RELEASE IN PART B6", "RELEASE IN PART B1, 1.4(D), B6"
_STAMP_RE = re.compile(
    r"\bRELEASED?[ \t]+IN[ \t]+(?:PART|FULL)\b(?P<codes>(?:[ \t]*,?[ \t]*(?:[bB]\d{1,2}"
    r"(?:[ \t]?\(?[A-Za-z]\)?)?|1\.4[ \t]?\([ \t]?[A-Za-z][ \t]?\)|(?:25|50|75)X\d{1,2}"
    r"(?:-[A-Za-z]+)?)"
    r"(?![A-Za-z0-9]))*)")

#: Codes that may appear anywhere (distinctive enough not to be confused with prose).
CODE_RE = re.compile(
    f"(?P<foia>{_FOIA_LONG})|(?P<fbi>{_FBI})|(?P<reason>{_EO_REASON})|"
    f"(?P<exempt>{_EO_EXEMPT})|(?P<other>{_EO_OTHER})")
#: Codes recognised inside a marker or a release stamp only (short FOIA forms, CREST words).
INNER_CODE_RE = re.compile(
    f"(?P<foia>{_FOIA_LONG})|(?P<fbi>{_FBI})|(?P<short>{_FOIA_SHORT})|"
    f"(?P<reason>{_EO_REASON})|(?P<exempt>{_EO_EXEMPT})|(?P<other>{_EO_OTHER})|"
    f"(?P<crest>{_CREST})")

_X_RUN = r"X{4,}"
_BLOCK = r"[\u2588\u2587\u2586\u2589\u258A\u258B\u25A0\u25AE]+"
_BRACKET_WORD = r"\[\s*(?:REDACTED|WITHHELD|DELETED|EXCISED|REMOVED)\b[^\]\n]{0,120}\]"
_FRUS = (r"\[[^\[\]\n]{0,80}?\bnot\s+(?:declassified|released)\s*\]|"
         r"(?<![\w\[])\d+\s+(?:pages?|paragraphs?|lines?)\s+not\s+declassified\b")
_CODE_BRACKET = (r"\[\s*(?:(?:" + _FOIA_LONG.replace("?P<fn>", "").replace("?P<fs>", "")
                 + r")|(?:[bB]\d{1,2}[A-Za-z]?)|(?:(?:25|50|75)X\d{1,2}(?:-[A-Za-z]+)?)|"
                 r"(?:1\.4\s?\(\s?[A-Za-z]\s?\)))(?:[\s,;/&]+(?:and\s+)?[^\]\n\s,;/&]+){0,8}\s*\]")
# CREST OCR text: a line holding nothing but STAT, STATINTL or a 25X code marks an excision
_CREST_LINE = r"(?m:^[ \t]*(?:STATINTL|STAT|25X\d)[ \t]*$)"
MARKER_RE = re.compile(
    f"(?P<frus>{_FRUS})|(?P<bracket>{_BRACKET_WORD})|(?P<codes>{_CODE_BRACKET})|"
    f"(?P<xrun>{_X_RUN})|(?P<block>{_BLOCK})|(?P<crest>{_CREST_LINE})", re.IGNORECASE)
# re.IGNORECASE must not make "xxxx" in prose a marker: x-runs are checked for case below.

@dataclass(frozen=True)
class Code:
    """One exemption or authority code as written, with its canonical form and validity."""

    raw: str
    kind: CodeKind
    canonical: str
    valid: bool
    start: int
    end: int
    problem: str = ""  # why it is invalid (quotes the code only)


@dataclass(frozen=True)
class Marker:
    """One redaction marker and the codes written inside it or right after it."""

    start: int
    end: int
    style: str  # "x-run", "bracket", "block", "frus", "crest"
    text: str  # the marker as written (marker tokens only, never protected text)
    codes: tuple[Code, ...] = ()
    parts: tuple[tuple[int, int], ...] = field(default=())  # runs of an x-run/block group

    @property
    def has_basis(self) -> bool:
        """True when the marker carries at least one legal-basis code (valid or not)."""
        return bool(self.codes)

    @property
    def word_shaped(self) -> bool:
        """Several runs separated by single spaces: the marker mirrors the hidden words."""
        return len(self.parts) > 1

    @property
    def run_length(self) -> int:
        """Length of the longest run (x-run and block markers)."""
        return max((e - s for s, e in self.parts), default=self.end - self.start)


def _check_code(kind: CodeKind, m: re.Match[str], offset: int) -> Code:
    raw = m.group(0)
    start, end = offset + m.start(), offset + m.end()
    if kind in ("foia", "short", "fbi"):
        group = {"foia": ("fn", "fs"), "short": ("sn", "ss"), "fbi": ("bn", "bs")}[kind]
        n = int(m.group(group[0]))
        sub = m.group(group[1]) or ""
        canonical = f"(b)({n})" + (f"({sub.upper()})" if sub else "")
        problem = ""
        if not 1 <= n <= 9:
            problem = f"FOIA has exemptions (b)(1) to (b)(9); {canonical} does not exist"
        elif sub and n != 7:
            problem = f"only (b)(7) has lettered sub-parts; {canonical} does not exist"
        elif sub and sub.upper() not in "ABCDEF":
            problem = f"(b)(7) has sub-parts (A) to (F); {canonical} does not exist"
        return Code(raw, "foia", canonical, not problem, start, end, problem)
    if kind == "reason":
        letter = m.group("rl")
        canonical = f"1.4({letter.lower()})"
        problem = "" if letter.lower() in "abcdefgh" else (
            f"E.O. 13526 section 1.4 has categories (a) to (h); {canonical} does not exist")
        return Code(raw, "eo-reason", canonical, not problem, start, end, problem)
    if kind == "exempt":
        prefix, num, suf = m.group("xp"), int(m.group("xn")), (m.group("xs") or "").upper()
        canonical = f"{prefix}X{num}" + (f"-{suf}" if suf else "")
        problem = ""
        if prefix == "25":
            if not 1 <= num <= 9:
                problem = f"25X exemptions run from 25X1 to 25X9; {canonical} does not exist"
            elif suf and not (num == 1 and suf in ("HUM", "HUMAN")):
                problem = f"suffix -{suf} is not defined for {prefix}X{num}"
        elif prefix == "50":
            if (num, suf) not in ((1, "HUM"), (2, "WMD")):
                problem = (f"50-year exemptions are 50X1-HUM and 50X2-WMD; {canonical} "
                           "is not one of them")
        elif not 1 <= num <= 9 or suf:
            problem = f"75X exemptions run from 75X1 to 75X9; {canonical} does not exist"
        return Code(raw, "eo-exemption", canonical, not problem, start, end, problem)
    if kind == "crest":
        return Code(raw, "crest", raw.upper(), True, start, end)
    canonical = re.sub(r"\s", "", raw).lower()
    return Code(raw, "eo-other", canonical, True, start, end)


def _codes_in(text: str, start: int, end: int, *, inner: bool) -> list[Code]:
    regex = INNER_CODE_RE if inner else CODE_RE
    out = []
    for m in regex.finditer(text, start, end):
        kind = next(k for k in ("foia", "fbi", "short", "reason", "exempt", "other", "crest")
                    if k in regex.groupindex and m.group(k))
        out.append(_check_code(kind, m, 0))
    return out


def find_codes(text: str) -> list[Code]:
    """Every distinctive exemption/authority code in ``text``: long forms, FBI notations
    (``b6 -1``) anywhere, and short forms in State release stamps (``RELEASE IN PART B6``)."""
    codes = _codes_in(text, 0, len(text), inner=False)
    seen = {(c.start, c.end) for c in codes}
    for m in _STAMP_RE.finditer(text):
        for c in _codes_in(text, m.start("codes"), m.end("codes"), inner=True):
            if not any(a <= c.start < b for a, b in seen):
                codes.append(c)
    return sorted(codes, key=lambda c: c.start)


_LEAD = re.compile(r"[ \t]*(?:[\[,;][ \t]*)?")
_CLOSE = re.compile(r"[ \t]*\]")


def _trailing_codes(text: str, pos: int) -> list[Code]:
    """Long-form codes written right after a marker on the same line (``XXXX (b)(6)``)."""
    codes: list[Code] = []
    end = pos
    while end < len(text):
        lead = _LEAD.match(text, end)
        found = CODE_RE.match(text, lead.end() if lead else end)
        if found is None:
            break
        kind = next(k for k in ("foia", "fbi", "reason", "exempt", "other") if found.group(k))
        codes.append(_check_code(kind, found, 0))
        end = found.end()
        close = _CLOSE.match(text, end)
        if close:
            end = close.end()
    return codes


def find_markers(text: str) -> list[Marker]:
    """All redaction markers in ``text``, in order, with their codes.

    Runs of ``X`` or block characters separated by single spaces are one marker with several
    ``parts`` (this is what :attr:`Marker.word_shaped` reports).
    """
    raw: list[Marker] = []
    for m in MARKER_RE.finditer(text):
        style = m.lastgroup or ""
        s, e = m.start(), m.end()
        if style == "xrun":
            if m.group(0) != "X" * (e - s):
                continue  # lowercase "xxxx" is prose, not a marker
            raw.append(Marker(s, e, "x-run", m.group(0), parts=((s, e),)))
        elif style == "block":
            raw.append(Marker(s, e, "block", m.group(0), parts=((s, e),)))
        elif style == "crest":
            word = m.group(0).strip()
            if word != word.upper():
                continue  # "stat" or "Stat" alone on a line is prose
            s = m.start() + m.group(0).index(word)
            e = s + len(word)
            raw.append(Marker(s, e, "crest", word, tuple(_codes_in(text, s, e, inner=True))))
        elif style == "frus":
            raw.append(Marker(s, e, "frus", m.group(0), tuple(_codes_in(text, s, e, inner=True))))
        else:
            raw.append(Marker(s, e, "bracket", m.group(0),
                              tuple(_codes_in(text, s, e, inner=True))))
    # group runs separated by single spaces into one marker
    grouped: list[Marker] = []
    for mk in raw:
        prev = grouped[-1] if grouped else None
        if (prev is not None and mk.style == prev.style and mk.style in ("x-run", "block")
                and text[prev.end:mk.start] == " "):
            grouped[-1] = Marker(prev.start, mk.end, prev.style, text[prev.start:mk.end],
                                 parts=prev.parts + mk.parts)
            continue
        grouped.append(mk)
    out: list[Marker] = []
    for mk in grouped:
        codes = _trailing_codes(text, mk.end) if not mk.codes and mk.style != "frus" else []
        if codes:  # the codes belong to the marker; its span stays the withheld region
            mk = Marker(mk.start, mk.end, mk.style, mk.text, mk.codes + tuple(codes), mk.parts)
        out.append(mk)
    return out


def marker_family(mk: Marker) -> str:
    """The visual convention of a marker, for the mixed-styles check.

    ``[REDACTED]`` and ``[REDACTED (b)(6)]`` are one family; ``[(b)(6)]`` and ``[b6]`` are the
    code-only family; x-runs, blocks and FRUS notes are one family each.
    """
    if mk.style != "bracket":
        return mk.style
    return "bracket-word" if re.match(r"\[\s*[A-Za-z]{4,}", mk.text) else "bracket-code"
