"""The ``markings`` command line: check, inspect, rules, rule, config, baseline, index.

Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage, configuration or
internal error. A file that cannot be read is a finding (``MK001``), not a crash.
Imports are lazy so that ``markings check FILE`` starts fast (it runs as a pre-commit hook).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from markings.config import Config
    from markings.findings import Finding

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")
_PROGRESS_AFTER = 2.0  # seconds before a progress bar appears


class UsageError(Exception):
    """A problem with the command line or configuration (exit code 2)."""


def _date(s: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {s!r} (use YYYY-MM-DD)") from None


def _csv(s: str) -> list[str]:
    return [x.strip() for x in s.split(",") if x.strip()]


def _add_selection(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rule selection and configuration")
    g.add_argument("--select", type=_csv, metavar="CODES",
                   help="Comma-separated codes, prefixes or names to run (replaces the profile).")
    g.add_argument("--extend-select", type=_csv, metavar="CODES", help="Rules to add.")
    g.add_argument("--ignore", type=_csv, metavar="CODES", help="Rules never to run.")
    g.add_argument("--profile", choices=("auto", "capco", "state-cable", "isoo"),
                   help="Marking profile (default: auto, by document style).")
    g.add_argument("--redaction-profile", choices=("cables", "foia", "declass", "archival"),
                   help="Also run the redaction checks of this profile.")
    g.add_argument("--config", metavar="FILE",
                   help="Configuration file (pyproject.toml or .markings.toml).")
    g.add_argument("--isolated", action="store_true", help="Ignore configuration files.")
    g.add_argument("--force-exclude", action="store_true", default=None,
                   help="Apply excludes to paths given explicitly (for pre-commit).")
    g.add_argument("--today", type=_date, metavar="DATE",
                   help="Evaluation date for date checks (YYYY-MM-DD).")
    g.add_argument("--against", metavar="DB",
                   help="Index of classified portions (from `markings index build`): flag "
                        "passages that reproduce them above their own marking (MK740).")


def _add_output(p: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--output-format", choices=formats, metavar="FORMAT",
                   help=f"One of: {', '.join(formats)} (default: full).")
    g.add_argument("--output-file", "-o", metavar="FILE", help="Write the report to FILE.")
    g.add_argument("--no-color", action="store_true", help="No colours (NO_COLOR also works).")
    g.add_argument("--quiet", "-q", action="store_true",
                   help="Only findings: no footer, no excerpts, no progress.")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from markings import __version__

    parser = argparse.ArgumentParser(
        prog="markings",
        description="Validate US classification markings and redactions in documents.")
    parser.add_argument("--version", action="version", version=f"markings {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="Check documents (the default command).",
                       description="Check the markings of files, directories or stdin (-).")
    c.add_argument("paths", nargs="*", metavar="PATH", help="Files, directories or - (stdin).")
    c.add_argument("--stdin-filename", metavar="NAME", help="Name of the document read from -.")
    _add_selection(c)
    _add_output(c)
    g = c.add_argument_group("results")
    g.add_argument("--statistics", action="store_true", help="Counts per rule instead.")
    g.add_argument("--fail-on", choices=("error", "warning", "info"),
                   help="Lowest severity that fails the run (default: error).")
    g.add_argument("--exit-zero", action="store_true", help="Exit 0 even with findings.")
    g.add_argument("--baseline", metavar="FILE", help="Report only findings not in FILE.")
    g.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="Worker processes (default: number of cores).")
    g.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                   help="Check on a dask.distributed cluster (`local` starts one on this machine; "
                        "workers must see the same paths).")
    g.add_argument("--show-files", action="store_true", help="List the files to check, then exit.")

    i = sub.add_parser("inspect", help="Show the document model (banners, portions, authority).")
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--stdin-filename", metavar="NAME")
    i.add_argument("--config", metavar="FILE")
    i.add_argument("--isolated", action="store_true")
    _add_output(i, ("full", "json", "json-lines"))

    r = sub.add_parser("rules", help="List the rules.")
    r.add_argument("--output-format", dest="show_format", choices=("full", "json"),
                   default="full")
    r1 = sub.add_parser("rule", help="Explain one rule.")
    r1.add_argument("rule", metavar="CODE|NAME")
    r1.add_argument("--output-format", dest="show_format", choices=("full", "json"),
                    default="full")

    cf = sub.add_parser("config", help="Show the merged configuration.")
    cf.add_argument("paths", nargs="*", metavar="PATH")
    _add_selection(cf)
    cf.add_argument("--output-format", dest="show_format", choices=("toml", "json"),
                    default="toml")

    b = sub.add_parser("baseline", help="Write a baseline of the current findings.")
    b.add_argument("paths", nargs="*", metavar="PATH")
    b.add_argument("--baseline-file", "--output-file", "-o", dest="baseline_file",
                   metavar="FILE", help="Where to write (default: the configured baseline "
                                        "or .markings-baseline.json).")
    b.add_argument("--jobs", "-j", type=int, metavar="N")
    _add_selection(b)

    ix = sub.add_parser("index", help="Index of classified portions, for `check --against`.")
    ixs = ix.add_subparsers(dest="index_command", metavar="ACTION")
    ib = ixs.add_parser("build", help="Fingerprint the classified portions of marked "
                                      "documents into an index.")
    ib.add_argument("paths", nargs="+", metavar="PATH")
    ib.add_argument("--db", required=True, metavar="FILE")
    ib.add_argument("--force", action="store_true",
                    help="Write the index even when no classified portion was found.")
    ib.add_argument("--config", metavar="FILE")
    ib.add_argument("--isolated", action="store_true")
    return parser


# --- configuration --------------------------------------------------------------------------

def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    o: dict[str, Any] = {}
    for name in ("select", "extend_select", "ignore", "profile", "redaction_profile",
                 "force_exclude", "today", "fail_on", "output_format", "baseline"):
        v = getattr(args, name, None)
        if v is not None:
            o[name] = v
    return o


def _load(args: argparse.Namespace, paths: Sequence[str]) -> Config:
    from markings.configfile import ConfigError, load_config, validate_rules

    try:
        cfg, path = load_config(config_file=getattr(args, "config", None), paths=paths,
                                overrides=_overrides(args),
                                isolated=getattr(args, "isolated", False))
        if (cfg.select or cfg.extend_select or cfg.ignore or cfg.per_file_ignores
                or cfg.rules):  # nothing to check otherwise (and no rule module to import)
            validate_rules(cfg, str(path) if path else "command line")
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "against", None):
        cfg.settings["against"] = args.against
    if cfg.settings.get("against"):
        _check_against_index(str(cfg.settings["against"]))
    return cfg


def _check_against_index(db: str) -> None:
    """`--against` (or `settings.against`) must name a usable index: exit 2 otherwise."""
    from markings.index import validate_index

    try:
        validate_index(db)
    except FileNotFoundError:
        raise UsageError(f"--against {db}: no such index; build one with `markings index "
                         f"build PATHS --db {db}`.") from None
    except ValueError as exc:
        raise UsageError(f"--against: {exc}.") from None


# --- helpers --------------------------------------------------------------------------------

def _color(args: argparse.Namespace, stream: TextIO) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    if getattr(args, "output_file", None):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _emit(text: str, args: argparse.Namespace) -> None:
    if getattr(args, "output_file", None):
        with open(args.output_file, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else \
        sys.stdin.read().encode()
    for enc in ("utf-8-sig", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")  # pragma: no cover


class _Progress:
    """A rich progress bar on stderr, shown only once a run has taken a few seconds."""

    def __init__(self, total: int, enabled: bool) -> None:
        import time

        self.total = total
        self.enabled = enabled and total > 1
        self.t0 = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        import time

        if self.bar is None:
            if time.monotonic() - self.t0 < _PROGRESS_AFTER:
                return
            try:
                from rich.console import Console
                from rich.progress import Progress
            except ImportError:
                self.enabled = False
                return
            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Checking", total=self.total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- commands -------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    """``markings check``."""
    from markings.findings import Severity

    paths = list(args.paths) or ["."]
    cfg = _load(args, paths)
    fmt = cfg.output_format
    from markings.discover import discover, is_excluded

    files = discover(paths, cfg)
    if args.show_files:
        _emit("".join(f"{f}\n" for f in files), args)
        return 0
    findings: list[Finding] = []
    stdin_text: str | None = None
    checked: list[str] = []
    disk = [f for f in files if f != "-"]
    if "-" in files:
        name = args.stdin_filename or "<stdin>"
        stdin_text = _read_stdin()
        if not (cfg.force_exclude and args.stdin_filename and is_excluded(name, cfg)):
            from markings.engine import check_text

            _gc_ready()
            findings.extend(check_text(stdin_text, name, config=cfg).findings)
            checked.append(name)
    if disk:
        import markings.scan  # noqa: F401  (imported before gc.freeze, see _gc_ready)
        from markings.engine import check_files
        from markings.parallel import default_jobs

        _gc_ready()

        jobs = args.jobs if args.jobs is not None else default_jobs()
        if jobs < 1:
            raise UsageError("--jobs must be at least 1.")
        human = fmt in ("full", "concise") and not args.quiet and not args.output_file
        progress = _Progress(len(disk), human and sys.stderr.isatty())
        try:
            findings.extend(check_files(disk, cfg, jobs=jobs, scheduler=args.dask,
                                        progress=progress))
        except RuntimeError as exc:
            raise UsageError(str(exc)) from None
        finally:
            progress.close()
        checked.extend(disk)
    findings.sort(key=lambda f: f.sort_key)
    if cfg.baseline:
        from markings.baseline import BaselineError, filter_new, load_baseline

        try:
            findings = filter_new(findings, load_baseline(cfg.baseline))
        except BaselineError as exc:
            raise UsageError(str(exc)) from None

    from markings.output import OutputContext, render

    def source(path: str) -> str | None:
        if stdin_text is not None and path == (args.stdin_filename or "<stdin>"):
            return stdin_text
        if path.lower().endswith((".docx", ".pdf")):
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except OSError:
            return None

    ctx = OutputContext(format=fmt, files=checked, color=_color(args, sys.stdout),
                        statistics=args.statistics, quiet=args.quiet, source=source)
    _emit(render(findings, ctx), args)
    if args.exit_zero:
        return 0
    threshold = Severity(cfg.fail_on).rank
    return 1 if any(f.severity.rank >= threshold for f in findings) else 0


def _marking_ref(ref: Any) -> dict[str, Any]:
    return {"text": ref.text, "canonical": ref.canonical, "line": ref.span.line,
            "column": ref.span.column, "end_line": ref.span.end_line,
            "end_column": ref.span.end_column, "error": ref.error}


def inspect_dict(doc: Any) -> dict[str, Any]:
    """The machine-readable document model of one file (``markings inspect``)."""
    def banner_of(m: Any) -> str | None:
        try:
            return m.banner() if m is not None else None
        except Exception:  # rendering must not break inspection
            return None

    banners = []
    for b in doc.banners:
        d = _marking_ref(b)
        d.update(position=b.position, section=b.section)
        banners.append(d)
    portions = []
    for p in doc.portions:
        d = {"kind": p.kind, "number": p.number, "line": p.span.line, "column": p.span.column,
             "mark": _marking_ref(p.mark) if p.mark is not None else None}
        if p.mark is not None:
            d.update(text=p.mark.text, canonical=p.mark.canonical)
        else:
            d.update(text=None, canonical=None)
        portions.append(d)
    try:
        overall = banner_of(doc.overall)
    except Exception:
        overall = None
    try:
        rollup = banner_of(doc.rollup())
    except Exception:
        rollup = None
    return {
        "path": doc.path, "form": doc.form, "style": doc.style,
        "date": doc.date.isoformat() if doc.date else None, "cable_id": doc.cable_id,
        "overall": overall, "rollup": rollup, "banners": banners, "portions": portions,
        "captions": [{"text": c.text, "line": c.span.line, "column": c.span.column}
                     for c in doc.captions],
        "authority": doc.authority.model_dump(mode="json") if doc.authority else None,
        "notes": list(doc.notes),
    }


def _inspect_text(d: dict[str, Any]) -> str:
    out = [f"{d['path']}  ({d['form']}, {d['style']})",
           f"  overall: {d['overall'] or '-'}", f"  rollup:  {d['rollup'] or '-'}"]
    for b in d["banners"]:
        out.append(f"  banner   {b['line']}:{b['column']}  {b['text']}  ->  "
                   f"{b['canonical'] or '(unparsed: ' + str(b['error']) + ')'}")
    for p in d["portions"]:
        if p["mark"] is None:
            out.append(f"  portion  {p['line']}:{p['column']}  (unmarked {p['kind']})")
        else:
            m = p["mark"]
            out.append(f"  portion  {m['line']}:{m['column']}  {m['text']}  ->  "
                       f"{m['canonical'] or '(unparsed: ' + str(m['error']) + ')'}")
    a = d["authority"]
    if a:
        shown = {k: v for k, v in a.items() if v not in (None, False, [], ())
                 and not k.endswith("span")}
        out.append(f"  authority: {shown}")
    return "\n".join(out) + "\n"


def cmd_inspect(args: argparse.Namespace) -> int:
    """``markings inspect``."""
    import json

    from markings.discover import discover
    from markings.read import ReadError

    cfg = _load(args, args.paths)
    fmt = args.output_format or "full"
    items: list[dict[str, Any]] = []
    status = 0
    for path in discover(args.paths, cfg):
        try:
            if path == "-":
                from markings.read import source_from_text
                from markings.scan import build

                name = args.stdin_filename or "<stdin>"
                doc = build(source_from_text(_read_stdin(), path=name), path=name)
            else:
                from markings.engine import inspect_file

                doc = inspect_file(path)
        except ReadError as exc:
            print(f"markings: {path}: {exc.message}", file=sys.stderr)
            status = 1
            continue
        items.append(inspect_dict(doc))
    if fmt == "json":
        text = json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "json-lines":
        text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    else:
        text = "\n".join(_inspect_text(i) for i in items)
    _emit(text, args)
    return status


def cmd_rules(args: argparse.Namespace) -> int:
    """``markings rules``."""
    import json

    from markings.registry import all_rules

    rules = all_rules()
    if args.show_format == "json":
        data = [{"code": r.code, "name": r.name, "severity": r.severity.value,
                 "catalogue": r.catalogue, "profiles": sorted(r.profiles),
                 "summary": r.summary} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    w = max((len(r.name) for r in rules), default=10)
    for r in rules:
        sys.stdout.write(f"{r.code}  {r.name:<{w}}  {r.severity.value:<7}  {r.summary}\n")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    """``markings rule CODE|NAME``."""
    import json

    from markings.registry import get_rule

    r = get_rule(args.rule)
    if r is None:
        raise UsageError(f"unknown rule `{args.rule}` (see `markings rules`).")
    if args.show_format == "json":
        sys.stdout.write(json.dumps({"code": r.code, "name": r.name,
                                     "severity": r.severity.value, "catalogue": r.catalogue,
                                     "profiles": sorted(r.profiles), "doc": r.doc}, indent=2)
                         + "\n")
        return 0
    from markings.docgen import rule_page

    sys.stdout.write(rule_page(r))
    return 0


def _toml_value(v: Any) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}"
                                for k, x in v.items()) + " }"
    return json.dumps(str(v))


def cmd_config(args: argparse.Namespace) -> int:
    """``markings config``: the merged configuration."""
    import json

    cfg = _load(args, args.paths or ["."])
    data = cfg.model_dump(mode="json", by_alias=True)
    if args.show_format == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    lines = ["[tool.markings]"]
    for k, v in data.items():
        if v is None:
            lines.append(f"# {k} = (not set)")
        else:
            lines.append(f"{k} = {_toml_value(v)}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    """``markings baseline``: write every current finding to the baseline file."""
    from markings.baseline import DEFAULT_BASELINE, write_baseline
    from markings.discover import discover
    from markings.parallel import default_jobs, map_files

    paths = list(args.paths) or ["."]
    cfg = _load(args, paths)
    target = args.baseline_file or cfg.baseline or DEFAULT_BASELINE
    files = [f for f in discover(paths, cfg) if f != "-"]
    jobs = args.jobs if args.jobs is not None else default_jobs()
    findings = [f for rep in map_files(files, cfg, max(1, jobs)) for f in rep.findings]
    n = write_baseline(target, findings)
    print(f"Wrote {n} finding{'s' if n != 1 else ''} from {len(files)} "
          f"file{'s' if len(files) != 1 else ''} to {target}.", file=sys.stderr)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """``markings index build PATHS --db FILE``."""
    if args.index_command != "build":
        raise UsageError("usage: markings index build PATHS --db FILE")
    try:
        from markings.index import build_index
    except ImportError:
        raise UsageError("the classified-portion index is not available in this "
                         "build.") from None
    from markings.index import EmptyIndexError

    cfg = _load(args, args.paths)
    try:
        stats = build_index(args.paths, args.db, config=cfg, force=args.force)
    except (FileNotFoundError, IsADirectoryError, EmptyIndexError) as exc:
        raise UsageError(str(exc)) from None
    for k, v in stats.items():
        print(f"{k}: {v}")
    return 0


_COMMANDS = {"check": cmd_check, "inspect": cmd_inspect, "rules": cmd_rules, "rule": cmd_rule,
             "config": cmd_config, "baseline": cmd_baseline, "index": cmd_index}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, 1 or 2)."""
    # The command line uses no pydantic plugins: skip their discovery.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc_was_enabled = gc.isenabled()
    try:
        return _main(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


# Start-up of `check` allocates many long-lived objects (pydantic schemas, compiled
# regexes, the rule registry): the cyclic collector is off until the imports are done.
_FREEZE: list[bool] = [False]  # gc.freeze() too: only when running as the program


def _gc_ready() -> None:
    """After the imports of a run: collect normally again; as the program, first move what
    exists now out of the collector's sight (``gc.freeze``: collections in a long batch do
    not traverse the modules, schemas and caches again)."""
    if _FREEZE[0] and not gc.isenabled():
        gc.freeze()
    gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `check` is the default command: `markings FILE` == `markings check FILE`.
    if not args_list or (args_list[0] not in _COMMANDS and args_list[0] not in
                         ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    if args.command == "check" and gc.isenabled():
        _FREEZE[0] = argv is None
        gc.disable()  # re-enabled by _gc_ready before the files are checked, or by main
    try:
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"markings: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error must not look like "findings"
        import traceback

        traceback.print_exc()
        print(f"markings: internal error: {type(exc).__name__}: {exc}. Please report this "
              "as a bug.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
