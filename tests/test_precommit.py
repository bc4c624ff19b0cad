"""The published hook works through ``pre-commit try-repo`` (slow: builds a virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build",
              "dist", ".venv", ".tox"}
CAB = ("Classified By: J. Smith, Director, Logistics Office\nReason: 1.4(a)\n"
       "Declassify On: 20490301\n")
BAD = ("CONFIDENTIAL\n\n12 March 2024\n\n1. (S) The schedule is unchanged.\n\n" + CAB
       + "\nCONFIDENTIAL\n")
GOOD = BAD.replace("CONFIDENTIAL", "SECRET")

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"})


def test_try_repo_fails_then_passes(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    hook_repo = tmp_path / "hook"
    shutil.copytree(ROOT, hook_repo, ignore=lambda d, names: [
        n for n in names if n in _SKIP_DIRS or n.endswith(".egg-info")])
    if not (hook_repo / "README.md").is_file():  # pyproject names it; the copy needs one
        (hook_repo / "README.md").write_text("# markings\n")
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-q", "-m", "snapshot")

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    _git(consumer, "init", "-q")
    doc = consumer / "doc.txt"
    doc.write_text(BAD)
    _git(consumer, "add", "doc.txt")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(hook_repo), "markings",
                               "--files", "doc.txt"], cwd=consumer, env=env, text=True,
                              capture_output=True, timeout=600)

    bad = run()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "MK101" in bad.stdout
    assert doc.read_text() == BAD  # the hook never modifies the document
    doc.write_text(GOOD)
    _git(consumer, "add", "doc.txt")
    good = run()
    assert good.returncode == 0, good.stdout + good.stderr
