"""Executive-order eras: which classification order governed a document, and what it allowed.

A small, data-driven table used by the declassification rules (``markings.rules.declass``,
catalogue group D). Everything here is *data*; the rules only look things up. The facts come
from section 1.6 of the rules catalogue (``spec/rules-catalogue.md``). Dates before 1995 are
of medium confidence there, and the rules treat the pre-1995 orders leniently (they check
little more than the order number).

Three tables:

* :data:`ORDERS` -- each executive order (and the 2003 amendment of E.O. 12958, which kept
  the number) with the document dates it governed, the reason section and letters it used,
  the exemption codes it allowed, and the longest ordinary classification period.
* :data:`EXEMPTIONS` -- each family of exemption codes (``X1``-``X8``, ``25X1``-``25X9``,
  ``50X1-HUM`` ...) with the dates between which it is a valid *Declassify On* value and
  whether it must be paired with a date or event.
* :data:`RETIRED` -- retired *Declassify On* values (``OADR``, ``MR``, ``DCI Only`` ...) with
  the last date they were valid and the date from which they are errors.

All ranges are inclusive and refer to the *document date* (the date of origin).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

__all__ = [
    "AMENDED_12958_START",
    "E013526_START",
    "EXEMPTIONS",
    "ORDERS",
    "RETIRED",
    "ExemptionFamily",
    "Order",
    "RetiredValue",
    "add_years",
    "exemption_family",
    "known_order_numbers",
    "order_for_date",
    "orders_for_number",
    "retired_value",
]

_D = _dt.date


@dataclass(frozen=True)
class Order:
    """One executive order governing classification (or one textual variant of one)."""

    key: str  # "12958", "12958-amended", "13526" ...
    number: str  # the number cited on an E.O. line: "12958"
    title: str  # for messages: "E.O. 12958 as amended"
    start: _dt.date
    end: _dt.date | None  # None: still in force
    reason_section: str | None  # "1.4", "1.5"; None = not mined (no reason checks)
    reason_letters: str  # valid category letters, e.g. "abcdefgh"
    max_years: int | None  # longest ordinary period from origin; None = not checked
    confidence: str = "high"

    def covers(self, day: _dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


AMENDED_12958_START = _D(2003, 3, 25)
E013526_START = _D(2010, 6, 27)

ORDERS: tuple[Order, ...] = (
    Order("11652", "11652", "E.O. 11652", _D(1972, 6, 1), _D(1978, 11, 30), None, "", None,
          "medium"),
    Order("12065", "12065", "E.O. 12065", _D(1978, 12, 1), _D(1982, 7, 31), None, "", None,
          "medium"),
    Order("12356", "12356", "E.O. 12356", _D(1982, 8, 1), _D(1995, 10, 13), None, "", None,
          "medium"),
    Order("12958", "12958", "E.O. 12958 (original)", _D(1995, 10, 14), _D(2003, 3, 24),
          "1.5", "abcdefg", 10),
    Order("12958-amended", "12958", "E.O. 12958 as amended", AMENDED_12958_START,
          _D(2010, 6, 26), "1.4", "abcdefgh", 25),
    Order("13526", "13526", "E.O. 13526", E013526_START, None, "1.4", "abcdefgh", 25),
)


def order_for_date(day: _dt.date | None) -> Order | None:
    """The order in force on ``day`` (None for unknown dates or dates before 1972-06-01)."""
    if day is None:
        return None
    # the rules ask for the same few document dates again and again (~10,000 times per
    # corpus pass): answered from a table of the dates seen
    hit = _ORDER_OF_DATE.get(day, _MISSING)
    if hit is _MISSING:
        if len(_ORDER_OF_DATE) >= _ORDER_OF_DATE_MAX:
            _ORDER_OF_DATE.clear()
        hit = _ORDER_OF_DATE[day] = _order_for_date_plain(day)
    return hit  # type: ignore[return-value]


def _order_for_date_plain(day: _dt.date) -> Order | None:
    """:func:`order_for_date` without the table: the first order of :data:`ORDERS` that
    covers ``day``."""
    for o in ORDERS:
        if o.covers(day):
            return o
    return None


_MISSING = object()
_ORDER_OF_DATE: dict[_dt.date, Order | None] = {}
_ORDER_OF_DATE_MAX = 8192


def orders_for_number(number: str) -> tuple[Order, ...]:
    """All table entries cited by the E.O. number ``number`` (12958 has two)."""
    n = number.strip()
    return tuple(o for o in ORDERS if o.number == n)


def known_order_numbers() -> frozenset[str]:
    return frozenset(o.number for o in ORDERS)


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` plus ``years`` calendar years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- exemption codes ---------------------------------------------------------------------

@dataclass(frozen=True)
class ExemptionFamily:
    """A family of exemption codes and the document dates on which it may be used."""

    key: str  # "X", "25X", "25X-HUMAN", "50X-HUM-WMD", "50X", "75X"
    pattern: re.Pattern[str]
    valid_from: _dt.date | None
    valid_until: _dt.date | None  # last valid document date; None = still valid
    grace_until: _dt.date | None  # after valid_until and up to here: warning only
    needs_date: bool | None  # True: date/event required (from E.O. 13526); False: forbidden
    horizon_years: int | None  # a paired date should not lie further out than this
    replacement: str  # what to use instead, for messages
    order: str  # the order that introduced it


EXEMPTIONS: tuple[ExemptionFamily, ...] = (
    # E.O. 12958 (1995) section 1.6(d): exemptions from the 10-year rule; ended with the
    # 2003 amendment (ISOO directive change effective 2003-09-22).
    ExemptionFamily("X", re.compile(r"^X[1-8]$"), _D(1995, 10, 14), _D(2003, 9, 21),
                    None, None, None,
                    "a date or event (no later than 25 years from origin) or a 25X code",
                    "E.O. 12958 (original)"),
    # Retired form of the human-source exemption (ISOO Notice 2012-02 per CAPCO).
    ExemptionFamily("25X-HUMAN", re.compile(r"^25X1-HUMAN$"), AMENDED_12958_START,
                    _D(2010, 6, 26), _D(2011, 12, 31), None, None, "50X1-HUM",
                    "E.O. 12958 as amended"),
    ExemptionFamily("25X", re.compile(r"^25X[1-9]$"), AMENDED_12958_START, None, None,
                    True, 50, "", "E.O. 12958 as amended"),
    ExemptionFamily("50X-HUM-WMD", re.compile(r"^(50X1-HUM|50X2-WMD)$"), E013526_START,
                    None, None, False, None, "", "E.O. 13526"),
    ExemptionFamily("50X", re.compile(r"^50X[1-9]$"), E013526_START, None, None, True, 75,
                    "", "E.O. 13526"),
    ExemptionFamily("75X", re.compile(r"^75X[1-9]$"), E013526_START, None, None, True, None,
                    "", "E.O. 13526"),
)


def exemption_family(code: str) -> ExemptionFamily | None:
    """The family of an exemption code (``25X1`` -> 25X), or None for unknown codes."""
    c = code.strip().upper().replace(" ", "")
    for fam in EXEMPTIONS:
        if fam.pattern.match(c):
            return fam
    return None


# --- retired Declassify-On values --------------------------------------------------------

@dataclass(frozen=True)
class RetiredValue:
    """A Declassify-On instruction that later orders retired (CAPCO section E.6)."""

    key: str  # canonical label used in messages: "OADR", "MR", "DCI Only" ...
    pattern: re.Pattern[str]
    valid_until: _dt.date | None  # last document date on which it was a proper value
    retired_on: _dt.date  # from this document date on it is an error
    replacement: str


_RETIRE_13526 = E013526_START
RETIRED: tuple[RetiredValue, ...] = (
    RetiredValue("Source marked OADR", re.compile(r"SOURCE\s+MARKED\s+(OADR|ORIGINATING)", re.IGNORECASE),
                 _D(2010, 6, 26), _RETIRE_13526,
                 "the source date plus 25 years, as YYYYMMDD"),
    RetiredValue("OADR", re.compile(r"\bOADR\b|ORIGINATING\s+AGENCY'?S?\s+DETERMINATION", re.IGNORECASE),
                 _D(1995, 10, 13), _RETIRE_13526,
                 "a date no later than 25 years from origin"),
    RetiredValue("MR", re.compile(r"^\s*MR\s*$|\bMANUAL\s+REVIEW\b", re.IGNORECASE),
                 _D(2008, 1, 31), _RETIRE_13526,
                 "a date no later than 25 years from origin"),
    RetiredValue("DCI Only", re.compile(r"\bDCI\s+ONLY\b", re.IGNORECASE), _D(2005, 4, 20),
                 _RETIRE_13526, "a date or an exemption with a date"),
    RetiredValue("DNI Only", re.compile(r"\bDNI\s+ONLY\b", re.IGNORECASE), _D(2010, 6, 26),
                 _RETIRE_13526, "a date or an exemption with a date"),
    RetiredValue("Subject to treaty or international agreement",
                 re.compile(r"SUBJECT\s+TO\s+TREATY", re.IGNORECASE), _D(2010, 6, 26), _RETIRE_13526,
                 "a date, event or exemption"),
)


def retired_value(text: str) -> RetiredValue | None:
    """The retired value named in ``text`` (a Declassify-On value or its ``retired`` label)."""
    for rv in RETIRED:
        if rv.pattern.search(text):
            return rv
    return None
