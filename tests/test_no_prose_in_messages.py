"""Messages quote marking tokens only, never the prose around them (documents may be sensitive).

Every finding on the golden fixtures, the seeds and a sample of the corpus is checked: once
the backtick-quoted marking tokens are removed from the message, no run of five words of the
message may appear in the document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from markings.config import Config
from markings.engine import check_file

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_QUOTED = re.compile(r"`[^`]*`")


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _documents() -> list[Path]:
    docs = [p for p in sorted((ROOT / "tests" / "fixtures" / "golden").glob("*.*"))
            if p.suffix != ".json"]
    if (SHARED / "seeds").is_dir():
        docs += sorted((SHARED / "seeds").glob("*.txt"))
    cables = SHARED / "corpus" / "cables"
    if cables.is_dir():
        docs += sorted(cables.glob("*.txt"))[::25]  # a spread sample, ~136 cables
    return docs


@pytest.mark.parametrize("profile", [None, "cables"])
def test_messages_never_reproduce_document_prose(profile: str | None) -> None:
    leaks = []
    checked = 0
    for path in _documents():
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        doc_grams = _grams(text)
        for f in check_file(path, config=Config(redaction_profile=profile)).findings:
            checked += 1
            overlap = _grams(_QUOTED.sub(" ", f.message)) & doc_grams
            if overlap:
                leaks.append((path.name, f.code, sorted(overlap)[0]))
    assert checked > 50
    assert not leaks, leaks[:10]


_PROSE = "per the ambassador Bob Jones"


@pytest.mark.parametrize("mark", [
    f"(S//NF {_PROSE})",  # swallowed into an unknown entry (MK201)
    f"(S {_PROSE})",
    f"(S//NF, {_PROSE})",
    f"(S//REL TO USA, {_PROSE})",
    f"(S//NF {_PROSE},)",  # with a trailing separator (MK214)
    "(S//BOB JONES)",  # a short unknown entry of two words is not a token either
    f"(S//NF {_PROSE.upper()})",  # cables write prose in capitals
])
def test_unreadable_marks_never_quote_the_prose_they_swallowed(mark: str) -> None:
    from markings.engine import check_text

    text = f"SECRET//NOFORN\n\n1. {mark} The meeting is tomorrow.\n\nSECRET//NOFORN\n"
    findings = check_text(text, "memo.txt").findings
    assert any(f.code in ("MK201", "MK214") for f in findings)
    for f in findings:
        for word in ("ambassador", "bob", "jones", "meeting"):
            assert word not in f.message.lower(), (f.code, f.message)


@pytest.mark.parametrize("mark,quoted", [
    ("(S//NOFRON)", "Unknown marking token `NOFRON` in `(S//NOFRON)`. Did you mean `NOFORN`?"),
    (f"(S//NF {_PROSE})", "Unknown marking entry of 6 words in `(S//…)`."),
])
def test_unknown_tokens_are_quoted_only_when_they_look_like_one_token(mark: str,
                                                                       quoted: str) -> None:
    from markings.engine import check_text

    text = f"SECRET//NOFORN\n\n1. {mark} The meeting is tomorrow.\n\nSECRET//NOFORN\n"
    messages = [f.message for f in check_text(text, "memo.txt").findings if f.code == "MK201"]
    assert len(messages) == 1 and messages[0].startswith(quoted), messages
