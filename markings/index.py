"""Fingerprint index of classified portions, for finding classified text in other documents.

``build_index(paths, db)`` reads marked documents, and for every marked portion stores the
hashes of its normalised ``k``-word shingles (default 5) in an embedded SQLite database,
with the source document, the portion's paragraph number, the line of its mark, its mark
and level. An unmarked bullet or sub-paragraph takes the number, level and mark of its
enclosing marked portion. UNCLASSIFIED portions are stored too: their text is public. No
text is stored, only 64-bit hashes.

``check_against(doc, db)`` hashes the shingles of a checked document, looks them up, and
reports every run of consecutive matching shingles of a portion marked above the checked
passage's own marking (a higher level, NOFORN source in a passage without NOFORN, a REL TO
list that does not cover the passage's), when the run covers at least ``min_words`` words
(default 8, three of them content words) that are not public, and is not mostly
capitalised words (a name with a title, an office's name). Text the source document itself
carries in an UNCLASSIFIED portion is public; text that only another document carries as
UNCLASSIFIED makes a conflict (reported, as a warning). Cable transmission and marking
lines are not text. Shingles found in more than ``max_df`` indexed documents, or marked
differently in several (:func:`boilerplate`), never count.

Safety: the index is built into a temporary file next to the target, flushed to disk and
moved into place with :func:`os.replace`; an interrupted build (even SIGKILL) leaves the
previous index untouched, and the next build removes the dead build's temporary file.
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
    from markings.model import Level, Marking

    # (start, end, level, paragraph number, mark as written, line, governing parsed marking)
    Segment = tuple[int, int, Level, str | None, str, int, Marking | None]

SCHEMA_VERSION = "4"
K = 5
MIN_WORDS = 8
MAX_DF = 25
NAME_RATIO = 0.7  # runs with this share of capitalised content words are names/titles
_WORD = re.compile(r"[^\W_]+")
# inline annotations of tokenized cables and stray HTML, blanked to keep offsets
_NOISE = re.compile(r"<[^<>\n]{0,300}>|\[(?:PER|LOC|ORG|MISC)[ \t]|[ \t]{2}\]|\u00b6")
# cable transmission lines and marking lines, blanked too: they are the same in thousands of
# cables and say nothing of the content (routing indicators, FM/TO/INFO address lines, the
# date-time group, spaced classification lines and SECTION n OF m, "Reasons 1.4 (b) and (d)")
_HEADER = re.compile(
    r"^[ \t]*(?:VZCZC\w*|(?:[OPRZ]{1,2}[ \t]+)?RUE[A-Z]{1,6}\b.*|R[A-Z]{4,7}/.*|"
    r"DE[ \t]+R[A-Z]{3,6}[ \t]+#.*|ZNY[ \t].*|(?:[OPRZ][ \t]+){1,2}\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2}.*|"
    r"(?:FM|INFO)[ \t]+[A-Z][A-Z0-9 /.,&()-]*|TO[ \t]+R[A-Z]{3,6}/.*)[ \t]*$"
    r"|(?<![A-Za-z])(?:[A-Z][ \t]){3,}[A-Z](?![A-Za-z])"
    r"|\bSECTION[ \t]+\d{1,2}[ \t]+OF[ \t]+\d{1,2}\b"
    r"|(?i:\breasons?[ \t]*:?[ \t]*1\.?[ \t]?4[ \t]*\(?[ \t]*[a-h][ \t]*\)?"
    r"(?:[ \t]*(?:,|and|&)[ \t]*\(?[ \t]*[a-h][ \t]*\)?)*)", re.MULTILINE)
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "him", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "ours", "she", "so", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your"])


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Normalised words of ``text`` with their offsets: NFKC, casefolded, punctuation dropped."""
    view = _NOISE.sub(lambda m: " " * len(m.group(0)), text)
    view = _HEADER.sub(lambda m: " " * len(m.group(0)), view)
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
CREATE TABLE documents(id INTEGER PRIMARY KEY, path TEXT NOT NULL, shown TEXT NOT NULL,
                       level INTEGER NOT NULL, marking TEXT);
CREATE TABLE portions(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id),
                      number TEXT, line INTEGER NOT NULL, start INTEGER NOT NULL,
                      "end" INTEGER NOT NULL, level INTEGER NOT NULL, marking TEXT,
                      words INTEGER NOT NULL, controls TEXT);
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


