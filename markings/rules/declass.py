"""Catalogue group D: declassification instructions and the classification authority block.

Codes ``MK401``-``MK418`` (D01 -> MK401 ...). The rules read the effective *Declassify On*
value of a document (``Declassify On:`` in a memo's authority block, or ``DECL:`` on a State
cable's ``E.O. nnnnn:`` line), the ``Reason`` citations, the cited executive order and, for
the date checks, the document date (``Document.date``). Which order governed a document, and
what it allowed, comes from the data tables in :mod:`markings.eras`; see
``docs/declassification.md``.

Date precision: a date taken from the cable id (``date_source == "cable-id"``) only knows
the year, so it is treated as the range 1 January .. 31 December. Date comparisons also
allow :data:`SLACK` days, because a cable's date-time group may be a few days later than
the day the classifier computed the declassification date.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterator
from itertools import pairwise

from markings.document import AEA, DECLASS, OWNER, Document
from markings.eras import (
    E013526_START,
    ExemptionFamily,
    add_years,
    exemption_family,
    order_for_date,
    orders_for_number,
    retired_value,
)
from markings.findings import Severity, Span
from markings.model import DeclassValue, Marking
from markings.registry import Context, Hit, rule

SLACK = _dt.timedelta(days=31)

_DATE_TOKEN_RE = re.compile(
    r"(?<![\d/-])(?:\d{8}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2}|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}-\d{1,2}-\d{2,4})"
    r"(?![\d/-])")
_CODE_TOKEN_RE = re.compile(r"\b(?:1\.6)?(?:\d{2})?X\d(?:-(?:HUM(?:AN)?|WMD))?\b", re.IGNORECASE)
_TEXT_DATE_RE = re.compile(
    r"\b(?:\d{1,2}\s+(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?,?\s+\d{4}"
    r"|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s+\d{1,2},?\s+\d{4})\b",
    re.IGNORECASE)
_SOURCE_DATE_RE = re.compile(r"(?:date\s+of|dated)\s+(?:the\s+)?source|source\s+dated?", re.IGNORECASE)
_CUT_RE = re.compile(r"\b(?:TAGS|SUBJECT|REF|CLASSIFIED\s+BY)\b", re.IGNORECASE)
_NA_LABELS_RE = re.compile(r"N/?A\s+to\s+(.+?)\s+portions?", re.IGNORECASE)
_MULTI_JOIN_RE = re.compile(r"\bor\b|;", re.IGNORECASE)
_EO12951_RE = re.compile(r"\bE\.?O\.?\s*12951\b", re.IGNORECASE)
_MULTIPLE_SOURCES_RE = re.compile(r"multiple\s+sources", re.IGNORECASE)

ALL = ("capco", "state-cable", "isoo")


# --- helpers -------------------------------------------------------------------------------

def _values(doc: Document) -> Iterator[tuple[DeclassValue, Span]]:
    """Each declassification value of the authority block with the best span for it
    (most rules of this module ask: computed once per document)."""
    return iter(doc.memo("declass.values", _values_of))


def _values_of(doc: Document) -> tuple[tuple[DeclassValue, Span], ...]:
    a = doc.authority
    if a is None:
        return ()
    out: list[tuple[DeclassValue, Span]] = []
    for v, sp in ((a.declassify_on, a.declassify_on_span), (a.decl, a.eo_span)):
        if v is None or any(v is s for s, _ in out):
            continue
        out.append((v, v.span or sp or _fallback_span(doc)))
    return tuple(out)


def _is_cable(doc: Document) -> bool:
    return doc.style == "cable" or bool(doc.cable_id)


def _fallback_span(doc: Document) -> Span:
    if doc.banners:
        return doc.banners[0].span
    return Span()


def _origin(doc: Document) -> tuple[_dt.date, _dt.date] | None:
    """Earliest and latest possible date of origin, or None when the date is unknown."""
    d = doc.date
    if d is None:
        return None
    if doc.date_source == "cable-id":
        return _dt.date(d.year, 1, 1), _dt.date(d.year, 12, 31)
    return d, d


def _origin_text(doc: Document) -> str:
    d = doc.date
    if d is None:
        return "unknown"
    if doc.date_source == "cable-id":
        return f"{d.year} (year of the cable id)"
    return d.isoformat()


def _clean_raw(v: DeclassValue) -> str:
    """The value text cut before header words that lost line breaks glued onto it."""
    return _clean_text(v.raw)


def _clean_text(raw: str) -> str:
    m = _CUT_RE.search(raw)
    return raw[: m.start()] if m else raw


def _date_token(v: DeclassValue) -> str | None:
    """The first date written in the value (numeric, or with a month name)."""
    return _date_token_of(v.raw)


@functools.lru_cache(maxsize=4096)
def _date_token_of(raw: str) -> str | None:
    raw = _clean_text(raw)
    m = _DATE_TOKEN_RE.search(raw) or _TEXT_DATE_RE.search(raw)
    return m.group(0) if m else None


def _vdate(v: DeclassValue) -> _dt.date | None:
    """The value's date: the parsed one, else a numeric date written inside an event."""
    if v.date is not None:
        return v.date if v.valid_date else None
    raw = _clean_raw(v)
    if retired_value(raw) is not None or _SOURCE_DATE_RE.search(raw):
        return None  # "Source marked OADR, date of source 19910301": not a declass date
    m = _DATE_TOKEN_RE.search(raw)
    return _token_to_date(m.group(0)) if m else None


def _token_to_date(tok: str) -> _dt.date | None:
    try:
        if re.fullmatch(r"\d{8}", tok):
            return _dt.date(int(tok[:4]), int(tok[4:6]), int(tok[6:]))
        parts = [int(x) for x in re.split(r"[/-]", tok)]
        if tok[:4].isdigit() and len(tok.split("/")[0].split("-")[0]) == 4:
            return _dt.date(parts[0], parts[1], parts[2])
        y = parts[2] if parts[2] >= 100 else (2000 + parts[2] if parts[2] < 70 else 1900 + parts[2])
        return _dt.date(y, parts[0], parts[1])
    except (ValueError, IndexError):
        return None


