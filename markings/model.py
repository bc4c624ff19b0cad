"""Typed model of a classification marking and of a classification authority block.

This module is the contract between the parser (``markings.parse``), the roll-up
(``markings.combine``), the document model (``markings.document``) and the rules. It holds
data only; rendering lives in ``markings.render`` and is exposed here as methods.

Conventions
-----------
* Every control is stored under one canonical identifier: the Register's *banner
  abbreviation* where one exists (``NOFORN``, ``ORCON``, ``ORCON-USGOV``, ``IMCON``,
  ``PROPIN``, ``RELIDO``, ``RSEN``, ``FOUO``, ``DSEN``, ``FISA``, ``RAWFISA``, ``REL TO``,
  ``DISPLAY ONLY``, ``EYES ONLY``; non-IC: ``LIMDIS``, ``EXDIS``, ``NODIS``, ``SBU``,
  ``SBU NOFORN``, ``LES``, ``LES NOFORN``, ``SSI``, ``LIMITED OFFICIAL USE``; AEA: ``RD``,
  ``CNWDI``, ``FRD``, ``SIGMA 14`` ..., ``DOD UCNI``, ``DOE UCNI``, ``TFNI``).
* Tuples keep the order *as written*; canonical rendering sorts. Rules compare the two to
  find ordering problems.
* ``deviations`` records what the parser had to normalise (single slash, lowercase, country
  names, portion form in a banner ...): each names the catalogue slug that reports it.
* Equality and hashing use the *meaning* only (``semantic_key``), never the raw text, the
  span, the style or the deviations: ``parse("(S/NF)") == parse("(S//NF)")``.
"""

from __future__ import annotations

import datetime as _dt
from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from markings.findings import Span


class Level(IntEnum):
    """Classification levels, ranked. RESTRICTED exists only for non-US markings."""

    U = 0
    R = 1
    C = 2
    S = 3
    TS = 4

    @property
    def title(self) -> str:  # type: ignore[override]
        return LEVEL_TITLES[self]


LEVEL_TITLES = {
    Level.U: "UNCLASSIFIED",
    Level.R: "RESTRICTED",
    Level.C: "CONFIDENTIAL",
    Level.S: "SECRET",
    Level.TS: "TOP SECRET",
}

MarkingKind = Literal["banner", "portion", "unknown"]
MarkingStyle = Literal["capco", "cable", "legacy"]


class Deviation(BaseModel):
    """Something the parser accepted but normalised; reported by the rule named ``rule``."""

    model_config = ConfigDict(frozen=True)

    rule: str  # catalogue slug, e.g. "syntax-category-separator"
    detail: str  # quotes marking tokens only, never prose
    canonical: str | None = None  # what it should have been, when known


