"""Baselines: accept today's findings, fail only on new ones.

A finding's identity is ``(path, code, fingerprint)``; the fingerprint hashes the marking
text, never the line, so findings survive edits that move them. Identical findings are
counted: a baseline with one ``(path, MK101, F)`` absorbs one such finding, not two. The
file is versioned JSON, written only by ``markings baseline`` (the hook only reads it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from markings.findings import Finding

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".markings-baseline.json"


class BaselineError(Exception):
    """The baseline file is missing, unreadable or of an unknown version."""


Key = tuple[str, str, str]


def _key(path: str, code: str, fp: str) -> Key:
    return (path.replace("\\", "/"), code, fp)


def baseline_dict(findings: Iterable[Finding]) -> dict[str, object]:
    """The JSON document for ``findings`` (sorted, so the file diffs well)."""
    from markings import __version__

    entries = sorted(
        ({"path": f.path.replace("\\", "/"), "code": f.code, "name": f.name,
          "fingerprint": f.fingerprint} for f in findings),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    return {"version": BASELINE_VERSION, "generated_by": f"markings {__version__}",
            "findings": entries}


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> int:
    """Write the baseline file; returns the number of entries."""
    data = baseline_dict(findings)
    Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return len(data["findings"])  # type: ignore[arg-type]


def load_baseline(path: str | Path) -> Counter[Key]:
    """The multiset of finding identities stored in a baseline file."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{p}: baseline file not found (create it with "
                            "`markings baseline`).") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{p}: cannot read the baseline: {exc}.") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{p}: unknown baseline version "
                            f"{data.get('version') if isinstance(data, dict) else None!r}; "
                            "regenerate it with `markings baseline`.")
    out: Counter[Key] = Counter()
    for e in data.get("findings", []):
        try:
            out[_key(str(e["path"]), str(e["code"]), str(e["fingerprint"]))] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"{p}: malformed baseline entry {e!r}.") from None
    return out


def filter_new(findings: Sequence[Finding], known: Counter[Key]) -> list[Finding]:
    """Findings not absorbed by the baseline, in their original order."""
    left = Counter(known)
    out = []
    for f in findings:
        k = _key(f.path, f.code, f.fingerprint)
        if left[k] > 0:
            left[k] -= 1
        else:
            out.append(f)
    return out