def _shown(v: DeclassValue) -> str:
    """What may be quoted of a value: its date token and exemption codes (never event text)."""
    parts = list(_codes(v))
    tok = _date_token(v)
    if tok:
        parts.append(tok)
    elif v.date is not None:
        parts.append(v.date.strftime("%Y%m%d"))
    if not parts and v.kind == "retired" and v.retired:
        parts.append(v.retired)
    if not parts and v.kind == "na":
        parts.append("N/A")
    return ", ".join(parts) if parts else "(event)" if v.has_event else "(value)"


def _codes(v: DeclassValue) -> tuple[str, ...]:
    """Exemption codes of the value, upper case, in the order written."""
    return _codes_of(v.exemptions, v.retired, v.raw)


# several rules ask for the same value's codes and date token: both are functions of the
# value's text fields only, cached by those strings
@functools.lru_cache(maxsize=4096)
def _codes_of(exemptions: tuple[str, ...], retired: str | None, raw: str) -> tuple[str, ...]:
    codes = [c.strip().upper().replace(" ", "") for c in exemptions if c.strip()]
    if retired and exemption_family(retired) is not None:
        codes.append(retired.strip().upper())
    if not codes:
        for m in _CODE_TOKEN_RE.finditer(_clean_text(raw)):
            codes.append(m.group(0).upper())
    out: list[str] = []
    for c in codes:
        c = c.removeprefix("1.6")
        if c.startswith(("EO", "E.O")):
            continue  # "25X1, EO 12951": the order number is not a code
        if c not in out:
            out.append(c)
    return tuple(out)


def _has_date_or_event(v: DeclassValue) -> bool:
    return v.date is not None or v.has_event or _date_token(v) is not None


def _is_na(v: DeclassValue) -> bool:
    return v.kind == "na" or bool(_NA_LABELS_RE.search(v.raw))


def _na_labels(v: DeclassValue) -> set[str]:
    m = _NA_LABELS_RE.search(v.raw)
    if not m:
        return set()
    words = re.split(r"[/,]|\band\b|\s+", m.group(1).upper())
    return {w for w in (x.strip() for x in words) if w in {"RD", "FRD", "TFNI", "NATO"}}


def _all_markings(doc: Document) -> list[Marking]:
    out = [b.marking for b in doc.banners if b.marking is not None]
    out.extend(doc.portion_marks_memo())
    return out


def _t_star(sev: Severity, doc: Document) -> Severity:
    """``T*`` checks: downgrade to INFO when the document date is unknown."""
    return Severity.INFO if doc.date is None else sev


# --- D01 --------------------------------------------------------------------------------------

@rule("MK401", "declass-format", Severity.ERROR, catalogue="D01", profiles=ALL,
      needs=("declass-value",))
