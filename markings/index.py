"""Fingerprint index of classified portions, for finding classified text in other documents.

``build_index(paths, db)`` reads marked documents, and for every portion above UNCLASSIFIED
stores the hashes of its normalised ``k``-word shingles (default 5) in an embedded SQLite
database, with the source document, the portion's paragraph number, line and marking. No
text is stored, only 64-bit hashes.

``check_against(doc, db)`` hashes the shingles of a checked document, looks them up, and
reports every run of consecutive matching shingles that covers at least ``min_words`` words
(default 8) with at least three content words, from a portion whose classification is above
the checked passage's own marking. Shingles found in more than ``max_df`` indexed documents
are boilerplate and never count, so common phrases do not match.

Safety: the index is built into a temporary file in the target directory and moved into
place with :func:`os.replace`; an interrupted build leaves the previous index untouched.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markings.config import Config
    from markings.document import Document

SCHEMA_VERSION = "1"
K = 5
MIN_WORDS = 8
MAX_DF = 25
_WORD = re.compile(r"[^\W_]+")
# inline annotations of tokenized cables and stray HTML, blanked to keep offsets
_NOISE = re.compile(r"<[^<>\n]{0,300}>|\[(?:PER|LOC|ORG|MISC)[ \t]|[ \t]{2}\]|\u00b6")
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "ours", "she", "so", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your"])


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Normalised words of ``text`` with their offsets: NFKC, casefolded, punctuation dropped."""
    view = _NOISE.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _WORD.finditer(view):
        w = m.group(0)
        if not w.isascii():
            w = unicodedata.normalize("NFKC", w)
        out.append((m.start(), m.end(), w.casefold()))
    return out


def shingle_hash(words: Iterable[str]) -> int:
    """Signed 64-bit hash of a shingle (stable across processes, unlike ``hash``)."""
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def shingles(words: list[str], k: int = K) -> list[int]:
    """Hashes of every ``k``-word window of ``words`` (position ``i`` starts at word ``i``)."""
    return [shingle_hash(words[i:i + k]) for i in range(len(words) - k + 1)]


# --- building ---------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(id INTEGER PRIMARY KEY, path TEXT NOT NULL, level INTEGER NOT NULL,
                       marking TEXT);
CREATE TABLE portions(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id),
                      number TEXT, line INTEGER NOT NULL, start INTEGER NOT NULL,
                      "end" INTEGER NOT NULL, level INTEGER NOT NULL, marking TEXT,
                      words INTEGER NOT NULL);
CREATE TABLE shingles(h INTEGER NOT NULL, portion INTEGER NOT NULL,
                      PRIMARY KEY(h, portion)) WITHOUT ROWID;
