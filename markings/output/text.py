"""Human formats: ``full`` (default; marking excerpt with carets, colour on a TTY) and
``concise`` (``path:line:col: CODE message``)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from markings.findings import Finding, Severity
from markings.output import OutputContext, footer, printable

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_EXCERPT_MAX = 80


def _excerpt(f: Finding, ctx: OutputContext, cache: dict[str, list[str] | None]) -> \
        tuple[str, int] | None:
    """The marking tokens of the finding's first line (never the surrounding prose)."""
    if ctx.source is None or f.end_line < f.line:
        return None
    if f.path not in cache:
        text = ctx.source(f.path)
        cache[f.path] = text.split("\n") if text is not None else None
    lines = cache[f.path]
    if not lines or f.line > len(lines):
        return None
    line = lines[f.line - 1].rstrip("\r")
    start = f.column - 1
    end = f.end_column - 1 if f.end_line == f.line else len(line)
    piece = line[start:end]
    if not piece.strip() or end <= start:
        return None
    # Show only text the message already quotes (a marking token): a span over prose, such
    # as an unmarked paragraph, must never be echoed, because documents may be sensitive.
    if f"`{piece.strip()}`" not in f.message:
        return None
    if len(piece) > _EXCERPT_MAX:
        piece = piece[:_EXCERPT_MAX - 1] + "…"
    if printable(piece) != piece:  # carets under escapes would not line up: no excerpt
        return None
    return piece, len(piece)


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render ``full`` or ``concise``."""
    if ctx.format == "concise":
        lines = [f"{printable(f.path)}:{f.line}:{f.column}: {f.code} {printable(f.message)}"
                 for f in findings]
        if not ctx.quiet:
            lines.append(footer(findings, len(ctx.files)))
        return "\n".join(lines) + ("\n" if lines else "")
    return _full(findings, ctx)


def _full(findings: Sequence[Finding], ctx: OutputContext) -> str:
    cache: dict[str, list[str] | None] = {}
    blocks: list[list[tuple[str, str]]] = []  # (text, rich style) segments per line
    for f in findings:
        head = [(f"{printable(f.path)}:{f.line}:{f.column}: ", "bold"),
                (f"{f.code} ", _STYLE[f.severity]),
                (f"[{f.name}] ", "dim"), (f"{f.severity.value}: ", _STYLE[f.severity]),
                (printable(f.message), "")]
        block = [head]
        ex = None if ctx.quiet else _excerpt(f, ctx, cache)
        if ex is not None:
            piece, width = ex
            gutter = f"{f.line:>5} | "
            block.append([(gutter, "blue"), (piece, "underline")])
            block.append([(" " * 6 + "| ", "blue"), ("^" * width, _STYLE[f.severity])])
        blocks.append(block)  # type: ignore[arg-type]
    tail = None if ctx.quiet else footer(findings, len(ctx.files))
    if not ctx.color:
        out = []
        for block in blocks:
            out.extend("".join(t for t, _ in seg) for seg in block)  # type: ignore[misc]
            if len(block) > 1:
                out.append("")
        if tail:
            out.append(tail)
        return "\n".join(out) + ("\n" if out else "")
    try:
        from rich.console import Console
        from rich.text import Text
    except ImportError:  # colour is optional
        return _full(findings, OutputContext(**{**ctx.__dict__, "color": False}))
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=10_000,
                      highlight=False, soft_wrap=True)
    for block in blocks:
        for seg in block:
            console.print(Text.assemble(*seg))  # type: ignore[arg-type]
        if len(block) > 1:
            console.print()
    if tail:
        console.print(Text(tail, style="bold"))
    return buf.getvalue()