def effective_marking(doc: Document, i: int) -> tuple[Any, str | None, str | None]:
    """``(level, number, mark)`` that govern portion ``i`` of ``doc``.

    An unmarked portion (a bullet or sub-paragraph) takes the level and mark of the nearest
    preceding marked block heading within its paragraph, else of its nearest marked
    ancestor (:func:`markings.redaction.common.governing_index`), and the number of its
    nearest numbered ancestor. A marked block heading inside a numbered paragraph (the
    scanner gives it no number and no parent; the bullets after it belong to the
    paragraph) takes the paragraph's number. Level and mark are None when no portion of
    the chain is marked.
    """
    from markings.redaction.common import governing_index, portion_level

    level = mark = None
    g = governing_index(doc, i)
    if g is not None:
        p = doc.portions[g]
        level, mark = portion_level(p), p.mark.text if p.mark is not None else None
    return level, _number_of(doc, i), mark


def _number_of(doc: Document, i: int) -> str | None:
    """Number of portion ``i``, else of its nearest numbered ancestor, else (a block
    heading inside a numbered paragraph: followed by the paragraph's bullets, or written on
    the paragraph's next line) the number of that paragraph."""
    seen: set[int] = set()
    j: int | None = i
    while j is not None and j not in seen and 0 <= j < len(doc.portions):
        seen.add(j)
        if doc.portions[j].number is not None:
            return doc.portions[j].number
        if doc.portions[j].parent is None and j > 0:
            nxt = doc.portions[j + 1].parent if j + 1 < len(doc.portions) else None
            if nxt is not None and nxt < j:
                return _number_of(doc, nxt)
            if "\n\n" not in doc.text[doc.portions[j - 1].span.end:doc.portions[j].span.start]:
                return _number_of(doc, j - 1)
            return None
        j = doc.portions[j].parent
    return None


def segments(doc: Document) -> Iterator[Segment]:
    """``(start, end, level, number, marking, line, parsed)`` of every portion worth indexing.

    Every marked portion is a segment, at its own level (UNCLASSIFIED ones too: their
    text is public and never makes a match). An unmarked bullet or sub-paragraph takes the
    level, number and mark of the block heading or paragraph it sits under
    (:func:`effective_marking`); other unmarked portions take the document's level, marked
    ``(overall)``. A classified document without portions is one segment. Documents with
    no marking at all are not indexed: their text is neither known to be classified nor
    known to be public. ``line`` is the line where the segment's text starts (for a marked
    portion, the line of its mark); ``parsed`` is the governing parsed marking (for its
    dissemination controls), None when unknown.
    """
    from markings.model import Level
    from markings.redaction.common import document_level, marking_at

    dlevel = document_level(doc)
    if not doc.portions:
        if dlevel > Level.U:
            yield 0, len(doc.text), dlevel, None, "(overall)", 1, marking_at(doc, 0)
        return
    marked_doc = doc.style != "unmarked" or bool(doc.banners)
    for i, p in enumerate(doc.portions):
        lv, number, mark = effective_marking(doc, i)
        if lv is None:
            if not marked_doc:
                continue
            lv, mark = dlevel, "(overall)"
        if p.mark is not None:
            start, line = p.mark.span.end, p.mark.span.line
        else:
            start, line = p.span.start, p.span.line
        yield (start, p.span.end, lv, number, mark or "(overall)", line,
               marking_at(doc, p.span.start))


_CONTROL_FIELDS = {"level", "owner", "joint", "dissem", "rel_to", "rel_abbrev", "eyes",
                   "display_only", "nonic"}


def controls_json(m: Marking | None) -> str | None:
    """The parts of a marking that say who may see it, as JSON (stored per portion)."""
    if m is None:
        return None
    import json

    return json.dumps(m.model_dump(mode="json", include=_CONTROL_FIELDS),
                      separators=(",", ":"), sort_keys=True)


def controls_marking(text: str | None) -> Marking | None:
    """The marking stored by :func:`controls_json` (None when absent or unreadable)."""
    if not text:
        return None
    from markings.model import Marking

    try:
        return Marking.model_validate_json(text)
    except ValueError:
        return None


