"""pre-commit: the published hooks (``pre-commit try-repo``) and this repository's own config.

The integration tests build virtualenvs, so pip must reach a package index. Without one they
skip with the reason; under CI (``$CI`` set) an unreachable index is a failure instead, so the
tests cannot silently stop running there. The manifest and config checks need no network.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build",
              "dist", ".venv", ".tox", ".hypothesis", ".benchmarks"}
CAB = ("Classified By: J. Smith, Director, Logistics Office\nReason: 1.4(a)\n"
       "Declassify On: 20490301\n")
BAD = ("CONFIDENTIAL\n\n12 March 2024\n\n1. (S) The schedule is unchanged.\n\n" + CAB
       + "\nCONFIDENTIAL\n")
GOOD = BAD.replace("CONFIDENTIAL", "SECRET")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def _pre_commit() -> str:
    exe = shutil.which("pre-commit")
    if exe is None or shutil.which("git") is None:
        if os.environ.get("CI"):
            pytest.fail("pre-commit or git is not installed (the test extra installs pre-commit)")
        pytest.skip("pre-commit or git is not installed")
    return exe


@functools.cache
def _index_problem() -> str | None:
    """Why pip cannot fetch the hook's build dependency (None: it can)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                "--dest", tmp, "hatchling>=1.26"],
                               capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"pip did not answer ({type(exc).__name__})"
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["no output"])[-1]
        return f"pip cannot download from the package index: {last}"
    return None


def _need_index() -> None:
    problem = _index_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI must run the pre-commit integration tests)")
    pytest.skip(f"needs a reachable package index to build the hook's virtualenv: {problem}")


def _clean_env(tmp: Path) -> dict[str, str]:
    """The environment of someone who has pre-commit but not markings installed."""
    here = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and Path(p) != Path(here))
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.update(PATH=path, PRE_COMMIT_HOME=str(tmp / "pre-commit-cache"), NO_COLOR="1",
               **GIT_ENV)
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this working tree (what pre-commit would clone)."""
    repo = tmp_path_factory.mktemp("hook") / "markings"
    shutil.copytree(ROOT, repo, ignore=lambda d, names: [
        n for n in names if n in _SKIP_DIRS or n.endswith(".egg-info")])
    if not (repo / "README.md").is_file():  # pyproject names it; the copy needs one
        (repo / "README.md").write_text("# markings\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")
    return repo


# --- offline checks ---------------------------------------------------------------------------

def test_manifest_and_own_config_are_valid() -> None:
    exe = _pre_commit()
    for cmd, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                      ("validate-config", ".pre-commit-config.yaml")):
        r = subprocess.run([exe, cmd, str(ROOT / name)], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


def _yaml(name: str) -> object:
    yaml = pytest.importorskip("yaml")  # pre-commit depends on PyYAML
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _project_dependencies() -> list[str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).replace('"', "'").lower()


def test_own_hook_installs_the_runtime_dependencies_it_runs_from_the_checkout() -> None:
    cfg = _yaml(".pre-commit-config.yaml")
    assert isinstance(cfg, dict)
    assert re.match(cfg["exclude"], "tests/fixtures/documents/bad.txt")
    (hook,) = [h for r in cfg["repos"] for h in r["hooks"] if h["id"] == "markings"]
    # `markings` would not exist in the hook's virtualenv: run the checkout's package.
    assert hook["entry"].startswith("python -m markings check --force-exclude")
    assert hook["language"] == "python"
    assert sorted(map(_norm, hook["additional_dependencies"])) == \
        sorted(map(_norm, _project_dependencies()))


def test_published_hooks_cover_every_format_the_cli_reads() -> None:
    from markings.config import Config

    hooks = _yaml(".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    by_id = {h["id"]: h for h in hooks}
    assert by_id["markings"]["types_or"] == ["markdown", "plain-text", "rst", "asciidoc", "html"]
    docs = by_id["markings-documents"]
    for ext in (".docx", ".pdf", ".PDF"):
        assert re.search(docs["files"], "a/b" + ext), ext
    assert not re.search(docs["files"], "a/b.txt")
    assert {_norm(d).split(">")[0] for d in docs["additional_dependencies"]} == \
        {"python-docx", "pypdf"}
    for h in hooks:
        if not h["id"].startswith("redaction-"):  # those: tests/test_redaction_rules.py
            assert h["entry"] == "markings check --force-exclude"
    # Every default include pattern is either text (first hook) or Word/PDF (second hook).
    binary = {p for p in Config().include if p.endswith((".docx", ".pdf"))}
    assert binary == {"*.docx", "*.pdf"}


# --- integration (slow, needs a package index) ------------------------------------------------

@pytest.mark.slow
def test_try_repo_fails_then_passes(hook_repo: Path, tmp_path: Path) -> None:
    exe = _pre_commit()
    _need_index()
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    _git(consumer, "init", "-q")
    doc = consumer / "doc.txt"
    doc.write_text(BAD)
    _git(consumer, "add", "doc.txt")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, "try-repo", str(hook_repo), "markings",
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


@pytest.mark.slow
def test_own_config_runs_in_a_clean_environment(hook_repo: Path, tmp_path: Path) -> None:
    """`pre-commit run --all-files` in a fresh clone, with no markings on PATH."""
    exe = _pre_commit()
    _need_index()
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(hook_repo), str(clone))
    # Known documents in the hook's `files` (the repository's own docs change independently;
    # whether they pass is not what this test is about).
    _git(clone, "rm", "-q", "-r", "docs", "examples")
    (clone / "docs").mkdir()
    (clone / "docs" / "memo.txt").write_text(GOOD)
    _git(clone, "add", "docs/memo.txt")
    _git(clone, "commit", "-q", "-m", "known documents")
    env = _clean_env(tmp_path)
    found = shutil.which("markings", path=env["PATH"])
    assert found is None or Path(found).parent != Path(sys.executable).parent

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, "run", "markings", "--all-files"], cwd=clone, env=env,
                              text=True, capture_output=True, timeout=600)

    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "not found" not in ok.stdout
    # A mismarked document in docs/ fails the hook; the deliberately bad fixtures never do.
    (clone / "docs" / "mismarked.txt").write_text(BAD)
    fixtures = clone / "tests" / "fixtures"
    fixtures.mkdir(parents=True, exist_ok=True)
    (fixtures / "also-mismarked.txt").write_text(BAD)
    _git(clone, "add", "docs/mismarked.txt", "tests/fixtures/also-mismarked.txt")
    bad = run()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "docs/mismarked.txt" in bad.stdout and "MK101" in bad.stdout
    assert "also-mismarked" not in bad.stdout
