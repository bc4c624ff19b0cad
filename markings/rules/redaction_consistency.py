"""Rule family redaction consistency (MK730-MK732): deny list, bases, redacted-here-present-there.

Cross-file checks run after the per-file loop through :func:`batch_findings`, which
``markings.engine.check_paths`` calls when a redaction profile is set.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markings.registry import Context, Hit, rule

if TYPE_CHECKING:
    from markings.config import Config
    from markings.document import Document
    from markings.findings import Finding
    from markings.redaction.denylist import DenyList
    from markings.redaction.markers import Marker

REDACTION = ("cables", "foia", "declass", "archival")
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the", "their", "they", "this", "to", "was", "were", "which", "who", "with"])


@functools.lru_cache(maxsize=8)
def _load_deny_list(path: str) -> DenyList:
    from markings.redaction.denylist import load

    return load(path)


@rule("MK730", "protected-term-present", "error", profiles=REDACTION)
def protected_term_present(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A term on the hashed deny list is still present in the document.

    ## What it checks
    Every word n-gram of the text (NFKC, casefolded) is hashed with the deny list's salt
    and compared with the list given by `settings.deny_list` (create one with
    `python -m markings.redaction.denylist FILE < terms.txt`). Needs a deny list; without
    one the rule does nothing.

    ## Why
    "You missed one": a name withheld everywhere except once is disclosed. The list stores
    salted SHA-256 hashes only, so it can sit next to the documents without listing them.

    ## Example
    The list holds `hash("ahmed example")` and a line reads `Ahmed Example confirmed the route`.

    ## Fix
    Withhold every occurrence. The message names the entry by its hash prefix, never the term.
    """
    path = ctx.settings.get("deny_list")
    if not path:
        return
    deny = _load_deny_list(str(path))
    for start, end, digest in deny.matches(doc.text):
        yield Hit(doc.span(start, end),
                  f"Protected term (deny-list entry {digest[:10]}) is present "
                  f"({len(_WORD.findall(doc.text[start:end]))} word(s)). Withhold it.",
                  key=f"deny {digest[:16]}")


def _left_words(text: str, pos: int, n: int, floor: int = 0) -> list[tuple[int, int, str]]:
    chunk_start = max(floor, pos - 40 * n)
    words = [(chunk_start + m.start(), chunk_start + m.end(), m.group(0).casefold())
             for m in _WORD.finditer(text, chunk_start, pos)]
    return words[-n:] if len(words) >= n else []


@rule("MK731", "inconsistent-exemption-basis", "warning", profiles=REDACTION)
def inconsistent_exemption_basis(doc: Document, ctx: Context) -> Iterator[Hit]:
    """The same withheld item is withheld under different legal bases.

    ## What it checks
    Markers that stand in the same context (the same two words before them, e.g.
    `Ambassador [REDACTED ...]`) and carry codes, compared by their code sets. A later marker
    whose codes differ from the first one in that context is reported.

    ## Why
    One name withheld as `(b)(6)` on page 1 and as `(b)(7)(C)` on page 3 is either a
    mistake or two different reviewers; appeals and courts look for such inconsistencies.

    ## Example
    `Ambassador [REDACTED (b)(6)] arrived. ... Ambassador [REDACTED (b)(7)(C)] left.`

    ## Fix
    Use the same codes for the same item.
    """
    from markings.redaction.common import markers_of

    first: dict[tuple[str, ...], tuple[Marker, frozenset[str]]] = {}
    for mk in markers_of(doc):
        codes = frozenset(c.canonical for c in mk.codes if c.valid)
        if not codes:
            continue
        ctxw = _left_words(doc.text, mk.start, 2)
        if not ctxw or ctxw[-1][2] in _STOP or len(ctxw[-1][2]) < 3:
            continue
        key = tuple(w[2] for w in ctxw)
        if key not in first:
            first[key] = (mk, codes)
            continue
        other, other_codes = first[key]
        if codes != other_codes:
            line = doc.span(other.start, other.end).line
            yield Hit(doc.span(mk.start, mk.end),
                      f"Item withheld as {', '.join(sorted(codes))} here but as "
                      f"{', '.join(sorted(other_codes))} at line {line} in the same context. "
                      "Use the same basis for the same item.",
                      key=f"basis {hashlib.sha256(' '.join(key).encode()).hexdigest()[:12]} "
                          f"{' '.join(sorted(codes))}",
                      related=(doc.span(other.start, other.end),))


# --- redacted here, present there -------------------------------------------------------------

@dataclass(frozen=True)
class Twin:
    """A place where text withheld elsewhere appears unredacted."""

    start: int  # offsets of the unredacted term in the checked text
    end: int
    source_start: int  # offsets of the marker in the source text
    source_end: int
    context: str  # hash of the context words around the marker (public text, no term)
    term: str = field(default="", repr=False, compare=False)  # never printed or hashed