class EmptyIndexError(ValueError):
    """A build that would write a useless index (no documents or no classified portion)."""


def _stored_path(path: str, target: Path) -> str:
    """``path`` relative to the index's folder (the index can move with its documents),
    else absolute (another drive)."""
    full = os.path.abspath(path)
    try:
        return Path(os.path.relpath(full, os.path.abspath(target.parent))).as_posix()
    except ValueError:
        return full


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True  # cannot tell (e.g. Windows): keep the file
    return True


def clean_stale_temps(target: Path) -> list[Path]:
    """Delete the temporary files of builds of ``target`` whose process no longer exists.

    A build killed with SIGKILL (or a power loss) cannot remove its ``.NAME.PID.tmp``
    file; the next build of the same index removes it. Returns the files removed.
    """
    removed = []
    prefix = f".{target.name}."
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for f in entries:
        name = f.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix):-len(".tmp")]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid != os.getpid() and _pid_alive(pid):
            continue  # a build running right now
        try:
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def build_index(paths: Iterable[str | os.PathLike[str]], db: str | os.PathLike[str], *,
                config: Config | None = None, k: int = K, force: bool = False,
                progress: Any = None) -> dict[str, Any]:
    """Fingerprint the marked portions of ``paths`` (files or folders) into ``db``.

    Classified portions are stored with their level, document, paragraph number, line and
    mark; UNCLASSIFIED portions are stored too (their shingles are public text and never
    make a match). Documents with no marking at all are read but not indexed.

    Safety: the database is written to ``.NAME.PID.tmp`` next to ``db``, flushed to disk
    (file and directory ``fsync``) and renamed into place with :func:`os.replace`, so an
    interrupted build (an exception, Ctrl-C, SIGKILL, a power loss) leaves the previous
    index as it was; the next build removes temporary files of dead builds. Raises
    ``FileNotFoundError`` for a path that does not exist, and :class:`EmptyIndexError` when
    the build finds no document or no marked portion (unless ``force``), so a typo never
    replaces a good index with an empty one. ``progress``, when given, is called with the
    number of files read so far after each file.

    Returns statistics: ``files``, ``documents``, ``unreadable``, ``unmarked``,
    ``portions`` (classified), ``public_portions``, ``shingles``, ``seconds``,
    ``docs_per_second``, ``bytes``, ``stale_removed``.
    """
    from markings.model import Level
    from markings.redaction.common import document_level

    t0 = time.perf_counter()
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or directory: {', '.join(missing)}")
    target = Path(db)
    if target.is_dir():
        raise IsADirectoryError(f"{db} is a directory; give the index file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    stale = clean_stale_temps(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    files = _files(paths)
    stats: dict[str, Any] = {"files": len(files), "documents": 0, "unreadable": 0,
                             "unmarked": 0, "portions": 0, "public_portions": 0,
                             "shingles": 0, "stale_removed": len(stale)}
    conn = sqlite3.connect(tmp)
    try:
        # no journal and no sync while writing: the file is private until the final fsync
        # and rename below, and a crash before that leaves only a temporary file behind
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                           "PRAGMA temp_store=FILE;" + _SCHEMA +
                           "CREATE TEMP TABLE raw(h INTEGER NOT NULL, portion INTEGER NOT NULL);")
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("schema", SCHEMA_VERSION), ("k", str(k)),
                          ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        doc_id = 0
        portion_id = 0
        for n_read, path in enumerate(files, 1):
            doc = _load(path, config)
            if progress is not None:
                progress(n_read)
            if doc is None:
                stats["unreadable"] += 1
                continue
            stats["documents"] += 1
            segs = list(segments(doc))
            if not segs:
                stats["unmarked"] += 1
                continue
            doc_id += 1
            dlevel = document_level(doc)
            banner = doc.banners[0].text if doc.banners else None
            conn.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                         (doc_id, _stored_path(path, target), os.path.normpath(path),
                          int(dlevel), banner))
            rows: list[tuple[int, int]] = []
            for start, end, level, number, mark, line, parsed in segs:
                words = [w for _, _, w in tokens(doc.text[start:end])]
                if len(words) < k:
                    continue
                portion_id += 1
                stats["portions" if level > Level.U else "public_portions"] += 1
                conn.execute("INSERT INTO portions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (portion_id, doc_id, number, line, start, end, int(level), mark,
                              len(words), controls_json(parsed)))
                rows.extend((h, portion_id) for h in set(shingles(words, k)))
            conn.executemany("INSERT INTO raw VALUES (?, ?)", rows)
        if not force:
            if not stats["documents"]:
                raise EmptyIndexError(
                    f"no readable document found in {', '.join(map(str, paths))}; the index "
                    f"{db} was not written (use --force to write an empty index)")
            if not stats["portions"]:
                raise EmptyIndexError(
                    f"{stats['documents']} document(s) read but none has a classified "
                    f"portion; the index {db} was not written (use --force to write it "
                    "anyway)")
        conn.execute("INSERT OR IGNORE INTO shingles SELECT h, portion FROM raw "
                     "ORDER BY h, portion")
        stats["shingles"] = conn.execute("SELECT COUNT(*) FROM shingles").fetchone()[0]
        conn.execute("DROP TABLE raw")
        conn.execute("CREATE INDEX portions_doc ON portions(doc)")
        conn.commit()
        conn.close()
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
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
    shown: str = ""  # the document's path as given to the build (for messages)
    controls: str | None = None  # the governing marking's controls (:func:`controls_json`)

    @property
    def parsed(self) -> Marking | None:
        """The governing marking (level and dissemination controls), when recorded."""
        return controls_marking(self.controls)


