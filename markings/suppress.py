"""Inline suppressions in Markdown and HTML comments.

Grammar (inside an HTML comment, which Markdown also accepts)::

    <!-- markings: disable-next-line MK101, MK205 -- reason -->
    <!-- markings: disable-line MK101 -- reason -->
    <!-- markings: disable MK301 -- reason -->   ...   <!-- markings: enable MK301 -->

Codes (or rule names) are always required; there is no blanket suppression. A malformed
directive, an unknown code, a range never closed, a missing reason and a suppression that
suppresses nothing are findings of the ``MK9xx`` meta rules (:mod:`markings.rules.meta`).
Plain text has no comment syntax, so it has no inline suppressions: use
``per-file-ignores`` or a baseline. Meta findings themselves cannot be suppressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markings.config import Config
from markings.document import Document
from markings.findings import Finding

SUPPRESSIBLE_FORMS = frozenset({"markdown", "html"})
VERBS = ("disable-next-line", "disable-line", "disable", "enable")

# `<!-- markings: VERB CODES [-- reason] -->`; the reason separator is ` -- ` (or `--`
# directly before the comment end is simply the comment end, so `rest` never includes it).
DIRECTIVE_RE = re.compile(r"<!--\s*markings\s*:\s*(?P<verb>[A-Za-z-]*)(?P<rest>.*?)-->", re.S)
_SPLIT_RE = re.compile(r"[\s,]+")


@dataclass
class Directive:
    """One parsed suppression comment."""

    verb: str
    codes: list[str]
    reason: str
    start: int  # offsets of the whole comment
    end: int
    line: int
    end_line: int
    lines: tuple[int, int] = (0, -1)  # inclusive line range the directive covers
    used: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, key)


def _source_text(doc: Document) -> str:
    """The text holding the comments: the document as it was read (an HTML view blanks
    its comments). Never the file on disk: the text checked may have come from standard
    input, and a file of that name may say something else."""
    original = doc.original
    if original is not None and len(original) == len(doc.text):
        return original
    return doc.text


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)


def parse_directives(text: str) -> list[Directive]:
    """Every ``markings:`` directive in ``text`` with the lines it covers (not yet validated)."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    lines = text.split("\n")
    out: list[Directive] = []
    for m in DIRECTIVE_RE.finditer(text):
        verb = m.group("verb").lower()
        rest = m.group("rest")
        codes_part, sep, reason = rest.partition(" -- ")
        if not sep and rest.rstrip().endswith(" --"):
            codes_part, reason = rest.rstrip()[:-3], ""
        codes = [c for c in _SPLIT_RE.split(codes_part.strip()) if c]
        ln = _line_of(starts, m.start())
        eln = _line_of(starts, max(m.start(), m.end() - 1))
        d = Directive(verb=verb, codes=codes, reason=reason.strip(), start=m.start(),
                      end=m.end(), line=ln, end_line=eln)
        if verb == "disable-line":
            d.lines = (ln, eln)
        elif verb == "disable-next-line":
            nxt = eln + 1
            # The next line with content that is not itself only a directive.
            while nxt <= len(lines) and (not lines[nxt - 1].strip() or
                                         DIRECTIVE_RE.fullmatch(lines[nxt - 1].strip())):
                nxt += 1
            d.lines = (nxt, nxt)
        out.append(d)
    return out


def _resolve_ranges(directives: list[Directive], last_line: int) -> list[Directive]:
    """Pair ``disable``/``enable`` per code; returns unmatched ``disable`` directives."""
    open_: dict[str, Directive] = {}
    for d in directives:
        if d.verb == "disable":
            for c in d.codes:
                open_.setdefault(c.upper(), d)
            d.lines = (d.line, last_line)
        elif d.verb == "enable":
            for c in d.codes:
                opener = open_.pop(c.upper(), None)
                if opener is None:
                    d.problems.append(("MK902", f"`enable {c}` has no matching `disable {c}`. "
                                       "Remove it or add the `disable` above.", f"enable {c}"))
                else:
                    opener.used.setdefault(f"@end:{c.upper()}", d.end_line)
    unclosed = []
    for d in directives:
        if d.verb != "disable":
            continue
        ends = [v for k, v in d.used.items() if k.startswith("@end:")]
        if len(ends) < len(d.codes):
            unclosed.append(d)
    return unclosed


