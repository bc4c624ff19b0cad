"""CPU time of the rules engine alone (``check_document``) on prebuilt corpus documents.

Usage::

    python bench/bench_rules.py [CORPUS_DIR] [--repeat N] [--limit N]

Every ``*.txt`` file of the corpus is read and built once (not timed); each timed pass then
runs :func:`markings.engine.check_document` (default configuration) on a fresh copy of
every document, so that nothing a rule kept on a document (``Document.memo``) survives from
one pass to the next. Process-wide caches (parsed markings, shared roll-ups) stay warm, as
they do in a long run. Prints the CPU seconds (``time.process_time``: robust on a shared
machine) of the best and the median pass, and the range. The garbage collector runs as
usual (its cost grows with the live documents, as in a long run); each pass starts after a
full collection.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markings.read import read_path  # noqa: E402
from markings.scan import build  # noqa: E402


def one_pass(docs: list[object]) -> float:
    """CPU seconds of ``check_document`` over fresh copies of ``docs``."""
    from markings.engine import check_document

    fresh = [d.model_copy() for d in docs]  # type: ignore[attr-defined]  # empty memos
    gc.collect()  # every pass starts from the same collector state
    t0 = time.process_time()
    for d in fresh:
        check_document(d)  # type: ignore[arg-type]
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    files = sorted(Path(args.corpus).glob("*.txt"))[:args.limit]
    if not files:
        print(f"no .txt files under {args.corpus}", file=sys.stderr)
        return 2
    docs = [build(read_path(f), path=str(f)) for f in files]
    one_pass(docs[:50])  # warm-up: imports the rule modules
    times = sorted(one_pass(docs) for _ in range(max(1, args.repeat)))
    print(f"{len(docs)} documents, check_document, {len(times)} passes: "
          f"best {times[0]:.3f} s CPU, median {statistics.median(times):.3f} s "
          f"(range {times[0]:.3f}-{times[-1]:.3f}) = "
          f"{len(docs) / statistics.median(times):.0f} documents/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
