"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding."""

from __future__ import annotations

from collections.abc import Sequence

from markings.findings import Finding, Severity
from markings.output import OutputContext, printable

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    """Escape a command's message (``%``, CR, LF)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Escape a command property value (also ``:`` and ``,``)."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render workflow annotation commands."""
    out = []
    for f in findings:
        props = ",".join([
            f"file={escape_property(f.path)}", f"line={f.line}", f"col={f.column}",
            f"endLine={f.end_line}", f"endColumn={f.end_column}",
            f"title={escape_property(f'markings ({f.code})')}"])
        # the log line shows the message: control characters (ESC, bidi overrides) written as
        # escapes; the file property keeps the real path so the annotation lands on the file
        text = f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"
        msg = escape_data("\n".join(printable(x) for x in text.split("\n")))
        out.append(f"::{_LEVEL[f.severity]} {props}::{msg}\n")
    return "".join(out)