def apply_suppressions(doc: Document, findings: list[Finding], cfg: Config) -> list[Finding]:
    """Drop suppressed findings and add ``MK9xx`` findings for the directives themselves."""
    if doc.form not in SUPPRESSIBLE_FORMS:
        return findings
    text = _source_text(doc)
    if "markings" not in text or "<!--" not in text:
        return findings
    directives = parse_directives(text)
    if not directives:
        return findings
    from markings.registry import Hit, get_rule

    last_line = text.count("\n") + 1
    unclosed = _resolve_ranges(directives, last_line)
    for d in directives:
        if d.verb not in VERBS:
            d.problems.append(("MK902", f"Unknown suppression directive `{d.verb or '(none)'}`. "
                               "Use disable-next-line, disable-line, disable or enable.",
                               f"verb {d.verb}"))
            continue
        if not d.codes:
            d.problems.append(("MK902", f"Suppression `{d.verb}` names no rule. Codes are "
                               f"required, e.g. `{d.verb} MK101`.", f"{d.verb} nocodes"))
        for c in d.codes:
            if get_rule(c) is None:
                d.problems.append(("MK902", f"Suppression `{d.verb}` names unknown rule `{c}`. "
                                   "Use a code or name from `markings rules`.",
                                   f"{d.verb} {c}"))
        if d.verb != "enable" and d.codes and not d.reason:
            d.problems.append(("MK904", f"Suppression `{d.verb} {', '.join(d.codes)}` gives no "
                               "reason. Add one after ` -- `.", f"{d.verb} noreason"))
    for d in unclosed:
        # Per code: ranges still open at the end of the file.
        closed = {k[5:] for k in d.used if k.startswith("@end:")}
        for c in d.codes:
            if c.upper() not in closed:
                d.problems.append(("MK903", f"`disable {c}` is never closed, so it runs to the "
                                   f"end of the file. Add `<!-- markings: enable {c} -->`.",
                                   f"disable {c}"))
    # Ranges closed by an `enable` stop at that line.
    for d in directives:
        if d.verb == "disable":
            ends = [v for k, v in d.used.items() if k.startswith("@end:")]
            if ends and len(ends) == len(d.codes):
                d.lines = (d.line, max(ends))

    def names_for(code: str) -> set[str]:
        r = get_rule(code)
        return {code.upper()} | ({r.code, r.name} if r is not None else set())

    def covering(f: Finding) -> Directive | None:
        for d in directives:
            if d.verb == "enable" or not (d.lines[0] <= f.line <= d.lines[1]):
                continue
            if d.verb == "disable":
                # A code closed earlier than the range's overall end stops at its own enable.
                end = d.used.get(f"@end:{f.code}")
                if end is None:
                    r = get_rule(f.code)
                    end = d.used.get(f"@end:{r.name.upper()}") if r else None
                if end is not None and f.line > end:
                    continue
            for c in d.codes:
                if f.code in names_for(c) or f.name in names_for(c):
                    d.used[c] = d.used.get(c, 0) + 1
                    return d
        return None

    kept = [f for f in findings if f.code.startswith("MK9") or covering(f) is None]

    from markings.engine import profile_for, selected_rules, to_finding

    selected = {r.code: r for r in selected_rules(cfg, profile_for(doc, cfg), doc.path)}
    meta: list[Finding] = []
    for d in directives:
        if d.verb in ("disable-next-line", "disable-line", "disable"):
            for c in d.codes:
                r = get_rule(c)
                if r is None or r.code not in selected or d.used.get(c):
                    continue
                d.problems.append(("MK901", f"Suppression `{d.verb} {c}` suppresses nothing. "
                                   "Remove it.", f"{d.verb} {r.code}"))
        span = doc.span(d.start, d.end)
        for code, message, key in d.problems:
            r = selected.get(code)
            if r is not None:
                meta.append(to_finding(r, Hit(span=span, message=message, key=key), doc.path))
    return kept + meta
