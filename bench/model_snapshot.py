"""Dump the document model of every corpus cable, seed and test fixture, to prove that a
performance change keeps the models identical.

Usage::

    python bench/model_snapshot.py OUT.json [--limit N]
    python bench/model_snapshot.py --compare A.json B.json

Each file is read with :func:`markings.read.read_path` and built with
:func:`markings.scan.build`; the JSON maps the file's path (relative to its root) to the
model as :meth:`pydantic.BaseModel.model_dump` gives it in JSON mode (the text fields are
excluded by the model itself). Files under ``../shared/corpus/cables``, ``../shared/seeds``
and ``tests/fixtures`` are included when present. ``--compare`` prints the files whose
models differ (and the first differing key) and exits 1 when any do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _files(limit: int | None) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    roots = [ROOT.parent / "shared/corpus/cables", ROOT.parent / "shared/seeds",
             ROOT / "tests/fixtures"]
    for root in roots:
        if not root.is_dir():
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file()
                       and not p.name.endswith((".json", ".expected", ".yaml", ".toml")))
        for p in files[:limit]:
            out.append((f"{root.name}/{p.relative_to(root)}", p))
    return out


def snapshot(limit: int | None) -> dict[str, object]:
    from markings.read import ReadError, read_path
    from markings.scan import build

    out: dict[str, object] = {}
    for name, p in _files(limit):
        try:
            src = read_path(p)
        except ReadError as err:
            out[name] = {"read-error": str(err)}
            continue
        out[name] = build(src, path=name).model_dump(mode="json")
    return out


def _first_diff(a: object, b: object, where: str = "") -> str:
    if type(a) is not type(b):
        return where or "/"
    if isinstance(a, dict):
        assert isinstance(b, dict)
        for k in sorted(a.keys() | b.keys()):
            if a.get(k) != b.get(k):
                return _first_diff(a.get(k), b.get(k), f"{where}/{k}")
    if isinstance(a, list):
        assert isinstance(b, list)
        if len(a) != len(b):
            return f"{where} (length {len(a)} vs {len(b)})"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_diff(x, y, f"{where}/{i}")
    return where or "/"


def compare(a: Path, b: Path) -> int:
    from findings_snapshot import differing  # (bench/ is this script's sys.path[0])

    left, right, differ = differing(a, b)
    for name in differ[:20]:
        print(f"{name}: {_first_diff(left.get(name), right.get(name))}")
    print(f"{len(left)} vs {len(right)} files; {len(differ)} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(Path(args.compare[0]), Path(args.compare[1]))
    if not args.out:
        ap.error("OUT.json is required (or --compare A B)")
    data = snapshot(args.limit)
    Path(args.out).write_text(json.dumps(data, indent=0, ensure_ascii=False, sort_keys=True)
                              + "\n", encoding="utf-8")
    print(f"{len(data)} files -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
