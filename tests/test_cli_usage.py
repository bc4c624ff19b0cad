"""The command line as people use it: baselines and paths from any directory, stdin, output
files, progress, inspect's machine output. Driven through ``main([...])``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from markings.cli import _Progress, main, progress_wanted

ROOT = Path(__file__).resolve().parent.parent
MISMARKED = (ROOT / "examples" / "memo-mismarked.txt").read_text(encoding="utf-8")
WITHHELD = "(U) They met with [(b)(6)] at the ministry on Tuesday.\n"
PRESENT = "(U) They met with Ahmed Example at the ministry on Tuesday.\n"


def _write(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def _json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


# --- baseline: the batch path, and from any directory ----------------------------------------

@pytest.fixture()
def foia(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose configuration sets the foia redaction profile and a baseline."""
    _write(tmp_path / "pyproject.toml",
           '[tool.markings]\nredaction-profile = "foia"\nselect = ["MK7"]\n'
           'baseline = "baselines/markings.json"\n')
    (tmp_path / "baselines").mkdir()
    _write(tmp_path / "docs" / "a.txt", WITHHELD)
    _write(tmp_path / "docs" / "b.txt", PRESENT)
    _write(tmp_path / "docs" / "c.txt", "(U) Nothing to report.\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_baseline_records_cross_file_findings(foia: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "docs", "--isolated", "--redaction-profile", "foia",
                 "--output-format", "json"]) == 1
    assert "MK732" in {f["code"] for f in _json(capsys)}
    assert main(["baseline", "docs"]) == 0
    stored = json.loads((foia / "baselines" / "markings.json").read_text())
    assert {(e["path"], e["code"]) for e in stored["findings"]} >= {("../docs/b.txt", "MK732")}
    assert main(["check", "docs"]) == 0  # nothing new


@pytest.mark.parametrize("cwd,args", [(".", ["docs"]), ("docs", ["."]),
                                      ("docs", ["a.txt", "b.txt", "c.txt"]),
                                      ("baselines", ["../docs"]),
                                      ("baselines", [str(Path("../docs").resolve())])])
def test_configured_baseline_works_from_any_directory(foia: Path, cwd: str, args: list[str],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "docs"]) == 0
    monkeypatch.chdir(foia / cwd)
    args = [str(foia / "docs") if Path(a).is_absolute() else a for a in args]
    assert main(["check", *args, "--output-format", "json"]) == 0, capsys.readouterr()
    # A new finding still fails, shown with the path as given on this command line.
    _write(foia / "docs" / "c.txt", PRESENT.replace("Tuesday", "Monday"))
    capsys.readouterr()
    assert main(["check", *args, "--output-format", "json"]) == 1
    paths = {f["path"] for f in _json(capsys)}
    if Path(args[0]).is_absolute():
        assert paths == {str(foia / "docs" / "c.txt").replace(os.sep, "/")}
    else:
        assert paths == {os.path.relpath(foia / "docs" / "c.txt", foia / cwd).replace(os.sep,
                                                                                      "/")}


def test_command_line_baseline_is_relative_to_the_working_directory(
        foia: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(foia / "docs")
    assert main(["baseline", ".", "-o", "here.json"]) == 0
    assert (foia / "docs" / "here.json").is_file()
    assert main(["check", ".", "--baseline", "here.json"]) == 0
    assert main(["check", ".", "--baseline", "missing.json"]) == 2
    assert "missing.json: baseline file not found" in capsys.readouterr().err


# --- per-file-ignores: relative to the configuration file -------------------------------------

@pytest.mark.parametrize("cwd,arg", [(".", "."), (".", "mix/b/x.txt"), ("mix", "."),
                                     ("mix", "b/x.txt"), ("mix/b", "x.txt"), ("other", "ABS")])
def test_per_file_ignores_resolve_against_the_config_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        cwd: str, arg: str) -> None:
    _write(tmp_path / "pyproject.toml",
           '[tool.markings]\nselect = ["MK101"]\n'
           '[tool.markings.per-file-ignores]\n"mix/b/*.txt" = ["MK101"]\n')
    _write(tmp_path / "mix" / "b" / "x.txt", MISMARKED)
    _write(tmp_path / "mix" / "c" / "y.txt", MISMARKED)  # not ignored
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / cwd)
    target = str(tmp_path / "mix" / "b" / "x.txt") if arg == "ABS" else arg
    config = ["--config", str(tmp_path / "pyproject.toml")] if cwd == "other" else []
    main(["check", target, *config, "--output-format", "json"])
    found = {(Path(f["path"]).name, f["code"]) for f in _json(capsys)}  # type: ignore[arg-type]
    assert ("x.txt", "MK101") not in found
    if arg == ".":
        assert ("y.txt", "MK101") in found


