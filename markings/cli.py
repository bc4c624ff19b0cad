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


def _add_output(p: argparse.ArgumentParser, formats: Sequence[str] = FORMATS,
                findings: bool = True) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--output-format", choices=formats, metavar="FORMAT",
                   help=f"One of: {', '.join(formats)} (default: full).")
    g.add_argument("--output-file", "-o", metavar="FILE", help="Write the report to FILE.")
    g.add_argument("--no-color", action="store_true", help="No colours (NO_COLOR also works).")
    if not findings:  # inspect: no footer, excerpts or progress to leave out
        return
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
    c.add_argument("--stdin-filename", metavar="NAME",
                   help="Name of the document read from standard input (implies -).")
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

    i = sub.add_parser("inspect", help="Show the document model (banners, portions, authority).",
                       description="Show the document model of files, directories or stdin "
                                   "(-): overall marking, roll-up, banners, portions with "
                                   "their positions, authority block. One object per file "
                                   "with --output-format json or json-lines.")
    i.add_argument("paths", nargs="*", metavar="PATH", help="Files, directories or - (stdin).")
    i.add_argument("--stdin-filename", metavar="NAME",
                   help="Name of the document read from standard input (implies -).")
    i.add_argument("--config", metavar="FILE",
                   help="Configuration file (pyproject.toml or .markings.toml).")
    i.add_argument("--isolated", action="store_true", help="Ignore configuration files.")
    _add_output(i, ("full", "json", "json-lines"), findings=False)

    r = sub.add_parser("rules", help="List the rules.",
                       description="List the rules (code, name, severity, summary), all of "
                                   "them or those matching the selectors, as in --select: "
                                   "`markings rules MK1 unused-suppression`.")
    r.add_argument("selectors", nargs="*", metavar="SELECTOR",
                   help="Codes, code prefixes (MK1) or names to list (default: every rule).")
    r.add_argument("--output-format", dest="show_format", choices=("full", "json"),
                   default="full", metavar="FORMAT",
                   help="full (a table, default) or json (an array of rules).")
    r1 = sub.add_parser("rule", help="Explain one rule.",
                        description="Print the documentation of one rule (what it checks, "
                                    "why, an example, the fix, its options).")
    r1.add_argument("rule", metavar="CODE|NAME", help="The rule's code (MK101) or name.")
    r1.add_argument("--output-format", dest="show_format", choices=("full", "json"),
                    default="full", metavar="FORMAT",
                    help="full (Markdown page, default) or json.")

    cf = sub.add_parser("config", help="Show the merged configuration.",
                        description="Show the configuration that applies to PATH (default: "
                                    "the working directory): the file it comes from, the "
                                    "directory its relative paths resolve against, and every "
                                    "key after defaults and command-line options are merged.")
    cf.add_argument("paths", nargs="*", metavar="PATH",
                    help="Where to look for the configuration (default: .).")
    _add_selection(cf)
    cf.add_argument("--output-format", dest="show_format", choices=("toml", "json"),
                    default="toml", metavar="FORMAT", help="toml (default) or json.")

    b = sub.add_parser("baseline", help="Write a baseline of the current findings.",
                       description="Check PATHS and write every current finding to a "
                                   "baseline file; `check --baseline FILE` then reports only "
                                   "new findings. Internal errors (MK009) are never written.")
    b.add_argument("paths", nargs="*", metavar="PATH",
                   help="Files or directories to check (default: .).")
    b.add_argument("--baseline-file", "--output-file", "-o", dest="baseline_file",
                   metavar="FILE", help="Where to write (default: the configured baseline "
                                        "or .markings-baseline.json).")
    b.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="Worker processes (default: number of cores).")
    _add_selection(b)

    ix = sub.add_parser("index", help="Index of classified portions, for `check --against`.",
                        description="Build the index of classified portions that `check "
                                    "--against DB` compares documents with (MK740).")
    ixs = ix.add_subparsers(dest="index_command", metavar="ACTION")
    ib = ixs.add_parser("build", help="Fingerprint the classified portions of marked "
                                      "documents into an index.",
                        description="Fingerprint the classified portions of marked documents "
                                    "into an index (no text is stored).")
    ib.add_argument("paths", nargs="+", metavar="PATH",
                    help="Marked documents or directories to index.")
    ib.add_argument("--db", required=True, metavar="FILE", help="The index file to write.")
    ib.add_argument("--force", action="store_true",
                    help="Write the index even when no classified portion was found.")
    ib.add_argument("--config", metavar="FILE",
                    help="Configuration file (pyproject.toml or .markings.toml).")
    ib.add_argument("--isolated", action="store_true", help="Ignore configuration files.")
    parser.set_defaults(_parsers={"check": c, "inspect": i, "rules": r, "rule": r1,
                                  "config": cf, "baseline": b, "index": ix, "index build": ib})
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
        args.config_source = path  # (for `markings config`)
        if (cfg.select or cfg.extend_select or cfg.ignore or cfg.per_file_ignores
                or cfg.rules or cfg._cli_selection is not None):
            # (nothing to check otherwise, and no rule module to import)
            validate_rules(cfg, str(path) if path else "command line")
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "against", None):
        cfg.settings.against = args.against
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


