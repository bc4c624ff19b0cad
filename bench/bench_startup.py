"""Cold-start wall time of ``markings check`` on one small file vs ``python -c pass``.

Usage: ``python bench/bench_startup.py [--runs N] [FILE]``. Prints median and best wall
times (seconds) of fresh interpreter processes, and the overhead over a bare interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(cmd: list[str], runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("file", nargs="?", default="examples/memo-correct.txt")
    args = ap.parse_args()
    base = _time([sys.executable, "-c", "pass"], args.runs)
    check = _time([sys.executable, "-m", "markings", "check", args.file], args.runs)
    rows = [("python -c pass", base), (f"markings check {args.file}", check)]
    print("| command | median (s) | best (s) |")
    print("|---|---|---|")
    for name, ts in rows:
        print(f"| `{name}` | {statistics.median(ts):.3f} | {min(ts):.3f} |")
    print(f"\nOverhead over the bare interpreter (median): "
          f"{statistics.median(check) - statistics.median(base):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
