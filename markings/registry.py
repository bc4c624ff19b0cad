"""The rule registry: every check markings can run, with its code, name and documentation.

A rule is a function ``check(doc, ctx) -> Iterable[Hit]`` decorated with :func:`rule`. The
engine turns each :class:`Hit` into a :class:`markings.findings.Finding` (adding code, name,
severity, path and fingerprint), so rule modules stay small and never format findings.

The rule's docstring is its user documentation (``markings rule MK101`` and
``docs/rules/``): first line a summary, then ``What it checks``, ``Why``, ``Example``,
``Fix`` sections in Markdown.

Codes: ``MK0xx`` input and parse problems, ``MK1xx`` catalogue group A (roll-up and
consistency: A01 -> MK101), ``MK2xx`` group B (syntax: B01 -> MK201), ``MK3xx`` group C
(presence), ``MK4xx`` group D (declassification), ``MK5xx`` group E (State cables),
``MK6xx`` group F (DoD/ISOO), ``MK7xx`` redaction and release, ``MK9xx`` meta (suppressions).
Registration is explicit: :data:`markings.rules.MODULES` lists the modules to import.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from markings.findings import Severity, Span

if TYPE_CHECKING:
    from markings.document import Document

MARKING_PROFILES = ("capco", "state-cable", "isoo")
REDACTION_PROFILES = ("cables", "foia", "declass", "archival")
ALL_MARKING = frozenset(MARKING_PROFILES)


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the engine adds the rule's identity and the document path."""

    span: Span
    message: str
    key: str = ""  # identity for the fingerprint (normalised marking text); never line numbers
    severity: Severity | None = None  # overrides the rule's default (context-dependent checks)
    related: tuple[Span, ...] = ()


@dataclass
class Context:
    """What a rule may know beyond the document: options, profile, the evaluation date."""

    profile: str = "capco"
    today: _dt.date = field(default_factory=_dt.date.today)
    options: dict[str, BaseModel] = field(default_factory=dict)  # rule name -> options
    settings: dict[str, Any] = field(default_factory=dict)  # outside facts from configuration

    def opts(self, rule_name: str) -> Any:
        return self.options.get(rule_name) or _default_options(rule_name)


CheckFn = Callable[["Document", Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: CheckFn
    catalogue: str | None = None  # "A01" when the rule implements a catalogue check
    profiles: frozenset[str] = ALL_MARKING
    options: type[BaseModel] | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name

    @property
    def family(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]


_RULES: dict[str, Rule] = {}
_CODE_RE = re.compile(r"^MK\d{3}$")
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def rule(code: str, name: str, severity: Severity | str, *, catalogue: str | None = None,
         profiles: Iterable[str] = MARKING_PROFILES,
         options: type[BaseModel] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register a check. ``name`` must be the catalogue slug when ``catalogue`` is given."""
    if not _CODE_RE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if not _NAME_RE.match(name):
        raise ValueError(f"bad rule name {name!r}")

    def deco(fn: CheckFn) -> CheckFn:
        for other in _RULES.values():
            if (other.code == code or other.name == name) and other.check is not fn:
                if other.check.__qualname__ != fn.__qualname__:
                    raise ValueError(f"duplicate rule {code} {name} (clashes with {other.code})")
        _RULES[code] = Rule(code=code, name=name, severity=Severity(severity), check=fn,
                            catalogue=catalogue, profiles=frozenset(profiles), options=options)
        return fn

    return deco


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports the explicit module list once)."""
    import markings.rules  # noqa: F401  (explicit registration list)

    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code_or_name: str) -> Rule | None:
    all_rules()
    key = code_or_name.strip()
    if key.upper() in _RULES:
        return _RULES[key.upper()]
    for r in _RULES.values():
        if r.name == key.lower():
            return r
    return None


def _default_options(rule_name: str) -> Any:
    for r in _RULES.values():
        if r.name == rule_name and r.options is not None:
            return r.options()
    return None
