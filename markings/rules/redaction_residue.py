"""Rule family residue (MK720-MK722): identifiers, edge fragments and tagged names."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from markings.config import RuleOptions
from markings.findings import Severity
from markings.registry import Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document

REDACTION = ("cables", "foia", "declass", "archival")
_WORD = re.compile(r"[^\W_]+")


class IdentifierOptions(RuleOptions):
    """Options of MK720 identifier-near-redaction."""

    window: int = Field(12, description="Words between a marker and an identifier that make "
                                        "the identifier an error.")
    report_distant: bool | None = Field(
        None, description="Also report identifiers far from any marker, as warnings "
                          "(default: on in `foia`/`declass`, off otherwise).")
    entities: list[str] = Field(
        default_factory=lambda: ["EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "CREDIT_CARD",
                                 "IP_ADDRESS", "IBAN"],
        description="Identifier types to look for.")


@rule("MK720", "identifier-near-redaction", "error", profiles=REDACTION,
      options=IdentifierOptions)
def identifier_near_redaction(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An identifier (e-mail, phone, SSN, card, IP, IBAN) survives next to a redaction.

    ## What it checks
    Validated identifiers (Luhn for cards, SSA rules for SSNs, NANP rules for US phones,
    octet ranges for IPs, mod-97 for IBANs) within `window` words (default 12) of a redaction
    marker are errors. In `foia` and `declass` identifiers anywhere else are warnings.

    ## Why
    A withheld name next to its surviving e-mail address or phone number is not withheld.

    ## Example
    `[REDACTED (b)(6)] (jdoe@example.gov, 202-555-0142) attended.`

    ## Fix
    Withhold the identifiers with the name: `[REDACTED (b)(6)] ([REDACTED (b)(6)]) attended.`
    The message shows a masked form only.
    """
    from markings.redaction.common import markers_of, profile_of
    from markings.redaction.residue import find_identifiers

    opts = ctx.opts("identifier-near-redaction") or IdentifierOptions()
    prof = profile_of(ctx)
    distant = opts.report_distant if opts.report_distant is not None else bool(
        prof and prof.distant_identifiers)
    markers = markers_of(doc)
    idents = find_identifiers(doc.text, entities=frozenset(opts.entities))
    if not idents or (not markers and not distant):
        return
    text = doc.text
    # identifiers blanked out (one pass): the fingerprint context never holds one
    chars = list(text)
    for other in idents:
        chars[other.start:other.end] = " " * (other.end - other.start)
    blanked = "".join(chars)
    for ident in idents:
        near = None
        best = opts.window + 1
        for mk in markers:
            lo, hi = (mk.end, ident.start) if mk.end <= ident.start else (ident.end, mk.start)
            gap = 0 if hi < lo else len(_WORD.findall(text[lo:hi]))
            if gap < best:
                near, best = mk, gap
        if near is None and not distant:
            continue
        where = (f"within {opts.window} words of redaction marker `{near.text[:20]}`"
                 if near else "in a release copy")
        yield Hit(doc.span(ident.start, ident.end),
                  f"{ident.entity.replace('_', ' ').lower()} `{ident.masked}` survives {where}. "
                  "Withhold it with the redacted item.",
                  key=f"{ident.entity} {_around(blanked, ident.start, ident.end)}",
                  severity=None if near else Severity.WARNING)


_EDGE_OK = re.compile(r"^['\u2019][sS]\b")
_PIECE_END = re.compile(r"[^\W_]+$")


def _free_words(text: str, markers: list) -> set[str]:  # type: ignore[type-arg]
    """Casefolded words of ``text`` that touch no marker."""
    view = list(text)
    for mk in markers:
        view[mk.start:mk.end] = "\0" * (mk.end - mk.start)
    return {m.group(0).casefold() for m in _FREE.finditer("".join(view))}


_FREE = re.compile(r"(?<![^\W_]|\0)[^\W_]+(?![^\W_]|\0)")


