"""File discovery: expand directories, apply include/exclude globs, keep a stable order.

Globs without a ``/`` match any single path component (``.git``, ``*.pdf``); globs with a
``/`` match the path relative to the configuration's directory (``tests/fixtures/**``).
Explicit file paths are always checked unless ``force-exclude`` is set (pre-commit passes
files explicitly, so the hook uses ``--force-exclude``). ``-`` (standard input) is kept.
"""

from __future__ import annotations

import os
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


def matches_any(path: str, patterns: Iterable[str], root: str | None = None) -> bool:
    """True if ``path`` (or one of its parent directories) matches one of ``patterns``."""
    rel = _rel(path, root or os.getcwd())
    parts = rel.split("/")
    for pat in patterns:
        p = pat.strip().rstrip("/")
        if not p:
            continue
        if p.startswith("./"):
            p = p[2:]
        if "/" not in p:
            if any(fnmatchcase(part, p) for part in parts):
                return True
            continue
        for i in range(len(parts), 0, -1):
            if fnmatchcase("/".join(parts[:i]), p):
                return True
    return False


def is_excluded(path: str, cfg: Config) -> bool:
    """Whether ``exclude`` or ``extend-exclude`` matches ``path``."""
    return matches_any(path, [*cfg.exclude, *cfg.extend_exclude], cfg._root)


def is_included(path: str, cfg: Config) -> bool:
    """Whether a file found in a directory matches ``include``."""
    name = os.path.basename(path)
    return any(fnmatchcase(name, p) or fnmatchcase(name.lower(), p) or
               matches_any(path, [p], cfg._root) for p in cfg.include if p)


def _display(path: str) -> str:
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
        d = _display(p) if p != "-" else p
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