@dataclass(frozen=True)
class IndexMatch:
    """A passage of a checked document that reproduces an indexed classified portion."""

    start: int  # offsets in the checked document's text
    end: int
    words: int  # matched words
    level: int  # the passage's own level (portion mark, else document marking)
    source: SourceRef
    #: why it is a spill: ``level`` (source classified higher), ``NOFORN`` (NOFORN source in
    #: a passage without NOFORN), ``REL TO`` (passage releasable to countries the source is not)
    reasons: tuple[str, ...] = ("level",)
    own_marking: str | None = None  # the passage's marking, portion form; None when unmarked
    required: str | None = None  # the least marking the passage needs, portion form
    #: UNCLASSIFIED portions of other indexed documents holding the same text: the markings
    #: of the sources conflict, and the finding is a warning for a reviewer to look at both
    conflicts: tuple[SourceRef, ...] = ()


def leak_reasons(src: Marking | None, src_level: int, own: Marking | None,
                 own_level: int) -> tuple[tuple[str, ...], str | None]:
    """Why a passage marked ``own`` may not hold text of a portion marked ``src``, and the
    least marking it needs (portion form; None when nothing is wrong).

    ``level``: the source is classified higher. ``NOFORN``: the source is NOFORN and the
    passage is not. ``REL TO``: both carry REL TO and the passage's list names countries
    the source's list does not (:func:`markings.combine.compare`). Controls are compared
    only when both markings are known.
    """
    from markings.model import Level
    from markings.model import Marking as _M
    from markings.render import render_portion
    from markings.combine import compare, has_rel

    reasons: list[str] = []
    if src_level > own_level:
        reasons.append("level")
    nf = rel = False
    extra: tuple[str, ...] = ()
    if src is not None and own is not None:
        nf = src.has("NOFORN")
        if nf and not own.has("NOFORN"):
            reasons.append("NOFORN")
        rel = has_rel(src) and bool(src.rel_to)
        if rel and has_rel(own):
            extra = next((d.extra for d in compare(src, own) if d.category == "rel-to"), ())
            if extra:
                reasons.append("REL TO")
    if not reasons:
        return (), None
    level = Level(max(src_level, own_level))
    try:
        if nf or (own is not None and own.has("NOFORN")):
            need = _M(level=level, dissem=("NOFORN",))
        elif rel and src is not None:
            need = _M(level=level, dissem=("REL TO",), rel_to=src.rel_to)
        else:
            need = _M(level=level)
        return tuple(reasons), render_portion(need)
    except Exception:  # noqa: BLE001 -- the renderer is another module; never crash a check
        return tuple(reasons), f"({level.name})"


