"""Catalogue group F: DoD / ISOO document extras (distribution statements, legacy FGI marks).

Codes ``MK601``-``MK604`` (F01 -> MK601 ...). Distribution statements (DoDI 5230.24) are
found in the text with regular expressions: ``DISTRIBUTION STATEMENT A`` ... ``F``, each
followed by its sentence(s) up to the next blank line. The legacy FGI portion forms
``(NATO-S)`` / ``(UK-C)`` are recognised by the parser, which records a deviation named
``dod-legacy-fgi-portion``; MK604 reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markings.document import Document
from markings.findings import Severity, Span
from markings.model import Level, Marking
from markings.registry import Context, Hit, rule

DOD = ("capco", "isoo")
ALL = ("capco", "state-cable", "isoo")

_STATEMENT_RE = re.compile(r"\bDISTRIBUTION\s+STATEMENT\s+([A-F])\b\s*[.:\-]?", re.IGNORECASE)
_END_RE = re.compile(r"\n[ \t]*\n|\bDISTRIBUTION\s+STATEMENT\s+[A-F]\b", re.IGNORECASE)
_REASON_RE = re.compile(
    r"proprietary\s+information|critical\s+technology|test\s+and\s+evaluation|contractor\s+"
    r"performance|premature\s+dissemination|administrative\s+or\s+operational\s+use|software\s+"
    r"documentation|specific\s+authority|foreign\s+government\s+information|export\s+control"
    r"|direct\s+military\s+support|operations\s+security|vulnerability\s+information"
    r"|cite\s+[\"']?specific", re.IGNORECASE)
_DATE_RE = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{6}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b", re.IGNORECASE)
_OFFICE_RE = re.compile(r"referred\s+to|directed\s+by|controlling\s+(?:dod\s+)?office", re.IGNORECASE)
_PUBLIC_RE = re.compile(r"approved\s+for\s+public\s+release|distribution\s+(?:is\s+)?unlimited",
                        re.IGNORECASE)

# controls that forbid Distribution Statement A even on unclassified documents (F01)
_NOT_PUBLIC_DISSEM = ("FOUO", "PROPIN", "DSEN", "FISA", "RAWFISA")
_NOT_PUBLIC_AEA = ("DOD UCNI", "DOE UCNI")


@dataclass(frozen=True)
class _Statement:
    letter: str
    start: int
    end: int  # end of the statement text (next blank line or next statement)
    head_end: int  # end of "DISTRIBUTION STATEMENT X"

    def text(self, doc: Document) -> str:
        return doc.text[self.start:self.end]


def _statements(doc: Document) -> list[_Statement]:
    text = doc.text
    out: list[_Statement] = []
    if not text:
        return out
    for m in _STATEMENT_RE.finditer(text):
        e = _END_RE.search(text, m.end())
        end = e.start() if e else min(len(text), m.end() + 800)
        out.append(_Statement(m.group(1).upper(), m.start(), min(end, m.end() + 800), m.end()))
    return out


def _markings(doc: Document) -> list[Marking]:
    return ([b.marking for b in doc.banners if b.marking is not None]
            + list(doc.portion_marks_memo()))


def _head_span(doc: Document, st: _Statement) -> Span:
    return doc.span(st.start, st.head_end)


@rule("MK601", "dod-dist-a-on-classified", Severity.ERROR, catalogue="F01", profiles=DOD)
def dod_dist_a_on_classified(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Distribution Statement A (public release) on a classified or controlled document.

    ## What it checks
    "DISTRIBUTION STATEMENT A" (approved for public release, distribution unlimited) must
    not appear on a classified document, nor on one whose markings carry FOUO, PROPIN, DSEN,
    FISA, DoD/DOE UCNI or a non-IC control (SBU, LES ...).

    ## Why
    A document that is classified or controlled cannot be approved for public release;
    ISM-ID-00159, -00161, -00239, -00240 (DoDI 5230.24 notices).

    ## Example
    Banner `SECRET`; "DISTRIBUTION STATEMENT A. Approved for public release; distribution
    is unlimited."

    ## Fix
    Use the statement that applies (B-F), e.g. "DISTRIBUTION STATEMENT C. Distribution
    authorized to U.S. Government agencies and their contractors ...".
    """
    marks = _markings(doc)
    if not marks:
        return
    top = max(marks, key=lambda m: m.level)
    reason = ""
    if top.level > Level.U:
        reason = f"is classified (`{top.raw or top.level.title}`)"
    else:
        for m in marks:
            bad = [d for d in m.dissem if d in _NOT_PUBLIC_DISSEM]
            bad += [a for a in m.aea if a in _NOT_PUBLIC_AEA]
            bad += list(m.nonic)
            if bad:
                reason = f"carries `{bad[0]}`"
                break
    if not reason:
        return
    for st in _statements(doc):
        if st.letter == "A":
            yield Hit(_head_span(doc, st), f"Distribution Statement A (public release) on a "
                                           f"document that {reason}. Use the Distribution "
                                           "Statement (B-F) that applies.", key="A")