def _check_output_file(path: str | None, what: str = "--output-file") -> None:
    """Fail early (exit 2) when ``path`` cannot be written, before any work is done."""
    if not path:
        return
    target = os.path.abspath(path)
    parent = os.path.dirname(target)
    if os.path.isdir(target):
        raise UsageError(f"cannot write {what} {path}: it is a directory.")
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {what} {path}: directory {parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {what} {path}: directory {parent} is not writable.")


def write_atomic(path: str, text: str, what: str = "--output-file") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory, so a
    reader never sees a half-written report; a failure is a usage error (exit 2)."""
    import tempfile

    target = os.path.abspath(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".markings-", suffix=".tmp",
                                   dir=os.path.dirname(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise UsageError(f"cannot write {what} {path}: "
                         f"{exc.strerror or type(exc).__name__}.") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _emit(text: str, args: argparse.Namespace) -> None:
    if getattr(args, "output_file", None):
        write_atomic(args.output_file, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def progress_wanted(args: argparse.Namespace, fmt: str, stdout: Any = None,
                    stderr: Any = None, stdin: Any = None,
                    environ: Any = None) -> bool:
    """Whether a progress bar may appear: a human format, not quiet, someone at a terminal
    (stdin, stdout and stderr all terminals: never when piped or redirected) and not run by
    pre-commit. pre-commit sets ``PRE_COMMIT=1`` for its hooks and may give them a
    pseudo-terminal; a bar's cursor-up and erase codes would wipe pre-commit's own lines."""
    if fmt not in ("full", "concise") or getattr(args, "quiet", False):
        return False
    if getattr(args, "output_file", None) or getattr(args, "statistics", False):
        return False
    if (environ if environ is not None else os.environ).get("PRE_COMMIT"):
        return False
    return _isatty(stdout if stdout is not None else sys.stdout) and \
        _isatty(stderr if stderr is not None else sys.stderr) and \
        _isatty(stdin if stdin is not None else sys.stdin)


def _read_stdin() -> bytes:
    """Standard input as bytes: decoded and checked by the reader exactly as a file is
    (byte-order marks, the Windows-1252 fallback, empty, binary, oversized)."""
    if hasattr(sys.stdin, "buffer"):
        return bytes(sys.stdin.buffer.read())
    return sys.stdin.read().encode("utf-8", errors="surrogateescape")


class _Progress:
    """A rich progress bar on stderr, shown only once a run has taken a few seconds
    (:data:`_PROGRESS_AFTER`): short runs, such as a pre-commit hook's, never show one."""

    def __init__(self, total: int, enabled: bool, *, clock: Any = None,
                 file: TextIO | None = None) -> None:
        import time

        self.clock = clock or time.monotonic
        self.total = total
        self.enabled = enabled and total > 1
        self.t0 = self.clock()
        self.file = file
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if self.clock() - self.t0 < _PROGRESS_AFTER:
                return
            from rich.console import Console  # lazily: most runs never get here
            from rich.progress import Progress

            console = Console(stderr=True) if self.file is None else \
                Console(file=self.file, force_terminal=True)
            self.bar = Progress(console=console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Checking", total=self.total)
        self.bar.update(self.task, completed=done)

    @property
    def shown(self) -> bool:
        return self.bar is not None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- running checks -------------------------------------------------------------------------

def unique_files(files: Sequence[str]) -> list[str]:
    """``files`` without repeats of one file under another spelling (``a.txt``,
    ``./a.txt``, ``/abs/a.txt``, a symlink): compared by resolved path, the first spelling
    kept, order unchanged. ``-`` (standard input) is kept once."""
    seen: set[str] = set()
    out = []
    for f in files:
        key = f if f == "-" else os.path.normcase(os.path.realpath(f))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _stdin_name(args: argparse.Namespace) -> str:
    return getattr(args, "stdin_filename", None) or "<stdin>"


def _stdin_paths(args: argparse.Namespace, paths: list[str]) -> list[str]:
    """``--stdin-filename`` means the document comes from standard input (as in ruff): it
    implies ``-``, and other paths are ignored with a warning."""
    if not getattr(args, "stdin_filename", None):
        return paths
    others = [p for p in paths if p != "-"]
    if others:
        print(f"markings: warning: ignoring {', '.join(others)}: --stdin-filename reads "
              "the document from standard input.", file=sys.stderr)
    return ["-"]


def _run_checks(args: argparse.Namespace, cfg: Config, files: list[str], *,
                identity_root: str | None, progress: _Progress | None = None
                ) -> tuple[list[Finding], list[str], str | None]:
    """Check ``files`` (``-``: standard input) with the batch engine, cross-file checks
    included. Returns the findings (paths as displayed), the names checked and the stdin text.

    With ``identity_root`` (the directory of the baseline file), findings are computed for
    paths relative to that directory, so their fingerprints, which hash the path, do not
    depend on the working directory; their ``path`` is then set back to the displayed one.
    """
    from markings.baseline import entry_path
    from markings.discover import is_excluded

    checked: list[str] = []
    stdin_text: str | None = None
    disk = [f for f in files if f != "-"]
    stdin_name: str | None = None
    stdin_data = b""
    if "-" in files:
        name = _stdin_name(args)
        stdin_data = _read_stdin()
        from markings.read import decode_bytes

        stdin_text = decode_bytes(stdin_data)  # for the excerpts of the full output
        if not (cfg.force_exclude and args.stdin_filename and is_excluded(name, cfg)):
            stdin_name = name
    jobs = 1
    if disk:
        from markings.parallel import default_jobs

        jobs = args.jobs if getattr(args, "jobs", None) is not None else default_jobs()
        if jobs < 1:
            raise UsageError("--jobs must be at least 1.")
    shown = disk + ([stdin_name] if stdin_name is not None else [])
    names = {entry_path(f, identity_root): f for f in shown}  # identity -> as shown
    remap = identity_root is not None and any(k != v for k, v in names.items())
    ident = {v: k for k, v in names.items()}
    here = os.getcwd()
    if remap and cfg._root is None:  # globs without a config file: the working directory
        cfg = cfg.model_copy()
        cfg._root = here
    found: list[Finding] = []
    try:
        if remap:
            # Check the documents under their baseline-relative names, from the baseline's
            # directory (a process pool created now starts its workers there); restored
            # below, before anything is reported.
            os.chdir(identity_root)  # type: ignore[arg-type]
        if stdin_name is not None:
            from markings.engine import check_bytes

            _gc_ready()
            found.extend(check_bytes(stdin_data, ident[stdin_name], config=cfg).findings)
            checked.append(stdin_name)
        if disk:
            import markings.scan  # noqa: F401  (imported before gc.freeze, see _gc_ready)
            from markings.engine import check_files

            _gc_ready()
            found.extend(check_files([ident[f] for f in disk], cfg, jobs=jobs,
                                     scheduler=getattr(args, "dask", None),
                                     progress=progress))
            checked.extend(disk)
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if remap:
            os.chdir(here)
        if progress is not None:
            progress.close()
    if remap:
        found = [f.model_copy(update={"path": names[f.path]}) if f.path in names else f
                 for f in found]
    found.sort(key=lambda f: f.sort_key)
    return found, checked, stdin_text


# --- commands -------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    """``markings check``."""
    from markings.findings import Severity

    paths = _stdin_paths(args, list(args.paths)) or ["."]
    cfg = _load(args, paths)
    if cfg.settings.against:  # only commands that check documents use the index
        _check_against_index(str(cfg.settings.against))
    fmt = cfg.output_format
    if args.statistics:
        from markings.output.stats import STATISTICS_FORMATS

        if fmt not in STATISTICS_FORMATS:
            raise UsageError(f"--statistics is not available with --output-format {fmt} "
                             f"(use {', '.join(STATISTICS_FORMATS)}).")
    _check_output_file(args.output_file)
    from markings.discover import discover

    files = unique_files(discover(paths, cfg))
    if args.show_files:
        _emit("".join(f"{f}\n" for f in files), args)
        return 0
    known = None
    if cfg.baseline:
        from markings.baseline import BaselineError, load_baseline

        try:  # before checking: a missing baseline is a usage error, found at once
            known = load_baseline(cfg.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    root = os.path.dirname(os.path.abspath(cfg.baseline)) if cfg.baseline else None
    progress = _Progress(len([f for f in files if f != "-"]), progress_wanted(args, fmt))
    findings, checked, stdin_text = _run_checks(args, cfg, files, identity_root=root,
                                                progress=progress)
    if known is not None:
        from markings.baseline import filter_new

        findings = filter_new(findings, known, root=root)

    from markings.output import OutputContext, render

    def source(path: str) -> str | None:
        if stdin_text is not None and path == _stdin_name(args):
            return stdin_text
        if path.lower().endswith((".docx", ".pdf")):
            return None
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        from markings.read import decode_bytes  # as the reader decoded it: same positions

        return decode_bytes(data)

    ctx = OutputContext(format=fmt, files=checked, color=_color(args, sys.stdout),
                        statistics=args.statistics, quiet=args.quiet, source=source,
                        extra={"docs_url": cfg.docs_url})
    _emit(render(findings, ctx), args)
    if _internal_errors(findings):
        return 2
    if args.exit_zero:
        return 0
    threshold = Severity(cfg.fail_on).rank
    return 1 if any(f.severity.rank >= threshold for f in findings) else 0


def _internal_errors(findings: Sequence[Finding]) -> bool:
    """Whether a rule or the scanner crashed (``MK009``): reported as a finding like any
    other, but the run exits 2 whatever ``--exit-zero`` and ``--fail-on`` say (a bug in
    markings must not pass as a clean or merely failing check)."""
    n = sum(1 for f in findings if f.code == "MK009")
    if n:
        print(f"markings: error: {n} internal error{'s' if n != 1 else ''} (MK009); the "
              "results are incomplete. Please report this as a bug.", file=sys.stderr)
    return n > 0


def cmd_inspect(args: argparse.Namespace) -> int:
    """``markings inspect``: one object per file (:mod:`markings.inspection`); a file that
    cannot be read is an object with the same keys, empty, plus ``code`` and ``error``
    (and exit code 1)."""
    import json

    from markings.discover import discover
    from markings.inspection import inspect_dict as build_dict
    from markings.inspection import inspect_text, unreadable_dict
    from markings.read import ReadError

    paths = _stdin_paths(args, list(args.paths))
    if not paths:
        raise UsageError("inspect needs a PATH, or - / --stdin-filename for standard input.")
    cfg = _load(args, paths)
    fmt = args.output_format or "full"
    _check_output_file(args.output_file)
    items: list[dict[str, Any]] = []
    status = 0
    for path in discover(paths, cfg):
        name = _stdin_name(args) if path == "-" else path
        try:
            if path == "-":
                from markings.read import read_bytes
                from markings.scan import build

                doc = build(read_bytes(_read_stdin(), name, max_bytes=cfg.max_file_size),
                            path=name)
            else:
                from markings.engine import inspect_file

                doc = inspect_file(path, max_bytes=cfg.max_file_size)
        except ReadError as exc:
            print(f"markings: {name}: {exc.message}", file=sys.stderr)
            items.append(unreadable_dict(name, exc.code, exc.message))
            status = 1
            continue
        items.append(build_dict(doc, cfg))
    if fmt == "json":
        text = json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "json-lines":
        text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    else:
        text = "\n".join(inspect_text(i) for i in items)
    _emit(text, args)
    return status


def cmd_rules(args: argparse.Namespace) -> int:
    """``markings rules``."""
    import json

    from markings.registry import all_rules

    rules = all_rules()
    if args.selectors:
        rules = _select_rules(rules, args.selectors)
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


def _select_rules(rules: list[Any], selectors: Sequence[str]) -> list[Any]:
    """The rules matching any selector: ``ALL``, a code prefix (``MK1``), a code or a name
    (as ``--select`` reads them); an unknown selector is a usage error."""
    from markings.selection import matches

    out: set[str] = set()
    for sel in selectors:
        s = sel.strip()
        hit = {r.code for r in rules if matches(r, s)}
        if not hit:
            raise UsageError(f"unknown rule selector `{s}`{_rule_suggestion(s, rules)}.")
        out |= hit
    return [r for r in rules if r.code in out]


def _rule_suggestion(word: str, rules: Sequence[Any]) -> str:
    """`` (did you mean `rollup-class-mismatch`?)`` from the rule names and codes."""
    import difflib

    prefixed = [r for r in rules if word and r.code.startswith(word.strip().upper())]
    if prefixed:
        return (f" (a prefix of {len(prefixed)} rule{'s' if len(prefixed) != 1 else ''}: see "
                f"`markings rules {word.strip().upper()}`)")
    names = [r.name for r in rules]
    close = difflib.get_close_matches(word.lower(), names, n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.upper(), [r.code for r in rules], n=3,
                                          cutoff=0.75)
    if not close:
        return " (see `markings rules`)"
    quoted = [f"`{c}`" for c in close]
    alts = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {alts}?)"


def cmd_rule(args: argparse.Namespace) -> int:
    """``markings rule CODE|NAME``."""
    import json

    from markings.registry import get_rule

    r = get_rule(args.rule)
    if r is None:
        from markings.registry import all_rules

        raise UsageError(f"unknown rule `{args.rule}`{_rule_suggestion(args.rule, all_rules())}.")
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
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {_toml_value(x)}"
                                for k, x in v.items() if x is not None) + " }"
    return json.dumps(str(v))


def _toml_key(k: str) -> str:
    import json
    import re

    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def config_toml(data: dict[str, Any], prefix: str) -> list[str]:
    """``data`` (kebab-case keys) as TOML: scalars and lists under the ``prefix`` table
    (``tool.markings``, or "" for the top level of ``.markings.toml``), then one sub-table
    per table-valued key. Unset values (None, which TOML cannot write) are comments."""
    def table(name: str) -> str:
        return f"[{prefix}.{name}]" if prefix else f"[{name}]"

    lines = [f"[{prefix}]"] if prefix else []
    tables: list[tuple[str, dict[str, Any]]] = []
    for k, v in data.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif v is None:
            lines.append(f"# {k} = (not set)")
        else:
            lines.append(f"{k} = {_toml_value(v)}")
    for k, v in tables:
        subtables = [(n, x) for n, x in v.items() if isinstance(x, dict)]
        lines += ["", table(k)]
        for n, x in v.items():
            if isinstance(x, dict):
                continue
            lines.append(f"# {_toml_key(n)} = (not set)" if x is None
                         else f"{_toml_key(n)} = {_toml_value(x)}")
        for n, x in subtables:
            lines += ["", table(f"{k}.{_toml_key(n)}")]
            lines += [f"{_toml_key(o)} = {_toml_value(y)}" for o, y in x.items()
                      if y is not None]
    return lines


def cmd_config(args: argparse.Namespace) -> int:
    """``markings config``: the merged configuration, the file it came from (``# source:``)
    and the directory its relative paths and globs resolve against."""
    import json

    cfg = _load(args, args.paths or ["."])
    path = getattr(args, "config_source", None)
    source = str(path) if path is not None else None
    root = cfg._root or os.getcwd()
    data = cfg.model_dump(mode="json", by_alias=True)
    cli: dict[str, Any] | None = None
    if cfg._cli_selection is not None:  # a layer above the file's select/ignore
        select, extend, ignore = cfg._cli_selection
        cli = {"select": list(select) if select is not None else None,
               "extend-select": list(extend), "ignore": list(ignore)}
    if args.show_format == "json":
        shown = {"source": source, "root": root, **data}
        if cli is not None:
            shown["command-line"] = cli
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return 0
    pyproject = path is not None and path.name == "pyproject.toml"
    lines = [f"# source: {source if source is not None else 'defaults'}",
             f"# relative paths resolve against: {root}"]
    if path is None:
        lines.append("# (no configuration file: write these keys under [tool.markings] in "
                     "pyproject.toml, or at the top level of .markings.toml)")
    lines += config_toml(data, "tool.markings" if pyproject or path is None else "")
    if cli is not None:
        lines.append("")
        lines.append("# Command line, applied on top of select/extend-select/ignore above:")
        lines.extend(f"#   --{k} {','.join(v)}" for k, v in cli.items() if v)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    """``markings baseline``: write every current finding to the baseline file.

    The same batch as ``check`` (cross-file checks included), so ``check --baseline`` with
    the file just written reports nothing new.
    """
    from markings.baseline import DEFAULT_BASELINE, baseline_text
    from markings.discover import discover

    paths = list(args.paths) or ["."]
    cfg = _load(args, paths)
    if cfg.settings.against:  # only commands that check documents use the index
        _check_against_index(str(cfg.settings.against))
    target = args.baseline_file or cfg.baseline or DEFAULT_BASELINE
    _check_output_file(target, "the baseline")
    cfg = cfg.model_copy(update={"baseline": None})  # record everything, filter nothing
    files = [f for f in unique_files(discover(paths, cfg)) if f != "-"]
    root = os.path.dirname(os.path.abspath(target))
    findings, _, _ = _run_checks(args, cfg, files, identity_root=root)
    text, n = baseline_text(findings, root=root)
    write_atomic(target, text, "the baseline")
    from markings.discover import display_path

    print(f"Wrote {n} finding{'s' if n != 1 else ''} from {len(files)} "
          f"file{'s' if len(files) != 1 else ''} to {display_path(target)}.", file=sys.stderr)
    return 2 if _internal_errors(findings) else 0  # (internal errors are not written)


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


def _mistyped_command(word: str) -> str | None:
    """The command ``word`` was probably meant to be (``chek`` -> ``check``), when ``word``
    is not an existing path and looks like no path (no separator, no dot)."""
    import difflib

    if (not word or word.startswith("-") or "/" in word or os.sep in word or "." in word
            or os.path.exists(word)):
        return None
    close = difflib.get_close_matches(word.lower(), list(_COMMANDS), n=1, cutoff=0.75)
    return close[0] if close else None


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `check` is the default command: `markings FILE` == `markings check FILE`.
    if not args_list or (args_list[0] not in _COMMANDS and args_list[0] not in
                         ("-h", "--help", "--version")):
        typo = _mistyped_command(args_list[0]) if args_list else None
        if typo is not None:
            print(f"usage: markings COMMAND ...\nmarkings: error: unknown command "
                  f"`{args_list[0]}` (did you mean `{typo}`?); it is not a file or directory "
                  "either.", file=sys.stderr)
            return 2
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(args_list)
        if extra:  # reported by the subcommand's own parser, with its own usage line
            sub = args._parsers.get(args.command, parser)
            if args.command == "index" and getattr(args, "index_command", None):
                sub = args._parsers["index build"]
            sub.error(f"unrecognized arguments: {' '.join(extra)}")
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
