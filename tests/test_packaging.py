"""Packaging: the grammar and py.typed ship in the wheel; the source-tree fallback works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_source_tree_fallback() -> None:
    from markings.grammar import get_parser, grammar_path, grammar_text

    path = grammar_path()
    assert path is not None and path.name == "markings.lark"
    assert "banner" in grammar_text() and get_parser().parse("(S//NF)", start="portion")


def test_grammar_builds_strict() -> None:
    pytest.importorskip("interegular")
    from lark import Lark

    from markings.grammar import START_SYMBOLS, grammar_text

    Lark(grammar_text(), parser="lalr", strict=True, start=list(START_SYMBOLS))


@pytest.mark.slow
def test_wheel_contains_grammar_and_installs(tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("hatchling")  # the build backend (test extra); offline build below
    import shutil

    src = tmp_path / "src"  # build from a clean copy: no caches, no local artefacts
    src.mkdir()
    for name in ("markings", "grammar"):
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    out = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                        "--outdir", str(out), str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    [wheel] = list(out.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "markings/grammar/markings.lark" in names
    assert "markings/py.typed" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True)
    code = ("import markings, markings.grammar as g; "
            "assert 'site-packages' in str(g.grammar_path()); "
            "print(markings.parse_marking('(S/REL TO NATO/AUS)').portion())")
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "(S//REL TO USA, AUS, NATO)"
