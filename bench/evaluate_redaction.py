"""Run one redaction profile over the cable corpus and print aggregate statistics.

Usage: ``python bench/evaluate_redaction.py [CORPUS_DIR] [--profile cables]``. Prints JSON:
marker counts by style and width, codes seen, findings per rule and the number of cables
with at least one finding. Only aggregates are printed, never excerpts (the corpus names
real people).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    """Check every cable with the MK7xx rules of one profile and aggregate the results."""
    from markings.config import Config
    from markings.engine import check_paths
    from markings.redaction.markers import find_markers
    from markings.registry import all_rules

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "cables"))
    ap.add_argument("--profile", default="cables")
    args = ap.parse_args()
    files = sorted(Path(args.corpus).glob("*.txt"))
    styles: Counter[str] = Counter()
    widths: Counter[int] = Counter()
    codes: Counter[str] = Counter()
    with_markers = 0
    for f in files:
        markers = find_markers(f.read_text(encoding="utf-8", errors="replace"))
        with_markers += bool(markers)
        for mk in markers:
            styles[mk.style + ("-word-shaped" if mk.word_shaped else "")] += 1
            if mk.style == "x-run" and not mk.word_shaped:
                widths[mk.run_length] += 1
            codes.update(c.canonical for c in mk.codes)
    selected = [r.code for r in all_rules()
                if r.code.startswith("MK7") and args.profile in r.profiles]
    cfg = Config(redaction_profile=args.profile, select=selected)
    t0 = time.perf_counter()
    report = check_paths(files, config=cfg)
    seconds = time.perf_counter() - t0
    by_rule = Counter(f"{f.code} {f.name}" for f in report.findings)
    by_rule_files = Counter()
    for code in by_rule:
        by_rule_files[code] = len({f.path for f in report.findings
                                   if f"{f.code} {f.name}" == code})
    out = {
        "profile": args.profile,
        "cables": len(files),
        "cables_with_markers": with_markers,
        "markers_by_style": dict(styles.most_common()),
        "x_run_widths": dict(sorted(widths.items())),
        "codes_with_markers": dict(codes.most_common()),
        "rules_run": selected,
        "findings_by_rule": dict(sorted(by_rule.items())),
        "cables_by_rule": dict(sorted(by_rule_files.items())),
        "cables_with_findings": len({f.path for f in report.findings}),
        "seconds": round(seconds, 1),
        "cables_per_second": round(len(files) / seconds, 1) if seconds else None,
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
