"""Print a reproducible sample of one rule's findings on the cable corpus.

Usage::

    python bench/sample_findings.py MK506 [-n 15] [--seed 1] [--corpus DIR] [--context K]

Runs the default configuration on every cable (as ``bench/evaluate_corpus.py --rules``
does), collects the findings of the given rule code(s), and prints ``N`` of them spread
evenly over the corpus (sorted by path, then every ``len/N``-th one, starting at an offset
derived from ``--seed``). Each line shows the cable id, line, column, code and message; the
message quotes marking tokens only. ``--context K`` adds the marking tokens (not the prose)
found on the finding's line and the ``K`` lines around it, so a reviewer can see the
marking context without copying cable text; open the cable itself to read the prose.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markings.engine import check_document
from markings.read import ReadError, read_path
from markings.scan import build

# Marking-like tokens that may be quoted: parenthesised marks, banner words, E.O./DECL parts.
_TOKEN = re.compile(
    r"\((?:[A-Z]{1,4}(?:[ /\-]{1,2}[A-Za-z ]{1,12}){0,4})\)"
    r"|\b(?:S E C R E T|C O N F I D E N T I A L|UNCLAS(?:SIFIED)?|SECRET|CONFIDENTIAL"
    r"|NOFORN|SIPDIS|SENSITIVE|E\.O\. ?\d{5}:?|DECL:? ?\S+|REF:|SUBJECT:|CLASSIFIED BY)\b",
    re.IGNORECASE)


def marking_tokens(line: str) -> str:
    """The marking-like tokens of ``line`` joined by spaces (never the surrounding prose)."""
    return " ".join(m.group(0) for m in _TOKEN.finditer(line))


def collect(corpus: Path, codes: set[str]) -> list[tuple[str, object]]:
    rows = [json.loads(x) for x in (corpus / "index.jsonl").read_text().splitlines()
            if x.strip()]
    out = []
    for row in rows:
        path = corpus / row["text_path"]
        try:
            src = read_path(path)
        except ReadError:
            continue
        doc = build(src, path=str(path))
        for f in check_document(doc):
            if f.code in codes:
                out.append((row["id"], f))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("codes", nargs="+", help="rule code(s), e.g. MK506")
    ap.add_argument("-n", type=int, default=15, help="sample size (0 = all)")
    ap.add_argument("--seed", type=int, default=0, help="offset of the systematic sample")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--context", type=int, default=-1,
                    help="also print marking tokens of the finding's line +/- K lines")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    hits = collect(corpus, {c.upper() for c in args.codes})
    hits.sort(key=lambda h: (h[0], h[1].line, h[1].column))
    n = len(hits) if args.n <= 0 or args.n >= len(hits) else args.n
    if n == len(hits):
        sample = hits
    else:
        step = len(hits) / n
        sample = [hits[int(args.seed % max(1, int(step)) + i * step)] for i in range(n)]
    print(f"{len(hits)} findings of {' '.join(args.codes)}; showing {len(sample)}")
    for cid, f in sample:
        print(f"{cid}:{f.line}:{f.column}: {f.code} {f.message}")
        if args.context >= 0:
            lines = Path(f.path).read_text(encoding="utf-8").splitlines()
            lo, hi = max(0, f.line - 1 - args.context), min(len(lines), f.line + args.context)
            for i in range(lo, hi):
                toks = marking_tokens(lines[i])
                mark = ">" if i == f.line - 1 else " "
                print(f"   {mark}{i + 1:5d}| {toks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
