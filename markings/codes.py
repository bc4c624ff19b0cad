"""Country and organisation codes: trigraphs, aliases seen in cables, and tetragraphs.

The lists live in ``markings/data/*.csv`` (provenance in ``markings/data/README.md``) and
are read on first use, then cached; importing this module costs nothing.

Tetragraph membership is versioned: every member row has an optional ``valid_from`` and
``valid_to`` date, so :func:`tetragraph_members` answers "who belonged to TEYE on this
date" from the data, never from constants in code.
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = [
    "Tetragraph", "all_trigraphs", "country_code_for", "country_name", "expand_codes",
    "is_code", "is_tetragraph", "is_trigraph", "rel_sort_key", "sort_codes", "tetragraph",
    "tetragraph_members",
]


@dataclass(frozen=True)
class _Member:
    code: str
    valid_from: _dt.date | None
    valid_to: _dt.date | None  # exclusive

    def active(self, on: _dt.date | None) -> bool:
        if on is None:  # "now": the newest membership
            return self.valid_to is None
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on < self.valid_to


@dataclass(frozen=True)
class Tetragraph:
    """An organisation or coalition code (FVEY, NATO ...) with its dated membership."""

    code: str
    name: str
    decomposable: bool
    valid_from: _dt.date | None = None
    deprecated: _dt.date | None = None
    members: tuple[_Member, ...] = field(default=())

    def members_on(self, on: _dt.date | None = None) -> frozenset[str]:
        """Member trigraphs on date ``on`` (``None``: current membership)."""
        return frozenset(m.code for m in self.members if m.active(on))

    def is_deprecated(self, on: _dt.date | None = None) -> bool:
        if self.deprecated is None:
            return False
        return on is None or on >= self.deprecated


def _date(text: str) -> _dt.date | None:
    text = (text or "").strip()
    return _dt.date.fromisoformat(text) if text else None


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("markings.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _trigraphs() -> dict[str, tuple[str, str]]:
    """code -> (name, alpha2)."""
    return {r["code"]: (r["name"], r["alpha2"]) for r in _rows("trigraphs.csv")}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out = {r["alias"]: r["code"] for r in _rows("aliases.csv")}
    # ISO digraphs as a last resort; the explicit alias table wins (UK -> GBR is not ISO).
    for code, (_name, a2) in _trigraphs().items():
        if a2:
            out.setdefault(a2, code)
    return out


@lru_cache(maxsize=1)
def _tetragraphs() -> dict[str, Tetragraph]:
    members: dict[str, list[_Member]] = {}
    for r in _rows("tetragraph_members.csv"):
        members.setdefault(r["code"], []).append(
            _Member(r["member"], _date(r["valid_from"]), _date(r["valid_to"])))
    out = {}
    for r in _rows("tetragraphs.csv"):
        code = r["code"]
        out[code] = Tetragraph(
            code=code, name=r["name"], decomposable=r["decomposable"].strip().lower() == "yes",
            valid_from=_date(r["valid_from"]), deprecated=_date(r["deprecated"]),
            members=tuple(members.get(code, ())))
    return out


def _norm(code: str) -> str:
    return " ".join(code.strip().upper().split())


def is_trigraph(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or a US X-code (``XKS``, ``AX2``)."""
    return _norm(code) in _trigraphs()


# ISMCAT names NATO sub-bodies as ``NATO:<name>`` (catalogue 1.4); opaque in the roll-up.
_NATO_SUB = re.compile(r"NATO:[A-Z0-9][A-Z0-9_]*")


def is_tetragraph(code: str) -> bool:
    """True for a known organisation code (by table lookup, not by length; ``NATO:...``)."""
    c = _norm(code)
    return c in _tetragraphs() or (c[:5] == "NATO:" and _NATO_SUB.fullmatch(c) is not None)


def is_code(code: str) -> bool:
    """True for any valid REL TO / FGI code (trigraph or tetragraph)."""
    return is_trigraph(code) or is_tetragraph(code)


def all_trigraphs() -> frozenset[str]:
    return frozenset(_trigraphs())


def country_name(code: str) -> str | None:
    """English short name of a trigraph, or a tetragraph's name."""
    c = _norm(code)
    if c in _trigraphs():
        return _trigraphs()[c][0]
    t = _tetragraphs().get(c)
    return t.name if t else None


def tetragraph(code: str) -> Tetragraph | None:
    return _tetragraphs().get(_norm(code))


def tetragraph_members(code: str, as_of: _dt.date | None = None) -> frozenset[str]:
    """Member trigraphs of tetragraph ``code`` on ``as_of`` (``None``: current); empty if unknown."""
    t = _tetragraphs().get(_norm(code))
    return t.members_on(as_of) if t else frozenset()


def expand_codes(codes: object, as_of: _dt.date | None = None) -> frozenset[str]:
    """Replace every decomposable tetragraph with known members by its members on ``as_of``.

    Opaque tetragraphs (and decomposable ones without member data) stay as they are.
    """
    out: set[str] = set()
    for raw in codes:  # type: ignore[attr-defined]
        c = _norm(str(raw))
        t = _tetragraphs().get(c)
        mem = t.members_on(as_of) if t and t.decomposable else frozenset()
        if mem:
            out |= mem
        else:
            out.add(c)
    return frozenset(out)


def country_code_for(name: str) -> str | None:
    """The trigraph or tetragraph for a code, country name or digraph seen in cables.

    ``country_code_for("RUSSIA") == "RUS"``, ``country_code_for("UK") == "GBR"``,
    ``country_code_for("nato") == "NATO"``; ``None`` when unknown.
    """
    n = _norm(name.replace(",", " "))
    if not n:
        return None
    if n in _trigraphs() or is_tetragraph(n):
        return n
    hit = _aliases().get(n)
    if hit is None and n.startswith("THE "):
        hit = _aliases().get(n[4:])
    return hit


def rel_sort_key(code: str) -> tuple[int, str]:
    """Sort key for REL TO lists: USA first, then trigraphs, then tetragraphs, then unknown."""
    c = _norm(code)
    if c == "USA":
        return (0, c)
    if c in _trigraphs():
        return (1, c)
    if is_tetragraph(c):
        return (2, c)
    return (3, c)


def sort_codes(codes: object, *, usa_first: bool = True) -> tuple[str, ...]:
    """Codes in canonical order (REL TO order; ``usa_first=False`` for FGI and JOINT lists)."""
    uniq = {_norm(str(c)) for c in codes}  # type: ignore[attr-defined]
    if usa_first:
        return tuple(sorted(uniq, key=rel_sort_key))
    return tuple(sorted(uniq, key=lambda c: (rel_sort_key(c)[0] if c != "USA" else 1, c)))