@rule("MK602", "dod-dist-b-to-f-reason-date", Severity.WARNING, catalogue="F02", profiles=DOD)
def dod_dist_b_to_f_reason_date(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A Distribution Statement B-F lacks its reason, determination date or controlling office.

    ## What it checks
    Statements B, C, D and E must name a reason (e.g. "Proprietary Information", "Critical
    Technology"), a determination date, and the controlling office to which other requests
    are referred. Statement F ("Further dissemination only as directed by ...") needs the
    controlling office and the date, no reason.

    ## Why
    DoDI 5230.24 statement templates; ISM-ID-00157, -00237, -00238.

    ## Example
    "DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government agencies only."

    ## Fix
    "DISTRIBUTION STATEMENT B. Distribution authorized to U.S. Government agencies only;
    Proprietary Information; 15 March 2012. Other requests for this document shall be
    referred to [controlling office]."
    """
    for st in _statements(doc):
        if st.letter == "A":
            continue
        body = doc.text[st.head_end:st.end]
        missing = []
        if st.letter != "F" and not _REASON_RE.search(body):
            missing.append("a reason")
        if not _DATE_RE.search(body):
            missing.append("a determination date")
        if not _OFFICE_RE.search(body):
            missing.append("the controlling office")
        if missing:
            yield Hit(_head_span(doc, st), f"Distribution Statement {st.letter} lacks "
                                           f"{', '.join(missing)}. Complete the statement as "
                                           "DoDI 5230.24 prescribes.",
                      key=f"{st.letter} {' '.join(missing)}")


@rule("MK603", "dod-single-dist-statement", Severity.WARNING, catalogue="F03", profiles=DOD)
def dod_single_dist_statement(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A document carries more than one distribution statement.

    ## What it checks
    The distinct statement letters found in the text; more than one (e.g. A and D) is
    reported. The same statement repeated on several pages is fine. (Statement A on a
    classified document is MK601.)

    ## Why
    One distribution statement governs the whole document; ISM-ID-00155, -00158, -00162.

    ## Example
    Both "DISTRIBUTION STATEMENT A" and "DISTRIBUTION STATEMENT D" on the cover of a
    `SECRET` report.

    ## Fix
    Keep the single statement that applies (for a classified document one of B-F).
    """
    sts = _statements(doc)
    letters = sorted({s.letter for s in sts})
    if len(letters) < 2:
        return
    second = next(s for s in sts if s.letter != sts[0].letter)
    yield Hit(_head_span(doc, second), f"The document carries Distribution Statements "
                                       f"{', '.join(letters)}; only one may apply. Keep the "
                                       "one that governs the whole document.",
              key=" ".join(letters), related=(_head_span(doc, sts[0]),))


@rule("MK604", "dod-legacy-fgi-portion", Severity.INFO, catalogue="F04", profiles=ALL,
      needs=("dev:dod-legacy-fgi-portion",))
def dod_legacy_fgi_portion(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A legacy FGI portion mark puts the owner before the level, e.g. `(NATO-S)`, `(UK-C)`.

    ## What it checks
    Portion marks in the older DoD/Navy form, owner abbreviation, hyphen, level. They are
    read as the current form (`(//NS)`, `(//GBR C)`) and reported. `UK` is not a registered
    trigraph (`GBR` is).

    ## Why
    CAPCO FGI and NATO templates (sections H.7, H.2) write the owner after `//`.

    ## Example
    `(UK-C) The liaison officer stated ...`.

    ## Fix
    `(//GBR C) The liaison officer stated ...`.
    """
    refs = list(doc.banners) + [p.mark for p in doc.portions if p.mark is not None]
    for r in refs:
        m = r.marking
        if m is None:
            continue
        for dev in m.deviations:
            if dev.rule != "dod-legacy-fgi-portion":
                continue
            want = dev.canonical
            if want is None:
                try:
                    want = m.portion()
                except Exception:  # noqa: BLE001  (rendering is best effort here)
                    want = None
            fix = f" Write `{want}`." if want else " Write the owner after `//`."
            yield Hit(r.span, f"`{r.text}` is a legacy FGI portion mark (owner before the "
                              f"level).{fix}", key=r.text)
