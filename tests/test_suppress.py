"""Inline suppressions on fake documents and hand-made findings (no scanner needed)."""

from __future__ import annotations

import pytest

from markings.config import Config
from markings.document import Document
from markings.findings import Finding, Severity, fingerprint
from markings.suppress import apply_suppressions, parse_directives


def _f(line: int, code: str = "MK001", path: str = "doc.md") -> Finding:
    names = {"MK001": "unreadable-file", "MK002": "binary-file"}
    return Finding(code=code, name=names[code], severity=Severity.ERROR, message="m",
                   path=path, line=line, fingerprint=fingerprint(path, code, str(line)))


def _run(text: str, findings: list[Finding], form: str = "markdown",
         cfg: Config | None = None) -> list[tuple[str, int]]:
    doc = Document(path="doc.md", text=text, form=form)  # type: ignore[arg-type]
    out = apply_suppressions(doc, findings, cfg or Config())
    return sorted((f.code, f.line) for f in out)


CASES = [
    # (document, findings at lines, expected (code, line) left)
    ("<!-- markings: disable-next-line MK001 -- ok -->\nSECRET\n", [2], []),
    ("<!-- markings: disable-next-line MK001 -- ok -->\n\nSECRET\n", [3], []),
    ("<!-- markings: disable-next-line MK001 -- ok -->\nSECRET\nSECRET\n", [2, 3],
     [("MK001", 3)]),
    ("SECRET <!-- markings: disable-line MK001 -- ok -->\n", [1], []),
    ("SECRET <!-- markings: disable-line unreadable-file -- by name -->\n", [1], []),
    ("<!-- markings: disable MK001 -- annex -->\nA\nB\n<!-- markings: enable MK001 -->\nC\n",
     [2, 3, 5], [("MK001", 5)]),
    ("<!-- markings: disable-next-line MK001, MK002 -- two -->\nX\n", [2], [("MK901", 1)]),
    ("<!-- markings: disable-next-line MK001 -- ok -->\nSECRET\n", [], [("MK901", 1)]),
    ("<!-- markings: disable-next-line -- all -->\nSECRET\n", [2], [("MK001", 2), ("MK902", 1)]),
    ("<!-- markings: disable-next-line MK1O1 -- typo -->\nS\n", [2],
     [("MK001", 2), ("MK902", 1)]),
    ("<!-- markings: silence MK001 -- verb -->\nS\n", [2], [("MK001", 2), ("MK902", 1)]),
    ("<!-- markings: enable MK001 -->\nS\n", [2], [("MK001", 2), ("MK902", 1)]),
    ("<!-- markings: disable MK001 -- open -->\nA\nB\n", [2, 3], [("MK903", 1)]),
    ("<!-- markings: disable-next-line MK001 -->\nS\n", [2], [("MK904", 1)]),
    ("<!-- an ordinary comment -->\nS\n", [2], [("MK001", 2)]),
]


@pytest.mark.parametrize("text,lines,expected", CASES)
def test_directives(text: str, lines: list[int], expected: list[tuple[str, int]]) -> None:
    assert _run(text, [_f(n) for n in lines]) == sorted(expected)


def test_plain_text_has_no_inline_suppressions() -> None:
    text = "<!-- markings: disable-next-line MK001 -- ok -->\nSECRET\n"
    assert _run(text, [_f(2)], form="plain") == [("MK001", 2)]


def test_meta_rules_follow_selection() -> None:
    text = "<!-- markings: disable-next-line MK001 -->\nSECRET\n"
    assert _run(text, [], cfg=Config(ignore=["MK9"])) == []
    # Suppressing a rule that is not selected is not reported as unused.
    assert _run(text, [], cfg=Config(ignore=["MK001", "MK904"])) == []


def test_meta_findings_quote_codes_not_reasons() -> None:
    text = "<!-- markings: disable-next-line MK001 -- the secret plan -->\nS\n"
    doc = Document(path="doc.md", text=text, form="markdown")  # type: ignore[arg-type]
    out = apply_suppressions(doc, [], Config())
    assert [f.code for f in out] == ["MK901"]
    assert "MK001" in out[0].message and "secret plan" not in out[0].message
    assert (out[0].line, out[0].column) == (1, 1)


def test_parse_directive_positions() -> None:
    text = "a\n<!-- markings:\n disable-next-line MK001 -- x -->\n\nSECRET\n"
    (d,) = parse_directives(text)
    assert (d.verb, d.codes, d.reason, d.line, d.end_line, d.lines) == \
        ("disable-next-line", ["MK001"], "x", 2, 3, (5, 5))


# --- end to end: the scanner leaves comment-only lines out of portions ----------------------

_MD = ("**SECRET**\n\nDate: 2 September 2024\n\n(S) The fence was repaired.\n\n{body}\n\n"
       "Classified By: A. Example, Security Officer\nReason: 1.4(g)\n"
       "Declassify On: 20340902\n\n**SECRET**\n")


def _check_md(body: str) -> list[tuple[str, int]]:
    from markings.engine import check_text

    rep = check_text(_MD.format(body=body), path="doc.md")
    return sorted((f.code, f.line) for f in rep.findings if f.code in ("MK304", "MK901"))


def test_disable_next_line_directly_above_a_paragraph_suppresses_it() -> None:
    body = ("<!-- markings: disable-next-line MK304 -- quoted from the source -->\n"
            "An unmarked quotation kept as it was.")
    assert _check_md(body) == []


def test_comment_only_paragraph_is_not_a_portion() -> None:
    body = "<!-- markings: disable-next-line MK304 -- the next paragraph -->"
    assert _check_md(body + "\n\nUnmarked paragraph.") == []
    assert _check_md("<!-- a plain comment, no directive -->") == []
