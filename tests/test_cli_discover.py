"""File discovery: recursion, include/exclude globs, force-exclude, stable order."""

from __future__ import annotations

from pathlib import Path

import pytest

from markings.config import Config
from markings.discover import discover, matches_any


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for rel in ("b.txt", "a.md", "img.png", "sub/c.html", "sub/deep/d.txt", ".git/x.txt",
                "tests/fixtures/bad.txt", "build/out.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("UNCLASSIFIED\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("paths,cfg,expected", [
    (["."], Config(), ["a.md", "b.txt", "sub/c.html", "sub/deep/d.txt",
                       "tests/fixtures/bad.txt"]),
    (["."], Config(extend_exclude=["tests/fixtures/**"]),
     ["a.md", "b.txt", "sub/c.html", "sub/deep/d.txt"]),
    (["."], Config(extend_exclude=["sub"]), ["a.md", "b.txt", "tests/fixtures/bad.txt"]),
    (["."], Config(include=["*.txt"]), ["b.txt", "sub/deep/d.txt", "tests/fixtures/bad.txt"]),
    (["img.png", "build/out.txt"], Config(), ["img.png", "build/out.txt"]),  # explicit
    (["build/out.txt", "b.txt"], Config(force_exclude=True), ["b.txt"]),
    (["./b.txt", "b.txt", "-"], Config(), ["b.txt", "-"]),
    (["missing.txt"], Config(), ["missing.txt"]),
])
def test_discover(tree: Path, paths: list[str], cfg: Config, expected: list[str]) -> None:
    assert discover(paths, cfg) == expected


@pytest.mark.parametrize("path,patterns,hit", [
    ("a/b/c.txt", ["b"], True),
    ("a/b/c.txt", ["*.txt"], True),
    ("a/b/c.txt", ["a/b"], True),
    ("a/b/c.txt", ["a/**"], True),
    ("a/b/c.txt", ["b/c.txt"], False),  # slash patterns are anchored at the root
    ("a/b/c.txt", ["*.md"], False),
    # `**` matches zero or more directories (gitignore), `*` never crosses a `/`
    ("docs/top.txt", ["docs/**/*.txt"], True),
    ("docs/a/top.txt", ["docs/**/*.txt"], True),
    ("docs/a/b/top.txt", ["docs/**/*.txt"], True),
    ("docs/top.md", ["docs/**/*.txt"], False),
    ("other/docs/top.txt", ["docs/**/*.txt"], False),
    ("x/y/docs/top.txt", ["**/docs/*.txt"], True),
    ("docs/top.txt", ["**/docs/*.txt"], True),
    ("docs/a/top.txt", ["docs/*.txt"], False),
    ("docs/a/top.txt", ["docs/*"], True),  # the directory `docs/a` matches
    ("a/b", ["a/**"], True),
    ("a", ["a/**"], False),
    ("a/b/c.txt", ["./a/b/"], True),
    ("a/b/c.txt", ["a/?/c.txt"], True),
    ("a/bb/c.txt", ["a/?/c.txt"], False),
    ("a/b/c.txt", ["a/[bx]/c.txt"], True),
    ("a/b/c.txt", ["a/[!b]/c.txt"], False),
    ("a/b/c.txt", ["/a/b"], True),  # leading slash: anchored at the root
])
def test_matches_any(tmp_path: Path, path: str, patterns: list[str], hit: bool) -> None:
    assert matches_any(str(tmp_path / path), patterns, str(tmp_path)) is hit


def test_absolute_globs_match_absolute_paths(tmp_path: Path) -> None:
    target = tmp_path / "mix" / "b" / "x.txt"
    assert matches_any(str(target), [f"{tmp_path}/mix/**/*.txt"], str(tmp_path / "elsewhere"))
    assert not matches_any(str(target), [f"{tmp_path}/mix/c/*.txt"], str(tmp_path))


def test_discover_with_double_star_finds_top_level_files(tree: Path) -> None:
    assert discover(["."], Config(include=["sub/**/*.txt", "sub/**/*.html"])) == \
        ["sub/c.html", "sub/deep/d.txt"]
    assert discover(["."], Config(extend_exclude=["**/deep"])) == \
        ["a.md", "b.txt", "sub/c.html", "tests/fixtures/bad.txt"]