def term_labels(twins: Iterable[Twin]) -> dict[str, int]:
    """Number the distinct withheld terms of ``twins`` 1, 2, ... in order of appearance.

    Messages name a term by this number only: a hash of the term (even truncated) would let
    anyone holding the report confirm a guessed name offline.
    """
    labels: dict[str, int] = {}
    for tw in twins:
        labels.setdefault(tw.term, len(labels) + 1)
    return labels


_CTX = 3  # words of context on each side
_MAX_GAP = 6  # longest withheld term, in words


def _words(text: str, markers: Sequence[Marker]) -> list[tuple[int, int, str]]:
    """Words of ``text`` with markers as one placeholder token each."""
    out: list[tuple[int, int, str]] = []
    spans = sorted((mk.start, mk.end) for mk in markers)
    k = 0
    for m in _WORD.finditer(text):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        if k < len(spans) and spans[k][0] <= m.start() < spans[k][1]:
            if not out or out[-1][2] != "\0" or out[-1][0] != spans[k][0]:
                out.append((spans[k][0], spans[k][1], "\0"))
            continue
        out.append((m.start(), m.end(), m.group(0).casefold()))
    return out


def _contexts(words: list[tuple[int, int, str]]) -> list[tuple[tuple[str, ...],
                                                               tuple[str, ...], int, int]]:
    """``(left, right, marker start, marker end)`` around each marker placeholder."""
    out = []
    for i, (s, e, w) in enumerate(words):
        if w != "\0" or i < _CTX or i + _CTX >= len(words):
            continue
        left = tuple(x[2] for x in words[i - _CTX:i])
        right = tuple(x[2] for x in words[i + 1:i + 1 + _CTX])
        if "\0" in left or "\0" in right:
            continue
        if all(_weak(x) for x in left) or all(_weak(x) for x in right):
            continue  # "4. (C/NF) XXXX also noted": a paragraph number and mark, no context
        if left[-2:] == ("classified", "by"):
            continue  # the classifier's name on the "Classified By:" line: a form field
        out.append((left, right, s, e))
    return out


def _weak(word: str) -> bool:
    """A word that does not make a context: a stopword, a number, one or two letters (a
    portion mark's `c`, `nf`)."""
    return word in _STOP or word.isdigit() or len(word) <= 2


def _clear_term(words: Sequence[str]) -> bool:
    """True when the words found in place of a marker are plain text: not another marker
    (`xxxxx`, `XXX`) and holding a word of two letters or more (not the `u` of `U.S.`)."""
    return (not any(re.fullmatch(r"x{3,}", w) for w in words)
            and any(len(w) >= 2 and not w.isdigit() for w in words))


TEMPLATE_TERMS = 3  # a context seen with this many different terms is a form's blank


def drop_templates(twins: list[Twin]) -> list[Twin]:
    """Twins whose context shows at most ``TEMPLATE_TERMS - 1`` different terms.

    A context filled by many different words (`Classified By: ___ for reasons`, a form
    field) is a template slot: each filler is a different item, not the withheld one.
    """
    terms: dict[str, set[str]] = defaultdict(set)
    for tw in twins:
        terms[tw.context].add(tw.term)
    return [tw for tw in twins if len(terms[tw.context]) < TEMPLATE_TERMS]


def _context_map(sources: Sequence[tuple[str, Sequence[Marker]]]
                 ) -> dict[tuple[str, ...], list[tuple[tuple[str, ...], int, int, int]]]:
    """Left context -> ``(right context, source index, marker start, marker end)``."""
    by_left: dict[tuple[str, ...], list[tuple[tuple[str, ...], int, int, int]]] = \
        defaultdict(list)
    for idx, (text, markers) in enumerate(sources):
        if not markers:
            continue
        for left, right, s, e in _contexts(_words(text, markers)):
            by_left[left].append((right, idx, s, e))
    return by_left


def _scan_twins(by_left: dict[tuple[str, ...], list[tuple[tuple[str, ...], int, int, int]]],
                target_text: str, target_markers: Sequence[Marker],
                skip: int | None = None, only: int | None = None
                ) -> list[tuple[int, Twin]]:
    words = _words(target_text, target_markers)
    toks = [w[2] for w in words]
    out: list[tuple[int, Twin]] = []
    for i in range(len(toks) - _CTX):
        cands = by_left.get(tuple(toks[i:i + _CTX]))
        if not cands:
            continue
        g0 = i + _CTX
        for right, idx, s, e in cands:
            if idx == skip or (only is not None and idx != only):
                continue
            for j in range(g0 + 1, min(g0 + _MAX_GAP, len(toks) - _CTX) + 1):
                if "\0" in toks[g0:j]:
                    break
                if tuple(toks[j:j + _CTX]) == right:
                    if not _clear_term(toks[g0:j]):
                        break
                    term = " ".join(toks[g0:j])
                    ctx_hash = hashlib.sha256(
                        " ".join(toks[i:i + _CTX] + ["\0"] + list(right)).encode()
                    ).hexdigest()[:12]
                    out.append((idx, Twin(words[g0][0], words[j - 1][1], s, e, ctx_hash,
                                          term)))
                    break
    return out


