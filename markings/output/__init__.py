"""Output formats: one small module per format, each a ``render(findings, ctx) -> str``.

Human formats (``full``, ``concise``) end with a "Found N findings" footer; machine formats
never print anything but their document. Messages never contain document prose, and no
format emits source snippets except ``full``, which shows the marking tokens alone.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markings.findings import Finding, Severity

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")
HUMAN_FORMATS = frozenset({"full", "concise"})

_MODULES = {
    "full": "markings.output.text", "concise": "markings.output.text",
    "json": "markings.output.json", "json-lines": "markings.output.json",
    "sarif": "markings.output.sarif", "github": "markings.output.github",
    "gitlab": "markings.output.gitlab", "junit": "markings.output.junit",
}


@dataclass
class OutputContext:
    """What a formatter may know besides the findings."""

    format: str = "full"
    files: Sequence[str] = ()  # every file checked, in order
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    # path -> file text, for the marking excerpt in `full` (None when unavailable)
    source: Callable[[str], str | None] | None = None
    extra: dict[str, object] = field(default_factory=dict)


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """The report in ``ctx.format``; statistics instead of findings when asked."""
    if ctx.format not in _MODULES:
        raise ValueError(f"unknown output format {ctx.format!r}")
    if ctx.statistics:
        from markings.output.stats import render_statistics

        return render_statistics(findings, ctx)
    mod = importlib.import_module(_MODULES[ctx.format])
    return mod.render(findings, ctx)  # type: ignore[no-any-return]


# C0 (but tab) and C1 control characters and DEL, and the bidirectional embedding / override /
# isolate controls (which reorder what a terminal shows: "Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff\ufffe\uffff]")


def _escape_char(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(s: str) -> str:
    """``s`` with control characters written as escapes (``\\x1b``, ``\\u202e``): a file
    name or a quoted token must never send terminal control sequences, nor make an XML
    report invalid. Text without such characters is returned unchanged."""
    return _UNPRINTABLE.sub(_escape_char, s) if _UNPRINTABLE.search(s) else s


def finding_dict(f: Finding) -> dict[str, object]:
    """The documented JSON shape of one finding (json, json-lines)."""
    return {
        "code": f.code, "name": f.name, "severity": f.severity.value, "message": f.message,
        "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
        "end_column": f.end_column, "fingerprint": f.fingerprint,
        "related": [{"line": s.line, "column": s.column, "end_line": s.end_line,
                     "end_column": s.end_column} for s in f.related],
    }


def footer(findings: Sequence[Finding], files: int) -> str:
    """``Found 3 findings (1 error, 2 warnings) in 2 files.`` or ``All checks passed (...)``."""
    checked = f"{files} file{'s' if files != 1 else ''}"
    if not findings:
        return f"All checks passed ({checked} checked)."
    n = len(findings)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    text = f"Found {n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {checked}"
    return text + "."
