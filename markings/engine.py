"""The rules engine: run the selected rules over a document model and collect findings.

Pipeline: read (``markings.read``) -> scan and parse (``markings.scan``) -> document model
(``markings.document``) -> rules (``markings.rules``) -> findings (reported by
``markings.output``). Bad input never breaks a batch: every failure to read or build a
document becomes an ``MK0xx`` finding for that file.
"""

from __future__ import annotations

import datetime as _dt
import time as _time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel

from markings import registry
from markings.config import Config
from markings.document import Document
from markings.findings import Finding, Report, Severity, Span, fingerprint, trusted_model
from markings.profiles import choose_profile
from markings.registry import Context, Hit, Rule, all_rules, rules_for_profiles
from markings.suppress import apply_suppressions


def profile_for(doc: Document, cfg: Config) -> str:
    """The marking profile for ``doc``: the configured one, or chosen by document style."""
    if cfg.profile != "auto":
        return cfg.profile
    return choose_profile(doc, cfg.settings)  # cables, ISOO-style documents, else capco


def _needed_rules(cfg: Config, profile: str) -> list[Rule]:
    """Registered rules, after importing the rule modules this configuration may run."""
    if cfg.selects_explicitly():  # selectors may name any rule of any profile
        return all_rules()
    profiles = [profile] if cfg.redaction_profile is None else [profile, cfg.redaction_profile]
    return rules_for_profiles(profiles)


# (registry version, profile, redaction profile, selection layers, per-file ignores) -> rules
_SELECTED: dict[tuple[object, ...], tuple[Rule, ...]] = {}
# (registry version, per-rule options) -> rule name -> options
_OPTIONS: dict[tuple[int, str], dict[str, BaseModel]] = {}
_CACHE_MAX = 256


def selected_rules(cfg: Config, profile: str, path: str | None = None) -> list[Rule]:
    """Rules to run for one document: the profile's, adjusted by the selection layers
    (configuration file, then command line; see :mod:`markings.selection`), minus the
    ``per-file-ignores`` matching ``path``."""
    return list(_selected_tuple(cfg, profile, path))


def _selected_tuple(cfg: Config, profile: str, path: str | None) -> tuple[Rule, ...]:
    """:func:`selected_rules` as the cached tuple itself (its identity keys _RUNNABLE)."""
    extra: list[str] = []
    if path is not None and cfg.per_file_ignores:
        from markings.discover import per_file_ignores  # globs relative to the config file

        extra = per_file_ignores(path, cfg)
    layers = cfg.selection_layers()
    # A hit means the rule modules this selection needs were imported when it was stored
    # (importing a module bumps the registry version, which is part of the key).
    hit = _SELECTED.get((registry._VERSION, profile, cfg.redaction_profile, tuple(layers),
                         tuple(extra)))
    return hit if hit is not None else _selected(cfg, profile, layers, extra)


def _selected(cfg: Config, profile: str, layers: list[object], extra: list[str]
              ) -> tuple[Rule, ...]:
    rules = _needed_rules(cfg, profile)
    key = (registry._VERSION, profile, cfg.redaction_profile, tuple(layers), tuple(extra))
    from markings.selection import resolve

    def base(r: Rule) -> bool:
        return profile in r.profiles or (
            cfg.redaction_profile is not None and cfg.redaction_profile in r.profiles)

    out = tuple(resolve(rules, layers, base, extra))  # type: ignore[arg-type]
    if len(_SELECTED) >= _CACHE_MAX:
        _SELECTED.clear()
    _SELECTED[key] = out
    return out


# (id of a selected-rules tuple, the facts its rules name) -> (that tuple, the rules that may
# fire)
_RUNNABLE: dict[tuple[int, frozenset[str]], tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}
# id of a selected-rules tuple -> (that tuple, every fact its rules' needs name)
_NAMED: dict[int, tuple[tuple[Rule, ...], frozenset[str]]] = {}


def runnable_rules(rules: tuple[Rule, ...], facts: frozenset[str]) -> tuple[Rule, ...]:
    """The rules of ``rules`` whose needs ``facts`` meet (:meth:`Rule.may_fire`), in order.

    Cached by the tuple's identity (the entry keeps it alive) and the facts that some need
    of these rules names (the others cannot change the answer): documents of one kind
    share a handful of such fact sets."""
    named = _NAMED.get(id(rules))
    if named is None or named[0] is not rules:
        if len(_NAMED) >= _CACHE_MAX:
            _NAMED.clear()
        names = frozenset(n for r in rules for clause in r.needs for n in clause)
        named = _NAMED[id(rules)] = (rules, names)
    facts = facts & named[1]
    key = (id(rules), facts)
    hit = _RUNNABLE.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    out = tuple(r for r in rules if r.may_fire(facts))
    if len(_RUNNABLE) >= _CACHE_MAX * 16:
        _RUNNABLE.clear()
    _RUNNABLE[key] = (rules, out)
    return out


