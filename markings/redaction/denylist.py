"""Hashed deny lists of protected terms (salted SHA-256 of normalised terms).

File format (UTF-8 text, one record a line, ``#`` starts a comment)::

    # markings deny list v1
    salt <hex>
    max-words <n>
    <hex sha256 of salt + normalised term>
    ...

The clear terms are never written to the file and never printed; a match is reported by the
first characters of its hash. Short terms can still be guessed by brute force, so keep the
file outside the published tree or pass it in from the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
HEADER = "# markings deny list v1"


def normalise(term: str) -> str:
    """NFKC, casefold, collapse whitespace and punctuation between words."""
    folded = unicodedata.normalize("NFKC", term).casefold()
    return " ".join(_WORD.findall(folded))


def term_hash(salt: str, normalised: str) -> str:
    """Salted SHA-256 (hex) of an already normalised term."""
    return hashlib.sha256(bytes.fromhex(salt) + normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DenyList:
    """A loaded deny list: the salt, the longest term in words and the set of hashes."""

    salt: str
    max_words: int
    hashes: frozenset[str]

    def matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Yield ``(start, end, hash)`` for every n-gram of ``text`` whose hash is listed."""
        words = [(m.start(), m.end(), m.group(0))
                 for m in _WORD.finditer(unicodedata.normalize("NFKC", text).casefold())]
        # NFKC may change lengths; fall back to per-word normalisation for exotic text
        if len(unicodedata.normalize("NFKC", text)) != len(text):
            words = [(m.start(), m.end(), normalise(m.group(0)))
                     for m in _WORD.finditer(text)]
        n = len(words)
        for i in range(n):
            for k in range(1, self.max_words + 1):
                if i + k > n:
                    break
                phrase = " ".join(w[2] for w in words[i:i + k])
                h = term_hash(self.salt, phrase)
                if h in self.hashes:
                    yield words[i][0], words[i + k - 1][1], h


def load(path: str | os.PathLike[str]) -> DenyList:
    """Read a deny list file; raises ``ValueError`` when it has no salt."""
    salt = ""
    max_words = 1
    hashes: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("salt "):
            salt = line.split()[1]
        elif line.startswith("max-words "):
            max_words = int(line.split()[1])
        elif re.fullmatch(r"[0-9a-f]{64}", line):
            hashes.add(line)
    if not salt:
        raise ValueError(f"{path}: deny list without a 'salt' line")
    return DenyList(salt, max_words, frozenset(hashes))


def create(terms: Iterable[str], path: str | os.PathLike[str], *, salt: str | None = None,
           with_parts: bool = False) -> int:
    """Write a hashed deny list for ``terms``; returns the number of hashes written.

    With ``with_parts`` every word of a multi-word term is listed too (so a surname alone
    matches), except words of fewer than four letters.
    """
    salt = salt or secrets.token_hex(16)
    norms: set[str] = set()
    for term in terms:
        n = normalise(term)
        if not n:
            continue
        norms.add(n)
        if with_parts:
            norms.update(w for w in n.split() if len(w) >= 4)
    max_words = max((len(n.split()) for n in norms), default=1)
    lines = [HEADER, f"salt {salt}", f"max-words {max_words}"]
    lines += sorted(term_hash(salt, n) for n in norms)
    tmp = Path(f"{path}.tmp{os.getpid()}")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return len(norms)


def main(argv: list[str] | None = None) -> int:
    """``python -m markings.redaction.denylist OUT`` reads terms (one a line) from stdin."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m markings.redaction.denylist",
                                 description="Create a hashed deny list from terms on stdin.")
    ap.add_argument("out", help="deny list file to write")
    ap.add_argument("--parts", action="store_true", help="also list each word of 4+ letters")
    args = ap.parse_args(argv)
    n = create((t for t in sys.stdin.read().splitlines() if t.strip()), args.out,
               with_parts=args.parts)
    print(f"wrote {n} hashed terms to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
