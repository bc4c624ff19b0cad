"""Dump every finding of every corpus cable to JSON, to prove a change keeps findings identical.

Usage::

    python bench/findings_snapshot.py OUT.json [CORPUS_DIR] [--today YYYY-MM-DD]
                                      [--redaction-profile NAME] [--limit N]
    python bench/findings_snapshot.py --compare A.json B.json

Each cable is read with :func:`markings.read.read_path`, built with
:func:`markings.scan.build` and checked with :func:`markings.engine.check_document` under
a configuration whose ``today`` is pinned (default 2026-01-01), so that the date checks do
not move with the calendar. The JSON maps the cable's file name to its findings (code,
line, column, end line, end column, message, fingerprint, related spans), in the engine's
order. ``--compare`` prints the cables whose findings differ and exits 1 when any do.
Use it before and after a performance change: the two files must be equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def snapshot(corpus: Path, today: dt.date, redaction_profile: str | None,
             limit: int | None) -> dict[str, list[list[object]]]:
    from markings.config import Config
    from markings.engine import check_document
    from markings.read import read_path
    from markings.scan import build

    cfg = Config(today=today, redaction_profile=redaction_profile)
    files = sorted(corpus.glob("*.txt"))[:limit]
    out: dict[str, list[list[object]]] = {}
    for f in files:
        doc = build(read_path(f), path=f.name)
        out[f.name] = [
            [x.code, x.line, x.column, x.end_line, x.end_column, x.message, x.fingerprint,
             [[r.line, r.column, r.end_line, r.end_column] for r in x.related]]
            for x in check_document(doc, cfg)]
    return out


def differing(a: Path, b: Path) -> tuple[dict[str, object], dict[str, object], list[str]]:
    """The two snapshots (JSON objects by file name) and the names whose entries differ."""
    left = json.loads(a.read_text(encoding="utf-8"))
    right = json.loads(b.read_text(encoding="utf-8"))
    differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    return left, right, differ


def compare(a: Path, b: Path) -> int:
    left, right, differ = differing(a, b)
    for name in differ[:20]:
        print(f"{name}: {len(left.get(name) or [])} vs {len(right.get(name) or [])} findings")
    n = sum(len(v) for v in left.values())
    print(f"{len(left)} vs {len(right)} cables, {n} findings; {len(differ)} cables differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--today", default="2026-01-01")
    ap.add_argument("--redaction-profile", default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(Path(args.compare[0]), Path(args.compare[1]))
    if not args.out:
        ap.error("OUT.json is required (or --compare A B)")
    data = snapshot(Path(args.corpus), dt.date.fromisoformat(args.today),
                    args.redaction_profile, args.limit)
    Path(args.out).write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    print(f"{len(data)} cables, {sum(len(v) for v in data.values())} findings -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