def facts_for(doc: Document, ctx: Context) -> frozenset[str]:
    """What the engine matches the rules' needs against: the document's facts
    (:meth:`Document.facts`) and ``setting:<name>`` for each setting that is set (a true
    value): a rule that only works with a setting (``against``, ``analytic_product`` ...)
    needs it."""
    facts = doc.facts()
    settings = [k for k, v in ctx.settings.items() if v]
    if settings:
        facts = facts | frozenset("setting:" + k for k in settings)
    return facts


def _rule_options(cfg: Config, profile: str) -> dict[str, BaseModel]:
    """Every loaded rule's options under ``cfg`` (built once per configuration)."""
    options = _OPTIONS.get((registry._VERSION, repr(cfg.rules) if cfg.rules else ""))
    if options is None:  # (a hit: the same rule modules are loaded as when it was stored)
        rules = _needed_rules(cfg, profile)
        if cfg.rules and not set(cfg.rules) <= {r.name for r in rules}:
            rules = all_rules()  # options of a rule whose module is not loaded yet
        key = (registry._VERSION, repr(cfg.rules) if cfg.rules else "")
        options = {}
        for r in rules:
            if r.options is not None:
                options[r.name] = r.options(**cfg.rules.get(r.name, {}))
        if len(_OPTIONS) >= _CACHE_MAX:
            _OPTIONS.clear()
        _OPTIONS[key] = options
    return dict(options)


def make_context(cfg: Config, profile: str) -> Context:
    # the settings' fields as dict(cfg.settings) gives them (the model forbids extra keys,
    # so its __dict__ holds exactly its fields), without pydantic's iterator
    ctx = Context(profile=profile, today=cfg.today or _today(),
                  options=_rule_options(cfg, profile), settings=dict(cfg.settings.__dict__))
    if cfg.redaction_profile:
        ctx.settings.setdefault("redaction_profile", cfg.redaction_profile)
    return ctx


# (second of the clock, the local date then): the date only changes on a whole second
_TODAY: list[tuple[int, _dt.date]] = [(-1, _dt.date.min)]


def _today() -> _dt.date:
    """``datetime.date.today()``, read from the clock once per second (a check runs
    thousands of documents a second; each asked the system for the local date)."""
    sec = int(_time.time())
    got = _TODAY[0]
    if got[0] != sec:
        got = _TODAY[0] = (sec, _dt.date.fromtimestamp(sec))  # what date.today() gives
    return got[1]


def to_finding(rule: Rule, hit: Hit, path: str) -> Finding:
    sp = hit.span
    return Finding(
        code=rule.code, name=rule.name, severity=hit.severity or rule.severity,
        message=hit.message, path=path, line=sp.line, column=sp.column,
        end_line=sp.end_line, end_column=sp.end_column,
        fingerprint=fingerprint(path, rule.code, hit.key or hit.message),
        related=hit.related,
    )


_FINDING_FIELDS = frozenset(Finding.model_fields)


def _finding_of(rule: Rule, hit: Hit, path: str) -> Finding:
    """:func:`to_finding` without pydantic's validation, for the values it would keep as
    they are: the same ``__dict__`` (fields in declaration order) and fields-set as the
    validated model, so equality, hashing, dumps and pickling behave the same. A hit whose
    values validation would convert (a list of related spans, a plain-string severity, a
    message that is not a str) goes through :func:`to_finding`.
    (tests/test_engine_skip_rules.py compares both on every corpus finding.)"""
    sp = hit.span
    severity = hit.severity or rule.severity
    related = hit.related
    if (type(related) is not tuple or type(hit.message) is not str
            or type(severity) is not Severity or type(sp) is not Span
            or (related and any(type(r) is not Span for r in related))):
        return to_finding(rule, hit, path)
    return trusted_model(Finding, {
        "code": rule.code, "name": rule.name, "severity": severity, "message": hit.message,
        "path": path, "line": sp.line, "column": sp.column, "end_line": sp.end_line,
        "end_column": sp.end_column,
        "fingerprint": fingerprint(path, rule.code, hit.key or hit.message),
        "related": related}, set(_FINDING_FIELDS))


_DEFAULT: list[Config] = []


def _default_config() -> Config:
    """``Config()``, built once (the engine never changes a configuration)."""
    if not _DEFAULT:
        _DEFAULT.append(Config())
    return _DEFAULT[0]


def check_document(doc: Document, cfg: Config | None = None, *,
                   skip: bool = True) -> list[Finding]:
    """Run every selected rule on ``doc``; a crashing rule becomes an internal-error finding.

    Rules whose declared needs the document does not meet are skipped (they cannot report:
    see :attr:`markings.registry.Rule.needs`); ``skip=False`` runs them all, for the tests
    that prove it."""
    cfg = cfg or _default_config()
    # What the rules keep on the document (Document.memo) is dropped at the end unless the
    # caller had started a memo: it is only needed during the check, and kept on documents
    # that outlive it (an editor, a batch that holds its documents) it would be garbage
    # the collector walks again and again.
    own_memo = "_memo" not in doc.__dict__
    try:
        return _check(doc, cfg, skip)
    finally:
        if own_memo:
            doc.__dict__.pop("_memo", None)