def _whole_word(piece: str, words: set[str] | None, style: str = "") -> bool:
    """A piece glued to a marker that is a word of its own, i.e. a lost space, not a
    fragment of the hidden word: the document also writes it as a word (two letters or
    more), or, next to an ``XXXX`` marker of the cables, it is a lower-case word of four
    letters or more (`becomeXXXX`, `XXXXobserved`; names and initials are capitalised)."""
    if len(piece) < 2 or re.fullmatch(r"[Xx]+", piece):
        return False
    if style == "x-run" and len(piece) >= 4 and piece.isalpha() and piece.islower():
        return True
    return words is not None and piece.casefold() in words


@rule("MK721", "partial-token-at-redaction", "error", profiles=REDACTION)
def partial_token_at_redaction(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A word fragment is left at the edge of a redaction marker.

    ## What it checks
    Letters or digits touching a marker (`J[REDACTED]son`, `55[REDACTED]`,
    `JXXXXXXXXXXXX`), and a lone letter or digit group separated by one space from a block
    marker (`J ███ 55-0142`). The possessive `'s` after a marker is allowed, and so is a
    whole word glued to the marker (a lost space, `toldXXXXXXXXXXXX`): a piece of two or
    more letters that the document also uses as a word on its own, or a lower-case word of
    four letters or more next to an `XXXX` marker.

    ## Why
    Edge fragments narrow the hidden word down, often to one candidate; a half-covered glyph
    is the classic failure of box redactions.

    ## Example
    `Mr. J[REDACTED]son`

    ## Fix
    Extend the redaction to word boundaries: `Mr. [REDACTED (b)(6)]`.
    """
    from markings.redaction.common import markers_of

    text = doc.text
    words: set[str] | None = None
    for mk in markers_of(doc):
        before = text[mk.start - 1] if mk.start > 0 else " "
        after_text = text[mk.end:mk.end + 3]
        after = after_text[:1] or " "
        frag = []
        if before.isalnum() or (after.isalnum() and not _EDGE_OK.match(after_text)):
            if words is None:
                words = _free_words(text, markers_of(doc))
        if before.isalnum():
            piece = _PIECE_END.search(text, max(0, mk.start - 40), mk.start)
            if not _whole_word(piece.group(0) if piece else before, words, mk.style):
                frag.append("before")
        if after.isalnum() and not _EDGE_OK.match(after_text):
            piece = _WORD.match(text, mk.end)
            if not _whole_word(piece.group(0) if piece else after, words, mk.style):
                frag.append("after")
        if not frag and mk.style == "block":
            left = re.search(r"(?:^|\s)([^\W_]{1,2}) $", text[max(0, mk.start - 4):mk.start])
            right = re.match(r" ([\d-]{2,})", text[mk.end:mk.end + 12])
            if left:
                frag.append("before")
            if right:
                frag.append("after")
        if frag:
            side = " and ".join(frag)
            yield Hit(doc.span(mk.start, mk.end),
                      f"Word fragment left {side} redaction marker `{mk.text[:20]}`. Extend the "
                      "redaction to whole words.", key=f"edge {side} {mk.style}")


# "(protect)", "(strictly protect)", "(please protect)", "(please strictly protect)"; the
# words may be split by a line break (hard-wrapped cables: "(please\nprotect)")
_TAG = re.compile(r"\((?:PLEASE\s+)?(?:STRICTLY\s+)?PROTECT(?:ED)?\b[^()\n]{0,30}\)",
                  re.IGNORECASE)
_SPACE = " \t\r\n,"
_NAME_WORD = re.compile(r"(?:[A-Z][\w'\u2019.-]*|de|da|del|van|von|bin|al|el|la|le)$")


# capitalised words that open a sentence before a protected name but are not part of it
_NOT_NAME_WORDS = frozenset({
    "contact", "contacts", "source", "sources", "the", "a", "an", "our", "his", "her", "their",
    "this", "that", "these", "those", "its", "my", "your", "when", "then", "also", "and", "but",
    "per", "according", "interlocutor", "interlocutors", "informant", "embassy", "post",
    "poloff", "econoff", "emboff", "polchief", "dcm", "ambassador", "he", "she", "they", "we",
    "i", "in", "on", "at", "for", "with", "as", "if", "while", "meanwhile", "separately",
    "summary", "comment",
})


@rule("MK722", "protect-tag-on-name", "error", profiles=REDACTION)
def protect_tag_on_name(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A source-protection tag (`(PROTECT)`, `(STRICTLY PROTECT)`) follows a real name.

    ## What it checks
    The token right before a `(protect)` or `(strictly protect)` tag must be a redaction
    marker. A capitalised word there is taken as a name that should have been withheld.

    ## Why
    Diplomats tag sensitive contacts with these words; the tag marks exactly what must never
    be published (the 2011 unredacted cables exposed such names).

    ## Example
    `Ahmed Example (STRICTLY PROTECT) told poloff ...`

    ## Fix
    Replace the name with the marker: `XXXXXXXXXXXX (STRICTLY PROTECT) told poloff ...`.
    The message never quotes the name.
    """
    from markings.redaction.common import markers_of

    text = doc.text
    marker_ends = {mk.end for mk in markers_of(doc)}
    for m in _TAG.finditer(text):
        j = m.start()
        while j > 0 and text[j - 1] in _SPACE:
            j -= 1
        if j > 0 and text[j - 1] == ")":
            # "Name (affiliation) (STRICTLY PROTECT)": look before the affiliation
            open_at = text.rfind("(", max(0, j - 120), j - 1)
            if open_at != -1 and ")" not in text[open_at:j - 1]:
                j = open_at
                while j > 0 and text[j - 1] in _SPACE:
                    j -= 1
        if j in marker_ends:
            continue
        words = text[max(0, j - 60):j].split()
        name = []
        for w in reversed(words[-4:]):
            if w.endswith((":", ";")) and name:
                break  # "Summary: Jane Roe (PROTECT)": a label ends the name
            if _NAME_WORD.match(w.strip(",;:")) and not re.fullmatch(r"X{4,}\W*", w):
                name.append(w)
            else:
                break
        # a capitalised common word opening the sentence ("Contact Jane Roe (PROTECT)") is
        # not part of the name
        while name and name[-1].strip(",;:.").casefold() in _NOT_NAME_WORDS:
            name.pop()
        if not any(w[:1].isupper() for w in name):
            continue
        tag = "(STRICTLY PROTECT)" if "STRICTLY" in m.group(0).upper() else "(PROTECT)"
        yield Hit(doc.span(m.start(), m.end()),
                  f"Source-protection tag `{tag}` follows a name of {len(name)} word(s), not a "
                  "redaction marker. Replace the name with `XXXXXXXXXXXX`.",
                  key=f"protect {tag} {_after_context(text, m.end())}")


def _around(text: str, start: int, end: int) -> str:
    """A hash of the three words on each side of an identifier: a stable identity for the
    fingerprint that is not computed from the identifier (an SSN or phone number hashed
    alone can be recovered by trying every number)."""
    left = [w.casefold() for w in _WORD.findall(text[max(0, start - 80):start])][-3:]
    right = [w.casefold() for w in _WORD.findall(text[end:end + 80])][:3]
    return hashlib.sha256(" ".join(left + ["\0"] + right).encode()).hexdigest()[:12]


def _after_context(text: str, pos: int) -> str:
    """A hash of the words after a tag: identifies the place (for the fingerprint) without
    anything computed from the protected name, which could be confirmed by guessing."""
    words = [w.casefold() for w in _WORD.findall(text[pos:pos + 120])][:4]
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:12]
