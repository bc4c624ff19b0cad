"""Rule family redaction markers (MK701-MK705): legal basis, codes, styles, length, marking."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from markings.config import RuleOptions
from markings.findings import Severity
from markings.model import Level
from markings.registry import Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document

REDACTION = ("cables", "foia", "declass", "archival")


@rule("MK701", "redaction-without-basis", "error", profiles=("foia", "declass"))
def redaction_without_basis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A redaction marker shows no legal basis (FOIA exemption or E.O. 13526 code).

    ## What it checks
    Every redaction marker (`[REDACTED]`, `XXXX`, block characters, FRUS notes) carries an
    exemption or authority code inside it or right after it, e.g. `[REDACTED (b)(6)]` or
    `XXXXXXXXXXXX (b)(1) 1.4(c)`. Runs in the profiles whose `requires_basis` setting is
    on (`foia`, `declass`); selected explicitly in another profile it stays silent.

    ## Why
    Since the OPEN Government Act of 2007 a FOIA release must show which exemption was applied
    to each deletion; declassification reviews cite E.O. 13526 codes the same way.

    ## Example
    `The deputy, [REDACTED], approved the transfer.`

    ## Fix
    Write the exemption with the marker: `The deputy, [REDACTED (b)(6)], approved the transfer.`
    """
    from markings.redaction.common import markers_of, profile_of

    prof = profile_of(ctx)
    if prof is not None and not prof.requires_basis:
        return  # e.g. `cables`: the published cables never wrote a legal basis
    for mk in markers_of(doc):
        if mk.codes or mk.style == "frus":
            continue  # FRUS quantity notes are the basis-free convention of declass reviews
        yield Hit(doc.span(mk.start, mk.end),
                  f"Redaction marker `{_token(mk.text)}` has no legal basis. Write the FOIA "
                  "exemption or E.O. 13526 code with it, e.g. `[REDACTED (b)(6)]`.",
                  key=f"no-basis {mk.style}")


def _token(text: str) -> str:
    """A marker as quoted in messages: long runs are shortened, never protected text."""
    return text if len(text) <= 40 else text[:37] + "..."