# --- standard input ---------------------------------------------------------------------------

def test_stdin_filename_implies_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "clean.txt", "UNCLASSIFIED\n\n(U) Nothing.\n\nUNCLASSIFIED\n")
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, MISMARKED)
    assert main(["check", "--isolated", "--select", "MK101", "--stdin-filename", "draft.txt",
                 "--output-format", "json"]) == 1
    assert {(f["path"], f["code"]) for f in _json(capsys)} == {("draft.txt", "MK101")}
    # With other paths too, standard input wins (as in ruff), with a warning.
    _stdin(monkeypatch, MISMARKED)
    assert main(["check", "--isolated", "--select", "MK101", "--stdin-filename", "draft.txt",
                 "clean.txt", "--output-format", "concise"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("draft.txt:1:1: MK101") and "clean.txt" not in out
    assert "ignoring clean.txt" in err


HTML = ("<html><body>\n<p>SECRET</p>\n"
        "<!-- markings: disable-next-line MK304 -- fixture -->\n"
        "<p>Some text here.</p>\n<p>SECRET</p>\n</body></html>\n")


@pytest.mark.parametrize("on_disk", [None, "same name, other text"])
def test_html_suppressions_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str],
                                      on_disk: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    if on_disk:  # the file of that name must not be read instead of the text checked
        _write(tmp_path / "page.html", HTML.replace("disable-next-line MK304", "x MK101"))
    _stdin(monkeypatch, HTML)
    main(["check", "--isolated", "--select", "MK304,MK9", "--stdin-filename", "page.html",
          "--output-format", "json"])
    assert [f["code"] for f in _json(capsys)] == []
    _stdin(monkeypatch, HTML.replace("<!-- markings: disable-next-line MK304 -- fixture -->",
                                     "<!-- an ordinary comment, nothing else -------- -->"))
    main(["check", "--isolated", "--select", "MK304,MK9", "--stdin-filename", "page.html",
          "--output-format", "json"])
    assert [f["code"] for f in _json(capsys)] == ["MK304"]


# --- output files -----------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["check", "doc.txt", "-o", "/nonexistent/dir/x.json", "--output-format", "json"],
    ["check", "doc.txt", "--output-file", "adir"],
    ["inspect", "doc.txt", "-o", "/nonexistent/x.json"],
    ["baseline", "doc.txt", "-o", "/nonexistent/base.json"],
])
def test_unwritable_output_file_is_a_usage_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str],
                                                 argv: list[str]) -> None:
    _write(tmp_path / "doc.txt", MISMARKED)
    (tmp_path / "adir").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--isolated"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("markings: error: cannot write ")
    assert "Traceback" not in err and "internal error" not in err


def test_output_file_is_written_whole_and_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "doc.txt", MISMARKED)
    _write(tmp_path / "out" / "report.json", "old report")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "doc.txt", "--isolated", "--select", "MK101", "-o",
                 "out/report.json", "--output-format", "json"]) == 1
    assert capsys.readouterr().out == ""
    assert [f["code"] for f in json.loads((tmp_path / "out" / "report.json").read_text())] \
        == ["MK101"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.json"]


# --- progress ---------------------------------------------------------------------------------

class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def _args(**kw: object) -> object:
    import argparse

    base = {"quiet": False, "output_file": None, "statistics": False}
    return argparse.Namespace(**{**base, **kw})


@pytest.mark.parametrize("fmt,kw,out_tty,err_tty,want", [
    ("full", {}, True, True, True),
    ("concise", {}, True, True, True),
    ("full", {}, False, True, False),  # stdout piped: `markings check . | less`
    ("full", {}, True, False, False),  # stderr redirected
    ("full", {"quiet": True}, True, True, False),
    ("full", {"output_file": "r.txt"}, True, True, False),
    ("full", {"statistics": True}, True, True, False),
    ("json", {}, True, True, False),
    ("sarif", {}, True, True, False),
    ("github", {}, True, True, False),
])
def test_progress_only_on_terminals_for_human_formats(fmt: str, kw: dict[str, object],
                                                      out_tty: bool, err_tty: bool,
                                                      want: bool) -> None:
    assert progress_wanted(_args(**kw), fmt, _Stream(out_tty), _Stream(err_tty),
                           _Stream(True), {}) is want


def test_progress_appears_only_after_a_few_seconds() -> None:
    now = [100.0]
    screen = _Stream(True)
    bar = _Progress(50, True, clock=lambda: now[0], file=screen)
    for done in range(1, 10):  # a fast run: never shown
        now[0] += 0.1
        bar(done)
    assert not bar.shown
    now[0] += 5.0  # the run is taking long: the bar appears
    bar(10)
    assert bar.shown
    bar.close()
    assert "Checking" in screen.getvalue()


@pytest.mark.parametrize("total,enabled", [(50, False), (1, True)])
def test_progress_never_for_disabled_or_single_file_runs(total: int, enabled: bool) -> None:
    now = [0.0]
    bar = _Progress(total, enabled, clock=lambda: now[0], file=_Stream(True))
    now[0] += 60
    bar(1)
    assert not bar.shown


def test_quiet_prints_findings_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "doc.txt", MISMARKED)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "doc.txt", "--isolated", "--select", "MK101", "--quiet",
                 "--no-color"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [out.splitlines()[0]] and out.startswith("doc.txt:1:1: MK101")
    assert err == ""


