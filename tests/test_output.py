"""Output formats, on hand-made findings (no scanner needed)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from markings.findings import Finding, Severity, Span, fingerprint
from markings.output import FORMATS, OutputContext, footer, render


def _f(code: str = "MK901", sev: Severity = Severity.ERROR, line: int = 3, col: int = 1,
       end_col: int = 4, path: str = "docs/memo.md", msg: str = "Banner `C` is too low.",
       key: str = "(S)") -> Finding:
    return Finding(code=code, name="unused-suppression", severity=sev, message=msg, path=path,
                   line=line, column=col, end_line=line, end_column=end_col,
                   fingerprint=fingerprint(path, code, key),
                   related=(Span(start=0, end=3, line=1, column=1, end_line=1, end_column=4),))


FINDINGS = [_f(), _f(code="MK902", sev=Severity.WARNING, line=5, col=2, end_col=9),
            _f(code="MK904", sev=Severity.INFO, line=7, path="b.txt")]
CTX = dict(files=["docs/memo.md", "b.txt", "clean.txt"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_finding(fmt: str) -> None:
    out = render(FINDINGS, OutputContext(format=fmt, **CTX))  # type: ignore[arg-type]
    for code in ("MK901", "MK902", "MK904"):
        assert code in out


@pytest.mark.parametrize("findings,expected", [
    ([], "All checks passed (3 files checked)."),
    (FINDINGS[:1], "Found 1 finding (1 error) in 3 files."),
    (FINDINGS, "Found 3 findings (1 error, 1 warning, 1 info) in 3 files."),
])
def test_footer(findings: list[Finding], expected: str) -> None:
    assert footer(findings, 3) == expected


def test_concise_lines() -> None:
    out = render(FINDINGS, OutputContext(format="concise", **CTX))  # type: ignore[arg-type]
    lines = out.splitlines()
    assert lines[0] == "docs/memo.md:3:1: MK901 Banner `C` is too low."
    assert lines[-1].startswith("Found 3 findings")
    quiet = render(FINDINGS, OutputContext(format="concise", quiet=True, **CTX))  # type: ignore[arg-type]
    assert "Found" not in quiet and len(quiet.splitlines()) == 3


def test_full_shows_marking_tokens_only_with_carets() -> None:
    text = "intro\n\nTHE PROSE (S) more secret prose\n"
    f = _f(line=3, col=11, end_col=14, msg="Portion `(S)` is above the banner `C`.")
    out = render([f], OutputContext(format="full", files=["docs/memo.md"],
                                     source=lambda p: text))
    assert "docs/memo.md:3:11: MK901 [unused-suppression] error:" in out
    assert "    3 | (S)\n" in out
    assert "      | ^^^\n" in out
    assert "THE PROSE" not in out and "more secret" not in out
    assert "\x1b[" not in out  # no colour unless asked


def test_full_never_echoes_a_prose_span() -> None:
    text = "SECRET\n\n1. The minister said nothing of note.\n"
    f = _f(line=3, col=1, end_col=38, msg="Classified document: paragraph 1 has no portion mark.")
    out = render([f], OutputContext(format="full", files=["docs/memo.md"],
                                     source=lambda p: text))
    assert "minister" not in out and "^" not in out
    assert "docs/memo.md:3:1: MK901" in out


def test_full_colour_uses_ansi() -> None:
    out = render([_f()], OutputContext(format="full", color=True, files=["x"]))
    assert "\x1b[" in out and "MK901" in out


def test_json_shape() -> None:
    data = json.loads(render(FINDINGS, OutputContext(format="json", **CTX)))  # type: ignore[arg-type]
    assert len(data) == 3
    first = data[0]
    for key in ("code", "name", "severity", "message", "path", "line", "column", "end_line",
                "end_column", "fingerprint"):
        assert key in first
    assert (first["code"], first["line"], first["column"], first["end_column"]) == \
        ("MK901", 3, 1, 4)
    assert first["severity"] == "error"


def test_json_lines_one_object_per_line() -> None:
    out = render(FINDINGS, OutputContext(format="json-lines", **CTX))  # type: ignore[arg-type]
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["code"] for o in objs] == ["MK901", "MK902", "MK904"]


def test_github_escaping() -> None:
    f = _f(msg="50% done\nnext, line", path="a,b:c.md")
    out = render([f], OutputContext(format="github"))
    assert out.startswith("::error file=a%2Cb%3Ac.md,line=3,col=1,endLine=3,endColumn=4,"
                          "title=markings (MK901)::")
    assert "50%25 done%0Anext, line" in out
    assert out.count("\n") == 1
    levels = render(FINDINGS, OutputContext(format="github")).splitlines()
    assert [x.split(" ", 1)[0] for x in levels] == ["::error", "::warning", "::notice"]


def test_gitlab_shape_and_unique_fingerprints() -> None:
    dup = [_f(line=3), _f(line=9)]  # same marking twice: same finding fingerprint
    data = json.loads(render(dup + FINDINGS[2:], OutputContext(format="gitlab")))
    assert len({d["fingerprint"] for d in data}) == 3
    assert data[0]["severity"] == "major" and data[2]["severity"] == "info"
    assert data[0]["location"]["path"] == "docs/memo.md"
    assert data[1]["location"]["positions"]["begin"] == {"line": 9, "column": 1}


def test_junit_suites_per_file() -> None:
    root = ET.fromstring(render(FINDINGS, OutputContext(format="junit", **CTX)))  # type: ignore[arg-type]
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"docs/memo.md", "b.txt", "clean.txt"}
    assert suites["docs/memo.md"].get("failures") == "2"
    assert suites["clean.txt"].get("failures") == "0"
    names = [c.get("name") for c in suites["docs/memo.md"].iter("testcase")]
    assert names == ["markings.MK901", "markings.MK902"]


def test_statistics() -> None:
    fs = [_f(), _f(line=9), FINDINGS[1]]
    out = render(fs, OutputContext(format="full", statistics=True, **CTX))  # type: ignore[arg-type]
    lines = out.splitlines()
    assert lines[0] == "2  MK901  unused-suppression"
    assert lines[1].startswith("1  MK902")
    js = json.loads(render(fs, OutputContext(format="json", statistics=True)))
    assert js[0] == {"code": "MK901", "name": "unused-suppression", "count": 2}


def test_sarif_structure() -> None:
    log = json.loads(render(FINDINGS, OutputContext(format="sarif", **CTX)))  # type: ignore[arg-type]
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert "MK901" in ids
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"]
        assert "security-severity" not in r.get("properties", {})
    res = run["results"][0]
    assert res["ruleId"] == "MK901" and rules[res["ruleIndex"]]["id"] == "MK901"
    assert res["partialFingerprints"]["markings/v1"] == FINDINGS[0].fingerprint
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 4}
    assert run["results"][2]["level"] == "note"
    assert "snippet" not in json.dumps(log)


_CONTROL_PATH = "docs/e\x1bx\x9b\u202e.txt"
_CONTROL_MSG = "Banner `C\x1b[2J` is too low."


@pytest.mark.parametrize("fmt", ["full", "concise", "junit"])
@pytest.mark.parametrize("color", [False, True])
def test_control_characters_in_paths_and_messages_are_escaped(fmt: str, color: bool) -> None:
    """A file named `e<ESC>x.txt` must not send terminal control codes (full, concise) nor
    make the JUnit report invalid XML."""
    f = _f(path=_CONTROL_PATH, msg=_CONTROL_MSG)
    src = {_CONTROL_PATH: "x\n\nC\x1b[2J banner\n"}
    out = render([f], OutputContext(format=fmt, files=[_CONTROL_PATH], color=color,
                                    source=src.get))
    raw = out
    if color:  # rich's own colour codes are fine; only the document's must go
        import re

        raw = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "\x1b" not in raw and "\x9b" not in raw and "\u202e" not in raw
    assert "e\\x1bx\\x9b\\u202e.txt" in raw and "C\\x1b[2J" in raw
    if fmt == "junit":
        root = ET.fromstring(out)  # parses: valid XML
        assert root.find("testsuite").get("name") == "docs/e\\x1bx\\x9b\\u202e.txt"  # type: ignore[union-attr]


def test_printable_leaves_ordinary_text_alone() -> None:
    from markings.output import printable

    assert printable("docs/mémo [v1]\tdraft.txt") == "docs/mémo [v1]\tdraft.txt"
    assert printable("a\nb\x00c\x7f") == "a\\x0ab\\x00c\\x7f"


@pytest.mark.parametrize("fmt,want", [
    ("json", '[\n  {\n    "code": "MK901"'),
    ("json-lines", '{"code": "MK901", "name": "unused-suppression", "count": 1}\n'),
])
def test_statistics_in_json_formats(fmt: str, want: str) -> None:
    out = render(FINDINGS[:1], OutputContext(format=fmt, statistics=True))
    assert out.startswith(want)


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit"])
def test_statistics_refuse_formats_without_a_place_for_counts(fmt: str) -> None:
    with pytest.raises(ValueError, match="--statistics"):
        render(FINDINGS, OutputContext(format=fmt, statistics=True))


def test_github_message_escapes_control_characters() -> None:
    f = _f(msg="Mark `(S)` \x1b[2J\u202e ok\nnext", path="e\x1bx.md")
    out = render([f], OutputContext(format="github"))
    msg = out.split("::", 2)[2]
    assert "\x1b" not in msg and "\u202e" not in msg
    assert "e\\x1bx.md" in msg and "\\x1b[2J\\u202e ok%0Anext" in msg
    assert out.count("\n") == 1