def _open_ro(db: str | os.PathLike[str]) -> sqlite3.Connection:
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"index database not found: {db}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.DatabaseError:
        raise ValueError(f"{db}: not a markings index (not an SQLite database or no "
                         "metadata); build one with `markings index build`") from None
    if row is None or row[0] != SCHEMA_VERSION:
        conn.close()
        if row is not None and row[0].isdigit() and int(row[0]) < int(SCHEMA_VERSION):
            raise ValueError(f"{db}: index built by an older version (schema {row[0]}, "
                             f"need {SCHEMA_VERSION}); rebuild it with `markings index build`")
        raise ValueError(f"{db}: not a markings index (schema {row[0] if row else 'missing'})")
    return conn


def validate_index(db: str | os.PathLike[str]) -> None:
    """Raise ``FileNotFoundError`` or ``ValueError`` unless ``db`` is a usable index."""
    conn = _open_ro(db)
    try:
        conn.execute("SELECT 1 FROM shingles LIMIT 1").fetchall()
        conn.execute("SELECT id, doc, number, line, level, marking FROM portions LIMIT 1")
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{db}: damaged markings index ({exc}); rebuild it") from None
    finally:
        conn.close()


def _content(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def _name_like(originals: list[str]) -> bool:
    """True when a run is mostly capitalised words (a name, a title, an office).

    ``originals`` are the run's content words as written in the checked document. A
    passage without lower-case letters (an all-caps telegram) gives no signal and is
    never discounted.
    """
    if not originals or not any(any(c.islower() for c in w) for w in originals):
        return False
    caps = sum(1 for w in originals if w[:1].isupper())
    return caps >= NAME_RATIO * len(originals)


def check_against(doc: Document, db: str | os.PathLike[str], *, min_words: int = MIN_WORDS,
                  max_df: int = MAX_DF, min_content: int = 3) -> list[IndexMatch]:
    """Passages of ``doc`` that reproduce an indexed portion marked above their own marking.

    One match per (passage, source portion); passages are maximal runs of consecutive
    matching shingles of one source portion. "Above" is :func:`leak_reasons`: a higher
    level, a NOFORN source in a passage without NOFORN, or a REL TO source list that does
    not cover the passage's REL TO list.

    A run counts when the words covered by its shingles that do not also occur in
    UNCLASSIFIED indexed text (``novel`` words) number at least ``min_words`` with
    ``min_content`` content words, and the run is not mostly capitalised words (a name
    with a title, an office's name). Text that the source document itself also carries in
    an UNCLASSIFIED portion is public. Text that only *another* document carries in an
    UNCLASSIFIED portion makes the markings conflict: the run is reported with those
    portions in :attr:`IndexMatch.conflicts` (a warning), so one mis-marked ``(U)``
    quotation cannot silence the spill. Shingles of more than ``max_df`` indexed
    documents, and shingles of :func:`boilerplate`, never match.
    """
    from markings.redaction.common import level_at, marking_at

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
            "SELECT s.h, s.portion, p.doc, p.level FROM q CROSS JOIN shingles s ON s.h = q.h "
            "CROSS JOIN portions p ON p.id = s.portion").fetchall()  # force the index path
        # the checked document's own portions (when it is indexed too) never count: neither
        # as a source nor as public text that would excuse its own quotations
        own = {i for (i,) in conn.execute("SELECT id FROM documents WHERE path = ?",
                                         (_stored_path(doc.path, Path(db)),))}
        rows = [r for r in rows if r[2] not in own]
        common = boilerplate(rows, max_df)
        public: dict[int, dict[int, int]] = defaultdict(dict)  # h -> {U portion: its doc}
        portion_doc: dict[int, int] = {}
        by_portion: dict[int, set[int]] = defaultdict(set)
        for h, portion, d, level in rows:
            if level <= 0:
                public[h][portion] = d
            elif h not in common:
                portion_doc[portion] = d
                by_portion[portion].update(positions[h])
        self_path = os.path.abspath(doc.path)
        db_dir = os.path.dirname(os.path.abspath(db))
        matches: list[IndexMatch] = []
        meta: dict[int, SourceRef | None] = {}

        def counts(starts: list[int]) -> bool:
            novel = {w for i in starts for w in range(i, i + k)}
            content = [toks[i] for i in sorted(novel) if _content(words[i])]
            return (len(novel) >= min_words
                    and len({words[i] for i in novel if _content(words[i])}) >= min_content
                    and not _name_like([doc.text[s:e] for s, e, _ in content]))

        for portion, pos_set in by_portion.items():
            src_doc = portion_doc[portion]
            pos = sorted(pos_set)
            run_start = prev = pos[0]
            for p in pos[1:] + [None]:  # type: ignore[list-item]
                if p is not None and p == prev + 1:
                    prev = p
                    continue
                first, last = run_start, prev + k - 1  # word indices, inclusive
                run = [i for i in range(run_start, prev + 1) if i in pos_set]
                # public in the source document itself, or in another document
                same = [i for i in run if src_doc in public.get(hashes[i], {}).values()]
                other = [i for i in run if i not in same and hashes[i] in public]
                conflicts: list[int] = []
                ok = counts([i for i in run if i not in same and i not in other])
                if not ok and other and counts([i for i in run if i not in same]):
                    ok = True
                    cover: dict[int, int] = defaultdict(int)
                    for i in other:
                        for u in public[hashes[i]]:
                            cover[u] += 1
                    conflicts = sorted(cover, key=lambda u: (-cover[u], u))[:3]
                if ok:
                    if portion not in meta:
                        meta[portion] = _source(conn, portion, self_path, db_dir)
                    src = meta[portion]
                    if src is not None:
                        off = toks[first][0]
                        lvl = int(level_at(doc, off))
                        own_m = marking_at(doc, off)
                        reasons, need = leak_reasons(src.parsed, src.level, own_m, lvl)
                        if reasons:
                            refs = tuple(r for r in (_source(conn, u, self_path, db_dir)
                                                     for u in conflicts) if r is not None)
                            matches.append(IndexMatch(
                                off, toks[last][1], last - first + 1, lvl, src, reasons,
                                _portion_form(own_m), need, refs))
                if p is not None:
                    run_start = prev = p
        matches.sort(key=lambda m: (m.start, m.source.path, m.source.line))
        return matches
    finally:
        conn.close()