def declass_format(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The Declassify-On value is not a valid date, event, exemption or N/A statement.

    ## What it checks
    The *Declassify On* value of a memo's authority block, or the `DECL:` value on a State
    cable's `E.O.` line, must be one of: a calendar-valid date, an event, a known exemption
    code, or an N/A-to-AEA/NATO statement. Intelligence-community and ISOO documents write
    dates as `YYYYMMDD`; State cables use `MM/DD/YYYY` or `YYYY/MM/DD`.

    ## Why
    CAPCO section E.1 prescribes the `YYYYMMDD` form; a date that does not exist (or a value
    nobody can read) leaves the document without a usable declassification instruction.

    ## Example
    `Declassify On: 2035-13-01`, `Declassify On: 31 Dec 2035` in a memo,
    `E.O. 12958: DECL: 02/30/2015`.

    ## Fix
    Write a real date in the expected form, e.g. `Declassify On: 20351231` or
    `E.O. 12958: DECL: 09/14/2015`.
    """
    for v, sp in _values(doc):
        tok = _date_token(v)
        if v.kind == "unknown":
            shown = f"Declassify-On value `{tok}`" if tok else "The Declassify-On value"
            yield Hit(sp, f"{shown} is not a date in a recognised form, an event, an "
                          "exemption or an N/A statement. Write a date (`YYYYMMDD`; cables "
                          "`MM/DD/YYYY`), an event, or an exemption code.",
                      key=f"unknown {tok or ''}")
            continue
        if (v.date is not None or tok) and not v.valid_date:
            yield Hit(sp, f"Declassify-On date `{tok or _shown(v)}` is not a calendar date. "
                          "Correct the day or month.", key=f"invalid {tok}")
            continue
        for code in _codes(v):
            if exemption_family(code) is None:
                yield Hit(sp, f"Declassify-On value carries `{code}`, which is not an "
                              "exemption code of any order (expected `25X1`-`25X9`, "
                              "`50X1-HUM`, `50X2-WMD`, `50X1`-`50X9`, `75X1`-`75X9`, or "
                              "`X1`-`X8` before 2003). Use a valid code.",
                          key=f"code {code}")
        tm = _TEXT_DATE_RE.search(_clean_raw(v)) if v.date is None else None
        if tm is not None:
            want = "YYYYMMDD" if not _is_cable(doc) else "MM/DD/YYYY"
            yield Hit(sp, f"Declassify-On date `{tm.group(0)}` is written with a month name; "
                          f"the value must be a numeric date. Write it as {want}.",
                      key=f"text date {tm.group(0)}",
                      severity=None if not _is_cable(doc) else Severity.WARNING)
        if not _is_cable(doc) and v.date is not None and v.date_format not in (
                None, "YYYYMMDD"):
            yield Hit(sp, f"Declassify-On date `{tok or v.date.isoformat()}` is written as "
                          f"{v.date_format}; IC and ISOO documents use YYYYMMDD. Write "
                          f"`{v.date.strftime('%Y%m%d')}`.",
                      key=f"format {v.date_format}")


# --- D02 / D03 / D04 / D05 --------------------------------------------------------------------

@rule("MK402", "declass-over-25-years", Severity.ERROR, catalogue="D02", profiles=ALL,
      needs=("declass-value", "date"))
def declass_over_25_years(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The declassification date lies more than 25 years after the date of origin.

    ## What it checks
    For documents dated under E.O. 12958 as amended (from 2003-03-25) or E.O. 13526, a
    declassification date more than 25 years after the document date is invalid unless the
    value carries an exemption (25X/50X/75X with a date, `50X1-HUM`, `50X2-WMD`) or the
    AEA/NATO N/A statement. The document date comes from the date-time group, the memo date
    or the cable id (year only); without a date the check is skipped.

    ## Why
    E.O. 13526 section 1.5 and 32 CFR 2001.12 limit the classification period to 25 years.

    ## Example
    A cable dated 2008-06-18 with `E.O. 12958: DECL: 06/18/2038`.

    ## Fix
    Pick a date no later than 25 years after origin (`DECL: 06/18/2018`), or cite the
    exemption that justifies the longer period.
    """
    origin = _origin(doc)
    if origin is None:
        return
    earliest, latest = origin
    order = order_for_date(earliest)
    if order is None or order.max_years != 25:
        return
    for v, sp in _values(doc):
        d = _vdate(v)
        if d is None or _codes(v) or _is_na(v):
            continue
        limit = add_years(latest, 25)
        if d > limit + SLACK:
            yield Hit(sp, f"Declassification date `{_date_token(v) or d.isoformat()}` is "
                          f"{d.year - latest.year} years after the document date "
                          f"({_origin_text(doc)}); {order.title} allows at most 25 years "
                          f"without an exemption. Use a date no later than "
                          f"{limit.isoformat()}, or cite the exemption.",
                      key=f"{d.isoformat()}")


@rule("MK403", "declass-over-10-years-eo12958-original", Severity.WARNING, catalogue="D03",
      profiles=ALL,
      needs=("declass-value", "date"))
def declass_over_10_years(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Under the original E.O. 12958, a date more than 10 years out needs an X1-X8 exemption.

    ## What it checks
    Documents dated 1995-10-14 .. 2003-03-24 (the original E.O. 12958) whose declassification
    date lies more than 10 years after the document date and which carry no `X1`-`X8` code.

    ## Why
    E.O. 12958 (1995) section 1.6(b) and (d): the default period was 10 years; longer periods
    required one of the exemptions X1-X8.

    ## Example
    A 1999 cable with `DECL: 12/31/2019` and no exemption. (Years are compared: a 1999
    document may carry any date up to the end of 2009.)

    ## Fix
    Use a date within 10 years (`DECL: 12/31/2009`) or add the applicable X1-X8 exemption.
    """
    origin = _origin(doc)
    if origin is None:
        return
    earliest, latest = origin
    order = order_for_date(earliest)
    if order is None or order.key != "12958" or order_for_date(latest) != order:
        return
    for v, sp in _values(doc):
        d = _vdate(v)
        if d is None or _codes(v) or _is_na(v):
            continue
        limit = _dt.date(latest.year + 10, 12, 31)  # year precision, as the catalogue does
        if d > limit:
            yield Hit(sp, f"Declassification date `{_date_token(v) or d.isoformat()}` is "
                          f"more than 10 years after the document date ({_origin_text(doc)}) "
                          "under the original E.O. 12958, with no X1-X8 exemption. Use a "
                          f"date no later than {limit.isoformat()} or cite the exemption.",
                      key=f"{d.isoformat()}")


@rule("MK404", "declass-before-origin", Severity.ERROR, catalogue="D04", profiles=ALL,
      needs=("declass-value", "date"))
def declass_before_origin(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The declassification date is not later than the date of origin.

    ## What it checks
    The declassification date must lie after the document date. When only the year of the
    document is known (cable id), the check fires only for dates before that year.

    ## Why
    The classification period runs from the classification decision (E.O. 13526 section
    1.5); a date on or before that day is a typo, usually in the year.

    ## Example
    A memo dated 2009-05-01 with `Declassify On: 20090401`.

    ## Fix
    Correct the date, e.g. `Declassify On: 20190501`.
    """
    origin = _origin(doc)
    if origin is None:
        return
    earliest, latest = origin
    precise = earliest == latest
    for v, sp in _values(doc):
        d = _vdate(v)
        if d is None:
            continue
        bad = d <= latest if precise else d < earliest
        if bad:
            yield Hit(sp, f"Declassification date `{_date_token(v) or d.isoformat()}` is "
                          f"not later than the document date ({_origin_text(doc)}). Correct "
                          "the date (often the year is wrong).",
                      key=f"{d.isoformat()}")


@rule("MK405", "declass-date-passed", Severity.INFO, catalogue="D05", profiles=ALL,
      needs=("declass-value",))
def declass_date_passed(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The scheduled declassification date has passed (information only).

    ## What it checks
    A declassification date earlier than the evaluation date (`today` in the configuration,
    default the system date).

    ## Why
    The date passing does not declassify anything: declassification needs an authorized
    review and re-marking (E.O. 13526 section 3.1; CAPCO section E.6). The finding only
    tells reviewers that the document is due for that review.

    ## Example
    A 2005 cable with `DECL: 09/14/2015`, checked in 2025.

    ## Fix
    Nothing to change in the document; refer it for declassification review if needed.
    Never treat the document as declassified because of this finding.
    """
    for v, sp in _values(doc):
        d = _vdate(v)
        if d is not None and d < ctx.today:
            yield Hit(sp, f"Scheduled declassification date `{_date_token(v) or d.isoformat()}` "
                          f"has passed (evaluated on {ctx.today.isoformat()}). The document "
                          "stays classified until an authorized review re-marks it.",
                      key=f"{d.isoformat()}")


# --- D06 ------------------------------------------------------------------------------------

@rule("MK406", "declass-reason-letters", Severity.ERROR, catalogue="D06", profiles=ALL,
      needs=("authority",))
def declass_reason_letters(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A Reason cites an unknown section or category letter, or the section of another era.

    ## What it checks
    Reasons cite section `1.4` with letters a-h (E.O. 12958 as amended, E.O. 13526) or
    section `1.5` with letters a-g (original E.O. 12958). Other sections or letters are
    errors. Citing `1.5` after the 2003 amendment, or `1.4` before it, is a warning (INFO for
    State cables up to 2005, whose handbook still showed `1.5`). Letters without any section
    (`for reasons (b) and (d)`) are a warning. A stray blank or line break around the full
    stop (`1 .4`, `1.` / `4`) is read as the section. Documents dated before 1995-10-14 are
    not checked (their orders used other section numbers).

    ## Why
    32 CFR 2001.21(a)(3); ISOO's 2003 marking changes (cite 1.4, categories a-h).

    ## Example
    `Reasons 1.4 (b) and (i)`, `Reason: 1.4(j)`, `per 1.5 (h)`.

    ## Fix
    Cite the section of the order in force and only its letters: `Reasons 1.4 (b) and (d).`
    """
    a = doc.authority
    if a is None or not a.reasons:
        return
    order = order_for_date(doc.date)
    if order is not None and order.reason_section is None:
        return  # pre-1995 orders: not mined
    for r in a.reasons:
        sp = r.span or a.classified_by_span or _fallback_span(doc)
        section = r.section.strip().replace(",", ".")
        letters = tuple(x.strip().lower() for x in r.letters if x.strip())
        valid = {"1.4": "abcdefgh", "1.5": "abcdefg"}.get(section)
        if not section and not letters:
            continue  # nothing readable to judge (never quote an empty section)
        if not section:  # "for reasons (b) and (d)": letters only
            parts = [f"({x})" for x in letters]
            shown = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            yield Hit(sp, f"Reason cites {shown} without a readable section number; cite "
                          f"the category section with its letters, e.g. `1.4 {shown}`.",
                      key="section missing", severity=Severity.WARNING)
            continue
        if valid is None:
            yield Hit(sp, f"Reason cites section `{r.section}`, which is not a classification "
                          "category section (expected `1.4`, or `1.5` before 2003). Cite "
                          "`1.4` with its letters.", key=f"section {r.section}")
            continue
        bad = [x for x in letters if x not in valid]
        if bad:
            shown = ", ".join(f"({x})" for x in bad)
            yield Hit(sp, f"Reason `{section}` cites {shown}, not a category of section "
                          f"{section} (valid: ({valid[0]})-({valid[-1]})). Cite only existing "
                          "category letters.", key=f"letters {section} {''.join(bad)}")
        if order is None or order.reason_section == section:
            continue
        sev = Severity.WARNING
        if (_is_cable(doc) and section == "1.5" and doc.date is not None
                and doc.date.year <= 2005):
            sev = Severity.INFO
        yield Hit(sp, f"Reason cites section `{section}`, but {order.title} (in force on the "
                      f"document date {_origin_text(doc)}) uses section "
                      f"`{order.reason_section}`. Cite `{order.reason_section}` with its "
                      "letters.", key=f"era {section}", severity=sev)


# --- D07 / D08 / D09 / D10 ------------------------------------------------------------------

def _era_check(fam: ExemptionFamily, doc: Document) -> tuple[Severity, str] | None:
    origin = _origin(doc)
    if origin is None:
        if fam.key == "25X-HUMAN":
            return Severity.INFO, "is a retired code"
        return None
    earliest, latest = origin
    if fam.valid_from is not None and latest < fam.valid_from:
        return Severity.ERROR, (f"did not exist before {fam.valid_from.isoformat()} "
                                f"({fam.order})")
    if fam.valid_until is not None and earliest > fam.valid_until:
        if fam.grace_until is not None and earliest <= fam.grace_until:
            return Severity.WARNING, (f"was superseded after {fam.valid_until.isoformat()}")
        return Severity.ERROR, f"is not valid after {fam.valid_until.isoformat()}"
    return None


@rule("MK407", "declass-exemption-era", Severity.ERROR, catalogue="D07", profiles=ALL,
      needs=("declass-value", "declass-code-like"))
def declass_exemption_era(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An exemption code did not exist, or was retired, on the document date.

    ## What it checks
    `X1`-`X8` belong to the original E.O. 12958 (1995-10-14 .. 2003-09-21); `25X1`-`25X9`
    exist from the 2003 amendment on; `50X1-HUM`, `50X2-WMD`, `50X#` and `75X#` only under
    E.O. 13526 (from 2010-06-27); `25X1-human` was replaced by `50X1-HUM` (warning until the
    end of 2011, error afterwards). Without a document date only the retired `25X1-human` is
    reported, as INFO.

    ## Why
    Each order defines its own exemption codes (CAPCO sections E.1, E.3, E.6; ISOO 2003
    marking changes).

    ## Example
    A 2012 memo with `Declassify On: X1`; a 2013 memo with `Declassify On: 25X1-human`;
    a 2005 cable with `DECL: 50X1-HUM`.

    ## Fix
    Use a code of the order in force, e.g. `50X1-HUM` instead of `25X1-human`.
    """
    for v, sp in _values(doc):
        for code in _codes(v):
            fam = exemption_family(code)
            if fam is None:
                continue
            res = _era_check(fam, doc)
            if res is None:
                continue
            sev, why = res
            fix = f" Use {fam.replacement} instead." if fam.replacement else \
                " Use a code of the order in force on the document date."
            yield Hit(sp, f"Exemption `{code}` {why}; the document is dated "
                          f"{_origin_text(doc)}.{fix}", key=code, severity=sev)


@rule("MK408", "declass-exemption-date-pairing", Severity.ERROR, catalogue="D08",
      profiles=ALL,
      needs=("declass-value", ("declass-code-like", "declass-eo12951")))
def declass_exemption_date_pairing(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An exemption lacks the date or event it needs, or carries one it must not.

    ## What it checks
    Under E.O. 13526, `25X#`, `50X#` and `75X#` are followed by a date or event
    (`25X1, 20661231`); `50X1-HUM`, `50X2-WMD` and `25X1, EO 12951` carry none. A bare `25X#`
    on a document dated before 2010-06-27 (or undated) is reported as INFO only.

    ## Why
    CAPCO sections E.1 and E.6 (a bare 25X# is a retired form); ISM-ID-00133, -00141.

    ## Example
    A 2015 memo with `Declassify On: 25X1`; `Declassify On: 50X1-HUM, 20650101`.

    ## Fix
    `Declassify On: 25X1, 20651231`; `Declassify On: 50X1-HUM`.
    """
    origin = _origin(doc)
    for v, sp in _values(doc):
        if _is_na(v):
            continue
        for code in _codes(v):
            fam = exemption_family(code)
            if fam is None:
                continue
            if fam.needs_date and not _has_date_or_event(v):
                sev = Severity.ERROR if origin is not None and origin[0] >= E013526_START \
                    else Severity.INFO
                yield Hit(sp, f"Exemption `{code}` has no date or event; under E.O. 13526 it "
                              f"must be followed by one (e.g. `{code}, YYYYMMDD`). Add the "
                              "date or event.", key=f"bare {code}", severity=sev)
            elif fam.needs_date is False and (v.date is not None or _date_token(v)):
                yield Hit(sp, f"Exemption `{code}` carries a date (`{_date_token(v) or ''}`); "
                              f"`{code}` stands alone. Remove the date.",
                          key=f"dated {code}")
        if _EO12951_RE.search(_clean_raw(v)) and (v.date is not None or _date_token(v)):
            yield Hit(sp, "`25X1, EO 12951` carries a date; it stands alone. Remove the "
                          "date.", key="dated 25X1 EO 12951")


@rule("MK409", "declass-exemption-horizon", Severity.WARNING, catalogue="D09", profiles=ALL,
      needs=("declass-value", "date", "declass-code-like"))
def declass_exemption_horizon(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A date paired with a 25X (50X) exemption lies more than 50 (75) years after origin.

    ## What it checks
    The date attached to a `25X#` exemption should not lie more than 50 years after the
    document date, and one attached to a `50X#` exemption not more than 75 years (compared
    by year: a 2015 document may carry `25X1, 20651231`).

    ## Why
    E.O. 13526 section 3.3 (reviews at 25, 50 and 75 years); CAPCO sections E.3 and E.6.

    ## Example
    A 2015 memo with `Declassify On: 25X1, 20801231`.

    ## Fix
    `Declassify On: 25X1, 20651231`, or use the exemption of the next horizon.
    """
    origin = _origin(doc)
    if origin is None:
        return
    latest = origin[1]
    for v, sp in _values(doc):
        d = _vdate(v)
        if d is None:
            continue
        for code in _codes(v):
            fam = exemption_family(code)
            if fam is None or fam.horizon_years is None:
                continue
            limit = _dt.date(latest.year + fam.horizon_years, 12, 31)  # year precision
            if d > limit:
                yield Hit(sp, f"Exemption `{code}` is paired with "
                              f"`{_date_token(v) or d.isoformat()}`, more than "
                              f"{fam.horizon_years} years after the document date "
                              f"({_origin_text(doc)}). Use a date no later than "
                              f"{limit.isoformat()}.", key=f"{code} {d.isoformat()}")


# (several codes, dates or tokens: a code, or a value long enough for two dates)
@rule("MK410", "declass-single-value", Severity.ERROR, catalogue="D10", profiles=ALL,
      needs=("declass-value", ("declass-code-like", "declass-long")))
def declass_single_value(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The Declassify-On line carries more than one value.

    ## What it checks
    Several exemption codes, several dates, or alternatives joined by `or` / `;` on one
    Declassify-On line.

    ## Why
    CAPCO section E.2: only a single value is used; when several apply the most protective
    one is chosen (same date: the lowest exemption number).

    ## Example
    `Declassify On: 25X1, 25X6, 20651231`; `Declassify On: 20301231 or 25X1`.

    ## Fix
    Keep the single most protective value: `Declassify On: 25X1, 20651231`.
    """
    for v, sp in _values(doc):
        if _is_na(v):
            continue
        raw = _clean_raw(v)
        codes = _codes(v)
        tokens = sorted([(m.start(), m.end(), m.group(0)) for m in _DATE_TOKEN_RE.finditer(raw)]
                        + [(m.start(), m.end(), m.group(0).upper())
                           for m in _CODE_TOKEN_RE.finditer(raw)])
        dates = [t for t in tokens if _DATE_TOKEN_RE.fullmatch(t[2])]
        joined = any(_MULTI_JOIN_RE.search(raw[a[1]:b[0]]) for a, b in pairwise(tokens))
        if len(codes) > 1 or len(dates) > 1 or joined:
            shown = ", ".join(f"`{t[2]}`" for t in tokens) or "several values"
            yield Hit(sp, f"Declassify-On line carries more than one value ({shown}); only "
                          "one value is allowed. Keep the most protective one (for equal "
                          "dates, the lowest exemption number).",
                      key=" ".join(t[2] for t in tokens))


# --- D11 / D12 ------------------------------------------------------------------------------

def _aea_labels(doc: Document) -> set[str]:
    out: set[str] = set()
    for m in _all_markings(doc):
        for tok in m.aea:
            t = tok.upper()
            for label in ("FRD", "RD", "TFNI"):
                if t == label or t.startswith(label + "-"):
                    out.add(label)
    return out


def _statement_era(doc: Document) -> Severity | None | bool:
    """N/A statements date from the E.O. 13526 directive: False = skip (older document),
    INFO for undated documents, None = the rule's own severity."""
    origin = _origin(doc)
    if origin is None:
        return Severity.INFO
    if origin[1] < E013526_START:
        return False
    return None


def _has_nato_portions(doc: Document) -> bool:
    marks = list(doc.portion_marks_memo()) or [b.marking for b in doc.banners
                                               if b.marking is not None]
    return any(m.owner == "NATO" for m in marks)


@rule("MK411", "declass-aea-statement", Severity.ERROR, catalogue="D11", profiles=ALL,
      needs=("declass-value", (AEA, "declass-portions")))
def declass_aea_statement(doc: Document, ctx: Context) -> Iterator[Hit]:
    """RD/FRD/TFNI portions need the N/A-to-AEA Declassify-On statement, with no date.

    ## What it checks
    When any marking carries RD, FRD or TFNI, the Declassify-On line must read
    `N/A to RD/FRD/TFNI portions. See source list for NSI portions.` naming only the labels
    present, and carry no date or event. A statement naming an AEA label that no marking
    carries is also reported. The statements come from the E.O. 13526 directive: documents
    dated before 2010-06-27 are not checked, undated ones get INFO.

    ## Why
    Atomic Energy Act information is never declassified by date; CAPCO sections E.1 and E.4;
    ISM-ID-00176, -00246, -00299.

    ## Example
    Portion `(S//RD//NF)` with `Declassify On: 20351231`.

    ## Fix
    `Declassify On: N/A to RD portions. See source list for NSI portions.`
    """
    sev = _statement_era(doc)
    if sev is False:
        return
    labels = _aea_labels(doc)
    for v, sp in _values(doc):
        stated = _na_labels(v) - {"NATO"}
        if labels and not _is_na(v):
            want = "/".join(x for x in ("RD", "FRD", "TFNI") if x in labels)
            yield Hit(sp, f"Markings carry `{want}` but the Declassify-On value is "
                          f"`{_shown(v)}`. Write `N/A to {want} portions. See source list for "
                          "NSI portions.`", key=f"missing {want}", severity=sev)
            continue
        if not labels and not stated:
            continue
        extra = stated - labels
        missing = labels - stated
        if _is_na(v) and (extra or missing):
            parts = []
            if missing:
                parts.append("omits " + ", ".join(f"`{x}`" for x in sorted(missing)))
            if extra:
                parts.append("names " + ", ".join(f"`{x}`" for x in sorted(extra))
                             + " which no marking carries")
            yield Hit(sp, f"The N/A statement {' and '.join(parts)}. Name exactly the AEA "
                          "labels the portions carry.",
                      key=f"labels {'/'.join(sorted(stated))}", severity=sev)
        if labels and _is_na(v) and (v.date is not None or _date_token(v)):
            yield Hit(sp, f"The N/A-to-AEA statement carries a date (`{_date_token(v) or ''}`)"
                          "; it stands alone. Remove the date.", key="aea dated", severity=sev)


@rule("MK412", "declass-nato-statement", Severity.ERROR, catalogue="D12", profiles=ALL,
      needs=("declass-value", (OWNER, "declass-portions")))
def declass_nato_statement(doc: Document, ctx: Context) -> Iterator[Hit]:
    """NATO classified portions need the N/A-to-NATO Declassify-On statement (and only then).

    ## What it checks
    A US document with NATO classified portions (`(//NS)`, `(//CTS)` ...) must read
    `Declassify On: N/A to NATO portions. See source list for NSI portions.` (with AEA
    portions too, the combined form). The NATO statement in a document without NATO
    portions is also wrong. Release to NATO (`REL TO USA, NATO`) is not NATO information.
    Documents dated before 2010-06-27 (E.O. 13526) are not checked; undated ones get INFO.

    ## Why
    NATO information is declassified by NATO, not by a US date; CAPCO sections E.1 and E.5;
    ISM-ID-00315 to -00317.

    ## Example
    Portion `(//NS//REL TO USA, NATO)` with `Declassify On: 20351231`.

    ## Fix
    `Declassify On: N/A to NATO portions. See source list for NSI portions.`
    """
    sev = _statement_era(doc)
    if sev is False:
        return
    nato = _has_nato_portions(doc)
    for v, sp in _values(doc):
        stated = "NATO" in _na_labels(v)
        if nato and not stated:
            yield Hit(sp, f"The document has NATO classified portions but the Declassify-On "
                          f"value is `{_shown(v)}`. Write `N/A to NATO portions. See source "
                          "list for NSI portions.`", key="missing NATO", severity=sev)
        elif stated and not nato:
            yield Hit(sp, "The Declassify-On line carries the N/A-to-NATO statement but no "
                          "portion is NATO classified. Remove `NATO` from the statement (or "
                          "mark the NATO portions).", key="phantom NATO", severity=sev)


# --- D13 / D14 / D15 / D16 / D17 / D18 ------------------------------------------------------

# (a retired, unknown or event value, or one with a retired instruction: "declass-code-like"
# holds for every value with one)
@rule("MK413", "declass-retired-instruction", Severity.ERROR, catalogue="D13", profiles=ALL,
      needs=("declass-value", ("declass-kind:retired", "declass-kind:unknown",
                               "declass-kind:event", "declass-code-like")))
def declass_retired_instruction(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A retired Declassify-On instruction (OADR, MR, DCI Only ...) is used.

    ## What it checks
    `OADR` (and `Source marked OADR`), `MR` / `Manual Review`, `DCI Only` / `DNI Only` and
    `Subject to treaty or international agreement`. Each has a last valid document date in
    `markings.eras.RETIRED`: no finding up to it (a 1990 cable with `DECL: OADR` is correct
    for its era), a warning between it and E.O. 13526 (2010-06-27), an error under E.O.
    13526, INFO when the document date is unknown.

    ## Why
    CAPCO section E.6: derivative classifiers must compute a date instead of carrying a
    retired instruction forward.

    ## Example
    A 2014 memo with `Declassify On: Source marked OADR, date of source 19910301`.

    ## Fix
    Compute the date (source date plus 25 years): `Declassify On: 20160301`.
    """
    origin = _origin(doc)
    for v, sp in _values(doc):
        if v.kind not in ("retired", "unknown", "event") and not v.retired:
            continue
        text = v.retired or _clean_raw(v)
        if exemption_family(text.strip().upper()) is not None:
            continue  # X1-X8 and 25X1-human: D07
        rv = retired_value(text) or retired_value(_clean_raw(v))
        if rv is None:
            continue
        if origin is None:
            sev: Severity | None = Severity.INFO
        elif rv.valid_until is not None and origin[1] <= rv.valid_until:
            sev = None
        elif origin[0] >= rv.retired_on:
            sev = Severity.ERROR
        else:
            sev = Severity.WARNING
        if sev is None:
            continue
        yield Hit(sp, f"Declassify-On value `{rv.key}` is a retired instruction (no longer "
                      f"valid after {rv.valid_until.isoformat() if rv.valid_until else 'its era'}"
                      f"; document dated {_origin_text(doc)}). Use {rv.replacement}.",
                  key=rv.key, severity=sev)


@rule("MK414", "declass-event-form", Severity.INFO, catalogue="D14", profiles=ALL,
      needs=("declass-value", ("declass-kind:event", "declass-event")))
def declass_event_form(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An event-based declassification instruction has no fallback date.

    ## What it checks
    A Declassify-On value that names an event (or a period such as a number of years) but
    no date, so no duration limit can be checked. A bare number of years (`DECL: TEN
    YEARS`) is reported as such: write the date it ends on. The event text is never quoted.

    ## Why
    Events must be definite and foreseeable (E.O. 13526 section 1.5(a); CAPCO section E.1);
    ISM 2022 requires a date alongside an event (ISM-ID-00385).

    ## Example
    `E.O. 12958: DECL: AFTER KOREAN UNIFICATION`.

    ## Fix
    Add a fallback date: `Declassify On: completion of exercise X, not later than 20201231`.
    """
    for v, sp in _values(doc):
        if (v.kind == "event" or (v.has_event and v.kind != "retired")) \
                and v.date is None and not _date_token(v) and not _codes(v):
            if retired_value(_clean_raw(v)) is not None:
                continue
            if _DURATION_RE.fullmatch(_clean_raw(v).strip(" .")):
                yield Hit(sp, "The declassification instruction is a number of years, not a "
                              "date or event. Write the date it ends on (`MM/DD/YYYY` in "
                              "cables, `YYYYMMDD` elsewhere).", key="duration")
                continue
            yield Hit(sp, "The declassification instruction names an event but no date, so "
                          "its duration cannot be checked. Add a fallback date (`not later "
                          "than YYYYMMDD`) or use a date.", key="event")


_FIRST_DIGITS_RE = re.compile(r"\d{4,5}")
# "DECL: TEN YEARS", "DECL: 10 YEARS": a duration read as an event
_DURATION_RE = re.compile(
    r"(?i)(?:\d{1,2}|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|FIFTEEN|TWENTY"
    r"|TWENTY[ -]FIVE|THIRTY)[ \t]+YEARS?")


@rule("MK415", "declass-eo-citation-era", Severity.ERROR, catalogue="D15", profiles=ALL,
      needs=("authority",))
def declass_eo_citation_era(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The executive order cited does not match the document date.

    ## What it checks
    The order number on a cable's `E.O.` line against the document date: 11652
    (1972-06-01 .. 1978-11-30), 12065 (1978-12-01 .. 1982-07-31), 12356 (1982-08-01 ..
    1995-10-13), 12958 incl. its 2003 amendment (1995-10-14 .. 2010-06-26), 13526 (from
    2010-06-27). Citing an order that did not yet exist is an error; citing a superseded
    order is a warning; a number that is no classification order at all (a typo such as
    `12598`) is a warning. Undated documents are checked for unknown numbers only.

    ## Why
    The cited order decides which reasons, periods and exemptions are valid.

    ## Example
    A cable dated 2008-03-02 with `E.O. 13526: DECL: 03/02/2018`.

    ## Fix
    Cite the order in force on the document date: `E.O. 12958: DECL: 03/02/2018`.
    """
    a = doc.authority
    if a is None or not a.eo:
        return
    m = _FIRST_DIGITS_RE.search(a.eo)
    number = m.group(0) if m else a.eo.strip()
    sp = a.eo_span or (a.decl.span if a.decl and a.decl.span else None) or _fallback_span(doc)
    origin = _origin(doc)
    expected = order_for_date(origin[1]) if origin else None
    orders = orders_for_number(number)
    if not orders:
        hint = f" For this date cite `E.O. {expected.number}`." if expected else ""
        yield Hit(sp, f"`E.O. {number}` is not an executive order on classification.{hint}",
                  key=f"unknown {number}", severity=Severity.WARNING)
        return
    if origin is None:
        return
    earliest, latest = origin
    if any(o.start <= latest and (o.end is None or earliest <= o.end) for o in orders):
        return
    start = min(o.start for o in orders)
    if latest < start:
        hint = f" Cite `E.O. {expected.number}`." if expected else ""
        yield Hit(sp, f"`E.O. {number}` took effect on {start.isoformat()}, after the document "
                      f"date ({_origin_text(doc)}).{hint}", key=f"early {number}")
    else:
        hint = f" Cite `E.O. {expected.number}`." if expected else ""
        end = max(o.end for o in orders if o.end is not None)
        yield Hit(sp, f"`E.O. {number}` was superseded on {end.isoformat()}, before the "
                      f"document date ({_origin_text(doc)}).{hint}", key=f"late {number}",
                  severity=Severity.WARNING)


_AMBIG_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?![\d/])")


@rule("MK416", "declass-ambiguous-date", Severity.INFO, catalogue="D16", profiles=ALL,
      needs=("declass-value",))
def declass_ambiguous_date(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declassification date with a two-digit year or unpadded fields was normalised.

    ## What it checks
    Dates like `6/30/08` or `9/4/2015`: the two-digit year is read with a pivot (00-69 ->
    20xx, 70-99 -> 19xx) and day and month are padded. The normalised date is reported.
    In State cables, whose handbook form is `MM/DD/YYYY`, only two-digit years are
    reported: an unpadded `9/4/2015` cannot be read two ways there.

    ## Why
    CAPCO section E.1 asks for an unambiguous `YYYYMMDD`; short forms invite misreading.

    ## Example
    `EO 12958: DECL: 6/3/08`.

    ## Fix
    Write four-digit years and padded fields: `E.O. 12958: DECL: 06/03/2008`.
    """
    for v, sp in _values(doc):
        tok = _date_token(v)
        m = _AMBIG_RE.fullmatch(tok) if tok else None
        cable = _is_cable(doc)
        if cable:
            # cables write MM/DD/YYYY: `9/4/2015` is unambiguous there, `6/30/08` is not
            ambiguous = bool(m and len(m.group(3)) == 2)
        else:
            ambiguous = v.ambiguous or bool(
                m and (len(m.group(3)) == 2 or len(m.group(1)) == 1 or len(m.group(2)) == 1))
        if not ambiguous or v.date is None or not v.valid_date:
            continue
        norm = v.date.strftime("%m/%d/%Y") if cable else v.date.strftime("%Y%m%d")
        yield Hit(sp, f"Declassification date `{tok or v.raw.strip()}` was read as "
                      f"{v.date.isoformat()}. Write `{norm}`.", key=tok or v.date.isoformat())


_BANNER_DATE_RE = re.compile(r"^\d{8}$")


def _declass_key(text: str) -> str:
    return re.sub(r"[\s,]+", " ", text.strip().upper())


@rule("MK417", "declass-banner-cab-consistency", Severity.WARNING, catalogue="D17",
      profiles=ALL,
      needs=("declass-value", DECLASS))
def declass_banner_cab_consistency(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A legacy banner declassification field disagrees with the Declassify-On line.

    ## What it checks
    Banners of the pre-2008 form carry the declassification value after the last `//`
    (`SECRET//NOFORN//20291231`, `//X1`, `//MR`). That value must agree with the value on
    the Declassify-On line.

    ## Why
    Both come from the same declassification decision (ISM V10 banner renderer; CAPCO
    section I, Table 8); a mismatch means one of them is stale.

    ## Example
    Banner `SECRET//NOFORN//X1` with `Declassify On: 20101231`.

    ## Fix
    Make them agree, e.g. banner `SECRET//NOFORN//20101231`, or drop the banner field.
    """
    a = doc.authority
    cab = a.declass if a else None
    if cab is None:
        return
    cab_codes = set(_codes(cab))
    for b in doc.banners:
        m = b.marking
        if m is None or not m.declass:
            continue
        field = _declass_key(m.declass)
        if _BANNER_DATE_RE.match(field):
            same = cab.date is not None and cab.date.strftime("%Y%m%d") == field
        elif exemption_family(field) is not None:
            same = field in cab_codes
        else:
            rv = retired_value(field)
            same = (rv is not None and retired_value(cab.retired or cab.raw) == rv) or \
                field in _declass_key(cab.raw)
        if not same:
            yield Hit(b.span, f"Banner declassification field `{m.declass}` does not match the "
                              f"Declassify-On value `{_shown(cab)}`. Make them agree (or drop "
                              "the banner field).", key=f"{field} {_shown(cab)}")


_HUM_WMD = {"50X1-HUM", "50X2-WMD"}


def _protect_rank(raw: str) -> tuple[int, str, int]:
    """How protective a declassification value is (CAPCO section E.3 hierarchy); larger wins."""
    text = raw.upper()
    if _NA_LABELS_RE.search(raw):
        return (8, "", 0)
    codes = [m.group(0).upper() for m in _CODE_TOKEN_RE.finditer(text)]
    dm = _DATE_TOKEN_RE.search(text)
    date = ""
    if dm:
        tok = dm.group(0)
        if re.fullmatch(r"\d{8}", tok):
            date = tok
        else:
            parts = re.split(r"[/-]", tok)
            if len(parts[0]) == 4:
                date = f"{parts[0]}{int(parts[1]):02d}{int(parts[2]):02d}"
            else:
                y = parts[2] if len(parts[2]) == 4 else ("20" + parts[2])
                date = f"{y}{int(parts[0]):02d}{int(parts[1]):02d}"
    if any(c in _HUM_WMD for c in codes):
        return (7, "", 0)
    fifty = [c for c in codes if c.startswith("50X")]
    if fifty:
        return (6, date, 0)
    if _EO12951_RE.search(raw) and any(c == "25X1" for c in codes):
        return (5, "", 0)
    twenty5 = [c for c in codes if c.startswith("25X")]
    if twenty5:
        low = min(int(c[3]) if c[3:4].isdigit() else 9 for c in twenty5)
        return (4, date, -low) if (date or re.search(r"[A-Z]{4,}", text.replace("25X", "")))\
            else (3, "", -low)
    if date:
        return (2, date, 0)
    return (1, "", 0) if text.strip() else (0, "", 0)


@rule("MK418", "declass-multiple-sources-hierarchy", Severity.INFO, catalogue="D18",
      profiles=ALL,
      needs=("setting:source_declass", "declass-value"))
def declass_multiple_sources_hierarchy(doc: Document, ctx: Context) -> Iterator[Hit]:
    """With Multiple Sources, the Declassify-On value is not the most protective source value.

    ## What it checks
    Needs the sources' declassification values, which are not in the document: configure
    them as `settings.source_declass = ["20301231", "50X1-HUM"]`. Without that setting the
    check is skipped. The document's value must be at least as protective as every source
    value under the hierarchy of CAPCO section E.3: N/A-to-AEA/NATO statement > `50X1-HUM` /
    `50X2-WMD` > `50X#` with date > `25X1, EO 12951` > `25X#` with date (later date, then
    lower number) > bare `25X#` > date (later wins) > event.

    ## Why
    A derivative document must keep the longest protection of its sources (CAPCO section
    E.3; 32 CFR 2001.22).

    ## Example
    Sources `20301231` and `50X1-HUM`; document `Declassify On: 20301231`.

    ## Fix
    `Declassify On: 50X1-HUM`.
    """
    sources = ctx.settings.get("source_declass")
    a = doc.authority
    if not sources or a is None or a.declass is None:
        return
    if a.derived_from is not None and not _MULTIPLE_SOURCES_RE.search(a.derived_from):
        return
    values = [str(s) for s in (sources if isinstance(sources, (list, tuple)) else [sources])]
    best = max(values, key=_protect_rank)
    own = a.declass
    if _protect_rank(own.raw) < _protect_rank(best):
        sp = own.span or a.declassify_on_span or a.eo_span or _fallback_span(doc)
        yield Hit(sp, f"Declassify-On value `{_shown(own)}` is less protective than a source "
                      f"value (`{best}`); with multiple sources the most protective value "
                      f"applies. Write `{best}`.", key=f"{_shown(own)} < {best}")
