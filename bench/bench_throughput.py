"""Throughput of the whole pipeline (read + scan + parse + model) on the cable corpus.

Usage::

    python bench/bench_throughput.py [CORPUS_DIR] [--repeat N] [--rules]

Runs in one process (one core): every ``*.txt`` file of the corpus is read with
:func:`markings.read.read_path` and built with :func:`markings.scan.build`; ``--rules``
also runs :func:`markings.engine.check_document`. Prints MB/s (bytes of the files read) per CPU second of this process, so the figure
holds on a shared machine; the wall time is printed too.
The first pass warms the parser; the best of ``--repeat`` timed passes is reported, with
the parse cache cleared before each pass so repeated markings are parsed once per pass.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markings.read import read_path
from markings.scan import build


def one_pass(files: list[Path], rules: bool,
             stages: list[float] | None = None) -> tuple[int, float]:
    """Bytes processed and seconds for one pass over ``files``; ``stages`` (``--stages``)
    receives the CPU seconds of reading, building and checking apart."""
    from markings import scan

    scan._parse_cache.clear()
    try:
        from markings.parse import parse_cache_clear

        parse_cache_clear()
    except ImportError:
        pass
    check = None
    if rules:
        from markings.engine import check_document

        check = check_document
    n = 0
    if stages is not None:
        return _staged_pass(files, check, stages)
    t0 = time.process_time()  # CPU time of this process: robust when the machine is shared
    for f in files:
        src = read_path(f)
        n += len(src.original.encode("utf-8"))
        doc = build(src, path=str(f))
        if check is not None:
            check(doc)
    return n, time.process_time() - t0


def _staged_pass(files: list[Path], check: object, stages: list[float]) -> tuple[int, float]:
    """The same pass, with the CPU time of each stage taken apart (read, build, rules)."""
    clock = time.process_time
    n = 0
    t_read = t_build = t_rules = 0.0
    t0 = clock()
    for f in files:
        a = clock()
        src = read_path(f)
        n += len(src.original.encode("utf-8"))
        b = clock()
        doc = build(src, path=str(f))
        c = clock()
        if check is not None:
            check(doc)  # type: ignore[operator]
        d = clock()
        t_read += b - a
        t_build += c - b
        t_rules += d - c
    stages[:] = [t_read, t_build, t_rules]
    return n, clock() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rules", action="store_true")
    ap.add_argument("--stages", action="store_true",
                    help="also print the CPU seconds of reading, building and the rules "
                         "apart (best pass; the clock calls add a little to the total)")
    args = ap.parse_args(argv)
    files = sorted(Path(args.corpus).glob("*.txt"))
    if not files:
        print(f"no .txt files under {args.corpus}", file=sys.stderr)
        return 2
    one_pass(files[:50], args.rules)  # warm-up: builds the parser once
    best = None
    best_stages: list[float] = []
    w0 = time.perf_counter()
    for _ in range(max(1, args.repeat)):
        stages: list[float] | None = [] if args.stages else None
        n, dt = one_pass(files, args.rules, stages)
        if best is None or dt < best:
            best_stages = stages or []
        best = dt if best is None else min(best, dt)
    wall = (time.perf_counter() - w0) / max(1, args.repeat)
    assert best is not None
    print(f"{len(files)} files, {n / 1e6:.1f} MB, best of {args.repeat}: {best:.2f} s CPU "
          f"({wall:.2f} s wall on average) "
          f"= {n / 1e6 / best:.1f} MB/s per core ({len(files) / best:.0f} files/s)"
          + (" incl. rules" if args.rules else ""))
    if best_stages:
        r, b, c = best_stages
        print(f"stages of that pass: read {r:.2f} s, build {b:.2f} s"
              + (f", rules {c:.2f} s" if args.rules else "") + " CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
