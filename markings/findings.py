"""Findings: what a check reports, and the report of a whole run.

A finding names its rule (``MKnnn`` code and kebab-case name), its severity, a message that
states the fact, the evidence and the fix, and a 1-based span (end column exclusive, as in
SARIF and Lark). Its fingerprint is independent of line numbers, so a baseline survives edits
that move a marking around.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Severity(str, Enum):
    """How bad a finding is; ordered ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Span(BaseModel):
    """A region of a document: 0-based offsets plus 1-based line/column (end exclusive)."""

    model_config = ConfigDict(frozen=True)

    start: int = 0
    end: int = 0
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1


_SPAN_FIELDS = frozenset(Span.model_fields)
# the fields-set of every span built here (all fields given), one set shared by all: pydantic
# copies a model's set before it adds to it, and never adds to a frozen model's
_SPAN_FIELDS_SET = set(_SPAN_FIELDS)


def make_span(start: int, end: int, line: int, column: int, end_line: int,
              end_column: int) -> Span:
    """``Span(start=..., ..., end_column=...)`` for ints the caller computed itself (offsets
    and a line index), without running pydantic's validator, which would keep them as they
    are: the same ``__dict__`` and fields-set as the validated model, so equality, hashing,
    copies, dumps and pickling behave the same. The scanner and ``Document.span`` build
    tens of thousands of spans per corpus pass; validation was most of their cost."""
    return trusted_model(Span, {"start": start, "end": end, "line": line, "column": column,
                                "end_line": end_line, "end_column": end_column},
                         _SPAN_FIELDS_SET)


_new = object.__new__
_ModelT = TypeVar("_ModelT", bound=BaseModel)
_set = object.__setattr__
# the instance slots a model built without validation is given
MODEL_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__",
               "__pydantic_private__")


def instance_slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of the descriptor of each of :data:`MODEL_SLOTS` that an instance of
    ``cls`` has (the first class of its MRO that holds one): ``object.__setattr__(obj,
    name, value)`` looks that descriptor up and calls it; called directly, the look-up and
    the generic setattr are skipped (tests/test_scan_fast_equivalence.py). Each must be a
    data descriptor of a slot (``__dict__`` or a member), else ``object.__setattr__`` is
    returned in its place (with the name bound)."""
    out: list[Callable[[Any, Any], None]] = []
    for name in MODEL_SLOTS:
        desc = next((vars(k)[name] for k in cls.__mro__ if name in vars(k)), None)
        if type(desc).__name__ in ("member_descriptor", "getset_descriptor"):
            out.append(desc.__set__)
        else:  # pragma: no cover - pydantic models have these slots
            out.append(lambda obj, value, _name=name: _set(obj, _name, value))
    return tuple(out)


# every pydantic model has BaseModel's four slots (no model redefines them)
_set_dict, _set_fields_set, _set_extra, _set_private = instance_slot_setters(BaseModel)


def trusted_model(cls: type[_ModelT], values: dict[str, Any], fields_set: set[str]) -> _ModelT:
    """An instance of the pydantic model ``cls`` built without validation: ``values`` is its
    ``__dict__`` (every field, in declaration order, as validation would leave it) and
    ``fields_set`` its fields-set (may be shared between instances: pydantic copies a model's
    set before it adds to it). The one place the scanner, the parser and the engine build
    models from values they already know valid; the instance slots are set through their
    descriptors, as ``object.__setattr__`` sets them (frozen models refuse their own
    ``__setattr__``). Callers prove equality with the validated model in their tests."""
    m = _new(cls)
    _set_dict(m, values)
    _set_fields_set(m, fields_set)
    _set_extra(m, None)
    _set_private(m, None)
    return m  # type: ignore[no-any-return]


class Finding(BaseModel):
    """One problem found in one document."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    fingerprint: str = ""
    related: tuple[Span, ...] = Field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def fingerprint(path: str, code: str, key: str) -> str:
    """Stable identity of a finding: path + code + the normalised marking text (no lines)."""
    sha256 = _SHA256[0] if _SHA256 else _load_sha256()
    norm = " ".join(key.split()).upper()
    return sha256(f"{path}\0{code}\0{norm}".encode()).hexdigest()[:16]


# hashlib.sha256 once imported: imported on the first fingerprint, not with this module (a
# clean run never needs it: start-up time), and not looked up again per finding
_SHA256: list[Callable[[bytes], Any]] = []


def _load_sha256() -> Callable[[bytes], Any]:
    import hashlib

    _SHA256.append(hashlib.sha256)
    return hashlib.sha256


class Report(BaseModel):
    """The result of checking one or more documents."""

    findings: list[Finding] = Field(default_factory=list)
    files_checked: int = 0

    def max_severity(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def sorted(self) -> Report:
        return Report(findings=sorted(self.findings, key=lambda f: f.sort_key),
                      files_checked=self.files_checked)
