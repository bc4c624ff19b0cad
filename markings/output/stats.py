"""``--statistics``: one line (or object) per rule with a count."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from markings.findings import Finding
from markings.output import OutputContext, footer


def statistics(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """Counts per rule, most frequent first, then by code."""
    counts = Counter((f.code, f.name) for f in findings)
    return [{"code": c, "name": n, "count": k}
            for (c, n), k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]


#: Formats that can show statistics (as ruff: a table in the human formats, a JSON array in
#: ``json``; here also one object per line in ``json-lines``). SARIF, GitHub annotations,
#: GitLab Code Quality and JUnit have no place for counts: a usage error.
STATISTICS_FORMATS = ("full", "concise", "json", "json-lines")


def render_statistics(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """A table and the footer (``full``, ``concise``), a JSON array (``json``) or one JSON
    object per line (``json-lines``); other formats raise ValueError."""
    rows = statistics(findings)
    if ctx.format not in STATISTICS_FORMATS:
        raise ValueError(f"--statistics cannot be written as {ctx.format}")
    if ctx.format == "json":
        return json.dumps(rows, indent=2) + "\n"
    if ctx.format == "json-lines":
        return "".join(json.dumps(r) + "\n" for r in rows)
    width = max((len(str(r["count"])) for r in rows), default=1)
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['name']}" for r in rows]
    if not ctx.quiet:
        lines.append(footer(findings, len(ctx.files)))
    return "\n".join(lines) + "\n"
