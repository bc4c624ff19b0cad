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
Registration is explicit: :data:`markings.rules.MODULES` lists the modules to import;
:func:`all_rules` imports all of them, :func:`rules_for_profiles` only those that may hold
rules of the given profiles (:data:`markings.rules.MODULE_PROFILES`).
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

    def __init__(self, span: Span, message: str, key: str = "",
                 severity: Severity | None = None, related: tuple[Span, ...] = ()) -> None:
        # The generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__ (1.5 us per hit); filling the instance dict directly is what
        # it amounts to (the fields in declaration order; dataclass keeps this __init__).
        d = self.__dict__
        d["span"] = span
        d["message"] = message
        d["key"] = key
        d["severity"] = severity
        d["related"] = related


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
    # What a document must hold for the rule to report anything: every clause (a set of
    # fact names, see markings.document.document_facts) must meet the document's facts.
    # The engine skips the rule otherwise; () means "always run".
    needs: tuple[frozenset[str], ...] = ()

    def may_fire(self, facts: frozenset[str]) -> bool:
        """False when ``facts`` lack one of :attr:`needs` (the rule cannot report)."""
        for clause in self.needs:
            if clause.isdisjoint(facts):
                return False
        return True

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name

    @property
    def family(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]


# A fact no document has: the need of a rule that never reports from its check function
# (its findings are made elsewhere: input problems, suppressions, internal errors).
NEVER = "<never>"

_RULES: dict[str, Rule] = {}
_CODE_RE = re.compile(r"^MK\d{3}$")
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def rule(code: str, name: str, severity: Severity | str, *, catalogue: str | None = None,
         profiles: Iterable[str] = MARKING_PROFILES,
         options: type[BaseModel] | None = None,
         needs: Iterable[str | Iterable[str]] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check. ``name`` must be the catalogue slug when ``catalogue`` is given.

    ``needs``: facts of the document (:func:`markings.document.document_facts`) without
    which the check reports nothing, so that the engine need not run it. Each item is one
    fact name, or a collection of names of which one is enough; all items must hold, e.g.
    ``needs=("top-banner", ("FOUO", "SBU"))``: a parsed top banner, and FOUO or SBU in
    some marking."""
    if not _CODE_RE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if not _NAME_RE.match(name):
        raise ValueError(f"bad rule name {name!r}")

    def deco(fn: CheckFn) -> CheckFn:
        for other in _RULES.values():
            if ((other.code == code or other.name == name) and other.check is not fn
                    and other.check.__qualname__ != fn.__qualname__):
                raise ValueError(f"duplicate rule {code} {name} (clashes with {other.code})")
        r = Rule(code=code, name=name, severity=Severity(severity), check=fn,
                 catalogue=catalogue, profiles=frozenset(profiles), options=options,
                 needs=tuple(frozenset((n,) if isinstance(n, str) else n) for n in needs))
        _check_module_profiles(r)
        global _VERSION
        _RULES[code] = r
        _SORTED.clear()
        _VERSION += 1
        return fn

    return deco


def _check_module_profiles(r: Rule) -> None:
    """A rule must stay inside its module's declared profiles (lazy imports rely on it)."""
    from markings.rules import MODULE_PROFILES

    declared = MODULE_PROFILES.get(r.check.__module__)
    if declared is not None and not r.profiles <= declared:
        raise ValueError(f"rule {r.code} has profiles {sorted(r.profiles - declared)} not "
                         f"declared for {r.check.__module__} in markings.rules.MODULE_PROFILES")


_VERSION = 0  # bumped on every registration (the engine's selection caches key on it)

# Sorted view of _RULES, rebuilt after a registration: {"": [rules sorted by code]}.
_SORTED: dict[str, list[Rule]] = {}


def _sorted_rules() -> list[Rule]:
    out = _SORTED.get("")
    if out is None:
        out = _SORTED[""] = sorted(_RULES.values(), key=lambda r: r.code)
    return out


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports the explicit module list once)."""
    from markings.rules import all_imported, import_modules

    if not all_imported():
        import_modules()
    return list(_sorted_rules())


def rules_for_profiles(profiles: Iterable[str]) -> list[Rule]:
    """Registered rules, sorted by code, after importing every rule module that may hold
    rules of ``profiles`` (and every module not restricted to some profiles).

    The result can hold rules of other profiles too; callers filter by :attr:`Rule.profiles`.
    Every rule that belongs to one of ``profiles`` is in it.
    """
    from markings.rules import all_imported, import_modules

    if not all_imported():
        import_modules(profiles)
    return list(_sorted_rules())


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
