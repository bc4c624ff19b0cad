"""Document date derivation: when was this document written?

Sources, most reliable first: the cable date-time group (``O 141513Z SEP 05``), a metadata
line of an exported cable (``2005-09-14 15:03`` near the top), a memo date line
(``12 March 2014``, ``March 12, 2014``, ``2014-03-12``) near the top, and the two-digit year
of the cable id (``05MOSCOW11807`` -> 2005, January 1st as a lower bound).
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["CABLE_ID_RE", "date_from_dtg", "document_date", "year_from_cable_id"]

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

# precedence letter (Z, O, P, R ...), day + time + Z, month, two-digit year
_DTG_RE = re.compile(
    r"^[ \t]*(?:[ZOPRMYF][ \t]+)?(\d{2})(\d{4})Z[ \t]+"
    r"(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[ \t]+(\d{2}|\d{4})\b", re.MULTILINE)
# the newline before a line that _DTG_RE matches: the regex engine jumps from newline to
# newline instead of trying the multi-line pattern at every position of the text
_DTG_NL_RE = re.compile(r"\n(?=" + _DTG_RE.pattern[1:] + ")")
CABLE_ID_RE = re.compile(r"\b(\d{2})([A-Z][A-Z]{2,}[A-Z]*)(\d{1,6})\b")
_META_RE = re.compile(r"^[ \t]*((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"
                      r"[ \t]*$", re.MULTILINE)
_ISO_RE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
_DMY_RE = re.compile(r"\b(\d{1,2})[ \t]+([A-Za-z]{3,9})\.?,?[ \t]+((?:19|20)\d{2})\b")
_MDY_RE = re.compile(r"\b([A-Za-z]{3,9})\.?[ \t]+(\d{1,2}),?[ \t]+((?:19|20)\d{2})\b")


def _mk(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _year2(yy: str) -> int:
    y = int(yy)
    if len(yy) == 4:
        return y
    return 1900 + y if y >= 60 else 2000 + y


def date_from_dtg(text: str) -> _dt.date | None:
    """The date of the first cable date-time group (``P 141530Z SEP 05``) in ``text``."""
    # the first line, else the first line after a newline: the first match of the search
    m = _DTG_RE.match(text)
    if m is None:
        nl = _DTG_NL_RE.search(text)
        m = _DTG_RE.match(text, nl.start() + 1) if nl is not None else None
    if not m:
        return None
    return _mk(_year2(m.group(4)), _MONTHS[m.group(3)], int(m.group(1)))


def year_from_cable_id(cable_id: str) -> int | None:
    """``05MOSCOW11807`` -> 2005; None when it is not a cable id."""
    m = CABLE_ID_RE.fullmatch(cable_id.strip())
    return _year2(m.group(1)) if m else None


def _memo_date(head: str) -> _dt.date | None:
    for rx, order in ((_ISO_RE, "ymd"), (_DMY_RE, "dmy"), (_MDY_RE, "mdy")):
        for m in rx.finditer(head):
            if order == "ymd":
                d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif order == "dmy":
                mo = _MONTH_NAMES.get(m.group(2).lower())
                d = _mk(int(m.group(3)), mo, int(m.group(1))) if mo else None
            else:
                mo = _MONTH_NAMES.get(m.group(1).lower())
                d = _mk(int(m.group(3)), mo, int(m.group(2))) if mo else None
            if d is not None:
                return d
    return None


def document_date(text: str, *, cable_id: str | None = None, cable: bool = False,
                  head_chars: int = 3000) -> tuple[_dt.date | None, str | None]:
    """The document date and where it came from (``dtg``, ``metadata``, ``memo-date``,
    ``cable-id``), or ``(None, None)``."""
    head = text[:head_chars]
    d = date_from_dtg(head)
    if d is not None:
        return d, "dtg"
    m = _META_RE.search(head[:400])
    if m:
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d is not None:
            return d, "metadata"
    if not cable:
        d = _memo_date(head[:1500])
        if d is not None:
            return d, "memo-date"
    if cable_id:
        y = year_from_cable_id(cable_id)
        if y is not None:
            return _dt.date(y, 1, 1), "cable-id"
    if cable:
        d = _memo_date(head[:800])
        if d is not None:
            return d, "memo-date"
    return None, None
