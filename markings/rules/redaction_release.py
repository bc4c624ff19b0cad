"""Rule family release state (MK710-MK712): live classified text and release lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from markings.findings import Severity
from markings.model import Level
from markings.registry import Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document

REDACTION = ("cables", "foia", "declass", "archival")
_CANCELLED = re.compile(r"~~[^~\n]+~~|(?:\b[A-Z]-){3,}")


@rule("MK710", "live-classified-portion", "error", profiles=REDACTION)
def live_classified_portion(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A document marked or configured for release still holds a live classified portion.

    ## What it checks
    In a release copy (a banner or stamp such as `FOR PUBLIC RELEASE`, `RELEASE IN PART`,
    `DECLASSIFIED`, the `foia`/`declass` profiles, or `settings.release = true`) every portion
    marked above UNCLASSIFIED is either fully withheld (only markers and codes remain) or the
    document carries a complete declassification line.

    ## Why
    A classified portion that is neither withheld nor declassified is an unauthorised
    disclosure the moment the copy is published.

    ## Example
    Banner `UNCLASSIFIED//FOR PUBLIC RELEASE` with a portion `(S//NF) The liaison contact is ...`

    ## Fix
    Withhold the portion (`(S//NF) [(b)(1) (b)(3)]`) or add the declassification line that
    authorises its release.
    """
    from markings.redaction.common import (
        fully_withheld,
        is_declassified,
        is_release_copy,
        portion_level,
    )

    if not is_release_copy(doc, ctx) or is_declassified(doc):
        return
    for p in doc.portions:
        level = portion_level(p)
        if level is None or level <= Level.U or fully_withheld(doc, p):
            continue
        mark = p.mark.text if p.mark else ""
        end = p.mark.span.end if p.mark else p.span.end
        yield Hit(doc.span(p.span.start, end),
                  f"Portion marked `{mark}` ({level.title}) is live in a copy marked for "
                  "release, and the document has no complete declassification line. Withhold "
                  "the portion or add the declassification line.",
                  key=f"live {mark} {p.number or ''}")


@rule("MK711", "live-restrictive-caveat", "error", profiles=("foia", "declass"))
def live_restrictive_caveat(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A release copy keeps its classified overall marking live (not cancelled).

    ## What it checks
    In a release copy, a banner with a classification above UNCLASSIFIED or a dissemination
    control (`NOFORN`, `ORCON` ...) is lined through (`~~SECRET//NOFORN~~`) and the document
    carries a declassification line. Runs in the profiles whose `caveats_cancelled` setting
    is on (`foia`, `declass`). Not in `archival`: accessioned records are not re-marked
    (ISOO); not in `cables`: the published cables are not a government release.

    ## Why
    A live `SECRET//NOFORN` banner on a public copy either means the copy is not releasable or
    that the reviewer forgot to cancel the markings; both must be resolved before release.

    ## Example
    Banner `SECRET//NOFORN`, no line-through, no declassification line, in a `foia` release.

    ## Fix
    Line through the old markings and add `DECLASSIFIED IN PART Authority: ... By: ... Date: ...`.
    """
    from markings.redaction.common import is_declassified, is_release_copy, profile_of

    prof = profile_of(ctx)
    if (prof is not None and not prof.caveats_cancelled) or not is_release_copy(doc, ctx):
        return
    declassified = is_declassified(doc)
    for b in doc.banners:
        m = b.marking
        if m is None or (m.level <= Level.U and not m.dissem and not m.nonic):
            continue
        line_start = doc.text.rfind("\n", 0, b.span.start) + 1
        line_end = doc.text.find("\n", b.span.end)
        line = doc.text[line_start:line_end if line_end != -1 else len(doc.text)]
        if _CANCELLED.search(line) and declassified:
            continue
        why = "is not lined through" if not _CANCELLED.search(line) else "is lined through"
        why += "" if declassified else " and the document has no complete declassification line"
        yield Hit(b.span,
                  f"Overall marking `{b.text}` {why} in a copy marked for release. Line it "
                  "through and add a complete declassification line.",
                  key=f"caveat {b.text}")


@rule("MK712", "incomplete-release-line", "error", profiles=("foia", "declass"))
def incomplete_release_line(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declassification or release line lacks its authority, reviewer or date.

    ## What it checks
    Lines such as `DECLASSIFIED IN PART`, `RELEASE IN PART B6`, `Approved for Release` name
    an authority (`Authority: E.O. 13526, sec. 3.5`, `NND 123456`, CREST `CIA-RDP...`), a
    reviewer (`By: ...`) and a date. A release copy with classified markings and no such line
    is reported too. Error in `declass`, warning in `foia`.

    ## Why
    32 CFR 2001.25 requires a declassified document to show who declassified it, on what
    authority and when; without it the release cannot be verified.

    ## Example
    `DECLASSIFIED` alone at the top of the page.

    ## Fix
    `DECLASSIFIED IN PART Authority: E.O. 13526, section 3.5 By: J. Doe, Chief, Review Div.
    Date: 2024-05-01`
    """
    from markings.redaction.common import (
        document_level,
        is_release_copy,
        portion_level,
        profile_of,
        release_lines,
    )

    prof = profile_of(ctx)
    if prof is not None and prof.release_line is None:
        return  # `cables`, `archival`: no release line is expected
    sev = prof.release_line if prof and prof.release_line else Severity.WARNING
    lines = release_lines(doc.text)
    for start, end, missing in lines:
        if missing:
            parts = ", ".join(sorted(missing))
            yield Hit(doc.span(start, end),
                      f"Release/declassification line is incomplete: no {parts}. Add the "
                      "authority, the reviewer and the date.",
                      key=f"release-line {parts}", severity=sev)
    if lines or not is_release_copy(doc, ctx):
        return
    classified = document_level(doc) > Level.U or any(
        (portion_level(p) or Level.U) > Level.U for p in doc.portions)
    if classified:
        at = doc.banners[0].span if doc.banners else doc.span(0, 0)
        yield Hit(at, "Release copy with classification markings has no declassification or "
                      "release line. Add `DECLASSIFIED IN PART Authority: ... By: ... Date: ...`.",
                  key="release-line missing", severity=sev)