def find_twins(source_text: str, source_markers: Sequence[Marker], target_text: str,
               target_markers: Sequence[Marker]) -> list[Twin]:
    """Places in ``target_text`` that show, unredacted, what a source marker withholds.

    The withheld term is recognised by its context: the same three words before and after
    the marker, with one to six words between them in the target that are not a marker.
    """
    by_left = _context_map([(source_text, source_markers)])
    return [tw for _, tw in _scan_twins(by_left, target_text, target_markers)] \
        if by_left else []


@rule("MK732", "redacted-elsewhere", "error", profiles=REDACTION)
def redacted_elsewhere(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Text withheld in one place is present unredacted in another place of the same set.

    ## What it checks
    For every marker, the three words before and after it; the same context found elsewhere
    with one to six plain words in place of the marker shows the withheld text. Inside one
    file this rule reports it; across the files of one run (`markings check --redaction-profile
    ... PATHS`) the engine reports it after all files are checked.

    ## Why
    A redacted copy is only as safe as every other copy: the 2011 cables and many FOIA
    "you missed one" cases leaked through a sibling passage.

    ## Example
    Line 10: `met with [REDACTED (b)(6)] at the ministry on Tuesday`; line 57 of the same
    file or another file: `met with Ahmed Example at the ministry on Tuesday`.

    ## Fix
    Withhold the other occurrence too. Remember that the clear text stays in version-control
    history: rewrite the history or scan it. Messages number the withheld items (item 1,
    2 ... of the file or run); they never print the term or a hash of it.
    """
    from markings.redaction.common import markers_of

    markers = markers_of(doc)
    if not markers:
        return
    twins = drop_templates(find_twins(doc.text, markers, doc.text, markers))
    labels = term_labels(twins)
    for tw in twins:
        line = doc.span(tw.source_start, tw.source_end).line
        yield Hit(doc.span(tw.start, tw.end),
                  f"Text withheld at line {line} appears unredacted here (same context; "
                  f"withheld item {labels[tw.term]} of this file). Withhold this occurrence "
                  "too.",
                  key=f"twin {tw.context}", related=(doc.span(tw.source_start, tw.source_end),))


def _doc_for(path: str, cfg: Config) -> Document | None:
    from markings.document import Document
    from markings.read import read_path

    try:
        src = read_path(path, max_bytes=cfg.max_file_size)
    except Exception:  # noqa: BLE001 -- unreadable files are reported by the per-file pass
        return None
    return Document(path=path, text=src.text)


def batch_findings(paths: Iterable[str | Path], cfg: Config) -> list[Finding]:
    """Cross-file MK732 findings: text withheld in one file but present in another file."""
    from markings.engine import selected_rules, to_finding
    from markings.redaction.common import markers_of
    from markings.registry import get_rule

    r = get_rule("MK732")
    if r is None:
        return []
    docs = []
    for p in paths:
        p = str(p)
        if r not in selected_rules(cfg, cfg.profile if cfg.profile != "auto" else "capco", p):
            continue
        d = _doc_for(p, cfg)
        if d is not None:
            docs.append(d)
    findings: list[Finding] = []
    # one pass: the contexts of every marker of every file, then one scan of each file
    by_left = _context_map([(d.text, markers_of(d)) for d in docs])
    if not by_left:
        return findings
    found = [(t_idx, s_idx, tw) for t_idx, tgt in enumerate(docs)
             for s_idx, tw in _scan_twins(by_left, tgt.text, markers_of(tgt), skip=t_idx)]
    kept = {id(tw) for tw in drop_templates([tw for _, _, tw in found])}
    found = [f for f in found if id(f[2]) in kept]
    labels = term_labels(tw for _, _, tw in found)
    for t_idx, s_idx, tw in found:
        tgt, src = docs[t_idx], docs[s_idx]
        line = src.span(tw.source_start, tw.source_end).line
        hit = Hit(tgt.span(tw.start, tw.end),
                  f"Text withheld in {src.path} (line {line}) appears unredacted here "
                  f"(same context; withheld item {labels[tw.term]} of this run). Withhold "
                  "this occurrence too.",
                  key=f"twin {tw.context}")
        findings.append(to_finding(r, hit, tgt.path))
    return findings
