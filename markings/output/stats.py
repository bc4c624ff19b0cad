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


def render_statistics(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Machine formats get a JSON array; every other format a table and the footer."""
    rows = statistics(findings)
    if ctx.format in ("json", "json-lines", "sarif", "gitlab", "junit"):
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(r["count"])) for r in rows), default=1)
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['name']}" for r in rows]
    if not ctx.quiet:
        lines.append(footer(findings, len(ctx.files)))
    return "\n".join(lines) + "\n"
