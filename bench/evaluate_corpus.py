"""Evaluate the scanner (and, when present, parser, roll-up and rules) on the cable corpus.

Usage::

    python bench/evaluate_corpus.py [CORPUS_DIR] [--json OUT] [--rules] [--show N]

``CORPUS_DIR`` defaults to ``../shared/corpus/cables`` next to the repository. Prints, per
declared class: how many cables were read, whether the first banner in the text gives the
declared level, and whether the roll-up of the portion marks gives it. Cables whose text
carries a WikiLeaks record dump (``wl_metadata_in_text``) are left out of the inference
figures, as the corpus README asks. Only aggregate figures are printed.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markings.read import ReadError, read_path
from markings.scan import build

_LEVEL_NAMES = {0: "UNCLASSIFIED", 1: "RESTRICTED", 2: "CONFIDENTIAL", 3: "SECRET",
                4: "TOP SECRET"}
_TEXT_LEVEL = {"U": 0, "UNCLAS": 0, "UNCLASSIFIED": 0, "SBU": 0, "LOU": 0, "FOUO": 0,
               "C": 2, "CONFIDENTIAL": 2, "S": 3, "SECRET": 3, "TS": 4, "TOP SECRET": 4,
               "TOPSECRET": 4, "LIMITEDOFFICIALUSE": 0, "LIMITED OFFICIAL USE": 0}


def declared_level(declared: str) -> int:
    """Level of the corpus's declared class (``CONFIDENTIAL//NOFORN`` -> 2)."""
    head = declared.split("//")[0].strip().upper()
    return _TEXT_LEVEL.get(head, -1)


def _text_level(text: str) -> int | None:
    """Level from a marking's text when the parser is absent (fallback only)."""
    t = text.strip("() ").upper().replace(" ", "")
    for sep in ("//", "/", "-"):
        t = t.split(sep)[0]
    if t.startswith("UNCLAS"):
        return 0
    return _TEXT_LEVEL.get(t)


def banner_level(doc: Any) -> int | None:
    """Level of the first (top) banner of ``doc``."""
    if not doc.banners:
        return None
    b = doc.banners[0]
    if b.marking is not None:
        return int(b.marking.level)
    return _text_level(b.text)


def rollup_level(doc: Any) -> tuple[int | None, str]:
    """Level the portions require: ``doc.rollup()`` when available, else the max level."""
    try:
        r = doc.rollup()
        return (int(r.level) if r is not None else None), "rollup"
    except ImportError:
        pass
    except Exception:  # roll-up module present but failing: fall back and say so
        pass
    levels = []
    for p in doc.portions:
        if p.mark is None:
            continue
        if p.mark.marking is not None:
            levels.append(int(p.mark.marking.level))
        else:
            lv = _text_level(p.mark.text)
            if lv is not None:
                levels.append(lv)
    return (max(levels) if levels else None), "max-level"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--rules", action="store_true", help="also run the rules (findings/rule)")
    ap.add_argument("--show", type=int, default=0,
                    help="print the ids of up to N cables per mismatch kind (for debugging)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    index = corpus / "index.jsonl"
    if not index.exists():
        print(f"corpus not found: {index}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    per: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    findings_per_rule: collections.Counter[str] = collections.Counter()
    misses: dict[str, list[str]] = collections.defaultdict(list)
    read_errors = 0
    method = "?"
    t0 = time.perf_counter()
    nbytes = 0
    check = None
    if args.rules:
        from markings.engine import check_document

        check = check_document
    for row in rows:
        cls = row["declared_classification"]
        c = per[cls]
        c["cables"] += 1
        path = corpus / row["text_path"]
        try:
            src = read_path(path)
        except ReadError:
            read_errors += 1
            c["read_error"] += 1
            continue
        nbytes += len(src.original.encode("utf-8"))
        doc = build(src, path=str(path))
        c["read"] += 1
        if check is not None:
            for f in check(doc):
                findings_per_rule[f"{f.code} {f.name}"] += 1
        if row.get("wl_metadata_in_text"):
            c["wl_metadata_excluded"] += 1
            continue
        c["evaluated"] += 1
        want = declared_level(cls)
        bl = banner_level(doc)
        if bl is None:
            c["no_banner"] += 1
            misses["no_banner"].append(row["id"])
        elif bl == want:
            c["banner_ok"] += 1
        else:
            misses["banner_differs"].append(row["id"])
        rl, method = rollup_level(doc)
        if rl is None:
            c["no_portion_marks"] += 1
            misses["no_portion_marks"].append(row["id"])
        elif rl == want:
            c["rollup_ok"] += 1
        elif rl > want:
            c["rollup_above"] += 1
            misses["rollup_above"].append(row["id"])
        else:
            c["rollup_below"] += 1
            misses["rollup_below"].append(row["id"])
        if any(p.mark is not None and p.mark.marking is None and p.mark.error
               for p in doc.portions):
            c["unparsed_marks"] += 1
    elapsed = time.perf_counter() - t0
    total: collections.Counter[str] = collections.Counter()
    for c in per.values():
        total.update(c)
    order = sorted(per, key=lambda k: -per[k]["cables"]) + ["ALL"]
    per["ALL"] = total
    hdr = ("class", "cables", "read", "eval", "banner=decl", "rollup=decl", "above", "below",
           "no marks")
    print(" | ".join(hdr))
    for k in order:
        c = per[k]
        ev = c["evaluated"] or 1
        print(" | ".join([
            k, str(c["cables"]), str(c["read"]), str(c["evaluated"]),
            f"{100 * c['banner_ok'] / ev:.1f}%", f"{100 * c['rollup_ok'] / ev:.1f}%",
            str(c["rollup_above"]), str(c["rollup_below"]), str(c["no_portion_marks"])]))
    print(f"read errors: {read_errors}; roll-up method: {method}; "
          f"{nbytes / 1e6:.1f} MB in {elapsed:.1f} s")
    if findings_per_rule:
        print("findings per rule:")
        for k, v in sorted(findings_per_rule.items()):
            print(f"  {k}: {v}")
    if args.show:
        for kind, ids in misses.items():
            print(f"{kind} ({len(ids)}): {' '.join(ids[:args.show])}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"per_class": {k: dict(v) for k, v in per.items()}, "read_errors": read_errors,
             "rollup_method": method, "findings_per_rule": dict(findings_per_rule)},
            indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
