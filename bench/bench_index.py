"""Benchmark the classified-portion index: build over the cable corpus, then check documents.

Usage: ``python bench/bench_index.py [CORPUS_DIR] [--db FILE] [--checks N]``. Prints JSON with
documents per second for the build and for checks, and the index size.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    """Build the index over the corpus and time checks of seed and corpus documents."""
    from markings.index import build_index, check_against, index_info
    from markings.read import read_path
    from markings.scan import build

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "cables"))
    ap.add_argument("--db", default=None, help="index file (default: a temporary file)")
    ap.add_argument("--checks", type=int, default=200, help="corpus documents to check")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp(prefix="markings-bench-")) / "cables.db")
    stats = build_index([args.corpus], db)
    info = index_info(db)
    files = sorted(Path(args.corpus).glob("*.txt"))[: args.checks]
    docs = [build(read_path(str(f)), path=str(f)) for f in files]
    article = SHARED / "seeds"
    article_docs = [build(read_path(str(f)), path=str(f))
                    for f in sorted(article.glob("002_*.txt"))]
    t0 = time.perf_counter()
    hits = sum(len(check_against(d, db)) for d in docs)
    t_check = time.perf_counter() - t0
    t1 = time.perf_counter()
    article_hits = [len(check_against(d, db)) for d in article_docs]
    t_article = time.perf_counter() - t1
    out = {
        "build": stats,
        "index": {k: info[k] for k in ("documents", "portions", "shingles", "bytes")},
        "index_mib": round(info["bytes"] / 2**20, 1),
        "check_docs": len(docs),
        "check_seconds": round(t_check, 2),
        "check_docs_per_second": round(len(docs) / t_check, 1) if t_check else None,
        "check_matches_in_corpus_docs": hits,
        "article_matches": article_hits,
        "article_seconds": round(t_article, 3),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