"""

_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".rst", ".adoc", ".docx", ".pdf")


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*"))
                       if f.is_file() and f.suffix.lower() in _SUFFIXES)
        elif path.is_file():
            out.append(str(path))
    return out


def _load(path: str, cfg: Config | None) -> Document | None:
    from markings.read import read_path
    from markings.scan import build

    try:
        src = read_path(path, max_bytes=cfg.max_file_size if cfg else 20_000_000)
        return build(src, path=path)
    except Exception:  # noqa: BLE001 -- unreadable files are simply not indexed; `stats` counts them
        return None


def classified_segments(doc: Document) -> Iterator[tuple[int, int, Any, str | None, str, int]]:
    """``(start, end, level, number, marking, line)`` of every portion above UNCLASSIFIED.

    Unmarked portions of a classified document take the document's level (marked
    ``(overall)``); a classified document without portions is one segment.
    """
    from markings.model import Level
    from markings.redaction.common import document_level, portion_level

    dlevel = document_level(doc)
    if not doc.portions:
        if dlevel > Level.U:
            yield 0, len(doc.text), dlevel, None, "(overall)", 1
        return
    for p in doc.portions:
        lv = portion_level(p)
        mark = p.mark.text if p.mark is not None and lv is not None else "(overall)"
        if lv is None:
            lv = dlevel
        if lv > Level.U:
            start = p.mark.span.end if p.mark is not None else p.span.start
            yield start, p.span.end, lv, p.number, mark, p.span.line


def build_index(paths: Iterable[str | os.PathLike[str]], db: str | os.PathLike[str], *,
                config: Config | None = None, k: int = K) -> dict[str, Any]:
    """Fingerprint the classified portions of ``paths`` (files or folders) into ``db``.

    The database is written to a temporary file next to ``db`` and renamed into place at the
    end, so an interrupted build never leaves a corrupt index. Returns statistics:
    ``files``, ``documents``, ``unreadable``, ``portions``, ``shingles``, ``seconds``,
    ``docs_per_second``, ``bytes``.
    """
    from markings.redaction.common import document_level

    t0 = time.perf_counter()
    target = Path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    files = _files(paths)
    stats: dict[str, Any] = {"files": len(files), "documents": 0, "unreadable": 0,
                             "portions": 0, "shingles": 0}
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                           "PRAGMA temp_store=FILE;" + _SCHEMA +
                           "CREATE TEMP TABLE raw(h INTEGER NOT NULL, portion INTEGER NOT NULL);")
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("schema", SCHEMA_VERSION), ("k", str(k)),
                          ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        doc_id = 0
        portion_id = 0
        for path in files:
            doc = _load(path, config)
            if doc is None:
                stats["unreadable"] += 1
                continue
            doc_id += 1
            stats["documents"] += 1
            dlevel = document_level(doc)
            banner = doc.banners[0].text if doc.banners else None
            conn.execute("INSERT INTO documents VALUES (?, ?, ?, ?)",
                         (doc_id, os.path.abspath(path), int(dlevel), banner))
            rows: list[tuple[int, int]] = []
            for start, end, level, number, mark, line in classified_segments(doc):
                words = [w for _, _, w in tokens(doc.text[start:end])]
                if len(words) < k:
                    continue
                portion_id += 1
                conn.execute("INSERT INTO portions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (portion_id, doc_id, number, line, start, end, int(level), mark,
                              len(words)))
                rows.extend((h, portion_id) for h in set(shingles(words, k)))
            stats["portions"] = portion_id
            conn.executemany("INSERT INTO raw VALUES (?, ?)", rows)
        conn.execute("INSERT OR IGNORE INTO shingles SELECT h, portion FROM raw "
                     "ORDER BY h, portion")
        stats["shingles"] = conn.execute("SELECT COUNT(*) FROM shingles").fetchone()[0]
        conn.execute("DROP TABLE raw")
        conn.execute("CREATE INDEX portions_doc ON portions(doc)")
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, target)
    stats["seconds"] = round(time.perf_counter() - t0, 3)
    stats["docs_per_second"] = round(stats["documents"] / stats["seconds"], 1) \
        if stats["seconds"] else None
    stats["bytes"] = target.stat().st_size
    return stats


# --- checking ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceRef:
    """Where an indexed portion comes from."""

    path: str
    number: str | None  # paragraph number, when the portion has one
    line: int
    level: int  # markings.model.Level value
    marking: str | None  # the portion mark as written, or "(overall)"


@dataclass(frozen=True)
class IndexMatch:
    """A passage of a checked document that reproduces an indexed classified portion."""

    start: int  # offsets in the checked document's text
    end: int
    words: int  # matched words
    level: int  # the passage's own level (portion mark, else document marking)
    source: SourceRef


def _open_ro(db: str | os.PathLike[str]) -> sqlite3.Connection:
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"index database not found: {db}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is None or row[0] != SCHEMA_VERSION:
        conn.close()
        raise ValueError(f"{db}: not a markings index (schema {row[0] if row else 'missing'})")
    return conn


def check_against(doc: Document, db: str | os.PathLike[str], *, min_words: int = MIN_WORDS,
                  max_df: int = MAX_DF, min_content: int = 3) -> list[IndexMatch]:
    """Passages of ``doc`` that reproduce an indexed portion classified above their own marking.

    One match per (passage, source portion); passages are maximal runs of consecutive
    matching shingles of one source portion.
    """
    from markings.redaction.common import level_at

    conn = _open_ro(db)
    try:
        k = int(conn.execute("SELECT value FROM meta WHERE key='k'").fetchone()[0])
        toks = tokens(doc.text)
        words = [w for _, _, w in toks]
        hashes = shingles(words, k)
        if not hashes:
            return []
        positions: dict[int, list[int]] = defaultdict(list)
        for i, h in enumerate(hashes):
            positions[h].append(i)
        conn.execute("CREATE TEMP TABLE q(h INTEGER PRIMARY KEY)")
        conn.executemany("INSERT OR IGNORE INTO q VALUES (?)", ((h,) for h in positions))
        rows = conn.execute(
            "SELECT s.h, s.portion, p.doc FROM q CROSS JOIN shingles s ON s.h = q.h "
            "CROSS JOIN portions p ON p.id = s.portion").fetchall()  # force the index path
        docs_per_hash: dict[int, set[int]] = defaultdict(set)
        for h, _, d in rows:
            docs_per_hash[h].add(d)
        self_path = os.path.abspath(doc.path)
        by_portion: dict[int, set[int]] = defaultdict(set)
        for h, portion, _ in rows:
            if len(docs_per_hash[h]) > max_df:
                continue  # boilerplate shared by many documents
            by_portion[portion].update(positions[h])
        matches: list[IndexMatch] = []
        meta: dict[int, SourceRef | None] = {}
        for portion, pos_set in by_portion.items():
            pos = sorted(pos_set)
            run_start = prev = pos[0]
            for p in pos[1:] + [None]:  # type: ignore[list-item]
                if p is not None and p == prev + 1:
                    prev = p
                    continue
                first, last = run_start, prev + k - 1  # word indices, inclusive
                n = last - first + 1
                content = {w for w in words[first:last + 1] if w not in STOPWORDS}
                if n >= min_words and len(content) >= min_content:
                    if portion not in meta:
                        meta[portion] = _source(conn, portion, self_path)
                    src = meta[portion]
                    if src is not None:
                        lvl = int(level_at(doc, toks[first][0]))
                        if src.level > lvl:
                            matches.append(IndexMatch(toks[first][0], toks[last][1], n, lvl,
                                                      src))
                if p is not None:
                    run_start = prev = p
        matches.sort(key=lambda m: (m.start, m.source.path, m.source.line))
        return matches
    finally:
        conn.close()


def _source(conn: sqlite3.Connection, portion: int, self_path: str) -> SourceRef | None:
    row = conn.execute(
        "SELECT d.path, p.number, p.line, p.level, p.marking FROM portions p "
        "JOIN documents d ON d.id = p.doc WHERE p.id = ?", (portion,)).fetchone()
    if row is None or row[0] == self_path:
        return None  # a document never leaks into itself
    return SourceRef(path=row[0], number=row[1], line=row[2], level=row[3], marking=row[4])


def index_info(db: str | os.PathLike[str]) -> dict[str, Any]:
    """Counts and metadata of an index (for ``markings index info`` and the benchmarks)."""
    conn = _open_ro(db)
    try:
        info: dict[str, Any] = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        for table in ("documents", "portions", "shingles"):
            info[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        info["bytes"] = Path(db).stat().st_size
        return info
    finally:
        conn.close()
