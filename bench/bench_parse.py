"""Benchmark the marking parser: distinct strings (cold cache) and repeats (warm cache).

Usage::

    python bench/bench_parse.py [--corpus ../shared/corpus/cables] [--synthetic 20000] [--runs 5]

Marking strings come from the corpus (portion marks and banners found at line starts) plus
synthetic CAPCO variants. Runs pinned to one core in one process; the cold figure is the
median (and min/max) of several runs, each with every parse cache cleared.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_PORTION = re.compile(r"^\s*(?:[0-9A-Z]{1,3}\.\s*)?(\([A-Z][A-Za-z/ \-,]{0,40}\))")
_BANNER = re.compile(r"^((?:S E C R E T|C O N F I D E N T I A L|UNCLAS(?: SENSITIVE| EFTO)?|"
                     r"(?:TOP )?SECRET|CONFIDENTIAL|UNCLASSIFIED)(?://[A-Z /,\-]+)?)\s*(?:$|\s)")


def corpus_strings(folder: Path) -> list[str]:
    """Portion marks and banners at line starts of every cable text."""
    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = _PORTION.match(line) or _BANNER.match(line)
            if m:
                out.append(m.group(1).strip())
    return out


def synthetic_strings(n: int) -> list[str]:
    """Distinct CAPCO variants: levels x controls x REL TO lists, banner and portion forms."""
    levels = [("TOP SECRET", "TS"), ("SECRET", "S"), ("CONFIDENTIAL", "C")]
    codes = ["AUS", "CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "NLD", "NOR", "NZL", "POL",
             "ESP", "TUR", "FVEY", "NATO"]
    extras = [("", ""), ("//EXDIS", "//XD"), ("/RELIDO", "/RELIDO")]
    out: list[str] = []
    for k in (1, 2, 3, 4):
        for combo in itertools.combinations(codes, k):
            rel = "REL TO USA, " + ", ".join(combo)
            for (bl, pl), (be, pe) in itertools.product(levels, extras):
                out.append(f"{bl}//{rel}{be}" if be != "/RELIDO" else f"{bl}//{rel}{be}")
                out.append(f"({pl}//{rel}{pe})")
                if len(out) >= n:
                    return out
    return out


def measure(strings: list[str], repeats: int, runs: int = 5) -> dict[str, float]:
    """Cold (distinct strings, every cache cleared) and warm (repeats) parse rates.

    Each of ``runs`` cold measurements starts from ``parse_cache_clear()`` (the exact-string
    cache and the per-category/per-tail caches) after a full ``gc.collect()``; garbage
    collection stays enabled. Rates are given per wall second and per CPU second of this
    process (the latter is robust to other processes sharing the machine).
    """
    import gc

    from markings.model import MarkingSyntaxError
    from markings.parse import parse_cache_clear, parse_marking

    def run(seq: list[str]) -> None:
        for s in seq:
            try:
                parse_marking(s)
            except MarkingSyntaxError:
                pass

    distinct = list(dict.fromkeys(strings))
    parse_cache_clear()
    run(distinct[:200])  # build the parser and warm helper tables, not the parse caches
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        parse_cache_clear()
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        run(distinct)
        cpu.append(len(distinct) / (time.process_time() - c))
        wall.append(len(distinct) / (time.perf_counter() - t))
    t = time.perf_counter()
    for _ in range(repeats):
        run(strings)
    warm = time.perf_counter() - t
    return {"distinct": len(distinct), "distinct_per_s": statistics.median(wall),
            "distinct_per_s_min": min(wall), "distinct_per_s_max": max(wall),
            "distinct_per_cpu_s": statistics.median(cpu),
            "repeated_per_s": repeats * len(strings) / warm}


def startup() -> dict[str, float]:
    """Import time of ``markings`` and parser build time, each in a fresh interpreter."""
    code_import = ("import time; t=time.perf_counter(); import markings; "
                   "print(time.perf_counter()-t)")
    code_build = ("import time; t=time.perf_counter(); from markings.grammar import get_parser; "
                  "get_parser(); print(time.perf_counter()-t)")
    code_first = ("import time; t=time.perf_counter(); import markings; "
                  "markings.parse_marking('SECRET//NOFORN//'); print(time.perf_counter()-t)")
    res = {}
    for name, code in (("import_markings_s", code_import), ("build_parser_s", code_build),
                       ("import_and_first_lark_parse_s", code_first)):
        vals = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, cwd=ROOT, check=True).stdout) for _ in range(3)]
        res[name] = min(vals)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "cables"))
    ap.add_argument("--synthetic", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--runs", type=int, default=5, help="cold measurements (median/min/max)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    folder = Path(args.corpus)
    corpus = corpus_strings(folder) if folder.is_dir() else []
    strings = corpus + synthetic_strings(args.synthetic)
    print(f"corpus marking strings: {len(corpus)} ({len(set(corpus))} distinct)")
    res = measure(strings, args.repeats, args.runs)
    print(f"distinct strings: {res['distinct']}")
    print(f"distinct/s (cold caches), median of {args.runs} runs: {res['distinct_per_s']:,.0f}"
          f" (min {res['distinct_per_s_min']:,.0f}, max {res['distinct_per_s_max']:,.0f})")
    print(f"distinct per CPU second (cold caches), median: {res['distinct_per_cpu_s']:,.0f}")
    print(f"repeated/s (warm cache):       {res['repeated_per_s']:,.0f}")
    for k, v in startup().items():
        print(f"{k}: {v * 1000:.1f} ms")


if __name__ == "__main__":
    main()