# --- colour: rich is a dependency, imported only when colour is on ---------------------------

def _run_py(code: str, env: dict[str, str]) -> str:
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True, capture_output=True,
                       env={**os.environ, **env}, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_rich_is_a_runtime_dependency() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.replace(" ", "").startswith("rich>=") for d in deps)


def test_rich_is_imported_only_for_colour() -> None:
    probe = ("import io, sys, contextlib\nfrom markings.cli import main\n"
             "buf = io.StringIO()\nwith contextlib.redirect_stdout(buf):\n"
             "    main(['check', '--isolated', '--select', 'MK101', "
             "'examples/memo-mismarked.txt'])\n"
             "print('rich' in sys.modules, '\\x1b[4m' in buf.getvalue())\n")
    env = {k: "" for k in ("NO_COLOR", "FORCE_COLOR")}
    plain = _run_py(probe, {**env, "NO_COLOR": "1"})
    assert plain.split() == ["False", "False"]
    coloured = _run_py(probe, {**env, "FORCE_COLOR": "1"})
    assert coloured.split() == ["True", "True"]  # the marking is underlined


# --- inspect ----------------------------------------------------------------------------------

def test_inspect_portions_carry_the_marks_position(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "memo.txt", MISMARKED)
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "memo.txt", "--isolated", "--output-format", "json"]) == 0
    (doc,) = _json(capsys)
    lines = MISMARKED.split("\n")
    numbered = [p for p in doc["portions"] if p["number"] == "2"]  # type: ignore[index]
    (p,) = numbered
    assert (p["text"], p["canonical"], p["line"], p["column"]) == ("(S)", "(S)", 11, 4)
    assert lines[p["line"] - 1][p["column"] - 1:p["end_column"] - 1] == "(S)"
    assert (p["paragraph"]["line"], p["paragraph"]["column"]) == (11, 1)
    for q in doc["portions"]:  # type: ignore[union-attr]
        if q["text"] is not None:
            assert lines[q["line"] - 1][q["column"] - 1:q["end_column"] - 1] == q["text"]


def test_inspect_reports_unreadable_files_in_its_output(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "memo.txt", MISMARKED)
    _write(tmp_path / "empty.txt", "")
    monkeypatch.chdir(tmp_path)
    assert main(["inspect", "missing.txt", "memo.txt", "empty.txt", "--isolated",
                 "--output-format", "json-lines"]) == 1
    out, err = capsys.readouterr()
    objs = [json.loads(x) for x in out.splitlines()]
    assert [o["path"] for o in objs] == ["missing.txt", "memo.txt", "empty.txt"]
    assert {k: objs[0][k] for k in ("path", "code")} == {"path": "missing.txt", "code": "MK001"}
    assert objs[0]["error"].startswith("Cannot read the file")
    assert objs[2]["code"] == "MK004" and objs[2]["portions"] == []
    assert [sorted(o) for o in objs] == [sorted(objs[1])] * 3  # one schema, read or not
    assert objs[1]["code"] is None and objs[1]["error"] is None
    assert "missing.txt" in err


def test_inspect_reads_stdin_with_stdin_filename(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, MISMARKED)
    assert main(["inspect", "--isolated", "--stdin-filename", "d.txt",
                 "--output-format", "json"]) == 0
    (doc,) = _json(capsys)
    assert doc["path"] == "d.txt" and doc["overall"] == "CONFIDENTIAL"


def test_stdin_with_baseline_and_per_file_ignores_from_a_subdirectory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "pyproject.toml",
           '[tool.markings]\nselect = ["MK1"]\nbaseline = "base.json"\n'
           '[tool.markings.per-file-ignores]\n"docs/a.txt" = ["MK101"]\n')
    _write(tmp_path / "base.json", '{"version": 1, "findings": []}\n')
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    for name, want in (("a.txt", []), ("b.txt", ["MK101"])):
        _stdin(monkeypatch, MISMARKED)
        main(["check", "--stdin-filename", name, "--output-format", "json"])
        found = _json(capsys)
        assert [f["code"] for f in found if f["code"] == "MK101"] == want
        assert {f["path"] for f in found} <= {name}
