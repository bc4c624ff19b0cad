"""``json`` (one array) and ``json-lines`` (one object per line) outputs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from markings.findings import Finding
from markings.output import OutputContext, finding_dict


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render ``json`` or ``json-lines``."""
    if ctx.format == "json-lines":
        return "".join(json.dumps(finding_dict(f), ensure_ascii=False) + "\n" for f in findings)
    return json.dumps([finding_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
