"""GitLab Code Quality report (a JSON array)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence

from markings.findings import Finding, Severity
from markings.output import OutputContext

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render the Code Quality array; fingerprints are unique and free of line numbers."""
    seen: Counter[str] = Counter()
    items = []
    for f in findings:
        n = seen[f.fingerprint]
        seen[f.fingerprint] += 1
        # GitLab needs unique fingerprints: repeated identical problems get an occurrence index.
        fp = hashlib.sha256(f"{f.fingerprint}:{n}".encode()).hexdigest()[:32]
        items.append({
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.name}",
            "fingerprint": fp,
            "severity": _SEVERITY[f.severity],
            "location": {"path": f.path,
                         "positions": {"begin": {"line": f.line, "column": f.column},
                                       "end": {"line": f.end_line, "column": f.end_column}}},
        })
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