class SciCompartment(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    subs: tuple[str, ...] = ()


class SciSystem(BaseModel):
    """One SCI control system with its compartments (``SI-G ABCD EFGH`` -> SI / G / ABCD EFGH)."""

    model_config = ConfigDict(frozen=True)

    system: str
    compartments: tuple[SciCompartment, ...] = ()


class Marking(BaseModel):
    """One overall (banner) or portion marking, parsed and normalised."""

    model_config = ConfigDict(frozen=True)

    raw: str = ""
    kind: MarkingKind = "unknown"
    style: MarkingStyle = "capco"
    level: Level = Level.U
    owner: str | None = None  # non-US owner ("NATO", "DEU", "GBR"); None = US or JOINT
    joint: tuple[str, ...] = ()  # JOINT co-owners (includes USA)
    nato_controls: tuple[str, ...] = ()  # ATOMAL, BALK, BOHEMIA
    sci: tuple[SciSystem, ...] = ()
    sap: tuple[str, ...] = ()  # program identifiers, e.g. "ABC", "DEF-XY 1"
    aea: tuple[str, ...] = ()
    fgi: tuple[str, ...] | None = None  # None = no FGI; () = FGI with concealed source
    dissem: tuple[str, ...] = ()  # IC dissemination control ids, as written
    rel_to: tuple[str, ...] = ()  # REL TO codes as written (normally USA first)
    rel_abbrev: bool = False  # bare portion "REL" / "EYES" (list taken from the banner)
    display_only: tuple[str, ...] = ()
    eyes: tuple[str, ...] = ()  # EYES ONLY codes (USA first)
    nonic: tuple[str, ...] = ()  # non-IC dissemination control ids, as written
    declass: str | None = None  # legacy declassification field appended to a banner
    deviations: tuple[Deviation, ...] = ()
    span: Span | None = None

    # --- identity -----------------------------------------------------------------------
    def semantic_key(self) -> tuple[Any, ...]:
        return (
            self.level, self.owner, frozenset(self.joint), frozenset(self.nato_controls),
            frozenset(self.sci), frozenset(self.sap), frozenset(self.aea),
            None if self.fgi is None else frozenset(self.fgi), frozenset(self.dissem),
            frozenset(self.rel_to), self.rel_abbrev, frozenset(self.display_only),
            frozenset(self.eyes), frozenset(self.nonic), self.declass,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Marking):
            return NotImplemented
        return self.semantic_key() == other.semantic_key()

    def __hash__(self) -> int:
        return hash(self.semantic_key())

    # --- convenience ----------------------------------------------------------------------
    @property
    def is_classified(self) -> bool:
        return self.level > Level.U

    @property
    def is_us(self) -> bool:
        return self.owner is None and not self.joint

    def has(self, control: str) -> bool:
        """True if ``control`` (canonical id) is among the dissem or non-IC controls."""
        return control in self.dissem or control in self.nonic

    def banner(self) -> str:
        """Canonical banner form, e.g. ``SECRET//REL TO USA, GBR``."""
        from markings.render import render_banner

        return render_banner(self)

    def portion(self) -> str:
        """Canonical portion form with parentheses, e.g. ``(S//REL TO USA, GBR)``."""
        from markings.render import render_portion

        return render_portion(self)


# --- classification authority block ---------------------------------------------------------

DeclassKind = Literal["date", "event", "exemption", "na", "retired", "unknown"]


class DeclassValue(BaseModel):
    """A ``Declassify On`` / ``DECL:`` value."""

    model_config = ConfigDict(frozen=True)

    raw: str
    kind: DeclassKind
    date: _dt.date | None = None  # the date, or the date paired with an exemption
    date_format: str | None = None  # "YYYYMMDD", "MM/DD/YYYY", "MM/DD/YY", "YYYY/MM/DD" ...
    ambiguous: bool = False  # two-digit year or unpadded fields were normalised
    exemptions: tuple[str, ...] = ()  # "25X1", "50X1-HUM", "X1" ...
    retired: str | None = None  # "OADR", "MR", "DCI Only" ... when kind == "retired"
    has_event: bool = False  # an event text is present (never quoted in messages)
    valid_date: bool = True  # False for 02/30/2015 and the like
    span: Span | None = None


class Reason(BaseModel):
    """``Reason(s): 1.4 (b) and (d)`` -> section "1.4", letters ("b", "d")."""

    model_config = ConfigDict(frozen=True)

    raw: str
    section: str  # "1.4", "1.5" (anything else is kept as written)
    letters: tuple[str, ...] = ()
    span: Span | None = None


class AuthorityBlock(BaseModel):
    """The classification authority lines of a document (CAB, or a cable's E.O./Classified By)."""

    model_config = ConfigDict(frozen=True)

    eo: str | None = None  # executive order number cited, e.g. "12958"
    eo_na: bool = False  # "E.O. 12958: N/A"
    decl: DeclassValue | None = None  # from the cable E.O. line
    eo_span: Span | None = None
    classified_by: bool = False  # a Classified By line is present (its text is not stored)
    classified_by_span: Span | None = None
    reasons: tuple[Reason, ...] = ()
    derived_from: str | None = None  # "Multiple Sources" or the source as written
    derived_from_span: Span | None = None
    declassify_on: DeclassValue | None = None
    declassify_on_span: Span | None = None
    sources_list: bool = False  # a "Sources:" list follows Multiple Sources
    compilation: bool = False  # a compilation statement was found

    @property
    def declass(self) -> DeclassValue | None:
        """The effective declassification instruction (CAB line first, then E.O. line)."""
        return self.declassify_on or self.decl


# Openings of two MarkingSyntaxError messages that the scanner and the rules tell apart
# (a mark whose brackets are wrong; a token outside the vocabulary).
ERR_DELIMITERS = "A portion mark must be one pair of parentheses"
ERR_UNKNOWN_TOKEN = "Unknown marking token"


class MarkingSyntaxError(ValueError):
    """A marking that cannot be read. Carries position, what was expected and a suggestion."""

    def __init__(self, message: str, *, text: str, position: int = 0,
                 expected: tuple[str, ...] = (), suggestion: str | None = None,
                 token: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position  # 0-based offset into ``text``
        self.expected = expected
        self.suggestion = suggestion
        self.token = token

    def __reduce__(self) -> tuple[Any, ...]:  # picklable for multiprocessing / dask
        return (_rebuild_error, (self.message, self.text, self.position, self.expected,
                                 self.suggestion, self.token))


def _rebuild_error(message: str, text: str, position: int, expected: tuple[str, ...],
                   suggestion: str | None, token: str | None) -> MarkingSyntaxError:
    return MarkingSyntaxError(message, text=text, position=position, expected=expected,
                              suggestion=suggestion, token=token)

