"""Evaluate the scanner (and, when present, parser, roll-up and rules) on the cable corpus.

Usage::

    python bench/evaluate_corpus.py [CORPUS_DIR] [--json OUT] [--rules] [--show N]
                                    [--today YYYY-MM-DD] [--html]

``CORPUS_DIR`` defaults to ``../shared/corpus/cables`` next to the repository. Prints, per
declared class: how many cables were read, whether the first banner in the text gives the
declared level, and whether the roll-up of the portion marks gives it. Cables whose text
carries a WikiLeaks record dump (``wl_metadata_in_text``) are left out of the inference
figures, as the corpus README asks. Only aggregate figures are printed.

``--today`` pins the evaluation date of the date checks (default 2026-01-01), so that the
counts do not change with the calendar. A file that cannot be read, or whose document model
cannot be built, is counted (``read errors``, ``build errors``) and the run goes on.
``--html`` also evaluates the published HTML form of every cable (the members of
``html/cables-html.tar.xz``, extracted to a temporary directory) and reports it as a
second table, plus how many cables give the same findings in both forms.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
import tarfile
import tempfile
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


def _findings_key(findings: list[Any]) -> list[tuple[str, str]]:
    """Findings without positions (the HTML form has other line numbers than the text)."""
    return sorted((f.code, f.message) for f in findings)


def evaluate(rows: list[dict[str, Any]], path_of: Any, *, check: Any, cfg: Any
             ) -> dict[str, Any]:
    """Figures for one form of the corpus; ``path_of(row)`` gives the file of a cable."""
    per: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    findings_per_rule: collections.Counter[str] = collections.Counter()
    misses: dict[str, list[str]] = collections.defaultdict(list)
    keys: dict[str, list[tuple[str, str]]] = {}
    read_errors = build_errors = 0
    method = "?"
    t0 = time.perf_counter()
    nbytes = 0
    for row in rows:
        cls = row["declared_classification"]
        c = per[cls]
        c["cables"] += 1
        path = path_of(row)
        if path is None:
            read_errors += 1
            c["read_error"] += 1
            continue
        try:
            src = read_path(path)
        except ReadError:
            read_errors += 1
            c["read_error"] += 1
            continue
        nbytes += len(src.original.encode("utf-8"))
        try:
            doc = build(src, path=str(path))
        except Exception:  # noqa: BLE001  counted, the evaluation goes on
            build_errors += 1
            c["build_error"] += 1
            continue
        c["read"] += 1
        if check is not None:
            found = check(doc, cfg)
            keys[row["id"]] = _findings_key(found)
            for f in found:
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
        if any(p.mark is not None and p.mark.error for p in doc.portions):
            c["unparsed_marks"] += 1
    total: collections.Counter[str] = collections.Counter()
    for c in per.values():
        total.update(c)
    per["ALL"] = total
    return {"per": per, "findings_per_rule": findings_per_rule, "misses": misses,
            "read_errors": read_errors, "build_errors": build_errors, "method": method,
            "elapsed": time.perf_counter() - t0, "nbytes": nbytes, "keys": keys}


def report(title: str, res: dict[str, Any], show: int) -> None:
    per = res["per"]
    print(f"## {title}")
    order = sorted((k for k in per if k != "ALL"), key=lambda k: -per[k]["cables"]) + ["ALL"]
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
    print(f"read errors: {res['read_errors']}; build errors: {res['build_errors']}; "
          f"cables with an unreadable portion mark: {per['ALL']['unparsed_marks']}; "
          f"roll-up method: {res['method']}; "
          f"{res['nbytes'] / 1e6:.1f} MB in {res['elapsed']:.1f} s")
    if res["findings_per_rule"]:
        print("findings per rule:")
        for k, v in sorted(res["findings_per_rule"].items()):
            print(f"  {k}: {v}")
    if show:
        for kind, ids in res["misses"].items():
            print(f"{kind} ({len(ids)}): {' '.join(ids[:show])}")


def _as_json(res: dict[str, Any]) -> dict[str, Any]:
    return {"per_class": {k: dict(v) for k, v in res["per"].items()},
            "read_errors": res["read_errors"], "build_errors": res["build_errors"],
            "rollup_method": res["method"], "findings_per_rule": dict(res["findings_per_rule"])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/cables"))
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--rules", action="store_true", help="also run the rules (findings/rule)")
    ap.add_argument("--today", default="2026-01-01", type=dt.date.fromisoformat,
                    help="evaluation date of the date checks (default 2026-01-01)")
    ap.add_argument("--html", action="store_true",
                    help="also evaluate the HTML form (html/cables-html.tar.xz members)")
    ap.add_argument("--show", type=int, default=0,
                    help="print the ids of up to N cables per mismatch kind (for debugging)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    index = corpus / "index.jsonl"
    if not index.exists():
        print(f"corpus not found: {index}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    check = cfg = None
    if args.rules:
        from markings.config import Config
        from markings.engine import check_document

        check, cfg = check_document, Config(today=args.today)
    print(f"evaluation date: {args.today.isoformat()}")
    text_res = evaluate(rows, lambda row: corpus / row["text_path"], check=check, cfg=cfg)
    report("text form (<ID>.txt)", text_res, args.show)
    out = {"today": args.today.isoformat(), "text": _as_json(text_res)}
    if args.html:
        html_res = _evaluate_html(corpus, rows, check=check, cfg=cfg)
        if html_res is None:
            print("HTML archive not found; skipped", file=sys.stderr)
        else:
            report("HTML form (html/cables-html.tar.xz members)", html_res, args.show)
            out["html"] = _as_json(html_res)
            if check is not None:
                both = [k for k in text_res["keys"] if k in html_res["keys"]]
                same = sum(text_res["keys"][k] == html_res["keys"][k] for k in both)
                print(f"same findings in both forms: {same} of {len(both)} cables")
                out["same_findings_both_forms"] = [same, len(both)]
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, sort_keys=True))
    return 0


def _evaluate_html(corpus: Path, rows: list[dict[str, Any]], *, check: Any, cfg: Any
                   ) -> dict[str, Any] | None:
    """Extract the HTML members to a temporary directory and evaluate them."""
    archives = sorted({row.get("html_archive") or "html/cables-html.tar.xz" for row in rows})
    with tempfile.TemporaryDirectory(prefix="markings-html-") as tmp:
        found = False
        for name in archives:
            arc = corpus / name
            if not arc.exists():
                continue
            found = True
            with tarfile.open(arc) as tar:
                for m in tar.getmembers():
                    # plain files with a bare name only: nothing may land outside ``tmp``
                    if not m.isfile() or "/" in m.name or m.name.startswith("."):
                        continue
                    fh = tar.extractfile(m)
                    if fh is not None:
                        (Path(tmp) / m.name).write_bytes(fh.read())
        if not found:
            return None

        def path_of(row: dict[str, Any]) -> Path | None:
            p = Path(tmp) / (row.get("html_member") or f"{row['id']}.html")
            return p if p.exists() else None

        return evaluate(rows, path_of, check=check, cfg=cfg)


if __name__ == "__main__":
    raise SystemExit(main())