MIXED_DOCS = 3  # a shingle marked differently in this many documents is boilerplate


def boilerplate(rows: list[tuple[int, int, int, int]], max_df: int,
                mixed_docs: int = MIXED_DOCS) -> set[int]:
    """Shingles that are common phrases and never match. ``rows`` are ``(hash, portion,
    document, level)`` of the indexed documents other than the checked one.

    A shingle is boilerplate when it occurs in more than ``max_df`` documents, or in at
    least ``mixed_docs`` documents whose markings of it disagree: UNCLASSIFIED in two or
    more of them, or two different classified levels. Formulaic text (action-request
    openings, "Post is requested to approach appropriate host government officials",
    classified-website footers) is written at whatever level the rest of the paragraph
    has; text that is really classified is classified alike wherever it is copied. A
    single ``(U)`` copy of otherwise classified text is not enough: that is the conflict
    :func:`check_against` reports as a warning.
    """
    docs: dict[int, set[int]] = defaultdict(set)
    public: dict[int, set[int]] = defaultdict(set)
    levels: dict[int, set[int]] = defaultdict(set)
    for h, _, d, level in rows:
        docs[h].add(d)
        if level <= 0:
            public[h].add(d)
        else:
            levels[h].add(level)
    return {h for h, ds in docs.items()
            if len(ds) > max_df or (len(ds) >= mixed_docs and (
                len(public.get(h, ())) >= 2 or len(levels.get(h, ())) >= 2))}


def _portion_form(m: Marking | None) -> str | None:
    if m is None:
        return None
    from markings.render import render_portion

    try:
        return render_portion(m)
    except Exception:  # noqa: BLE001 -- the renderer is another module
        return f"({m.level.name})"


def _source(conn: sqlite3.Connection, portion: int, self_path: str,
            db_dir: str) -> SourceRef | None:
    row = conn.execute(
        "SELECT d.path, p.number, p.line, p.level, p.marking, d.shown, p.controls "
        "FROM portions p JOIN documents d ON d.id = p.doc WHERE p.id = ?",
        (portion,)).fetchone()
    if row is None:
        return None
    full = os.path.normpath(os.path.join(db_dir, row[0]))
    if full == self_path:
        return None  # a document never leaks into itself
    return SourceRef(path=full, number=row[1], line=row[2], level=row[3], marking=row[4],
                     shown=row[5], controls=row[6])


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