@rule("MK702", "unknown-exemption-code", "error", profiles=REDACTION)
def unknown_exemption_code(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An exemption or authority code does not exist or is malformed.

    ## What it checks
    FOIA codes `(b)(1)`-`(b)(9)` with `(b)(7)(A)`-`(F)` (short forms `b6`, `b7C` inside
    brackets), E.O. 13526 reasons `1.4(a)`-`(h)`, and automatic-declassification exemptions
    `25X1`-`25X9`, `50X1-HUM`, `50X2-WMD`, `75X1`-`75X9`, wherever they stand with a marker,
    and FOIA and 25X/50X codes anywhere in the text.

    ## Why
    A code that does not exist gives the reader no legal basis and usually hides a typo
    (`(b)(10)` for `(b)(1)`, `25X10` for `25X1`).

    ## Example
    `[REDACTED (b)(10)]`, `(b)(7)(G)`, `25X10`, `[1.4(j)]`

    ## Fix
    Correct the code: `(b)(1)`, `(b)(7)(C)`, `25X1`, `1.4(c)`.
    """
    from markings.redaction.common import markers_of
    from markings.redaction.markers import find_codes

    seen: set[tuple[int, int]] = set()
    codes = [c for mk in markers_of(doc) for c in mk.codes]
    codes += [c for c in find_codes(doc.text) if c.kind in ("foia", "eo-exemption")]
    for code in sorted(codes, key=lambda c: c.start):
        if code.valid or (code.start, code.end) in seen:
            continue
        seen.add((code.start, code.end))
        yield Hit(doc.span(code.start, code.end),
                  f"Unknown exemption code `{code.raw.strip()}`: {code.problem}. "
                  "Correct it to an existing code.", key=f"code {code.canonical}")


@rule("MK703", "mixed-redaction-styles", "warning", profiles=REDACTION)
def mixed_redaction_styles(doc: Document, ctx: Context) -> Iterator[Hit]:
    """One document mixes several redaction marker styles.

    ## What it checks
    The marker families in a document: `[REDACTED ...]`, code-only brackets `[(b)(6)]`,
    `XXXX` runs, block characters and FRUS notes. More than one family is reported once,
    at the first marker of each minority family.

    ## Why
    A release made with one tool and one procedure uses one convention. Mixed styles show
    that parts were redacted by hand, or copied from another release, and deserve a second
    review.

    ## Example
    A file with `[REDACTED]`, `XXXX`, block characters and `[b6]`.

    ## Fix
    Use the profile's canonical form everywhere (e.g. `[(b)(6)]` for `foia`).
    """
    from markings.redaction.common import markers_of, profile_of
    from markings.redaction.markers import marker_family

    markers = markers_of(doc)
    families = Counter(marker_family(mk) for mk in markers)
    if len(families) < 2:
        return
    prof = profile_of(ctx)
    preferred = prof.canonical_family if prof and prof.canonical_family in families else \
        families.most_common(1)[0][0]
    listing = ", ".join(f"{fam} ({n})" for fam, n in sorted(families.items()))
    reported: set[str] = set()
    for mk in markers:
        fam = marker_family(mk)
        if fam == preferred or fam in reported:
            continue
        reported.add(fam)
        yield Hit(doc.span(mk.start, mk.end),
                  f"Mixed redaction marker styles: this `{fam}` marker differs from the "
                  f"document's `{preferred}` markers (styles found: {listing}). Use one "
                  "style throughout.", key=f"mixed {fam}")


class LengthOptions(RuleOptions):
    """Options of MK704 marker-length-leak."""

    fixed_length: int | None = Field(
        None, description="Marker width for the `fixed` policy (default: the profile's, 12).")


@rule("MK704", "marker-length-leak", "error", profiles=REDACTION, options=LengthOptions)
def marker_length_leak(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A redaction marker reveals the length or shape of what it hides.

    ## What it checks
    Profile length policy: `fixed` (`cables`): every `XXXX` marker is exactly 12 characters;
    `coarse` (`foia`, `declass`, `archival`): no marker mirrors the hidden words, i.e. no
    runs of `X` or block characters separated by single spaces. In every profile a
    word-shaped marker is an error, except, under `fixed`, runs that all have the fixed
    width (`XXXXXXXXXXXX XXXXXXXXXXXX`: two standard markers, the words' lengths stay
    hidden).

    ## Why
    The width of each hidden word, with its context, often narrows a name to one candidate
    (the cables used a fixed 12-character marker for that reason).

    ## Example
    `Ambassador XXXXX XXXXXXXX met the minister`

    ## Fix
    Replace the whole name with one fixed marker (`XXXXXXXXXXXX`) or a coarse note
    (`[name not declassified]`).
    """
    from markings.redaction.common import markers_of, profile_of

    prof = profile_of(ctx)
    if prof is None:
        return
    opts = ctx.opts("marker-length-leak")
    width = (opts.fixed_length if opts and opts.fixed_length else None) or prof.fixed_length
    for mk in markers_of(doc):
        if mk.style not in ("x-run", "block"):
            continue
        shape = "+".join(str(e - s) for s, e in mk.parts)
        fixed_runs = prof.length_policy == "fixed" and all(e - s == width for s, e in mk.parts)
        if mk.word_shaped and not fixed_runs:
            yield Hit(doc.span(mk.start, mk.end),
                      f"Redaction marker mirrors the hidden words (runs of {shape} characters). "
                      "Replace it with one fixed-width marker or a coarse note.",
                      key=f"shape {mk.style}")
        elif prof.length_policy == "fixed" and mk.style == "x-run" and mk.run_length != width:
            yield Hit(doc.span(mk.start, mk.end),
                      f"Redaction marker is {mk.run_length} characters long; the `{prof.name}` "
                      f"profile uses a fixed width of {width}, so this length may reveal the "
                      f"hidden text. Use `{'X' * width}`.",
                      key=f"width {mk.run_length}", severity=Severity.WARNING)


_CLASSIFIED_BASES = ("eo-reason", "eo-exemption")


@rule("MK705", "exemption-contradicts-marking", "error", profiles=REDACTION)
def exemption_contradicts_marking(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A classification-based exemption is applied inside an unclassified portion.

    ## What it checks
    Codes that require classified content, FOIA `(b)(1)`, E.O. 13526 `1.4(x)`, `25X`/`50X`
    exemptions, against the marking of the portion that holds them (or the document's
    overall marking when the portion is unmarked).

    ## Why
    `(b)(1)` protects properly classified information only. Used in a portion marked `(U)` it
    contradicts the marking: either the marking or the exemption is wrong.

    ## Example
    `(U) The meeting covered trade. [(b)(1) 1.4(d)]`

    ## Fix
    Correct the portion marking (`(C)`), or cite the exemption that applies (e.g. `(b)(6)`).
    """
    from markings.redaction.common import level_at, markers_of

    for mk in markers_of(doc):
        bad = [c for c in mk.codes if c.valid and (
            c.canonical == "(b)(1)" or c.kind in _CLASSIFIED_BASES)]
        if not bad:
            continue
        level = level_at(doc, mk.start)
        if level > Level.U:
            continue
        codes = ", ".join(dict.fromkeys(c.canonical for c in bad))
        yield Hit(doc.span(mk.start, mk.end),
                  f"Exemption {codes} requires classified content but the portion is marked "
                  f"{level.title}. Correct the portion marking or cite the exemption that "
                  "applies.", key=f"contradicts {codes}")
