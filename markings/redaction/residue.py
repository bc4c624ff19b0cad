"""Identifier recognisers with validation (Presidio-style, no model and no network).

Each recogniser is a regular expression plus an optional validator (Luhn for card numbers,
SSA rules for SSNs, octet ranges for IPv4, NANP rules for US phone numbers). A match carries a
base score; rules raise or lower it with the distance to a redaction marker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a text: entity type, offsets and a score in [0, 1]."""

    entity: str  # EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, IP_ADDRESS, CREDIT_CARD, URL, IBAN
    start: int
    end: int
    score: float
    value: str  # the matched text; never printed by rules, only masked or hashed

    @property
    def masked(self) -> str:
        """A fixed mask that says what kind of identifier leaked, not its value or length."""
        return mask(self.value, self.entity)


MASK = "****"


def mask(value: str, entity: str = "") -> str:
    """A fixed-form mask: ``****``, or ``***@***.gov`` for an e-mail address.

    The mask never keeps the value's length or shape (``***-***-****`` would tell a phone
    number's country and format, and the length of each part narrows it down). E-mail
    addresses keep their top-level label (``.gov``) because it says which kind of address
    leaked without saying whose.
    """
    if entity == "EMAIL_ADDRESS" and "@" in value:
        tld = value.rsplit(".", 1)[-1] if "." in value.partition("@")[2] else ""
        return "***@***" + (f".{tld}" if tld.isalpha() and len(tld) <= 24 else "")
    return MASK


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a digit string (card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _valid_card(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    return 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1


def _valid_ssn(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return (area not in ("000", "666") and not area.startswith("9") and group != "00"
            and serial != "0000" and digits not in ("123456789", "078051120"))


def _valid_ipv4(s: str) -> bool:
    parts = s.split(".")
    return (len(parts) == 4 and all(p.isdigit() and int(p) <= 255 and (p == "0" or p[0] != "0")
                                    for p in parts) and s not in ("0.0.0.0",))


def _valid_us_phone(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        return False
    area, exchange = digits[:3], digits[3:6]
    return area[0] not in "01" and exchange[0] not in "01" and area[1:] != "11"


def _valid_intl_phone(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    return 8 <= len(digits) <= 15


def _valid_iban(s: str) -> bool:
    compact = re.sub(r"\s", "", s).upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


@dataclass(frozen=True)
class Recogniser:
    """A named pattern with a base score and an optional validator."""

    entity: str
    pattern: re.Pattern[str]
    score: float
    validate: Callable[[str], bool] | None = None


RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("EMAIL_ADDRESS", re.compile(
        r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+"
        r"[A-Za-z]{2,24}(?![\w-])"), 0.9),
    Recogniser("PHONE_NUMBER", re.compile(
        r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\s?\d{3}\s?\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\d-])"),
        0.6, _valid_us_phone),
    Recogniser("PHONE_NUMBER", re.compile(
        r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\d-])"), 0.5, _valid_intl_phone),
    Recogniser("US_SSN", re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"), 0.6, _valid_ssn),
    Recogniser("CREDIT_CARD", re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])"), 0.7,
               _valid_card),
    Recogniser("IP_ADDRESS", re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"), 0.6,
               _valid_ipv4),
    Recogniser("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
               0.7, _valid_iban),
)


def find_identifiers(text: str, *, entities: frozenset[str] | None = None,
                     min_score: float = 0.0) -> list[Identifier]:
    """Validated identifiers in ``text``, sorted by position; overlaps keep the best score."""
    found: list[Identifier] = []
    for rec in RECOGNISERS:
        if entities is not None and rec.entity not in entities:
            continue
        for m in rec.pattern.finditer(text):
            value = m.group(0)
            if rec.validate is not None and not rec.validate(value):
                continue
            if rec.score >= min_score:
                found.append(Identifier(rec.entity, m.start(), m.end(), rec.score, value))
    found.sort(key=lambda i: (i.start, -i.score, -(i.end - i.start)))
    out: list[Identifier] = []
    for ident in found:
        if out and ident.start < out[-1].end:
            continue  # overlapping lower-ranked match (an SSN inside a card number, ...)
        out.append(ident)
    return out