def _check(doc: Document, cfg: Config, skip: bool) -> list[Finding]:
    profile = profile_for(doc, cfg)
    rules = _selected_tuple(cfg, profile, doc.path)
    ctx = make_context(cfg, profile)
    if skip:
        rules = runnable_rules(rules, facts_for(doc, ctx))
    findings: list[Finding] = []
    for r in rules:
        try:
            for hit in r.check(doc, ctx):
                findings.append(_finding_of(r, hit, doc.path))
        except Exception as exc:  # a broken rule must not break the batch
            findings.append(Finding(
                code="MK009", name="internal-error", severity=Severity.ERROR,
                message=f"Rule {r.code} ({r.name}) failed on this document: "
                        f"{type(exc).__name__}. Please report this as a bug.",
                path=doc.path, fingerprint=fingerprint(doc.path, "MK009", r.code)))
    findings = apply_suppressions(doc, findings, cfg)
    if len(findings) > 1:  # (a fresh list: ours, or the one apply_suppressions built)
        findings.sort(key=_sort_key)
    return findings


def _sort_key(f: Finding) -> tuple[str, int, int, str]:
    return f.sort_key


def _check_source(read: Callable[[], object], path: str, cfg: Config) -> Report:
    """Read (``read()`` returns a :class:`markings.read.Source`), build and check one
    document. Input problems and a scanner failure become findings: they never break a
    batch."""
    from markings.read import ReadError
    from markings.rules.inputs import input_finding
    from markings.scan import build

    try:
        src = read()
    except ReadError as err:
        return Report(findings=[input_finding(err, path)], files_checked=1)
    try:
        doc = build(src, path=path)
    except Exception as exc:  # defensive: the scanner must never break a batch
        f = Finding(code="MK009", name="internal-error", severity=Severity.ERROR,
                    message=f"Could not build a document model: {type(exc).__name__}. "
                            "Please report this as a bug.",
                    path=path, fingerprint=fingerprint(path, "MK009", "build"))
        return Report(findings=[f], files_checked=1)
    return Report(findings=check_document(doc, cfg), files_checked=1)


def check_text(text: str, path: str = "<text>", *, config: Config | None = None,
               form: str | None = None) -> Report:
    """Check a document given as a string; an empty, blank, binary or oversized string
    gives the same finding as such a file (MK002, MK003, MK004)."""
    from markings.read import check_input_text, source_from_text

    cfg = config or _default_config()

    def read() -> object:
        check_input_text(text, max_bytes=cfg.max_file_size)
        return source_from_text(text, path=path, form=form)

    return _check_source(read, path, cfg)


def check_file(path: str | Path, *, config: Config | None = None) -> Report:
    """Check one file; unreadable, binary, oversized or empty files give a finding."""
    from markings.read import read_path

    cfg = config or _default_config()
    p = str(path)
    return _check_source(lambda: read_path(p, max_bytes=cfg.max_file_size), p, cfg)


def check_bytes(data: bytes, path: str = "<stdin>", *, config: Config | None = None) -> Report:
    """Check a document given as bytes (standard input), decoded and checked as a file."""
    from markings.read import read_bytes

    cfg = config or _default_config()
    return _check_source(lambda: read_bytes(data, path, max_bytes=cfg.max_file_size),
                         path, cfg)


def inspect_file(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """The document model of one file (banners, portions, authority block, roll-up)."""
    from markings.read import read_path
    from markings.scan import build

    p = str(path)
    return build(read_path(p) if max_bytes is None else read_path(p, max_bytes=max_bytes),
                 path=p)


def check_files(files: Sequence[str], cfg: Config, *, jobs: int = 1,
                scheduler: str | None = None,
                progress: Callable[[int], None] | None = None) -> list[Finding]:
    """Check already-discovered files (in parallel when asked), then the cross-file checks.

    Findings come back sorted, so the output does not depend on ``jobs`` or ``scheduler``.
    """
    from markings.parallel import map_files

    findings: list[Finding] = []
    for rep in map_files(files, cfg, jobs, scheduler=scheduler, progress=progress):
        findings.extend(rep.findings)
    if cfg.redaction_profile:  # MK732 across files: withheld in one, present in another
        from markings.rules.redaction_consistency import batch_findings

        findings.extend(batch_findings(list(files), cfg))
    return sorted(findings, key=lambda f: f.sort_key)


def check_paths(paths: Iterable[str | Path], *, config: Config | None = None,
                jobs: int = 1, scheduler: str | None = None) -> Report:
    """Check files and directories (recursively); results in a stable order."""
    from markings.discover import discover

    cfg = config or Config()
    files = discover([str(p) for p in paths], cfg)
    return Report(findings=check_files(files, cfg, jobs=jobs, scheduler=scheduler),
                  files_checked=len(files))
