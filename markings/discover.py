"""File discovery: expand directories, apply include/exclude globs, keep a stable order.

Globs follow gitignore conventions, relative to the directory of the configuration file that
sets them (the working directory when there is none), as in ruff:

* A glob without a ``/`` matches any single path component: ``.git``, ``*.pdf``, ``drafts``
  (a matching directory takes everything inside it along).
* A glob with a ``/`` is anchored at that directory: ``tests/fixtures``, ``docs/*.md``.
  An absolute glob is matched against the absolute path.
* ``*`` and ``?`` never cross a ``/``; ``**`` matches any number of directories, including
  none: ``docs/**/*.txt`` matches ``docs/top.txt`` and ``docs/a/b/c.txt``; ``a/**`` matches
  everything inside ``a``. ``[abc]`` and ``[!abc]`` are character classes.

Explicit file paths are always checked unless ``force-exclude`` is set (pre-commit passes
files explicitly, so the hook uses ``--force-exclude``). ``-`` (standard input) is kept.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from markings.config import Config


def _rel(path: str, root: str) -> str:
    ab = os.path.abspath(path)
    try:
        rel = os.path.relpath(ab, root)
    except ValueError:  # another drive on Windows
        return PurePosixPath(ab).as_posix()
    return PurePosixPath(*rel.split(os.sep)).as_posix() if not rel.startswith("..") else \
        ab.replace(os.sep, "/")


def _class(pat: str, i: int) -> tuple[str, int]:
    """Translate the character class starting at ``pat[i] == "["``; (regex, next index)."""
    j = i + 1
    if j < len(pat) and pat[j] in "!^":
        j += 1
    if j < len(pat) and pat[j] == "]":
        j += 1
    while j < len(pat) and pat[j] != "]":
        j += 1
    if j >= len(pat):  # no closing bracket: a literal "["
        return re.escape("["), i + 1
    body = pat[i + 1:j]
    neg = body[:1] in ("!", "^")
    if neg:
        body = body[1:]
    body = body.replace("\\", "\\\\").replace("]", "\\]").replace("/", "")
    if body.startswith("^"):
        body = "\\" + body
    return ("[^/" + body + "]" if neg else "[" + body + "]"), j + 1


@functools.lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regex for one anchored glob (``/``-separated, no leading ``/``), matched whole."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            stars = j - i
            at_start = i == 0 or pattern[i - 1] == "/"
            at_end = j == n or pattern[j] == "/"
            if stars >= 2 and at_start and at_end:
                if j == n:  # `a/**`: everything below (or, alone, everything)
                    out.append(".*")
                    i = j
                else:  # `**/`: zero or more directories
                    out.append("(?:[^/]+/)*")
                    i = j + 1
                continue
            out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            piece, i = _class(pattern, i)
            out.append(piece)
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _normalise(pattern: str) -> str:
    p = pattern.strip().replace("\\", "/") if os.sep == "\\" else pattern.strip()
    while p.startswith("./"):
        p = p[2:]
    return p.rstrip("/") if p not in ("/",) else p


def matches_any(path: str, patterns: Iterable[str], root: str | None = None) -> bool:
    """True if ``path`` (or one of its parent directories) matches one of ``patterns``.

    Relative globs are resolved against ``root`` (the configuration's directory; default:
    the working directory). See the module documentation for the glob syntax.
    """
    base = root or os.getcwd()
    rel = _rel(path, base)
    parts = rel.split("/")
    absolute: list[str] | None = None
    for pat in patterns:
        p = _normalise(pat)
        if not p:
            continue
        if os.path.isabs(p) or p.startswith("/"):
            # An absolute path (as ruff reads it), or anchored at the root (as gitignore does).
            if absolute is None:
                absolute = os.path.abspath(path).replace(os.sep, "/").lstrip("/").split("/")
            rx = glob_regex(p.replace(os.sep, "/").lstrip("/"))
            if any(rx.fullmatch("/".join(t[:k])) for t in (absolute, parts)
                   for k in range(len(t), 0, -1)):
                return True
            continue
        if "/" not in p:
            rx = glob_regex(p)
            if any(rx.fullmatch(part) for part in parts):
                return True
            continue
        rx = glob_regex(p)
        for k in range(len(parts), 0, -1):
            if rx.fullmatch("/".join(parts[:k])):
                return True
    return False


def per_file_ignores(path: str, cfg: Config) -> list[str]:
    """Rule selectors that ``per-file-ignores`` switches off for ``path``."""
    out: list[str] = []
    for pattern, codes in cfg.per_file_ignores.items():
        if matches_any(path, [pattern], cfg._root):
            out.extend(codes)
    return out


def is_excluded(path: str, cfg: Config) -> bool:
    """Whether ``exclude`` or ``extend-exclude`` matches ``path``."""
    return matches_any(path, [*cfg.exclude, *cfg.extend_exclude], cfg._root)


def is_included(path: str, cfg: Config) -> bool:
    """Whether a file found in a directory matches ``include``."""
    name = os.path.basename(path)
    return any(fnmatchcase(name, p) or fnmatchcase(name.lower(), p) or
               matches_any(path, [p], cfg._root) for p in cfg.include if p)


def display_path(path: str) -> str:
    """A stable spelling: relative to the working directory when under it, POSIX slashes."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
            if not rel.startswith(".."):
                path = rel
        except ValueError:
            pass
    return os.path.normpath(path).replace(os.sep, "/")


def discover(paths: Iterable[str], cfg: Config) -> list[str]:
    """The files to check for ``paths`` under ``cfg``, de-duplicated, in a stable order."""
    out: list[str] = []
    seen: set[str] = set()
    excludes = [*cfg.exclude, *cfg.extend_exclude]

    def add(p: str) -> None:
        d = display_path(p) if p != "-" else p
        if d not in seen:
            seen.add(d)
            out.append(d)

    for raw in paths:
        if raw == "-":
            add(raw)
            continue
        if os.path.isdir(raw):
            if cfg.force_exclude and matches_any(raw, excludes, cfg._root):
                continue
            for dirpath, dirnames, filenames in os.walk(raw):
                dirnames[:] = sorted(d for d in dirnames
                                     if not matches_any(os.path.join(dirpath, d), excludes,
                                                        cfg._root))
                for name in sorted(filenames):
                    fp = os.path.join(dirpath, name)
                    if is_included(fp, cfg) and not matches_any(fp, excludes, cfg._root):
                        add(fp)
        else:
            # A missing explicit path is kept: checking it reports MK001 (unreadable).
            if cfg.force_exclude and matches_any(raw, excludes, cfg._root):
                continue
            add(raw)
    return out
