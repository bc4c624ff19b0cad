"""Baselines: accept today's findings, fail only on new ones.

A finding's identity is ``(path, code, fingerprint)``; the fingerprint hashes the marking
text, never the line, so findings survive edits that move them. Paths are stored relative
to the baseline file's directory, so ``check`` finds the same identities from any working
directory. Identical findings are counted: a baseline with one ``(path, MK101, F)`` absorbs
one such finding, not two. The file is versioned JSON, written only by ``markings
baseline`` (the hook only reads it).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from markings.findings import Finding

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".markings-baseline.json"
# Never recorded in a baseline nor absorbed by one: an internal error (a crashing rule) is a
# bug in markings, not a property of the document to accept.
NEVER_BASELINED = frozenset({"MK009"})


class BaselineError(Exception):
    """The baseline file is missing, unreadable or of an unknown version."""


Key = tuple[str, str, str]


def entry_path(path: str, root: str | None = None) -> str:
    """How a finding's path is stored: relative to ``root`` (the baseline file's directory)
    with POSIX slashes, so the baseline works from any working directory."""
    if root is None or path.startswith("<"):
        return path.replace("\\", "/")
    ab = os.path.abspath(path)
    try:
        rel = os.path.relpath(ab, root)
    except ValueError:  # another drive on Windows
        rel = ab
    return rel.replace(os.sep, "/").replace("\\", "/")


def _key(path: str, code: str, fp: str) -> Key:
    return (path.replace("\\", "/"), code, fp)


def baseline_dict(findings: Iterable[Finding], root: str | None = None) -> dict[str, object]:
    """The JSON document for ``findings`` (sorted, so the file diffs well); paths relative
    to ``root`` (see :func:`entry_path`)."""
    from markings import __version__

    entries = sorted(
        ({"path": entry_path(f.path, root), "code": f.code, "name": f.name,
          "fingerprint": f.fingerprint} for f in findings if f.code not in NEVER_BASELINED),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    return {"version": BASELINE_VERSION, "generated_by": f"markings {__version__}",
            "findings": entries}


def baseline_text(findings: Iterable[Finding], root: str | None = None) -> tuple[str, int]:
    """The baseline file's text and its number of entries."""
    data = baseline_dict(findings, root)
    return json.dumps(data, indent=2) + "\n", len(data["findings"])  # type: ignore[arg-type]


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> int:
    """Write the baseline file (paths relative to its directory); returns the entry count."""
    root = os.path.dirname(os.path.abspath(path))
    text, n = baseline_text(findings, root)
    Path(path).write_text(text, encoding="utf-8")
    return n


class Baseline(Counter[Key]):
    """The multiset of finding identities of a baseline file, and the file's directory
    (``root``), which the stored paths are relative to."""

    root: str | None = None


def load_baseline(path: str | Path) -> Baseline:
    """The finding identities stored in a baseline file."""
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
    out = Baseline()
    out.root = os.path.dirname(os.path.abspath(p))
    for e in data.get("findings", []):
        try:
            out[_key(str(e["path"]), str(e["code"]), str(e["fingerprint"]))] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"{p}: malformed baseline entry {e!r}.") from None
    return out


def filter_new(findings: Sequence[Finding], known: Counter[Key],
               root: str | None = None) -> list[Finding]:
    """Findings not absorbed by the baseline, in their original order (internal errors,
    :data:`NEVER_BASELINED`, are never absorbed).

    ``root`` is the baseline file's directory (default: ``known.root`` for a loaded
    :class:`Baseline`): finding paths (relative to the working directory) are compared
    relative to it, as :func:`baseline_dict` stores them.
    """
    if root is None:
        root = getattr(known, "root", None)
    left = Counter(known)
    out = []
    for f in findings:
        k = _key(entry_path(f.path, root), f.code, f.fingerprint)
        if left[k] > 0 and f.code not in NEVER_BASELINED:
            left[k] -= 1
        else:
            out.append(f)
    return out
