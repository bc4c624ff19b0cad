"""Document files shared by the tests that run over every document we have: the test
fixtures, the shared seeds and, when asked, the shared corpus (each only when present)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from markings.document import Document
from markings.read import ReadError, read_path
from markings.scan import build

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "cables"
SUFFIXES = (".txt", ".md", ".html")


def document_files(*, corpus: bool) -> list[Path]:
    """Fixtures, then seeds, then (with ``corpus``) the corpus cables, each sorted."""
    roots = [ROOT / "tests" / "fixtures", SHARED / "seeds"] + ([CORPUS] if corpus else [])
    out: list[Path] = []
    for d in roots:
        if d.is_dir():
            out += [p for p in sorted(d.rglob("*")) if p.suffix in SUFFIXES]
    return out


def built_documents(files: Iterable[Path]) -> Iterator[Document]:
    """The document model of each readable file (unreadable ones are left out)."""
    for f in files:
        try:
            src = read_path(f)
        except ReadError:
            continue
        yield build(src, path=str(f))
