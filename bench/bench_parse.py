"""Benchmark the marking parser: distinct strings (cold cache) and repeats (warm cache).

Usage::

    python bench/bench_parse.py [--corpus ../shared/corpus/cables] [--synthetic 20000] [--runs 5]

Main figure: the *corpus mix*, every string the scanner hands to the parser in the 3,392
corpus cables (banner lines, portion marks and authority lines, wherever in a cable the
scanner found them), plus variants derived from those markings (their canonical banner and
portion forms, lower case, padded, single-slash and comma forms). Second, labelled figure: the
synthetic CAPCO set (levels x REL TO lists x EXDIS/RELIDO). Runs are pinned to one core in
one process; each cold figure is the median (and min/max) of several runs, each with every
parse cache cleared.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Job = tuple[str, str]  # (parser name, string): "marking" or "authority"


def scan_corpus(folder: Path) -> tuple[list[str], list[str]]:
    """(marking strings, authority lines) as the scanner finds them, with repeats.

    Markings: banner lines and portion marks of every cable; authority lines: the E.O./DECL
    line, the Classified By sentence, Derived From and Declassify On lines, as written.
    """
    from markings.read import read_path
    from markings.scan import build

    marks: list[str] = []
    auth: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        doc = build(read_path(path), path=str(path))
        marks += [b.text for b in doc.banners]
        marks += [p.mark.text for p in doc.portions if p.mark is not None]
        a = doc.authority
        if a is not None:
            for sp in (a.eo_span, a.classified_by_span, a.derived_from_span,
                       a.declassify_on_span):
                if sp is not None:
                    auth.append(doc.text[sp.start:sp.end])
    return marks, auth


SCANNER_FUNCTIONS = ("parse_banner", "parse_portion", "parse_marking", "parse_declass",
                     "parse_authority_line", "parse_eo_line", "parse_classified_by")


def scanner_calls(folder: Path) -> list[Job]:
    """Every call the scanner makes into ``markings.parse`` while it builds the corpus
    documents, as (function name, string), in order (the scanner memoises per process, so
    each distinct string once). Recorded by wrapping the module's functions; nested calls
    (``parse_banner`` -> ``parse_marking``) are not counted twice."""
    import markings.parse as mp
    import markings.scan as sc
    from markings.read import read_path

    calls: list[Job] = []
    depth = [0]
    saved = {n: getattr(mp, n) for n in SCANNER_FUNCTIONS}

    def recorder(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def call(text: str, *args: object, **kwargs: object) -> object:
            if depth[0] == 0 and not args and not kwargs:
                calls.append((name, text))
            depth[0] += 1
            try:
                return fn(text, *args, **kwargs)
            finally:
                depth[0] -= 1
        return call

    cache = getattr(sc, "_parse_cache", None)
    if isinstance(cache, dict):
        cache.clear()  # a scan earlier in this process would hide its calls
    try:
        for n in SCANNER_FUNCTIONS:
            setattr(mp, n, recorder(n, saved[n]))
        for path in sorted(folder.glob("*.txt")):
            sc.build(read_path(path), path=str(path))
    finally:
        for n, fn in saved.items():
            setattr(mp, n, fn)
    return calls


def corpus_variants(marks: list[str]) -> list[str]:
    """Strings derived from the corpus markings: canonical banner and portion forms, lower
    case, padded, single-slash and comma separators (what other documents write)."""
    from markings.model import MarkingSyntaxError
    from markings.parse import parse_marking

    out: list[str] = []
    for s in dict.fromkeys(marks):
        forms = [s]
        try:
            m = parse_marking(s)
            forms += [m.banner(), m.portion()]
        except MarkingSyntaxError:
            pass
        for f in dict.fromkeys(forms):
            out += [f, f.lower(), f.replace("//", " // "), f.replace("//", "/"),
                    f.replace("/", ", ") if f.count("/") == 1 else f.replace("//", "/ "),
                    f"( {f.strip('()')} )" if f.startswith("(") else f.title()]
    return list(dict.fromkeys(out))


def corpus_strings(folder: Path) -> list[str]:
    """Corpus marking strings (as found, with repeats) followed by the derived variants."""
    marks, _ = scan_corpus(folder)
    return marks + corpus_variants(marks)


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
                out.append(f"{bl}//{rel}{be}")
                out.append(f"({pl}//{rel}{pe})")
                if len(out) >= n:
                    return out
    return out


def _parsers() -> dict[str, Callable[[str], object]]:
    import markings.parse as mp

    out: dict[str, Callable[[str], object]] = {n: getattr(mp, n) for n in SCANNER_FUNCTIONS}
    out.update(marking=mp.parse_marking, authority=mp.parse_authority_line)
    return out


def measure(jobs: list[Job], repeats: int, runs: int = 5) -> dict[str, float]:
    """Cold (distinct strings, every cache cleared) and warm (repeats) parse rates.

    Each of ``runs`` cold measurements starts from ``parse_cache_clear()`` (the exact-string
    caches, the per-category/per-tail caches, the authority-line caches) after a full
    ``gc.collect()``; garbage collection stays enabled. Rates are given per wall second and
    per CPU second of this process (the latter is robust to other processes sharing the
    machine).
    """
    import gc

    from markings.model import MarkingSyntaxError
    from markings.parse import parse_cache_clear

    fns = _parsers()

    def run(seq: list[Job]) -> None:
        for kind, s in seq:
            try:
                fns[kind](s)
            except MarkingSyntaxError:
                pass

    distinct = list(dict.fromkeys(jobs))
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
        run(jobs)
    warm = time.perf_counter() - t
    return {"strings": len(jobs), "distinct": len(distinct),
            "distinct_per_s": statistics.median(wall), "distinct_per_s_min": min(wall),
            "distinct_per_s_max": max(wall), "distinct_per_cpu_s": statistics.median(cpu),
            "distinct_per_cpu_s_best": max(cpu),
            "repeated_per_s": repeats * len(jobs) / warm}


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


def _report(label: str, res: dict[str, float], runs: int) -> None:
    print(f"{label}: {res['strings']:,} strings, {res['distinct']:,} distinct")
    print(f"  distinct/s (cold caches), median of {runs} runs: {res['distinct_per_s']:,.0f}"
          f" (min {res['distinct_per_s_min']:,.0f}, max {res['distinct_per_s_max']:,.0f});"
          f" per CPU second {res['distinct_per_cpu_s']:,.0f}"
          f" (best run {res['distinct_per_cpu_s_best']:,.0f})")
    print(f"  repeated/s (warm cache): {res['repeated_per_s']:,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "cables"))
    ap.add_argument("--synthetic", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--runs", type=int, default=5, help="cold measurements (median/min/max)")
    ap.add_argument("--no-startup", action="store_true", help="skip the import-time figures")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    folder = Path(args.corpus)
    marks, auth = scan_corpus(folder) if folder.is_dir() else ([], [])
    variants = corpus_variants(marks)
    print(f"corpus: {len(marks):,} marking strings ({len(set(marks)):,} distinct), "
          f"{len(variants):,} derived variants, {len(auth):,} authority lines "
          f"({len(set(auth)):,} distinct)")
    mark_jobs = [("marking", s) for s in marks + variants]
    auth_jobs = [("authority", s) for s in auth]
    if mark_jobs or auth_jobs:
        _report("corpus mix (markings, variants, authority lines)",
                measure(mark_jobs + auth_jobs, args.repeats, args.runs), args.runs)
        _report("  of which markings and variants", measure(mark_jobs, args.repeats, args.runs),
                args.runs)
        _report("  of which authority lines", measure(auth_jobs, args.repeats, args.runs),
                args.runs)
    if folder.is_dir():
        calls = scanner_calls(folder)
        kinds = ", ".join(f"{n} {sum(1 for k, _ in calls if k == n):,}"
                          for n in dict.fromkeys(k for k, _ in calls))
        _report(f"calls the scanner itself makes ({kinds})",
                measure(calls, args.repeats, args.runs), args.runs)
    synth = [("marking", s) for s in synthetic_strings(args.synthetic)]
    _report("synthetic CAPCO set (second figure)", measure(synth, args.repeats, args.runs),
            args.runs)
    if not args.no_startup:
        for k, v in startup().items():
            print(f"{k}: {v * 1000:.1f} ms")


if __name__ == "__main__":
    main()
